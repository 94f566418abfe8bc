//! ## What it does
//! Reports a script with Windows (CRLF) line endings, once per file.
//!
//! ## Why is this bad?
//! It usually isn't: iPXE treats a carriage return as whitespace (since gPXE
//! 0.9.8, 2009) and strips one before each line feed (since 2013, when `\`
//! continuations arrived, so `\` + CRLF continues a line too). Only
//! firmware older than that — gPXE before 0.9.8 — misreads CRLF scripts, so
//! this is informational. Converting keeps diffs, `grep` and `\`
//! continuations predictable across tools.
//!
//! ## Example
//! A file saved as `#!ipxe␍␊dhcp␍␊`.
//!
//! Use instead: LF line endings (`--fix` removes the carriage returns).
//!
//! ## Fix safety
//! Safe: iPXE strips that carriage return itself. A line ending in two
//! carriage returns is left alone, since removing one would change whether a
//! `\` before them continues the line.
//!
//! ## References
//! `process_script` in `src/image/script.c`; `isspace` in `src/core/ctype.c`.

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX006",
    name: "crlf-line-endings",
    summary: "the file has CRLF line endings",
    severity: Severity::Info,
    fix: FixAvailability::Always,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let stats = cx.line_ending_stats;
    if stats.crlf == 0 {
        return;
    }
    let src = cx.src;
    let mut edits = Vec::new();
    let mut first = None;
    for (i, pair) in src.windows(2).enumerate() {
        if pair != b"\r\n" {
            continue;
        }
        first.get_or_insert(i as u32);
        if i == 0 || src[i - 1] != b'\r' {
            edits.push(Edit::delete(Span::new(i as u32, i as u32 + 1)));
        }
    }
    let Some(first) = first else { return };
    let lines = stats.lf + stats.crlf;
    let which = if stats.lf == 0 {
        format!("all {} lines end", stats.crlf)
    } else {
        format!("{} of {lines} lines end", stats.crlf)
    };
    let d = sink.report(
        &RULE,
        Span::new(first, first + 1),
        format!("{which} in CRLF: iPXE ignores the carriage returns, but firmware older than gPXE 0.9.8 (2009) does not"),
    );
    d.set_fix("convert to LF line endings", Applicability::Safe, edits);
}
