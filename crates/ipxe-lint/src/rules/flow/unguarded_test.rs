//! ## What it does
//! Reports a test (`isset`, `iseq`, `cpuid`, or `prompt` with `--key` or
//! `--timeout`) standing on a line without `||` or `&&`.
//!
//! ## Why is this bad?
//! A test only tells its result through its status, and iPXE aborts the
//! script on the first line that ends with a failure. A bare test therefore
//! does nothing when it is true and stops the whole script when it is false:
//! `iseq ${platform} efi` on its own line ends a BIOS boot right there.
//!
//! ## Example
//! ```ipxe
//! iseq ${platform} efi
//! goto efi_boot
//! ```
//!
//! Use instead:
//! ```ipxe
//! iseq ${platform} efi && goto efi_boot ||
//! goto bios_boot
//! ```
//!
//! ## References
//! `isset_exec`, `iseq_exec` in `src/core/exec.c`; `cpuid_exec` in
//! `src/arch/x86/hci/commands/cpuid_cmd.c`; `prompt_exec` in `src/image/script.c`.

use ipxe_semantics::failing_ends;

use crate::prelude::*;
use crate::util::command_text;

pub(crate) const RULE: Rule = Rule {
    code: "IPX205",
    name: "unguarded-test",
    summary: "a test without `||` or `&&`: when it is false the script aborts",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::Commands(is_test, check),
};

/// When each test fails.
fn fails_when(name: &str, bound: &Bound) -> Option<&'static str> {
    Some(match name {
        "isset" => "when its value is empty",
        "iseq" => "when the two values differ",
        "cpuid" => "when the CPU lacks that feature",
        "prompt" if bound.has_flag("timeout") && bound.has_flag("key") => {
            "when the time runs out or another key is pressed"
        }
        "prompt" if bound.has_flag("timeout") => "when the time runs out",
        "prompt" if bound.has_flag("key") => "when another key is pressed",
        _ => return None,
    })
}

fn is_test(spec: &ipxe_catalog::Command) -> bool {
    matches!(spec.name.as_str(), "isset" | "iseq" | "cpuid" | "prompt")
}

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    let line = cx.line;
    let branches = line
        .commands
        .iter()
        .any(|c| matches!(c.connector, Some((Connector::Or | Connector::And, _))));
    if branches {
        return; // `&&` failures are IPX204's; `||` lines branch on purpose
    }
    for end in failing_ends(line, cx.bounds) {
        let bound = &cx.bounds[end.command as usize];
        let Some(name) = bound.spec.map(|s| s.name.as_str()) else {
            continue;
        };
        let Some(when) = fails_when(name, bound) else {
            continue;
        };
        if bound.problem.is_some() || !bound.arity_ok() {
            continue; // a usage error, reported by the command rules
        }
        let command = &line.commands[end.command as usize];
        let Some(span) = command.span() else { continue };
        sink.report(
            &RULE,
            span,
            format!(
                "`{}` fails {when}, and with no `||` on the line iPXE then aborts the script",
                command_text(command, cx.src)
            ),
        )
        .set_help(format!(
            "branch on the result, e.g. `{name} … || goto other`, or `{name} … && goto yes ||`"
        ));
    }
}
