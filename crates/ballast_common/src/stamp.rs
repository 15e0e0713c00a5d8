//! What a file was when the analysis read it, so a later run can tell whether it still is.

use std::path::Path;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileStamp {
    pub len: u64,
    pub modified_ns: u128,
    /// blake3 of the bytes, hex.
    pub hash: String,
}

impl FileStamp {
    /// Reads `path` once and stamps what was read. The metadata is taken first: a write after it changes the
    /// file's metadata, so the stamp can never vouch for bytes it did not hash.
    pub fn read(path: &Path) -> std::io::Result<(Vec<u8>, FileStamp)> {
        let (len, modified_ns) = metadata(path)?;
        let bytes = std::fs::read(path)?;
        let hash = blake3::hash(&bytes).to_hex().to_string();
        Ok((bytes, FileStamp { len, modified_ns, hash }))
    }

    /// Same length and modification time means the same bytes, as git's index assumes; otherwise the content
    /// decides (a checkout that rewrote a file with the same text still matches).
    pub fn matches(&self, path: &Path) -> bool {
        metadata(path).is_ok_and(|m| m == (self.len, self.modified_ns))
            || std::fs::read(path).is_ok_and(|bytes| blake3::hash(&bytes).to_hex().as_str() == self.hash)
    }
}

fn metadata(path: &Path) -> std::io::Result<(u64, u128)> {
    let meta = std::fs::metadata(path)?;
    let modified = meta.modified()?.duration_since(std::time::UNIX_EPOCH).map_err(std::io::Error::other)?;
    Ok((meta.len(), modified.as_nanos()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_matches_until_the_content_changes() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.js");
        std::fs::write(&file, "export const a = 1;\n").unwrap();
        let (bytes, stamp) = FileStamp::read(&file).unwrap();
        assert_eq!(bytes, b"export const a = 1;\n");
        assert!(stamp.matches(&file));
        // Same content written again (new mtime): the hash still matches.
        std::fs::write(&file, "export const a = 1;\n").unwrap();
        assert!(stamp.matches(&file));
        std::fs::write(&file, "export const a = 2;\n").unwrap();
        assert!(!stamp.matches(&file));
        std::fs::remove_file(&file).unwrap();
        assert!(!stamp.matches(&file));
    }
}
