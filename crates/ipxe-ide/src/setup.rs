//! Which rules run against which build, from `.ipxelint.toml` and the
//! editor's settings, as `ipxelint` decides it.

use std::path::{Path, PathBuf};

use ipxe_diagnostics::Diagnostic;
use ipxe_fmt::FormatOptions;
use ipxe_lint::{
    Config, LintCache, LintOptions, OptionOverrides, SourceInput, find_config, lint_files,
    lint_files_cached,
};
use ipxe_semantics::ProfileError;

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
        // A project's .ipxelint.toml may name the DHCP rules too, as for the CLI.
        ipxe_lint::register_external_codes(
            ipxe_dhcp_lint::rules()
                .into_iter()
                .map(|entry| entry.rule.code),
        );
        let config = match path.and_then(find_config) {
            Some(p) => Some(Config::load(&p)?),
            None => None,
        };
        let overrides = OptionOverrides {
            targets: targets.to_vec(),
            config_dir: config_dir.map(Path::to_path_buf),
            ..OptionOverrides::default()
        };
        let options = LintOptions::resolve(config.as_ref(), &overrides)?;
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
    lint_files(&[setup.input(display, src)], &setup.options).remove(0)
}

/// [`diagnostics`] for a document linted again after each edit: the parts
/// that did not change are taken from `cache`.
pub fn diagnostics_cached(
    display: &str,
    src: &[u8],
    setup: &LintSetup,
    cache: &mut LintCache,
) -> Vec<Diagnostic> {
    lint_files_cached(&[setup.input(display, src)], &setup.options, cache).remove(0)
}

impl LintSetup {
    fn input<'a>(&self, display: &str, src: &'a [u8]) -> SourceInput<'a> {
        let ignore = match (&self.config, &self.path) {
            (Some(c), Some(p)) => c.ignores_for(p),
            _ => Vec::new(),
        };
        SourceInput {
            path: display.to_string(),
            src,
            ignore,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The editor finds `.ipxelint.toml` and matches `per-file-ignores` with
    /// the same functions as `ipxelint`, however the path is spelled.
    #[test]
    fn editor_uses_the_command_lines_config_matching() {
        let dir = std::env::temp_dir().join(format!("ipxe-ide-setup-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(
            dir.join(".ipxelint.toml"),
            "[per-file-ignores]\n\"sub/skip.ipxe\" = [\"IPX201\"]\n",
        )
        .unwrap();
        let src = b"#!ipxe\ngoto nowhere\n";
        let codes = |path: &Path| {
            let setup = LintSetup::for_path(Some(path), &[], None, None).unwrap();
            diagnostics("skip.ipxe", src, &setup)
                .iter()
                .map(|d| d.code)
                .collect::<Vec<_>>()
        };
        let skipped = codes(&dir.join("sub/skip.ipxe"));
        let dotted = codes(&dir.join("sub/../sub/skip.ipxe"));
        let other = codes(&dir.join("sub/other.ipxe"));
        std::fs::write(dir.join(".ipxelint.toml"), "select = [\"IPX2O1\"]\n").unwrap();
        let typo = LintSetup::for_path(Some(&dir.join("a.ipxe")), &[], None, None)
            .unwrap_err()
            .to_string();
        let _ = std::fs::remove_dir_all(&dir);
        assert!(!skipped.contains(&"IPX201"), "{skipped:?}");
        assert!(!dotted.contains(&"IPX201"), "{dotted:?}");
        assert!(other.contains(&"IPX201"), "{other:?}");
        assert!(typo.contains("did you mean IPX201?"), "{typo}");
    }
}
