//! ## What it does
//! Reports a menu item whose name has no label, when the value `choose`
//! stores is used by `goto ${var}` (or `goto prefix${var}suffix`).
//!
//! ## Why is this bad?
//! `choose` only stores the chosen item's *name* in the setting; the script
//! jumps with `goto ${var}`. iPXE never checks items against labels: picking
//! an item with no matching label makes `goto` fail silently ("No such file
//! or directory"), and the script aborts. Items that an `iseq ${var} name`
//! test handles before the `goto`, and `goto ${var} || …` lines that plan
//! for a missing label (e.g. to `chain ${var}.ipxe`), are not reported.
//!
//! ## Example
//! ```ipxe
//! menu
//! item ubuntu Ubuntu
//! item debain Debian
//! choose os || exit
//! goto ${os}
//! :ubuntu
//! :debian
//! ```
//!
//! Use instead: name the item like its label (`item debian Debian`).
//!
//! ## References
//! `choose_exec` in `src/hci/commands/dynui_cmd.c`; `goto_exec` in
//! `src/image/script.c`.

use rustc_hash::FxHashSet;

use ipxe_semantics::{FileModel, GotoFact, GotoTarget, MenuEvent};
use ipxe_syntax::scan_refs;

use crate::prelude::*;
use crate::util::{suggest, text};

pub(crate) const RULE: Rule = Rule {
    code: "IPX301",
    name: "menu-item-without-label",
    summary: "a menu item whose name, used by `goto ${var}`, has no label",
    severity: Severity::Error,
    fix: FixAvailability::None,
    check: Check::File(check),
};

/// A `goto` that jumps on the value a `choose` stores, and what is only
/// worked out once some item's label is missing there.
struct Jump<'a> {
    goto: &'a GotoFact,
    /// Not only run after a test on its line.
    unconditional: Option<bool>,
    /// The item names an `iseq ${var} name` catches before it.
    tested: Option<FxHashSet<&'a [u8]>>,
}

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    let mut reported = 0;
    let mut jumps: Vec<Jump> = Vec::new();
    let mut scratch = Vec::new();
    for (index, event) in model.menu_events.iter().enumerate() {
        let MenuEvent::Choose(choose) = event else {
            continue;
        };
        let Some(var) = choose.var else { continue };
        // Not planned to fail (`goto ${x} ||`).
        jumps.clear();
        jumps.extend(
            model
                .choose_gotos(index)
                .filter(|g| !g.handled)
                .map(|goto| Jump {
                    goto,
                    unconditional: None,
                    tested: None,
                }),
        );
        if jumps.is_empty() {
            continue;
        }
        // As the messages show it (an invalid byte never matches a test).
        let var_name = text(model.names.resolve(var));
        for item in model.choose_items(index) {
            let Some(name) = item.name.filter(|_| !item.gap) else {
                continue;
            };
            let Some(span) = item.name_span else { continue };
            let name_text = model.names.resolve(name);
            // The first goto this item would reach without an `iseq` catching
            // it first; the cheap test first.
            let Some(goto) = jumps.iter_mut().find_map(|jump| {
                let g = jump.goto;
                let GotoTarget::Template { prefix, suffix, .. } = g.target else {
                    return None;
                };
                let defined = model
                    .joined_name(prefix, name, suffix, &mut scratch)
                    .is_some_and(|label| model.first_label.contains_key(&label));
                // Not only run after a test (`iseq ${x} a && goto ${x}`).
                let counts = !defined
                    && *jump
                        .unconditional
                        .get_or_insert_with(|| !conditional(model, g))
                    && !jump
                        .tested
                        .get_or_insert_with(|| {
                            tested_before(cx, model, var_name.as_bytes(), choose.line, g.line)
                        })
                        .contains(name_text);
                counts.then_some(g)
            }) else {
                continue;
            };
            let GotoTarget::Template { prefix, suffix, .. } = goto.target else {
                unreachable!("only template gotos are found")
            };
            let label = show(
                &[
                    model.names.resolve(prefix),
                    name_text,
                    model.names.resolve(suffix),
                ]
                .concat(),
            );
            let d = sink.report(
                &RULE,
                span,
                format!(
                    "item `{}` has no label `:{label}`: when it is chosen, `goto {}` (line {}) fails and iPXE aborts the script",
                    show(name_text),
                    show(goto.span.slice(cx.src)).trim(),
                    goto.line + 1
                ),
            );
            d.add_related(
                choose.span,
                format!("`choose` stores the item name in `{var_name}`"),
            );
            d.add_related(goto.span, format!("jumps to `:{label}`"));
            let labels = model
                .labels
                .iter()
                .filter_map(|l| std::str::from_utf8(model.names.resolve(l.name)).ok());
            reported += 1;
            // Suggestions cost a scan of every label: only for the first findings.
            if let Some(close) = (reported <= 100).then(|| suggest(&label, labels)).flatten() {
                d.set_help(format!(
                    "did you mean the label `:{close}`? The item name must match it exactly"
                ));
            } else {
                d.set_help(format!(
                    "add a `:{label}` block, or rename the item to an existing label"
                ));
            }
        }
    }
}

/// The `goto` runs only after a test on its line succeeded
/// (`iseq ${x} a && goto ${x}`), so only some items reach it.
fn conditional(model: &FileModel, goto: &GotoFact) -> bool {
    let calls = || model.calls_in(goto.line..=goto.line).iter();
    let after_and = calls().any(|c| {
        c.name() == "goto"
            && model.args_of(c).first() == Some(&goto.span)
            && c.connector == Some(Connector::And)
    });
    after_and
        && calls().any(|c| matches!(c.name(), "iseq" | "isset") && c.span.end <= goto.span.start)
}

/// The item names that some `iseq ${var} name` (either order) between the
/// `choose` and the `goto` tests for, so the script branches before jumping.
fn tested_before<'a>(
    cx: &FileCx<'a>,
    model: &FileModel,
    var: &[u8],
    from: u32,
    to: u32,
) -> FxHashSet<&'a [u8]> {
    let is_var = |t: &[u8]| {
        let refs = scan_refs(t).refs;
        refs.len() == 1 && refs[0].range == (0..t.len() as u32) && refs[0].name(t) == Some(var)
    };
    model
        .calls_in(from..=to)
        .iter()
        .filter(|c| c.name() == "iseq")
        .filter_map(|c| {
            let [a, b] = model.args_of(c) else { return None };
            let (a, b) = (a.slice(cx.src), b.slice(cx.src));
            if is_var(a) {
                Some(b)
            } else if is_var(b) {
                Some(a)
            } else {
                None
            }
        })
        .collect()
}
