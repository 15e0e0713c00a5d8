//! One renderer per output format.

pub mod escape;
pub mod github;
pub mod html;
pub mod json;
pub mod markdown;
mod tables;
pub mod text;
