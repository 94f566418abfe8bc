//! ## What it does
//! Reports carriage returns used as line breaks without a line feed (classic
//! Mac OS line endings), whether in the whole file or in a few lines.
//!
//! ## Why is this bad?
//! iPXE splits a script into lines at line feeds only; a lone carriage return
//! is just whitespace. A file without any line feed is therefore one single
//! line, and since that line starts with `#!ipxe` — a comment — the whole
//! script does nothing: iPXE "runs" it successfully without executing a
//! single command. Inside a file with normal line endings, a lone carriage
//! return glues two lines together: after a comment the second line is part
//! of the comment (an error), and between words it is a space, so
//! `echo a␍dhcp` runs `echo a dhcp` (a warning: a CR used as a separator on
//! purpose is valid, if odd).
//!
//! ## Example
//! A file saved as `#!ipxe␍dhcp␍chain http://boot.example.com/menu.ipxe␍`.
//!
//! Use instead: save the file with LF (or CRLF) line endings. The fix
//! turns those carriage returns into line feeds.
//!
//! ## Fix safety
//! Unsafe: the lines start running separately, which they never did before.
//!
//! ## References
//! `process_script` in `src/image/script.c` (lines end at `\n`);
//! `isspace` in `src/core/ctype.c`.

use ipxe_syntax::TokenKind;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX003",
    name: "cr-only-line-endings",
    summary: "a carriage return without a line feed does not end the line",
    severity: Severity::Error,
    fix: FixAvailability::Always,
    check: Check::Line(check),
};

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0B' | b'\x0C' | b'\r')
}

/// Lone CRs of the line that have more text after them on the same physical line
/// (a `\` that continues the line does not count as text).
fn breaking_crs(src: &[u8], span: Span) -> Vec<u32> {
    let bytes = span.slice(src);
    let mut out = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'\r' {
            continue;
        }
        let rest = &bytes[i + 1..];
        let mut rest = &rest[..rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len())];
        if let Some(r) = rest.strip_suffix(b"\r") {
            rest = r;
        }
        if let Some(r) = rest.strip_suffix(b"\\") {
            rest = r;
        }
        if rest.iter().any(|&b| !is_blank(b) && b != 0) {
            out.push(span.start + i as u32);
        }
    }
    out
}

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    let line = cx.line;
    let content = line.content_span();
    // Fast path: most lines have no CR at all, or only the one before LF.
    if !cx.bytes.has(b'\r') {
        return;
    }
    let crs = breaking_crs(cx.src, content);
    let Some(&first) = crs.first() else { return };
    let inside = line
        .tokens
        .iter()
        .find(|t| t.span.contains(first))
        .map(|t| t.kind);
    let whole_file = || !cx.src.contains(&b'\n');
    let (severity, message) = match inside {
        Some(TokenKind::Comment) if cx.first_line && cx.src.starts_with(b"#!") && whole_file() => (
            Severity::Error,
            format!(
                "this file breaks lines with carriage returns only: iPXE splits lines only at line feeds, so the whole file is one line, the `{}` comment, and the script does nothing",
                show(&cx.src[..6.min(cx.src.len())])
            ),
        ),
        Some(TokenKind::Comment) => (
            Severity::Error,
            "this carriage return does not end the line: iPXE splits lines only at line feeds, so the text after it is part of the comment and never runs".to_string(),
        ),
        Some(TokenKind::Nul) => return,
        // Between words a CR is whitespace, which may be deliberate.
        _ => (
            Severity::Warning,
            "this carriage return does not end the line: iPXE splits lines only at line feeds and treats it as a space, so the text after it is more words of the same command".to_string(),
        ),
    };
    let d = sink.report_with(&RULE, severity, Span::new(first, first + 1), message);
    d.set_help("save the file with LF line endings");
    d.set_fix(
        "replace these carriage returns with line feeds",
        Applicability::Unsafe,
        crs.iter()
            .map(|&i| Edit::replace(Span::new(i, i + 1), "\n"))
            .collect(),
    );
}
