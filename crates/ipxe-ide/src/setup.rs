//! Which rules run against which build, from `.ipxelint.toml` and the
//! editor's settings, as `ipxelint` decides it.

use std::path::{Path, PathBuf};

use ipxe_diagnostics::Diagnostic;
use ipxe_fmt::FormatOptions;
use ipxe_lint::{Config, LintOptions, SourceInput, find_config, lint_files};
use ipxe_semantics::{BuildProfile, ProfileError};

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Config(#[from] ipxe_lint::ConfigError),
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Format(#[from] ipxe_fmt::ConfigError),
}

/// Lint and format settings for one file.
#[derive(Clone, Debug, Default)]
pub struct LintSetup {
    pub options: LintOptions,
    pub config: Option<Config>,
    pub format: FormatOptions,
    /// Where the file is (for per-file ignores).
    pub path: Option<PathBuf>,
}

impl LintSetup {
    /// Settings for `path`: the nearest `.ipxelint.toml` (and `.ipxefmt.toml`),
    /// then the editor's overrides (`targets` and `config_dir` win over the file's).
    pub fn for_path(
        path: Option<&Path>,
        targets: &[String],
        config_dir: Option<&Path>,
        indent: Option<usize>,
    ) -> Result<LintSetup, SetupError> {
        let config = match path.and_then(find_config) {
            Some(p) => Some(Config::load(&p)?),
            None => None,
        };
        let mut options = LintOptions::default();
        if let Some(c) = &config {
            options.select = c.select.clone();
            options.ignore = c.ignore.clone();
            options.severity_overrides = c.severity_overrides();
        }
        let targets: Vec<String> = if !targets.is_empty() {
            targets.to_vec()
        } else {
            config
                .as_ref()
                .map(|c| c.target.clone())
                .unwrap_or_default()
        };
        if !targets.is_empty() {
            options.profiles = targets
                .iter()
                .map(|t| BuildProfile::from_target(t))
                .collect::<Result<_, _>>()?;
            options.explicit_target = true;
        }
        let dir = config_dir.map(Path::to_path_buf).or_else(|| {
            config
                .as_ref()
                .and_then(|c| c.config.as_ref().map(|d| c.root.join(d)))
        });
        if let Some(dir) = dir {
            for p in &mut options.profiles {
                p.apply_config_dir(&dir)?;
            }
            options.explicit_target = true;
        }
        let mut format = match path.and_then(FormatOptions::find) {
            Some(p) => FormatOptions::load(&p)?,
            None => FormatOptions::default(),
        };
        if let Some(indent) = indent {
            format.indent = indent;
        }
        Ok(LintSetup {
            options,
            config,
            format,
            path: path.map(Path::to_path_buf),
        })
    }
}

/// Exactly what `ipxelint` reports for this file.
pub fn diagnostics(display: &str, src: &[u8], setup: &LintSetup) -> Vec<Diagnostic> {
    let ignore = match (&setup.config, &setup.path) {
        (Some(c), Some(p)) => c.ignores_for(p),
        _ => Vec::new(),
    };
    let input = SourceInput {
        path: display.to_string(),
        src,
        ignore,
    };
    lint_files(&[input], &setup.options).remove(0)
}
