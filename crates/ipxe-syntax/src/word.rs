//! Words (whitespace-separated tokens) and the `${…}` references inside them.
//!
//! iPXE expands a word at run time by repeatedly replacing the innermost
//! `${name}` (the last `${` before the first `}`) and rescanning
//! (`expand_settings` in `src/core/settings.c`). When values are treated as
//! opaque text, that pairs each `}` with the most recent unclosed `${`, which is
//! what [`scan_refs`] computes — with an explicit stack, so deep nesting can't
//! overflow ours. Where a reference's name is built from other references
//! (`${net${i}/mac}`), the breakdown says so instead of guessing.

use std::ops::Range;

use crate::Span;

/// One `${…}` pair in a word. Ranges are offsets into the word's logical text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingRef {
    /// From the `$` to the closing `}` inclusive.
    pub range: Range<u32>,
    /// The text between `${` and `}`.
    pub inner: Range<u32>,
    /// Index (in the word's `refs`) of the reference this one is nested in.
    pub parent: Option<u32>,
    /// True when the name contains other references, so it is only known at run time.
    pub dynamic: bool,
    /// `[block/]name[:type]` split as `parse_setting_name` does; `None` when dynamic.
    pub parts: Option<RefParts>,
}

/// The static breakdown of `block/name:type` (offsets into the word's text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefParts {
    pub block: Option<Range<u32>>,
    pub name: Range<u32>,
    pub ty: Option<Range<u32>>,
}

impl SettingRef {
    pub fn block<'a>(&self, text: &'a [u8]) -> Option<&'a [u8]> {
        self.parts.as_ref()?.block.as_ref().map(|r| slice(text, r))
    }
    pub fn name<'a>(&self, text: &'a [u8]) -> Option<&'a [u8]> {
        self.parts.as_ref().map(|p| slice(text, &p.name))
    }
    pub fn ty<'a>(&self, text: &'a [u8]) -> Option<&'a [u8]> {
        self.parts.as_ref()?.ty.as_ref().map(|r| slice(text, r))
    }
}

fn slice<'a>(text: &'a [u8], r: &Range<u32>) -> &'a [u8] {
    &text[r.start as usize..r.end as usize]
}

/// The result of scanning a word for references.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RefScan {
    /// Matched pairs, in the order iPXE would expand them (innermost first).
    pub refs: Vec<SettingRef>,
    /// Offset of the first `${` that no `}` closes (it stays literal).
    pub unclosed: Option<u32>,
}

/// Finds the `${…}` pairs of a word's logical text.
pub fn scan_refs(text: &[u8]) -> RefScan {
    let mut refs = Vec::new();
    let unclosed = scan_refs_into(text, &mut RefScratch::default(), &mut refs);
    RefScan { refs, unclosed }
}

/// Working buffers of [`scan_refs`], kept by the line builder so that
/// scanning a line's words does not allocate them again for every word.
#[derive(Default)]
pub(crate) struct RefScratch {
    /// Stack of (offset of `$`, length of `orphans` when it opened).
    open: Vec<(u32, usize)>,
    /// References closed so far that no enclosing reference has adopted yet.
    orphans: Vec<u32>,
}

/// [`scan_refs`] into `refs` (cleared first, so a reused word keeps its
/// vector's room); returns the offset of the first unclosed `${`. Inlined so
/// that the common case (no `${` in the word) costs the line builder only
/// the search; the real scan stays out of line.
#[inline]
pub(crate) fn scan_refs_into(
    text: &[u8],
    scratch: &mut RefScratch,
    refs: &mut Vec<SettingRef>,
) -> Option<u32> {
    refs.clear();
    // Bytes before the first `${` cannot matter (a `}` with nothing open is
    // literal), so the scan starts there.
    let first = find_dollar_brace(text)?;
    scan_from(text, first, scratch, refs)
}

#[inline(never)]
fn scan_from(
    text: &[u8],
    first: usize,
    scratch: &mut RefScratch,
    refs: &mut Vec<SettingRef>,
) -> Option<u32> {
    let RefScratch { open, orphans } = scratch;
    open.clear();
    orphans.clear();
    let mut i = first;
    while i < text.len() {
        match text[i] {
            b'$' if text.get(i + 1) == Some(&b'{') => {
                open.push((i as u32, orphans.len()));
                i += 2;
                continue;
            }
            b'}' => {
                if let Some((start, mark)) = open.pop() {
                    let index = refs.len() as u32;
                    let inner = start + 2..i as u32;
                    let dynamic = orphans.len() > mark;
                    // Each reference is adopted once, so the scan stays linear.
                    for child in orphans.drain(mark..) {
                        refs[child as usize].parent = Some(index);
                    }
                    orphans.push(index);
                    let parts = (!dynamic).then(|| split_parts(text, inner.clone()));
                    refs.push(SettingRef {
                        range: start..i as u32 + 1,
                        inner,
                        parent: None,
                        dynamic,
                        parts,
                    });
                }
            }
            _ => {}
        }
        i += 1;
    }
    open.first().map(|&(start, _)| start)
}

