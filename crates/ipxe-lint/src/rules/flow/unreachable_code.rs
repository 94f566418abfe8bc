//! ## What it does
//! Reports commands that follow a line which always leaves (`goto`, `exit`,
//! or `chain --replace`/`reboot`/`poweroff` with a `|| goto` or `|| exit`
//! fallback) when no label comes in between. `boot` does not count: an EFI
//! image can return, and `boot` with nothing selected succeeds. Neither does
//! `goto ${x} || …`, whose `||` runs when the label is missing.
//!
//! ## Why is this bad?
//! iPXE runs a script line by line and only `goto` can jump; a line can only
//! be reached by falling through from the line above or by being a label.
//! Commands after an unconditional jump with no label before them never run:
//! usually a label was forgotten or misspelt (`failsafe:` instead of
//! `:failsafe`), or an old block was left behind. Lines that can also fail
//! and abort are IPX204's business, not this rule's.
//!
//! ## Example
//! ```ipxe
//! goto start
//! echo never printed
//! :start
//! ```
//!
//! Use instead: add the missing label, or remove the dead lines.
//!
//! ## References
//! `process_script` and `goto_exec` in `src/image/script.c`.

use std::borrow::Cow;

use ipxe_semantics::{CallFact, FileModel, GotoFact, GotoTarget};

use crate::prelude::*;
use crate::util::{shorten_str, text};

pub(crate) const RULE: Rule = Rule {
    code: "IPX207",
    name: "unreachable-code",
    summary: "commands after an unconditional `goto`/`exit`/`boot` that no label reaches",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::File(check),
};

/// Whether a line that always leaves only seems to: a `goto` that may miss
/// its label followed by `||` (`goto ${menu} || chain ${menu}.ipxe`), and
/// `boot` or `imgexec`, which return when an EFI image exits or nothing is
/// selected. Given the line's calls and gotos.
fn may_stay(model: &FileModel, calls: &[CallFact], gotos: &[GotoFact]) -> bool {
    calls
        .iter()
        .any(|c| matches!(c.name(), "boot" | "imgexec"))
        || gotos.iter().any(|goto| {
            let sure =
                matches!(goto.target, GotoTarget::Literal(t) if model.first_label.contains_key(&t));
            goto.handled && !sure
        })
}

/// The facts of `list` (in line order) from line `line` on: a walk
/// through the lines moves along the list, instead of searching it anew.
fn from_line<T>(list: &[T], line_of: impl Fn(&T) -> u32, line: u32) -> &[T] {
    let skip = list.iter().take_while(|f| line_of(f) < line).count();
    &list[skip..]
}

/// The first facts of `list`, those on line `line`.
fn on_line<T>(list: &[T], line_of: impl Fn(&T) -> u32, line: u32) -> &[T] {
    &list[..list.iter().take_while(|f| line_of(f) == line).count()]
}

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    let lines = &model.lines;
    // The line that always leaves, the first dead command, and how many dead lines.
    let mut dead: Option<(usize, Option<Span>, usize)> = None;
    let flush = |dead: &mut Option<(usize, Option<Span>, usize)>, sink: &mut Sink| {
        if let Some((end, Some(first), count)) = dead.take() {
            let ending = &lines[end];
            let text = text(ending.span.slice(cx.src));
            let text = shorten_str(text.trim(), 48);
            let more: Cow<str> = match count {
                1 => "".into(),
                2 => " (nor does the next line with a command)".into(),
                n => format!(" (nor do the {} lines with commands after it)", n - 1).into(),
            };
            let message = format!(
                "this never runs{more}: line {} (`{text}`) always jumps away, and no label comes before this line",
                end + 1
            );
            sink.report(&RULE, first, message)
                .add_related(ending.span, "every path through this line leaves")
                .set_help("add the label this block was meant to have, or remove the dead lines");
        }
    };
    // The calls and gotos from the current line on.
    let (mut calls, mut gotos) = (&model.calls[..], &model.gotos[..]);
    for (i, line) in lines.iter().enumerate() {
        if line.label().is_some() {
            flush(&mut dead, sink);
        } else if let Some((_, first, count)) = &mut dead {
            if let Some(span) = line.first_command() {
                first.get_or_insert(span);
                *count += 1;
            }
            continue;
        }
        let flow = line.flow;
        if flow.transfer.is_some() && !flow.falls_through && !flow.may_abort {
            let i = i as u32;
            calls = from_line(calls, |c| c.line, i);
            gotos = from_line(gotos, |g| g.line, i);
            let here = (on_line(calls, |c| c.line, i), on_line(gotos, |g| g.line, i));
            if !may_stay(model, here.0, here.1) {
                dead = Some((i as usize, None, 0));
            }
        }
    }
    flush(&mut dead, sink);
}
