//! `.ipxelint.toml`: project settings, found by searching from a file's
//! directory upward.
//!
//! ```toml
//! select = ["IPX"]            # codes or prefixes to enable (default: all)
//! ignore = ["IPX203"]         # codes or prefixes to disable
//! target = ["bin/undionly.kpxe"]
//! config = "ipxe/src/config/local"   # relative to this file
//! fail-on = "warning"
//! [severity]
//! IPX401 = "error"
//! [per-file-ignores]
//! "menus/*.ipxe" = ["IPX201"]
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ipxe_diagnostics::Severity;
use serde::Deserialize;

pub const CONFIG_FILE: &str = ".ipxelint.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("reading {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub target: Vec<String>,
    pub config: Option<PathBuf>,
    pub fail_on: Option<String>,
    #[serde(default)]
    pub severity: HashMap<String, String>,
    #[serde(default)]
    pub per_file_ignores: HashMap<String, Vec<String>>,
    /// The directory the file was found in (paths are relative to it).
    #[serde(skip)]
    pub root: PathBuf,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        let mut config: Config = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.into(),
            message: e.to_string(),
        })?;
        config.root = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        for (code, severity) in &config.severity {
            if Severity::parse(severity).is_none() {
                return Err(ConfigError::Parse {
                    path: path.into(),
                    message: format!(
                        "severity of {code}: expected info, warning or error, found `{severity}`"
                    ),
                });
            }
        }
        Ok(config)
    }

    pub fn severity_overrides(&self) -> HashMap<String, Severity> {
        self.severity
            .iter()
            .filter_map(|(c, s)| Some((c.to_uppercase(), Severity::parse(s)?)))
            .collect()
    }

    /// Codes ignored for `file` by `per-file-ignores` (glob patterns relative to the config's directory).
    pub fn ignores_for(&self, file: &Path) -> Vec<String> {
        let relative = file.strip_prefix(&self.root).unwrap_or(file);
        let relative = relative.to_string_lossy().replace('\\', "/");
        let relative = relative.trim_start_matches("./");
        self.per_file_ignores
            .iter()
            .filter(|(pattern, _)| glob_match(pattern, relative))
            .flat_map(|(_, codes)| codes.iter().cloned())
            .collect()
    }
}

/// Searches `start` and its ancestors for `.ipxelint.toml`.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let start = if start.is_file() {
        start.parent()?
    } else {
        start
    };
    let start = start.canonicalize().ok()?;
    start
        .ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

/// `*` matches within a path segment, `**` across segments, `?` one character.
fn glob_match(pattern: &str, text: &str) -> bool {
    fn go(p: &[u8], t: &[u8]) -> bool {
        match (p.first(), t.first()) {
            (None, None) => true,
            (Some(b'*'), _) if p.get(1) == Some(&b'*') => {
                let rest = p[2..].strip_prefix(b"/").unwrap_or(&p[2..]);
                (0..=t.len()).any(|i| go(rest, &t[i..]))
            }
            (Some(b'*'), _) => (0..=t.len())
                .take_while(|&i| i == 0 || t[i - 1] != b'/')
                .any(|i| go(&p[1..], &t[i..])),
            (Some(b'?'), Some(&c)) if c != b'/' => go(&p[1..], &t[1..]),
            (Some(&a), Some(&b)) if a == b => go(&p[1..], &t[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("menus/*.ipxe", "menus/a.ipxe"));
        assert!(!glob_match("menus/*.ipxe", "menus/x/a.ipxe"));
        assert!(glob_match("**/*.ipxe", "menus/x/a.ipxe"));
        assert!(glob_match("a?.ipxe", "ab.ipxe"));
    }
}
