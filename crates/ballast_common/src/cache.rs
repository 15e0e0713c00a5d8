//! The disk cache, under one folder, keyed by content hash + tool version + options (see `DiskCache::key`).
//!
//! Most buckets (scan facts, minified modules, chunk compression, helper answers) live in one pack file per
//! bucket (`<bucket>.pack`): read whole the first time the bucket is asked for, kept in memory for the rest of
//! the process (a `--watch` session reuses it run after run), and the entries added by a run appended at its
//! end in one write (`DiskCache::flush`). Each record carries its own checksum, so a torn or corrupt tail is a
//! miss, never an error, and the next flush rewrites the pack whole (temp file + rename). Creating one file per
//! entry was the cost this replaces (0.3 ms per file created on ext4: more than parsing a small module).
//!
//! The whole-analysis snapshot (`report`, `report-inputs`) stays one file per key, written to a temp file and
//! renamed, so concurrent runs never see half an entry; an entry that fails to decode is missing and rewritten.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Buckets stored one file per key (few, large entries); every other bucket is packed.
const FILE_BUCKETS: [&str; 2] = ["report", "report-inputs"];

#[derive(Clone)]
pub struct DiskCache {
    dir: Option<PathBuf>,
    packs: Option<Arc<Packs>>,
}

impl std::fmt::Debug for DiskCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiskCache").field("dir", &self.dir).finish()
    }
}

impl DiskCache {
    pub fn disabled() -> Self {
        DiskCache { dir: None, packs: None }
    }

    /// The cache under `dir`. Every handle on the same folder in this process shares the packs read into
    /// memory, so a second analysis in the same process reads nothing from disk for what the first one saw.
    pub fn at(dir: PathBuf) -> Self {
        static OPEN: OnceLock<Mutex<HashMap<PathBuf, Arc<Packs>>>> = OnceLock::new();
        let mut open = OPEN.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
        let packs = open.entry(dir.clone()).or_insert_with(|| Arc::new(Packs::new(dir.clone()))).clone();
        DiskCache { dir: Some(dir), packs: Some(packs) }
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

    fn pack(&self, bucket: &str) -> Option<Arc<Pack>> {
        if FILE_BUCKETS.contains(&bucket) {
            return None;
        }
        Some(self.packs.as_ref()?.bucket(bucket))
    }

    fn get_bytes(&self, bucket: &str, key: &str) -> Option<Arc<[u8]>> {
        match self.pack(bucket) {
            Some(pack) => pack.get(key),
            None => std::fs::read(self.path(bucket, key)?).ok().map(Arc::from),
        }
    }

    fn put_bytes(&self, bucket: &str, key: &str, bytes: Vec<u8>) {
        match self.pack(bucket) {
            Some(pack) => pack.put(key, bytes),
            None => {
                if let Some(path) = self.path(bucket, key) {
                    let _ = write_replacing(&path, &bytes, false);
                }
            }
        }
    }

    pub fn get<T: DeserializeOwned>(&self, bucket: &str, key: &str) -> Option<T> {
        serde_json::from_slice(&self.get_bytes(bucket, key)?).ok()
    }

    pub fn get_text(&self, bucket: &str, key: &str) -> Option<String> {
        String::from_utf8(self.get_bytes(bucket, key)?.to_vec()).ok()
    }

    pub fn put<T: Serialize>(&self, bucket: &str, key: &str, value: &T) {
        if self.is_enabled()
            && let Ok(bytes) = serde_json::to_vec(value)
        {
            self.put_bytes(bucket, key, bytes);
        }
    }

    pub fn put_text(&self, bucket: &str, key: &str, text: &str) {
        if self.is_enabled() {
            self.put_bytes(bucket, key, text.as_bytes().to_vec());
        }
    }

    /// Writes what this process added to the packs since the last flush: appended in one write per pack, or
    /// the pack rewritten whole when it is new, was found corrupt, or has grown past its cap. Best effort: a
    /// cache that cannot be written is only slower next time.
    pub fn flush(&self) {
        if let Some(packs) = &self.packs {
            packs.flush();
        }
    }
}

/// The packs of one cache folder, by bucket.
struct Packs {
    dir: PathBuf,
    buckets: Mutex<HashMap<String, Arc<Pack>>>,
}

impl Packs {
    fn new(dir: PathBuf) -> Self {
        Packs { dir, buckets: Mutex::new(HashMap::new()) }
    }

    fn bucket(&self, bucket: &str) -> Arc<Pack> {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(pack) = buckets.get(bucket) {
            return pack.clone();
        }
        let pack = Arc::new(Pack::open(self.dir.join(format!("{bucket}.pack"))));
        buckets.insert(bucket.to_string(), pack.clone());
        pack
    }

