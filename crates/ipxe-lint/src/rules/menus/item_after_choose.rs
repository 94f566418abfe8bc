//! ## What it does
//! Reports `item` lines that come after the `choose` that was meant to show
//! them, with no new `menu` in between.
//!
//! ## Why is this bad?
//! `choose` shows the menu as it is at that moment and then destroys it
//! (unless `--keep`). An `item` after it has no menu to join: iPXE fails with
//! "No default menu" (or "no such menu" for a named one), and the script
//! aborts. The `choose` never showed the item either way. Only items that
//! the `choose` line falls through to are reported: a block reached by a
//! jump may have a menu of its own.
//!
//! ## Example
//! ```ipxe
//! menu Boot
//! item local Boot from disk
//! choose target || exit
//! item shell iPXE shell
//! ```
//!
//! Use instead: put every `item` between `menu` and `choose`.
//!
//! ## References
//! `item_exec` and `choose_exec` in `src/hci/commands/dynui_cmd.c`.

use rustc_hash::FxHashMap;

use ipxe_semantics::{ChooseFact, MenuEvent, Sym};

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX302",
    name: "item-after-choose",
    summary: "an `item` after the `choose` that destroyed its menu",
    severity: Severity::Error,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    // Menus destroyed by a `choose`, and whether that was already reported.
    let mut destroyed: FxHashMap<Option<Sym>, (&ChooseFact, bool)> = FxHashMap::default();
    for event in &model.menu_events {
        match event {
            MenuEvent::Menu { name, .. } => {
                destroyed.remove(name);
            }
            MenuEvent::Choose(choose) if !choose.keep => {
                destroyed.insert(choose.menu, (choose, false));
            }
            MenuEvent::Choose(_) => {}
            MenuEvent::Item(item) => {
                let Some((choose, reported)) = destroyed.get_mut(&item.menu) else {
                    continue;
                };
                // Only when the item follows the `choose` by falling through:
                // a jump may bring other paths here with a fresh menu.
                let falls = model.falls_through(choose.line..item.line);
                if !falls || std::mem::replace(reported, true) {
                    continue; // one finding per destroyed menu: the first item aborts
                }
                let menu = match item.menu {
                    Some(m) => format!("menu `{}`", model.names.display(m)),
                    None => "menu".to_string(),
                };
                let error = if item.menu.is_some() {
                    "no such menu"
                } else {
                    "No default menu"
                };
                sink.report(
                    &RULE,
                    item.span,
                    format!(
                        "this `item` comes after the `choose` on line {} that showed and destroyed the {menu}: iPXE fails with \"{error}\" and aborts the script",
                        choose.line + 1
                    ),
                )
                .add_related(choose.span, "the menu is destroyed here (no `--keep`)")
                .set_help("move the `item` lines before the `choose`, or start a new menu with `menu` first");
            }
        }
    }
}
