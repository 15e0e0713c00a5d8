//! Reading a map: the JSON (`sources`, `sourceRoot`, `mappings`; indexed maps are recognised, not read) and
//! where a chunk's map is (`sourceMappingURL`, a `data:` URL, or `file.js.map`).

use std::path::{Path, PathBuf};

use base64::Engine;
use serde::Deserialize;

use crate::util::normalize;
use crate::{StatsError, json_error, shape_error};

#[derive(Debug, Deserialize)]
pub(crate) struct RawMap {
    #[serde(default)]
    pub sources: Vec<Option<String>>,
    #[serde(default, rename = "sourceRoot")]
    pub source_root: Option<String>,
    #[serde(default)]
    pub mappings: String,
    #[serde(default)]
    pub sections: Option<serde_json::Value>,
}

pub(crate) fn parse_map(text: &str, file: &Path) -> Result<RawMap, StatsError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| json_error(file, &e))?;
    if !value.is_object() || (value.get("mappings").is_none() && value.get("sections").is_none()) {
        return Err(StatsError::Shape {
            file: file.to_path_buf(),
            line: 1,
            column: 1,
            what: "sourcemap",
            message: "a sourcemap needs `mappings` and `sources`".to_string(),
        });
    }
    serde_json::from_str(text).map_err(|e| shape_error(file, "sourcemap", &e))
}

pub(super) fn read_text(path: &Path) -> Result<String, StatsError> {
    let bytes = std::fs::read(path).map_err(|source| StatsError::Io { path: path.to_path_buf(), source })?;
    Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// A `data:` URL's base64 payload: standard or URL-safe alphabet, padding optional, whitespace ignored.
fn decode_base64(payload: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::RequireNone)
            .with_decode_allow_trailing_bits(true),
    );
    let text: String = payload
        .chars()
        .take_while(|&c| c != '=')
        .filter(|c| !matches!(c, ' ' | '\n' | '\r' | '\t'))
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    LENIENT.decode(text).ok()
}

/// The map of a `.js` file: its `sourceMappingURL` (a file or a `data:` URL), else `file.js.map` next to it.
/// A `sourceMappingURL` that points outside `allowed` (the project root and the build output) is not read: it is
/// named in `outside` and the sibling `file.js.map` is tried instead.
pub(super) fn find_map(
    js: &Path,
    code: &str,
    allowed: &[&Path],
    outside: &mut Option<String>,
) -> Result<Option<(RawMap, PathBuf)>, StatsError> {
    let url = code
        .rfind("sourceMappingURL=")
        .map(|at| code[at + "sourceMappingURL=".len()..].split_whitespace().next().unwrap_or("").to_string());
    let dir = js.parent().unwrap_or(Path::new(""));
    if let Some(url) = url.filter(|u| !u.is_empty()) {
        if let Some(data) = url.strip_prefix("data:") {
            if let Some((_, payload)) = data.split_once(";base64,")
                && let Some(bytes) = decode_base64(payload)
            {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                return parse_map(&text, js).map(|m| Some((m, dir.to_path_buf())));
            }
        } else {
            let path = normalize(&dir.join(url.split(['?', '#']).next().unwrap_or(&url)));
            let cwd = std::env::current_dir().unwrap_or_default();
            let absolute = |p: &Path| normalize(&cwd.join(p));
            if !allowed.iter().any(|a| absolute(&path).starts_with(absolute(a))) {
                *outside = Some(url.clone());
            } else if path.is_file() {
                let map = parse_map(&read_text(&path)?, &path)?;
                return Ok(Some((map, path.parent().unwrap_or(dir).to_path_buf())));
            }
        }
    }
    let sibling = PathBuf::from(format!("{}.map", js.display()));
    if sibling.is_file() {
        let map = parse_map(&read_text(&sibling)?, &sibling)?;
        return Ok(Some((map, dir.to_path_buf())));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_data_urls() {
        assert_eq!(decode_base64("aGVsbG8="), Some(b"hello".to_vec()));
        assert_eq!(decode_base64("aGVs\nbG8"), Some(b"hello".to_vec()));
        assert_eq!(decode_base64("-_8"), Some(vec![0xfb, 0xff]));
        assert_eq!(decode_base64("a!"), None);
    }
}
