//! `.ipxelint.toml`: project settings, found by searching from a file's
//! directory upward. `ipxelint` and the language server find it, and match
//! `per-file-ignores`, with the same functions here, so both always agree.
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
    /// A value no rule or build answers to (a typo would silently do nothing).
    #[error("{0}")]
    Invalid(String),
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
        let absolute = absolute_path(path);
        config.root = absolute.parent().unwrap_or(&absolute).to_path_buf();
        config.check_names(path)?;
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

    /// Rejects rule codes and targets that name nothing, naming the nearest valid one.
    fn check_names(&self, path: &Path) -> Result<(), ConfigError> {
        let invalid = |key: &str, e: UnknownCode| {
            ConfigError::Invalid(e.describe(&format!("{} ({key})", path.display())))
        };
        for (key, list) in [("select", &self.select), ("ignore", &self.ignore)] {
            for selector in list {
                check_selector(selector).map_err(|e| invalid(key, e))?;
            }
        }
        let mut codes: Vec<&String> = self.severity.keys().collect();
        codes.sort();
        for code in codes {
            check_code(code).map_err(|e| invalid("severity", e))?;
        }
        let mut patterns: Vec<(&String, &Vec<String>)> = self.per_file_ignores.iter().collect();
        patterns.sort();
        for (pattern, list) in patterns {
            for selector in list {
                check_selector(selector)
                    .map_err(|e| invalid(&format!("per-file-ignores \"{pattern}\""), e))?;
            }
        }
        for target in &self.target {
            ipxe_semantics::BuildProfile::from_target(target)
                .map_err(|e| ConfigError::Invalid(format!("{} (target): {e}", path.display())))?;
        }
        Ok(())
    }

    /// Codes ignored for `file` by `per-file-ignores`: glob patterns matched
    /// against the file's path relative to the config's directory, whatever
    /// the working directory and however the path was written.
    pub fn ignores_for(&self, file: &Path) -> Vec<String> {
        if self.per_file_ignores.is_empty() {
            return Vec::new();
        }
        let file = absolute_path(file);
        let relative = file.strip_prefix(&self.root).unwrap_or(&file);
        let relative = relative.to_string_lossy().replace('\\', "/");
        self.per_file_ignores
            .iter()
            .filter(|(pattern, _)| glob_match(pattern, &relative))
            .flat_map(|(_, codes)| codes.iter().cloned())
            .collect()
    }
}

/// Searches the folder of `start` (a file, or a folder itself) and its
/// ancestors for `.ipxelint.toml`. `start` may be relative (`boot.ipxe`) or
/// not exist yet (a `--stdin-filename`).
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let start = absolute_path(start);
    let dir = if start.is_dir() {
        start.as_path()
    } else {
        start.parent()?
    };
    dir.ancestors()
        .map(|d| d.join(CONFIG_FILE))
        .find(|p| p.is_file())
}

/// `path` made absolute against the working directory, with symbolic links
/// and `..` resolved as far as it exists, so `boot.ipxe`, `./boot.ipxe` and
/// an editor's `/home/me/boot.ipxe` all come out the same.
pub fn absolute_path(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = path.as_path();
    let mut missing = Vec::new();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return missing.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return path,
        }
    }
}

/// A rule code or prefix that names no rule, and the nearest one that does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    pub code: String,
    pub suggestion: Option<String>,
}

impl UnknownCode {
    /// The message for a user, saying where the code was written
    /// (`--select`, or `.ipxelint.toml (ignore)`).
    pub fn describe(&self, place: &str) -> String {
        let what = if self.code.len() < CODE_LEN && !self.code.is_empty() {
            "no rule has the prefix"
        } else {
            "unknown rule code"
        };
        match &self.suggestion {
            Some(close) => format!("{what} {} in {place}; did you mean {close}?", self.code),
            None => format!("{what} {} in {place} (see --list-rules)", self.code),
        }
    }
}

/// `IPX201`: the length of every rule code.
const CODE_LEN: usize = 6;

/// Codes of rules that live outside this crate (the DHCP configuration rules)
/// but share the command line and `.ipxelint.toml`; set once by the front end.
static EXTERNAL_CODES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();