    fn flush(&self) {
        let packs: Vec<Arc<Pack>> =
            self.buckets.lock().unwrap_or_else(|e| e.into_inner()).values().cloned().collect();
        for pack in packs {
            let _ = pack.flush();
        }
    }
}

/// First bytes of every pack file; a different layout gets a different magic and reads as empty.
const PACK_MAGIC: &[u8] = b"ballast-pack-1\n";
/// A pack larger than this is rewritten with only the entries this process used.
const PACK_CAP_BYTES: u64 = 512 * 1024 * 1024;

/// One bucket's entries: what the pack file held when first read, plus what this process added.
struct Pack {
    path: PathBuf,
    state: Mutex<PackState>,
}

#[derive(Default)]
struct PackState {
    entries: HashMap<String, Arc<[u8]>>,
    /// Keys added since the last flush, in order.
    pending: Vec<String>,
    /// Keys read or written by this process (kept when a pack past its cap is rewritten).
    used: HashSet<String>,
    /// The file needs rewriting whole: missing, corrupt or truncated, or past its cap.
    rewrite: bool,
    /// Bytes of the file as last read or written.
    file_len: u64,
}

impl Pack {
    fn open(path: PathBuf) -> Self {
        let mut state = PackState::default();
        match std::fs::read(&path) {
            Ok(bytes) => {
                let valid = decode_pack(&bytes, &mut state.entries);
                state.rewrite = valid < bytes.len();
                state.file_len = bytes.len() as u64;
            }
            Err(_) => state.rewrite = true,
        }
        Pack { path, state: Mutex::new(state) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PackState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get(&self, key: &str) -> Option<Arc<[u8]>> {
        let mut state = self.lock();
        let value = state.entries.get(key)?.clone();
        if !state.used.contains(key) {
            state.used.insert(key.to_string());
        }
        Some(value)
    }

    fn put(&self, key: &str, value: Vec<u8>) {
        let mut state = self.lock();
        if state.entries.get(key).is_some_and(|old| **old == *value) {
            return;
        }
        state.entries.insert(key.to_string(), Arc::from(value));
        state.used.insert(key.to_string());
        state.pending.push(key.to_string());
    }

    fn flush(&self) -> std::io::Result<()> {
        use std::io::Write;
        let mut state = self.lock();
        if state.pending.is_empty() && (!state.rewrite || state.entries.is_empty()) {
            return Ok(());
        }
        let grown = state.pending.iter().map(|k| record_len(k, &state.entries[k])).sum::<u64>();
        if state.file_len + grown > PACK_CAP_BYTES {
            let used = std::mem::take(&mut state.used);
            state.entries.retain(|k, _| used.contains(k));
            state.used = used;
            state.rewrite = true;
        }
        if !state.rewrite {
            // Append to the file as it is now (another run may have appended meanwhile: its records stay).
            let mut file = std::fs::OpenOptions::new().append(true).open(&self.path);
            if let Ok(f) = &file
                && f.metadata().is_ok_and(|m| m.len() < PACK_MAGIC.len() as u64)
            {
                file = Err(std::io::Error::other("not a pack"));
            }
            match file {
                Ok(mut file) => {
                    let mut buf = Vec::with_capacity(grown as usize);
                    for key in &state.pending {
                        encode_record(&mut buf, key, &state.entries[key]);
                    }
                    file.write_all(&buf)?;
                    state.file_len += grown;
                    state.pending.clear();
                    return Ok(());
                }
                Err(_) => state.rewrite = true,
            }
        }
        let mut keys: Vec<&String> = state.entries.keys().collect();
        keys.sort();
        let mut buf = PACK_MAGIC.to_vec();
        for key in keys {
            encode_record(&mut buf, key, &state.entries[key]);
        }
        write_replacing(&self.path, &buf, false)?;
        state.file_len = buf.len() as u64;
        state.pending.clear();
        state.rewrite = false;
        Ok(())
    }
}

fn record_len(key: &str, value: &[u8]) -> u64 {
    (2 + 4 + key.len() + value.len() + 8) as u64
}

fn record_checksum(key: &[u8], value: &[u8]) -> [u8; 8] {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&(key.len() as u64).to_le_bytes());
    hasher.update(key);
    hasher.update(value);
    let mut out = [0; 8];
    out.copy_from_slice(&hasher.finalize().as_bytes()[..8]);
    out
}

/// One record: key length (u16 LE), value length (u32 LE), key, value, checksum (8 bytes of blake3).
fn encode_record(buf: &mut Vec<u8>, key: &str, value: &[u8]) {
    let (Ok(key_len), Ok(value_len)) = (u16::try_from(key.len()), u32::try_from(value.len())) else {
        return;
    };
    buf.extend_from_slice(&key_len.to_le_bytes());
    buf.extend_from_slice(&value_len.to_le_bytes());
    buf.extend_from_slice(key.as_bytes());
    buf.extend_from_slice(value);
    buf.extend_from_slice(&record_checksum(key.as_bytes(), value));
}

/// Reads the records of a pack into `entries` (a later record for a key wins); returns how many bytes were
/// valid. Stops at the first record that is torn or fails its checksum.
fn decode_pack(bytes: &[u8], entries: &mut HashMap<String, Arc<[u8]>>) -> usize {
    let Some(mut rest) = bytes.strip_prefix(PACK_MAGIC) else { return 0 };
    let mut valid = PACK_MAGIC.len();
    loop {
        if rest.is_empty() {
            return valid;
        }
        let Some(record) = decode_record(rest) else { return valid };
        let (key, value, len) = record;
        entries.insert(key.to_string(), Arc::from(value));
        valid += len;
        rest = &rest[len..];
    }
}

fn decode_record(bytes: &[u8]) -> Option<(&str, &[u8], usize)> {
    let key_len = u16::from_le_bytes(bytes.get(0..2)?.try_into().ok()?) as usize;
    let value_len = u32::from_le_bytes(bytes.get(2..6)?.try_into().ok()?) as usize;
    let key = bytes.get(6..6 + key_len)?;
    let value = bytes.get(6 + key_len..6 + key_len + value_len)?;
    let end = 6 + key_len + value_len;
    let checksum = bytes.get(end..end + 8)?;
    (checksum == record_checksum(key, value)).then_some(())?;
    Some((std::str::from_utf8(key).ok()?, value, end + 8))
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
        cache.put("report", &key, &vec![1u64, 2, 3]);
        assert_eq!(cache.get::<Vec<u64>>("report", &key), Some(vec![1, 2, 3]));
        let path = cache.path("report", &key).unwrap();
        std::fs::write(&path, b"[1, 2").unwrap();
        assert_eq!(cache.get::<Vec<u64>>("report", &key), None);
        cache.put("report", &key, &vec![4u64]);
        assert_eq!(cache.get::<Vec<u64>>("report", &key), Some(vec![4]));
    }

