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
    check: Check::File(check),
};

/// Spaces, tabs, VT and FF. A CR that iPXE does not strip is left to IPX003/IPX006.
fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0B' | b'\x0C')
}

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let src = cx.src;
    let mut start = 0usize;
    // The previous physical line ended in `\` (it continues into this one).
    let mut continued = false;
    while start < src.len() {
        let lf = src[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map(|p| start + p);
        let end_with_cr = lf.unwrap_or(src.len());
        // iPXE strips one CR before the LF (CRLF is IPX006's business).
        let end = if lf.is_some() && end_with_cr > start && src[end_with_cr - 1] == b'\r' {
            end_with_cr - 1
        } else {
            end_with_cr
        };
        let line = &src[start..end];
        let content_len = line
            .iter()
            .rposition(|&b| !is_blank(b))
            .map_or(0, |p| p + 1);
        let blank_line = content_len == 0;
        let after_backslash = content_len > 0 && line[content_len - 1] == b'\\';
        if content_len < line.len() && !after_backslash && !(blank_line && continued) {
            let span = Span::new((start + content_len) as u32, end as u32);
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
        continued = content_len > 0 && content_len == line.len() && line[content_len - 1] == b'\\';
        match lf {
            Some(lf) => start = lf + 1,
            None => break,
        }
    }
}
