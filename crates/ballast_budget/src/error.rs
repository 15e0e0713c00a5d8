//! Errors of this crate. Config errors always carry the file, line and column of the offending value.

use ballast_common::{Diagnostic, DiagnosticCode};
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// One problem in a budget file, pointing at the value that causes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "camelCase")]
pub struct ConfigError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl ConfigError {
    /// The same error as a `Diagnostic` (code `invalid-config`) for the report.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let mut d = Diagnostic::error(DiagnosticCode::InvalidConfig, self.message.clone())
            .in_file(self.file.clone())
            .at(self.line, self.column);
        if let Some(help) = &self.help {
            d = d.with_help(help.clone());
        }
        d
    }
}

/// Every error found in a budget file, in the order of the file. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(transparent)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl ConfigErrors {
    pub fn errors(&self) -> &[ConfigError] {
        &self.0
    }

    pub fn to_diagnostics(&self) -> Vec<Diagnostic> {
        self.0.iter().map(ConfigError::to_diagnostic).collect()
    }
}

/// `load_config` failures: the file cannot be read, or it is invalid. Both mean exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(#[from] ConfigErrors),
}
