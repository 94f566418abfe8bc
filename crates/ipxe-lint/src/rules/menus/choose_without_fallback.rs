//! ## What it does
//! Reports a `choose` whose failure is not handled on its line (no `||`
//! after it).
//!
//! ## Why is this bad?
//! `choose` fails when the user presses Esc or Ctrl-C, and when the menu has
//! no selectable item. Without `||` the failed line aborts the whole script:
//! a user backing out of a menu ends up at "Could not boot" (or, for a
//! top-level script, outside iPXE). `choose target && goto ${target}` has
//! the same problem.
//!
//! ## Example
//! ```ipxe
//! choose target
//! goto ${target}
//! ```
//!
//! Use instead:
//! ```ipxe
//! choose target || goto cancel
//! goto ${target}
//! ```
//!
//! ## References
//! `choose_exec` in `src/hci/commands/dynui_cmd.c`; `show_menu` in
//! `src/hci/tui/menu_ui.c`.

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX305",
    name: "choose-without-fallback",
    summary: "`choose` without `||`: Esc makes it fail and aborts the script",
    severity: Severity::Error,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for call in cx.model.calls_named(&["choose"]) {
        let Some(end) = call.unhandled else {
            continue;
        };
        let how = if end.skipped_and.is_some() {
            "the `&&` after it skips the rest of the line, and the line fails"
        } else {
            "nothing on this line handles that"
        };
        sink.report(
            &RULE,
            call.span,
            format!("Esc, Ctrl-C or a menu without selectable items make `choose` fail; {how}: iPXE aborts the script"),
        )
        .set_help("handle the failure on the same line, e.g. `choose … target || goto cancel`, and `goto ${target}` on the next one");
    }
}
