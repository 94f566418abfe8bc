//! Finding the iPXE scripts in a directory, the same way for every tool
//! (`ipxelint DIR`, `ipxefmt DIR`): `*.ipxe` files, and other files that
//! start with the script signature (`#!ipxe`, or gPXE's `#!gpxe`). Hidden
//! directories, `target` and `node_modules` are skipped. Symbolic links are
//! not followed (a link cycle could never end).

use std::io::Read;
use std::path::{Path, PathBuf};

/// A directory or one of its entries could not be read.
#[derive(Debug, thiserror::Error)]
#[error("reading directory {path}: {source}")]
pub struct FindError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// The scripts under `dir`, sorted by path.
pub fn scripts_in(dir: &Path) -> Result<Vec<PathBuf>, FindError> {
    let mut found = Vec::new();
    walk(dir, &mut found)?;
    found.sort();
    Ok(found)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), FindError> {
    let error = |source| FindError {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(error)? {
        let entry = entry.map_err(error)?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let kind = entry.file_type().map_err(error)?;
        if kind.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                walk(&path, found)?;
            }
        } else if kind.is_file() && (name.ends_with(".ipxe") || starts_with_signature(&path)) {
            found.push(path);
        }
    }
    Ok(())
}

/// Whether the file starts with `#!ipxe` or `#!gpxe`.
pub fn starts_with_signature(path: &Path) -> bool {
    let mut head = [0u8; 6];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && (&head == b"#!ipxe" || &head == b"#!gpxe")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_scripts_by_name_or_signature_and_skips_hidden_and_build_dirs() {
        let root = std::env::temp_dir().join(format!("ipxe-files-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let files: &[(&str, &[u8])] = &[
            ("a.ipxe", b"echo no signature needed\n"),
            ("boot.cfg", b"#!ipxe\necho by signature\n"),
            ("old.cfg", b"#!gpxe\necho gPXE\n"),
            ("readme.txt", b"#!ipx"),
            ("notes.md", b"# not a script\n"),
            ("sub/deeper/menu.ipxe", b"#!ipxe\n"),
            (".git/hook.ipxe", b"#!ipxe\n"),
            ("target/x.ipxe", b"#!ipxe\n"),
            ("node_modules/y.ipxe", b"#!ipxe\n"),
        ];
        for (name, content) in files {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, content).unwrap();
        }
        let found = scripts_in(&root).unwrap();
        let names: Vec<String> = found
            .iter()
            .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
            .collect();
        let missing = scripts_in(&root.join("missing")).unwrap_err();
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(
            names,
            ["a.ipxe", "boot.cfg", "old.cfg", "sub/deeper/menu.ipxe"]
        );
        assert!(
            missing.to_string().starts_with("reading directory "),
            "{missing}"
        );
    }
}
