//! ## What it does
//! Reports a `choose --timeout` that does not look like milliseconds (below
//! 100, such as `5` or `30`), or that reads a setting no script of the run
//! ever sets.
//!
//! The timeout may come from settings (`--timeout ${menu-timeout}`): it is
//! then judged by the value the scripts set them to, when that is a
//! constant: one `set` value for the whole run (the files linted together
//! share settings, as chained scripts do). The finding names the `set`. A
//! setting that `read`, `choose` or another command writes, that is set to
//! different values, cleared, or stored in a block or with a type is known
//! only at run time, and is not judged.
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
//! ```ipxe
//! set menu-timeout 5
//! choose --timeout ${menu-timeout} --default local target || goto cancel
//! ```
//!
//! Use instead:
//! ```ipxe
//! choose --timeout 10000 --default local target || goto cancel
//! ```
//!
//! ## References
//! `parse_timeout` and `parse_integer` in `src/core/parseopt.c`, `strtoul`
//! in `src/core/string.c`; `choose_exec` in `src/hci/commands/dynui_cmd.c`;
//! `expand_settings` in `src/core/settings.c`.

use ipxe_semantics::MenuEvent;
use ipxe_semantics::constants::Expander;
use ipxe_syntax::scan_refs;

use crate::prelude::*;
use crate::rule::SetNotes;
use crate::util::shorten;

pub(crate) const RULE: Rule = Rule {
    code: "IPX306",
    name: "suspicious-menu-timeout",
    summary: "a `choose --timeout` that is not milliseconds, or comes from a setting never set",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    check: Check::File(check),
};

/// `parse_integer` (`src/core/parseopt.c`) over iPXE's `strtoul`
/// (`src/core/string.c`): leading whitespace, a sign, `0x` hex or
/// leading-`0` octal, then digits, wrapping to 32 bits; all of the text
/// must be used, and an empty text is invalid (from v1.21.1).
fn parse_integer(text: &[u8]) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    let mut at = text
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))
        .unwrap_or(text.len());
    let negate = text.get(at) == Some(&b'-');
    if matches!(text.get(at), Some(b'-' | b'+')) {
        at += 1;
    }
    let mut base = 10;
    if text.get(at) == Some(&b'0') {
        at += 1;
        base = 8;
        if text.get(at).is_some_and(|b| b & !0x20 == b'X') {
            at += 1;
            base = 16;
        }
    }
    // `digit_value`: anything that is no digit of the base stops the number.
    let digit = |b: u8| -> u32 {
        match b {
            b'a'.. => u32::from(b) - (u32::from(b'a') - 10),
            b'A'.. => u32::from(b) - (u32::from(b'A') - 10),
            b'0'..=b'9' => u32::from(b - b'0'),
            _ => u32::MAX,
        }
    };
    let mut value: u32 = 0;
    while let Some(d) = text.get(at).map(|&b| digit(b)).filter(|&d| d < base) {
        value = value.wrapping_mul(base).wrapping_add(d);
        at += 1;
    }
    (at == text.len()).then(|| if negate { value.wrapping_neg() } else { value })
}

/// A timeout in milliseconds that looks like seconds.
fn too_short(ms: u32) -> bool {
    ms > 0 && ms < 100
}

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    // Made when a timeout first needs a setting's value.
    let mut expander: Option<Expander<'_>> = None;
    let mut notes = SetNotes::default();
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
                let Some(ms) = parse_integer(text).filter(|&ms| too_short(ms)) else {
                    continue;
                };
                let text = crate::util::text(text);
                let seconds = u64::from(ms) * 1000;
                sink.report(
                    &RULE,
                    span,
                    format!("`--timeout {text}` is {ms} ms, not {ms} s: the default item is chosen before anyone can read the menu; did you mean {seconds}?"),
                )
                .set_help("iPXE timeouts are in milliseconds")
                .set_fix(format!("use {seconds} ms"), Applicability::Unsafe, vec![Edit::replace(span, seconds.to_string())]);
            }
            None => {
                if !unset_setting(cx, sink, *span) {
                    let expander =
                        expander.get_or_insert_with(|| cx.project.setting_values().expander());
                    constant_setting(cx, sink, expander, &mut notes, *span);
                }
            }
        }
    }
}

