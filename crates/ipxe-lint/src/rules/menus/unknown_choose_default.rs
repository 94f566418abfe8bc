//! ## What it does
//! Reports `choose --default X` where `X` is not the name of any item of
//! the menu being shown.
//!
//! ## Why is this bad?
//! iPXE looks the default up by exact item name. When nothing matches, it
//! silently highlights the first selectable item instead (ignoring any
//! `item --default` too), and with `--timeout` that is the item it picks
//! when the time runs out: often a reinstall rather than the local disk.
//!
//! ## Example
//! ```ipxe
//! menu
//! item _archboot Arch Linux
//! item local Boot from disk
//! choose --default archboot --timeout 5000 target || exit
//! ```
//!
//! Use instead: `choose --default _archboot …`, spelled exactly like the item.
//!
//! ## References
//! `show_menu` in `src/hci/tui/menu_ui.c`.

use ipxe_semantics::MenuEvent;

use crate::prelude::*;
use crate::util::suggest;

pub(crate) const RULE: Rule = Rule {
    code: "IPX307",
    name: "unknown-choose-default",
    summary: "`choose --default` names no item of the menu",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    for (index, event) in model.menu_events.iter().enumerate() {
        let MenuEvent::Choose(choose) = event else {
            continue;
        };
        let Some((default, span)) = &choose.default else {
            continue;
        };
        let default_sym = *default;
        let default = model.names.resolve(default_sym);
        if default.windows(2).any(|w| w == b"${") {
            continue;
        }
        let mut named = model.choose_items(index).filter(|i| !i.gap);
        // Unknown if any item name is computed; nothing to compare with if there are none.
        let Some(first) = named.clone().next() else {
            continue;
        };
        if named.any(|i| i.name.is_none_or(|n| n == default_sym)) {
            continue;
        }
        let named = model.choose_items(index).filter(|i| !i.gap);
        let first_name = show(model.text(first.name).unwrap_or_default());
        let then = if choose.timeout.is_some() {
            ", which is also what the timeout picks".to_string()
        } else {
            String::new()
        };
        let d = sink.report(
            &RULE,
            *span,
            format!(
                "no item of this menu is named `{}`: iPXE highlights the first item, `{first_name}`, instead{then}",
                show(default)
            ),
        );
        d.add_related(first.name_span.unwrap_or(first.span), "highlighted instead");
        let names = named.filter_map(|i| std::str::from_utf8(model.text(i.name)?).ok());
        if let Some(close) = suggest(&show(default), names) {
            d.set_help(format!("did you mean `{close}`?"));
        }
    }
}
