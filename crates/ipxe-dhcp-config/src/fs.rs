//! The files a configuration includes, behind a trait so that tests, fuzzing
//! and editors can read from memory.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

pub trait FileSystem {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// The names of a directory's entries.
    fn list(&self, dir: &Path) -> io::Result<Vec<String>>;
    fn is_file(&self, path: &Path) -> bool;
    /// What makes two paths the same file (dnsmasq compares device and
    /// inode; the canonical path is the portable equivalent).
    fn identity(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }
}

/// The real file system.
pub struct RealFs;

impl FileSystem for RealFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<String>> {
        std::fs::read_dir(dir)?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect()
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn identity(&self, path: &Path) -> PathBuf {
        path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
    }
}

/// No files at all: every include is a problem.
pub struct NoFiles;

impl FileSystem for NoFiles {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{} (no file system given)", path.display()),
        ))
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<String>> {
        self.read(dir).map(|_| Vec::new())
    }

    fn is_file(&self, _: &Path) -> bool {
        false
    }
}

/// Files held in memory, by path.
#[derive(Default)]
pub struct MemFs {
    pub files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemFs {
    pub fn with(mut self, path: &str, text: &str) -> Self {
        self.files
            .insert(PathBuf::from(path), text.as_bytes().to_vec());
        self
    }
}

impl FileSystem for MemFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<String>> {
        let names: Vec<String> = self
            .files
            .keys()
            .filter(|p| p.parent() == Some(dir))
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect();
        if names.is_empty() {
            Err(io::Error::new(io::ErrorKind::NotFound, "no such directory"))
        } else {
            Ok(names)
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }
}
