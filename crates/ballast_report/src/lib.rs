//! The `Report` (the public JSON contract, `schemaVersion` 1) and one renderer per output format.

mod measure;
mod model;
pub mod render;

pub use measure::{ReadReportError, measured, read_report};
pub use model::*;
