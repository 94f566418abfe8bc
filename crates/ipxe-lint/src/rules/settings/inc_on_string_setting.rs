//! ## What it does
//! Reports `inc name` when every write of `name` in the script is a plain
//! `set name <value>`, which stores a string.
//!
//! ## Why is this bad?
//! `set` without a type stores a string, and iPXE cannot increment a
//! string: `inc` fails with `Could not store "n": Operation not supported`
//! and the script aborts, typically on the first pass of a retry loop.
//! Declare the counter numeric when setting it, or let `inc` create it
//! (an unset setting starts at 0 as an `int32`).
//!
//! ## Example
//! ```ipxe
//! set tries 0
//! inc tries
//! ```
//!
//! Use instead:
//! ```ipxe
//! set tries:int32 0
//! inc tries
//! ```
//!
//! ## Fix safety
//! Adding `:int32` to the `set` is unsafe: a value that is not a number then
//! fails to store.
//!
//! ## References
//! `inc_exec` in `src/hci/commands/nvo_cmd.c`; `fetchn_setting` and
//! `storen_setting` in `src/core/settings.c`.

use ipxe_semantics::WriteKind;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX403",
    name: "inc-on-string-setting",
    summary: "`inc` on a setting only ever `set` as a string: it fails",
    severity: Severity::Error,
    fix: FixAvailability::Always,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    // Settings both `set` as strings and `inc`ed, and nothing else: found
    // first, then sorted into file order.
    let mut found: Vec<_> = model
        .writes
        .iter()
        .filter(|(_, write)| {
            // `clear` stores nothing, so it changes no type.
            let kinds = || {
                write
                    .kinds
                    .iter()
                    .map(|k| k.0)
                    .filter(|&k| k != WriteKind::Clear)
            };
            kinds().any(|k| k == WriteKind::Inc)
                && kinds().any(|k| k == WriteKind::SetString)
                && kinds().all(|k| matches!(k, WriteKind::SetString | WriteKind::Inc))
        })
        .collect();
    found.sort_by_key(|(_, w)| w.first.start);
    for (&sym, write) in found {
        let name = model.names.resolve(sym);
        // A predefined setting keeps its own type (`priority` is an int8).
        let predefined = std::str::from_utf8(name)
            .ok()
            .and_then(|n| Catalog::get().setting(n));
        if predefined.is_some_and(|s| s.ty != "string") {
            continue;
        }
        let strings: Vec<Span> = write
            .kinds
            .iter()
            .filter(|k| k.0 == WriteKind::SetString)
            .map(|k| k.1)
            .collect();
        let inc = write
            .kinds
            .iter()
            .find(|k| k.0 == WriteKind::Inc)
            .map(|k| k.1)
            .expect("filtered on an `inc`");
        let set = strings[0];
        let shown = show(name);
        let d = sink.report(
            &RULE,
            inc,
            format!(
                "`inc {shown}` fails: `{shown}` is only ever set with a plain `set`, which stores a string, and iPXE cannot increment a string (`Could not store \"{shown}\": Operation not supported`); the script aborts"
            ),
        );
        d.add_related(set, "stores a string");
        d.set_help(format!("declare it numeric: `set {shown}:int32 …`"));
        let edits = strings
            .iter()
            .map(|s| Edit::insert(s.end, ":int32"))
            .collect();
        d.set_fix(
            "declare the setting as `int32`",
            Applicability::Unsafe,
            edits,
        );
    }
}
