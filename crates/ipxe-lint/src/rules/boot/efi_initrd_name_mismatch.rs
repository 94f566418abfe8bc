//! ## What it does
//! Reports a kernel command line `initrd=NAME` (on `kernel`, `imgselect`,
//! `imgload` or `imgargs`) where `NAME` is not the name of any image the
//! script loads.
//!
//! ## Why is this bad?
//! On UEFI, the Linux kernel's EFI stub opens `initrd=NAME` from iPXE's
//! virtual file system, which holds the registered images under their
//! names: the basename of the URL they were downloaded from
//! (`initrd http://x/boot/initrd.img?v=2` is `initrd.img`) or the `--name`
//! given to `initrd`. The lookup ignores case but there are no directories,
//! so `initrd=/boot/initrd.img` and a misspelt name both fail, and the
//! kernel stops with "Failed to load initrd" or panics without a root file
//! system. `initrd=initrd.magic` (all images as one CPIO archive, iPXE
//! since 2021) is accepted. Scripts whose initrd names are computed at run
//! time are not checked.
//!
//! ## Example
//! ```ipxe
//! initrd http://boot.example/images/initrd-6.1.img
//! kernel http://boot.example/images/vmlinuz initrd=initrd.img
//! ```
//!
//! Use instead:
//! ```ipxe
//! initrd --name initrd.img http://boot.example/images/initrd-6.1.img
//! kernel http://boot.example/images/vmlinuz initrd=initrd.img
//! ```
//!
//! ## References
//! `efi_file_open` and `efi_file_find` in `src/interface/efi/efi_file.c`;
//! `imgdownload` in `src/usr/imgmgmt.c`.

use std::borrow::Cow;

use rustc_hash::{FxHashMap, FxHashSet};

use ipxe_semantics::{ImageFactKind, Sym};

use crate::prelude::*;
use crate::util::{suggest, text};

pub(crate) const RULE: Rule = Rule {
    code: "IPX501",
    name: "efi-initrd-name-mismatch",
    summary: "`initrd=` names no image the script loads (EFI kernels cannot find it)",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    check: Check::File(check),
};

/// A name as messages show it, lowercased for case-insensitive lookups;
/// borrowed when it already is both.
fn lower(text: Cow<'_, str>) -> Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        text.to_ascii_lowercase().into()
    } else {
        text
    }
}

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    let images = &model.images;
    // Nothing to check without an `initrd=` argument.
    if model.initrd_args.is_empty() {
        return;
    }
    // Every name an image may be registered under; give up when one is computed.
    let mut names: Vec<Cow<str>> = Vec::new();
    let mut by_lower: FxHashMap<Cow<str>, usize> = FxHashMap::default();
    // Most images share a few names: look at each name once.
    let mut seen: FxHashSet<Sym> = FxHashSet::default();
    for image in images {
        match (image.name, image.kind) {
            (Some(name), ImageFactKind::Kernel | ImageFactKind::Fetch | ImageFactKind::Exec) => {
                if !seen.insert(name) {
                    continue;
                }
                let name = text(model.names.resolve(name));
                by_lower.entry(lower(name.clone())).or_insert_with(|| {
                    names.push(name);
                    names.len() - 1
                });
            }
            (None, ImageFactKind::Kernel | ImageFactKind::Fetch) => return,
            _ => {}
        }
    }
    let mut shown: Option<Vec<String>> = None;
    // `initrd=` values found to name a loaded image.
    let mut found: FxHashSet<Sym> = FxHashSet::default();
    for image in images
        .iter()
        .filter(|i| matches!(i.kind, ImageFactKind::Kernel | ImageFactKind::Imgargs))
    {
        for &(value_sym, span) in model.initrd_args_of(image) {
            if found.contains(&value_sym) {
                continue;
            }
            let value = text(model.names.resolve(value_sym));
            // The EFI stub turns `/` into `\`; iPXE strips leading `\` and `.` (since 2025).
            let stripped = value.trim_start_matches(['/', '\\', '.']);
            if stripped.eq_ignore_ascii_case("initrd.magic")
                || by_lower.contains_key(&lower(stripped.into()))
            {
                found.insert(value_sym);
                continue;
            }
            let names = shown.get_or_insert_with(|| names.iter().map(|n| n.to_string()).collect());
            let value_span = Span::new(span.start + "initrd=".len() as u32, span.end);
            let basename = stripped.rsplit(['/', '\\']).next().unwrap_or(stripped);
            let exact_base = by_lower
                .get(&lower(basename.into()))
                .map(|&i| &names[i]);
            let message = if let Some(name) = exact_base {
                format!(
                    "`initrd={value}`: iPXE's EFI file system has no directories, so the kernel finds no such file; the image is called `{name}`"
                )
            } else if names.is_empty() {
                format!(
                    "`initrd={value}` names an image, but this script loads no initrd: on EFI the kernel finds nothing to load"
                )
            } else {
                format!(
                    "`initrd={value}` is not the name of any image this script loads: on EFI the kernel finds no such file (loaded: {})",
                    loaded(names)
                )
            };
            let d = sink.report(&RULE, value_span, message);
            let close = exact_base
                .map(String::as_str)
                .or_else(|| suggest(&value, names.iter().map(String::as_str)));
            match close {
                Some(close) => {
                    d.set_help(format!("iPXE names an image after the basename of its URL, or `--name`: use `initrd={close}`"));
                    d.set_fix(
                        format!("use `initrd={close}`"),
                        Applicability::Unsafe,
                        vec![Edit::replace(value_span, close)],
                    );
                }
                None => {
                    d.set_help("iPXE names an image after the basename of its URL; give the `initrd` command `--name` with the name the kernel expects");
                }
            }
        }
    }
}

/// The first few image names, for messages.
fn loaded(names: &[String]) -> String {
    let mut list: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
    if names.len() > 5 {
        list.push(format!("and {} more", names.len() - 5));
    }
    list.join(", ")
}
