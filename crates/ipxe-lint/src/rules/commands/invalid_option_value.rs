//! ## What it does
//! Reports a number that iPXE cannot parse: an integer or timeout option
//! value (`--timeout 5s`, `--timeout=`), an integer argument (`sleep 10s`,
//! `exit failed`, `inc n one`), or a `--key` that is neither one character
//! nor a number (`--key F1`, `--key esc`).
//!
//! ## Why is this bad?
//! iPXE parses numbers with `strtoul(text, 0)`: decimal, `0x` hex, or octal
//! after a leading `0` (so `08` is invalid), and the whole word must be
//! consumed — no units, no fractions. Anything else prints
//! `"10s": invalid integer value` and the command fails with "Invalid
//! argument", which aborts the script unless the line handles it (`exit foo`
//! even fails *instead of* exiting). Timeouts are milliseconds; `sleep` takes
//! seconds. A `--key` of more than one character must be a key code:
//! `0x1b` for Esc, `0x107e` for F5 (F1–F4 have no code).
//!
//! Values computed from `${…}` are not checked: an unset setting gives an
//! empty value, which is invalid at iPXE ≥ 2020 but 0 before, and only the
//! run time knows.
//!
//! ## Example
//! ```ipxe
//! sleep 10s
//! choose --timeout 5s target || goto cancel
//! ```
//!
//! Use instead:
//! ```ipxe
//! sleep 10
//! choose --timeout 5000 target || goto cancel
//! ```
//!
//! ## Fix safety
//! Rewriting `10s` as `10` (or `5s` as `5000` for a timeout) is unsafe: it
//! guesses the unit the author meant.
//!
//! ## References
//! `parse_integer`, `parse_timeout` and `parse_key` in `src/core/parseopt.c`;
//! `strtoul` in `src/core/string.c`; key codes in `src/include/ipxe/keys.h`.

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX106",
    name: "invalid-option-value",
    summary: "a number (or key) that iPXE cannot parse",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    check: Check::Commands(takes_numbers, check),
};

/// iPXE's `parse_integer`: `strtoul(text, &end, 0)` must consume a non-empty text.
fn parses_as_integer(text: &[u8]) -> bool {
    if text.is_empty() {
        return false;
    }
    let mut i = 0;
    while i < text.len() && matches!(text[i], b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r') {
        i += 1;
    }
    if i < text.len() && (text[i] == b'-' || text[i] == b'+') {
        i += 1;
    }
    let mut base = 10;
    if text.get(i) == Some(&b'0') {
        i += 1;
        base = 8;
        if text.get(i).is_some_and(|&b| b & !0x20 == b'X') {
            i += 1;
            base = 16;
        }
    }
    while i < text.len() && (text[i] as char).to_digit(36).is_some_and(|d| d < base) {
        i += 1;
    }
    i == text.len()
}

/// Named keys people write, and the code iPXE expects.
const KEYS: &[(&str, &str)] = &[
    ("esc", "0x1b"),
    ("escape", "0x1b"),
    ("enter", "0x0a"),
    ("return", "0x0a"),
    ("tab", "0x09"),
    ("backspace", "0x08"),
    ("space", "0x20"),
    ("up", "0x141"),
    ("down", "0x142"),
    ("right", "0x143"),
    ("left", "0x144"),
    ("end", "0x146"),
    ("home", "0x148"),
    ("insert", "0x37e"),
    ("ins", "0x37e"),
    ("delete", "0x47e"),
    ("del", "0x47e"),
    ("pgup", "0x67e"),
    ("pageup", "0x67e"),
    ("pgdn", "0x77e"),
    ("pagedown", "0x77e"),
    ("f5", "0x107e"),
    ("f6", "0x127e"),
    ("f7", "0x137e"),
    ("f8", "0x147e"),
    ("f9", "0x157e"),
    ("f10", "0x167e"),
    ("f11", "0x187e"),
    ("f12", "0x197e"),
];

fn key_help(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    if let Some((_, code)) = KEYS.iter().find(|(name, _)| *name == lower) {
        return format!("a key is one character or a key code: write `--key {code}` for {text}");
    }
    if matches!(lower.as_str(), "f1" | "f2" | "f3" | "f4") {
        return format!(
            "iPXE has no key code for {text}; use a letter, or F5–F12 (`0x107e` is F5)"
        );
    }
    let ctrl = lower
        .strip_prefix("ctrl-")
        .or_else(|| lower.strip_prefix("ctrl+"))
        .or_else(|| lower.strip_prefix('^'));
    if let Some(letter) = ctrl.filter(|l| l.len() == 1 && l.as_bytes()[0].is_ascii_lowercase()) {
        let code = letter.as_bytes()[0] - b'a' + 1;
        return format!(
            "a key is one character or a key code: write `--key 0x{code:02x}` for {text}"
        );
    }
    "a key is one character (`--key m`) or a key code (`0x1b` is Esc, `0x107e` is F5)".to_string()
}

