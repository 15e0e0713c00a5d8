//! Budgets for Ballast: the `ballast.json` model (and Lighthouse `budget.json` / `.size-limit.json` readers),
//! evaluation against measured sizes, baseline diffs.
//!
//! Flow for `ballast check`: [`load_config`] → a `ballast_report::Measured` (`ballast_report::measured` takes
//! it from the typed Report) → [`evaluate`] → put the `ballast_report::BudgetReport` under `budgets` in the
//! Report → exit with `BudgetReport::exit_code`. Result types and their renderers live in `ballast_report`.

mod compat;
mod config;
mod diff;
mod error;
mod evaluate;
mod init;
mod json;
mod network;
mod units;

pub use compat::{
    LIGHTHOUSE_KIB, format_for_path, load_config, parse_config_as, parse_lighthouse, parse_size_limit,
};
pub use config::{
    BASELINE_KEYS, BUDGET_KEYS, BUNDLERS, Baseline, Budget, BudgetMetric, BudgetTarget, ChunkGlob, Config,
    ConfigFormat, HEAVY_KEYS, Heavy, METRICS, MINIFIERS, ROOT_KEYS, parse_config,
};
pub use diff::diff;
pub use error::{ConfigError, ConfigErrors, LoadError, Position};
pub use evaluate::evaluate;
pub use init::init_config;
pub use network::{NETWORKS, NetworkProfile, network, network_names, transfer_size};
pub use units::{Increase, SIZE_UNITS, TIME_UNITS, parse_increase, parse_size};

/// The JSON Schema (draft-07) of `ballast.json`, as `ballast schema` prints it.
pub fn schema() -> &'static str {
    include_str!("../schema.json")
}
