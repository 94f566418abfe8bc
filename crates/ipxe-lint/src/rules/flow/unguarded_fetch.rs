//! ## What it does
//! Reports a download (`chain`, `imgexec`, `kernel`, `initrd`, `imgfetch`,
//! `module`, `sanboot`) whose failure ends its line, because nothing on the
//! line handles it with `||`.
//!
//! ## Why is this bad?
//! Networks and servers fail. When the download fails the command fails, and
//! iPXE aborts the script on the spot with only the download error on the
//! screen. A top-level (embedded) script then exits iPXE altogether: BIOS
//! moves on to the next boot device. With `|| goto failed` the script can
//! say what happened, retry, or offer a shell. Reported once per script, at
//! the first such download, and only for scripts that handle some other
//! download or configure the network themselves (as top-level scripts do):
//! a chained script that never handles failures leaves them to its caller.
//!
//! ## Example
//! ```ipxe
//! kernel http://boot.example/vmlinuz
//! initrd http://boot.example/initrd.img
//! boot
//! ```
//!
//! Use instead:
//! ```ipxe
//! kernel http://boot.example/vmlinuz || goto failed
//! initrd http://boot.example/initrd.img || goto failed
//! boot || goto failed
//! :failed
//! echo Boot failed; dropping to a shell
//! shell
//! ```
//!
//! ## References
//! `imgexec`/`imgfetch` in `src/usr/imgmgmt.c` and `src/hci/commands/image_cmd.c`;
//! `sanboot_core_exec` in `src/hci/commands/sanboot_cmd.c`; `process_script`
//! in `src/image/script.c`.

use crate::prelude::*;
use crate::util::shorten;

pub(crate) const RULE: Rule = Rule {
    code: "IPX210",
    name: "unguarded-fetch",
    summary: "a download without `||`: when it fails the script aborts",
    severity: Severity::Info,
    fix: FixAvailability::None,
    check: Check::File(check),
};

const FETCHES: &[&str] = &[
    "chain", "imgexec", "kernel", "initrd", "imgfetch", "module", "sanboot",
];

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let unguarded: Vec<_> = cx
        .model
        .calls
        .iter()
        .filter(|c| FETCHES.contains(&c.name) && c.unhandled.is_some())
        .filter(|c| !(c.name == "sanboot" && c.args.is_empty())) // boots a hooked drive
        .collect();
    let Some(first) = unguarded.first() else {
        return;
    };
    // Stay quiet on scripts that never handle download failures and are
    // chained by another script (whose `||` sees the failure): report when
    // the script handles some other download, or configures the network
    // itself as a top-level (embedded) script does.
    let calls = &cx.model.calls;
    let handles_some = calls
        .iter()
        .any(|c| FETCHES.contains(&c.name) && c.unhandled.is_none());
    let top_level = calls
        .iter()
        .any(|c| matches!(c.name, "dhcp" | "ifconf" | "ifopen"));
    if !handles_some && !top_level {
        return;
    }
    let text = shorten(show(first.span.slice(cx.src)).trim(), 48);
    let what = match first.name {
        "sanboot" => "when the SAN target cannot be reached or booted",
        "chain" | "imgexec" => "when the download (or the program) fails",
        _ => "when the download fails",
    };
    let more = match unguarded.len() {
        1 => String::new(),
        2 => " (so does 1 more download in this script)".to_string(),
        n => format!(" (so do {} more downloads in this script)", n - 1),
    };
    let d = sink.report(
        &RULE,
        first.span,
        format!("`{text}` fails {what}, and with no `||` iPXE then aborts the script{more}; a top-level script exits iPXE"),
    );
    for other in unguarded.iter().skip(1).take(5) {
        d.add_related(other.span, "also unguarded");
    }
    d.set_help(format!(
        "handle the failure: `{} … || goto failed` with a `:failed` block that explains and offers a shell",
        first.name
    ));
}
