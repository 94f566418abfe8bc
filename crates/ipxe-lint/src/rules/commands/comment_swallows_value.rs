//! ## What it does
//! Reports a value that starts with `#` right after a command's arguments —
//! `set colour #ff0000`, `item x #1 entry`, `param --header X #y` — where
//! the command is left without its value, text or name.
//!
//! ## Why is this bad?
//! Any word that starts with `#` begins a comment, wherever it is on the
//! line. `set colour #ff0000` is therefore `set colour` with no value, which
//! *deletes* the setting; `item x #1 entry` makes an item without text. A
//! comment after complete arguments (`dhcp #retry`) or written as `# note`,
//! with a space, is not reported.
//!
//! ## Example
//! ```ipxe
//! set bg #000080
//! ```
//!
//! Use instead (an empty reference before the `#` keeps it in the word, and
//! expands to nothing):
//! ```ipxe
//! set bg ${}#000080
//! ```
//!
//! ## Fix safety
//! Inserting `${}` is unsafe: the text stops being a comment.
//!
//! ## References
//! `command_terminator` in `src/core/exec.c`.

use ipxe_catalog::ArgSpec;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX109",
    name: "comment-swallows-value",
    summary: "a value starting with `#` is a comment, so the command gets no value",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    check: Check::Line(check),
};

fn is_value(arg: &ArgSpec) -> bool {
    matches!(
        arg.role,
        ArgRole::SettingValue | ArgRole::Text | ArgRole::String | ArgRole::MenuItemName
    )
}

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    let line = cx.line;
    let Some(comment) = line.comment else { return };
    let span = line.token_span(comment);
    let text = span.slice(cx.src);
    // `# note` (with a space) is a comment on purpose; so are our own directives.
    if text.len() < 2
        || matches!(
            text[1],
            b' ' | b'\t' | b'\r' | b'\x0B' | b'\x0C' | b'#' | b'!'
        )
        || text.starts_with(b"#ipxelint")
    {
        return;
    }
    let (Some(command), Some(bound)) = (line.commands.last(), cx.bounds.last()) else {
        return;
    };
    let (Some(spec), None) = (bound.spec, &bound.problem) else {
        return;
    };
    if command.is_empty() {
        return;
    }
    // The next argument slot must be the first slot of a value or text (all
    // positionals are text with `item --gap`): `set x #…`, not `set x a b #…`.
    let count = bound.positionals.len();
    let gap = spec.name == "item" && bound.has_flag("gap");
    let empty_slot = if gap {
        count == 0
    } else {
        spec.args.get(count).is_some_and(is_value)
    };
    if !empty_slot {
        return;
    }
    let slot = count;
    let word_end = text
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(text.len());
    let first = show(&text[..word_end]);
    let name = &spec.name;
    let args: Vec<String> = bound
        .positional_words(command)
        .map(|w| show(w.text(cx.src)))
        .collect();
    let what = match (name.as_str(), slot) {
        ("set", _) => format!(
            "`{name} {}` gets no value, which deletes the setting",
            args.first().cloned().unwrap_or_default()
        ),
        ("item", _) if gap => "the separator gets no text".to_string(),
        ("item", 0) => {
            "the item gets no name and becomes a separator that cannot be chosen".to_string()
        }
        ("item", _) => format!(
            "the item `{}` gets no text",
            args.first().cloned().unwrap_or_default()
        ),
        _ => format!("`{name}` gets no <{}>", spec.args[slot].name),
    };
    let d = sink.report(
        &RULE,
        Span::new(span.start, span.start + word_end as u32),
        format!(
            "`{first}` starts a comment, not a value: iPXE ignores the rest of the line, so {what}"
        ),
    );
    d.set_help(format!(
        "a word that starts with `#` always begins a comment; write `${{}}{first}` (an empty reference) to pass it as text, or `# …` with a space if a comment is meant"
    ));
    d.set_fix(
        "keep it as a value with `${}`",
        Applicability::Unsafe,
        vec![Edit::insert(span.start, "${}")],
    );
}
