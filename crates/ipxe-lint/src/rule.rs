//! What a rule is, and what its check sees.

use rustc_hash::FxHashSet;

use ipxe_diagnostics::{Diagnostic, RuleMeta, Severity, Span};
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
    /// Once per file, after every file of the run has been read.
    File(fn(&FileCx<'_>, &mut Sink)),
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

/// What every file of the run contributes to the others.
#[derive(Debug, Default)]
pub struct ProjectFacts<'a> {
    /// Each file's path and model.
    pub files: Vec<(&'a str, &'a FileModel)>,
    /// Setting names written by any file (chained scripts share settings).
    pub written: FxHashSet<&'a [u8]>,
}

impl ProjectFacts<'_> {
    /// The other files of the run that define the label `name`, by path.
    pub fn files_defining_label(&self, name: &[u8], except: &str) -> Vec<&str> {
        let mut paths: Vec<&str> = self
            .files
            .iter()
            .filter(|(path, model)| *path != except && model.label_defined(name))
            .map(|(path, _)| *path)
            .collect();
        paths.sort();
        paths
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
