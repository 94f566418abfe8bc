//! ## What it does
//! Reports two items of one menu with the same name, or with the same
//! `--key` shortcut.
//!
//! ## Why is this bad?
//! Both items store the same name, so `goto ${choice}` cannot tell them
//! apart and one entry is unreachable; usually a copy-paste slip. For
//! shortcut keys, iPXE before v2.0.0 (March 2026) picks the **wrong** item:
//! pressing a key used by items 1 and 3 chooses item 2. v2.0.0 and later
//! choose the first item with that key at or after the highlighted one, so
//! the other item is hard to reach by key. Keys are compared as iPXE reads
//! them: `--key 1` and `--key 0x31` are the same key; `a` and `A` differ.
//! Alternatives (`isset ${x} && item a … || item a …`, or two items behind
//! their own tests) and names used three times or more (lines of an "about"
//! page that all lead to one label) are not reported.
//!
//! ## Example
//! ```ipxe
//! menu
//! item --key d debian Debian
//! item --key d fedora Fedora
//! ```
//!
//! Use instead: give each item its own name and key.
//!
//! ## References
//! `menu_loop` in `src/hci/tui/menu_ui.c`; `parse_key` in `src/core/parseopt.c`.

use std::collections::HashMap;

use ipxe_semantics::{ItemFact, MenuEvent, Sym};

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX304",
    name: "duplicate-menu-item",
    summary: "two items of one menu share a name or a `--key` shortcut",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::File(check),
};

/// A key as `parse_key` reads it: one character is itself, anything longer an integer.
fn key_code(text: &[u8]) -> Option<u64> {
    if text.windows(2).any(|w| w == b"${") {
        return None;
    }
    match text {
        [c] => Some(u64::from(*c)),
        _ => {
            let s = std::str::from_utf8(text).ok()?;
            if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
                u64::from_str_radix(hex, 16).ok()
            } else if s.len() > 1 && s.starts_with('0') {
                u64::from_str_radix(&s[1..], 8).ok()
            } else {
                s.parse().ok()
            }
        }
    }
}

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    // The items of each menu since it was (re)created.
    let mut open: HashMap<Option<Sym>, Vec<&ItemFact>> = HashMap::new();
    let mut groups: Vec<Vec<&ItemFact>> = Vec::new();
    for event in &model.menu_events {
        match event {
            MenuEvent::Menu { name, .. } => {
                groups.extend(open.insert(*name, Vec::new()));
            }
            MenuEvent::Choose(choose) if !choose.keep => {
                groups.extend(open.remove(&choose.menu));
            }
            MenuEvent::Choose(_) => {}
            MenuEvent::Item(item) => open.entry(item.menu).or_default().push(item),
        }
    }
    groups.extend(open.into_values());
    for items in &groups {
        check_menu(cx, sink, items);
    }
}

/// Whether an item only runs after a test on its line (`iseq … && item …`).
fn conditional(cx: &FileCx<'_>, item: &ItemFact) -> bool {
    cx.model.lines[item.line as usize]
        .first_command()
        .is_some_and(|first| first.start != item.span.start)
}

/// Two items that may both be in the menu: not alternatives on one line,
/// not both behind their own tests.
fn together(cx: &FileCx<'_>, a: &ItemFact, b: &ItemFact) -> bool {
    a.line != b.line && !(conditional(cx, a) && conditional(cx, b))
}

fn check_menu(cx: &FileCx<'_>, sink: &mut Sink, items: &[&ItemFact]) {
    let named = |i: &ItemFact| !i.gap && i.name.is_some();
    let mut uses: HashMap<&[u8], usize> = HashMap::new();
    for item in items.iter().filter(|i| named(i)) {
        *uses
            .entry(cx.model.text(item.name).unwrap_or_default())
            .or_default() += 1;
    }
    // (duplicate, first use), for names and for keys
    let mut names: Vec<(&ItemFact, &ItemFact)> = Vec::new();
    let mut keys: Vec<(&ItemFact, &ItemFact)> = Vec::new();
    let mut first_name: HashMap<&[u8], &ItemFact> = HashMap::new();
    let mut first_key: HashMap<u64, &ItemFact> = HashMap::new();
    for item in items {
        if let (Some(name), true) = (cx.model.text(item.name), named(item)) {
            // A name used three times or more is deliberate: lines of text
            // that all lead to one place (an "about" page).
            match first_name.get(name) {
                Some(first) if uses[name] == 2 && together(cx, first, item) => {
                    names.push((item, first))
                }
                Some(_) => {}
                None => {
                    first_name.insert(name, item);
                }
            }
        }
        if let Some(code) = cx.model.text(item.key).and_then(key_code) {
            match first_key.get(&code) {
                Some(first) if together(cx, first, item) => keys.push((item, first)),
                Some(_) => {}
                None => {
                    first_key.insert(code, item);
                }
            }
        }
    }
    report_names(cx, sink, &names);
    report_keys(cx, sink, &keys);
}

/// Many duplicates are one mistake (a template rendered twice): say it once.
fn grouped<'a>(
    found: &'a [(&'a ItemFact, &'a ItemFact)],
) -> (&'a [(&'a ItemFact, &'a ItemFact)], bool) {
    if found.len() > 3 {
        (&found[..1], true)
    } else {
        (found, false)
    }
}

fn report_names(cx: &FileCx<'_>, sink: &mut Sink, found: &[(&ItemFact, &ItemFact)]) {
    let (shown, grouped) = grouped(found);
    for (item, first) in shown {
        let name = show(cx.model.text(item.name).unwrap_or_default());
        let more = if grouped {
            format!(
                " (and {} more names in this menu are used twice)",
                found.len() - 1
            )
        } else {
            String::new()
        };
        let d = sink.report(
            &RULE,
            item.name_span.unwrap_or(item.span),
            format!(
                "item name `{name}` is already used on line {}{more}: both entries store the same value, so `goto ${{…}}` reaches the same label",
                first.line + 1
            ),
        );
        d.add_related(first.name_span.unwrap_or(first.span), "first used here");
        if grouped {
            for (other, _) in found.iter().skip(1).take(5) {
                d.add_related(other.name_span.unwrap_or(other.span), "used twice too");
            }
        }
        d.set_help("give each item its own name (and label)");
    }
}

fn report_keys(cx: &FileCx<'_>, sink: &mut Sink, found: &[(&ItemFact, &ItemFact)]) {
    let (shown, grouped) = grouped(found);
    for (item, first) in shown {
        let key = show(cx.model.text(item.key).unwrap_or_default());
        let other = cx.model.text(first.name).filter(|_| !first.gap).map_or_else(
            || "a separator".to_string(),
            |n| format!("item `{}`", show(n)),
        );
        let more = if grouped {
            format!(
                " (and {} more items of this menu reuse a key)",
                found.len() - 1
            )
        } else {
            String::new()
        };
        let d = sink.report(
            &RULE,
            item.key_span.unwrap_or(item.span),
            format!(
                "key `{key}` is also the shortcut of {other} (line {}){more}: iPXE before v2.0.0 then selects the WRONG item, and later versions choose whichever comes first after the highlight",
                first.line + 1
            ),
        );
        d.add_related(first.key_span.unwrap_or(first.span), "same key here");
        d.set_help("give every item its own `--key`");
    }
}
