//! ## What it does
//! Reports a setting that is read (`${name}`, `show name`) but that no
//! script of the run ever sets, and that iPXE does not define itself.
//!
//! ## Why is this bad?
//! An unset setting expands to nothing, silently: `chain ${base-url}/boot`
//! becomes `chain /boot`, `kernel ${mirror}vmlinuz` fetches `vmlinuz` from
//! the wrong place. Usually the name is misspelt, or the script expects a
//! setting that the script chaining it never sets. Predefined settings
//! (`${mac}`, `${platform}`, `${next-server}`…), numeric DHCP options
//! (`${175.3}`), raw SMBIOS/PCI/USB/EFI forms (`${smbios/1.4.0}`,
//! `${efi/SecureBoot-…}`) and names that the files linted together write
//! (`set`, `read`, `choose`, `login`, `imgset`…) are not reported, nor are
//! names the script tests with `isset ${name}` (it knows they may be
//! unset). Each name is reported once, at its first read.
//!
//! ## Example
//! ```ipxe
//! set base-url http://boot.example
//! chain ${base_url}/menu.ipxe
//! ```
//!
//! Use instead: `chain ${base-url}/menu.ipxe`.
//!
//! ## References
//! `expand_settings` and `fetch_setting` in `src/core/settings.c`.

use rustc_hash::FxHashSet;

use ipxe_semantics::{MenuEvent, Sym};
use ipxe_syntax::{scan_refs, split_setting_name};

use crate::prelude::*;
use crate::util::{numeric_tag, suggest};

pub(crate) const RULE: Rule = Rule {
    code: "IPX401",
    name: "undefined-setting",
    summary: "a setting that is read but never set, and not predefined",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::File(check),
};

const MAX_SUGGESTIONS: usize = 100;

/// Blocks whose settings are raw data (`smbios/1.4.0`) or not known statically.
const RAW_BLOCKS: &[&str] = &[
    "smbios", "pci", "usb", "efi", "cpuid", "acpi", "memmap", "vmware", "vram",
];

/// The block of a read (`net0` in `${net0/mac}`), from its source text.
fn block_of(span: Span, src: &[u8]) -> Option<Vec<u8>> {
    let text = span.slice(src);
    if let Some(r) = scan_refs(text).refs.first() {
        return r.block(text).map(<[u8]>::to_vec);
    }
    let parts = split_setting_name(text);
    parts
        .block
        .map(|b| text[b.start as usize..b.end as usize].to_vec())
}

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    let catalog = Catalog::get();
    // The cheap tests first: most reads are of written or predefined names.
    // This file's own writes are among the project's (a cheaper lookup).
    let mut reads: Vec<_> = model
        .reads
        .iter()
        .filter(|&(sym, _)| {
            let name = model.names.resolve(*sym);
            !(name.is_empty()
                || model.writes.get(sym).is_some_and(|w| w.stores())
                || numeric_tag(name)
                || std::str::from_utf8(name)
                    .ok()
                    .and_then(|n| catalog.setting(n))
                    .is_some()
                || cx.project.written.contains(name))
        })
        .collect();
    if reads.is_empty() {
        return;
    }
    // Item names of forms are settings too; take every item name to be safe.
    let items: FxHashSet<Sym> = model
        .menu_events
        .iter()
        .filter_map(|e| match e {
            MenuEvent::Item(i) => i.name,
            _ => None,
        })
        .collect();
    // Names tested with `isset ${x}`: the script knows they may be unset.
    // A name the script never mentions elsewhere is not interned, and is no read.
    let mut tested: FxHashSet<Sym> = FxHashSet::default();
    for call in model.calls_named(&["isset"]) {
        for arg in model.args_of(call) {
            let text = arg.slice(cx.src);
            tested.extend(
                scan_refs(text)
                    .refs
                    .iter()
                    .filter_map(|r| model.names.get(r.name(text)?)),
            );
        }
    }
    reads.retain(|(sym, _)| !items.contains(sym) && !tested.contains(sym));
    reads.sort_by_key(|(_, r)| r.first.start);
    let mut written: Option<Vec<String>> = None;
    let mut reported = 0;
    for (&sym, read) in reads {
        let name = model.names.resolve(sym);
        let block = block_of(read.first, cx.src);
        if block.as_deref().is_some_and(|b| {
            let top = b.split(|&c| c == b'.').next().unwrap_or_default();
            RAW_BLOCKS.iter().any(|r| r.as_bytes() == top)
        }) {
            continue;
        }
        let shown = show(name);
        let times = match read.count {
            1 => String::new(),
            n => format!(" (read {n} times)"),
        };
        let d = sink.report(
            &RULE,
            read.first,
            format!("`{shown}` is never set by these scripts and iPXE does not define it, so it expands to nothing{times}"),
        );
        // Suggestions cost a scan of every name: only for the first findings.
        reported += 1;
        let close = (reported <= MAX_SUGGESTIONS)
            .then(|| {
                let written = written
                    .get_or_insert_with(|| cx.project.written.iter().map(|w| show(w)).collect());
                let predefined = catalog.settings.iter().map(|s| s.name.as_str());
                suggest(&shown, written.iter().map(String::as_str).chain(predefined))
            })
            .flatten();
        if let Some(close) = close {
            d.set_help(format!("did you mean `{close}`?"));
        } else {
            d.set_help(format!(
                "set it first (`set {shown} …`), or lint it together with the script that sets it"
            ));
        }
    }
}
