//! Budgets for Ballast: the `ballast.json` model (and Lighthouse `budget.json` / `.size-limit.json` readers),
//! evaluation against measured sizes, baseline diffs, and Markdown / GitHub output.
//!
//! Flow for `ballast check`: [`load_config`] → a [`Measured`] (`ballast_report::measured` takes it from the
//! typed Report) → [`evaluate`] → put the [`BudgetReport`] under `budgets` in the Report → exit with
//! [`BudgetReport::exit_code`].

mod compat;
mod config;
mod diff;
mod error;
mod evaluate;
mod init;
mod json;
mod measured;
mod network;
mod render;
mod units;

pub use compat::{
    LIGHTHOUSE_KIB, format_for_path, load_config, parse_config_as, parse_lighthouse, parse_size_limit,
};
pub use config::{
    BASELINE_KEYS, BUDGET_KEYS, BUNDLERS, Baseline, Budget, BudgetMetric, BudgetTarget, ChunkGlob, Config,
    ConfigFormat, HEAVY_KEYS, Heavy, METRICS, MINIFIERS, ROOT_KEYS, parse_config,
};
pub use diff::{Change, CountDelta, Deltas, Diff, ItemDelta, SizeDelta, diff};
pub use error::{ConfigError, ConfigErrors, LoadError, Position};
pub use evaluate::{BudgetReport, BudgetResult, ResultKind, Status, Unit, evaluate, format_percent};
pub use init::init_config;
pub use measured::{Measured, MeasuredChunk, Settings};
pub use network::{NETWORKS, NetworkProfile, network, network_names, transfer_size};
pub use render::{github_annotations, markdown_diff, markdown_table, text_diff, text_table};
pub use units::{
    Increase, SIZE_UNITS, TIME_UNITS, format_delta, format_kb, format_ms, parse_increase, parse_size,
};

/// The JSON Schema (draft-07) of `ballast.json`, as `ballast schema` prints it.
pub fn schema() -> &'static str {
    include_str!("../schema.json")
}