/// Makes `select`, `ignore`, `[severity]` and `per-file-ignores` accept the
/// codes of rules that other crates run. Only the first call counts.
pub fn register_external_codes(codes: impl IntoIterator<Item = &'static str>) {
    let _ = EXTERNAL_CODES.set(codes.into_iter().collect());
}

/// Every rule code a selector may name.
fn all_codes() -> impl Iterator<Item = &'static str> {
    crate::RULE_ENTRIES
        .iter()
        .map(|r| r.rule.code)
        .chain(EXTERNAL_CODES.get().into_iter().flatten().copied())
}

/// Checks a selector of `select`, `ignore` and `per-file-ignores`: a whole
/// code, a prefix of some codes (`IPX2`), or `ALL`.
pub fn check_selector(selector: &str) -> Result<(), UnknownCode> {
    let upper = selector.to_ascii_uppercase();
    let matches =
        upper == "ALL" || (!upper.is_empty() && all_codes().any(|code| code.starts_with(&upper)));
    if matches {
        return Ok(());
    }
    let mut candidates: Vec<&str> = vec!["ALL"];
    for code in all_codes() {
        candidates.extend((3..=code.len()).map(|n| &code[..n]));
    }
    candidates.sort_unstable();
    candidates.dedup();
    Err(unknown(selector, &upper, candidates))
}

/// Checks a whole rule code (a `[severity]` key).
pub fn check_code(code: &str) -> Result<(), UnknownCode> {
    let upper = code.to_ascii_uppercase();
    if all_codes().any(|known| known == upper) {
        return Ok(());
    }
    Err(unknown(code, &upper, all_codes().collect()))
}

/// Suggests the nearest candidate, or the code of a rule written by name.
fn unknown(written: &str, upper: &str, candidates: Vec<&str>) -> UnknownCode {
    let suggestion = match crate::rule(written) {
        Some(r) => Some(format!("{} ({})", r.rule.code, r.rule.name)),
        // A code or prefix of the same length first: `IPX20l` is `IPX201`, not `IPX20`.
        None => crate::util::suggest(
            upper,
            candidates
                .iter()
                .copied()
                .filter(|c| c.len() == upper.len()),
        )
        .or_else(|| crate::util::suggest(upper, candidates))
        .map(str::to_string),
    };
    UnknownCode {
        code: written.to_string(),
        suggestion,
    }
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
    fn names_that_match_nothing_are_errors() {
        for (name, text, expected) in [
            (
                "select",
                "select = [\"IPX3O5\"]\n",
                "unknown rule code IPX3O5 in ",
            ),
            (
                "ignore",
                "ignore = [\"IPX8\"]\n",
                "no rule has the prefix IPX8 in ",
            ),
            (
                "severity",
                "[severity]\nIPX2O1 = \"error\"\n",
                "(severity); did you mean IPX201?",
            ),
            (
                "pfi",
                "[per-file-ignores]\n\"a/*.ipxe\" = [\"IPX999\"]\n",
                "(per-file-ignores \"a/*.ipxe\")",
            ),
            (
                "target",
                "target = [\"bin/undionly.kpx\"]\n",
                "(target): unknown build target `bin/undionly.kpx`",
            ),
        ] {
            let e = load_text(name, text).unwrap_err().to_string();
            assert!(e.contains(expected), "{name}: {e}");
            assert!(e.contains(CONFIG_FILE), "{name} names the file: {e}");
        }
        let e = load_text("select-ok", "select = [\"IPX3O5\"]\n")
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("(select); did you mean IPX305?"), "{e}");
        let ok =
            "select = [\"ipx2\", \"ALL\"]\nignore = [\"IPX201\"]\n[severity]\nipx401 = \"error\"\n";
        assert!(load_text("valid", ok).is_ok());
    }

    #[test]
    fn rule_names_suggest_their_code() {
        let e = check_selector("undefined-label").unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("IPX201 (undefined-label)"));
        assert!(check_selector("").is_err());
        assert_eq!(check_code("IPX2").unwrap_err().code, "IPX2");
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
