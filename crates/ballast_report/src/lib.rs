//! The `Report` (the public JSON contract, `schemaVersion` 1) and one renderer per output format.

mod model;
pub mod render;

pub use model::*;
