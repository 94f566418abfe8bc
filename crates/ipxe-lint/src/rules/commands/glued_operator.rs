//! ## What it does
//! Reports `||`, `&&` or `;` written inside a word (`dhcp||goto retry`,
//! `chain x.ipxe ||goto fail`, `goto start;`), and a lone `|` or `&` used as
//! if it were an operator (`chain x.ipxe | goto failed`).
//!
//! ## Why is this bad?
//! iPXE recognises `||`, `&&` and `;` only as separate words. Glued to other
//! text they are ordinary characters: `chain x.ipxe ||goto fail` runs
//! `x.ipxe` with the argument `||goto fail`, and never jumps when the
//! download fails. There are no pipes or background jobs either, so a single
//! `|` or `&` is just an argument, together with everything after it.
//!
//! Not reported, because they are ordinary text there: `;` inside a word
//! (URLs and kernel arguments use it), `||`/`&&` inside a `${…}` reference
//! name (it expands to nothing; see the settings rules), and, in text that a
//! command shows (`echo`, `item`, `prompt`…) or passes on (kernel command
//! lines, URLs), `|`, `&`, `||` and `&&` unless a command name follows them,
//! and `;` unless it ends the command — `echo Type exit; then reboot` is
//! prose.
//!
//! ## Example
//! ```ipxe
//! chain http://boot.example.com/menu.ipxe | goto failed
//! ```
//!
//! Use instead:
//! ```ipxe
//! chain http://boot.example.com/menu.ipxe || goto failed
//! ```
//!
//! ## Fix safety
//! Separating the operator (or doubling the `|`) is unsafe: the line's
//! control flow changes.
//!
//! ## References
//! `command_terminator` and `split_command` in `src/core/exec.c`.

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX107",
    name: "glued-operator",
    summary: "an operator glued to a word, or a single `|`/`&`, is plain text",
    severity: Severity::Error,
    fix: FixAvailability::Always,
    check: Check::Line(check),
};

fn is_command(text: &[u8]) -> bool {
    std::str::from_utf8(text).is_ok_and(|t| Catalog::get().command(t).is_some())
}

/// Where a word sits: its text is shown or passed on (so odd characters may be
/// deliberate), or it is a name, URI, label or number.
fn is_free_text(spec: Option<&ipxe_catalog::Command>, bound: &Bound, index: usize) -> bool {
    let Some(spec) = spec else { return false };
    let Some(n) = bound.positional_number(index) else {
        return false;
    };
    let role = spec.arg_role(n).map(|a| a.role);
    matches!(
        role,
        Some(ArgRole::Text | ArgRole::String | ArgRole::SettingValue | ArgRole::MenuItemName)
    )
}

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    // Most lines hold none of these bytes at all.
    if !(cx.bytes.has(b'|') || cx.bytes.has(b'&') || cx.bytes.has(b';')) {
        return;
    }
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        // Message parts are built only when something is reported: this rule
        // looks at every word of every line.
        let name = || command.name().map(|w| show(w.text(cx.src))).unwrap_or_default();
        for (index, word) in command.words.iter().enumerate() {
            let text = word.text(cx.src);
            // Only a word holding `|` or `&`, or ending in `;`, can be reported:
            // skip the rest before working out anything about the word.
            let ends_in_semicolon = text.len() > 1 && text.ends_with(b";");
            if !ends_in_semicolon && !crate::util::has_any(text, *b"|&") {
                continue;
            }
            let free = is_free_text(bound.spec, bound, index);
            let next = command.words.get(index + 1).map(|w| w.text(cx.src));
            let last = index + 1 == command.words.len();
            let url = text.windows(3).any(|w| w == b"://");
            let in_ref = |at: usize| {
                word.refs
                    .iter()
                    .any(|r| (r.range.start as usize) < at && at < r.range.end as usize)
            };
            let role = || {
                if index == 0 {
                    "is the command name".to_string()
                } else {
                    format!("is an argument of `{}`", name())
                }
            };

            // A lone `|` or `&`.
            if text == b"|" || text == b"&" {
                if free && !next.is_some_and(is_command) {
                    continue;
                }
                let (single, double, meaning) = if text == b"|" {
                    (
                        "|",
                        "||",
                        "there are no pipes; `||` runs the next command when this one fails",
                    )
                } else {
                    (
                        "&",
                        "&&",
                        "there are no background jobs; `&&` runs the next command only when this one succeeds",
                    )
                };
                let d = sink.report(
                    &RULE,
                    word.span,
                    format!("a single `{single}` is not an operator in iPXE: it and the words after it are arguments of `{}`", name()),
                );
                d.set_help(meaning);
                d.set_fix(
                    format!("write `{double}`"),
                    Applicability::Unsafe,
                    vec![Edit::replace(word.span, double)],
                );
                continue;
            }

            // `||` or `&&` inside the word.
            let glued = text
                .windows(2)
                .enumerate()
                .find(|&(at, w)| (w == b"||" || w == b"&&") && !in_ref(at));
            if let Some((at, op)) = glued {
                let after = &text[at + 2..];
                let after_word: &[u8] = after
                    .split(|&b| b == b'|' || b == b'&')
                    .next()
                    .unwrap_or_default();
                let leads_to_command = if after.is_empty() {
                    next.is_some_and(is_command)
                } else {
                    is_command(after_word)
                };
                if (free || url) && !leads_to_command {
                    continue;
                }
                let op = show(op);
                let span = word.source_span(at as u32..at as u32 + 2);
                let d = sink.report(
                    &RULE,
                    span,
                    format!(
                        "`{op}` is glued to other text, so it is not an operator: `{}` {}",
                        show(text),
                        role()
                    ),
                );
                d.set_help(format!(
                    "iPXE recognises `{op}` only as a separate word: put spaces around it"
                ));
                let mut edits = Vec::new();
                if at > 0 {
                    edits.push(Edit::insert(span.start, " "));
                }
                if at + 2 < text.len() {
                    edits.push(Edit::insert(span.end, " "));
                }
                d.set_fix(
                    format!("put spaces around `{op}`"),
                    Applicability::Unsafe,
                    edits,
                );
                continue;
            }

            // A word ending in `;`.
            if ends_in_semicolon && !in_ref(text.len() - 1) {
                if free && !last {
                    continue;
                }
                let at = text.len() as u32 - 1;
                let span = word.source_span(at..at + 1);
                let d = sink.report(
                    &RULE,
                    span,
                    format!(
                        "this `;` is part of the word `{}`, not a separator: the word {}",
                        show(text),
                        role()
                    ),
                );
                d.set_help("iPXE separates commands only at a `;` written as a separate word: put a space before it");
                d.set_fix(
                    "put a space before `;`",
                    Applicability::Unsafe,
                    vec![Edit::insert(span.start, " ")],
                );
            }
        }
    }
}
