//! Modules one scan read, kept for the next scan in the same process (a watch): a file whose size, mtime, inode
//! and ctime are what they were is taken back as it was loaded, its imports' resolutions included, without
//! being read, hashed or parsed again. Resolution depends on which files exist and on the config files, not on
//! a module's bytes, so the caller `forget`s everything when a file appears or vanishes or a config changes.

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ballast_graph::Unread;
use rustc_hash::FxHashMap;

use crate::load::{LoadedModule, ModuleKey};

/// What the scan kept, shared by the runs of one process.
#[derive(Default)]
pub struct ScanMemo {
    state: Mutex<State>,
}

impl std::fmt::Debug for ScanMemo {
    // Fixed text: options are compared by their debug text, and a memo never changes what a scan finds.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScanMemo")
    }
}

/// Modules by the setup they were loaded under (aliases, defines, resolution options: another setup, another
/// load), so that the apps of a workspace, scanned side by side, never take each other's.
#[derive(Default)]
struct State {
    by_setup: FxHashMap<String, FxHashMap<ModuleKey, Kept>>,
}

/// More setups than a watch of a workspace has apps: the older ones are config edits, dropped.
const MAX_SETUPS: usize = 64;

struct Kept {
    signature: Signature,
    module: LoadedModule,
    /// What loading it noted in the coverage, noted again when it is taken back.
    unread: Vec<Unread>,
}

/// A file as its metadata shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    len: u64,
    modified_ns: u128,
    inode: u64,
    changed_ns: i128,
}

/// A file modified this close to when it was read may change again within the clock's granularity without its
/// mtime moving (git's racy-index rule): it is never vouched for.
const RACY: Duration = Duration::from_secs(1);

impl Signature {
    pub fn of(path: &Path) -> Option<Signature> {
        let meta = std::fs::metadata(path).ok()?;
        let modified_ns = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?.as_nanos();
        let (inode, changed_ns) = unix_ids(&meta);
        Some(Signature { len: meta.len(), modified_ns, inode, changed_ns })
    }

    fn is_racy(&self, read_at: SystemTime) -> bool {
        let read_ns = read_at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        self.modified_ns.saturating_add(RACY.as_nanos()) >= read_ns
    }
}

#[cfg(unix)]
fn unix_ids(meta: &std::fs::Metadata) -> (u64, i128) {
    use std::os::unix::fs::MetadataExt;
    (meta.ino(), i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()))
}

#[cfg(not(unix))]
fn unix_ids(_: &std::fs::Metadata) -> (u64, i128) {
    (0, 0)
}

impl ScanMemo {
    /// Drops every kept module: a file appeared or vanished, or a config changed.
    pub fn forget(&self) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).by_setup.clear();
    }

    /// The module as it was loaded under `setup`, when its file still has `signature`.
    pub(crate) fn take_back(
        &self,
        setup: &str,
        key: &ModuleKey,
        signature: Signature,
    ) -> Option<(LoadedModule, Vec<Unread>)> {
        let state = self.state.lock().ok()?;
        let kept = state.by_setup.get(setup)?.get(key).filter(|k| k.signature == signature)?;
        Some((kept.module.clone(), kept.unread.clone()))
    }

    /// Keeps `module`, loaded under `setup` from a file whose metadata was `signature` before the read at
    /// `read_at`.
    pub(crate) fn keep(
        &self,
        setup: &str,
        module: &LoadedModule,
        signature: Signature,
        read_at: SystemTime,
        unread: Vec<Unread>,
    ) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if !state.by_setup.contains_key(setup) && state.by_setup.len() >= MAX_SETUPS {
            state.by_setup.clear();
        }
        let modules = state.by_setup.entry(setup.to_string()).or_default();
        if signature.is_racy(read_at) {
            modules.remove(&module.key);
        } else {
            modules.insert(module.key.clone(), Kept { signature, module: module.clone(), unread });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_modified_within_the_racy_window_is_not_vouched_for() {
        let read_at = UNIX_EPOCH + Duration::from_secs(100);
        let at = |secs: f64| Signature {
            len: 1,
            modified_ns: Duration::from_secs_f64(secs).as_nanos(),
            inode: 1,
            changed_ns: 0,
        };
        assert!(at(99.5).is_racy(read_at));
        assert!(at(100.0).is_racy(read_at));
        assert!(!at(98.0).is_racy(read_at));
    }

    #[test]
    fn the_signature_follows_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a.js");
        std::fs::write(&file, "export const a = 1;\n").expect("write");
        let first = Signature::of(&file).expect("stat");
        assert_eq!(Signature::of(&file), Some(first));
        // Same size, new bytes: the mtime or ctime moves.
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(&file, "export const a = 2;\n").expect("write");
        assert_ne!(Signature::of(&file), Some(first));
        std::fs::remove_file(&file).expect("remove");
        assert_eq!(Signature::of(&file), None);
    }
}
