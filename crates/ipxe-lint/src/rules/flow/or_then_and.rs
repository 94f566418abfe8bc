//! ## What it does
//! Reports `A || B && C` where a success of `A` skips `B` but still runs `C`.
//!
//! ## Why is this bad?
//! iPXE evaluates a line strictly left to right, and `&&` looks only at the
//! status of the last command that ran: `A || B && C` is `(A || B) && C`,
//! not `A || (B && C)`. Written as an "on failure do B then C", it runs `C`
//! on success too: `dhcp || echo DHCP failed && goto retry` jumps to `retry`
//! when DHCP works. Chains where the command before `||` always leaves the
//! line (`iseq … && goto x || iseq … && goto y`) are fine and not reported,
//! and so are "either" conditions whose `B` is a test
//! (`isset ${a} || isset ${b} && set any 1 ||`).
//!
//! ## Example
//! ```ipxe
//! dhcp || echo DHCP failed && goto retry
//! ```
//!
//! Use instead:
//! ```ipxe
//! dhcp && goto online ||
//! echo DHCP failed
//! goto retry
//! :online
//! ```
//!
//! ## References
//! `system` in `src/core/exec.c`.

use ipxe_semantics::command_outcomes;

use crate::prelude::*;
use crate::util::command_text;

pub(crate) const RULE: Rule = Rule {
    code: "IPX206",
    name: "or-then-and",
    summary: "`A || B && C` runs `C` when `A` succeeds, skipping only `B`",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::Line(check),
};

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    let commands = &cx.line.commands;
    let has = |op: Connector| {
        commands
            .iter()
            .any(|c| c.connector.is_some_and(|(o, _)| o == op))
    };
    if !has(Connector::Or) || !has(Connector::And) {
        return;
    }
    // Paths still running with a success status: `fresh` ones, and ones that
    // skipped the `||` command at `skipped` on their way.
    let mut fresh = true;
    let mut skipped: Option<usize> = None;
    let mut fail = false;
    for (i, (command, bound)) in commands.iter().zip(cx.bounds).enumerate() {
        let connector = command.connector.map(|c| c.0);
        if connector == Some(Connector::And) {
            if let Some(j) = skipped {
                report(cx, sink, j, i);
                return;
            }
        }
        let (from_ok, from_fail) = match connector {
            None | Some(Connector::Seq) => (true, true),
            Some(Connector::And) => (true, false),
            Some(Connector::Or) => (false, true),
        };
        let ran = (from_ok && (fresh || skipped.is_some())) || (from_fail && fail);
        let (mut next_fresh, mut next_skipped, mut next_fail) = (false, None, false);
        if !from_ok {
            // `A || B && C` with a test as `B` is an "either" condition, as meant.
            let test = matches!(
                bound.spec.map(|s| s.name.as_str()),
                Some("isset" | "iseq" | "cpuid")
            );
            let skip_here = (fresh && !command.is_empty() && !test).then_some(i);
            next_skipped = skipped.or(skip_here);
        }
        if !from_fail {
            next_fail = fail;
        }
        if ran {
            let o = command_outcomes(bound, command);
            next_fresh = o.transfer.is_none() && o.can_succeed;
            next_fail |= o.can_fail;
        }
        fresh = next_fresh;
        skipped = next_skipped;
        fail = next_fail;
    }
}

fn report(cx: &LineCx<'_>, sink: &mut Sink, skipped: usize, and: usize) {
    let commands = &cx.line.commands;
    let (Some((_, and_token)), Some((_, or_token))) =
        (commands[and].connector, commands[skipped].connector)
    else {
        return;
    };
    let before = commands[..skipped].iter().rev().find(|c| !c.is_empty());
    let b = command_text(&commands[skipped], cx.src);
    let c = command_text(&commands[and], cx.src);
    let message = match before {
        Some(a) => format!(
            "iPXE reads this as `({} || {b}) && {c}`: when `{}` succeeds, `{b}` is skipped but `{c}` still runs",
            command_text(a, cx.src),
            command_text(a, cx.src)
        ),
        None => format!("`{b}` can be skipped while `{c}` still runs"),
    };
    sink.report(&RULE, cx.line.token_span(and_token), message)
        .add_related(cx.line.token_span(or_token), "a success here skips only the next command")
        .set_help("iPXE has no grouping: put the failure branch on lines of its own (`A && goto ok ||` then `B`, `C`)");
}
