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

use rustc_hash::FxHashSet;

use ipxe_semantics::GotoTarget;

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
    let gotos = &model.gotos;
    // Built on first use: sorted lines of the calls that can end a loop, and
    // for each goto where the run of gotos with its literal target starts.
    let mut breakers: Option<Vec<u32>> = None;
    let mut runs: Option<Vec<u32>> = None;
    let mut reported = FxHashSet::default();
    // Gotos and calls are both in line order: walk them together.
    let mut next_goto = 0;
    for call in model.calls_named(&["goto"]) {
        if call.connector != Some(Connector::Or) {
            continue;
        }
        let Some(arg) = model.args_of(call).first() else {
            continue;
        };
        while gotos.get(next_goto).is_some_and(|g| g.line < call.line) {
            next_goto += 1;
        }
        let Some(goto) = gotos[next_goto..]
            .iter()
            .take_while(|g| g.line == call.line)
            .find(|g| g.span == *arg)
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
        if label.line > goto.line || reported.contains(&target) {
            continue; // one finding per loop
        }
        let breakers = breakers.get_or_insert_with(|| {
            model
                .calls_named(LOOP_BREAKERS)
                .map(|c| c.line)
                .collect()
        });
        let first = breakers.partition_point(|&l| l < label.line);
        if breakers.get(first).is_some_and(|&l| l <= goto.line) {
            continue;
        }
        // Any jump in the loop to somewhere else than its start: the gotos
        // of the loop are not one run of jumps to `target`.
        let runs = runs.get_or_insert_with(|| {
            let mut runs = Vec::with_capacity(gotos.len());
            for (i, g) in gotos.iter().enumerate() {
                let same = i > 0
                    && matches!(g.target, GotoTarget::Literal(_))
                    && g.target == gotos[i - 1].target;
                runs.push(if same { runs[i - 1] } else { i as u32 });
            }
            runs
        });
        let start = gotos.partition_point(|g| g.line < label.line);
        let end = gotos.partition_point(|g| g.line <= goto.line);
        let last = end - 1; // the goto itself is in the loop
        let leaves = gotos[last].target != goto.target || (runs[last] as usize) > start;
        if leaves {
            continue;
        }
        reported.insert(target);
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
