//! ## What it does
//! Reports an option that needs a value but gets none (`choose --timeout`
//! at the end, or `--timeout -1`), and an option that takes no value but is
//! given one (`chain --autofree=yes`).
//!
//! ## Why is this bad?
//! iPXE takes an option's value from the same word (`--timeout=5000`,
//! `-t5000`) or from the next word — but only when that word does not start
//! with `-`. So `--timeout -1` leaves `--timeout` without a value, iPXE prints
//! `Option "timeout" requires an argument`, and the command fails with
//! "Invalid argument" (aborting the script unless the line handles it). A
//! flag given `=value` fails with `Option "autofree" takes no argument`.
//!
//! ## Example
//! ```ipxe
//! prompt --key 0x02 --timeout -1 Press Ctrl-B
//! ```
//!
//! Use instead:
//! ```ipxe
//! prompt --key 0x02 --timeout=-1 Press Ctrl-B
//! ```
//!
//! ## Fix safety
//! Attaching the value with `=`, or dropping the value of a flag, is unsafe:
//! the command starts to run with a value the author may not have meant.
//!
//! ## References
//! `getopt_long` and `match_long_option` in `src/core/getopt.c`.

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX104",
    name: "option-value-mismatch",
    summary: "an option lacks its value, or a flag is given one",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    check: Check::Line(check),
};

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    if !cx.any_problem {
        return;
    }
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        let Some(spec) = bound.spec else { continue };
        match &bound.problem {
            Some(OptionProblem::MissingValue { word, long }) => {
                let w = &command.words[*word];
                let text = w.text(cx.src);
                let is_long = text.starts_with(b"--");
                let written = if is_long {
                    format!("--{long}")
                } else {
                    let short = spec.option_long(long).map_or('?', |o| o.short);
                    format!("-{short}")
                };
                let named = if is_long {
                    format!("`{written}`")
                } else {
                    format!("`{written}` (`--{long}`)")
                };
                let next = command.words.get(word + 1);
                let message = match next {
                    Some(next) => format!(
                        "{named} needs a value, but the next word `{}` starts with `-`, so iPXE does not take it: the command fails with `Option \"{}\" requires an argument`",
                        show(next.text(cx.src)),
                        if is_long {
                            long.clone()
                        } else {
                            written[1..].to_string()
                        },
                    ),
                    None => format!(
                        "{named} needs a value, but nothing follows it: the command fails with `Option \"{}\" requires an argument`",
                        if is_long {
                            long.clone()
                        } else {
                            written[1..].to_string()
                        },
                    ),
                };
                let d = sink.report(&RULE, w.span, message);
                let Some(next) = next else { continue };
                let next_text = next.text(cx.src);
                // `--timeout --default x`: the value was forgotten, not negative.
                let next_is_option = next_text.starts_with(b"--")
                    && spec
                        .option_long(
                            &show(&next_text[2..])
                                .split('=')
                                .next()
                                .unwrap_or_default()
                                .to_string(),
                        )
                        .is_some();
                let glue = if is_long { "=" } else { "" };
                if next_is_option {
                    d.set_help(format!(
                        "`{}` is another option: give `{written}` its value first",
                        show(next_text)
                    ));
                } else {
                    d.set_help(format!(
                        "a value that starts with `-` must be attached: `{written}{glue}{}`",
                        show(next_text)
                    ));
                }
                if !next_is_option && w.span.end < next.span.start {
                    d.set_fix(
                        format!("attach `{}` to `{written}`", show(next_text)),
                        Applicability::Unsafe,
                        vec![Edit::replace(Span::new(w.span.end, next.span.start), glue)],
                    );
                }
            }
            Some(OptionProblem::TakesNoValue { word, long }) => {
                let w = &command.words[*word];
                let text = w.text(cx.src);
                let eq = text.iter().position(|&b| b == b'=').unwrap_or(text.len()) as u32;
                let value_span = w.source_span(eq..text.len() as u32);
                let d = sink.report(
                    &RULE,
                    w.span,
                    format!(
                        "`--{long}` takes no value, but is given `{}`: the command fails with `Option \"{long}\" takes no argument`",
                        show(&text[(eq as usize + 1).min(text.len())..])
                    ),
                );
                d.set_help(format!("write just `--{long}`"));
                d.set_fix(
                    format!("remove the value of `--{long}`"),
                    Applicability::Unsafe,
                    vec![Edit::delete(value_span)],
                );
            }
            _ => {}
        }
    }
}
