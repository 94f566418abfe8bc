//! Keeps the build-private copy of `src/` in step with the user's tree.
//!
//! Files are copied with their modification times, so make's own
//! dependency checks decide what to rebuild, exactly as in the user's tree: an
//! unchanged tree relinks nothing, an edited file recompiles what depends on
//! it. A file is recopied when its size or mtime differs from the last sync
//! and its bytes differ from the copy's. Files that the
//! previous sync copied and that are gone from the user's tree are removed;
//! files that make created in the copy (`bin*/`, `util/zbin`, …) are not ours
//! to remove. The user's `bin*/` folders and `config/local/` are never
//! copied: the builder writes `config/local/` itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::BuildError;

const STATE: &str = ".ipxebuild-synced";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncStats {
    pub copied: usize,
    pub unchanged: usize,
    pub removed: usize,
}

fn skipped(rel: &Path) -> bool {
    let mut parts = rel.components();
    let first = parts
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or("");
    let second = parts.next().and_then(|c| c.as_os_str().to_str());
    (first == "bin" || first.starts_with("bin-"))
        || (first == "config" && second == Some("local"))
        || first == ".git"
}

fn walk(root: &Path, rel: &Path, out: &mut Vec<PathBuf>) -> Result<(), BuildError> {
    let dir = root.join(rel);
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .map_err(BuildError::io("reading", &dir))?
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let rel = rel.join(entry.file_name());
        if skipped(&rel) {
            continue;
        }
        let ty = entry
            .file_type()
            .map_err(BuildError::io("reading", entry.path()))?;
        if ty.is_dir() {
            walk(root, &rel, out)?;
        } else {
            out.push(rel);
        }
    }
    Ok(())
}

/// Makes `to` hold every file of `from` (see the module docs). Stops early
/// when `cancel` is set; a file is either fully copied or not at all.
pub fn sync_tree(from: &Path, to: &Path, cancel: &AtomicBool) -> Result<SyncStats, BuildError> {
    let mut files = Vec::new();
    walk(from, Path::new(""), &mut files)?;
    std::fs::create_dir_all(to).map_err(BuildError::io("creating", to))?;
    let state = to.join(STATE);
    // rel path -> "mtime size" of the source when it was last synced.
    let previous: BTreeMap<String, String> = std::fs::read_to_string(&state)
        .map(|s| {
            s.lines()
                .filter_map(|l| {
                    let mut parts = l.splitn(3, ' ');
                    let (t, n, rel) = (parts.next()?, parts.next()?, parts.next()?);
                    Some((rel.to_string(), format!("{t} {n}")))
                })
                .collect()
        })
        .unwrap_or_default();
    let mut recorded: BTreeMap<String, String> = BTreeMap::new();
    let mut stats = SyncStats::default();
    for rel in &files {
        if cancel.load(Ordering::SeqCst) {
            return Ok(stats);
        }
        let src = from.join(rel);
        let dst = to.join(rel);
        let meta = std::fs::symlink_metadata(&src).map_err(BuildError::io("reading", &src))?;
        let key = rel.to_string_lossy().into_owned();
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&src).map_err(BuildError::io("reading", &src))?;
            if std::fs::read_link(&dst).ok().as_ref() != Some(&target) {
                let _ = std::fs::remove_file(&dst);
                if let Some(parent) = dst.parent() {
                    std::fs::create_dir_all(parent).map_err(BuildError::io("creating", parent))?;
                }
                std::os::unix::fs::symlink(&target, &dst)
                    .map_err(BuildError::io("creating", &dst))?;
                stats.copied += 1;
            } else {
                stats.unchanged += 1;
            }
            recorded.insert(key, "symlink 0".into());
            continue;
        }
        let mtime = meta.modified().map_err(BuildError::io("reading", &src))?;
        let stamp = format!("{} {}", stamp(mtime), meta.len());
        let dst_meta = std::fs::symlink_metadata(&dst).ok().filter(|d| d.is_file());
        recorded.insert(key.clone(), stamp.clone());
        // Unchanged since the last sync: leave the copy alone, even if make
        // touched it there (it touches config/named.h when CONFIG= changes,
        // and setting the old time back would make it touch it again).
        if dst_meta.is_some() && previous.get(&key) == Some(&stamp) {
            stats.unchanged += 1;
            continue;
        }
        // Same bytes: nothing for make to redo, so keep the copy's time.
        if dst_meta.as_ref().is_some_and(|d| d.len() == meta.len())
            && std::fs::read(&dst).ok() == std::fs::read(&src).ok()
        {
            stats.unchanged += 1;
            continue;
        }
        if let Some(parent) = dst.parent() {
            std::fs::create_dir_all(parent).map_err(BuildError::io("creating", parent))?;
        }
        let tmp = dst.with_file_name(format!(
            ".{}.ipxebuild-tmp",
            dst.file_name().and_then(|n| n.to_str()).unwrap_or("file")
        ));
        std::fs::copy(&src, &tmp).map_err(BuildError::io("copying", &src))?;
        let file = std::fs::File::options()
            .write(true)
            .open(&tmp)
            .map_err(BuildError::io("writing", &tmp))?;
        file.set_modified(mtime)
            .map_err(BuildError::io("setting the time of", &tmp))?;
        drop(file);
        std::fs::rename(&tmp, &dst).map_err(BuildError::io("writing", &dst))?;
        stats.copied += 1;
    }
    for gone in previous.keys().filter(|k| !recorded.contains_key(*k)) {
        let path = to.join(gone);
        if std::fs::remove_file(&path).is_ok() {
            stats.removed += 1;
        }
    }
    let list: String = recorded
        .iter()
        .map(|(rel, stamp)| format!("{stamp} {rel}\n"))
        .collect();
    std::fs::write(&state, list).map_err(BuildError::io("writing", &state))?;
    Ok(stats)
}

