//! ## What it does
//! Reports a word after a command's first argument that names one of the
//! command's own options: `chain ${url} --autofree`, `kernel vmlinuz -n k`,
//! `item linux Linux --key l`.
//!
//! ## Why is this bad?
//! iPXE parses options only before the first argument (no reordering as in
//! GNU tools). Everything after it is an argument, even when it starts with
//! `-`: `chain ${url} --autofree` passes `--autofree` to the booted image on
//! its command line, and `item linux Linux --key l` shows `Linux --key l` as
//! the text and gives the item no shortcut key. Words after `--` are not
//! reported: `--` says that they are meant as text.
//!
//! ## Example
//! ```ipxe
//! chain --replace ${base}/menu.ipxe --autofree
//! ```
//!
//! Use instead:
//! ```ipxe
//! chain --replace --autofree ${base}/menu.ipxe
//! ```
//!
//! ## Fix safety
//! Moving the option before the first argument is unsafe: the command starts
//! to behave differently.
//!
//! ## References
//! `getopt_long` in `src/core/getopt.c` (it stops at the first non-option).

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX105",
    name: "option-after-argument",
    summary: "an option written after the first argument is just another argument",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    check: Check::Line(check),
};

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        let Some(spec) = bound.spec else { continue };
        if bound.problem.is_some() || bound.end_of_options.is_some() || spec.options.is_empty() {
            continue;
        }
        let Some(&first) = bound.positionals.first() else {
            continue;
        };
        // An option starts with `-` (a joined word starts with its span's first byte).
        if !bound.positionals[1..]
            .iter()
            .any(|&i| cx.src[command.words[i].span.start as usize] == b'-')
        {
            continue;
        }
        let role = spec.args.first().map(|a| a.role);
        let image_command = matches!(
            role,
            Some(ArgRole::Uri | ArgRole::UriOrImage | ArgRole::Image)
        ) && spec.args.get(1).is_some_and(|a| a.role == ArgRole::Text);
        let mut n = 1;
        while n < bound.positionals.len() {
            let this = n;
            let index = bound.positionals[n];
            n += 1;
            let word = &command.words[index];
            let Some(text) = word_literal(word, cx.src) else {
                continue;
            };
            // `kernel vmlinuz quiet -- -s`: what follows `--` is meant as given.
            if text == b"--" {
                break;
            }
            let option = if let Some(long) = text.strip_prefix(b"--") {
                let name = long.split(|&b| b == b'=').next().unwrap_or_default();
                std::str::from_utf8(name)
                    .ok()
                    .and_then(|n| spec.option_long(n))
            } else if text.len() == 2 && text[0] == b'-' {
                spec.option_short(text[1] as char)
            } else {
                None
            };
            let Some(option) = option else { continue };
            // The option's value, when it would have taken the next word.
            let value = (option.arg == ipxe_catalog::OptArg::Required && !text.contains(&b'='))
                .then(|| bound.positionals.get(n).map(|&i| &command.words[i]))
                .flatten()
                .filter(|v| v.text(cx.src).first() != Some(&b'-'));
            if value.is_some() {
                n += 1;
            }
            let name = &spec.name;
            let after = show(command.words[first].text(cx.src));
            let fate = if image_command {
                "iPXE passes it to the image as part of its command line".to_string()
            } else if spec.arg_role(this).is_some_and(|a| a.role == ArgRole::Text) {
                "iPXE shows it as part of the text".to_string()
            } else {
                format!("iPXE gives it to `{name}` as an argument")
            };
            let shown = show(text);
            let d = sink.report(
                &RULE,
                word.span,
                format!(
                    "`{shown}` comes after the argument `{after}`, so it is not an option: {fate}"
                ),
            );
            d.set_help(format!(
                "options must come before the first argument: `{name} {shown} … {after} …`"
            ));
            let last = value.unwrap_or(word);
            let moved = &cx.src[word.span.start as usize..last.span.end as usize];
            let previous = &command.words[index - 1];
            let mut insert = moved.to_vec();
            insert.push(b' ');
            d.set_fix(
                format!("move `{shown}` before `{after}`"),
                Applicability::Unsafe,
                vec![
                    Edit::insert(command.words[first].span.start, insert),
                    Edit::delete(Span::new(previous.span.end, last.span.end)),
                ],
            );
        }
    }
}
