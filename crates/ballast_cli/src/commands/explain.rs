//! `ballast explain CODE`: what a finding or diagnostic code means, why it matters and what to do, from
//! docs/codes.md. An unknown code is a usage error (exit 2) listing the known ones.

use crate::{Failure, Outcome};

const CODES: &str = include_str!("../../../../docs/codes.md");

/// `(code, text)` for each `## code` section of docs/codes.md.
fn sections() -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    let mut rest = CODES;
    while let Some(at) = rest.find("\n## ") {
        let body = &rest[at + 4..];
        let (code, after) = body.split_once('\n').unwrap_or((body, ""));
        let end = after.find("\n## ").unwrap_or(after.len());
        out.push((code.trim(), after[..end].trim()));
        rest = &after[end..];
    }
    out
}

/// Markdown emphasis and code marks off, for the terminal.
fn plain(text: &str) -> String {
    text.replace("**", "").replace('`', "")
}

pub fn run(code: &str) -> Result<Outcome, Failure> {
    let all = sections();
    let wanted = code.trim().to_ascii_lowercase();
    match all.iter().find(|(c, _)| *c == wanted) {
        Some((c, text)) => {
            println!("{c}\n\n{}", plain(text));
            Ok(Outcome::Ok)
        }
        None => {
            let codes: Vec<&str> = all.iter().map(|(c, _)| *c).collect();
            Err(Failure(format!("unknown code `{code}`; the codes are: {}", codes.join(", "))))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_section() {
        let codes: Vec<&str> = sections().iter().map(|(c, _)| *c).collect();
        for code in [
            "heavy-library",
            "split-point",
            "vendor-chunk",
            "duplicate-package",
            "cjs-blocks-treeshaking",
            "barrel-import",
            "circular-import",
        ] {
            assert!(codes.contains(&code), "{code} missing from docs/codes.md");
        }
        use ballast_common::DiagnosticCode as D;
        for d in [
            D::ParseError,
            D::UnresolvedImport,
            D::UnreadableFile,
            D::NonLiteralImport,
            D::UnknownAssetKind,
            D::InvalidPackageJson,
            D::InvalidConfig,
            D::MissingEntry,
            D::ViteConfigNotLiteral,
            D::CacheError,
            D::MinifyError,
            D::NonUtf8Source,
            D::InvalidStats,
            D::MissingExport,
        ] {
            assert!(codes.contains(&d.as_str()), "{} missing from docs/codes.md", d.as_str());
        }
        for (code, text) in sections() {
            assert!(text.contains("**What to do**"), "{code}: no `What to do`");
        }
    }
}
