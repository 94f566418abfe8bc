//! A readable dump of the tree, for snapshot tests and `ipxelint --dump-tree`.

use std::fmt::Write;

use crate::{Parsed, TokenKind, Word};

/// Renders the tree in a stable text form: errors, then per line its tokens
/// (`KIND@start..end "text"`) and its shape.
pub fn dump(parsed: &Parsed, src: &[u8]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "signature: {:?}", parsed.signature);
    for error in &parsed.errors {
        let _ = writeln!(out, "error@{:?}: {}", error.span, error.message());
    }
    for line in &parsed.lines {
        let _ = writeln!(out, "LINE@{:?}", line.span);
        for token in &line.tokens {
            let _ = writeln!(
                out,
                "  {}@{:?} {}",
                kind_name(token.kind),
                token.span,
                quote(token.span.slice(src))
            );
        }
        if let Some(name) = line.label_name(src) {
            let _ = writeln!(out, "  label {}", quote(name));
        }
        for command in &line.commands {
            let connector = command.connector.map_or("", |(c, _)| c.as_str());
            let words: Vec<String> = command
                .words
                .iter()
                .map(|w| describe_word(w, src))
                .collect();
            let _ = writeln!(out, "  command {connector}[{}]", words.join(", "));
        }
        if line.eof_in_continuation {
            let _ = writeln!(out, "  eof-in-continuation");
        }
    }
    out
}

fn describe_word(word: &Word, src: &[u8]) -> String {
    let text = word.text(src);
    let mut s = quote(text);
    for r in &word.refs {
        let whole = &text[r.range.start as usize..r.range.end as usize];
        match &r.parts {
            Some(_) => {
                let _ = write!(s, " ref{}", quote(whole));
                if let Some(block) = r.block(text) {
                    let _ = write!(s, " block={}", quote(block));
                }
                let _ = write!(s, " name={}", quote(r.name(text).unwrap_or_default()));
                if let Some(ty) = r.ty(text) {
                    let _ = write!(s, " type={}", quote(ty));
                }
            }
            None => {
                let _ = write!(s, " dynamic-ref{}", quote(whole));
            }
        }
    }
    if let Some(offset) = word.unclosed {
        let _ = write!(s, " unclosed@{offset}");
    }
    s
}

fn kind_name(kind: TokenKind) -> &'static str {
    match kind {
        TokenKind::Whitespace => "WHITESPACE",
        TokenKind::Continuation => "CONTINUATION",
        TokenKind::Newline => "NEWLINE",
        TokenKind::Word => "WORD",
        TokenKind::Label => "LABEL",
        TokenKind::Operator => "OPERATOR",
        TokenKind::Comment => "COMMENT",
        TokenKind::Nul => "NUL",
    }
}

/// Quotes bytes as a Rust-like string literal with escapes for control and
/// non-UTF-8 bytes, so dumps are plain ASCII-safe text.
fn quote(bytes: &[u8]) -> String {
    let mut s = String::from("\"");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '"' => s.push_str("\\\""),
                '\\' => s.push_str("\\\\"),
                c if c.is_control() => {
                    let _ = write!(s, "\\x{:02x}", c as u32);
                }
                c => s.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(s, "\\x{b:02x}");
        }
    }
    s.push('"');
    s
}
