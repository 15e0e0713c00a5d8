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

/// Writes an output file the way a shell redirect would, but never half a file:
/// - a symlink is followed (to its final target, which is replaced; the link itself stays a link);
/// - a special file (character device such as `/dev/null`, FIFO, socket) is written in place, never replaced;
/// - a regular file is replaced through a temporary file in the same folder and a rename, keeping the old
///   file's permissions; a new file gets `0666 & !umask`, like any other program's output.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let target = follow_symlinks(path)?;
    let existing = match std::fs::metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    if let Some(meta) = &existing {
        if meta.is_dir() {
            return Err(std::io::Error::other("it is a directory"));
        }
        if !meta.is_file() {
            // /dev/null, /dev/stdout, a FIFO: write through, as `> path` would.
            let mut file = std::fs::OpenOptions::new().write(true).truncate(true).open(&target)?;
            file.write_all(bytes)?;
            return file.flush();
        }
    }
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // The kernel applies the umask to the mode given at creation.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = match builder.tempfile_in(dir) {
        Ok(tmp) => tmp,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir)?;
            builder.tempfile_in(dir)?
        }
        Err(e) => return Err(e),
    };
    tmp.write_all(bytes)?;
    if let Some(meta) = &existing {
        // Replacing a file keeps its permissions, as truncating it would.
        let _ = tmp.as_file().set_permissions(meta.permissions());
    }
    tmp.as_file().sync_all()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// The final target of `path` after following symlinks (relative targets from the link's folder); the path
/// itself when it is not a link or does not exist. A loop is an error.
fn follow_symlinks(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = if link.is_absolute() {
                    link
                } else {
                    current.parent().unwrap_or(Path::new("")).join(link)
                };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
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

    #[cfg(unix)]
    #[test]
    fn outputs_follow_symlinks_write_special_files_in_place_and_keep_modes() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // A symlink stays a symlink; its target gets the content.
        std::fs::create_dir(d.join("real")).unwrap();
        std::os::unix::fs::symlink("real/out.json", d.join("link.json")).unwrap();
        write_atomic(&d.join("link.json"), b"one").unwrap();
        assert!(std::fs::symlink_metadata(d.join("link.json")).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(d.join("real/out.json")).unwrap(), b"one");
        // An existing file keeps its mode.
        std::fs::set_permissions(d.join("real/out.json"), std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&d.join("link.json"), b"two").unwrap();
        let mode = std::fs::metadata(d.join("real/out.json")).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        // A new file is not 0600: group/other bits follow the umask (at least readable by the owner's group
        // under the usual 022/002 umasks).
        write_atomic(&d.join("new.json"), b"x").unwrap();
        let mode = std::fs::metadata(d.join("new.json")).unwrap().permissions().mode() & 0o777;
        assert_ne!(mode, 0o600, "new outputs must respect the umask, not be 0600");
        // A FIFO is written through, not replaced.
        let fifo = d.join("fifo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(fifo).unwrap())
        };
        write_atomic(&fifo, b"through").unwrap();
        assert_eq!(reader.join().unwrap(), b"through");
        assert!(std::os::unix::fs::FileTypeExt::is_fifo(
            &std::fs::symlink_metadata(&fifo).unwrap().file_type()
        ));
        // A character device too: /dev/null stays /dev/null.
        write_atomic(Path::new("/dev/null"), b"gone").unwrap();
        assert!(std::os::unix::fs::FileTypeExt::is_char_device(
            &std::fs::metadata("/dev/null").unwrap().file_type()
        ));
        // /dev/full reports the full disk.
        assert!(write_atomic(Path::new("/dev/full"), b"x").is_err());
        // A symlink loop is an error, not a hang.
        std::os::unix::fs::symlink("loop-b", d.join("loop-a")).unwrap();
        std::os::unix::fs::symlink("loop-a", d.join("loop-b")).unwrap();
        assert!(write_atomic(&d.join("loop-a"), b"x").is_err());
    }
}
