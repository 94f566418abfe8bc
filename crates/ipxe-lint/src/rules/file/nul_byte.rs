//! ## What it does
//! Reports a NUL byte (0x00) in a script.
//!
//! ## Why is this bad?
//! iPXE handles each line as a C string, so a NUL ends it: everything after
//! the NUL on that line — arguments, `|| goto …` fallbacks — is silently
//! ignored. NUL bytes usually come from a file saved as UTF-16 or from binary
//! data pasted into the script.
//!
//! ## Example
//! `dhcp␀ || goto retry`: iPXE runs just `dhcp`, without the fallback.
//!
//! Use instead: remove the NUL byte (and re-save the file as ASCII/UTF-8 if it
//! is UTF-16).
//!
//! ## Fix safety
//! Removing the NUL is unsafe: the text it hid starts running.
//!
//! ## References
//! `process_script` in `src/image/script.c`; `system` in `src/core/exec.c`.

use ipxe_syntax::SyntaxErrorKind;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX005",
    name: "nul-byte",
    summary: "a NUL byte hides the rest of its line from iPXE",
    severity: Severity::Error,
    fix: FixAvailability::Always,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let nuls = cx
        .syntax_errors
        .iter()
        .filter(|e| e.kind == SyntaxErrorKind::NulByte);
    let mut utf16: Option<bool> = None;
    for error in nuls {
        // The rest of the physical line is what iPXE never sees.
        let start = error.span.start as usize;
        let line_end = cx.src[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(cx.src.len(), |p| start + p);
        let hidden = &cx.src[start + 1..line_end];
        let hidden: Vec<u8> = hidden
            .iter()
            .copied()
            .filter(|&b| b != 0 && b != b'\r')
            .collect();
        let mut hidden = String::from_utf8_lossy(hidden.trim_ascii()).into_owned();
        if hidden.chars().count() > 40 {
            hidden = hidden.chars().take(40).collect::<String>() + "…";
        }
        let message = if hidden.is_empty() {
            "NUL byte: iPXE ends the line here".to_string()
        } else {
            format!("NUL byte: iPXE ignores the rest of this line (`{hidden}`)")
        };
        let d = sink.report(&RULE, error.span, message);
        if *utf16
            .get_or_insert_with(|| cx.src.iter().filter(|&&b| b == 0).count() * 4 > cx.src.len())
        {
            d.set_help("the file looks like UTF-16: save it as ASCII or UTF-8");
        }
        d.set_fix(
            "remove the NUL byte",
            Applicability::Unsafe,
            vec![Edit::delete(error.span)],
        );
    }
}
