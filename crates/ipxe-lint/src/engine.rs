//! Runs the rules over a set of files.

use std::collections::HashMap;

use ipxe_diagnostics::{Diagnostic, Severity, Span};
use ipxe_semantics::{BuildProfile, FileModel, ModelBuilder};
use ipxe_syntax::{Lines, SyntaxError, check_signature, line_errors};

use crate::rule::{Check, FileCx, LineCx, LineEndingStats, ProjectFacts, Sink};
use crate::suppress::{Directive, DirectiveCollector};
use crate::{RULE_ENTRIES, RuleEntry};

/// Which rules run and against which build.
#[derive(Clone, Debug)]
pub struct LintOptions {
    /// Codes or prefixes to enable; empty means all.
    pub select: Vec<String>,
    /// Codes or prefixes to disable.
    pub ignore: Vec<String>,
    /// The builds the scripts must work on.
    pub profiles: Vec<BuildProfile>,
    /// The user named the build (so missing features are errors, not warnings).
    pub explicit_target: bool,
    pub severity_overrides: HashMap<String, Severity>,
}

impl Default for LintOptions {
    fn default() -> Self {
        LintOptions {
            select: Vec::new(),
            ignore: Vec::new(),
            profiles: BuildProfile::default_pair(),
            explicit_target: false,
            severity_overrides: HashMap::new(),
        }
    }
}

/// Settings given on the command line or by an editor, which win over the config file's.
#[derive(Clone, Debug, Default)]
pub struct OptionOverrides {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub targets: Vec<String>,
    pub config_dir: Option<std::path::PathBuf>,
}

impl LintOptions {
    /// The options for a run: the config file's settings, then the overrides.
    /// `ipxelint` and the language server both decide them here, so an editor
    /// shows exactly what the command line reports.
    pub fn resolve(
        config: Option<&crate::Config>,
        overrides: &OptionOverrides,
    ) -> Result<LintOptions, ipxe_semantics::ProfileError> {
        let mut options = LintOptions::default();
        if let Some(config) = config {
            options.select = config.select.clone();
            options.ignore = config.ignore.clone();
            options.severity_overrides = config.severity_overrides();
        }
        if !overrides.select.is_empty() {
            options.select = overrides.select.clone();
        }
        options.ignore.extend(overrides.ignore.iter().cloned());
        let targets = match (&overrides.targets, config) {
            (t, _) if !t.is_empty() => t.clone(),
            (_, Some(config)) => config.target.clone(),
            (_, None) => Vec::new(),
        };
        if !targets.is_empty() {
            options.profiles = targets
                .iter()
                .map(|t| BuildProfile::from_target(t))
                .collect::<Result<_, _>>()?;
            options.explicit_target = true;
        }
        let config_dir = overrides
            .config_dir
            .clone()
            .or_else(|| config.and_then(|c| c.config.as_ref().map(|d| c.root.join(d))));
        if let Some(dir) = config_dir {
            for profile in &mut options.profiles {
                profile.apply_config_dir(&dir)?;
            }
            options.explicit_target = true;
        }
        Ok(options)
    }

    /// Whether a rule runs: the most specific matching prefix wins, as in ruff.
    pub fn enabled(&self, code: &str) -> bool {
        let best = |list: &[String]| {
            list.iter()
                .filter(|p| {
                    p.eq_ignore_ascii_case("all")
                        || code.to_uppercase().starts_with(&p.to_uppercase())
                })
                .map(|p| {
                    if p.eq_ignore_ascii_case("all") {
                        0
                    } else {
                        p.len()
                    }
                })
                .max()
        };
        let selected = if self.select.is_empty() {
            Some(0)
        } else {
            best(&self.select)
        };
        match (selected, best(&self.ignore)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }
}

/// One file to lint.
pub struct SourceInput<'a> {
    pub path: String,
    pub src: &'a [u8],
    /// Extra codes to ignore for this file (per-file ignores from the config).
    pub ignore: Vec<String>,
}

