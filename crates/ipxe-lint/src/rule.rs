//! What a rule is, and what its check sees.

use std::any::Any;
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::{FxHashMap, FxHashSet};

use ipxe_diagnostics::{Diagnostic, RuleMeta, Severity, Span};
use ipxe_semantics::constants::{SettingValues, Site};
use ipxe_semantics::{Bound, BuildProfile, FileModel};
use ipxe_syntax::{Line, Signature, SyntaxError};

/// Whether a rule's findings come with a fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

impl FixAvailability {
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::None => "no",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::Always => "yes",
        }
    }
}

/// When a rule runs.
#[derive(Clone, Copy)]
pub enum Check {
    /// For every logical line, as the file streams by.
    Line(fn(&LineCx<'_>, &mut Sink)),
    /// A line check about certain commands: it runs only on lines with a
    /// command whose catalogue entry the first function accepts (asked once
    /// per catalogue command), so lines without one cost it nothing.
    Commands(
        fn(&ipxe_catalog::Command) -> bool,
        fn(&LineCx<'_>, &mut Sink),
    ),
    /// Once per file, after every file of the run has been read.
    File(fn(&FileCx<'_>, &mut Sink)),
    /// Both: what one line shows as it streams by, and what only the whole
    /// run can tell (a value the script sets elsewhere).
    LineAndFile(fn(&LineCx<'_>, &mut Sink), fn(&FileCx<'_>, &mut Sink)),
    /// Reported by the engine itself (suppression bookkeeping).
    Engine,
}

/// A rule's metadata and check. Codes are stable; names read as "allow <name>".
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub severity: Severity,
    pub fix: FixAvailability,
    pub check: Check,
}

/// A rule with the documentation extracted from its file.
pub struct RuleEntry {
    pub rule: &'static Rule,
    pub group: &'static str,
    pub doc: &'static str,
    /// Path of the rule's file, relative to the crate.
    pub file: &'static str,
}

impl RuleEntry {
    pub fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: self.rule.code,
            name: self.rule.name,
            summary: self.rule.summary,
            severity: self.rule.severity,
            doc: self.doc,
        }
    }

    /// The text `ipxelint --explain CODE` prints.
    pub fn explain(&self) -> String {
        format!(
            "**{} ({})** — {}\n\nSeverity: {}. Fix: {}. Group: {}.\n\n{}",
            self.rule.code,
            self.rule.name,
            self.rule.summary,
            self.rule.severity.as_str(),
            self.rule.fix.as_str(),
            self.group,
            self.doc
        )
    }
}

/// What a line check sees.
pub struct LineCx<'a> {
    pub src: &'a [u8],
    pub line: &'a Line,
    /// This is the file's first logical line.
    pub first_line: bool,
    /// This is the file's last logical line.
    pub last_line: bool,
    /// One binding per command of the line.
    pub bounds: &'a [Bound],
    pub profiles: &'a [BuildProfile],
    /// The user named the target build, so a missing feature is certain.
    pub explicit_target: bool,
    /// Which of the rare bytes rules look for the line holds.
    pub bytes: LineBytes,
    /// Some command of the line has an option problem ([`Bound::problem`]);
    /// the rules about option problems skip the other lines.
    pub any_problem: bool,
    /// Some non-empty command of the line is not in the catalogue.
    pub any_unknown_command: bool,
    /// By catalogue command id: every target build has the command (asked
    /// for every command of every line, so answered once per run).
    pub in_every_build: &'a [bool],
}

/// Which of the bytes that line rules look for a line holds, found in one
/// pass over the line: most lines hold none of them, and each rule would
/// otherwise scan the line again for its own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineBytes(u16);

/// The bytes [`LineBytes`] tracks, one bit each; the last bit stands for
/// every non-ASCII byte.
const TRACKED: &[u8] = b"$\"'`|&;:\\\r";
const NON_ASCII: u16 = 1 << TRACKED.len();

/// The bit of each byte (0 for bytes not tracked).
static BYTE_BITS: [u16; 256] = {
    let mut bits = [0u16; 256];
    let mut i = 0;
    while i < TRACKED.len() {
        bits[TRACKED[i] as usize] = 1 << i;
        i += 1;
    }
    let mut b = 0x80;
    while b < 256 {
        bits[b] = NON_ASCII;
        b += 1;
    }
    bits
};

impl LineBytes {
    pub fn of(bytes: &[u8]) -> LineBytes {
        LineBytes(
            bytes
                .iter()
                .fold(0, |bits, &b| bits | BYTE_BITS[b as usize]),
        )
    }