/// Reports a timeout that is exactly one reference to a setting no script
/// sets; whether it did.
fn unset_setting(cx: &FileCx<'_>, sink: &mut Sink, span: Span) -> bool {
    let text = span.slice(cx.src);
    let scan = scan_refs(text);
    // Only a value that is exactly one reference: `${menu-timeout}`.
    let [r] = scan.refs.as_slice() else {
        return false;
    };
    if r.range != (0..text.len() as u32) {
        return false;
    }
    let Some(name) = r.name(text) else {
        return false;
    };
    let written = cx.project.written.contains(name);
    let builtin = std::str::from_utf8(name)
        .ok()
        .and_then(|n| Catalog::get().setting(n))
        .is_some();
    if written || builtin || name.is_empty() {
        return false;
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
    true
}

/// Reports a timeout whose settings the run sets to constants that make it
/// too short (`set menu-timeout 5` … `--timeout ${menu-timeout}`).
fn constant_setting<'a>(
    cx: &FileCx<'a>,
    sink: &mut Sink,
    expander: &mut Expander<'_>,
    notes: &mut SetNotes<'a>,
    span: Span,
) {
    let text = span.slice(cx.src);
    // Each setting's value is worked out once, however many menus use it.
    let Ok(value) = expander.expand(text) else {
        return;
    };
    let Some(ms) = parse_integer(&value).filter(|&ms| too_short(ms)) else {
        return;
    };
    let seconds = u64::from(ms) * 1000;
    let written = crate::util::text(text);
    let value = crate::util::text(&value);
    // The setting named first, and where the run sets it.
    let scan = scan_refs(text);
    let name = scan.refs.first().and_then(|r| r.name(text));
    let note = name.and_then(|n| Some((show(n), notes.of(cx, n)?)));
    let from = match &note {
        Some((name, note)) => format!(", from `set {name}` on {}", note.place),
        None => String::new(),
    };
    let d = sink.report(
        &RULE,
        span,
        format!(
            "`--timeout {written}` is {ms} ms, not {ms} s (`{written}` is `{}`{from}): the default item is chosen before anyone can read the menu; did you mean {seconds}?",
            shorten(&value, 40)
        ),
    );
    // `--timeout ${name}` alone: the fix is in the `set`.
    let whole = scan.refs.len() == 1 && scan.refs[0].range == (0..text.len() as u32);
    match &note {
        Some((name, _)) if whole => {
            d.set_help(format!(
                "iPXE timeouts are in milliseconds: `set {name} {seconds}`"
            ));
        }
        _ => {
            d.set_help("iPXE timeouts are in milliseconds");
        }
    }
    if let Some((name, note)) = note.filter(|(_, n)| n.here) {
        d.add_related(note.site.span, format!("`{name}` is set here"));
    }
}

#[cfg(test)]
mod tests {
    use super::parse_integer;

    fn run(files: &[&str]) -> Vec<Vec<(String, Vec<String>)>> {
        crate::util::run_findings("IPX306", files, &[])
    }

    const MENU: &str = "menu Boot\nitem local Boot from disk\nchoose --timeout ${menu-timeout} target || exit\n";

    #[test]
    fn integers_as_ipxe_reads_them() {
        let cases: &[(&str, Option<u32>)] = &[
            ("5", Some(5)),
            ("0x10", Some(16)),
            ("0X1f", Some(31)),
            ("010", Some(8)),
            ("08", None),
            (" 5", Some(5)),
            ("+5", Some(5)),
            ("-1", Some(u32::MAX)),
            ("0x", Some(0)),
            ("-", Some(0)),
            ("", None),
            ("5 ", None),
            ("5s", None),
            ("4294967301", Some(5)),
        ];
        for &(text, want) in cases {
            assert_eq!(parse_integer(text.as_bytes()), want, "{text:?}");
        }
    }

    #[test]
    fn constants_set_in_another_file_of_the_run() {
        let menu = format!("#!ipxe\n{MENU}");
        let got = run(&["#!ipxe\nset menu-timeout 5\nchain menu.ipxe\n", &menu]);
        assert!(got[0].is_empty(), "{got:?}");
        let [(message, related)] = got[1].as_slice() else {
            panic!("one finding: {got:?}")
        };
        assert!(
            message.starts_with("`--timeout ${menu-timeout}` is 5 ms, not 5 s (`${menu-timeout}` is `5`, from `set menu-timeout` on line 2 of 0.ipxe)"),
            "{message}"
        );
        assert!(related.is_empty(), "{related:?}");
    }

    #[test]
    fn another_value_in_another_file_is_no_constant() {
        let menu = format!("#!ipxe\nset menu-timeout 5\n{MENU}");
        let got = run(&[&menu, "#!ipxe\nset menu-timeout 5000\n"]);
        assert!(got.iter().all(Vec::is_empty), "{got:?}");
        let got = run(&[&menu, "#!ipxe\nread menu-timeout\n"]);
        assert!(got.iter().all(Vec::is_empty), "{got:?}");
    }

    #[test]
    fn each_menu_names_the_set() {
        let mut script = String::from("#!ipxe\nset menu-timeout 5\n");
        for _ in 0..3 {
            script.push_str(MENU);
        }
        let got = run(&[&script]);
        assert_eq!(got[0].len(), 3, "{got:?}");
        for (message, related) in &got[0] {
            assert!(message.contains("from `set menu-timeout` on line 2)"), "{message}");
            assert_eq!(related, &["`menu-timeout` is set here"]);
        }
    }
}
