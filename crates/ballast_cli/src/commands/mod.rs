pub mod analyze;
pub mod check;
pub mod diff;
pub mod explain;
pub mod init;
pub mod schema;
pub mod watch;
pub mod why;
