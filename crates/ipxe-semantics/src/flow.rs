//! Control flow within one line.
//!
//! iPXE runs a line's commands left to right; `||` runs the next command only
//! after a failure, `&&` only after a success, `;` always; the line's status
//! is that of the last command that ran, and a non-zero status aborts the
//! script. `goto`, `exit` and `chain --replace` end the line at once
//! (`src/core/exec.c`). [`line_flow`] follows both outcomes of every command to
//! tell whether the next line can be reached, and how the line can end.

use ipxe_syntax::{Connector, Line};
use smallvec::SmallVec;

use crate::Bound;

/// How control can leave a command for good.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transfer {
    Goto,
    Exit,
    /// `boot`, `chain --replace` and friends: a booted kernel never returns.
    Boot,
    Reboot,
    Poweroff,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LineFlow {
    /// Some path ends the line successfully, so the next line runs.
    pub falls_through: bool,
    /// Some path ends the line with a failure, which aborts the script.
    pub may_abort: bool,
    /// The first way some path leaves for good.
    pub transfer: Option<Transfer>,
}

/// What one command can do.
fn effect(bound: &Bound, command: &ipxe_syntax::Command) -> (Option<Transfer>, bool, bool) {
    // (transfer on success, can succeed, can fail)
    if command.is_empty() {
        return (None, true, false);
    }
    let Some(spec) = bound.spec else {
        // Unknown or computed command names: either outcome.
        return (None, true, true);
    };
    if bound.problem.is_some() || !bound.arity_ok() {
        return (None, false, true);
    }
    let replace = bound.has_flag("replace");
    match spec.name.as_str() {
        // A failing `goto` (missing label) or `exit` (bad number) is a bug of
        // its own, reported elsewhere; for flow they always leave.
        "goto" => (Some(Transfer::Goto), true, false),
        "exit" => (Some(Transfer::Exit), true, false),
        "reboot" => (Some(Transfer::Reboot), true, true),
        "poweroff" => (Some(Transfer::Poweroff), true, true),
        // `boot` runs the selected kernel, which does not come back.
        "boot" => (Some(Transfer::Boot), true, true),
        "chain" | "imgexec" if replace => (Some(Transfer::Boot), true, true),
        // These only fail on option or argument errors, handled above.
        "echo" | "menu" | "set" | "clear" => (None, true, false),
        _ => (None, true, true),
    }
}

/// What one command can do, as far as its name and arguments tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcomes {
    /// How it leaves for good when it succeeds (`goto`, `exit`, `boot`…).
    pub transfer: Option<Transfer>,
    pub can_succeed: bool,
    pub can_fail: bool,
}

/// The outcomes [`line_flow`] assumes for one command.
pub fn command_outcomes(bound: &Bound, command: &ipxe_syntax::Command) -> Outcomes {
    let (transfer, can_succeed, can_fail) = effect(bound, command);
    Outcomes {
        transfer,
        can_succeed,
        can_fail,
    }
}

/// A command whose failure can become the status of its whole line, which
/// aborts the script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailingEnd {
    /// Index of the failing command in the line.
    pub command: u32,
    /// The first `&&` command this failure skipped on its way to the end of the line.
    pub skipped_and: Option<u32>,
}

/// Every command whose failure can end its line failed, in order: the
/// commands a linter can blame for an abort. `isset ${x} && goto found` gives
/// `isset` (having skipped the `goto`); `dhcp || goto retry` gives nothing.
pub fn failing_ends(line: &Line, bounds: &[Bound]) -> SmallVec<[FailingEnd; 4]> {
    let mut ok = true;
    let mut fails: SmallVec<[FailingEnd; 4]> = SmallVec::new();
    // `fails[..marked]` already know the first `&&` they skip.
    let mut marked = 0;
    for (index, (command, bound)) in line.commands.iter().zip(bounds).enumerate() {
        let connector = command.connector.map(|c| c.0);
        let (from_ok, from_fail) = match connector {
            None | Some(Connector::Seq) => (ok, !fails.is_empty()),
            Some(Connector::And) => (ok, false),
            Some(Connector::Or) => (false, !fails.is_empty()),
        };
        if connector == Some(Connector::And) {
            for fail in &mut fails[marked..] {
                fail.skipped_and.get_or_insert(index as u32);
            }
            marked = fails.len();
        }
        if !from_ok && !from_fail {
            continue;
        }
        let outcomes = command_outcomes(bound, command);
        let skipped_ok = ok && !from_ok;
        if from_fail {
            // The failures are handled: this command's status replaces them.
            fails.clear();
            marked = 0;
        }
        let ran_ok = outcomes.transfer.is_none() && outcomes.can_succeed;
        if outcomes.can_fail {
            fails.push(FailingEnd {
                command: index as u32,
                skipped_and: None,
            });
        }
        ok = skipped_ok || ran_ok;
    }
    fails
}