    /// Whether the line holds `byte`, which must be one of `$ " ' ` | & ; : \ CR`.
    #[inline]
    pub fn has(self, byte: u8) -> bool {
        let bit = BYTE_BITS[byte as usize];
        debug_assert!(
            bit != 0 && bit != NON_ASCII,
            "byte {byte:#x} is not tracked"
        );
        self.0 & bit != 0
    }

    #[inline]
    pub fn is_ascii(self) -> bool {
        self.0 & NON_ASCII == 0
    }
}

/// One file of the run.
#[derive(Debug)]
pub struct ProjectFile<'a> {
    pub path: &'a str,
    pub src: &'a [u8],
    pub model: &'a FileModel,
}

/// What every file of the run contributes to the others.
#[derive(Debug, Default)]
pub struct ProjectFacts<'a> {
    /// Each file, in the run's order.
    pub files: Vec<ProjectFile<'a>>,
    /// Setting names some file stores a value in (chained scripts share
    /// settings); names only ever `clear`ed are not among them.
    pub written: FxHashSet<&'a [u8]>,
    /// What the files write to each setting, gathered when a check first asks.
    setting_values: OnceLock<SettingValues>,
    /// Facts about the whole run that a rule works out once (see
    /// [`ProjectFacts::shared`]), by the rule's code.
    shared: Mutex<FxHashMap<&'static str, Arc<dyn Any + Send + Sync>>>,
}

impl<'a> ProjectFacts<'a> {
    pub fn new(files: Vec<ProjectFile<'a>>) -> Self {
        let mut written = FxHashSet::default();
        for file in &files {
            let model = file.model;
            written.extend(
                model
                    .writes
                    .iter()
                    .filter(|(_, write)| write.stores())
                    .map(|(name, _)| model.names.resolve(*name)),
            );
        }
        ProjectFacts {
            files,
            written,
            setting_values: OnceLock::new(),
            shared: Mutex::default(),
        }
    }

    /// What `init` works out about the whole run, worked out when the first
    /// check asks (a file check runs once per file: facts about every file
    /// of the run would otherwise cost time quadratic in the files). `key`
    /// is the asking rule's code; each key holds one type.
    pub fn shared<T: Any + Send + Sync>(
        &self,
        key: &'static str,
        init: impl FnOnce() -> T,
    ) -> Arc<T> {
        let mut shared = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        let value = shared.entry(key).or_insert_with(|| Arc::new(init()));
        Arc::clone(value)
            .downcast::<T>()
            .unwrap_or_else(|_| panic!("{key}: one type of shared facts per key"))
    }

    /// The other files of the run that define the label `name`, by path.
    pub fn files_defining_label(&self, name: &[u8], except: &str) -> Vec<&str> {
        let mut paths: Vec<&str> = self
            .files
            .iter()
            .filter(|f| f.path != except && f.model.label_defined(name))
            .map(|f| f.path)
            .collect();
        paths.sort();
        paths
    }

    /// What the run's files write to each setting: which settings are
    /// constants, and their values (see [`ipxe_semantics::constants`]).
    pub fn setting_values(&self) -> &SettingValues {
        self.setting_values
            .get_or_init(|| SettingValues::from_models(self.files.iter().map(|f| f.model)))
    }

