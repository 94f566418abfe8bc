//! Finding and checking an iPXE source tree, and where the build copy lives.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::BuildError;

/// An iPXE checkout (or export).
#[derive(Clone, Debug)]
pub struct Tree {
    /// The repository root (the parent of `src/`).
    pub root: PathBuf,
    /// `src/`, where make runs.
    pub src: PathBuf,
    /// `git rev-parse HEAD` when the root is a git work tree.
    pub commit: Option<String>,
}

/// Files every iPXE `src/` folder has and that the builder relies on.
const REQUIRED: &[&str] = &["Makefile", "Makefile.housekeeping", "config/general.h"];

impl Tree {
    /// Accepts the repository root or its `src/` folder.
    pub fn locate(path: &Path) -> Result<Tree, BuildError> {
        let path = path.canonicalize().map_err(|_| BuildError::NotIpxeTree {
            path: path.to_path_buf(),
            missing: "the folder itself".into(),
        })?;
        let src = if path.join("src/Makefile.housekeeping").is_file() {
            path.join("src")
        } else {
            path.clone()
        };
        for file in REQUIRED {
            if !src.join(file).is_file() {
                return Err(BuildError::NotIpxeTree {
                    path,
                    missing: format!("src/{file}"),
                });
            }
        }
        let root = src.parent().unwrap_or(&src).to_path_buf();
        let commit = git_commit(&root);
        Ok(Tree { root, src, commit })
    }

    /// The `config/*.h` header names (`general.h`, `console.h`, …): the
    /// headers iPXE's Makefile creates `config/local/` files for.
    pub fn config_headers(&self) -> Result<Vec<String>, BuildError> {
        let dir = self.src.join("config");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .map_err(BuildError::io("reading", &dir))?
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| n.ends_with(".h"))
            .collect();
        names.sort();
        Ok(names)
    }

    /// The first `config/*.h` header that mentions `name` in a `#define`,
    /// `#undef` or commented-out `//#define` line (`general.h` first).
    pub fn header_mentioning(&self, name: &str) -> Result<Option<String>, BuildError> {
        let mut headers = self.config_headers()?;
        headers.sort_by_key(|h| h != "general.h");
        for header in headers {
            let path = self.src.join("config").join(&header);
            let text = std::fs::read(&path).map_err(BuildError::io("reading", &path))?;
            let text = String::from_utf8_lossy(&text);
            let found = text.lines().any(|line| {
                let line = line.trim_start().trim_start_matches("//").trim_start();
                let mut words = line.split_whitespace();
                matches!(words.next(), Some("#define" | "#undef"))
                    && words.next().map(|w| w.split('(').next().unwrap_or(w)) == Some(name)
            });
            if found {
                return Ok(Some(header));
            }
        }
        Ok(None)
    }
}

fn git_commit(root: &Path) -> Option<String> {
    if !root.join(".git").exists() {
        return None;
    }
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "HEAD"])
        .output()
        .ok()?;
    let commit = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && commit.len() == 40).then_some(commit)
}

/// The default build folder for a tree: `$XDG_CACHE_HOME/ipxebuild/<hash>`
/// (or `~/.cache/…`), one per source tree so incremental builds survive.
pub fn default_build_dir(tree: &Tree) -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    let hash = crate::sha256::sha256_hex(tree.src.to_string_lossy().as_bytes());
    base.join("ipxebuild").join(&hash[..16])
}

/// Characters iPXE's Makefile passes through unharmed in `EMBED=`, `TRUST=`,
/// `CERT=` and `PRIVKEY=` paths: they are split on commas and spaces, used as
/// make prerequisites (so no `:`, `#`, `%`, `$`) and put inside a C string.
pub fn check_make_path(what: &'static str, path: &Path) -> Result<(), BuildError> {
    let text = path.to_str().ok_or_else(|| BuildError::UnusablePath {
        what,
        path: path.to_path_buf(),
        why: "it is not valid UTF-8".into(),
    })?;
    if let Some(bad) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "/._-+@~=".contains(*c)))
    {
        let name = match bad {
            ' ' => "a space".to_string(),
            ',' => "a comma".to_string(),
            c => format!("`{c}`"),
        };
        return Err(BuildError::UnusablePath {
            what,
            path: path.to_path_buf(),
            why: format!(
                "it contains {name}, and the Makefile splits these lists on commas and spaces and uses each path as a make prerequisite and inside a C string"
            ),
        });
    }
    Ok(())
}
