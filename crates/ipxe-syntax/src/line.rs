//! Logical lines: the unit iPXE executes.
//!
//! `process_script` (`src/image/script.c`) reads physical lines split on LF,
//! strips one trailing CR, joins a line ending in `\` to the next one, and hands
//! the result to the label check and to `system()`. [`Lines`] does the same over
//! the raw tokens, producing a lossless token list per logical line, and a small
//! chumsky grammar gives the line its shape (label, commands joined by
//! operators, comment).

use chumsky::prelude::*;
use logos::Logos;

use crate::Span;
use crate::lexer::{RawToken, next_raw};
use crate::word::{RefScratch, Word, scan_refs_into};

/// The kind of a lossless token. Every source byte belongs to exactly one token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Spaces, tabs, VT, FF and CR (a CR before LF is whitespace to iPXE too).
    Whitespace,
    /// `\` + optional CR + LF, when not inside a word.
    Continuation,
    /// The LF that ends a logical line.
    Newline,
    /// A whitespace-separated token of a command.
    Word,
    /// `:name` at the start of a line.
    Label,
    /// `||`, `&&` or `;` as a whole token.
    Operator,
    /// From a token starting with `#` to the end of the logical line.
    Comment,
    /// A NUL byte and the rest of its logical line, which iPXE never sees.
    Nul,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// The operator that joins a command to the previous one (`exec.c`'s
/// `command_terminator`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Connector {
    /// `||`: run only if the previous status is non-zero.
    Or,
    /// `&&`: run only if the previous status is zero.
    And,
    /// `;`: always run.
    Seq,
}

impl Connector {
    pub fn as_str(self) -> &'static str {
        match self {
            Connector::Or => "||",
            Connector::And => "&&",
            Connector::Seq => ";",
        }
    }

    fn from_text(text: &[u8]) -> Option<Connector> {
        match text {
            b"||" => Some(Connector::Or),
            b"&&" => Some(Connector::And),
            b";" => Some(Connector::Seq),
            _ => None,
        }
    }
}

/// One command of a line: the words between two operators. May be empty
/// (a blank line, or the empty command after a trailing `||`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Command {
    /// The operator before this command and its token index; `None` for the first.
    pub connector: Option<(Connector, u32)>,
    pub words: Vec<Word>,
}

impl Command {
    /// The command name as written (before expansion), if any.
    pub fn name(&self) -> Option<&Word> {
        self.words.first()
    }

    pub fn args(&self) -> &[Word] {
        self.words.get(1..).unwrap_or(&[])
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// From the first to the last word (empty commands have no span).
    pub fn span(&self) -> Option<Span> {
        Some(self.words.first()?.span.cover(self.words.last()?.span))
    }
}

/// A logical line with its tokens and shape.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Line {
    /// Every byte of the logical line, including its final LF.
    pub span: Span,
    pub tokens: Vec<Token>,
    /// `:name`; the word's text includes the colon (see [`Line::label_name`]).
    pub label: Option<Word>,
    /// At least one command (possibly empty).
    pub commands: Vec<Command>,
    /// Token index of the comment, if any.
    pub comment: Option<u32>,
    /// Token index of a NUL and the text it hides, if any.
    pub nul: Option<u32>,
    /// The file ends inside a continuation: iPXE never runs this line and the
    /// script fails with EINVAL.
    pub eof_in_continuation: bool,
}

impl Line {
    /// The label name without its colon.
    pub fn label_name<'a>(&'a self, src: &'a [u8]) -> Option<&'a [u8]> {
        Some(&self.label.as_ref()?.text(src)[1..])
    }

    /// The source span of the label name (without the colon).
    pub fn label_name_span(&self) -> Option<Span> {
        let label = self.label.as_ref()?;
        let len = label
            .joined
            .as_ref()
            .map_or(label.span.len(), |j| j.len() as u32);
        Some(label.source_span(1..len))
    }

    /// The span of a token by index.
    pub fn token_span(&self, index: u32) -> Span {
        self.tokens[index as usize].span
    }

