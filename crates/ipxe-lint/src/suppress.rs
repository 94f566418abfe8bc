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
    fn shift(&mut self, by: u32) {
        self.span = self.span.shifted(by);
        self.target = self.target.map(|t| t.shifted(by));
        for (_, span) in &mut self.codes {
            *span = span.shifted(by);
        }
    }

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
#[derive(Clone, Default)]
pub struct DirectiveCollector {
    directives: Vec<Directive>,
    /// Directives still waiting for their line (file-wide ones too: a file
    /// read in pieces only learns later whether they really were first).
    pending: Vec<usize>,
    seen_command: bool,
    /// The first line with a command or label.
    first_target: Option<Span>,
}

impl DirectiveCollector {
    pub fn line(&mut self, line: &Line, src: &[u8]) {
        let has_command = line.non_empty_commands().next().is_some();
        if let Some(directive) = parse_directive(line, src, !self.seen_command) {
            self.pending.push(self.directives.len());
            self.directives.push(directive);
        } else if has_command || line.label.is_some() {
            self.first_target.get_or_insert(line.span);
            for i in self.pending.drain(..) {
                self.directives[i].target = Some(line.span);
            }
        }
        self.seen_command |= has_command;
    }

    /// Adds what another collector gathered from the lines after this one's,
    /// from a piece of the file that starts `shift` bytes in.
    pub fn append(&mut self, other: &DirectiveCollector, shift: u32) {
        let mut other = other.clone();
        for directive in &mut other.directives {
            directive.shift(shift);
        }
        other.first_target = other.first_target.map(|t| t.shifted(shift));
        if let Some(target) = other.first_target {
            for i in self.pending.drain(..) {
                self.directives[i].target = Some(target);
            }
        }
        if self.seen_command {
            for directive in &mut other.directives {
                directive.file_wide = false;
            }
        }
        let base = self.directives.len();
        self.pending.extend(other.pending.iter().map(|i| i + base));
        self.directives.append(&mut other.directives);
        self.seen_command |= other.seen_command;
        self.first_target = self.first_target.or(other.first_target);
    }

    pub fn finish(self) -> Vec<Directive> {
        self.directives
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ipxe_syntax::Lines;

    fn describe(directives: &[Directive]) -> Vec<(Span, bool, Option<Span>)> {
        directives
            .iter()
            .map(|d| (d.span, d.file_wide, d.target))
            .collect()
    }

    /// Collecting over pieces and appending gives what one pass gives.
    #[test]
    fn appended_pieces_equal_the_whole() {
        let src = b"#!ipxe\n#ipxelint disable=IPX110\n\n:start\n#ipxelint disable=IPX205\n# plain\n\necho ${a}\n#ipxelint disable=IPX101,IPX102\n:next\nfoo\n#ipxelint disable=all\n";
        let lines: Vec<Line> = Lines::new(src).collect();
        let mut whole = DirectiveCollector::default();
        for line in &lines {
            whole.line(line, src);
        }
        let whole = describe(&whole.finish());
        assert_eq!(whole.len(), 4);
        assert!(whole[0].1 && whole[1].1 && !whole[2].1 && !whole[3].1);
        for a in 0..=lines.len() {
            for b in a..=lines.len() {
                // Each piece is read on its own, as the engine does, then shifted.
                let offset = |i: usize| lines.get(i).map_or(src.len(), |l| l.span.start as usize);
                let mut merged = DirectiveCollector::default();
                for range in [0..a, a..b, b..lines.len()] {
                    let (start, end) = (offset(range.start), offset(range.end));
                    let piece = &src[start..end];
                    let mut part = DirectiveCollector::default();
                    for line in Lines::new(piece) {
                        part.line(&line, piece);
                    }
                    merged.append(&part, start as u32);
                }
                assert_eq!(describe(&merged.finish()), whole, "split at {a}, {b}");
            }
        }
    }
}
