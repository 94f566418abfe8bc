//! A conformance case and its directives (comment lines iPXE ignores).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use ipxe_sim::conformance::{Directives, directives};

pub struct Case {
    pub path: PathBuf,
    pub name: String,
    pub directives: Directives,
}

impl Case {
    pub fn load(path: &Path) -> Result<Case> {
        let src = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        Ok(Case {
            path: path.to_path_buf(),
            name: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            directives: directives(&src),
        })
    }
}

pub fn list(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ipxe"))
        .collect();
    v.sort();
    Ok(v)
}

pub fn trace_path(case: &Path) -> PathBuf {
    case.with_extension("trace.json")
}
