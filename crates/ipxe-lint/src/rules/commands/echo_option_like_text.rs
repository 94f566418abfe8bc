//! ## What it does
//! Reports `echo ${value}` (and `prompt`, `menu`, `form` titles) whose text
//! begins with a setting that this script sets to something starting with
//! `-`, or fills from the keyboard with `read`, when no `--` comes first.
//!
//! ## Why is this bad?
//! iPXE expands references *before* parsing options, so a value that starts
//! with `-` is read as options: `set line ------` + `echo ${line}` fails with
//! "Unrecognised option" and aborts the script, and a value of `-n` silently
//! drops the newline. Text typed at a `read` prompt can start with `-` too
//! (reported as info: a person rarely types one).
//! Values this linter cannot see (set in another script, from DHCP, or
//! computed) are not reported, to keep the rule quiet: `--` is still the safe
//! way to print any value.
//!
//! ## Example
//! ```ipxe
//! set line ------------------------
//! echo ${line}
//! ```
//!
//! Use instead:
//! ```ipxe
//! set line ------------------------
//! echo -- ${line}
//! ```
//!
//! ## Fix safety
//! Safe: `--` changes nothing unless the value starts with `-`, where it
//! turns a failure (or a lost newline) into the intended text.
//!
//! ## References
//! `getopt_long` in `src/core/getopt.c`; `system` in `src/core/exec.c`
//! (expansion happens before the command runs).

use rustc_hash::FxHashMap;

use ipxe_semantics::{WriteKind, bind};
use ipxe_syntax::{Lines, split_setting_name};

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX112",
    name: "echo-option-like-text",
    summary: "text that starts with a `${…}` value that may begin with `-` is read as options",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    check: Check::File(check),
};

/// Setting types whose formatted value never starts with `-`.
const SAFE_TYPES: &[&str] = &[
    "ipv4", "ipv6", "uint8", "uint16", "uint32", "hex", "hexhyp", "hexraw", "base64", "uuid",
    "guid", "busdevfn", "dnssl",
];

/// Why a setting's value may start with `-`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Risk {
    /// Typed at a `read` prompt.
    Read,
    /// `set x -…` in this script.
    Dash,
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\x0B' | b'\x0C' | b'\r')
}

/// The first byte of the value a `set` stores, given the span of its name word
/// (`None` when there is no value: the setting is deleted).
fn value_start(src: &[u8], name: Span) -> Option<&[u8]> {
    let mut i = name.end as usize;
    loop {
        while i < src.len() && is_blank(src[i]) {
            i += 1;
        }
        // A `\` continuation: the value goes on on the next line.
        if src.get(i) == Some(&b'\\') {
            let mut j = i + 1;
            if src.get(j) == Some(&b'\r') {
                j += 1;
            }
            if src.get(j) == Some(&b'\n') {
                i = j + 1;
                continue;
            }
        }
        break;
    }
    let end = src[i..]
        .iter()
        .position(|&b| is_blank(b) || b == b'\n')
        .map_or(src.len(), |p| i + p);
    let word = &src[i..end];
    if word.is_empty() || word.starts_with(b"#") || matches!(word, b"||" | b"&&" | b";") {
        return None;
    }
    Some(word)
}

/// Settings of this script whose value may start with `-`.
fn risky_settings(cx: &FileCx<'_>) -> FxHashMap<Vec<u8>, (Risk, Span)> {
    let model = cx.model;
    // In file order (calls are), for a binary search.
    let reads: Vec<Span> = model
        .calls_named(&["read"])
        .filter_map(|c| model.args_of(c).first().copied())
        .collect();
    let mut risky = FxHashMap::default();
    for (sym, write) in &model.writes {
        let mut risk: Option<(Risk, Span)> = None;
        for &(kind, span) in &write.kinds {
            let found = match kind {
                WriteKind::SetString | WriteKind::SetTyped => {
                    let name = span.slice(cx.src);
                    let parts = split_setting_name(name);
                    let ty = parts.ty.map(|t| &name[t.start as usize..t.end as usize]);
                    if ty.is_some_and(|t| SAFE_TYPES.iter().any(|s| s.as_bytes() == t)) {
                        None
                    } else {
                        value_start(cx.src, span)
                            .filter(|v| v.starts_with(b"-"))
                            .map(|_| (Risk::Dash, span))
                    }
                }
                WriteKind::Other
                    if reads
                        .binary_search_by_key(&span.start, |s| s.start)
                        .is_ok_and(|i| reads[i] == span) => Some((Risk::Read, span)),
                _ => None,
            };
            if found.is_some_and(|f| risk.is_none_or(|r| f.0 > r.0)) {
                risk = found;
            }
        }
        if let Some(risk) = risk {
            risky.insert(model.names.resolve(*sym).to_vec(), risk);
        }
    }
    risky
}

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let risky = risky_settings(cx);
    if risky.is_empty() {
        return;
    }
    for line in &cx.model.lines {
        let text = line.span.slice(cx.src);
        if !text.windows(2).any(|w| w == b"${") {
            continue;
        }
        // Re-read just this line to find text commands that start with a reference.
        let Some(parsed) = Lines::new(text).next() else {
            continue;
        };
        let offset = line.span.start;
        for command in &parsed.commands {
            let bound = bind(command, text);
            let Some(spec) = bound.spec else { continue };
            if !spec.args.first().is_some_and(|a| a.role == ArgRole::Text) || !spec.parses_options {
                continue;
            }
            if bound.problem.is_some() || bound.end_of_options.is_some() {
                continue;
            }
            let (Some(stop), Some(&first)) = (bound.dynamic_stop, bound.positionals.first()) else {
                continue;
            };
            if stop != first {
                continue;
            }
            let word = &command.words[first];
            let word_text = word.text(text);
            let Some(r) = word
                .refs
                .iter()
                .find(|r| r.range.start == 0 && r.parent.is_none())
            else {
                continue;
            };
            let Some(name) = r.name(word_text) else {
                continue;
            };
            let typed_safe = r
                .ty(word_text)
                .is_some_and(|t| SAFE_TYPES.iter().any(|s| s.as_bytes() == t));
            let Some(&(risk, write)) = risky.get(name).filter(|_| !typed_safe) else {
                continue;
            };
            let reference = show(&word_text[r.range.start as usize..r.range.end as usize]);
            let span = word.ref_span(r);
            let span = Span::new(span.start + offset, span.end + offset);
            let cmd = &spec.name;
            let (severity, why, note) = match risk {
                Risk::Dash => (
                    Severity::Warning,
                    format!("`{reference}` is set to a value starting with `-`"),
                    "set here to a value starting with `-`",
                ),
                Risk::Read => (
                    Severity::Info,
                    format!("`{reference}` is typed in at a `read` prompt and may start with `-`"),
                    "filled in from the keyboard here",
                ),
            };
            let d = sink.report_with(
                &RULE,
                severity,
                span,
                if cmd == "echo" {
                    format!("{why}: `echo` then reads it as options (`-n` drops the newline, anything else makes `echo` fail)")
                } else {
                    format!("{why}: `{cmd}` then reads it as options and fails with \"Unrecognised option\" (or takes it as one of its own)")
                },
            );
            d.add_related(write, note);
            d.set_help(format!(
                "write `{cmd} -- {}` to always treat it as text",
                show(word_text)
            ));
            let start = word.span.start + offset;
            d.set_fix(
                "insert `--` before the text",
                Applicability::Safe,
                vec![Edit::insert(start, "-- ")],
            );
        }
    }
}
