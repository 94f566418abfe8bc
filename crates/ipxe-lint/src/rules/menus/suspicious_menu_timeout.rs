//! ## What it does
//! Reports a `choose --timeout` that does not look like milliseconds (a
//! literal below 100, such as `5` or `30`), or that reads a setting no
//! script of the run ever sets.
//!
//! ## Why is this bad?
//! iPXE timeouts are milliseconds: `--timeout 5` gives the user 5 ms, so the
//! default item is chosen before anyone sees the menu. A timeout taken from
//! a setting that is never set expands to nothing: since v1.21.1 iPXE
//! rejects the empty value (`"": invalid integer value`), `choose` fails
//! and the script aborts; older versions read it as 0, which means no
//! timeout at all. `menu-timeout` and similar names are not built in: only
//! the script's own `set` gives them a value.
//!
//! ## Example
//! ```ipxe
//! choose --timeout 10 --default local target || goto cancel
//! ```
//!
//! Use instead:
//! ```ipxe
//! choose --timeout 10000 --default local target || goto cancel
//! ```
//!
//! ## References
//! `parse_timeout` and `parse_integer` in `src/core/parseopt.c`;
//! `choose_exec` in `src/hci/commands/dynui_cmd.c`.

use ipxe_semantics::MenuEvent;
use ipxe_syntax::scan_refs;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX306",
    name: "suspicious-menu-timeout",
    summary: "a `choose --timeout` that is not milliseconds, or comes from a setting never set",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    check: Check::File(check),
};

/// `parse_integer`: decimal, `0x` hex or leading-`0` octal.
fn parse_integer(text: &str) -> Option<u64> {
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16).ok()
    } else if text.len() > 1 && text.starts_with('0') {
        u64::from_str_radix(&text[1..], 8).ok()
    } else {
        text.parse().ok()
    }
}

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for event in &cx.model.menu_events {
        let MenuEvent::Choose(choose) = event else {
            continue;
        };
        let Some((literal, span)) = &choose.timeout else {
            continue;
        };
        match literal {
            Some(text) => {
                let text = cx.model.names.resolve(*text);
                // `--timeout=5` keeps the value inside the option's word.
                let span = Span::new(span.end - text.len() as u32, span.end);
                let text = crate::util::text(text);
                let Some(ms) = parse_integer(&text) else {
                    continue;
                };
                if ms == 0 || ms >= 100 {
                    continue;
                }
                let seconds = ms * 1000;
                sink.report(
                    &RULE,
                    span,
                    format!("`--timeout {text}` is {ms} ms, not {ms} s: the default item is chosen before anyone can read the menu; did you mean {seconds}?"),
                )
                .set_help("iPXE timeouts are in milliseconds")
                .set_fix(format!("use {seconds} ms"), Applicability::Unsafe, vec![Edit::replace(span, seconds.to_string())]);
            }
            None => unset_setting(cx, sink, *span),
        }
    }
}

fn unset_setting(cx: &FileCx<'_>, sink: &mut Sink, span: Span) {
    let text = span.slice(cx.src);
    let scan = scan_refs(text);
    // Only a value that is exactly one reference: `${menu-timeout}`.
    let [r] = scan.refs.as_slice() else { return };
    if r.range != (0..text.len() as u32) {
        return;
    }
    let Some(name) = r.name(text) else { return };
    let written = cx.project.written.contains(name);
    let builtin = std::str::from_utf8(name)
        .ok()
        .and_then(|n| Catalog::get().setting(n))
        .is_some();
    if written || builtin || name.is_empty() {
        return;
    }
    let name = show(name);
    sink.report(
        &RULE,
        span,
        format!(
            "`{name}` is never set, so the timeout is empty: iPXE v1.21.1 and later fail `choose` with `\"\": invalid integer value` and abort the script (older versions wait forever)"
        ),
    )
    .set_help(format!("set it before the menu (`set {name} 10000`), or write the milliseconds directly"));
}
