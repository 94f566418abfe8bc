//! Diagnostics as data, and the renderers that turn them into text for people
//! (ariadne) and for machines (JSON, SARIF 2.1.0, gcc, GitHub annotations).
//!
//! Analysis produces [`Diagnostic`]s with byte spans; positions in lines and
//! columns are computed only when rendering, from a [`LineIndex`].
//!
//! **Span invariant.** Every span of a finding (its own, its related places
//! and its fix's edits) lies inside the source, and neither end falls inside
//! a valid UTF-8 character: a rule that points at one byte of `é` points at
//! the whole `é` ([`widen_to_chars`] does this). Bytes that are not valid
//! UTF-8 count as one character each, so in a line that is not valid UTF-8
//! only its valid characters are kept whole. The renderers never panic on
//! spans that break the invariant anyway: they clamp and widen them first.

mod line_index;
mod render;

pub use ipxe_syntax::Span;
pub use line_index::{LineCol, LineIndex};
pub use render::{EVERY_FORMAT, FileReport, OutputFormat, RuleMeta, render};

use serde::Serialize;

/// Whether `offset` falls inside a character of a line that is valid UTF-8:
/// what the span invariant forbids. Tests and fuzz targets check findings
/// with it.
pub fn cuts_a_character(src: &[u8], index: &LineIndex, offset: u32) -> bool {
    let line = index.line_of(offset);
    let start = index.line_start(line) as usize;
    let end = src[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(src.len(), |p| start + p);
    match std::str::from_utf8(&src[start..end]) {
        Ok(text) => !text.is_char_boundary(offset as usize - start),
        Err(_) => false,
    }
}

/// `span`, cut to `src` and widened so that neither end falls inside a valid
/// UTF-8 character of `src` (an invalid byte is a character of its own).
pub fn widen_to_chars(src: &[u8], span: Span) -> Span {
    let len = src.len() as u32;
    let end = span.end.min(len);
    let start = span.start.min(end);
    Span::new(char_start(src, start), char_end(src, end))
}

/// Where the valid character holding the byte at `at` starts, when `at` is
/// one of its continuation bytes; otherwise `at`.
fn char_start(src: &[u8], at: u32) -> u32 {
    let at = at as usize;
    if src.get(at).is_none_or(|&b| b & 0xC0 != 0x80) {
        return at as u32;
    }
    for lead in (at.saturating_sub(3)..at).rev() {
        let width = utf8_width(src[lead]);
        if width > 0 {
            let whole = lead + width > at
                && src
                    .get(lead..lead + width)
                    .is_some_and(|c| std::str::from_utf8(c).is_ok());
            return if whole { lead as u32 } else { at as u32 };
        }
    }
    at as u32
}

/// Where the valid character holding the byte before `at` ends, when `at`
/// falls inside it; otherwise `at`.
fn char_end(src: &[u8], at: u32) -> u32 {
    let start = char_start(src, at);
    if start == at {
        return at;
    }
    start + utf8_width(src[start as usize]) as u32
}

/// The length of the UTF-8 sequence a lead byte starts (0 for a continuation
/// or invalid byte).
fn utf8_width(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

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
    fn spans_widen_to_whole_characters() {
        let src = "a-é→b".as_bytes(); // `é` is 2..4, `→` is 4..7
        let widen = |s, e| widen_to_chars(src, Span::new(s, e));
        assert_eq!(widen(2, 3), Span::new(2, 4), "first byte of é");
        assert_eq!(widen(3, 4), Span::new(2, 4), "second byte of é");
        assert_eq!(widen(5, 6), Span::new(4, 7), "middle byte of →");
        assert_eq!(widen(1, 2), Span::new(1, 2), "already whole");
        assert_eq!(widen(3, 3), Span::new(2, 4), "empty inside é covers it");
        assert_eq!(widen(6, 99), Span::new(4, 8), "cut to the source");
        assert_eq!(widen(99, 99), Span::new(8, 8));
        assert_eq!(
            widen(5, 2),
            Span::new(2, 2),
            "reversed becomes empty at its end"
        );
        // Invalid bytes are characters of their own; a valid one beside them stays whole.
        let bad = b"\xc3-\xa9\xc3\xa9\xff";
        let widen = |s, e| widen_to_chars(bad, Span::new(s, e));
        assert_eq!(widen(0, 1), Span::new(0, 1));
        assert_eq!(widen(2, 3), Span::new(2, 3), "a lone continuation byte");
        assert_eq!(widen(4, 5), Span::new(3, 5));
        assert_eq!(widen(5, 6), Span::new(5, 6));
    }

    proptest::proptest! {
        #[test]
        fn widened_spans_hold_whole_characters(
            src in proptest::collection::vec(proptest::sample::select(b"a\n\xc3\xa9\xe2\x86\x92\xf0\x9f\x98\x80\xff\x80".to_vec()), 0..30),
            start in 0u32..35,
            end in 0u32..35,
        ) {
            let span = widen_to_chars(&src, Span::new(start, end));
            proptest::prop_assert!(span.start <= span.end && span.end as usize <= src.len());
            proptest::prop_assert!(span.start <= start.max(span.start) && span.end >= end.min(src.len() as u32).max(span.start));
            // Cutting the source at the span's ends leaves its valid characters whole.
            let count = |b: &[u8]| b.utf8_chunks().map(|c| c.valid().chars().count()).sum::<usize>();
            let (s, e) = (span.start as usize, span.end as usize);
            proptest::prop_assert_eq!(count(&src), count(&src[..s]) + count(&src[s..e]) + count(&src[e..]));
        }
    }

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
