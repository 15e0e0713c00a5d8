//! The module graph every later stage reads: index tables of modules, imports and packages, plus the graph
//! algorithms (reachability, entry bits, dominators, import chains, cycles) over a `petgraph` view.

mod algo;
mod link_facts;
mod model;

pub use algo::{
    ImportFilter, dominators_from_entries, dominators_over, reachable, strongly_connected_cycles,
};
pub use link_facts::{
    ELIDED, Effects, ImportBinding, LinkFacts, NO_STATEMENT, Reference, StatementFacts, StatementKind, Usage,
    Use,
};
pub use model::{
    BUNDLER_CODE_PREFIXES, Declaration, Entry, Import, ImportKind, ImportedNames, ManualAssignment,
    ManualChunkGroup, ManualChunks, Module, ModuleFormat, ModuleGraph, ModuleKind, Package, SideEffects,
    Unread, UnreadReason,
};
