//! Runs the rules over a set of files.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::ops::Range;

use rustc_hash::FxBuildHasher;

use ipxe_diagnostics::{Diagnostic, Severity, Span};
use ipxe_semantics::{BuildProfile, FileModel, ModelBuilder};
use ipxe_syntax::{Line, Lines, SyntaxError, check_signature, line_errors};

use crate::rule::{
    Check, FileCx, LineBytes, LineCx, LineEndingStats, ProjectFacts, ProjectFile, Sink,
};
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
    rest: FileRest,
}

/// What a file's first pass found besides its model.
struct FileRest {
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
    lint_files_with(inputs, options, None)
}

/// [`lint_files`] for an editor: the results of unchanged parts of each file
/// are taken from `cache`, so an edit re-reads only the piece it touches.
/// The findings are exactly those of [`lint_files`].
pub fn lint_files_cached(
    inputs: &[SourceInput<'_>],
    options: &LintOptions,
    cache: &mut LintCache,
) -> Vec<Vec<Diagnostic>> {
    lint_files_with(inputs, options, Some(cache))
}

fn lint_files_with(
    inputs: &[SourceInput<'_>],
    options: &LintOptions,
    mut cache: Option<&mut LintCache>,
) -> Vec<Vec<Diagnostic>> {
    let enabled: Vec<&RuleEntry> = RULE_ENTRIES
        .iter()
        .filter(|r| options.enabled(r.rule.code))
        .collect();
    let line_rules: Vec<_> = enabled
        .iter()
        .filter_map(|r| match r.rule.check {
            Check::Line(f) | Check::LineAndFile(f, _) => Some(f),
            _ => None,
        })
        .collect();
    let command_rules: Vec<_> = enabled
        .iter()
        .filter_map(|r| match r.rule.check {
            Check::Commands(applies, f) => Some((applies, f)),
            _ => None,
        })
        .collect();
    assert!(command_rules.len() <= 64, "command rules are kept in a u64");
    let file_checks: Vec<_> = enabled
        .iter()
        .filter_map(|r| match r.rule.check {
            Check::File(f) | Check::LineAndFile(_, f) => Some(f),
            _ => None,
        })
        .collect();
    let commands = &ipxe_catalog::Catalog::get().commands;
    let reader = PieceReader {
        options,
        line_rules: &line_rules,
        command_rules: command_rules.iter().map(|&(_, f)| f).collect(),
        rules_for_command: commands
            .iter()
            .map(|c| {
                command_rules
                    .iter()
                    .enumerate()
                    .filter(|(_, (applies, _))| applies(c))
                    .fold(0, |mask, (i, _)| mask | 1 << i)
            })
            .collect(),
        in_every_build: commands
            .iter()
            .map(|c| options.profiles.iter().all(|p| p.has_command(c)))
            .collect(),
    };
    if let Some(cache) = cache.as_deref_mut() {
        cache.start_run(options);
    }
    let states: Vec<FileState> = inputs
        .iter()
        .map(|input| match cache.as_deref_mut() {
            Some(cache) => cache.first_pass(input.src, &reader),
            None => first_pass(input.src, &reader),
        })
        .collect();
    if let Some(cache) = cache {
        cache.end_run();
    }

    let (models, mut rests): (Vec<FileModel>, Vec<FileRest>) =
        states.into_iter().map(|s| (s.model, s.rest)).unzip();
    let project = ProjectFacts::new(
        inputs
            .iter()
            .zip(&models)
            .map(|(input, model)| ProjectFile {
                path: &input.path,
                src: input.src,
                model,
            })
            .collect(),
    );

    inputs
        .iter()
        .zip(&models)
        .zip(&mut rests)
        .map(|((input, model), rest)| {
            let cx = FileCx {
                path: &input.path,
                src: input.src,
                signature: check_signature(input.src),
                syntax_errors: &rest.syntax_errors,
                model,
                project: &project,
                profiles: &options.profiles,
                explicit_target: options.explicit_target,
                line_ending_stats: rest.stats,
            };
            rest.diagnostics.extend(run_file_checks(&cx, &file_checks));
            finish(input, rest, options)
        })
        .collect()
}

/// Runs the whole-file checks; on a big file, spread over the cores (each
/// check only reads the file's facts). Threads take the next check as they
/// finish one, since some checks cost far more than others.
fn run_file_checks(cx: &FileCx<'_>, checks: &[fn(&FileCx<'_>, &mut Sink)]) -> Vec<Diagnostic> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = if cx.src.len() >= MIN_PARALLEL_PIECE {
        cores.min(checks.len()).max(1)
    } else {
        1
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Findings are kept per check, so their order does not depend on timing.
    let run = || {
        let mut found: Vec<(usize, Vec<Diagnostic>)> = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(check) = checks.get(i) else {
                return found;
            };
            let mut sink = Sink::default();
            check(cx, &mut sink);
            found.push((i, sink.diagnostics));
        }
    };
    let mut found = if threads == 1 {
        run()
    } else {
        std::thread::scope(|scope| {
            let others: Vec<_> = (1..threads).map(|_| scope.spawn(run)).collect();
            let mut found = run();
            for handle in others {
                found.extend(
                    handle
                        .join()
                        .unwrap_or_else(|e| std::panic::resume_unwind(e)),
                );
            }
            found
        })
    };
    found.sort_by_key(|(i, _)| *i);
    found.into_iter().flat_map(|(_, d)| d).collect()
}

