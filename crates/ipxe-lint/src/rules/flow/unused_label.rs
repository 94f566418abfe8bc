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

use std::collections::HashSet;

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
    if model.gotos.iter().any(|g| g.target == GotoTarget::Dynamic) {
        return;
    }
    // Literal targets in a set, so 100,000 labels and gotos stay linear.
    let literal: HashSet<Sym> = model
        .gotos
        .iter()
        .filter_map(|g| match g.target {
            GotoTarget::Literal(t) => Some(t),
            _ => None,
        })
        .collect();
    let templates: Vec<(&[u8], &[u8])> = model
        .gotos
        .iter()
        .filter_map(|g| match &g.target {
            GotoTarget::Template { prefix, suffix, .. } => Some((model.names.resolve(*prefix), model.names.resolve(*suffix))),
            _ => None,
        })
        .collect::<HashSet<_>>()
        .into_iter()
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
