//! Helpers shared by the workspace's tests.
//!
//! The real-world corpus lives outside the repository (`../shared/corpus` next
//! to the checkout, in CI too) and is read in place, never copied in.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

/// The real-world corpus: `$IPXE_SHARED_CORPUS`, else `../shared/corpus` beside
/// the checkout. Panics with a loud message when it is missing, so a test that
/// needs it can never pass by skipping.
pub fn shared_corpus_dir() -> PathBuf {
    let dir = match std::env::var_os("IPXE_SHARED_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => repo_root().join("../shared/corpus"),
    };
    assert!(
        dir.join("MANIFEST.tsv").is_file(),
        "the real-world corpus is missing: expected {} (set IPXE_SHARED_CORPUS to its path)",
        dir.display()
    );
    dir
}

/// Every `.ipxe` file under `dir`, sorted, as (path relative to `dir`, bytes).
pub fn ipxe_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    collect(dir, dir, &mut out);
    out.sort();
    out
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "ipxe") {
            let bytes =
                std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .into_owned();
            out.push((rel, bytes));
        }
    }
}

/// The real-world corpus files.
pub fn shared_corpus() -> Vec<(String, Vec<u8>)> {
    let files = ipxe_files(&shared_corpus_dir());
    assert!(
        files.len() > 300,
        "expected the full corpus (300+ scripts), found {}",
        files.len()
    );
    files
}

/// Our own corpus and examples in this repository.
pub fn own_scripts() -> Vec<(String, Vec<u8>)> {
    let root = repo_root();
    let mut files = Vec::new();
    for dir in ["corpus", "examples"] {
        for (rel, bytes) in ipxe_files(&root.join(dir)) {
            files.push((format!("{dir}/{rel}"), bytes));
        }
    }
    files
}