struct FileState {
    model: FileModel,
    syntax_errors: Vec<SyntaxError>,
    diagnostics: Vec<Diagnostic>,
    directives: Vec<Directive>,
    stats: LineEndingStats,
}

/// Lints one file on its own.
pub fn lint_source(path: &str, src: &[u8], options: &LintOptions) -> Vec<Diagnostic> {
    lint_files(
        &[SourceInput {
            path: path.to_string(),
            src,
            ignore: Vec::new(),
        }],
        options,
    )
    .remove(0)
}

/// Lints files together: labels stay per file, settings written by any of
/// them count as set (chained scripts share the settings tree).
pub fn lint_files(inputs: &[SourceInput<'_>], options: &LintOptions) -> Vec<Vec<Diagnostic>> {
    let enabled: Vec<&RuleEntry> = RULE_ENTRIES
        .iter()
        .filter(|r| options.enabled(r.rule.code))
        .collect();
    let line_rules: Vec<_> = enabled
        .iter()
        .filter_map(|r| match r.rule.check {
            Check::Line(f) => Some(f),
            _ => None,
        })
        .collect();
    let states: Vec<FileState> = inputs
        .iter()
        .map(|input| first_pass(input, options, &line_rules))
        .collect();

    let mut project = ProjectFacts::default();
    for (input, state) in inputs.iter().zip(&states) {
        let labels = state
            .model
            .labels
            .iter()
            .map(|l| state.model.names.resolve(l.name).to_vec())
            .collect();
        project.labels.insert(input.path.clone(), labels);
        project.written.extend(
            state
                .model
                .writes
                .keys()
                .map(|s| state.model.names.resolve(*s).to_vec()),
        );
    }

    inputs
        .iter()
        .zip(states)
        .map(|(input, mut state)| {
            let cx = FileCx {
                path: &input.path,
                src: input.src,
                signature: check_signature(input.src),
                syntax_errors: &state.syntax_errors,
                model: &state.model,
                project: &project,
                profiles: &options.profiles,
                explicit_target: options.explicit_target,
                line_ending_stats: state.stats,
            };
            let mut sink = Sink::default();
            for entry in &enabled {
                if let Check::File(check) = entry.rule.check {
                    check(&cx, &mut sink);
                }
            }
            state.diagnostics.append(&mut sink.diagnostics);
            finish(input, state, options)
        })
        .collect()
}

fn first_pass(
    input: &SourceInput<'_>,
    options: &LintOptions,
    line_rules: &[fn(&LineCx<'_>, &mut Sink)],
) -> FileState {
    let src = input.src;
    let mut builder = ModelBuilder::for_source(src);
    let mut sink = Sink::default();
    let mut syntax_errors = Vec::new();
    let mut directives = DirectiveCollector::default();
    for (index, line) in Lines::new(src).enumerate() {
        line_errors(&line, &mut syntax_errors);
        let bounds = builder.line(&line, src);
        let cx = LineCx {
            src,
            line: &line,
            index: index as u32,
            bounds: &bounds,
            profiles: &options.profiles,
            explicit_target: options.explicit_target,
        };
        for check in line_rules {
            check(&cx, &mut sink);
        }
        directives.line(&line, src);
    }
    FileState {
        model: builder.finish(),
        syntax_errors,
        diagnostics: sink.diagnostics,
        directives: directives.finish(),
        stats: line_endings(src),
    }
}

fn line_endings(src: &[u8]) -> LineEndingStats {
    let mut stats = LineEndingStats::default();
    let mut prev_cr = false;
    for &b in src {
        match b {
            b'\n' if prev_cr => stats.crlf += 1,
            b'\n' => stats.lf += 1,
            _ if prev_cr => stats.lone_cr += 1,
            _ => {}
        }
        prev_cr = b == b'\r';
    }
    if prev_cr {
        stats.lone_cr += 1;
    }
    stats
}

/// Suppressions, per-file ignores, severity overrides, ordering.
fn finish(input: &SourceInput<'_>, mut state: FileState, options: &LintOptions) -> Vec<Diagnostic> {
    let ignored = |code: &str| {
        input.ignore.iter().any(|p| {
            p.eq_ignore_ascii_case("all") || code.to_uppercase().starts_with(&p.to_uppercase())
        })
    };
    let mut out: Vec<Diagnostic> = Vec::new();
    for d in state.diagnostics.drain(..) {
        if ignored(d.code) {
            continue;
        }
        let mut silenced = false;
        for directive in &mut state.directives {
            silenced |= directive.silences(d.code, d.span);
        }
        if !silenced {
            out.push(d);
        }
    }
    let known = |code: &str| {
        code.eq_ignore_ascii_case("all")
            || RULE_ENTRIES
                .iter()
                .any(|r| r.rule.code.eq_ignore_ascii_case(code))
    };
    for directive in &state.directives {
        for ((code, span), used) in directive.codes.iter().zip(&directive.used) {
            let report = |rule: &'static crate::Rule, message: String| {
                Diagnostic::new(rule.code, rule.severity, *span, message)
            };
            if !known(code) {
                if options.enabled(UNKNOWN_CODE.code) && !ignored(UNKNOWN_CODE.code) {
                    out.push(report(
                        UNKNOWN_CODE,
                        format!("unknown rule code `{code}` in suppression"),
                    ));
                }
            } else if !used
                && options.enabled(code)
                && options.enabled(UNUSED.code)
                && !ignored(UNUSED.code)
            {
                let mut d = report(
                    UNUSED,
                    format!("`{code}` is suppressed here but reports nothing"),
                );
                d.set_fix(
                    "remove the unused suppression",
                    ipxe_diagnostics::Applicability::Safe,
                    vec![ipxe_diagnostics::Edit::delete(unused_code_span(
                        input.src, directive, *span,
                    ))],
                );
                out.push(d);
            }
        }
    }
    for d in &mut out {
        if let Some(&severity) = options.severity_overrides.get(d.code) {
            d.severity = severity;
        }
    }
    out.sort_by(|a, b| (a.span.start, a.span.end, a.code).cmp(&(b.span.start, b.span.end, b.code)));
    out.dedup_by(|a, b| a.code == b.code && a.span == b.span && a.message == b.message);
    out
}

/// Applies the run's selection, the file's suppression comments and ignores,
/// and severity overrides to findings made outside the engine (URL probes).
pub fn filter_external(
    input: &SourceInput<'_>,
    options: &LintOptions,
    found: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut collector = DirectiveCollector::default();
    for line in Lines::new(input.src) {
        collector.line(&line, input.src);
    }
    let mut directives = collector.finish();
    let ignored = |code: &str| {
        input
            .ignore
            .iter()
            .any(|p| code.to_uppercase().starts_with(&p.to_uppercase()))
    };
    found
        .into_iter()
        .filter(|d| options.enabled(d.code) && !ignored(d.code))
        .filter(|d| {
            !directives
                .iter_mut()
                .fold(false, |hit, dir| dir.silences(d.code, d.span) || hit)
        })
        .map(|mut d| {
            if let Some(&severity) = options.severity_overrides.get(d.code) {
                d.severity = severity;
            }
            d
        })
        .collect()
}

/// What to delete to drop one code: the code and a comma, or the whole comment line.
fn unused_code_span(src: &[u8], directive: &Directive, code: Span) -> Span {
    if directive.codes.len() == 1 {
        let end = src[directive.span.end as usize..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(src.len(), |p| directive.span.end as usize + p + 1);
        let start = src[..directive.span.start as usize]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        return Span::new(start as u32, end as u32);
    }
    if src.get(code.end as usize) == Some(&b',') {
        Span::new(code.start, code.end + 1)
    } else {
        Span::new(code.start.saturating_sub(1), code.end)
    }
}

use crate::rule::Rule;

/// Suppression bookkeeping rules live in the engine; their docs are in their files.
static UNUSED: &Rule = &crate::suppression__unused_suppression::RULE;
static UNKNOWN_CODE: &Rule = &crate::suppression__unknown_suppression_code::RULE;
