//! The chunks each bundler emits, planned over the linked dependency graph: Rollup 4 (Vite ≤ 7) and Rolldown
//! (Vite 8) place every module by the set of roots that load it, leaving out of a dynamic chunk what its
//! importers have certainly loaded (Rolldown one group at a time, never closing a chunk cycle, then merging
//! common chunks back into an entry: `rolldown.rs`); esbuild the same without that rule; webpack 5 by its
//! `splitChunks` defaults. Then what ties the chunks together in the output (`glue.rs`: cross-chunk imports and
//! exports, Vite's preload calls).

mod bits;
mod glue;
mod manual;
mod names;
mod plan;
mod rolldown;
mod webpack;

pub use glue::{ChunkGlue, GlueOptions, Preload, chunk_glue};
pub use plan::{Chunk, ChunkKind, ChunkOptions, ChunkPlan, ChunkRules, plan_chunks};
pub use webpack::{CHUNK_WRAPPER, DEFERRED_START, module_wrappers};
