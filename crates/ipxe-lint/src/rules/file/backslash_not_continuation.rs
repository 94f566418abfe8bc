//! ## What it does
//! Reports a line whose last visible character is a `\` followed by spaces
//! or tabs.
//!
//! ## Why is this bad?
//! iPXE continues a line only when the `\` is the very last character (after
//! one carriage return is stripped). With blanks after it, the `\` is an
//! ordinary character: it is passed to the command as an extra argument, and
//! the next line runs as a command of its own. In
//! `sanboot iscsi:… \␠␠` + `  iscsi:…`, `sanboot` gets a `\` argument and the
//! second URI is run as an (unknown) command.
//!
//! ## Example
//! `sanboot iscsi:10.0.0.1::::iqn.2023-01.com.example:t1 \␠␠`
//!
//! Use instead: remove the blanks after the `\`.
//!
//! ## Fix safety
//! Unsafe: removing the blanks makes the `\` join the next line, which
//! changes what runs.
//!
//! ## References
//! `process_script` in `src/image/script.c`.

use ipxe_syntax::TokenKind;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX010",
    name: "backslash-not-continuation",
    summary: "a `\\` followed by trailing blanks does not continue the line",
    severity: Severity::Error,
    fix: FixAvailability::Always,
    check: Check::Line(check),
};

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    // Most lines have no backslash at all.
    if !cx.bytes.has(b'\\') {
        return;
    }
    let tokens = &cx.line.tokens;
    for (i, token) in tokens.iter().enumerate() {
        if token.kind != TokenKind::Whitespace {
            continue;
        }
        let Some(prev) = i.checked_sub(1).map(|p| tokens[p]) else {
            continue;
        };
        if !matches!(
            prev.kind,
            TokenKind::Word | TokenKind::Operator | TokenKind::Label
        ) || cx.src[prev.span.end as usize - 1] != b'\\'
        {
            continue;
        }
        let at_line_end = match tokens.get(i + 1) {
            None => true,
            Some(next) => next.kind == TokenKind::Newline,
        };
        if !at_line_end {
            continue;
        }
        // iPXE strips one CR before the LF; what is left must be blank.
        let ws = token.span.slice(cx.src);
        let blanks = match ws.strip_suffix(b"\r") {
            Some(rest) if tokens.get(i + 1).is_some() => rest,
            _ => ws,
        };
        if blanks.is_empty() {
            continue;
        }
        let backslash = Span::new(prev.span.end - 1, prev.span.end);
        let blank_span = Span::new(token.span.start, token.span.start + blanks.len() as u32);
        let word = show(prev.span.slice(cx.src));
        let command = cx
            .line
            .commands
            .iter()
            .find(|c| c.words.iter().any(|w| w.span.end == prev.span.end));
        let name = command
            .and_then(|c| c.name())
            .filter(|w| w.span.end != prev.span.end);
        let what = match (prev.kind, name) {
            (TokenKind::Label, _) => format!("the label is `{}`, backslash included", &word[1..]),
            (_, None) => format!("the command name is `{word}`, backslash included"),
            (_, Some(name)) if word == "\\" => {
                format!(
                    "iPXE passes `\\` to `{}` as an extra argument",
                    show(name.text(cx.src))
                )
            }
            (_, Some(name)) => {
                format!(
                    "iPXE passes `{word}`, backslash included, to `{}`",
                    show(name.text(cx.src))
                )
            }
        };
        let next_line = if tokens.get(i + 1).is_some() && !cx.last_line {
            ", and runs the next line as a separate command"
        } else {
            ""
        };
        let d = sink.report(
            &RULE,
            backslash.cover(blank_span),
            format!("this `\\` is followed by blanks, so it does not continue the line: {what}{next_line}"),
        );
        d.set_help("remove the blanks after the `\\` if the next line belongs to this command");
        d.set_fix(
            "remove the blanks after the `\\`",
            Applicability::Unsafe,
            vec![Edit::delete(blank_span)],
        );
    }
}
