//! What `ballast check` found: one result per budget and target, and the baseline diff. Goes into the
//! [`Report`](crate::Report) under `budgets`; `ballast_budget::evaluate` makes it.

use ballast_common::Metric;
use serde::Serialize;

use crate::diff_model::Diff;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// Where a result comes from: a budget of the config, or the baseline regression check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ResultKind {
    Budget,
    Baseline,
}

/// The unit of `warn`, `max` and `actual`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Unit {
    Bytes,
    Ms,
    Count,
}

/// One budget checked on one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetResult {
    pub kind: ResultKind,
    /// The budget's `name`, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The concrete target: `initial`, `chunk:index`, `package:three`, …
    pub target: String,
    /// The target as written when it differs (a chunk glob): `chunk:*`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// `raw`, `min`, `gzip`, `brotli`, `loadTime` or `count`.
    pub metric: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    /// For `loadTime`: the size the time was computed from (brotli, else gzip, else min).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<Metric>,
    pub unit: Unit,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warn: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
    /// `None` when it could not be measured (compression off, no match).
    pub actual: Option<u64>,
    /// How far `actual` is over the limit it broke (`max` when failed, `warn` when warned), in `unit`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub over: Option<u64>,
    /// `over` as a percent of that limit (absent when the limit is 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub over_percent: Option<f64>,
    pub status: Status,
    pub message: String,
    /// The budget's position in its config file.
    pub file: String,
    pub line: u32,
    pub column: u32,
}

/// All results of `ballast check`; goes into the Report JSON under `budgets`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BudgetReport {
    pub status: Status,
    pub results: Vec<BudgetResult>,
    /// Present when a baseline was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<Diff>,
}

impl BudgetReport {
    /// The worst status of all results (pass when there are none).
    pub fn status(&self) -> Status {
        self.results.iter().map(|r| r.status).max().unwrap_or(Status::Pass)
    }

    /// 0 when everything passed or only warned, 1 when any budget or regression check failed.
    pub fn exit_code(&self) -> i32 {
        if self.status() == Status::Fail { 1 } else { 0 }
    }

    pub fn failures(&self) -> impl Iterator<Item = &BudgetResult> {
        self.results.iter().filter(|r| r.status == Status::Fail)
    }
}