/// Reads pieces of files: the line rules and the per-line facts.
struct PieceReader<'a> {
    options: &'a LintOptions,
    line_rules: &'a [fn(&LineCx<'_>, &mut Sink)],
    /// The checks of `Check::Commands` rules, and by catalogue command id
    /// which of them look at that command (bit `i`: `command_rules[i]`).
    command_rules: Vec<fn(&LineCx<'_>, &mut Sink)>,
    rules_for_command: Vec<u64>,
    /// By catalogue command id: every target build has the command.
    in_every_build: Vec<bool>,
}

/// What reading some of a file's lines gathered, with spans and line numbers
/// counted from the start of the piece.
#[derive(Clone)]
struct Piece {
    builder: ModelBuilder,
    diagnostics: Vec<Diagnostic>,
    syntax_errors: Vec<SyntaxError>,
    directives: DirectiveCollector,
}

impl PieceReader<'_> {
    /// Reads a piece on its own: line rules look only at their line (and
    /// whether it is the file's first or last), so a piece's findings do not
    /// depend on what surrounds it, which makes pieces parallel and cacheable.
    fn read(&self, piece: &[u8], at: PieceAt, sized_for: &[u8]) -> Piece {
        let mut builder = ModelBuilder::for_source(sized_for);
        let mut sink = Sink::default();
        let mut syntax_errors = Vec::new();
        let mut directives = DirectiveCollector::default();
        let mut lines = Lines::new(piece);
        // One line's room and its bindings', reused: most lines then allocate nothing.
        let mut line = Line::default();
        let mut bounds = Vec::new();
        let mut first = at.first;
        while lines.next_into(&mut line) {
            let line = &line;
            line_errors(line, &mut syntax_errors);
            builder.line_into(line, piece, &mut bounds);
            let cx = LineCx {
                src: piece,
                line,
                first_line: std::mem::take(&mut first),
                last_line: at.last && line.span.end as usize == piece.len(),
                bounds: &bounds,
                profiles: &self.options.profiles,
                explicit_target: self.options.explicit_target,
                bytes: LineBytes::of(crate::util::token_bytes(line, piece)),
                in_every_build: &self.in_every_build,
                any_problem: bounds.iter().any(|b| b.problem.is_some()),
                any_unknown_command: line
                    .commands
                    .iter()
                    .zip(&bounds)
                    .any(|(c, b)| b.spec.is_none() && !c.is_empty()),
            };
            for check in self.line_rules {
                check(&cx, &mut sink);
            }
            let mut wanted = bounds
                .iter()
                .filter_map(|b| b.spec)
                .fold(0u64, |mask, spec| mask | self.rules_for_command[spec.id]);
            while wanted != 0 {
                (self.command_rules[wanted.trailing_zeros() as usize])(&cx, &mut sink);
                wanted &= wanted - 1;
            }
            directives.line(line, piece);
        }
        Piece {
            builder,
            diagnostics: sink.diagnostics,
            syntax_errors,
            directives,
        }
    }
}

