use serde::{Deserialize, Serialize};

use crate::{ModuleIdx, Severity, Sizes};

/// Something worth acting on in the bundle (heavy library, split point, duplicate, cycle …).
/// Produced by `ballast_advise`, carried unchanged into the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// Stable: `heavy-library`, `split-point`, `vendor-chunk`, `duplicate-package`, `cjs-blocks-treeshaking`,
    /// `barrel-import`, `circular-import`.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modules: Vec<ModuleIdx>,
    /// Bytes the change takes off the initial load.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub savings: Option<Sizes>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Ready config per bundler: `vite7`, `vite8`, `webpack`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<std::collections::BTreeMap<String, String>>,
}

impl Finding {
    pub fn new(code: &str, severity: Severity, message: impl Into<String>) -> Self {
        Finding {
            code: code.to_string(),
            severity,
            message: message.into(),
            file: None,
            line: None,
            column: None,
            package: None,
            modules: Vec::new(),
            savings: None,
            suggestion: None,
            config: None,
        }
    }
}
