//! ## What it does
//! Reports a `ping` without `--count`, or with `--count 0`.
//!
//! ## Why is this bad?
//! Without a count, iPXE's `ping` sends one request a second for ever: it
//! stops only when someone presses Ctrl-C, and then it *fails* ("Operation
//! canceled"), which aborts the script unless the line handles the
//! failure. `--count 0` means the same (no limit). An unattended machine
//! that reaches such a line hangs there and never boots. With `--count N`,
//! `ping` stops after N requests; it succeeds when at least one reply came
//! back, and fails otherwise, so `ping --count 3 host || goto offline` is a
//! reachability test.
//!
//! ## Example
//! ```ipxe
//! ping ${next-server}
//! ```
//!
//! Use instead:
//! ```ipxe
//! ping --count 4 ${next-server} || goto offline
//! ```
//!
//! ## Fix safety
//! The fix adds `--count 4`. It is unsafe: the command then ends, and it
//! fails when no reply came back, which may abort a script whose line does
//! not handle the failure.
//!
//! ## References
//! `ping_exec` and `ping_opts` in `src/hci/commands/ping_cmd.c` (`count`
//! is "zero for no limit"); `create_pinger` and `pinger_expired` in
//! `src/core/pinger.c`; `monojob_wait` in `src/core/monojob.c` (only
//! Ctrl-C ends the wait, with `-ECANCELED`).

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX113",
    name: "ping-without-count",
    summary: "a `ping` without `--count` never stops on its own",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    check: Check::Commands(|c| c.name == "ping", check),
};

/// The count the fix suggests.
const COUNT: &str = "4";

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        if !bound.spec.is_some_and(|s| s.name == "ping") || bound.problem.is_some() {
            continue;
        }
        // Option parsing stopped at a computed word (`ping ${server}`). It
        // holds options only if it expands to some, and then more words
        // follow it than `ping` takes arguments (`ping ${opts} host`).
        if bound.dynamic_stop.is_some() && bound.positionals.len() > 1 {
            continue;
        }
        let Some(name) = command.words.first() else {
            continue;
        };
        match bound.option("count") {
            None => {
                sink.report(
                    &RULE,
                    name.span,
                    "`ping` without `--count` never stops on its own: it pings until Ctrl-C is pressed, then fails (\"Operation canceled\")",
                )
                .set_help(format!(
                    "give it a count: `ping --count {COUNT} …` stops after {COUNT} requests, and fails when no reply came back"
                ))
                .set_fix(
                    format!("add `--count {COUNT}`"),
                    Applicability::Unsafe,
                    vec![Edit::insert(name.span.end, format!(" --count {COUNT}"))],
                );
            }
            Some(option) => {
                let Some(value) = option.value.as_ref() else {
                    continue;
                };
                let word = &command.words[value.word()];
                if !word.is_literal() || !zero(bound.option_value(command, cx.src, "count")) {
                    continue;
                }
                let span = match value {
                    OptValue::Inline { range, .. } => word.source_span(range.clone()),
                    OptValue::Next { .. } => word.span,
                };
                sink.report(
                    &RULE,
                    span,
                    "`--count 0` means no limit: this `ping` never stops on its own, it pings until Ctrl-C is pressed, then fails (\"Operation canceled\")",
                )
                .set_help(format!("give it a positive count, such as {COUNT}"))
                .set_fix(
                    format!("use `--count {COUNT}`"),
                    Applicability::Unsafe,
                    vec![Edit::replace(span, COUNT)],
                );
            }
        }
    }
}

/// Whether a literal count is zero as `parse_integer` reads it (`0`, `00`,
/// `0x0`); other values are left to the option-value rule.
fn zero(value: Option<&[u8]>) -> bool {
    let Some(value) = value else { return false };
    let digits = value
        .strip_prefix(b"0x")
        .or_else(|| value.strip_prefix(b"0X"))
        .unwrap_or(value);
    !value.is_empty() && digits.iter().all(|&b| b == b'0')
}