    /// The span of the line without its final LF.
    pub fn content_span(&self) -> Span {
        match self.tokens.last() {
            Some(t) if t.kind == TokenKind::Newline => Span::new(self.span.start, t.span.start),
            _ => self.span,
        }
    }

    /// Commands with at least one word.
    pub fn non_empty_commands(&self) -> impl Iterator<Item = &Command> {
        self.commands.iter().filter(|c| !c.is_empty())
    }

    /// Every word of the line (label excluded), in order.
    pub fn words(&self) -> impl Iterator<Item = &Word> {
        self.commands.iter().flat_map(|c| c.words.iter())
    }
}

/// Non-trivia tokens as the line grammar sees them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Label,
    Word,
    Op(Connector, u32),
    Comment,
    Nul,
}

/// What the grammar reports: the number of words of the first command, then
/// each operator with the number of words of the command it starts.
type Parsed = (usize, Vec<((Connector, u32), usize)>);

/// The grammar of a logical line once tokens are classified:
/// `label? command (operator command)* comment? nul?`.
///
/// Commands are counted rather than collected: the words are already in
/// source order, so counts are all it takes to hand them out, and a line
/// without operators is shaped without allocating. Building the grammar is
/// free (the combinators are plain values), so it is built where it is used.
fn line_grammar<'a>() -> impl Parser<'a, &'a [Shape], Parsed> + Clone {
    let label = select! { Shape::Label => () }.or_not();
    let command = select! { Shape::Word => () }.repeated().count();
    let operator = select! { Shape::Op(c, i) => (c, i) };
    let comment = select! { Shape::Comment => () }.or_not();
    let nul = select! { Shape::Nul => () }.or_not();
    label
        .ignore_then(command)
        .then(operator.then(command).repeated().collect::<Vec<_>>())
        .then_ignore(comment)
        .then_ignore(nul)
        .then_ignore(end())
}

/// Buffers reused from line to line, so that building a line allocates only
/// what the returned [`Line`] owns.
#[derive(Default)]
struct Scratch {
    /// Raw tokens of the current logical line.
    raw: Vec<(RawToken, usize, usize)>,
    shapes: Vec<Shape>,
    /// Logical text and pieces of the line's words that span a continuation,
    /// by token index, in order (rare: most words are a plain source slice).
    joined: Vec<(u32, Box<[u8]>, Vec<Span>)>,
    /// Token indices of the line's words (label excluded), in order.
    words: Vec<u32>,
    refs: RefScratch,
    /// Words and word lists a shorter line left over, with their room, for
    /// the next longer one (lines alternate between short and long).
    spare_words: Vec<Word>,
    spare_lists: Vec<Vec<Word>>,
}

/// An iterator over the logical lines of a script. Streaming: memory stays
/// proportional to the longest line, so huge files can be linted line by line.
pub struct Lines<'a> {
    src: &'a [u8],
    lexer: logos::Lexer<'a, RawToken>,
    scratch: Scratch,
    /// The line [`Iterator::next`] builds and hands out copies of.
    line: Line,
}

impl<'a> Lines<'a> {
    pub fn new(src: &'a [u8]) -> Self {
        Lines {
            src,
            lexer: RawToken::lexer(src),
            scratch: Scratch::default(),
            line: Line::default(),
        }
    }

    /// The lines of `src[range]`, with spans into the whole of `src`. The
    /// range must start where a logical line starts and end where one ends
    /// (see [`Lines::is_line_start`]); the pieces of a file read this way give
    /// exactly the lines of the whole.
    pub fn within(src: &'a [u8], range: std::ops::Range<usize>) -> Self {
        let mut lines = Lines::new(&src[..range.end]);
        lines.lexer.bump(range.start);
        lines
    }

    /// Whether a logical line surely starts at `offset` (just after a LF),
    /// judged from the physical line before it alone: it must hold no NUL
    /// (iPXE would stop reading it early) and must not be empty or end in
    /// `\` (after one CR), so no continuation reaches past it, not even
    /// iPXE's second look at a `\` before an empty line.
    pub fn is_line_start(src: &[u8], offset: usize) -> bool {
        if offset == 0 {
            return true;
        }
        if offset > src.len() || src[offset - 1] != b'\n' {
            return false;
        }
        let before = &src[..offset - 1];
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1);
        let line = &before[start..];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        !line.is_empty() && !line.ends_with(b"\\") && !line.contains(&0)
    }
}

