//! ## What it does
//! Reports a retry loop, `:retry` … `dhcp || goto retry`, with nothing
//! between the label and the `goto` that could end it: no counter (`inc`
//! with an `iseq` test), no other test, no prompt or menu, no `exit`, no
//! jump elsewhere.
//!
//! ## Why is this bad?
//! iPXE has no loop limit. When the network or server is down for good, the
//! loop spins forever (often without a message), and the machine never
//! reaches its next boot device or a shell where someone could look at the
//! problem.
//!
//! ## Example
//! ```ipxe
//! :retry
//! dhcp || goto retry
//! ```
//!
//! Use instead:
//! ```ipxe
//! set tries:int32 0
//! :retry
//! dhcp && goto online ||
//! inc tries
//! iseq ${tries} 5 || goto retry
//! echo DHCP failed 5 times
//! shell
//! :online
//! ```
//!
//! ## References
//! `goto_exec` in `src/image/script.c`; the retry loop in iPXE's
//! `src/config/cloud/aws.ipxe`.

use std::collections::{HashMap, HashSet};

use ipxe_semantics::{GotoTarget, Sym};

use crate::prelude::*;
use crate::util::shorten;

pub(crate) const RULE: Rule = Rule {
    code: "IPX209",
    name: "endless-retry-loop",
    summary: "`:retry` … `cmd || goto retry` with no counter or way out",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::File(check),
};

/// Commands whose presence in a loop can end it (a test, a counter, the
/// user, a way out).
const LOOP_BREAKERS: &[&str] = &[
    "inc", "iseq", "isset", "cpuid", "prompt", "read", "choose", "present", "login", "shell",
    "config", "exit", "reboot", "poweroff",
];

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    // Sorted lines of the calls that can end a loop, and of the gotos by literal target.
    let breakers: Vec<u32> = model
        .calls
        .iter()
        .filter(|c| LOOP_BREAKERS.contains(&c.name()))
        .map(|c| c.line)
        .collect();
    let mut by_target: HashMap<Sym, Vec<u32>> = HashMap::new();
    for goto in &model.gotos {
        if let GotoTarget::Literal(t) = goto.target {
            by_target.entry(t).or_default().push(goto.line);
        }
    }
    let count_in = |lines: &[u32], range: &std::ops::RangeInclusive<u32>| {
        lines.partition_point(|&l| l <= *range.end())
            - lines.partition_point(|&l| l < *range.start())
    };
    let mut reported = HashSet::new();
    for call in &model.calls {
        if call.name() != "goto" || call.connector != Some(Connector::Or) {
            continue;
        }
        let Some(goto) = model
            .gotos_in(call.line..=call.line)
            .iter()
            .find(|g| Some(&g.span) == model.args_of(call).first())
        else {
            continue;
        };
        let GotoTarget::Literal(target) = goto.target else {
            continue;
        };
        let Some(&label) = model.first_label.get(&target) else {
            continue;
        };
        let label = &model.labels[label as usize];
        if label.line > goto.line {
            continue;
        }
        let body = label.line..=goto.line;
        let breaks = count_in(&breakers, &body) > 0;
        // Any jump in the loop to somewhere else than its start.
        let leaves = model.gotos_in(body.clone()).len() > count_in(&by_target[&target], &body);
        if breaks || leaves || !reported.insert(target) {
            continue; // one finding per loop
        }
        let retried = retried_text(cx, call.line, call.span.start);
        let name = show(model.names.resolve(target));
        let what = if retried.is_empty() {
            "this line".to_string()
        } else {
            format!("`{retried}`")
        };
        sink.report(
            &RULE,
            goto.span,
            format!(
                "`goto {name}` retries {what} for as long as it fails, forever: nothing between `:{name}` (line {}) and here counts attempts or offers a way out",
                label.line + 1
            ),
        )
        .add_related(label.span, "the loop starts here")
        .set_help(format!(
            "count the attempts: `set tries:int32 0` before `:{name}`, then `inc tries` and `iseq ${{tries}} 5 || goto {name}` after the failure, followed by a way out (`shell`, `exit 1`)"
        ));
    }
}

/// What the line does before its `|| goto`: the command being retried.
fn retried_text(cx: &FileCx<'_>, line: u32, goto_start: u32) -> String {
    let Some(facts) = cx.model.lines.get(line as usize) else {
        return String::new();
    };
    let start = facts.first_command().map_or(facts.span.start, |s| s.start);
    if start >= goto_start {
        return String::new();
    }
    let text = show(&cx.src[start as usize..goto_start as usize]);
    let text = text.trim_end().trim_end_matches("||").trim();
    shorten(text, 40)
}
