//! Sourcemaps: reading a map (`map.rs`), attributing a chunk's bytes to its sources (`attribute.rs`, the
//! `sourcemap` crate decodes the VLQ), resolving those sources to modules (`chunk.rs`), and the loader for a
//! `dist/` folder of `.js` + `.map` (`dist.rs`) with its import (`imports.rs`) and HTML (`html.rs`) scanners.

mod attribute;
mod chunk;
mod dist;
mod html;
mod imports;
mod map;

pub(crate) use chunk::chunk_modules;
pub(crate) use dist::load;
pub(crate) use map::RawMap;