impl Iterator for Lines<'_> {
    type Item = Line;

    /// A line of its own: its vectors are exact-size copies, so a caller
    /// that keeps every line holds no spare room.
    fn next(&mut self) -> Option<Line> {
        let mut line = std::mem::take(&mut self.line);
        let found = self.next_into(&mut line);
        let copy = found.then(|| line.clone());
        self.line = line;
        copy
    }
}

impl Lines<'_> {
    /// Reads the next line into `line`, reusing the room its vectors (and
    /// those of its commands and words) already have: a caller that looks
    /// at one line at a time allocates nothing per line once the room is
    /// there. Returns false at the end of the source.
    pub fn next_into(&mut self, line: &mut Line) -> bool {
        let buf = &mut self.scratch.raw;
        buf.clear();
        let mut terminated = false;
        // Start of the current physical line in `buf`.
        let mut physical_start = 0;
        while let Some(token) = next_raw(&mut self.lexer) {
            buf.push(token);
            match token.0 {
                RawToken::Continuation => physical_start = buf.len(),
                RawToken::Newline => {
                    if continues_through_empty_line(self.src, buf, physical_start) {
                        physical_start = buf.len();
                        continue;
                    }
                    terminated = true;
                    break;
                }
                _ => {}
            }
        }
        if buf.is_empty() {
            return false;
        }
        build_line(self.src, &mut self.scratch, terminated, line);
        true
    }
}

/// iPXE checks for a final `\` on the whole line read so far, after stripping
/// one CR. When a continuation is followed by an empty (or CR-only) physical
/// line, the text before the removed `\` is the end again, so a second
/// backslash there continues the line once more (`one\\` + empty line +
/// `two` runs `onetwo`). Marks the bytes removed that way and says whether the
/// line goes on.
fn continues_through_empty_line(
    src: &[u8],
    buf: &mut [(RawToken, usize, usize)],
    physical_start: usize,
) -> bool {
    let newline = buf.len() - 1;
    let between = &buf[physical_start..newline];
    let empty = match between {
        [] => true,
        [(RawToken::Whitespace, s, e)] => &src[*s..*e] == b"\r",
        _ => false,
    };
    if !empty || physical_start == 0 {
        return false;
    }
    // The last byte of the line so far: skip what continuations removed.
    let Some(tail) = buf[..physical_start]
        .iter()
        .rposition(|t| !matches!(t.0, RawToken::Continuation | RawToken::Removed))
    else {
        return false;
    };
    if buf[tail].0 != RawToken::Backslash {
        return false;
    }
    buf[tail].0 = RawToken::Removed;
    for token in &mut buf[physical_start..] {
        token.0 = RawToken::Removed;
    }
    true
}