/// Offset of the first `${` in `text`.
#[inline]
fn find_dollar_brace(text: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = memchr::memchr(b'$', &text[from..]) {
        let at = from + found;
        if text.get(at + 1) == Some(&b'{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Splits a setting name `[block/]name[:type]` (as written in `set`, `show`…)
/// the way `parse_setting_name` does; ranges are offsets into `text`.
pub fn split_setting_name(text: &[u8]) -> RefParts {
    split_parts(text, 0..text.len() as u32)
}

fn split_parts(text: &[u8], inner: Range<u32>) -> RefParts {
    let body = &text[inner.start as usize..inner.end as usize];
    let (block, rest_start) = match body.iter().position(|&b| b == b'/') {
        Some(slash) => (
            Some(inner.start..inner.start + slash as u32),
            inner.start + slash as u32 + 1,
        ),
        None => (None, inner.start),
    };
    let rest = &text[rest_start as usize..inner.end as usize];
    match rest.iter().position(|&b| b == b':') {
        Some(colon) => RefParts {
            block,
            name: rest_start..rest_start + colon as u32,
            ty: Some(rest_start + colon as u32 + 1..inner.end),
        },
        None => RefParts {
            block,
            name: rest_start..inner.end,
            ty: None,
        },
    }
}

/// A word of a command line: its source span, its logical text (when that
/// differs from the source because a continuation joined it), and its references.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    /// Index of the word's token in its line's token list.
    pub token: u32,
    pub span: Span,
    /// Set only when the word spans a line continuation: the joined bytes iPXE sees.
    pub joined: Option<Box<[u8]>>,
    /// Source spans of the pieces the joined text is made of (empty unless joined).
    pub pieces: Vec<Span>,
    pub refs: Vec<SettingRef>,
    pub unclosed: Option<u32>,
}

impl Word {
    /// The bytes iPXE sees for this word (before `${}` expansion).
    pub fn text<'a>(&'a self, src: &'a [u8]) -> &'a [u8] {
        match &self.joined {
            Some(joined) => joined,
            None => self.span.slice(src),
        }
    }

    /// True when the word contains no `${…}` reference, so its run-time value is its text.
    pub fn is_literal(&self) -> bool {
        self.refs.is_empty()
    }

    /// Maps a range of the logical text back to a source span.
    pub fn source_span(&self, logical: Range<u32>) -> Span {
        if self.joined.is_none() {
            return Span::new(
                self.span.start + logical.start,
                self.span.start + logical.end,
            );
        }
        let to_source = |offset: u32, is_end: bool| -> u32 {
            let mut seen = 0u32;
            for piece in &self.pieces {
                let len = piece.len();
                if offset < seen + len || (is_end && offset == seen + len) {
                    return piece.start + (offset - seen);
                }
                seen += len;
            }
            self.span.end
        };
        Span::new(
            to_source(logical.start, false),
            to_source(logical.end, true),
        )
    }

    /// The source span of one of this word's references.
    pub fn ref_span(&self, r: &SettingRef) -> Span {
        self.source_span(r.range.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe(text: &str) -> Vec<String> {
        let scan = scan_refs(text.as_bytes());
        let t = text.as_bytes();
        scan.refs
            .iter()
            .map(|r| {
                let whole =
                    std::str::from_utf8(&t[r.range.start as usize..r.range.end as usize]).unwrap();
                match &r.parts {
                    Some(_) => format!(
                        "{whole} block={:?} name={:?} type={:?} parent={:?}",
                        r.block(t).map(|b| String::from_utf8_lossy(b).into_owned()),
                        String::from_utf8_lossy(r.name(t).unwrap()),
                        r.ty(t).map(|b| String::from_utf8_lossy(b).into_owned()),
                        r.parent
                    ),
                    None => format!("{whole} dynamic parent={:?}", r.parent),
                }
            })
            .collect()
    }

    #[test]
    fn plain_reference() {
        assert_eq!(
            describe("${ip}"),
            ["${ip} block=None name=\"ip\" type=None parent=None"]
        );
    }

    #[test]
    fn block_name_type_split_at_first_slash_then_first_colon() {
        assert_eq!(
            describe("x${net0.dhcp/ip:ipv4}y"),
            [
                "${net0.dhcp/ip:ipv4} block=Some(\"net0.dhcp\") name=\"ip\" type=Some(\"ipv4\") parent=None"
            ]
        );
        // A colon before the slash belongs to the block name, as in parse_setting_name.
        assert_eq!(
            describe("${a:b/c}"),
            ["${a:b/c} block=Some(\"a:b\") name=\"c\" type=None parent=None"]
        );
    }

    #[test]
    fn nesting_is_innermost_first_and_marks_the_outer_dynamic() {
        assert_eq!(
            describe("${net${i}/mac}"),
            [
                "${i} block=None name=\"i\" type=None parent=Some(1)",
                "${net${i}/mac} dynamic parent=None"
            ]
        );
    }

    #[test]
    fn unmatched_braces_stay_literal() {
        let scan = scan_refs(b"${a } ${b");
        assert_eq!(scan.refs.len(), 1);
        assert_eq!(scan.unclosed, Some(6));
        assert!(scan_refs(b"a}b$c").refs.is_empty());
        // `$${x}`: the second `$` starts the reference.
        assert_eq!(scan_refs(b"$${x}").refs[0].range, 1..5);
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let depth = 20_000;
        let text = format!("{}x{}", "${".repeat(depth), "}".repeat(depth));
        let scan = scan_refs(text.as_bytes());
        assert_eq!(scan.refs.len(), depth);
        assert_eq!(scan.refs.last().unwrap().parent, None);
        assert_eq!(scan.refs[0].parent, Some(1));
    }
}
