//! ## What it does
//! Reports a `goto` that jumps back to a label above a `choose`, when that
//! `choose` destroyed its menu (no `--keep`) and nothing between the label
//! and the `choose` builds the menu again.
//!
//! ## Why is this bad?
//! `choose` destroys the menu it showed, whatever the outcome. Looping back
//! to it ("show the menu again") without re-running `menu` and `item` makes
//! the second `choose` fail with "no such menu" (HEAD: "no such user
//! interface"), and the script aborts. Put the label before `menu`, or use
//! `choose --keep`.
//!
//! ## Example
//! ```ipxe
//! menu Tools
//! item memtest Memory test
//! :tools
//! choose tool || exit
//! goto ${tool}
//! :memtest
//! chain memtest.ipxe ||
//! goto tools
//! ```
//!
//! Use instead: put `:tools` before `menu Tools`.
//!
//! ## References
//! `choose_exec` in `src/hci/commands/dynui_cmd.c`.

use ipxe_semantics::{GotoTarget, MenuEvent};

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX308",
    name: "menu-reused-after-choose",
    summary: "a loop back to a `choose` whose menu the previous `choose` destroyed",
    severity: Severity::Error,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    for goto in &model.gotos {
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
        // The first menu event at or after the label: it must be a `choose`
        // (no `menu` or `item` rebuilds anything first)...
        let Some(choose) = model
            .menu_events
            .iter()
            .find_map(|e| match e {
                MenuEvent::Menu { line, .. } if *line >= label.line => Some(None),
                MenuEvent::Item(i) if i.line >= label.line => Some(None),
                MenuEvent::Choose(c) if c.line >= label.line => Some(Some(c)),
                _ => None,
            })
            .flatten()
        else {
            continue;
        };
        // ...that destroys its menu, that the jump comes after, and that the
        // label reaches by falling through.
        if choose.keep || choose.line > goto.line {
            continue;
        }
        let falls = (label.line..choose.line).all(|l| model.lines[l as usize].flow.falls_through);
        // Nothing rebuilds that menu between the label and the jump, and it did exist before.
        let rebuilt = model.menu_events.iter().any(|e| {
            matches!(e, MenuEvent::Menu { name, line, .. } if *name == choose.menu && *line >= label.line && *line <= goto.line)
        });
        let existed = model.menu_events.iter().any(|e| {
            matches!(e, MenuEvent::Menu { name, line, .. } if *name == choose.menu && *line < label.line)
        });
        if !falls || rebuilt || !existed {
            continue;
        }
        let name = show(model.names.resolve(target));
        sink.report(
            &RULE,
            goto.span,
            format!(
                "`goto {name}` comes back to the `choose` on line {}, but that `choose` destroyed the menu and nothing after `:{name}` builds it again: the second `choose` fails with \"no such menu\" and iPXE aborts the script",
                choose.line + 1
            ),
        )
        .add_related(choose.span, "destroys the menu after showing it (no `--keep`)")
        .add_related(label.span, "the loop starts after the `menu` and `item` lines")
        .set_help(format!("move `:{name}` above the `menu` line, or use `choose --keep`"));
    }
}
