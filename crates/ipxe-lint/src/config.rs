//! `.ipxelint.toml`: project settings, found by searching from a file's
//! directory upward.
//!
//! ```toml
//! select = ["IPX"]            # codes or prefixes to enable (default: all)
//! ignore = ["IPX203"]         # codes or prefixes to disable
//! target = ["bin/undionly.kpxe"]
//! config = "ipxe/src/config/local"   # relative to this file
//! fail-on = "warning"
//! url-jobs = 64               # --check-urls: probes in flight in all
//! url-jobs-per-host = 16      # --check-urls: probes in flight to one host
//! url-timeout = 10            # --check-urls: seconds per request
//! [severity]
//! IPX401 = "error"
//! [per-file-ignores]
//! "menus/*.ipxe" = ["IPX201"]
//! ```

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
    /// `--url-jobs`: URL probes in flight in all (at least 1).
    pub url_jobs: Option<usize>,
    /// `--url-jobs-per-host`: URL probes in flight to one host (at least 1).
    pub url_jobs_per_host: Option<usize>,
    /// `--url-timeout`: seconds per URL request (more than 0).
    pub url_timeout: Option<f64>,
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
        for (key, value) in [
            ("url-jobs", config.url_jobs),
            ("url-jobs-per-host", config.url_jobs_per_host),
        ] {
            if value == Some(0) {
                return Err(ConfigError::Parse {
                    path: path.into(),
                    message: format!("{key}: expected at least 1, found 0"),
                });
            }
        }
        if let Some(secs) = config.url_timeout
            && !(secs > 0.0 && Duration::try_from_secs_f64(secs).is_ok())
        {
            return Err(ConfigError::Parse {
                path: path.into(),
                message: format!("url-timeout: expected a number of seconds above 0, found {secs}"),
            });
        }
        Ok(config)
    }

    /// `url-timeout` as a duration (checked when the file was loaded).
    pub fn url_timeout(&self) -> Option<Duration> {
        self.url_timeout
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
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

    fn load_text(name: &str, text: &str) -> Result<Config, ConfigError> {
        let dir =
            std::env::temp_dir().join(format!("ipxe-lint-config-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(CONFIG_FILE);
        std::fs::write(&path, text).unwrap();
        let result = Config::load(&path);
        let _ = std::fs::remove_dir_all(&dir);
        result
    }

    #[test]
    fn url_check_keys() {
        let c = load_text(
            "url-ok",
            "url-jobs = 8\nurl-jobs-per-host = 2\nurl-timeout = 2.5\n",
        )
        .unwrap();
        assert_eq!((c.url_jobs, c.url_jobs_per_host), (Some(8), Some(2)));
        assert_eq!(c.url_timeout(), Some(Duration::from_millis(2500)));
        let c = load_text("url-int", "url-timeout = 3\n").unwrap();
        assert_eq!(c.url_timeout(), Some(Duration::from_secs(3)));
        for (name, text, key) in [
            ("url-jobs0", "url-jobs = 0\n", "url-jobs:"),
            ("url-host0", "url-jobs-per-host = 0\n", "url-jobs-per-host:"),
            ("url-time0", "url-timeout = 0\n", "url-timeout:"),
            ("url-neg", "url-timeout = -1.5\n", "url-timeout:"),
        ] {
            let e = load_text(name, text).unwrap_err().to_string();
            assert!(e.contains(key), "{e}");
        }
    }
}
