//! ## What it does
//! Reports a command name that iPXE does not have, with a suggestion when a
//! real command is close, and an explanation for shell or GRUB keywords
//! (`if`, `then`, `fi`, `export`, `menuentry`…).
//!
//! ## Why is this bad?
//! iPXE prints `<name>: command not found` and the command fails with "Exec
//! format error", which aborts the script unless the line ends in `||`.
//! Commands that exist in iPXE but are not in the target build are reported
//! by IPX601 instead.
//!
//! ## Example
//! ```ipxe
//! isseq ${platform} efi || goto bios
//! ```
//!
//! Use instead:
//! ```ipxe
//! iseq ${platform} efi || goto bios
//! ```
//!
//! ## References
//! `execv` in `src/core/exec.c`.

use crate::prelude::*;
use crate::util::suggest;

pub(crate) const RULE: Rule = Rule {
    code: "IPX101",
    name: "unknown-command",
    summary: "a command that iPXE does not have",
    severity: Severity::Error,
    fix: FixAvailability::None,
    check: Check::Line(check),
};

/// Words from other boot languages, and what iPXE offers instead.
const FOREIGN: &[(&str, &str)] = &[
    ("if", "iPXE has no `if`: test with `iseq`/`isset` and branch with `||`/`&&` and `goto`"),
    ("then", "iPXE has no `if … then`: test with `iseq`/`isset` and branch with `goto`"),
    ("else", "iPXE has no `else`: use `cond && goto yes || goto no`"),
    ("fi", "iPXE has no `if … fi` blocks; use labels and `goto`"),
    ("elif", "iPXE has no `elif`; chain tests with `goto`"),
    ("for", "iPXE has no loops; use a label, `inc` and `iseq … || goto`"),
    ("while", "iPXE has no loops; use a label, `inc` and `iseq … || goto`"),
    ("do", "iPXE has no loops; use a label and `goto`"),
    ("done", "iPXE has no loops; use a label and `goto`"),
    ("export", "iPXE settings need no export: `set name value`"),
    ("source", "to run another script use `chain`"),
    ("menuentry", "this is GRUB syntax; iPXE menus use `menu`, `item` and `choose`"),
    ("linux", "this is GRUB syntax; iPXE uses `kernel`"),
    ("linuxefi", "this is GRUB syntax; iPXE uses `kernel`"),
    ("initrdefi", "this is GRUB syntax; iPXE uses `initrd`"),
    ("append", "this is PXELINUX syntax; put kernel arguments after the `kernel` URL"),
    ("label", "labels are written `:name` on their own line"),
];

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    if !cx.any_unknown_command {
        return;
    }
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        if bound.spec.is_some() {
            continue;
        }
        let Some(name) = crate::util::command_name(command, cx.src) else { continue };
        // A byte-order mark before `#!ipxe` is IPX001's finding, not a command.
        if name.starts_with(b"\xEF\xBB\xBF#") {
            continue;
        }
        let text = show(name);
        // Glued operators (`dhcp||goto`, `dhcp;`) are IPX107's.
        if ["||", "&&"].iter().any(|op| text.contains(op)) || (text.len() > 1 && text.ends_with(';')) {
            continue;
        }
        let span = command.words[0].span;
        let d = sink.report(&RULE, span, format!("`{text}`: command not found"));
        if let Some((_, hint)) = FOREIGN.iter().find(|(w, _)| *w == text) {
            d.set_help(*hint);
        } else if let Some(close) = suggest(&text, Catalog::get().command_names()) {
            d.set_help(format!("did you mean `{close}`?"));
        } else if command.words.len() == 1 && text.ends_with(':') {
            d.set_help(format!("labels start with a colon: `:{}`", text.trim_end_matches(':')));
        }
    }
}
