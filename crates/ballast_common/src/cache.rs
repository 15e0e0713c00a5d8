//! A content-addressed disk cache: one file per key, written to a temp file and renamed, so concurrent runs
//! never see half an entry; an entry that fails to decode is treated as missing and rewritten.

use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Debug, Clone)]
pub struct DiskCache {
    dir: Option<PathBuf>,
}

impl DiskCache {
    pub fn disabled() -> Self {
        DiskCache { dir: None }
    }

    pub fn at(dir: PathBuf) -> Self {
        DiskCache { dir: Some(dir) }
    }

    pub fn is_enabled(&self) -> bool {
        self.dir.is_some()
    }

    /// A key for `parts` under this tool version: blake3, hex.
    pub fn key(parts: &[&[u8]]) -> String {
        let mut hasher = blake3::Hasher::new();
        hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
        for part in parts {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        hasher.finalize().to_hex()[..32].to_string()
    }

    fn path(&self, bucket: &str, key: &str) -> Option<PathBuf> {
        Some(self.dir.as_ref()?.join(bucket).join(&key[..2]).join(key))
    }

    pub fn get<T: DeserializeOwned>(&self, bucket: &str, key: &str) -> Option<T> {
        let bytes = std::fs::read(self.path(bucket, key)?).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub fn get_text(&self, bucket: &str, key: &str) -> Option<String> {
        std::fs::read_to_string(self.path(bucket, key)?).ok()
    }

    pub fn put<T: Serialize>(&self, bucket: &str, key: &str, value: &T) {
        if let (Some(path), Ok(bytes)) = (self.path(bucket, key), serde_json::to_vec(value)) {
            let _ = write_replacing(&path, &bytes, false);
        }
    }

    pub fn put_text(&self, bucket: &str, key: &str, text: &str) {
        if let Some(path) = self.path(bucket, key) {
            let _ = write_replacing(&path, text.as_bytes(), false);
        }
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_replacing(path, bytes, true)
}

/// A cache entry skips the fsync: after a crash it is at worst empty or torn, which reads as a miss.
fn write_replacing(path: &Path, bytes: &[u8], sync: bool) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    // The folder usually exists: try first, so the common case costs no mkdir.
    let mut tmp = match tempfile::NamedTempFile::new_in(dir) {
        Ok(tmp) => tmp,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir)?;
            tempfile::NamedTempFile::new_in(dir)?
        }
        Err(e) => return Err(e),
    };
    tmp.write_all(bytes)?;
    if sync {
        tmp.as_file().sync_all().ok();
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_ignores_corrupt_entries() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::at(dir.path().to_path_buf());
        let key = DiskCache::key(&[b"abc"]);
        cache.put("t", &key, &vec![1u64, 2, 3]);
        assert_eq!(cache.get::<Vec<u64>>("t", &key), Some(vec![1, 2, 3]));
        let path = cache.path("t", &key).unwrap();
        std::fs::write(&path, b"[1, 2").unwrap();
        assert_eq!(cache.get::<Vec<u64>>("t", &key), None);
        cache.put("t", &key, &vec![4u64]);
        assert_eq!(cache.get::<Vec<u64>>("t", &key), Some(vec![4]));
    }
}
