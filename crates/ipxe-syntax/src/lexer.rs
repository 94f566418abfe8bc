//! The raw lexer: classifies every byte of a script into a handful of token kinds.
//!
//! iPXE works on bytes (no character set), so the lexer does too. Everything that
//! needs context — logical lines, labels, operators, comments — is decided by the
//! line builder in [`crate::line`], because iPXE decides those on whole
//! whitespace-separated tokens after continuation lines are joined
//! (`src/image/script.c`, `src/core/exec.c`).

use logos::Logos;

#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
#[logos(utf8 = false)]
pub enum RawToken {
    /// Ends a physical line.
    #[token(b"\n")]
    Newline,
    /// A backslash that ends a physical line (after one CR is stripped): the next
    /// physical line is appended with no separator.
    #[regex(b"\\\\\r?\n")]
    Continuation,
    /// iPXE's `isspace` minus `\n`: space, tab, VT, FF, CR.
    #[regex(b"[ \t\x0B\x0C\r]+")]
    Whitespace,
    /// A backslash anywhere else is an ordinary character.
    #[token(b"\\")]
    Backslash,
    /// A NUL ends the C string iPXE makes of the logical line.
    #[token(b"\0")]
    Nul,
    /// Any run of other bytes (including invalid UTF-8).
    #[regex(b"[^ \t\n\x0B\x0C\r\\\\\x00]+")]
    Text,
    /// Never produced by the lexer: bytes the line builder found to be removed
    /// by a continuation that spans an empty line (see [`crate::line`]).
    Removed,
}

/// Lexes `src` into `(kind, start, end)` triples. Total: every byte belongs to
/// exactly one token (the patterns above partition all 256 byte values).
pub fn raw_tokens(src: &[u8]) -> impl Iterator<Item = (RawToken, usize, usize)> + '_ {
    let mut lexer = RawToken::lexer(src);
    std::iter::from_fn(move || next_raw(&mut lexer))
}

/// One step of [`raw_tokens`] on a lexer the caller owns, so that the line
/// builder can drive logos directly instead of through a boxed iterator.
#[inline]
pub(crate) fn next_raw(lexer: &mut logos::Lexer<'_, RawToken>) -> Option<(RawToken, usize, usize)> {
    let token = lexer.next()?;
    let span = lexer.span();
    // The patterns cover every byte, so an error is unreachable; map it to
    // Text anyway so that the lexer stays total even if that changes.
    Some((token.unwrap_or(RawToken::Text), span.start, span.end))
}
