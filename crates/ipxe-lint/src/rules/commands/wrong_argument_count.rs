//! ## What it does
//! Reports a command given fewer or more positional arguments than it
//! accepts: `iseq ${a}`, `goto a b`, `isset ${x} y`, `iseq ${x} "a b"`.
//!
//! ## Why is this bad?
//! iPXE checks the count before doing anything: it prints the command's usage
//! and fails with "Result too large", which aborts the script unless the line
//! handles the failure. Quotes are not special (`"a b"` is two arguments),
//! and a `${…}` reference is always exactly one argument, even when it
//! expands to nothing or to several words, so the count is known before the
//! script runs.
//!
//! A reference at the start of the arguments could expand to an option
//! (`choose ${opts} target`), which would lower the count; for commands that
//! have options, "too many" is then only a warning.
//!
//! ## Example
//! ```ipxe
//! iseq ${platform} "efi" "pcbios" || goto other
//! ```
//!
//! Use instead:
//! ```ipxe
//! iseq ${platform} efi || goto other
//! ```
//!
//! ## References
//! `reparse_options` in `src/core/parseopt.c` (`min_args`/`max_args` of each
//! command's descriptor).

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX102",
    name: "wrong-argument-count",
    summary: "a command gets fewer or more arguments than it accepts",
    severity: Severity::Error,
    fix: FixAvailability::None,
    check: Check::Line(check),
};

/// The usage line iPXE prints (`chain [-n|--name <name>] … [<uri|image> …]`).
fn usage_line(spec: &ipxe_catalog::Command) -> String {
    let mut line = spec
        .usage()
        .lines()
        .nth(2)
        .unwrap_or_default()
        .trim()
        .to_string();
    // Some commands print no argument summary; name the arguments anyway.
    if spec.args_usage.is_empty() && !spec.args.is_empty() {
        for arg in &spec.args {
            let name = if arg.repeat {
                format!("<{}>...", arg.name)
            } else {
                format!("<{}>", arg.name)
            };
            if arg.optional {
                line.push_str(&format!(" [{name}]"));
            } else {
                line.push_str(&format!(" {name}"));
            }
        }
    }
    line
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        let Some(spec) = bound.spec else { continue };
        if !spec.parses_options || bound.problem.is_some() {
            continue;
        }
        let count = bound.positionals.len();
        let too_few = count < spec.min_args;
        let too_many = !spec.unlimited_args() && count > spec.max_args;
        if !too_few && !too_many {
            continue;
        }
        let name = &spec.name;
        let accepts = match (spec.min_args, spec.max_args) {
            (0, 0) => "no arguments".to_string(),
            (min, max) if min == max => plural(min, "argument"),
            (0, max) => format!("at most {}", plural(max, "argument")),
            (min, max) if max >= ipxe_catalog::MAX_ARGUMENTS => {
                format!("at least {}", plural(min, "argument"))
            }
            (min, max) => format!("{min} to {max} arguments"),
        };
        let given = match count {
            0 => "none".to_string(),
            n => n.to_string(),
        };
        // "Too many" is uncertain when a leading reference might expand to an option.
        let severity = if too_many && bound.dynamic_stop.is_some() && !spec.options.is_empty() {
            Severity::Warning
        } else {
            Severity::Error
        };
        let span = if too_many {
            let extra = &command.words[bound.positionals[spec.max_args]..];
            extra[0].span.cover(extra[extra.len() - 1].span)
        } else {
            command.span().unwrap_or_default()
        };
        let mut message = format!(
            "`{name}` takes {accepts}, but is given {given}: iPXE prints its usage and the command fails (\"Result too large\")"
        );
        if severity == Severity::Warning {
            let first = &command.words[bound.dynamic_stop.unwrap_or(0)];
            message.push_str(&format!(
                ", unless `{}` expands to an option",
                show(first.text(cx.src))
            ));
        }
        let d = sink.report_with(&RULE, severity, span, message);
        let quoted = bound.positional_words(command).any(|w| {
            let t = w.text(cx.src);
            t.first().is_some_and(|&b| b == b'"' || b == b'\'')
                || t.last().is_some_and(|&b| b == b'"' || b == b'\'')
        });
        let mut help = format!("usage: {}", usage_line(spec));
        if quoted && too_many {
            help.push_str("; quotes are not special in iPXE, so a quoted text with spaces is still several arguments");
        }
        d.set_help(help);
    }
}