/// Follows a line's commands with both outcomes.
pub fn line_flow(line: &Line, bounds: &[Bound]) -> LineFlow {
    // Paths still running, by the status of the last command that ran.
    let mut ok = true; // before the first command: treat as "ok" for `;`/`&&` chains
    let mut fail = false;
    let mut flow = LineFlow::default();
    for (command, bound) in line.commands.iter().zip(bounds) {
        let (runs_from_ok, runs_from_fail) = match command.connector.map(|c| c.0) {
            None | Some(Connector::Seq) => (ok, fail),
            Some(Connector::And) => (ok, false),
            Some(Connector::Or) => (false, fail),
        };
        if !runs_from_ok && !runs_from_fail {
            continue;
        }
        let (transfer, can_ok, can_fail) = effect(bound, command);
        // Paths that skip this command keep their status.
        let skipped_ok = ok && !runs_from_ok;
        let skipped_fail = fail && !runs_from_fail;
        let (ran_ok, ran_fail) = match transfer {
            Some(t) => {
                flow.transfer.get_or_insert(t);
                (false, can_fail)
            }
            None => (can_ok, can_fail),
        };
        ok = skipped_ok || ran_ok;
        fail = skipped_fail || ran_fail;
    }
    flow.falls_through = ok;
    flow.may_abort = fail;
    flow
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bind;
    use ipxe_syntax::parse;

    fn flow(line: &str) -> LineFlow {
        let src = format!("#!ipxe\n{line}\n").into_bytes();
        let parsed = parse(&src);
        let line = &parsed.lines[1];
        let bounds: Vec<_> = line.commands.iter().map(|c| bind(c, &src)).collect();
        line_flow(line, &bounds)
    }

    #[test]
    fn trailing_or_never_aborts() {
        let f = flow("dhcp ||");
        assert!(f.falls_through && !f.may_abort);
        let f = flow("dhcp ;");
        assert!(f.falls_through && !f.may_abort);
    }

    #[test]
    fn and_without_or_can_abort() {
        let f = flow("isset ${x} && goto found");
        assert!(!f.falls_through, "isset ok -> goto; isset fail -> abort");
        assert!(f.may_abort);
        let f = flow("isset ${x} && goto found ||");
        assert!(f.falls_through && !f.may_abort);
    }

    #[test]
    fn goto_and_exit_transfer() {
        let f = flow("goto start");
        assert_eq!(f.transfer, Some(Transfer::Goto));
        assert!(!f.falls_through);
        let f = flow("exit 0");
        assert!(!f.falls_through);
        let f = flow("chain --replace http://x/y || goto failed");
        assert!(!f.falls_through && !f.may_abort);
        let f = flow("chain http://x/y || goto failed");
        assert!(f.falls_through);
    }

    fn ends(line: &str) -> Vec<(usize, Option<usize>)> {
        let src = format!("#!ipxe\n{line}\n").into_bytes();
        let parsed = parse(&src);
        let line = &parsed.lines[1];
        let bounds: Vec<_> = line.commands.iter().map(|c| bind(c, &src)).collect();
        failing_ends(line, &bounds)
            .into_iter()
            .map(|f| (f.command as usize, f.skipped_and.map(|a| a as usize)))
            .collect()
    }

    #[test]
    fn failing_ends_blame_the_command_and_the_skipped_and() {
        assert_eq!(ends("isset ${x} && goto found"), [(0, Some(1))]);
        assert_eq!(ends("isset ${x} && goto found ||"), []);
        assert_eq!(ends("dhcp || goto retry"), []);
        assert_eq!(ends("chain http://x/y"), [(0, None)]);
        // Both failures reach the end: dhcp's by skipping chain, chain's directly.
        assert_eq!(ends("dhcp && chain http://x/y"), [(0, Some(1)), (1, None)]);
        assert_eq!(ends("echo a ; iseq a b"), [(1, None)]);
        assert_eq!(ends("iseq a b ; echo a"), []);
        assert_eq!(ends("choose x && goto ${x}"), [(0, Some(1))]);
    }

    #[test]
    fn left_to_right_with_last_status() {
        // a && b || c: c runs if a or b failed.
        let f = flow("dhcp && echo ok || goto retry");
        assert!(f.falls_through);
        assert!(!f.may_abort);
    }
}
