//! ## What it does
//! Reports `-h` or `--help` among a command's options.
//!
//! ## Why is this bad?
//! Every iPXE command that parses options accepts `--help`: it prints the
//! usage and then *fails* with "Operation canceled", so in a script it aborts
//! the script unless the line handles the failure — and the command never
//! does its job. For `echo` and other text commands, text that starts with
//! `-` must follow `--`.
//!
//! ## Example
//! ```ipxe
//! echo -h for help, press any key
//! ```
//!
//! Use instead:
//! ```ipxe
//! echo -- -h for help, press any key
//! ```
//!
//! ## References
//! `reparse_options` in `src/core/parseopt.c`.

use crate::prelude::*;
use crate::util::prints_text;

pub(crate) const RULE: Rule = Rule {
    code: "IPX108",
    name: "help-option",
    summary: "`--help` makes the command print its usage and fail",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    check: Check::Line(check),
};

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    if !cx.any_problem {
        return;
    }
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        let (Some(spec), Some(OptionProblem::Help { word })) = (bound.spec, &bound.problem) else {
            continue;
        };
        let w = &command.words[*word];
        let text = w.text(cx.src);
        if !w.is_literal() {
            continue;
        }
        let name = &spec.name;
        let written = if text.starts_with(b"--") {
            "--help".to_string()
        } else {
            "-h".to_string()
        };
        let span = if text.starts_with(b"--") || text.len() == 2 {
            w.span
        } else {
            let at = text.iter().position(|&b| b == b'h').unwrap_or(0) as u32;
            w.source_span(at..at + 1)
        };
        let d = sink.report(
            &RULE,
            span,
            format!("`{written}` makes `{name}` print its usage and fail (\"Operation canceled\"): the command never runs"),
        );
        if prints_text(spec) {
            d.set_help(format!(
                "to show it as text, end the options first: `{name} -- {}`",
                show(text)
            ));
            d.set_fix(
                "insert `--` to end the options",
                Applicability::Unsafe,
                vec![Edit::insert(w.span.start, "-- ")],
            );
        } else {
            d.set_help(format!("see {} for the usage instead", spec.doc_url()));
        }
    }
}
