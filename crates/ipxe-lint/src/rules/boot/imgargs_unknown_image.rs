//! ## What it does
//! Reports `imgargs NAME …` where `NAME` is not the name of an image the
//! script loads.
//!
//! ## Why is this bad?
//! `imgargs` looks the image up by its exact registered name: the basename
//! of the URL it was downloaded from (`kernel http://x/boot/vmlinuz-6.1` is
//! `vmlinuz-6.1`) or its `--name`. When no image has that name, iPXE takes
//! the word as a URL and tries to download it relative to the current
//! working URI, which usually fails (and aborts the script) or fetches a
//! second copy whose arguments then go unused. Scripts whose image names
//! are computed at run time are not checked.
//!
//! ## Example
//! ```ipxe
//! kernel http://boot.example/vmlinuz-6.1
//! imgargs vmlinuz console=ttyS0
//! ```
//!
//! Use instead: `kernel --name vmlinuz http://boot.example/vmlinuz-6.1`, or
//! `imgargs vmlinuz-6.1 console=ttyS0`.
//!
//! ## References
//! `imgargs_exec` in `src/hci/commands/image_cmd.c`; `imgacquire` in
//! `src/usr/imgmgmt.c`.

use std::borrow::Cow;

use rustc_hash::FxHashSet;

use ipxe_semantics::ImageFactKind;

use crate::prelude::*;
use crate::util::{suggest, text};

pub(crate) const RULE: Rule = Rule {
    code: "IPX502",
    name: "imgargs-unknown-image",
    summary: "`imgargs` names an image that the script does not load",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    let images = &model.images;
    if !images.iter().any(|i| i.kind == ImageFactKind::Imgargs) {
        return;
    }
    // Names as messages show them (so invalid bytes compare as iPXE's users see them).
    let text = |n| text(model.names.resolve(n));
    let mut names: Vec<Cow<str>> = Vec::new();
    let mut known: FxHashSet<Cow<str>> = FxHashSet::default();
    for image in images.iter().filter(|i| i.kind != ImageFactKind::Imgargs) {
        match image.name {
            Some(name) => {
                let name = text(name);
                if known.insert(name.clone()) {
                    names.push(name);
                }
            }
            None => return, // a computed name could be anything
        }
    }
    for image in images.iter().filter(|i| i.kind == ImageFactKind::Imgargs) {
        let Some(name) = image.name.map(text) else {
            continue;
        };
        // A URL is downloaded on purpose.
        if name.contains('/') || name.contains(':') || known.contains(&name) {
            continue;
        }
        let d = sink.report(
            &RULE,
            image.span,
            format!(
                "no image named `{name}` is loaded: `imgargs` will try to download `{name}` from the current location instead of changing a loaded image's arguments"
            ),
        );
        match suggest(&name, names.iter().map(|n| &**n)) {
            Some(close) => d.set_help(format!(
                "images are named after the basename of their URL (or `--name`): did you mean `{close}`?"
            )),
            None => d.set_help("images are named after the basename of their URL; load it with `--name` to give it this name"),
        };
    }
}
