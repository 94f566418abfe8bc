//! Lossless parsing of iPXE scripts.
//!
//! The tree follows iPXE's own reading of a script (`src/image/script.c`,
//! `src/core/exec.c`, `src/core/settings.c`): logical lines, labels, commands
//! joined by `||`/`&&`/`;`, comments, and the `${…}` references inside words.
//! It knows nothing about individual commands: which words are options is
//! decided later with the command catalogue, as iPXE's per-command getopt does.
//!
//! **Invariant:** parsing never fails and never panics; the tokens of all lines,
//! in order, cover every byte of the input exactly once.

mod dump;
mod lexer;
mod line;
mod signature;
mod span;
mod word;

pub use dump::dump;
pub use lexer::{RawToken, raw_tokens};
pub use line::{Command, Connector, Line, Lines, Token, TokenKind};
pub use signature::{Signature, SignatureProblem, check_signature};
pub use span::Span;
pub use word::{RefParts, RefScan, SettingRef, Word, scan_refs, split_setting_name};

/// A problem in the structure of the file itself: things that make iPXE
/// reject the file or silently drop part of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub kind: SyntaxErrorKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// The first bytes are not `#!ipxe`/`#!gpxe` + whitespace.
    BadSignature(SignatureProblem),
    /// The file ends inside a `\` continuation.
    EofInContinuation,
    /// A NUL byte hides the rest of its line.
    NulByte,
}

impl SyntaxError {
    pub fn message(&self) -> String {
        match &self.kind {
            SyntaxErrorKind::BadSignature(problem) => problem.message().to_string(),
            SyntaxErrorKind::EofInContinuation => {
                "the file ends inside a line continuation: iPXE never runs this line and the script fails with \"Invalid argument\"".into()
            }
            SyntaxErrorKind::NulByte => {
                "NUL byte: iPXE ignores the rest of this line".into()
            }
        }
    }
}

/// A whole parsed script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    pub signature: Signature,
    pub lines: Vec<Line>,
    pub errors: Vec<SyntaxError>,
}

/// Parses a whole script. Total: any bytes give a tree plus errors.
pub fn parse(src: &[u8]) -> Parsed {
    let signature = check_signature(src);
    let mut errors = Vec::new();
    if let Signature::Invalid(problem) = &signature {
        errors.push(SyntaxError {
            kind: SyntaxErrorKind::BadSignature(*problem),
            span: problem.span(src),
        });
    }
    let mut lines = Vec::new();
    for line in Lines::new(src) {
        line_errors(&line, &mut errors);
        lines.push(line);
    }
    Parsed {
        signature,
        lines,
        errors,
    }
}

/// The syntax errors a single line carries (used by streaming consumers too).
pub fn line_errors(line: &Line, errors: &mut Vec<SyntaxError>) {
    if let Some(nul) = line.nul {
        let span = line.token_span(nul);
        errors.push(SyntaxError {
            kind: SyntaxErrorKind::NulByte,
            span: Span::new(span.start, span.start + 1),
        });
    }
    if line.eof_in_continuation {
        let span = line
            .tokens
            .iter()
            .rev()
            .find(|t| t.kind == TokenKind::Continuation)
            .map(|t| t.span)
            .unwrap_or(line.span);
        errors.push(SyntaxError {
            kind: SyntaxErrorKind::EofInContinuation,
            span,
        });
    }
}

impl Parsed {
    /// Puts the tokens back together; equals the input for every input.
    pub fn print(&self, src: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(src.len());
        for line in &self.lines {
            for token in &line.tokens {
                out.extend_from_slice(token.span.slice(src));
            }
        }
        out
    }
}
