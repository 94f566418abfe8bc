//! Diagnostics as data, and the renderers that turn them into text for people
//! (ariadne) and for machines (JSON, SARIF 2.1.0, gcc, GitHub annotations).
//!
//! Analysis produces [`Diagnostic`]s with byte spans; positions in lines and
//! columns are computed only when rendering, from a [`LineIndex`].

mod line_index;
mod render;

pub use ipxe_syntax::Span;
pub use line_index::{LineCol, LineIndex};
pub use render::{FileReport, OutputFormat, RuleMeta, render};

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// How safe it is to apply a fix automatically (after ruff's definitions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Keeps what a correct script means, and keeps comments: `--fix` applies it.
    Safe,
    /// May change behaviour; offered in editors, applied by `--fix` only with `--unsafe-fixes`.
    Unsafe,
    /// Shown as a suggestion only.
    DisplayOnly,
}

/// Replace the bytes of `span` with `content`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub content: Vec<u8>,
}

impl Edit {
    pub fn replace(span: Span, content: impl Into<Vec<u8>>) -> Edit {
        Edit {
            span,
            content: content.into(),
        }
    }
    pub fn delete(span: Span) -> Edit {
        Edit {
            span,
            content: Vec::new(),
        }
    }
    pub fn insert(at: u32, content: impl Into<Vec<u8>>) -> Edit {
        Edit {
            span: Span::new(at, at),
            content: content.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

/// A finding: a rule's code, a severity, a message and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// Other places that explain the finding (e.g. the label a duplicate shadows).
    pub related: Vec<(Span, String)>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(
        code: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            span,
            related: Vec::new(),
            help: None,
            fix: None,
        }
    }

    pub fn with_related(mut self, span: Span, note: impl Into<String>) -> Self {
        self.related.push((span, note.into()));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Moves every span `by` bytes later (a finding made in a piece of a file).
    pub fn shift(&mut self, by: u32) {
        self.span = self.span.shifted(by);
        for (span, _) in &mut self.related {
            *span = span.shifted(by);
        }
        for edit in self.fix.iter_mut().flat_map(|f| f.edits.iter_mut()) {
            edit.span = edit.span.shifted(by);
        }
    }

    /// In-place forms of the builders, for diagnostics already pushed to a list.
    pub fn add_related(&mut self, span: Span, note: impl Into<String>) -> &mut Self {
        self.related.push((span, note.into()));
        self
    }

    pub fn set_help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }

    pub fn set_fix(
        &mut self,
        title: impl Into<String>,
        applicability: Applicability,
        edits: Vec<Edit>,
    ) -> &mut Self {
        self.fix = Some(Fix {
            title: title.into(),
            edits,
            applicability,
        });
        self
    }
}

/// Applies non-overlapping edits to `src` (edits are sorted by position;
/// an edit that overlaps an earlier one is skipped and reported as not applied).
pub fn apply_edits(src: &[u8], edits: &[&Edit]) -> (Vec<u8>, usize) {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = Vec::with_capacity(src.len());
    let mut cursor = 0usize;
    let mut applied = 0;
    for edit in sorted {
        let (start, end) = (edit.span.start as usize, edit.span.end as usize);
        if start < cursor || end > src.len() {
            continue;
        }
        out.extend_from_slice(&src[cursor..start]);
        out.extend_from_slice(&edit.content);
        cursor = end;
        applied += 1;
    }
    out.extend_from_slice(&src[cursor..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_and_skip_overlaps() {
        let a = Edit::replace(Span::new(0, 1), "X");
        let b = Edit::insert(3, "!");
        let c = Edit::delete(Span::new(0, 2));
        let (out, applied) = apply_edits(b"abcd", &[&b, &a, &c]);
        assert_eq!(out, b"Xbc!d");
        assert_eq!(applied, 2);
    }
}
