//! ## What it does
//! Reports the first non-ASCII character of a line (outside comments), and
//! says when the bytes are not valid UTF-8. Unicode spaces — a no-break space
//! pasted from a web page, for instance — are reported as warnings.
//!
//! ## Why is this bad?
//! iPXE works on bytes and knows nothing about character sets. Bytes of 0x80
//! and above are ordinary word characters: a no-break space does not separate
//! words (`kernel vmlinuz` with U+00A0 between them is one unknown command),
//! and curly quotes are just more bytes. When text is printed, the BIOS text
//! console shows UTF-8 as several wrong characters; EFI and framebuffer
//! consoles decode UTF-8 only since 2022. Bytes that are not valid UTF-8
//! usually mean the file was saved in a legacy encoding (Latin-1,
//! Windows-1252). Comments are not checked: iPXE never reads them.
//!
//! ## Example
//! ```ipxe
//! echo Démarrage…
//! ```
//!
//! Use instead:
//! ```ipxe
//! echo Demarrage...
//! ```
//!
//! ## References
//! `split_command` in `src/core/exec.c`; `isspace` in `src/core/ctype.c`;
//! `src/core/utf8.c` (UTF-8 output, 2022).

use ipxe_syntax::TokenKind;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX008",
    name: "non-ascii",
    summary: "non-ASCII or invalid UTF-8 bytes outside comments",
    severity: Severity::Info,
    fix: FixAvailability::None,
    check: Check::Line(check),
};

/// Characters that look like whitespace (or nothing) but are ordinary bytes to iPXE.
fn unicode_space(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{00A0}' => "a no-break space",
        '\u{202F}' => "a narrow no-break space",
        '\u{200B}' => "a zero-width space",
        '\u{FEFF}' => "a zero-width no-break space (byte-order mark)",
        '\u{3000}' => "an ideographic space",
        '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{205F}' => "a Unicode space",
        _ => return None,
    })
}

/// The first non-ASCII position of `bytes`, with the character there (or `None` when invalid).
fn first_non_ascii(bytes: &[u8]) -> Option<(usize, Option<char>, usize)> {
    let i = bytes.iter().position(|&b| b >= 0x80)?;
    let rest = &bytes[i..bytes.len().min(i + 4)];
    let valid = match std::str::from_utf8(rest) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default(),
    };
    Some(match valid.chars().next() {
        Some(c) => (i, Some(c), c.len_utf8()),
        None => (i, None, 1),
    })
}

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    // Nearly every line is ASCII: one fast scan instead of one per token.
    if cx.bytes.is_ascii() {
        return;
    }
    let mut first: Option<(u32, Option<char>, usize)> = None;
    let mut invalid: Option<u32> = None;
    for token in &cx.line.tokens {
        if !matches!(token.kind, TokenKind::Word | TokenKind::Label) {
            continue;
        }
        let bytes = token.span.slice(cx.src);
        let mut at = 0;
        while let Some((i, c, len)) = first_non_ascii(&bytes[at..]) {
            let pos = token.span.start + (at + i) as u32;
            if first.is_none() {
                first = Some((pos, c, len));
            }
            if c.is_none() {
                invalid = Some(pos);
                break;
            }
            at += i + len;
        }
        if invalid.is_some() {
            break;
        }
    }
    let Some((pos, c, len)) = first else { return };
    if let Some(pos) = invalid {
        let byte = cx.src[pos as usize];
        sink.report(
            &RULE,
            Span::new(pos, pos + 1),
            format!("byte 0x{byte:02X} is not valid UTF-8: iPXE passes it on as it is, and consoles show it as garbage"),
        )
        .set_help("the file is probably in a legacy encoding (Latin-1, Windows-1252): save it as UTF-8, or use ASCII");
        return;
    }
    let Some(c) = c else { return };
    let span = Span::new(pos, pos + len as u32);
    let code = format!("U+{:04X}", c as u32);
    if let Some(what) = unicode_space(c) {
        sink.report_with(
            &RULE,
            Severity::Warning,
            span,
            format!("this is {what} ({code}), not whitespace to iPXE: the text around it is a single word"),
        )
        .set_help("replace it with an ordinary space");
    } else {
        sink.report(
            &RULE,
            span,
            format!("non-ASCII character `{c}` ({code}): iPXE treats its UTF-8 bytes as ordinary characters, and BIOS text consoles show them as garbage"),
        )
        .set_help("use ASCII for text iPXE prints or sends");
    }
}
