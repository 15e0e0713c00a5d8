use serde::{Deserialize, Serialize};

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub u32);

        impl $name {
            pub fn new(index: usize) -> Self {
                Self(u32::try_from(index).expect(concat!(stringify!($name), " overflow")))
            }
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

index_type!(
    /// Position of a module in `ModuleGraph::modules`.
    ModuleIdx
);
index_type!(
    /// Position of an import in `ModuleGraph::imports`.
    ImportIdx
);
index_type!(
    /// Position of a package in `ModuleGraph::packages`.
    PackageIdx
);
index_type!(
    /// Position of a chunk in `ChunkPlan::chunks`.
    ChunkIdx
);
