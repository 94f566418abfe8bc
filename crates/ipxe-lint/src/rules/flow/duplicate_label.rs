//! ## What it does
//! Reports a label defined more than once in a script.
//!
//! ## Why is this bad?
//! `goto` searches from the top of the script and stops at the first match,
//! so every later definition is unreachable by `goto`: the code after it runs
//! only by falling into it from the line above.
//!
//! ## Example
//! ```ipxe
//! :menu
//! echo first
//! :menu
//! echo never reached by goto
//! ```
//!
//! Use instead: give each block its own label.
//!
//! ## References
//! `goto_find_label` in `src/image/script.c`.

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX202",
    name: "duplicate-label",
    summary: "a label is defined twice; `goto` always finds the first",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    for (index, label) in model.labels.iter().enumerate() {
        let first = model.first_label[&label.name] as usize;
        if first == index {
            continue;
        }
        let name = model.names.display(label.name);
        let first_line = model.labels[first].line + 1;
        sink.report(
            &RULE,
            label.span,
            format!("label `{name}` is already defined on line {first_line}; `goto {name}` never reaches this one"),
        )
        .add_related(model.labels[first].span, "`goto` finds this definition first");
    }
}
