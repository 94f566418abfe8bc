//! ## What it does
//! Reports a line whose command can fail and skip the `&&` that follows it,
//! so that the whole line ends with that failure: `isset ${x} && goto found`.
//!
//! ## Why is this bad?
//! iPXE has no `if`: a line's status is the status of the last command that
//! ran, and a failed line aborts the script. When the test before `&&` is
//! false, `&&` skips the rest of the line, the line fails, and the script
//! stops there (a top-level script then exits iPXE) instead of going on to
//! the next line as the author meant.
//!
//! ## Example
//! ```ipxe
//! isset ${proxy} && goto use_proxy
//! echo no proxy
//! ```
//!
//! Use instead:
//! ```ipxe
//! isset ${proxy} && goto use_proxy ||
//! echo no proxy
//! ```
//!
//! ## Fix safety
//! Appending ` ||` makes the failure fall through to the next line. That is
//! what the line is usually meant to do, but it changes when the script
//! stops, so the fix is unsafe.
//!
//! ## References
//! `system` and `process_script` in `src/core/exec.c` and `src/image/script.c`.

use ipxe_semantics::failing_ends;

use crate::prelude::*;
use crate::util::command_text;

pub(crate) const RULE: Rule = Rule {
    code: "IPX204",
    name: "and-without-fallback",
    summary: "a failure before `&&` skips the rest of the line and aborts the script",
    severity: Severity::Error,
    fix: FixAvailability::Always,
    check: Check::Line(check),
};

/// Commands whose failure is part of normal operation: tests, the network,
/// downloads, the user. Others fail only on Ctrl-C (`sleep`), on usage
/// errors or missing build features (reported by other rules), or on a
/// string counter (`inc`, IPX403).
fn fails_in_normal_use(name: &str, bound: &Bound) -> bool {
    match name {
        "isset" | "iseq" | "cpuid" | "dhcp" | "ifconf" | "ifopen" | "iflinkwait" | "ntp"
        | "nslookup" | "ping" | "sync" | "chain" | "imgexec" | "boot" | "kernel" | "initrd"
        | "imgfetch" | "module" | "imgselect" | "imgload" | "imgargs" | "sanboot" | "sanhook"
        | "imgverify" | "imgextract" | "imgdecrypt" | "imgset" | "shim" | "fdt" | "certstore"
        | "read" | "login" | "present" | "pciscan" | "usbscan" | "show" | "pxebs" => true,
        "prompt" => bound.has_flag("key") || bound.has_flag("timeout"),
        "imgfree" | "imgstat" => !bound.positionals.is_empty(),
        _ => name.ends_with("sum"), // digests of images that may be missing
    }
}

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    let line = cx.line;
    if !line
        .commands
        .iter()
        .any(|c| matches!(c.connector, Some((Connector::And, _))))
    {
        return; // no `&&` on the line
    }
    // The first failure that skipped an `&&`; `choose` is IPX305's business.
    let Some((end, and)) = failing_ends(line, cx.bounds).into_iter().find_map(|end| {
        let and = end.skipped_and?;
        let bound = &cx.bounds[end.command as usize];
        let name = bound.spec?.name.as_str();
        let usage_error = bound.problem.is_some() || !bound.arity_ok();
        (fails_in_normal_use(name, bound) && !usage_error).then_some((end, and))
    }) else {
        return;
    };
    let failing = &line.commands[end.command as usize];
    let Some(span) = failing.span() else { return };
    let skipped = &line.commands[and as usize];
    let what = command_text(failing, cx.src);
    let message = if skipped.is_empty() {
        format!("when `{what}` fails, the line ends with that failure and iPXE aborts the script")
    } else {
        format!(
            "when `{what}` fails, `&&` skips `{}` and the line fails: iPXE aborts the script here",
            command_text(skipped, cx.src)
        )
    };
    let d = sink.report(&RULE, span, message);
    if let Some((_, token)) = skipped.connector {
        d.add_related(
            cx.line.token_span(token),
            "a failure skips everything after this `&&`",
        );
    }
    d.set_help("end the line with ` ||` so that a failed test falls through to the next line");
    if let Some(last) = line.commands.iter().rev().find_map(Command::span) {
        d.set_fix(
            "append ` ||`",
            Applicability::Unsafe,
            vec![Edit::insert(last.end, " ||")],
        );
    }
}
