//! ## What it does
//! Reports a `choose` with no `menu` before it that creates the menu it
//! shows (the unnamed menu, or the one named by `--menu`).
//!
//! ## Why is this bad?
//! `choose` needs an existing menu: without one it fails with "No default
//! menu" (or "no such menu") and the script aborts. `item` lines alone do
//! not create a menu; they fail the same way.
//!
//! ## Example
//! ```ipxe
//! item local Boot from disk
//! choose target || exit
//! ```
//!
//! Use instead:
//! ```ipxe
//! menu Boot
//! item local Boot from disk
//! choose target || exit
//! ```
//!
//! ## References
//! `choose_exec` and `parse_dynui` in `src/hci/commands/dynui_cmd.c`.

use rustc_hash::FxHashSet;

use ipxe_semantics::{MenuEvent, Sym};

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX303",
    name: "choose-without-menu",
    summary: "a `choose` with no `menu` before it",
    severity: Severity::Error,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    let mut created: FxHashSet<Option<Sym>> = FxHashSet::default();
    let mut items: FxHashSet<Option<Sym>> = FxHashSet::default();
    let mut reported: FxHashSet<Option<Sym>> = FxHashSet::default();
    for event in &model.menu_events {
        match event {
            MenuEvent::Menu { name, .. } => {
                created.insert(*name);
            }
            MenuEvent::Item(item) => {
                items.insert(item.menu);
            }
            MenuEvent::Choose(choose) => {
                if created.contains(&choose.menu) || !reported.insert(choose.menu) {
                    continue;
                }
                let (which, error) = match choose.menu {
                    Some(m) => (format!("menu `{}`", model.names.display(m)), "no such menu"),
                    None => ("menu".to_string(), "No default menu"),
                };
                let before = if items.contains(&choose.menu) {
                    " (the `item` lines before it fail the same way)"
                } else {
                    ""
                };
                let help = match choose.menu {
                    Some(m) => format!(
                        "create it first: `menu --name {} <title>`",
                        model.names.display(m)
                    ),
                    None => "create it first: `menu <title>`, then the `item` lines".to_string(),
                };
                sink.report(
                    &RULE,
                    choose.span,
                    format!("no `menu` creates the {which} before this `choose`: iPXE fails with \"{error}\" and aborts the script{before}"),
                )
                .set_help(help);
            }
        }
    }
}
