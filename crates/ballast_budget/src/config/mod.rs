//! `ballast.json`: the model (`model.rs`) and its reader (`read.rs`).

mod model;
mod read;

pub use model::*;
pub use read::parse_config;
pub(crate) use read::{Expect, read_quantity};
