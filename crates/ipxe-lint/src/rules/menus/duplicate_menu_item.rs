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

use rustc_hash::FxHashMap;

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
    // The items of each menu since it was (re)created; a menu is checked
    // when it is recreated or destroyed, and its list reused.
    let mut open: FxHashMap<Option<Sym>, Vec<&ItemFact>> = FxHashMap::default();
    let mut scratch = Scratch::default();
    for event in &model.menu_events {
        match event {
            MenuEvent::Menu { name, .. } => {
                if let Some(items) = open.get_mut(name) {
                    check_menu(cx, sink, items, &mut scratch);
                    items.clear();
                } else {
                    open.insert(*name, Vec::new());
                }
            }
            MenuEvent::Choose(choose) if !choose.keep => {
                if let Some(items) = open.get_mut(&choose.menu) {
                    check_menu(cx, sink, items, &mut scratch);
                    items.clear();
                }
            }
            MenuEvent::Choose(_) => {}
            MenuEvent::Item(item) => open.entry(item.menu).or_default().push(item),
        }
    }
    for items in open.values() {
        check_menu(cx, sink, items, &mut scratch);
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

/// Buffers reused from menu to menu.
#[derive(Default)]
struct Scratch {
    names: Vec<Option<Sym>>,
    keys: Vec<Option<u64>>,
    first_name: Vec<u32>,
    first_key: Vec<u32>,
    uses: Vec<u32>,
}

/// Menus this small are compared item by item (cheaper than hashing).
const SMALL_MENU: usize = 24;

/// For each item, the index of the first item with the same key (itself
/// when it is the first), or `u32::MAX` when it has no key.
fn firsts<K: Copy + Eq + std::hash::Hash>(keys: &[Option<K>], out: &mut Vec<u32>) {
    out.clear();
    if keys.len() <= SMALL_MENU {
        for (i, key) in keys.iter().enumerate() {
            out.push(match key {
                Some(k) => keys[..i]
                    .iter()
                    .position(|other| other.as_ref() == Some(k))
                    .unwrap_or(i) as u32,
                None => u32::MAX,
            });
        }
        return;
    }
    let mut first: FxHashMap<K, u32> = FxHashMap::default();
    for (i, key) in keys.iter().enumerate() {
        out.push(match key {
            Some(k) => *first.entry(*k).or_insert(i as u32),
            None => u32::MAX,
        });
    }
}

fn check_menu(cx: &FileCx<'_>, sink: &mut Sink, items: &[&ItemFact], s: &mut Scratch) {
    if items.len() < 2 {
        return;
    }
    s.names.clear();
    s.names
        .extend(items.iter().map(|i| i.name.filter(|_| !i.gap)));
    s.keys.clear();
    s.keys
        .extend(items.iter().map(|i| cx.model.text(i.key).and_then(key_code)));
    firsts(&s.names, &mut s.first_name);
    firsts(&s.keys, &mut s.first_key);
    s.uses.clear();
    s.uses.resize(items.len(), 0);
    for &first in &s.first_name {
        if first != u32::MAX {
            s.uses[first as usize] += 1;
        }
    }
    // (duplicate, first use), for names and for keys
    let mut names: Vec<(&ItemFact, &ItemFact)> = Vec::new();
    let mut keys: Vec<(&ItemFact, &ItemFact)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        // A name used three times or more is deliberate: lines of text
        // that all lead to one place (an "about" page).
        let first = s.first_name[i] as usize;
        if first < i && s.uses[first] == 2 && together(cx, items[first], item) {
            names.push((item, items[first]));
        }
        let first = s.first_key[i] as usize;
        if first < i && together(cx, items[first], item) {
            keys.push((item, items[first]));
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
