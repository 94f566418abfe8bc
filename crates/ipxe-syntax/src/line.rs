//! Logical lines: the unit iPXE executes.
//!
//! `process_script` (`src/image/script.c`) reads physical lines split on LF,
//! strips one trailing CR, joins a line ending in `\` to the next one, and hands
//! the result to the label check and to `system()`. [`Lines`] does the same over
//! the raw tokens, producing a lossless token list per logical line, and a small
//! chumsky grammar gives the line its shape (label, commands joined by
//! operators, comment).

use chumsky::prelude::*;

use crate::Span;
use crate::lexer::{RawToken, raw_tokens};
use crate::word::{Word, scan_refs};

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
#[derive(Clone, Debug, PartialEq, Eq)]
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
#[derive(Clone, Debug, PartialEq, Eq)]
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
    Word(u32),
    Op(Connector, u32),
    Comment(u32),
    Nul(u32),
}

type Parsed = (
    ((Option<()>, Vec<u32>), Vec<((Connector, u32), Vec<u32>)>),
    Option<u32>,
);

/// The grammar of a logical line once tokens are classified:
/// `label? command (operator command)* comment? nul?`.
fn line_grammar<'a>() -> impl Parser<'a, &'a [Shape], (Parsed, Option<u32>)> + Clone {
    let label = select! { Shape::Label => () }.or_not();
    let word = select! { Shape::Word(i) => i };
    let command = word.repeated().collect::<Vec<u32>>();
    let operator = select! { Shape::Op(c, i) => (c, i) };
    let comment = select! { Shape::Comment(i) => i }.or_not();
    let nul = select! { Shape::Nul(i) => i }.or_not();
    label
        .then(command.clone())
        .then(operator.then(command).repeated().collect::<Vec<_>>())
        .then(comment)
        .then(nul)
        .then_ignore(end())
}

/// An iterator over the logical lines of a script. Streaming: memory stays
/// proportional to the longest line, so huge files can be linted line by line.
pub struct Lines<'a> {
    src: &'a [u8],
    raw: std::iter::Peekable<Box<dyn Iterator<Item = (RawToken, usize, usize)> + 'a>>,
    buf: Vec<(RawToken, usize, usize)>,
    shapes: Vec<Shape>,
}

