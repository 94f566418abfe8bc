//! ## What it does
//! Reports a script whose last line ends in `\`, so that the file ends in
//! the middle of a line continuation.
//!
//! ## Why is this bad?
//! A final `\` tells iPXE to append the next line, which never comes. iPXE
//! does not run the pending line at all and the script fails with "Invalid
//! argument" — after running everything before it. This is easy to miss
//! when the last command was split over several lines and the final part was
//! deleted.
//!
//! ## Example
//! ```ipxe
//! #!ipxe
//! kernel http://boot.example.com/vmlinuz \
//! ```
//!
//! Use instead: remove the final `\` (or add the missing last part).
//!
//! ## Fix safety
//! Removing the `\` is unsafe: the last line starts running.
//!
//! ## References
//! `process_script` in `src/image/script.c`.

use ipxe_syntax::SyntaxErrorKind;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX004",
    name: "eof-in-continuation",
    summary: "the file ends in a `\\` continuation: the last line never runs and the script fails",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for error in cx.syntax_errors {
        if error.kind != SyntaxErrorKind::EofInContinuation {
            continue;
        }
        let backslash = Span::new(error.span.start, error.span.start + 1);
        let is_backslash = cx.src.get(error.span.start as usize) == Some(&b'\\');
        let span = if is_backslash { backslash } else { error.span };
        let d = sink.report(&RULE, span, error.message());
        d.set_help("remove the final `\\`, or add the line it was meant to continue with");
        if is_backslash {
            d.set_fix(
                "remove the final `\\`",
                Applicability::Unsafe,
                vec![Edit::delete(backslash)],
            );
        }
    }
}
