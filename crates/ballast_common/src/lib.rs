//! Types every stage shares: index newtypes, sizes, metrics, diagnostics, relative paths, file stamps.

mod cache;
mod diagnostic;
mod finding;
mod index;
mod path;
mod process;
mod size;
mod stamp;
mod vocabulary;

pub use cache::{DiskCache, write_atomic};
pub use diagnostic::{Diagnostic, DiagnosticCode, Severity};
pub use finding::Finding;
pub use index::{ChunkIdx, ImportIdx, ModuleIdx, PackageIdx};
pub use path::relative_path;
pub use process::{Finished, RunError, deadline_from_env, run_with_deadline};
pub use size::{Compression, Metric, Sizes, apportion, format_bytes};
pub use stamp::FileStamp;
pub use vocabulary::{Bundler, MinifierChoice};
