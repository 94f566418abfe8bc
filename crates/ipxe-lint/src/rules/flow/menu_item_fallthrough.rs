//! ## What it does
//! Reports the block of a menu entry (the label `goto ${choice}` jumps to
//! after `choose choice`) that runs on into the label of another entry
//! because it ends without `goto`, `exit` or `boot`.
//!
//! ## Why is this bad?
//! Labels are not blocks: iPXE just keeps executing the next line, whatever
//! label it carries. Choosing the first entry then also runs the second one
//! (installing the wrong system, or booting twice). A `chain` returns when
//! the chained script or EFI program ends, so it does not end an entry. A
//! label directly followed by another label (two entries sharing one
//! block) is not reported, nor is an entry that boots (`boot`, `sanboot`,
//! `reboot`…) and falls through only when that fails.
//!
//! ## Example
//! ```ipxe
//! choose os || exit
//! goto ${os}
//! :ubuntu
//! set release noble
//! :debian
//! set release bookworm
//! goto boot
//! ```
//!
//! Use instead: end the `ubuntu` block with `goto boot`.
//!
//! ## References
//! `process_script` and `goto_exec` in `src/image/script.c`; `choose_exec`
//! in `src/hci/commands/dynui_cmd.c`.

use rustc_hash::FxHashSet;

use ipxe_semantics::{GotoTarget, MenuEvent, Sym, Transfer};

use crate::prelude::*;
use crate::util::{partition_point_from, text};

pub(crate) const RULE: Rule = Rule {
    code: "IPX208",
    name: "menu-item-fallthrough",
    summary: "a menu entry's block runs on into the next entry's label",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    // Labels that are menu entries, with the item name that leads there
    // (the first one found), by label name id, and in the order found.
    let mut entries: Vec<Option<Sym>> = vec![None; model.names.len()];
    let mut order: Vec<Sym> = Vec::new();
    let mut scratch = Vec::new();
    for (index, event) in model.menu_events.iter().enumerate() {
        if !matches!(event, MenuEvent::Choose(_)) {
            continue;
        }
        let gotos = model.choose_gotos(index);
        if gotos.clone().next().is_none() {
            continue;
        }
        for item in model.choose_items(index) {
            let Some(name) = item.name.filter(|_| !item.gap) else {
                continue;
            };
            for goto in gotos.clone() {
                let GotoTarget::Template { prefix, suffix, .. } = goto.target else {
                    continue;
                };
                let Some(label) = model.joined_name(prefix, name, suffix, &mut scratch) else {
                    continue;
                };
                if model.first_label.contains_key(&label) && entries[label.index()].is_none() {
                    entries[label.index()] = Some(name);
                    order.push(label);
                }
            }
        }
    }
    // Labels already reported as run into (by index into `labels`).
    let mut reported: FxHashSet<u32> = FxHashSet::default();
    // Entries are mostly found in line order, so each search for the first
    // call of an entry starts where the previous one ended.
    let mut first_call = 0;
    for &sym in &order {
        let start = &model.labels[model.first_label[&sym] as usize];
        let mut has_command = false;
        // The calls from the entry on, in line order.
        first_call = partition_point_from(&model.calls, first_call, |c| c.line < start.line);
        let mut calls = &model.calls[first_call..];
        for (n, line) in model.lines.iter().enumerate().skip(start.line as usize) {
            if let Some(l) = line.label() {
                let label = &model.labels[l as usize];
                if label.name != sym && has_command && entries[label.name.index()].is_some() {
                    if reported.insert(l) {
                        let item = model.names.resolve(entries[sym.index()].expect("an entry"));
                        let next = text(model.names.resolve(label.name));
                        sink.report(
                            &RULE,
                            label.span,
                            format!(
                                "the menu entry `:{}` (line {}) runs on into `:{next}`: choosing `{}` also runs the `{next}` entry",
                                text(model.names.resolve(sym)),
                                start.line + 1,
                                text(item),
                            ),
                        )
                        .add_related(start.span, "this entry has no `goto`, `exit` or `boot` at its end")
                        .set_help("end the entry above with `goto <label>`, `exit` or `boot`");
                    }
                    break;
                }
            }
            has_command |= line.first_command().is_some();
            let on_line = calls.iter().take_while(|c| c.line == n as u32).count();
            let (here, rest) = calls.split_at(on_line);
            calls = rest;
            if !line.flow.falls_through {
                break;
            }
            // A line that boots something: the entry is done when that works.
            let boots = matches!(
                line.flow.transfer,
                Some(Transfer::Boot | Transfer::Reboot | Transfer::Poweroff)
            ) || here
                .iter()
                .any(|c| matches!(c.name(), "boot" | "imgexec" | "sanboot"));
            if boots {
                break;
            }
        }
    }
}
