//! ## What it does
//! Reports a `goto` whose literal target is not a label of the same script.
//!
//! ## Why is this bad?
//! `goto` searches only the script that is running, from its first line. When
//! the label is missing it fails silently with "No such file or directory",
//! and unless the line ends in `||` the whole script aborts. Labels in the
//! script that chained this one, or in one it chains, are not visible.
//!
//! ## Example
//! ```ipxe
//! #!ipxe
//! dhcp || goto retyr
//! :retry
//! ```
//!
//! Use instead:
//! ```ipxe
//! #!ipxe
//! dhcp || goto retry
//! :retry
//! ```
//!
//! ## References
//! `goto_exec` and `goto_find_label` in `src/image/script.c`.

use ipxe_semantics::GotoTarget;

use crate::prelude::*;
use crate::util::suggest;

pub(crate) const RULE: Rule = Rule {
    code: "IPX201",
    name: "undefined-label",
    summary: "`goto` names a label that this script does not define",
    severity: Severity::Error,
    fix: FixAvailability::None,
    check: Check::File(check),
};

/// "Did you mean" compares against every label; past this many findings the
/// suggestions stop, so a huge generated script stays linear.
const MAX_SUGGESTIONS: usize = 200;

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    let mut suggestions = 0;
    for goto in &model.gotos {
        let GotoTarget::Literal(target) = goto.target else {
            continue;
        };
        if model.first_label.contains_key(&target) {
            continue;
        }
        let name = model.names.resolve(target);
        let label = show(name);
        let d = sink.report(
            &RULE,
            goto.span,
            format!("label `{label}` is not defined in this script"),
        );
        let elsewhere = cx.project.files_defining_label(name, cx.path);
        if let Some(other) = elsewhere.first() {
            d.set_help(format!(
                "`:{label}` is defined in {other}, but `goto` only searches the running script; chain that script or copy the label"
            ));
        } else if suggestions < MAX_SUGGESTIONS {
            suggestions += 1;
            let labels = model
                .labels
                .iter()
                .map(|l| model.names.resolve(l.name))
                .filter_map(|n| std::str::from_utf8(n).ok());
            if let Some(close) = suggest(&label, labels) {
                d.set_help(format!("did you mean `{close}`?"));
            }
        }
    }
}