impl<'a> Lines<'a> {
    pub fn new(src: &'a [u8]) -> Self {
        let raw: Box<dyn Iterator<Item = (RawToken, usize, usize)> + 'a> =
            Box::new(raw_tokens(src));
        Lines {
            src,
            raw: raw.peekable(),
            buf: Vec::new(),
            shapes: Vec::new(),
        }
    }
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        self.buf.clear();
        let mut terminated = false;
        // Start of the current physical line in `buf`.
        let mut physical_start = 0;
        while let Some(token) = self.raw.next() {
            self.buf.push(token);
            match token.0 {
                RawToken::Continuation => physical_start = self.buf.len(),
                RawToken::Newline => {
                    if continues_through_empty_line(self.src, &mut self.buf, physical_start) {
                        physical_start = self.buf.len();
                        continue;
                    }
                    terminated = true;
                    break;
                }
                _ => {}
            }
        }
        if self.buf.is_empty() {
            return None;
        }
        Some(build_line(
            self.src,
            &mut self.buf,
            &mut self.shapes,
            terminated,
        ))
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

/// Turns the raw tokens of one logical line into a [`Line`].
fn build_line(
    src: &[u8],
    raw: &mut Vec<(RawToken, usize, usize)>,
    shapes: &mut Vec<Shape>,
    terminated: bool,
) -> Line {
    let eof_in_continuation = !terminated && mark_eof_continuation(src, raw);
    let start = raw[0].1;
    let end = raw[raw.len() - 1].2;
    let content_end = match raw.last() {
        Some((RawToken::Newline, s, _)) if terminated => *s,
        _ => end,
    };

    let mut tokens: Vec<Token> = Vec::new();
    let mut words: Vec<Word> = Vec::new(); // label and words, in order
    let mut label: Option<Word> = None;
    let mut comment = None;
    let mut nul = None;
    shapes.clear();

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
                push(&mut tokens, TokenKind::Newline, s, e);
                i += 1;
            }
            RawToken::Whitespace => {
                push(&mut tokens, TokenKind::Whitespace, s, e);
                i += 1;
            }
            RawToken::Continuation | RawToken::Removed => {
                push(&mut tokens, TokenKind::Continuation, s, e);
                i += 1;
            }
            RawToken::Nul => {
                let index = push(&mut tokens, TokenKind::Nul, s, content_end);
                nul = Some(index);
                shapes.push(Shape::Nul(index));
                i = skip_to(raw, content_end);
            }
            RawToken::Text | RawToken::Backslash => {
                // A token starting with `#` comments out the rest of the line.
                if src[s] == b'#' && kind == RawToken::Text {
                    let index = push(&mut tokens, TokenKind::Comment, s, content_end);
                    comment = Some(index);
                    shapes.push(Shape::Comment(index));
                    i = skip_to(raw, content_end);
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
                let (joined_text, pieces) = if joined {
                    let pieces: Vec<Span> = raw[i..j]
                        .iter()
                        .filter(|t| !matches!(t.0, RawToken::Continuation | RawToken::Removed))
                        .map(|t| Span::from_range(t.1..t.2))
                        .collect();
                    let text: Vec<u8> = pieces
                        .iter()
                        .flat_map(|p| p.slice(src).iter().copied())
                        .collect();
                    (Some(text.into_boxed_slice()), pieces)
                } else {
                    (None, Vec::new())
                };
                let text: &[u8] = joined_text.as_deref().unwrap_or(span.slice(src));
                let is_first = shapes.is_empty();
                let kind = if is_first && text.first() == Some(&b':') {
                    TokenKind::Label
                } else if Connector::from_text(text).is_some() {
                    TokenKind::Operator
                } else {
                    TokenKind::Word
                };
                let index = push(&mut tokens, kind, span.start as usize, span.end as usize);
                let scan = if kind == TokenKind::Word {
                    scan_refs(text)
                } else {
                    Default::default()
                };
                let shape = match kind {
                    TokenKind::Label => Shape::Label,
                    TokenKind::Operator => {
                        Shape::Op(Connector::from_text(text).unwrap_or(Connector::Seq), index)
                    }
                    _ => Shape::Word(words.len() as u32),
                };
                let word = Word {
                    token: index,
                    span,
                    joined: joined_text,
                    pieces,
                    refs: scan.refs,
                    unclosed: scan.unclosed,
                };
                match kind {
                    TokenKind::Label => label = Some(word),
                    TokenKind::Word => words.push(word),
                    _ => {}
                }
                shapes.push(shape);
                i = j;
            }
        }
    }

    let commands = shape_commands(shapes, words);
    Line {
        span: Span::from_range(start..end),
        tokens,
        label,
        commands,
        comment,
        nul,
        eof_in_continuation,
    }
}

/// Applies the line grammar to the classified tokens and distributes the words
/// into commands.
fn shape_commands(shapes: &[Shape], words: Vec<Word>) -> Vec<Command> {
    let grammar = line_grammar();
    let count = words.len() as u32;
    let mut words: Vec<Option<Word>> = words.into_iter().map(Some).collect();
    let mut take = |indices: Vec<u32>| -> Vec<Word> {
        indices
            .into_iter()
            .filter_map(|i| words[i as usize].take())
            .collect()
    };
    match grammar.parse(shapes).into_output() {
        Some(((((_label, first), rest), _comment), _nul)) => {
            let mut commands = vec![Command {
                connector: None,
                words: take(first),
            }];
            for (connector, indices) in rest {
                commands.push(Command {
                    connector: Some(connector),
                    words: take(indices),
                });
            }
            commands
        }
        // The builder only emits shapes the grammar accepts; should that ever
        // change, keep every word in one command rather than lose any.
        None => {
            let all = (0..count).collect();
            vec![Command {
                connector: None,
                words: take(all),
            }]
        }
    }
}

fn skip_to(raw: &[(RawToken, usize, usize)], offset: usize) -> usize {
    raw.iter().position(|t| t.1 >= offset).unwrap_or(raw.len())
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
