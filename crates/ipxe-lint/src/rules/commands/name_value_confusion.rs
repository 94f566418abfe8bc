//! ## What it does
//! Reports a setting *reference* where a setting *name* is expected, and a
//! name where a value is expected:
//! * `show ${x}`, `set ${x} …`, `clear ${x}`, `read ${x}`, `inc ${x}`,
//!   `choose ${x}` — the command works on the setting whose name is the
//!   *value* of `x`;
//! * `isset x` — tests the word `x`, which is never empty, so it always
//!   succeeds;
//! * `iseq` of two fixed words — always true or always false.
//!
//! ## Why is this bad?
//! `${x}` is replaced by the value of `x` before the command runs, so
//! `show ${x}` looks up a setting named, say, `efi`, and fails when there is
//! none; `set ${x} 1` with `x` unset has an empty name and fails. Conversely,
//! `isset` and `iseq` test the words they are given: `isset ksdevice || set
//! ksdevice bootif` never sets anything, and `iseq branch v3.21` compares the
//! word `branch`, not the setting. Deliberate indirection (`set ${var} …`) is
//! rare; silence it with `#ipxelint disable=IPX111` where it is meant.
//!
//! ## Example
//! ```ipxe
//! isset ksdevice || set ksdevice bootif
//! iseq branch edge && goto edge ||
//! ```
//!
//! Use instead:
//! ```ipxe
//! isset ${ksdevice} || set ksdevice bootif
//! iseq ${branch} edge && goto edge ||
//! ```
//!
//! ## Fix safety
//! Adding or removing `${…}` is unsafe: it changes what is tested or written.
//!
//! ## References
//! `isset_exec`, `iseq_exec` in `src/core/exec.c`; `parse_existing_setting`
//! and `parse_autovivified_setting` in `src/core/parseopt.c`.

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX111",
    name: "name-value-confusion",
    summary: "a `${reference}` where a setting name is expected, or a fixed word where a value is tested",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    check: Check::Commands(
        |c| {
            matches!(c.name.as_str(), "isset" | "iseq")
                || c.args.iter().any(|a| a.role == ArgRole::SettingName)
        },
        check,
    ),
};

/// A word that is one whole `${name}` reference (static name).
fn whole_reference<'a>(word: &'a Word, src: &'a [u8]) -> Option<&'a [u8]> {
    let text = word.text(src);
    let r = word.refs.iter().find(|r| r.parent.is_none())?;
    (r.range.start == 0 && r.range.end as usize == text.len() && !r.dynamic)
        .then(|| &text[r.inner.start as usize..r.inner.end as usize])
}

/// Looks like a setting name someone forgot to write as `${…}`.
fn name_like(text: &[u8]) -> bool {
    !text.is_empty()
        && text[0].is_ascii_alphabetic()
        && text
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/' | b'.' | b':'))
        && !text.contains(&b'.')
}

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        let Some(spec) = bound.spec else { continue };
        // With the wrong number of arguments (IPX102) the roles are guesswork.
        if bound.problem.is_some() || !bound.arity_ok() {
            continue;
        }
        let name = spec.name.as_str();
        for word in bound.setting_name_words(command) {
            let Some(inner) = whole_reference(word, cx.src) else {
                continue;
            };
            let inner = show(inner);
            let action = match name {
                "show" => "shows",
                "set" => "writes",
                "clear" => "deletes",
                "read" => "edits",
                "inc" => "increments",
                "choose" => "stores the choice in",
                _ => "uses",
            };
            let d = sink.report(
                &RULE,
                word.span,
                format!(
                    "`{name} ${{{inner}}}` {action} the setting named by the value of `{inner}`, not `{inner}` itself; if `{inner}` is empty, the name is empty and `{name}` fails"
                ),
            );
            d.set_help(format!(
                "write `{name} {inner}` to use the setting `{inner}`"
            ));
            d.set_fix(
                format!("write `{inner}`"),
                Applicability::Unsafe,
                vec![Edit::replace(word.span, inner.clone())],
            );
        }
        match name {
            "isset" => {
                let Some(word) = bound.positional(command, 0) else {
                    continue;
                };
                let text = word.text(cx.src);
                let literal_chars = text.len()
                    - word
                        .refs
                        .iter()
                        .filter(|r| r.parent.is_none())
                        .map(|r| r.range.len())
                        .sum::<usize>();
                if literal_chars == 0 {
                    continue;
                }
                let shown = show(text);
                let (message, fix) = if word.is_literal() {
                    (
                        format!(
                            "`isset {shown}` tests the word `{shown}` itself, which is never empty: it always succeeds"
                        ),
                        name_like(text).then(|| format!("${{{shown}}}")),
                    )
                } else {
                    (
                        format!(
                            "`isset {shown}` always succeeds: the word has fixed text besides its references, so it is never empty"
                        ),
                        None,
                    )
                };
                let d = sink.report(&RULE, word.span, message);
                match fix {
                    Some(fix) => {
                        d.set_help(format!("to test the setting, write `isset {fix}`"));
                        d.set_fix(
                            format!("write `{fix}`"),
                            Applicability::Unsafe,
                            vec![Edit::replace(word.span, fix)],
                        );
                    }
                    None => {
                        d.set_help("test only the reference: `isset ${name}`");
                    }
                }
            }
            "iseq" => {
                let (Some(a), Some(b)) =
                    (bound.positional(command, 0), bound.positional(command, 1))
                else {
                    continue;
                };
                if bound.positionals.len() != 2 || !a.is_literal() || !b.is_literal() {
                    continue;
                }
                let (ta, tb) = (a.text(cx.src), b.text(cx.src));
                let outcome = if ta == tb {
                    "always succeeds"
                } else {
                    "always fails"
                };
                let d = sink.report(
                    &RULE,
                    a.span.cover(b.span),
                    format!(
                        "`iseq {} {}` compares two fixed words, so it {outcome}",
                        show(ta),
                        show(tb)
                    ),
                );
                // Suggest a reference for the word that looks like a setting name.
                let which = [a, b].into_iter().find(|w| name_like(w.text(cx.src)));
                match which {
                    Some(w) => {
                        let t = show(w.text(cx.src));
                        d.set_help(format!("did you mean `${{{t}}}`?"));
                        d.set_fix(
                            format!("write `${{{t}}}`"),
                            Applicability::Unsafe,
                            vec![Edit::replace(w.span, format!("${{{t}}}"))],
                        );
                    }
                    None => {
                        d.set_help("compare a setting with `${name}`");
                    }
                }
            }
            _ => {}
        }
    }
}
