//! Chunk simulation with Rollup/Vite semantics: one chunk per entry and per dynamic-import target, every
//! module placed by the set of roots that load it (its entry bits), shared chunks for shared sets. Modules a
//! dynamic root's importers have already loaded are not duplicated into it (Rollup's "already loaded" rule).

mod bits;
mod plan;

pub use plan::{Chunk, ChunkKind, ChunkOptions, ChunkPlan, ManualGroup, plan_chunks};