/// Writes `content` to `path` only when it differs, so make sees no change
/// (and rebuilds nothing) when nothing changed.
fn stamp(t: std::time::SystemTime) -> String {
    match t.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => format!("{}.{:09}", d.as_secs(), d.subsec_nanos()),
        Err(_) => "0".into(),
    }
}

pub(crate) fn write_if_changed(path: &Path, content: &[u8]) -> Result<bool, BuildError> {
    if std::fs::read(path).ok().as_deref() == Some(content) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(BuildError::io("creating", parent))?;
    }
    let tmp = path.with_extension("ipxebuild-tmp");
    std::fs::write(&tmp, content).map_err(BuildError::io("writing", &tmp))?;
    std::fs::rename(&tmp, path).map_err(BuildError::io("writing", path))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_with_mtimes_and_removes_only_its_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let from = dir.path().join("from");
        let to = dir.path().join("to");
        std::fs::create_dir_all(from.join("core")).unwrap();
        std::fs::create_dir_all(from.join("bin")).unwrap();
        std::fs::create_dir_all(from.join("config/local")).unwrap();
        std::fs::write(from.join("core/a.c"), "a").unwrap();
        std::fs::write(from.join("core/b.c"), "b").unwrap();
        std::fs::write(from.join("bin/old.o"), "user's object").unwrap();
        std::fs::write(from.join("config/local/general.h"), "#define X").unwrap();
        let cancel = AtomicBool::new(false);
        let s = sync_tree(&from, &to, &cancel).unwrap();
        assert_eq!((s.copied, s.removed), (2, 0));
        assert!(!to.join("bin/old.o").exists());
        assert!(!to.join("config/local/general.h").exists());
        let m = |p: &Path| std::fs::metadata(p).unwrap().modified().unwrap();
        assert_eq!(m(&from.join("core/a.c")), m(&to.join("core/a.c")));
        // A file make created in the copy survives; a deleted source goes.
        std::fs::write(to.join("core/made-by-make"), "x").unwrap();
        std::fs::remove_file(from.join("core/b.c")).unwrap();
        let s = sync_tree(&from, &to, &cancel).unwrap();
        assert_eq!((s.copied, s.unchanged, s.removed), (0, 1, 1));
        assert!(to.join("core/made-by-make").exists());
        assert!(!to.join("core/b.c").exists());
        // A file make touched in the copy keeps make's time.
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
        std::fs::File::options()
            .write(true)
            .open(to.join("core/a.c"))
            .unwrap()
            .set_modified(later)
            .unwrap();
        let s = sync_tree(&from, &to, &cancel).unwrap();
        assert_eq!(s.copied, 0);
        assert_eq!(m(&to.join("core/a.c")), later);
        // An edit is copied again.
        std::fs::write(from.join("core/a.c"), "aa").unwrap();
        let s = sync_tree(&from, &to, &cancel).unwrap();
        assert_eq!(s.copied, 1);
        assert_eq!(std::fs::read(to.join("core/a.c")).unwrap(), b"aa");
    }
}
