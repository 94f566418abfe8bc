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
    /// The path `per-file-ignores` match: the file's, or `--stdin-filename`.
    pub config_path: Option<PathBuf>,
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
                config_path: stdin_name.map(PathBuf::from),
                src,
            });
        } else if path.is_dir() {
            for file in ipxe_files::scripts_in(path)? {
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
    let src =
        read_bytes(path, meta.len()).with_context(|| format!("reading {}", path.display()))?;
    Ok(Input {
        display: path.display().to_string(),
        path: Some(path.to_path_buf()),
        config_path: Some(path.to_path_buf()),
        src,
    })
}

/// Below this, a file is read by one thread.
const PARALLEL_READ: u64 = 8 << 20;

/// Reads a file; a big one by one thread per core, each filling its part of
/// the buffer, so the copy and the page faults of a 50 MB script are spread
/// over the cores instead of delaying the parallel lint that follows.
#[cfg(unix)]
fn read_bytes(path: &Path, len: u64) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if len < PARALLEL_READ || cores == 1 {
        return std::fs::read(path);
    }
    let file = std::fs::File::open(path)?;
    let mut src = vec![0u8; len as usize];
    let part = src.len().div_ceil(cores);
    let read = std::thread::scope(|scope| {
        let reads: Vec<_> = src
            .chunks_mut(part)
            .enumerate()
            .map(|(i, chunk)| {
                let file = &file;
                scope.spawn(move || file.read_exact_at(chunk, (i * part) as u64))
            })
            .collect();
        reads
            .into_iter()
            .try_for_each(|r| r.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    });
    match read {
        // The file shrank or grew while it was read: read it again as a whole.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => std::fs::read(path),
        Err(e) => Err(e),
        Ok(()) if file.read_at(&mut [0u8], len)? != 0 => std::fs::read(path),
        Ok(()) => Ok(src),
    }
}

#[cfg(not(unix))]
fn read_bytes(path: &Path, _len: u64) -> std::io::Result<Vec<u8>> {
    std::fs::read(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_files_read_in_parts_are_whole() {
        let dir = std::env::temp_dir().join(format!("ipxelint-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.ipxe");
        // Not a multiple of any part size, and different in every part.
        let src: Vec<u8> = (0..PARALLEL_READ as usize + 12_345)
            .map(|i| (i % 251) as u8)
            .collect();
        std::fs::write(&path, &src).unwrap();
        let read = read_bytes(&path, src.len() as u64).unwrap();
        // The length it was told is stale: the file is read again whole.
        let longer = read_bytes(&path, src.len() as u64 - 10).unwrap();
        let shorter = read_bytes(&path, src.len() as u64 + 10).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(read == src, "parallel read differs");
        assert!(longer == src, "grown file not read whole");
        assert!(shorter == src, "shrunk file not read whole");
    }
}
