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

use rustc_hash::FxHashMap;

use ipxe_semantics::{GotoTarget, MenuEvent, Sym};

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
    let events = &model.menu_events;
    // The line of each event, side by side for quick searches.
    let mut event_lines: Option<Vec<u32>> = None;
    // Lines where each menu is (re)created, in order.
    let mut created: FxHashMap<Option<Sym>, Vec<u32>> = FxHashMap::default();
    for event in events {
        if let MenuEvent::Menu { name, line, .. } = event {
            created.entry(*name).or_default().push(*line);
        }
    }
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
        // The first menu event at or after the label must be a `choose`
        // (no `menu` or `item` rebuilds anything first)...
        let event_lines = event_lines.get_or_insert_with(|| {
            events
                .iter()
                .map(|e| match e {
                    MenuEvent::Menu { line, .. } => *line,
                    MenuEvent::Item(i) => i.line,
                    MenuEvent::Choose(c) => c.line,
                })
                .collect()
        });
        let first = event_lines.partition_point(|&l| l < label.line);
        let Some(MenuEvent::Choose(choose)) = events.get(first) else {
            continue;
        };
        // ...that destroys its menu, that the jump comes after, and that the
        // label reaches by falling through.
        if choose.keep || choose.line > goto.line || !model.falls_through(label.line..choose.line) {
            continue;
        }
        // Nothing rebuilds that menu between the label and the jump, and it did exist before.
        let Some(lines) = created.get(&choose.menu) else {
            continue;
        };
        let before = lines.partition_point(|&l| l < label.line);
        let rebuilt = lines.get(before).is_some_and(|&l| l <= goto.line);
        if before == 0 || rebuilt {
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
