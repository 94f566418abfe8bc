//! `#ipxelint disable=CODE[,CODE]` comments.
//!
//! On its own line, a directive silences the listed codes on the next line
//! that has a command. Before the first command of the file, it silences them
//! in the whole file. Directives that silence nothing are reported (IPX901).

use ipxe_syntax::{Line, Span, TokenKind};

#[derive(Clone, Debug)]
pub struct Directive {
    pub codes: Vec<(String, Span)>,
    /// The whole comment.
    pub span: Span,
    /// Applies to the whole file.
    pub file_wide: bool,
    /// The span of the line it applies to (filled in when that line is seen).
    pub target: Option<Span>,
    /// Which codes were used (same order as `codes`).
    pub used: Vec<bool>,
}

/// Reads a directive from a comment-only line.
pub fn parse_directive(line: &Line, src: &[u8], file_wide: bool) -> Option<Directive> {
    if line.non_empty_commands().next().is_some() || line.label.is_some() {
        return None;
    }
    let comment = line.tokens[line.comment? as usize];
    debug_assert_eq!(comment.kind, TokenKind::Comment);
    let text = comment.span.slice(src);
    let body = text.strip_prefix(b"#")?;
    let trimmed_start = body.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let rest = body[trimmed_start..].strip_prefix(b"ipxelint")?;
    let ws = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
    if ws == 0 {
        return None;
    }
    let list = rest[ws..].strip_prefix(b"disable=")?;
    let list_start = comment.span.start + 1 + trimmed_start as u32 + 8 + ws as u32 + 8;
    let end = list
        .iter()
        .position(|b| b.is_ascii_whitespace())
        .unwrap_or(list.len());
    let mut codes = Vec::new();
    let mut offset = 0u32;
    for code in list[..end].split(|&b| b == b',') {
        if !code.is_empty() {
            let span = Span::new(list_start + offset, list_start + offset + code.len() as u32);
            codes.push((String::from_utf8_lossy(code).into_owned(), span));
        }
        offset += code.len() as u32 + 1;
    }
    if codes.is_empty() {
        return None;
    }
    let used = vec![false; codes.len()];
    Some(Directive {
        codes,
        span: comment.span,
        file_wide,
        target: None,
        used,
    })
}

impl Directive {
    /// Whether this directive silences `code` at `span`, marking it used.
    pub fn silences(&mut self, code: &str, span: Span) -> bool {
        let applies = self.file_wide
            || self
                .target
                .is_some_and(|t| t.start <= span.start && span.start <= t.end);
        if !applies {
            return false;
        }
        let mut hit = false;
        for (i, (c, _)) in self.codes.iter().enumerate() {
            if c.eq_ignore_ascii_case(code) || c == "all" {
                self.used[i] = true;
                hit = true;
            }
        }
        hit
    }
}

/// Gathers a file's directives line by line, pointing each at the next line
/// that has a command or label.
#[derive(Default)]
pub struct DirectiveCollector {
    directives: Vec<Directive>,
    pending: Vec<usize>,
    seen_command: bool,
}

impl DirectiveCollector {
    pub fn line(&mut self, line: &Line, src: &[u8]) {
        let has_command = line.non_empty_commands().next().is_some();
        if let Some(directive) = parse_directive(line, src, !self.seen_command) {
            if !directive.file_wide {
                self.pending.push(self.directives.len());
            }
            self.directives.push(directive);
        } else if has_command || line.label.is_some() {
            for i in self.pending.drain(..) {
                self.directives[i].target = Some(line.span);
            }
        }
        self.seen_command |= has_command;
    }

    pub fn finish(self) -> Vec<Directive> {
        self.directives
    }
}
