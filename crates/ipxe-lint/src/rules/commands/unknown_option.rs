//! ## What it does
//! Reports a word that iPXE's option parser reads as an option the command
//! does not have: `echo -e`, `echo ----`, `echo -`, `chain --autoboot`,
//! `choose --time 5000`. It suggests the closest real option.
//!
//! ## Why is this bad?
//! Every word that starts with `-` before the first argument is parsed as an
//! option (a lone `-` too). An unknown one makes iPXE print
//! `Unrecognised option "…"` with the usage, and the command fails with
//! "Invalid argument", which aborts the script unless the line handles the
//! failure. For commands that print text (`echo`, `prompt`, `menu`, `item`),
//! text starting with `-` must follow `--`, which ends the options.
//!
//! ## Example
//! ```ipxe
//! echo ------------------------
//! ```
//!
//! Use instead:
//! ```ipxe
//! echo -- ------------------------
//! ```
//!
//! ## Fix safety
//! Inserting `--` before text made only of punctuation (`----`, `-=-=-`) is
//! safe: that text can only be meant to be printed. Before other words
//! (`echo -e …`) it is unsafe, since the author may have meant an option.
//!
//! ## References
//! `getopt_long` in `src/core/getopt.c`; `reparse_options` in
//! `src/core/parseopt.c`.

use crate::prelude::*;
use crate::util::prints_text;
use crate::util::suggest;

pub(crate) const RULE: Rule = Rule {
    code: "IPX103",
    name: "unknown-option",
    summary: "an option the command does not have",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    check: Check::Line(check),
};

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    if !cx.any_problem {
        return;
    }
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        let (Some(spec), Some(OptionProblem::Unknown { word, option })) =
            (bound.spec, &bound.problem)
        else {
            continue;
        };
        let w = &command.words[*word];
        let text = w.text(cx.src);
        // Only judge what is written: `--${opt}` or `-${x}` may expand to a real option.
        let name_end = text.iter().position(|&b| b == b'=').unwrap_or(text.len()) as u32;
        if w.refs.iter().any(|r| r.range.start < name_end) {
            continue;
        }
        let shown = show(option);
        let name = &spec.name;
        let message = if option.as_slice() == b"-" {
            format!(
                "a lone `-` is read as an option: `{name}` fails with `Unrecognised option \"-\"` (\"Invalid argument\")"
            )
        } else {
            format!(
                "`{name}` has no option `{shown}`: iPXE prints `Unrecognised option \"{shown}\"` and the command fails (\"Invalid argument\")"
            )
        };
        let span = if option.len() == 2 && text.len() > 2 && !text.starts_with(b"--") {
            // One letter of a bundle (`-nx`): point at it. iPXE reads one
            // byte as the letter; when that byte starts `é`, point at the `é`.
            let at = text
                .iter()
                .skip(1)
                .position(|&b| b == option[1])
                .map_or(0, |p| p + 1) as u32;
            widen_to_chars(cx.src, w.source_span(at..at + 1))
        } else {
            w.span
        };
        let d = sink.report(&RULE, span, message);
        let longs = spec.options.iter().map(|o| o.long.as_str());
        let close = if let Some(long) = option.strip_prefix(b"--") {
            std::str::from_utf8(long)
                .ok()
                .and_then(|l| suggest(l, longs))
        } else {
            // `-timeout` is read as `-t imeout`; `-name` as `-n ame`…
            let word_name = show(&text[1..name_end as usize]);
            spec.options
                .iter()
                .map(|o| o.long.as_str())
                .find(|l| *l == word_name)
                .or_else(|| {
                    (word_name.len() > 2)
                        .then(|| suggest(&word_name, spec.options.iter().map(|o| o.long.as_str())))
                        .flatten()
                })
        };
        let decorative = !text.iter().any(u8::is_ascii_alphanumeric);
        if let Some(close) = close {
            d.set_help(format!("did you mean `--{close}`?"));
        } else if prints_text(spec) {
            let words = |ws: &[Word]| {
                ws.iter()
                    .map(|w| show(w.text(cx.src)) + " ")
                    .collect::<String>()
            };
            let (before, rest) = (
                words(&command.words[1..*word]),
                words(&command.words[*word..]),
            );
            d.set_help(format!(
                "words starting with `-` before the text are read as options: write `{name} {before}-- {}` to show them as text",
                rest.trim_end()
            ));
        } else if spec.options.is_empty() {
            d.set_help(format!("`{name}` has no options"));
        } else {
            let list: Vec<String> = spec
                .options
                .iter()
                .map(|o| format!("--{}", o.long))
                .collect();
            d.set_help(format!("`{name}` accepts {}", list.join(", ")));
        }
        if prints_text(spec) && close.is_none() {
            let applicability = if decorative {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            d.set_fix(
                "insert `--` to end the options",
                applicability,
                vec![Edit::insert(w.span.start, "-- ")],
            );
        }
    }
}
