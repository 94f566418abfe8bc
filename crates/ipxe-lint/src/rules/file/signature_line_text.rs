//! ## What it does
//! Reports text after `#!ipxe` on the first line, and a first line that ends
//! in `\`, which joins the second line to it.
//!
//! ## Why is this bad?
//! To iPXE the signature line is an ordinary line whose first word, `#!ipxe`,
//! starts a comment: everything else on it is ignored. `#!ipxe dhcp` never
//! runs `dhcp`, and `#!ipxe \` followed by `dhcp` makes the second line part
//! of the comment too. A command there is an error; other text (a title, a
//! version) is reported as a warning because it looks like something meant to
//! be seen. Text that starts with `#` is an explicit comment and is not
//! reported.
//!
//! ## Example
//! ```ipxe
//! #!ipxe dhcp
//! chain http://boot.example.com/menu.ipxe
//! ```
//!
//! Use instead:
//! ```ipxe
//! #!ipxe
//! dhcp
//! chain http://boot.example.com/menu.ipxe
//! ```
//!
//! ## Fix safety
//! Moving the text to its own line (or removing the `\`) is unsafe: it makes
//! iPXE run something it never ran before.
//!
//! ## References
//! `script_probe` and `process_script` in `src/image/script.c`;
//! `command_terminator` in `src/core/exec.c`.

use ipxe_syntax::{Signature, check_signature};

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX002",
    name: "signature-line-text",
    summary: "text after `#!ipxe` on the first line is a comment and never runs",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    check: Check::Line(check),
};

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0B' | b'\x0C' | b'\r')
}

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    if !cx.first_line || matches!(check_signature(cx.src), Signature::Invalid(_)) {
        return;
    }
    let src = cx.src;
    let magic = show(&src[..6]);
    // The first physical line, without its LF and one CR (as iPXE strips it).
    let lf = src.iter().position(|&b| b == b'\n').unwrap_or(src.len());
    let mut end = lf;
    if end > 6 && src[end - 1] == b'\r' {
        end -= 1;
    }
    let continues = end > 6 && src[end - 1] == b'\\' && lf < src.len();
    let text_end = if continues { end - 1 } else { end };
    let start = (6..text_end).find(|&i| !is_space(src[i]));
    if let Some(start) = start {
        let stop = (start..text_end)
            .rev()
            .find(|&i| !is_space(src[i]))
            .map_or(start, |i| i + 1);
        let text = &src[start..stop];
        let first_word = text.split(|&b| is_space(b)).next().unwrap_or_default();
        if first_word.first() != Some(&b'#') {
            let span = Span::new(start as u32, stop as u32);
            let is_command = std::str::from_utf8(first_word)
                .ok()
                .and_then(|w| Catalog::get().command(w))
                .is_some();
            if is_command {
                let d = sink.report_with(
                    &RULE,
                    Severity::Error,
                    span,
                    format!(
                        "`{}` is on the `{magic}` line, which iPXE treats as a comment: it never runs",
                        show(text)
                    ),
                );
                d.set_help(format!("put the command on its own line after `{magic}`"));
                d.set_fix(
                    "move the command to its own line",
                    Applicability::Unsafe,
                    vec![Edit::replace(Span::new(6, start as u32), "\n")],
                );
            } else {
                sink.report(
                    &RULE,
                    span,
                    format!(
                        "text after `{magic}` is part of a comment: iPXE ignores `{}`",
                        show(text)
                    ),
                )
                .set_help(format!(
                    "if it is a note, start it with `#` (`{magic} # …`) to make that explicit"
                ));
            }
        }
    }
    if continues {
        // The rest of the logical line: the physical lines the `\` swallowed.
        let content = cx.line.content_span();
        let next = (lf + 1) as u32;
        if content.end <= next {
            return;
        }
        let swallowed = &src[next as usize..content.end as usize];
        let Some(first) = swallowed.iter().position(|&b| !is_space(b) && b != b'\n') else {
            return;
        };
        let last = swallowed
            .iter()
            .rposition(|&b| !is_space(b) && b != b'\n')
            .unwrap_or(first);
        let span = Span::new(next + first as u32, next + last as u32 + 1);
        let backslash = Span::new(end as u32 - 1, end as u32);
        let d = sink.report_with(
            &RULE,
            Severity::Error,
            span,
            format!(
                "the `\\` at the end of the `{magic}` line joins this line to it, so it is part of the signature comment and never runs"
            ),
        );
        d.add_related(
            backslash,
            "this `\\` continues the comment onto the next line",
        );
        d.set_fix(
            "remove the `\\`",
            Applicability::Unsafe,
            vec![Edit::delete(backslash)],
        );
    }
}
