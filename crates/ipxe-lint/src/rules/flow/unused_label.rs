//! ## What it does
//! Reports a label that no `goto` in the script can reach.
//!
//! ## Why is this bad?
//! An unused label is often a typo'd target (the `goto` spells it
//! differently) or left over from a removed menu entry. Labels reachable
//! through a computed `goto ${var}` count as used when the text around the
//! reference could produce them; a fully computed target makes every label
//! possibly used, and the rule stays quiet.
//!
//! ## Example
//! ```ipxe
//! goto start
//! :strat
//! ```
//!
//! Use instead: remove the label or fix the spelling.

use rustc_hash::FxHashSet;

use ipxe_semantics::{GotoTarget, Sym};

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX203",
    name: "unused-label",
    summary: "a label that no `goto` targets",
    severity: Severity::Info,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    let mut templates: FxHashSet<(Sym, Sym)> = FxHashSet::default();
    for goto in &model.gotos {
        match goto.target {
            GotoTarget::Dynamic => return,
            GotoTarget::Literal(_) => {}
            GotoTarget::Template { prefix, suffix, .. } => {
                templates.insert((prefix, suffix));
            }
        }
    }
    let templates: Vec<(&[u8], &[u8])> = templates
        .into_iter()
        .map(|(p, s)| (model.names.resolve(p), model.names.resolve(s)))
        .collect();
    // `goto ${x}` may reach every label.
    if templates.iter().any(|(p, s)| p.is_empty() && s.is_empty()) {
        return;
    }
    // Literal targets in a set, so 100,000 labels and gotos stay linear.
    let literal: FxHashSet<Sym> = model
        .gotos
        .iter()
        .filter_map(|g| match g.target {
            GotoTarget::Literal(t) => Some(t),
            _ => None,
        })
        .collect();
    for (index, label) in model.labels.iter().enumerate() {
        if model.first_label[&label.name] as usize != index {
            continue; // duplicates are IPX202's business
        }
        let name = model.names.resolve(label.name);
        let used = literal.contains(&label.name)
            || templates.iter().any(|(prefix, suffix)| {
                name.len() >= prefix.len() + suffix.len()
                    && name.starts_with(prefix)
                    && name.ends_with(suffix)
            });
        if !used {
            sink.report(
                &RULE,
                label.span,
                format!("label `{}` is never the target of a `goto`", show(name)),
            );
        }
    }
}