/// Turns the raw tokens of one logical line (in `scratch.raw`) into `out`.
///
/// Tokens are classified first and the grammar shapes the line; only then are
/// the words built, each directly in the vector of its command.
fn build_line(src: &[u8], scratch: &mut Scratch, terminated: bool, out: &mut Line) {
    let Scratch {
        raw,
        shapes,
        joined: joined_words,
        words,
        refs: ref_scratch,
        spare_words,
        spare_lists,
    } = scratch;
    let tokens = &mut out.tokens;
    let eof_in_continuation = !terminated && mark_eof_continuation(src, raw);
    let start = raw[0].1;
    let end = raw[raw.len() - 1].2;
    let content_end = match raw.last() {
        Some((RawToken::Newline, s, _)) if terminated => *s,
        _ => end,
    };

    tokens.clear();
    shapes.clear();
    joined_words.clear();
    words.clear();
    let mut label: Option<Word> = None;
    let mut comment = None;
    let mut nul = None;

    let push = |tokens: &mut Vec<Token>, kind, s: usize, e: usize| {
        tokens.push(Token {
            kind,
            span: Span::from_range(s..e),
        });
        (tokens.len() - 1) as u32
    };

    let mut i = 0;
    while i < raw.len() {
        let (kind, s, e) = raw[i];
        match kind {
            RawToken::Newline => {
                push(tokens, TokenKind::Newline, s, e);
                i += 1;
            }
            RawToken::Whitespace => {
                push(tokens, TokenKind::Whitespace, s, e);
                i += 1;
            }
            RawToken::Continuation | RawToken::Removed => {
                push(tokens, TokenKind::Continuation, s, e);
                i += 1;
            }
            RawToken::Nul => {
                nul = Some(push(tokens, TokenKind::Nul, s, content_end));
                shapes.push(Shape::Nul);
                i = skip_to(raw, i, content_end);
            }
            RawToken::Text | RawToken::Backslash => {
                // A token starting with `#` comments out the rest of the line.
                if src[s] == b'#' && kind == RawToken::Text {
                    comment = Some(push(tokens, TokenKind::Comment, s, content_end));
                    shapes.push(Shape::Comment);
                    i = skip_to(raw, i, content_end);
                    continue;
                }
                // The word runs over Text/Backslash, and over continuations that
                // are followed by more word bytes.
                let mut j = i + 1;
                let mut joined = false;
                while j < raw.len() {
                    match raw[j].0 {
                        RawToken::Text | RawToken::Backslash => j += 1,
                        RawToken::Continuation | RawToken::Removed => {
                            let mut k = j;
                            while k < raw.len()
                                && matches!(raw[k].0, RawToken::Continuation | RawToken::Removed)
                            {
                                k += 1;
                            }
                            if k < raw.len()
                                && matches!(raw[k].0, RawToken::Text | RawToken::Backslash)
                            {
                                joined = true;
                                j = k;
                            } else {
                                break;
                            }
                        }
                        _ => break,
                    }
                }
                let span = Span::from_range(s..raw[j - 1].2);
                let index = tokens.len() as u32;
                let mut joined_text = None;
                if joined {
                    let pieces: Vec<Span> = raw[i..j]
                        .iter()
                        .filter(|t| !matches!(t.0, RawToken::Continuation | RawToken::Removed))
                        .map(|t| Span::from_range(t.1..t.2))
                        .collect();
                    let text: Vec<u8> = pieces
                        .iter()
                        .flat_map(|p| p.slice(src).iter().copied())
                        .collect();
                    joined_text = Some((text.into_boxed_slice(), pieces));
                }
                let text: &[u8] = match &joined_text {
                    Some((text, _)) => text,
                    None => span.slice(src),
                };
                if shapes.is_empty() && text.first() == Some(&b':') {
                    push(tokens, TokenKind::Label, s, span.end as usize);
                    shapes.push(Shape::Label);
                    let (joined, pieces) = joined_text.unzip();
                    label = Some(Word {
                        token: index,
                        span,
                        joined,
                        pieces: pieces.unwrap_or_default(),
                        refs: Vec::new(),
                        unclosed: None,
                    });
                } else if let Some(connector) = Connector::from_text(text) {
                    push(tokens, TokenKind::Operator, s, span.end as usize);
                    shapes.push(Shape::Op(connector, index));
                } else {
                    push(tokens, TokenKind::Word, s, span.end as usize);
                    shapes.push(Shape::Word);
                    words.push(index);
                    if let Some((text, pieces)) = joined_text {
                        joined_words.push((index, text, pieces));
                    }
                }
                i = j;
            }
        }
    }

    // The words are built in order as commands take them, each straight
    // into its command's vector, in the room the previous line left there.
    let mut taken = 0;
    let mut joined_words = joined_words.drain(..).peekable();
    // Offset of the next `$` in the line at or after the last word looked at
    // (`usize::MAX`: none). Words come in source order, so one forward search
    // per `$` replaces a search per word, and words before it skip the scan.
    let mut dollar = find_dollar(src, start, content_end);
    let mut take = |n: usize, out: &mut Vec<Word>| {
        let end = taken + n.min(words.len() - taken);
        let indices = &words[taken..end];
        taken = end;
        while out.len() > indices.len() {
            spare_words.extend(out.pop());
        }
        for (k, &index) in indices.iter().enumerate() {
            if k == out.len() {
                out.push(spare_words.pop().unwrap_or_default());
            }
            let Word {
                token,
                span,
                joined,
                pieces,
                refs,
                unclosed,
            } = &mut out[k];
            *token = index;
            *span = tokens[index as usize].span;
            match joined_words.next_if(|(at, _, _)| *at == index) {
                Some((_, text, parts)) => {
                    *joined = Some(text);
                    *pieces = parts;
                }
                None => {
                    *joined = None;
                    pieces.clear();
                }
            }
            refs.clear();
            *unclosed = None;
            let (s, e) = (span.start as usize, span.end as usize);
            if dollar < s {
                dollar = find_dollar(src, s, content_end);
            }
            // A joined word's text is made of bytes of its span, so a span
            // without `$` has no reference either way.
            if dollar < e {
                let text = joined.as_deref().unwrap_or(span.slice(src));
                *unclosed = scan_refs_into(text, ref_scratch, refs);
            }
        }
    };
    let commands = &mut out.commands;
    let mut count = 0;
    let mut command = |connector: Option<(Connector, u32)>, words: usize| {
        if count == commands.len() {
            commands.push(Command {
                connector: None,
                words: spare_lists.pop().unwrap_or_default(),
            });
        }
        let command = &mut commands[count];
        command.connector = connector;
        take(words, &mut command.words);
        count += 1;
    };
    match line_grammar().parse(shapes.as_slice()).into_output() {
        Some((first, rest)) => {
            command(None, first);
            for (connector, words) in rest {
                command(Some(connector), words);
            }
        }
        // The builder only emits shapes the grammar accepts; should that ever
        // change, keep every word in one command rather than lose any.
        None => command(None, usize::MAX),
    }
    for mut command in commands.drain(count..) {
        spare_words.append(&mut command.words);
        spare_lists.push(command.words);
    }

    out.span = Span::from_range(start..end);
    out.label = label;
    out.comment = comment;
    out.nul = nul;
    out.eof_in_continuation = eof_in_continuation;
}