/// Whether a piece starts or ends its file (some rules look at the first or
/// last line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct PieceAt {
    first: bool,
    last: bool,
}

impl PieceAt {
    fn of(range: &Range<usize>, src: &[u8]) -> PieceAt {
        PieceAt {
            first: range.start == 0,
            last: range.end == src.len(),
        }
    }
}

/// Joins the pieces of a file in order: the first (which starts at 0), then
/// the others with their start offsets.
fn join(src: &[u8], first: Piece, rest: impl Iterator<Item = (Piece, u32)>) -> FileState {
    let mut joined = first;
    for (piece, start) in rest {
        joined.append(piece, start);
    }
    joined.finish(src)
}

impl Piece {
    /// Adds the piece that follows this one, which starts `start` bytes
    /// into the file (this one must start at 0).
    fn append(&mut self, piece: Piece, start: u32) {
        self.builder.append(piece.builder, start);
        self.diagnostics
            .extend(piece.diagnostics.into_iter().map(|mut d| {
                d.shift(start);
                d
            }));
        self.syntax_errors
            .extend(piece.syntax_errors.into_iter().map(|e| SyntaxError {
                span: e.span.shifted(start),
                ..e
            }));
        self.directives.append(&piece.directives, start);
    }

    /// The state of the whole file, once every piece is appended.
    fn finish(self, src: &[u8]) -> FileState {
        FileState {
            model: self.builder.finish(),
            rest: FileRest {
                syntax_errors: self.syntax_errors,
                diagnostics: self.diagnostics,
                directives: self.directives.finish(),
                stats: line_endings(src),
            },
        }
    }
}

