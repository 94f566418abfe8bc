//! ## What it does
//! Reports two downloads (`initrd`, `imgfetch`, `module`) in a row that
//! register images under the same name.
//!
//! ## Why is this bad?
//! iPXE names an image after the basename of its URL unless `--name` is
//! given, so `initrd http://x/a/initrd.img` and `initrd http://x/b/initrd.img`
//! both register `initrd.img`. Everything that looks images up by name finds
//! the first one: the EFI kernel's `initrd=initrd.img`, `imgargs`, `chain
//! initrd.img`. Only downloads on the same straight run of lines (no label
//! in between, no `imgfree`) are compared; case is ignored, as on EFI.
//! Downloads that are both allowed to fail (`||`), or whose first one jumps
//! away when it works, are alternatives and not reported.
//!
//! ## Example
//! ```ipxe
//! initrd http://boot.example/base/initrd.img
//! initrd http://boot.example/drivers/initrd.img
//! ```
//!
//! Use instead:
//! ```ipxe
//! initrd --name base.img http://boot.example/base/initrd.img
//! initrd --name drivers.img http://boot.example/drivers/initrd.img
//! ```
//!
//! ## References
//! `register_image` and `find_image` in `src/core/image.c`;
//! `efi_file_find` in `src/interface/efi/efi_file.c`.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use ipxe_semantics::{ImageFact, ImageFactKind};

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX503",
    name: "duplicate-image-name",
    summary: "two downloads register images under the same name",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    // Built on first use: the sorted lines of `imgfree`.
    let mut imgfree: Option<Vec<u32>> = None;
    // Any label (labels are in line order) within `range`?
    let label_in = |range: std::ops::RangeInclusive<u32>| {
        let i = model.labels.partition_point(|l| l.line < *range.start());
        model.labels.get(i).is_some_and(|l| range.contains(&l.line))
    };
    // The previous download of each name (case-insensitively, as on EFI).
    let mut last: FxHashMap<Cow<[u8]>, &ImageFact> = FxHashMap::default();
    for image in model
        .images
        .iter()
        .filter(|i| i.kind == ImageFactKind::Fetch)
    {
        let Some(name) = image.name.map(|n| model.names.resolve(n)) else {
            continue;
        };
        let key: Cow<[u8]> = if name.iter().any(u8::is_ascii_uppercase) {
            name.to_ascii_lowercase().into()
        } else {
            name.into()
        };
        let Some(first) = last.insert(key, image) else {
            continue;
        };
        let imgfree = imgfree.get_or_insert_with(|| {
            model
                .calls_named(&["imgfree"])
                .map(|c| c.line)
                .collect()
        });
        let any_in = |lines: &[u32], range: std::ops::RangeInclusive<u32>| {
            let i = lines.partition_point(|&l| l < *range.start());
            lines.get(i).is_some_and(|l| range.contains(l))
        };
        // Same straight run: every line between falls through, no label after
        // the first, no `imgfree`.
        let (from, to) = (first.line, image.line);
        let straight = from < to
            && model.falls_through(from..to)
            && !label_in(from + 1..=to)
            && !any_in(imgfree, from..=to);
        // Downloads that may both fail (`||`) are alternatives: `initrd
        // …/boot/bcd ||` then `initrd …/Boot/BCD ||`. A jump after a success
        // means the second only runs when the first failed.
        let guarded = |i: &ImageFact| !i.unhandled;
        let alternatives = (guarded(first) && guarded(image))
            || model.lines[from as usize].flow.transfer.is_some();
        if !straight || alternatives {
            continue;
        }
        let name = show(name);
        sink.report(
            &RULE,
            image.span,
            format!(
                "this image is registered as `{name}`, and so is the one loaded on line {} (`{}`): lookups by name (`initrd={name}`, `imgargs`, `chain`) find that first one",
                first.line + 1,
                show(first.name.map_or(&b""[..], |n| model.names.resolve(n)))
            ),
        )
        .add_related(first.span, format!("`{name}` is registered here first"))
        .set_help("give each download its own name with `--name`");
    }
}
