//! ## What it does
//! Reports spaces and tabs at the end of a line, including after `item` and
//! `menu` text.
//!
//! ## Why is this bad?
//! iPXE splits lines on whitespace, so trailing blanks never reach a command:
//! `item linux Boot Linux   ` shows `Boot Linux`. They are invisible noise
//! that makes diffs and reviews harder, and next to a `\` they change the
//! meaning of the line, which IPX010 reports instead.
//!
//! ## Example
//! `echo done␠␠`
//!
//! Use instead: `echo done`.
//!
//! ## Fix safety
//! Safe: removing them cannot change what iPXE runs. Blanks after a `\`, and
//! blank lines that a `\` continuation reaches, are left alone because there
//! they do matter.
//!
//! ## References
//! `process_script` in `src/image/script.c`; `split_command` in `src/core/exec.c`.

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX009",
    name: "trailing-whitespace",
    summary: "whitespace at the end of a line",
    severity: Severity::Info,
    fix: FixAvailability::Always,
    check: Check::Line(check),
};

/// Spaces, tabs, VT and FF. A CR that iPXE does not strip is left to IPX003/IPX006.
fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0B' | b'\x0C')
}

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    let src = cx.src;
    let (start, stop) = (cx.line.span.start as usize, cx.line.span.end as usize);
    let last_lf = src[start..stop].last() == Some(&b'\n');
    // Every physical line end of this logical line: its LFs (more than one
    // only when a `\` continues the line), then the end of a file whose last
    // line has no LF.
    if cx.bytes.has(b'\\') {
        for lf in memchr::memchr_iter(b'\n', &src[start..stop - usize::from(last_lf)]) {
            check_end(cx, sink, start, start + lf, true);
        }
    }
    if last_lf {
        check_end(cx, sink, start, stop - 1, true);
    } else if cx.last_line {
        check_end(cx, sink, start, stop, false);
    }
}

/// Looks at the physical line that ends at `lf` (an LF, or the end of the
/// file when `has_lf` is false), in the logical line that starts at `start`.
fn check_end(cx: &LineCx<'_>, sink: &mut Sink, start: usize, lf: usize, has_lf: bool) {
    let src = cx.src;
    // iPXE strips one CR before the LF (CRLF is IPX006's business). A CR
    // there is inside the line: the previous line ends in an LF.
    let end = if has_lf && lf > start && src[lf - 1] == b'\r' {
        lf - 1
    } else {
        lf
    };
    // Most lines end in something else than a blank: nothing to look at.
    // (The byte before an empty physical line is an LF.)
    if end == start || !is_blank(src[end - 1]) {
        return;
    }
    // Back over the blanks, which stop at the line's content or its start.
    let mut content_end = end - 1;
    while content_end > start && is_blank(src[content_end - 1]) {
        content_end -= 1;
    }
    let blank_line = content_end == start || src[content_end - 1] == b'\n';
    let after_backslash = !blank_line && src[content_end - 1] == b'\\';
    // A blank physical line is reached by a continuation only from within
    // its logical line (a line before it ending in `\` would have joined it).
    let continued = content_end > start && continued(src, content_end);
    if after_backslash || (blank_line && continued) {
        return;
    }
    let span = Span::new(content_end as u32, end as u32);
    let message = if blank_line {
        "this line holds only whitespace"
    } else {
        "trailing whitespace: iPXE ignores it"
    };
    let d = sink.report(&RULE, span, message);
    d.set_fix(
        "remove the trailing whitespace",
        Applicability::Safe,
        vec![Edit::delete(span)],
    );
}

/// Whether the line before the one starting at `start` ends in `\\` (one
/// CR before its LF stripped), so it continues into this one.
fn continued(src: &[u8], start: usize) -> bool {
    if start == 0 {
        return false;
    }
    // The previous line's LF is at `start - 1`; neither byte tested below
    // can be the LF before that line.
    let mut end = start - 1;
    if end > 0 && src[end - 1] == b'\r' {
        end -= 1;
    }
    end > 0 && src[end - 1] == b'\\'
}