/// Offset of the first `$` in `src[from..to]`, or `usize::MAX`.
fn find_dollar(src: &[u8], from: usize, to: usize) -> usize {
    memchr::memchr(b'$', &src[from..to]).map_or(usize::MAX, |p| from + p)
}

/// Index of the first raw token at or after `from` that starts at `offset` or later.
fn skip_to(raw: &[(RawToken, usize, usize)], from: usize, offset: usize) -> usize {
    raw[from..]
        .iter()
        .position(|t| t.1 >= offset)
        .map_or(raw.len(), |p| from + p)
}

/// At end of file, a final `\` (optionally followed by one CR) is a
/// continuation too: iPXE strips the CR, sees the backslash and waits for a
/// line that never comes. Rewrites those raw tokens and reports whether the
/// line is unterminated.
fn mark_eof_continuation(src: &[u8], raw: &mut Vec<(RawToken, usize, usize)>) -> bool {
    let Some(&(last, _, last_end)) = raw.last() else {
        return false;
    };
    if last_end != src.len() {
        return false;
    }
    match last {
        RawToken::Continuation | RawToken::Removed => true,
        RawToken::Backslash => {
            if let Some(t) = raw.last_mut() {
                t.0 = RawToken::Continuation;
            }
            true
        }
        RawToken::Whitespace if raw.len() >= 2 => {
            let (_, ws_start, ws_end) = raw[raw.len() - 1];
            let before = raw[raw.len() - 2];
            if &src[ws_start..ws_end] == b"\r" && before.0 == RawToken::Backslash {
                raw.pop();
                if let Some(t) = raw.last_mut() {
                    *t = (RawToken::Continuation, t.1, ws_end);
                }
                true
            } else {
                false
            }
        }
        _ => false,
    }
}
