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
