//! The `#!ipxe` signature that makes a file a script (`script_probe` in
//! `src/image/script.c`): at least 7 bytes, `#!ipxe` or `#!gpxe` exactly, then
//! one whitespace byte.

use crate::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signature {
    Ipxe,
    /// The legacy gPXE magic, still accepted.
    Gpxe,
    Invalid(SignatureProblem),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureProblem {
    Empty,
    /// A UTF-8 byte-order mark before `#!ipxe`.
    ByteOrderMark,
    /// Blank lines or spaces before `#!ipxe`.
    LeadingWhitespace,
    /// `#!iPXE`, `#!IPXE`…: the check is case-sensitive.
    WrongCase,
    /// `#!ipxe` not followed by a whitespace byte (`#!ipxe2`, or a 6-byte file).
    NoWhitespaceAfter,
    /// Anything else (`#! ipxe`, `#!/bin/ipxe`, no signature at all).
    Missing,
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r')
}

pub fn check_signature(src: &[u8]) -> Signature {
    let magic = src.get(..6);
    let ok_magic = match magic {
        Some(b"#!ipxe") => Some(Signature::Ipxe),
        Some(b"#!gpxe") => Some(Signature::Gpxe),
        _ => None,
    };
    if let Some(sig) = ok_magic {
        return match src.get(6) {
            Some(&b) if is_space(b) => sig,
            _ => Signature::Invalid(SignatureProblem::NoWhitespaceAfter),
        };
    }
    let problem = if src.is_empty() {
        SignatureProblem::Empty
    } else if src.starts_with(BOM) {
        SignatureProblem::ByteOrderMark
    } else if src.first().is_some_and(|&b| is_space(b))
        && trim_start(src)
            .get(..6)
            .is_some_and(|m| m.eq_ignore_ascii_case(b"#!ipxe") || m.eq_ignore_ascii_case(b"#!gpxe"))
    {
        SignatureProblem::LeadingWhitespace
    } else if magic
        .is_some_and(|m| m.eq_ignore_ascii_case(b"#!ipxe") || m.eq_ignore_ascii_case(b"#!gpxe"))
    {
        SignatureProblem::WrongCase
    } else {
        SignatureProblem::Missing
    };
    Signature::Invalid(problem)
}

fn trim_start(src: &[u8]) -> &[u8] {
    let n = src.iter().take_while(|&&b| is_space(b)).count();
    &src[n..]
}

impl SignatureProblem {
    pub fn message(self) -> &'static str {
        match self {
            SignatureProblem::Empty => "empty file: a script must start with `#!ipxe`",
            SignatureProblem::ByteOrderMark => {
                "a byte-order mark precedes `#!ipxe`: iPXE does not recognise this file as a script"
            }
            SignatureProblem::LeadingWhitespace => {
                "whitespace precedes `#!ipxe`: the signature must be the first bytes of the file"
            }
            SignatureProblem::WrongCase => "the signature is case-sensitive: write `#!ipxe`",
            SignatureProblem::NoWhitespaceAfter => {
                "`#!ipxe` must be followed by a newline or other whitespace"
            }
            SignatureProblem::Missing => {
                "missing `#!ipxe` signature: iPXE will not run this file as a script"
            }
        }
    }

    /// Where to point at for this problem.
    pub fn span(self, src: &[u8]) -> Span {
        let first_line_end = src.iter().position(|&b| b == b'\n').unwrap_or(src.len());
        match self {
            SignatureProblem::Empty => Span::new(0, 0),
            SignatureProblem::ByteOrderMark => Span::new(0, 3),
            SignatureProblem::LeadingWhitespace => {
                let n = src.iter().take_while(|&&b| is_space(b)).count();
                Span::new(0, n as u32)
            }
            _ => Span::new(0, first_line_end.min(src.len()) as u32),
        }
    }
}
