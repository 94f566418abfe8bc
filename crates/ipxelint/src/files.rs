//! Finding and reading the scripts to lint.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// One script: where it came from and its bytes.
pub struct Input {
    /// The path as shown in messages.
    pub display: String,
    /// The file on disk (`None` for standard input).
    pub path: Option<PathBuf>,
    pub src: Vec<u8>,
}

/// Offsets are 32-bit; larger inputs are refused up front.
const MAX_INPUT: u64 = u32::MAX as u64;

pub fn collect_inputs(paths: &[PathBuf], stdin_name: Option<&str>) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            let mut src = Vec::new();
            std::io::stdin()
                .lock()
                .take(MAX_INPUT + 1)
                .read_to_end(&mut src)
                .context("reading standard input")?;
            if src.len() as u64 > MAX_INPUT {
                bail!("standard input is larger than 4 GiB");
            }
            inputs.push(Input {
                display: stdin_name.unwrap_or("<stdin>").to_string(),
                path: None,
                src,
            });
        } else if path.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            for file in found {
                inputs.push(read(&file)?);
            }
        } else {
            inputs.push(read(path)?);
        }
    }
    Ok(inputs)
}

fn read(path: &Path) -> Result<Input> {
    let meta = std::fs::metadata(path).with_context(|| format!("{}", path.display()))?;
    if meta.len() > MAX_INPUT {
        bail!("{}: larger than 4 GiB", path.display());
    }
    let src = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Input {
        display: path.display().to_string(),
        path: Some(path.to_path_buf()),
        src,
    })
}

/// `*.ipxe` files, and other files that start with the script signature.
/// Hidden directories and `target` are skipped.
fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    for entry in
        std::fs::read_dir(dir).with_context(|| format!("reading directory {}", dir.display()))?
    {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let kind = entry.file_type()?;
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

fn starts_with_signature(path: &Path) -> bool {
    let mut head = [0u8; 6];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && (&head == b"#!ipxe" || &head == b"#!gpxe")
}
