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
    let pieces = pieces(src);
    let read = |range: std::ops::Range<usize>| read_piece(src, range, options, line_rules);
    let mut parts = if pieces.len() == 1 {
        vec![read(0..src.len())]
    } else {
        // Lines are independent until whole-file checks, so big files are
        // read in parallel pieces whose facts are then joined in order.
        std::thread::scope(|scope| {
            let handles: Vec<_> = pieces
                .into_iter()
                .map(|range| scope.spawn(move || read(range)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect::<Vec<_>>()
        })
    }
    .into_iter();
    let mut whole = parts.next().expect("at least one piece");
    for part in parts {
        whole.builder.append(part.builder);
        whole.sink.diagnostics.extend(part.sink.diagnostics);
        whole.syntax_errors.extend(part.syntax_errors);
        whole.directives.append(part.directives);
    }
    FileState {
        model: whole.builder.finish(),
        syntax_errors: whole.syntax_errors,
        diagnostics: whole.sink.diagnostics,
        directives: whole.directives.finish(),
        stats: line_endings(src),
    }
}

/// What reading some of a file's lines gathered.
struct Piece {
    builder: ModelBuilder,
    sink: Sink,
    syntax_errors: Vec<SyntaxError>,
    directives: DirectiveCollector,
}

fn read_piece(
    src: &[u8],
    range: std::ops::Range<usize>,
    options: &LintOptions,
    line_rules: &[fn(&LineCx<'_>, &mut Sink)],
) -> Piece {
    let first_piece = range.start == 0;
    // The first piece's builder receives the others, so it is sized for all.
    let mut builder = ModelBuilder::for_source(if first_piece {
        src
    } else {
        &src[range.clone()]
    });
    let mut piece = Piece {
        builder: ModelBuilder::new(),
        sink: Sink::default(),
        syntax_errors: Vec::new(),
        directives: DirectiveCollector::default(),
    };
    for (index, line) in Lines::within(src, range).enumerate() {
        line_errors(&line, &mut piece.syntax_errors);
        let bounds = builder.line(&line, src);
        let cx = LineCx {
            src,
            line: &line,
            first_line: first_piece && index == 0,
            bounds: &bounds,
            profiles: &options.profiles,
            explicit_target: options.explicit_target,
        };
        for check in line_rules {
            check(&cx, &mut piece.sink);
        }
        piece.directives.line(&line, src);
    }
    piece.builder = builder;
    piece
}

/// Below this, a file is read in one piece: threads would cost more than they save.
const MIN_PIECE: usize = 64 * 1024;

/// Splits a file into up to one piece per core, each starting where a logical
/// line starts.
fn pieces(src: &[u8]) -> Vec<std::ops::Range<usize>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let count = cores.min(src.len() / MIN_PIECE).max(1);
    let mut starts = vec![0];
    for k in 1..count {
        let from = (src.len() * k / count).max(*starts.last().expect("not empty"));
        if let Some(start) = next_line_start(src, from) {
            if start > *starts.last().expect("not empty") && start < src.len() {
                starts.push(start);
            }
        }
    }
    let mut ends: Vec<usize> = starts[1..].to_vec();
    ends.push(src.len());
    starts.into_iter().zip(ends).map(|(s, e)| s..e).collect()
}

/// The first offset after `from` where a logical line surely starts.
fn next_line_start(src: &[u8], from: usize) -> Option<usize> {
    src[from..]
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(offset, _)| from + offset + 1)
        .find(|&start| Lines::is_line_start(src, start))
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