    #[test]
    fn packs_round_trip_append_and_treat_a_torn_tail_as_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let pack_path = dir.path().join("t.pack");
        let (a, b, c) = (DiskCache::key(&[b"a"]), DiskCache::key(&[b"b"]), DiskCache::key(&[b"c"]));
        // Fresh `Packs` stand for fresh processes (`DiskCache::at` shares one per folder in a process).
        let fresh = || DiskCache {
            dir: Some(dir.path().to_path_buf()),
            packs: Some(Arc::new(Packs::new(dir.path().to_path_buf()))),
        };
        let first = fresh();
        first.put("t", &a, &vec![1u64]);
        first.put_text("t", &b, "bee");
        first.flush();
        let len = std::fs::metadata(&pack_path).unwrap().len();
        let second = fresh();
        assert_eq!(second.get::<Vec<u64>>("t", &a), Some(vec![1]));
        assert_eq!(second.get_text("t", &b).as_deref(), Some("bee"));
        second.put("t", &c, &vec![3u64]);
        second.flush();
        assert!(std::fs::metadata(&pack_path).unwrap().len() > len, "appended");
        assert_eq!(fresh().get::<Vec<u64>>("t", &c), Some(vec![3]));
        // A torn last record: the others still read, it is a miss, and the next flush rewrites the pack whole.
        let full = std::fs::metadata(&pack_path).unwrap().len();
        std::fs::OpenOptions::new().write(true).open(&pack_path).unwrap().set_len(full - 3).unwrap();
        let third = fresh();
        assert_eq!(third.get::<Vec<u64>>("t", &a), Some(vec![1]));
        assert_eq!(third.get::<Vec<u64>>("t", &c), None);
        third.put("t", &c, &vec![3u64]);
        third.flush();
        assert_eq!(std::fs::metadata(&pack_path).unwrap().len(), full);
        assert_eq!(fresh().get::<Vec<u64>>("t", &c), Some(vec![3]));
        // Garbage is an empty pack, never an error.
        std::fs::write(&pack_path, b"not a pack at all").unwrap();
        let fourth = fresh();
        assert_eq!(fourth.get::<Vec<u64>>("t", &a), None);
        fourth.put("t", &a, &vec![5u64]);
        fourth.flush();
        assert_eq!(fresh().get::<Vec<u64>>("t", &a), Some(vec![5]));
        // A handle on the same folder in the same process sees entries not yet flushed.
        let shared = DiskCache::at(dir.path().to_path_buf());
        shared.put("u", &a, &vec![7u64]);
        assert_eq!(DiskCache::at(dir.path().to_path_buf()).get::<Vec<u64>>("u", &a), Some(vec![7]));
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