/// What to say about a number that does not parse, and a replacement when the unit is obvious.
fn number_help(text: &str, timeout: bool, seconds: bool) -> (String, Option<String>) {
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(digits_end);
    if !digits.is_empty() {
        let n: u64 = digits.parse().unwrap_or(0);
        match (unit.to_ascii_lowercase().as_str(), timeout, seconds) {
            ("s" | "sec" | "secs" | "seconds", true, _) => {
                let ms = (n * 1000).to_string();
                return (
                    format!("timeouts are in milliseconds: write `{ms}`"),
                    Some(ms),
                );
            }
            ("ms", true, _) => {
                return (
                    format!("timeouts are plain milliseconds: write `{digits}`"),
                    Some(digits.into()),
                );
            }
            ("s" | "sec" | "secs" | "seconds", _, true) => {
                return (
                    format!("`sleep` takes plain seconds: write `{digits}`"),
                    Some(digits.into()),
                );
            }
            ("m" | "min" | "mins" | "minutes", _, true) => {
                let s = (n * 60).to_string();
                return (format!("`sleep` takes plain seconds: write `{s}`"), Some(s));
            }
            _ => {}
        }
        if digits.len() > 1 && digits.starts_with('0') && unit.is_empty() {
            let plain = digits.trim_start_matches('0');
            let plain = if plain.is_empty() { "0" } else { plain };
            return (
                format!(
                    "a leading `0` makes iPXE read the number as octal, where 8 and 9 are not digits: write `{plain}`"
                ),
                Some(plain.to_string()),
            );
        }
        if unit.starts_with('.') || unit.starts_with(',') {
            return ("iPXE numbers are whole: no fractions".to_string(), None);
        }
    }
    let kind = if timeout {
        "milliseconds"
    } else if seconds {
        "seconds"
    } else {
        "a number"
    };
    (format!("write {kind} in decimal, or hex with `0x`"), None)
}

struct Value<'a> {
    text: &'a [u8],
    span: Span,
    /// What takes the value, for messages: `--timeout`, `sleep`'s argument.
    what: What<'a>,
    timeout: bool,
    seconds: bool,
    key: bool,
    /// `-timeout=5000`: a long option written with one dash (its word).
    single_dash: Option<(Span, String)>,
}

/// What takes a value, named only when a finding is made (every `--key`
/// and `--timeout` of a script is checked).
enum What<'a> {
    /// An option, by its long name.
    Option(&'a str),
    /// A positional argument of the command.
    Argument(&'a str),
}

impl std::fmt::Display for What<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            What::Option(long) => write!(f, "the `--{long}` value"),
            What::Argument(command) => write!(f, "the `{command}` argument"),
        }
    }
}

/// Whether a command has an option or argument that must be a number (or key).
fn takes_numbers(spec: &ipxe_catalog::Command) -> bool {
    spec.options.iter().any(|o| {
        matches!(
            o.kind,
            ValueKind::Integer | ValueKind::Timeout | ValueKind::Drive | ValueKind::Key
        )
    }) || spec
        .args
        .iter()
        .any(|a| matches!(a.role, ArgRole::Integer | ArgRole::Timeout))
}

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        let Some(spec) = bound.spec else { continue };
        // Each value is judged as it is found (the engine orders findings).
        for option in &bound.options {
            let kind = option.spec.kind;
            if !matches!(
                kind,
                ValueKind::Integer | ValueKind::Timeout | ValueKind::Drive | ValueKind::Key
            ) {
                continue;
            }
            let Some(value) = &option.value else { continue };
            let word = &command.words[value.word()];
            let (text, span, refs) = match value {
                OptValue::Inline { range, .. } => (
                    &word.text(cx.src)[range.start as usize..range.end as usize],
                    word.source_span(range.clone()),
                    word.refs.iter().any(|r| r.range.end > range.start),
                ),
                OptValue::Next { .. } => (word.text(cx.src), word.span, !word.is_literal()),
            };
            if refs {
                continue;
            }
            let whole = word.text(cx.src);
            let long = option.spec.long.as_str();
            let single_dash = (matches!(value, OptValue::Inline { .. })
                && whole.len() > long.len() + 1
                && !whole.starts_with(b"--")
                && whole[1..].starts_with(long.as_bytes()))
            .then(|| (word.span, format!("-{}", show(whole))));
            let value = Value {
                text,
                span: if span.is_empty() { word.span } else { span },
                what: What::Option(&option.spec.long),
                single_dash,
                timeout: kind == ValueKind::Timeout,
                seconds: false,
                key: kind == ValueKind::Key,
            };
            judge(cx, spec, value, sink);
        }
        let numbers = spec
            .args
            .iter()
            .any(|a| matches!(a.role, ArgRole::Integer | ArgRole::Timeout));
        if bound.problem.is_none() && numbers {
            for (n, word) in bound.positional_words(command).enumerate() {
                let Some(arg) = spec.arg_role(n) else {
                    continue;
                };
                if !matches!(arg.role, ArgRole::Integer | ArgRole::Timeout) {
                    continue;
                }
                let Some(text) = word_literal(word, cx.src) else {
                    never_a_number(cx, spec, word, sink);
                    continue;
                };
                let value = Value {
                    text,
                    span: word.span,
                    what: What::Argument(&spec.name),
                    single_dash: None,
                    timeout: arg.role == ArgRole::Timeout,
                    seconds: spec.name == "sleep",
                    key: false,
                };
                judge(cx, spec, value, sink);
            }
        }
    }
}

