//! ## What it does
//! Reports a `\` line continuation with no whitespace on either side, which
//! glues the end of one line and the start of the next into a single word.
//!
//! ## Why is this bad?
//! iPXE deletes the `\` and appends the next line exactly as it is, without
//! adding a space. `kernel vmlinuz\` followed by `quiet` passes the single
//! argument `vmlinuzquiet`; the kernel then fails to download. Put a space
//! before the `\` or indent the next line.
//!
//! A join next to punctuation that usually sits inside a long word (`/`,
//! `=`, `,`, `.`, `-`, `_`, `:`, `&`, `?`, `;`) is taken as a deliberately
//! split URL or parameter and is not reported.
//!
//! ## Example
//! ```ipxe
//! kernel http://boot.example.com/vmlinuz\
//! quiet
//! ```
//!
//! Use instead:
//! ```ipxe
//! kernel http://boot.example.com/vmlinuz \
//!   quiet
//! ```
//!
//! ## Fix safety
//! Inserting a space before the `\` is unsafe: it turns one argument into two.
//!
//! ## References
//! `process_script` in `src/image/script.c`.

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX007",
    name: "continuation-joins-words",
    summary: "a `\\` continuation glues two words together without a space",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    check: Check::Line(check),
};

const JOINERS: &[u8] = b"/=,.-_:&?;";

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    // Only a continuation joins words, and it needs a backslash.
    if !cx.bytes.has(b'\\') {
        return;
    }
    for word in cx.line.words() {
        if word.joined.is_none() {
            continue;
        }
        let joined = word.text(cx.src);
        let mut offset = 0usize;
        for pair in word.pieces.windows(2) {
            let (left, right) = (pair[0], pair[1]);
            offset += left.len() as usize;
            // Adjacent pieces are one token split by a literal `\`, not a join.
            if left.end == right.start {
                continue;
            }
            let (Some(&l), Some(&r)) = (
                cx.src.get(left.end as usize - 1),
                cx.src.get(right.start as usize),
            ) else {
                continue;
            };
            if JOINERS.contains(&l) || JOINERS.contains(&r) {
                continue;
            }
            let text = show(word.text(cx.src));
            let shown = if text.chars().count() > 60 {
                text.chars().take(60).collect::<String>() + "…"
            } else {
                text
            };
            // The continuation (`\`) sits right after the left piece.
            let backslash = Span::new(left.end, left.end + 1);
            let d = sink.report(
                &RULE,
                backslash,
                format!(
                    "this `\\` joins `{}` and `{}` with no space between them: iPXE sees the single word `{shown}`",
                    last_part(&joined[..offset]),
                    first_part(&joined[offset..]),
                ),
            );
            d.add_related(right, "continues here, glued to the previous line");
            d.set_help(
                "put a space before the `\\` (or indent the next line) to keep them separate words",
            );
            d.set_fix(
                "insert a space before the `\\`",
                Applicability::Unsafe,
                vec![Edit::insert(left.end, " ")],
            );
        }
    }
}

fn last_part(bytes: &[u8]) -> String {
    let text = show(bytes);
    let count = text.chars().count();
    if count <= 40 {
        return text;
    }
    format!("…{}", text.chars().skip(count - 40).collect::<String>())
}

fn first_part(bytes: &[u8]) -> String {
    let text = show(bytes);
    if text.chars().count() <= 40 {
        return text;
    }
    format!("{}…", text.chars().take(40).collect::<String>())
}