    /// Where the setting `name` gets its one constant value (see
    /// [`SettingValues::constant_site`]): a `set` in the file with `model`
    /// when it has one, else the first in the run.
    pub fn constant_site(&self, model: &FileModel, name: &[u8]) -> Option<Site> {
        let site = self.setting_values().constant_site(name)?;
        let own = model
            .names
            .get(name)
            .and_then(|sym| model.writes.get(&sym)?.values.first());
        Some(match (own, self.file_of(model)) {
            // A constant has one value, so this `set` stores it too.
            (Some(&(span, _)), Some(file)) => Site { file, span },
            _ => site,
        })
    }

    /// The index in [`ProjectFacts::files`] of the file whose model this is.
    pub fn file_of(&self, model: &FileModel) -> Option<usize> {
        self.files.iter().position(|f| std::ptr::eq(f.model, model))
    }
}

/// Where a setting gets its constant value, for messages.
pub struct SetNote {
    pub site: Site,
    /// `line 3`, or `line 3 of menu.ipxe` when the `set` is in another file.
    pub place: String,
    /// The `set` is in the file being checked.
    pub here: bool,
}

/// [`SetNote`]s of one file check, worked out once per setting name: one
/// setting can be behind thousands of findings, and finding a line number
/// reads the file up to it.
#[derive(Default)]
pub struct SetNotes<'n> {
    notes: FxHashMap<&'n [u8], Option<SetNote>>,
}

impl<'n> SetNotes<'n> {
    /// Where the setting `name` gets its constant value (see
    /// [`ProjectFacts::constant_site`]), if it has one.
    pub fn of(&mut self, cx: &FileCx<'_>, name: &'n [u8]) -> Option<&SetNote> {
        self.notes
            .entry(name)
            .or_insert_with(|| {
                let site = cx.project.constant_site(cx.model, name)?;
                let file = cx.project.files.get(site.file)?;
                let before = &file.src[..(site.span.start as usize).min(file.src.len())];
                let line = memchr::memchr_iter(b'\n', before).count() + 1;
                let here = std::ptr::eq(file.model, cx.model);
                let place = if here {
                    format!("line {line}")
                } else {
                    format!("line {line} of {}", file.path)
                };
                Some(SetNote { site, place, here })
            })
            .as_ref()
    }
}

/// What a file check sees.
pub struct FileCx<'a> {
    pub path: &'a str,
    pub src: &'a [u8],
    pub signature: Signature,
    pub syntax_errors: &'a [SyntaxError],
    pub model: &'a FileModel,
    pub project: &'a ProjectFacts<'a>,
    pub profiles: &'a [BuildProfile],
    pub explicit_target: bool,
    /// Whether the file has CRLF, CR-only, etc.: computed once by the engine.
    pub line_ending_stats: LineEndingStats,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct LineEndingStats {
    pub lf: u32,
    pub crlf: u32,
    /// CR bytes not followed by LF.
    pub lone_cr: u32,
}

/// Collects diagnostics for one rule at a time.
#[derive(Default)]
pub struct Sink {
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Sink {
    /// Reports a finding with the rule's code and default severity.
    pub fn report(
        &mut self,
        rule: &Rule,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::new(rule.code, rule.severity, span, message));
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// Reports with an explicit severity (for rules whose certainty varies).
    pub fn report_with(
        &mut self,
        rule: &Rule,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::new(rule.code, severity, span, message));
        self.diagnostics.last_mut().expect("just pushed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_bytes_track_each_byte_and_non_ascii() {
        for &b in TRACKED {
            let line = [b"kernel x".as_slice(), &[b], b" y\n"].concat();
            let bytes = LineBytes::of(&line);
            for &other in TRACKED {
                assert_eq!(bytes.has(other), other == b, "{b:#x} / {other:#x}");
            }
            assert!(bytes.is_ascii());
        }
        assert!(!LineBytes::of("echo café".as_bytes()).is_ascii());
        assert!(!LineBytes::of(b"\xff").is_ascii());
        assert_eq!(LineBytes::of(b""), LineBytes::default());
    }
}