/// Reports a value that iPXE cannot read as a number or key.
fn judge(cx: &LineCx<'_>, spec: &ipxe_catalog::Command, value: Value<'_>, sink: &mut Sink) {
    if value.key && value.text.len() == 1 {
        return;
    }
    if parses_as_integer(value.text) {
        return;
    }
    let shown = show(value.text);
    let name = &spec.name;
    let fails = if name == "exit" {
        "fails instead of leaving the script"
    } else {
        "fails (\"Invalid argument\")"
    };
    let what = &value.what;
    let message = if value.text.is_empty() {
        format!(
            "{what} is empty: `{name}` prints `\"\": invalid integer value` and {fails} (iPXE before 2020 read it as 0)"
        )
    } else if value.key {
        format!(
            "{what} `{shown}` is neither one character nor a key code: `{name}` prints `\"{shown}\": invalid integer value` and {fails}"
        )
    } else {
        format!(
            "{what} `{shown}` is not a number iPXE can read: `{name}` prints `\"{shown}\": invalid integer value` and {fails}"
        )
    };
    if let Some((span, fixed)) = &value.single_dash {
        let written = show(span.slice(cx.src));
        let d = sink.report(&RULE, *span, message);
        d.set_help(format!(
            "with one dash, `{written}` is the short option `{}` followed by the value `{shown}`: did you mean `{fixed}`?",
            &written[..2]
        ));
        d.set_fix(
            format!("write `{fixed}`"),
            Applicability::Unsafe,
            vec![Edit::insert(span.start, "-")],
        );
        return;
    }
    let d = sink.report(&RULE, value.span, message);
    if value.key {
        d.set_help(key_help(&shown));
        if let Some((_, code)) = KEYS.iter().find(|(n, _)| *n == shown.to_ascii_lowercase())
        {
            d.set_fix(
                format!("use the key code `{code}`"),
                Applicability::Unsafe,
                vec![Edit::replace(value.span, *code)],
            );
        }
    } else if !value.text.is_empty() {
        let (help, replacement) = number_help(&shown, value.timeout, value.seconds);
        d.set_help(help);
        if let Some(replacement) = replacement {
            d.set_fix(
                format!("write `{replacement}`"),
                Applicability::Unsafe,
                vec![Edit::replace(value.span, replacement)],
            );
        }
    }
}

/// `sleep ${delay}s`: whatever the reference expands to, a fixed character that
/// is no digit in any base iPXE reads (nor a sign or `x`) makes the number invalid.
fn never_a_number(cx: &LineCx<'_>, spec: &ipxe_catalog::Command, word: &Word, sink: &mut Sink) {
    let text = word.text(cx.src);
    let outside = |at: usize| {
        !word
            .refs
            .iter()
            .any(|r| (r.range.start as usize) <= at && at < r.range.end as usize)
    };
    let Some(bad) = (0..text.len()).find(|&i| {
        outside(i) && !(text[i].is_ascii_hexdigit() || matches!(text[i], b'x' | b'X' | b'+' | b'-'))
    }) else {
        return;
    };
    let name = &spec.name;
    let shown = show(text);
    let c = show(&text[bad..bad + 1]);
    let d = sink.report(
        &RULE,
        word.span,
        format!("`{shown}` can never be a number: whatever the reference holds, `{c}` is not a digit, so `{name}` fails with \"invalid integer value\""),
    );
    if spec.name == "sleep" {
        d.set_help("`sleep` takes plain seconds: drop the unit");
    } else {
        d.set_help("write the number alone, in decimal or hex with `0x`");
    }
}
