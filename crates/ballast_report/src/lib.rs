//! The `Report` (the public JSON contract, `schemaVersion` 1), what budgets and `diff` read from it and return,
//! and one renderer per output format.

mod budget_model;
mod diff_model;
pub mod format;
mod measure;
mod model;
pub mod render;

pub use budget_model::{BudgetReport, BudgetResult, ResultKind, Status, Unit};
pub use diff_model::{Change, CountDelta, Deltas, Diff, ItemDelta, SizeDelta};
pub use measure::{Measured, MeasuredChunk, ReadReportError, Settings, measured, read_report};
pub use model::*;
