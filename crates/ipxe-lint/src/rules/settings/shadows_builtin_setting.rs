//! ## What it does
//! Reports `set` (and `read`, `choose`…) storing a setting under the name of
//! an iPXE built-in: `platform`, `buildarch`, `version`, `errno`,
//! `unixtime`, `cwuri`, `cwduri`, `sysmac`, `dmesg`, `vram`.
//!
//! ## Why is this bad?
//! An unscoped write goes to the global settings, which are searched before
//! the `builtin` block: from then on `${platform}` (or `${errno}`…) returns
//! the stored value instead of what iPXE knows. `set errno 0` to "reset" the
//! error makes every later `iseq ${errno} …` test the stored `0`;
//! `set platform efi` makes every platform check lie. Only
//! `${builtin/platform}` still shows the real value. Many scripts keep a
//! `version` of their own; that is reported only when the script used
//! iPXE's `${version}` on an earlier line (other than to save it with `set`).
//!
//! ## Example
//! ```ipxe
//! set platform efi
//! ```
//!
//! Use instead: a name of your own (`set target-platform efi`).
//!
//! ## References
//! `fetch_setting` and the built-in settings in `src/core/settings.c`.

use ipxe_semantics::WriteKind;
use ipxe_syntax::split_setting_name;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX405",
    name: "shadows-builtin-setting",
    summary: "a setting stored under a built-in's name hides the built-in",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    // Only built-in names matter: pick them out before sorting into file order.
    let mut writes: Vec<_> = model
        .writes
        .iter()
        .filter(|(sym, _)| {
            std::str::from_utf8(model.names.resolve(**sym))
                .ok()
                .and_then(|n| Catalog::get().setting(n))
                .is_some_and(|s| s.scope == "builtin")
        })
        .collect();
    writes.sort_by_key(|(_, w)| w.first.start);
    for (&sym, write) in writes {
        let name = model.names.resolve(sym);
        // The first unscoped write (`set builtin/x` or `set net0/x` hide
        // nothing, and `clear` stores nothing).
        let Some(&(_, span)) = write.kinds.iter().find(|(kind, span)| {
            *kind != WriteKind::Clear && split_setting_name(span.slice(cx.src)).block.is_none()
        })
        else {
            continue;
        };
        // Scripts often keep a `version` of their own; it matters when they
        // used iPXE's on an earlier line for something else than saving it.
        if name == b"version" && !uses_builtin_before(cx, name, span) {
            continue;
        }
        let name = show(name);
        sink.report(
            &RULE,
            span,
            format!(
                "this stores a setting named `{name}`, which hides iPXE's built-in `${{{name}}}` from here on (only `${{builtin/{name}}}` still has the real value)"
            ),
        )
        .set_help(format!("use a name of your own instead of `{name}`"));
    }
}

/// The script reads `${name}` on a line before `span`, other than to save it
/// (`set ipxe-version ${version}`).
fn uses_builtin_before(cx: &FileCx<'_>, name: &[u8], span: Span) -> bool {
    let model = cx.model;
    let Some(read) = model.names.get(name).and_then(|s| model.reads.get(&s)) else {
        return false;
    };
    let lines = &model.lines;
    let line_of = |at: u32| lines.partition_point(|l| l.span.end < at);
    let (read_line, write_line) = (line_of(read.first.start), line_of(span.start));
    if read_line >= write_line {
        return false;
    }
    let text = lines[read_line].span.slice(cx.src);
    let first = text
        .split(|b| b.is_ascii_whitespace())
        .find(|w| !w.is_empty());
    first != Some(b"set")
}