/// Reads a whole file, in parallel pieces when it is big. The calling
/// thread reads pieces too, and appends each finished piece to the first as
/// soon as the ones before it are in, so that joining overlaps reading
/// instead of waiting for all of it.
fn first_pass(src: &[u8], reader: &PieceReader<'_>) -> FileState {
    let ranges = parallel_pieces(src);
    // The first piece's facts receive the others', so it is sized for all.
    let read = |range: &Range<usize>| {
        let piece = &src[range.clone()];
        let sized_for = if range.start == 0 { src } else { piece };
        reader.read(piece, PieceAt::of(range, src), sized_for)
    };
    if ranges.len() == 1 {
        return read(&ranges[0]).finish(src);
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Pieces are handed out in order, to whichever thread is free.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take = || {
        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        ranges.get(i).map(|range| (i, read(range)))
    };
    std::thread::scope(|scope| {
        let (done, finished) = std::sync::mpsc::channel();
        for _ in 1..cores.min(ranges.len()) {
            let done = done.clone();
            let take = &take;
            scope.spawn(move || {
                while let Some(piece) = take() {
                    if done.send(piece).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done);
        let mut waiting: Vec<Option<Piece>> = ranges.iter().map(|_| None).collect();
        let mut joined: Option<Piece> = None;
        let mut appended = 0;
        while appended < ranges.len() {
            while let Some(piece) = waiting[appended].take() {
                match joined.as_mut() {
                    None => {
                        // Room for the whole file's facts, judged from the
                        // first piece's, so that appending never regrows them.
                        let mut first = piece;
                        let share = ranges[0].len().max(1);
                        first.builder.reserve_scaled(src.len().div_ceil(share) + 1);
                        joined = Some(first);
                    }
                    Some(first) => first.append(piece, ranges[appended].start as u32),
                }
                appended += 1;
                if appended == ranges.len() {
                    break;
                }
            }
            if appended == ranges.len() {
                break;
            }
            // Read a piece here while there are some left, else wait for one.
            let (i, piece) = match take() {
                Some(read) => read,
                // A reader that panicked leaves its piece missing: the scope
                // then passes its panic on.
                None => match finished.recv() {
                    Ok(read) => read,
                    Err(_) => break,
                },
            };
            waiting[i] = Some(piece);
            while let Ok((i, piece)) = finished.try_recv() {
                waiting[i] = Some(piece);
            }
        }
        joined
            .filter(|_| appended == ranges.len())
            .map(|joined| joined.finish(src))
    })
    .expect("every piece was read")
}

/// Below this, a file is read in one piece: threads would cost more than they save.
const MIN_PARALLEL_PIECE: usize = 64 * 1024;

/// Pieces per core. More pieces let the first ones be joined while the
/// last are read, but every piece after the first is copied once more when
/// joined: on the 50 MB bench (2 cores), two and four per core were no
/// faster than one and held up to 25 MB more at the peak.
const PIECES_PER_CORE: usize = 1;

/// Splits a file into pieces (one per core, or one in all on a single
/// core), each starting where a logical line surely starts.
fn parallel_pieces(src: &[u8]) -> Vec<Range<usize>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let wanted = if cores == 1 {
        1
    } else {
        cores * PIECES_PER_CORE
    };
    let count = wanted.min(src.len() / MIN_PARALLEL_PIECE).max(1);
    let mut starts = vec![0];
    for k in 1..count {
        let from = src.len() * k / count;
        let last = *starts.last().expect("not empty");
        if let Some(start) = next_line_start(src, from.max(last))
            && start > last
            && start < src.len()
        {
            starts.push(start);
        }
    }
    to_ranges(starts, src.len())
}

fn to_ranges(starts: Vec<usize>, len: usize) -> Vec<Range<usize>> {
    let ends = starts.iter().skip(1).copied().chain([len]);
    starts
        .iter()
        .copied()
        .zip(ends)
        .map(|(s, e)| s..e)
        .collect()
}

/// The first offset after `from` where a logical line surely starts.
fn next_line_start(src: &[u8], from: usize) -> Option<usize> {
    memchr::memchr_iter(b'\n', &src[from..])
        .map(|offset| from + offset + 1)
        .find(|&start| Lines::is_line_start(src, start))
}

/// The per-piece results of earlier runs, for an editor that lints the same
/// documents again and again. Pieces are cut where the content says (after a
/// line whose hash has some low bits clear), so an edit changes only the
/// pieces it touches and the rest are found again by their bytes.
pub struct LintCache {
    /// Pieces are at least this big (except the last) …
    min_piece: usize,
    /// … and end after a line whose hash has these bits clear.
    cut_mask: u64,
    /// The options the cached pieces were read with.
    options_key: u64,
    /// Pieces by the hash of their bytes and place.
    pieces: HashMap<u64, Vec<CachedPiece>, FxBuildHasher>,
    /// Counts runs, to drop the pieces a run did not use.
    run: u64,
    /// How many pieces the last run read, and how many it found in the cache.
    pub last_read: usize,
    pub last_reused: usize,
}

struct CachedPiece {
    at: PieceAt,
    bytes: Box<[u8]>,
    piece: Piece,
    /// The last run that used it.
    run: u64,
}

/// Cache pieces are at most about this big.
const MAX_CACHED_PIECE: usize = 64 * 1024;

impl Default for LintCache {
    /// Pieces of 1 KB and more, cut after one line in 64: about 4 KB each.
    fn default() -> Self {
        LintCache::with_pieces(1024, 63)
    }
}

impl LintCache {
    /// A cache whose pieces are at least `min_piece` bytes and end after a
    /// line whose hash has the bits of `cut_mask` clear.
    pub fn with_pieces(min_piece: usize, cut_mask: u64) -> Self {
        LintCache {
            min_piece,
            cut_mask,
            options_key: 0,
            pieces: HashMap::default(),
            run: 0,
            last_read: 0,
            last_reused: 0,
        }
    }

    fn start_run(&mut self, options: &LintOptions) {
        let key = FxBuildHasher.hash_one(format!(
            "{:?} {:?} {:?} {}",
            options.select, options.ignore, options.profiles, options.explicit_target
        ));
        if key != self.options_key {
            self.pieces.clear();
            self.options_key = key;
        }
        self.run += 1;
        self.last_read = 0;
        self.last_reused = 0;
    }

    fn end_run(&mut self) {
        let run = self.run;
        self.pieces.retain(|_, bucket| {
            bucket.retain(|p| p.run == run);
            !bucket.is_empty()
        });
    }

    fn first_pass(&mut self, src: &[u8], reader: &PieceReader<'_>) -> FileState {
        let ranges = content_pieces(src, self.min_piece, self.cut_mask);
        // (hash, index in its bucket) of each piece, in order.
        let mut found: Vec<(u64, usize)> = Vec::with_capacity(ranges.len());
        for range in &ranges {
            let at = PieceAt::of(range, src);
            let bytes = &src[range.clone()];
            let hash = FxBuildHasher.hash_one((at, bytes));
            let bucket = self.pieces.entry(hash).or_default();
            self.last_read += 1;
            let index = match bucket.iter().position(|p| p.at == at && *p.bytes == *bytes) {
                Some(index) => {
                    self.last_reused += 1;
                    index
                }
                None => {
                    bucket.push(CachedPiece {
                        at,
                        bytes: bytes.into(),
                        piece: reader.read(bytes, at, bytes),
                        run: self.run,
                    });
                    bucket.len() - 1
                }
            };
            bucket[index].run = self.run;
            found.push((hash, index));
        }
        let piece = |(hash, index): (u64, usize)| &self.pieces[&hash][index].piece;
        let mut first = piece(found[0]).clone();
        first
            .builder
            .reserve_for(found[1..].iter().map(|&key| &piece(key).builder));
        join(
            src,
            first,
            found[1..]
                .iter()
                .zip(&ranges[1..])
                .map(|(&key, range)| (piece(key).clone(), range.start as u32)),
        )
    }
}

/// Content-defined pieces (see [`LintCache`]).
fn content_pieces(src: &[u8], min_piece: usize, cut_mask: u64) -> Vec<Range<usize>> {
    let mut starts = vec![0];
    let mut line_start = 0;
    for lf in memchr::memchr_iter(b'\n', src) {
        let next = lf + 1;
        let size = next - starts.last().expect("not empty");
        let line = &src[line_start..lf];
        line_start = next;
        if next >= src.len() || size < min_piece {
            continue;
        }
        let cut = size >= MAX_CACHED_PIECE || FxBuildHasher.hash_one(line) & cut_mask == 0;
        if cut && Lines::is_line_start(src, next) {
            starts.push(next);
        }
    }
    to_ranges(starts, src.len())
}

fn line_endings(src: &[u8]) -> LineEndingStats {
    let mut stats = LineEndingStats::default();
    // Run on every lint of every file: jump between line-ending bytes.
    for at in memchr::memchr2_iter(b'\n', b'\r', src) {
        match (src[at], at.checked_sub(1).map(|p| src[p])) {
            (b'\n', Some(b'\r')) => stats.crlf += 1,
            (b'\n', _) => stats.lf += 1,
            _ if src.get(at + 1) != Some(&b'\n') => stats.lone_cr += 1,
            _ => {}
        }
    }
    stats
}

/// Suppressions, per-file ignores, severity overrides, ordering.
fn finish(input: &SourceInput<'_>, state: &mut FileRest, options: &LintOptions) -> Vec<Diagnostic> {
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

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn line_endings_counts_like_a_byte_loop(
            src in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just(b'\n'),
                proptest::strategy::Just(b'\r'),
                proptest::strategy::Just(b'a'),
            ], 0..64),
        ) {
            let (mut lf, mut crlf, mut lone_cr) = (0, 0, 0);
            for (i, &b) in src.iter().enumerate() {
                let prev_cr = i > 0 && src[i - 1] == b'\r';
                match b {
                    b'\n' if prev_cr => crlf += 1,
                    b'\n' => lf += 1,
                    b'\r' if src.get(i + 1) != Some(&b'\n') => lone_cr += 1,
                    _ => {}
                }
            }
            let stats = line_endings(&src);
            proptest::prop_assert_eq!((stats.lf, stats.crlf, stats.lone_cr), (lf, crlf, lone_cr));
        }
    }
}
