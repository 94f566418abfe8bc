//! ## What it does
//! Reports `boot` (or `imgexec`) without an argument when no `kernel`,
//! `imgselect` or `imgload` comes before it in the script.
//!
//! ## Why is this bad?
//! With no argument, `boot` runs the selected image. When nothing is
//! selected it prints "No image selected" and **succeeds**, so
//! `boot || goto failed` does not catch the problem and the script runs on
//! into whatever follows. Usually the `kernel` line is missing, misspelt
//! (`kernal`), or only runs on another branch.
//!
//! ## Example
//! ```ipxe
//! initrd http://boot.example/initrd.img
//! boot || goto failed
//! ```
//!
//! Use instead:
//! ```ipxe
//! kernel http://boot.example/vmlinuz
//! initrd http://boot.example/initrd.img
//! boot || goto failed
//! ```
//!
//! ## References
//! `imgexec_exec` in `src/hci/commands/image_cmd.c`; `image_exec` in
//! `src/core/image.c`.

use ipxe_semantics::ImageFactKind;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX504",
    name: "boot-without-kernel",
    summary: "`boot` with no image selected before it prints \"No image selected\" and succeeds",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    let first_kernel = model
        .images
        .iter()
        .filter(|i| i.kind == ImageFactKind::Kernel)
        .map(|i| i.line)
        .min();
    for call in model.calls_named(&["boot", "imgexec"]) {
        if !call.args.is_empty() {
            continue;
        }
        if first_kernel.is_some_and(|k| k <= call.line) {
            continue;
        }
        sink.report(
            &RULE,
            call.span,
            format!(
                "no `kernel` or `imgselect` comes before this `{}`: with no image selected it prints \"No image selected\" and succeeds, so the script runs on (and `|| goto …` never fires)",
                call.name()
            ),
        )
        .set_help("select the image first: `kernel <url>` (or give `boot` the image to run)");
    }
}
