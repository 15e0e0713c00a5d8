use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

/// Stable codes: users filter on them and CI scripts match them, so a code never changes meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticCode {
    ParseError,
    UnresolvedImport,
    UnreadableFile,
    NonLiteralImport,
    UnknownAssetKind,
    InvalidPackageJson,
    InvalidConfig,
    MissingEntry,
    ViteConfigNotLiteral,
    CacheError,
    MinifyError,
    NonUtf8Source,
    InvalidStats,
    MissingExport,
    HelperFailed,
    CompileFailed,
}

impl DiagnosticCode {
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticCode::ParseError => "parse-error",
            DiagnosticCode::UnresolvedImport => "unresolved-import",
            DiagnosticCode::UnreadableFile => "unreadable-file",
            DiagnosticCode::NonLiteralImport => "non-literal-import",
            DiagnosticCode::UnknownAssetKind => "unknown-asset-kind",
            DiagnosticCode::InvalidPackageJson => "invalid-package-json",
            DiagnosticCode::InvalidConfig => "invalid-config",
            DiagnosticCode::MissingEntry => "missing-entry",
            DiagnosticCode::ViteConfigNotLiteral => "vite-config-not-literal",
            DiagnosticCode::CacheError => "cache-error",
            DiagnosticCode::MinifyError => "minify-error",
            DiagnosticCode::NonUtf8Source => "non-utf8-source",
            DiagnosticCode::InvalidStats => "invalid-stats",
            DiagnosticCode::MissingExport => "missing-export",
            DiagnosticCode::HelperFailed => "helper-failed",
            DiagnosticCode::CompileFailed => "compile-failed",
        }
    }
}

/// A problem found in the input. Recoverable problems are data: the analysis goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub code: DiagnosticCode,
    pub severity: Severity,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: DiagnosticCode, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            help: None,
        }
    }

    pub fn error(code: DiagnosticCode, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message)
    }

    pub fn warning(code: DiagnosticCode, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message)
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:column` as editors and terminals link it.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?;
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file.clone(),
        })
    }

    /// Sort key that keeps reports deterministic.
    pub fn sort_key(&self) -> (Option<&str>, Option<u32>, Option<u32>, DiagnosticCode, &str) {
        (self.file.as_deref(), self.line, self.column, self.code, &self.message)
    }
}
