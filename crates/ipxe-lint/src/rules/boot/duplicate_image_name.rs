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
    let fetches: Vec<&ImageFact> = model
        .images
        .iter()
        .filter(|i| i.kind == ImageFactKind::Fetch)
        .collect();
    for (n, image) in fetches.iter().enumerate() {
        let Some(name) = image.name.as_deref() else {
            continue;
        };
        let Some(first) = fetches[..n].iter().rev().find(|f| {
            f.name
                .as_deref()
                .is_some_and(|f| f.eq_ignore_ascii_case(name))
        }) else {
            continue;
        };
        // Same straight run: every line between falls through, no label after
        // the first, no `imgfree`.
        let (from, to) = (first.line as usize, image.line as usize);
        let straight = from < to
            && (from..to).all(|l| model.lines[l].flow.falls_through)
            && model.lines[from + 1..=to].iter().all(|l| l.label.is_none())
            && !model
                .calls
                .iter()
                .any(|c| c.name == "imgfree" && (from as u32..=to as u32).contains(&c.line));
        // Downloads that may both fail (`||`) are alternatives: `initrd
        // …/boot/bcd ||` then `initrd …/Boot/BCD ||`. A jump after a success
        // means the second only runs when the first failed.
        let guarded = |i: &ImageFact| {
            model.calls.iter().any(|c| {
                c.line == i.line && c.args.first() == Some(&i.span) && c.unhandled.is_none()
            })
        };
        let alternatives =
            (guarded(first) && guarded(image)) || model.lines[from].flow.transfer.is_some();
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
                show(first.name.as_deref().unwrap_or_default())
            ),
        )
        .add_related(first.span, format!("`{name}` is registered here first"))
        .set_help("give each download its own name with `--name`");
    }
}
