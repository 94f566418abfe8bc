//! ## What it does
//! Reports a file whose first bytes are not exactly `#!ipxe` (or the legacy
//! `#!gpxe`) followed by whitespace: a byte-order mark, a blank line or spaces
//! before it, upper case, or no signature at all.
//!
//! ## Why is this bad?
//! iPXE decides whether an image is a script from those first seven bytes
//! only. A file that fails the check is not run as a script: EFI builds refuse
//! it with "Exec format error", and BIOS builds may execute it as raw PXE
//! code, which hangs or crashes the machine.
//!
//! ## Example
//! ```ipxe
//!
//! #!ipxe
//! dhcp
//! ```
//!
//! Use instead: `#!ipxe` as the very first bytes. `--fix` removes a
//! byte-order mark or leading whitespace, and fixes the case.
//!
//! ## Fix safety
//! Removing a BOM or leading whitespace and fixing the case is safe. Adding a
//! missing signature is offered as an unsafe fix: it turns a file that iPXE
//! never ran into one it runs.
//!
//! ## References
//! `script_probe` in `src/image/script.c`; `pxe_probe` in `src/arch/x86/image/pxe_image.c`.

use ipxe_syntax::{SignatureProblem, SyntaxErrorKind};

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX001",
    name: "bad-signature",
    summary: "the file does not start with the `#!ipxe` signature",
    severity: Severity::Error,
    fix: FixAvailability::Sometimes,
    check: Check::File(check),
};

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    for error in cx.syntax_errors.iter().chain(signature_error(cx).as_ref()) {
        let SyntaxErrorKind::BadSignature(problem) = error.kind else { continue };
        let d = sink.report(&RULE, error.span, problem.message());
        match problem {
            SignatureProblem::ByteOrderMark => {
                d.set_fix("remove the byte-order mark", Applicability::Safe, vec![Edit::delete(Span::new(0, 3))]);
            }
            SignatureProblem::LeadingWhitespace => {
                d.set_fix("remove what precedes `#!ipxe`", Applicability::Safe, vec![Edit::delete(error.span)]);
            }
            SignatureProblem::WrongCase => {
                let fixed = cx.src[..6].to_ascii_lowercase();
                d.set_fix("write the signature in lower case", Applicability::Safe, vec![Edit::replace(Span::new(0, 6), fixed)]);
            }
            SignatureProblem::Missing | SignatureProblem::Empty => {
                d.set_fix("add `#!ipxe` as the first line", Applicability::Unsafe, vec![Edit::insert(0, "#!ipxe\n")]);
            }
            SignatureProblem::NoWhitespaceAfter => {}
        }
    }
}

/// The engine streams lines, so the signature error is not among the line errors.
fn signature_error(cx: &FileCx<'_>) -> Option<ipxe_syntax::SyntaxError> {
    match cx.signature {
        ipxe_syntax::Signature::Invalid(problem) => {
            Some(ipxe_syntax::SyntaxError { kind: SyntaxErrorKind::BadSignature(problem), span: problem.span(cx.src) })
        }
        _ => None,
    }
}
