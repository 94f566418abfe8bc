//! The iPXE script formatter.
//!
//! It walks the lossless tree line by line (as taplo's formatter does), so
//! comments survive by construction. The layout rules (see
//! `crates/ipxefmt/README.md`):
//!
//! * labels start in column 0; commands start in column 0, or are indented by
//!   [`FormatOptions::indent`] spaces under a label;
//! * exactly one space between the tokens of a line (iPXE splits a line on
//!   runs of whitespace, so the run's length and kind never matter), except
//!   before the text of `item` lines whose author aligned it (see
//!   [`item_columns`]);
//! * no trailing whitespace; whitespace-only lines become empty;
//! * a comment-only line takes the indentation of the next line with a command
//!   or label, so it stays with what it describes;
//! * line endings are kept (a CRLF line stays CRLF); a final newline is added
//!   when missing.
//!
//! **Invariant:** formatting never changes a logical line's token sequence, and
//! never adds, removes or joins lines. Lines it cannot safely touch are written
//! out verbatim: the first line (the `#!ipxe` signature, where even trailing
//! whitespace matters), lines with line continuations (whitespace inside a
//! continuation join is kept by iPXE), lines with a NUL byte, a file ending
//! inside a continuation, and lines whose last token ends in `\` (removing the
//! whitespace after it would turn it into a continuation).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use ipxe_semantics::bind;
use ipxe_syntax::{Line, Span, TokenKind, parse};
use serde::Deserialize;

/// Layout choices.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FormatOptions {
    /// Spaces to indent commands under a label (0: no indentation).
    #[serde(default)]
    pub indent: usize,
}

pub const CONFIG_FILE: &str = ".ipxefmt.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("reading {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
}

/// The widest indent a config or the command line may ask for: more is a
/// typo, and each line would carry it (an indent of 10⁹ exhausts memory).
pub const MAX_INDENT: usize = 64;

impl FormatOptions {
    /// Reads `.ipxefmt.toml` (`indent = 4`).
    pub fn load(path: &Path) -> Result<FormatOptions, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        let options: FormatOptions = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.into(),
            message: e.to_string(),
        })?;
        if options.indent > MAX_INDENT {
            return Err(ConfigError::Parse {
                path: path.into(),
                message: format!(
                    "indent {} is too large (at most {MAX_INDENT})",
                    options.indent
                ),
            });
        }
        Ok(options)
    }

    /// Searches `start` and its ancestors for `.ipxefmt.toml`.
    pub fn find(start: &Path) -> Option<PathBuf> {
        let start = if start.is_file() {
            start.parent()?
        } else {
            start
        };
        let start = start.canonicalize().ok()?;
        start
            .ancestors()
            .map(|d| d.join(CONFIG_FILE))
            .find(|p| p.is_file())
    }
}

/// Replace the bytes of one logical line (`span`, including its newline) with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineEdit {
    pub span: Span,
    pub text: Vec<u8>,
}

/// Formats a whole script.
pub fn format(src: &[u8], options: &FormatOptions) -> Vec<u8> {
    let edits = format_edits(src, options);
    let mut out = Vec::with_capacity(src.len());
    let mut cursor = 0usize;
    for edit in &edits {
        out.extend_from_slice(&src[cursor..edit.span.start as usize]);
        out.extend_from_slice(&edit.text);
        cursor = edit.span.end as usize;
    }
    out.extend_from_slice(&src[cursor..]);
    out
}

/// The lines formatting changes, in order (for editors: one edit per line).
pub fn format_edits(src: &[u8], options: &FormatOptions) -> Vec<LineEdit> {
    let parsed = parse(src);
    let lines = &parsed.lines;
    let crlf_file = prefers_crlf(src);
    let shapes: Vec<Shape> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| shape(i, l, src))
        .collect();
    let pads = item_columns(lines, &shapes, src);
    let mut edits = Vec::new();
    let mut in_label = false;
    for (i, line) in lines.iter().enumerate() {
        let shape = &shapes[i];
        if line.label.is_some() {
            in_label = true;
        }
        let Shape::Tokens {
            texts, kind, crlf, ..
        } = shape
        else {
            continue;
        };
        let indent = match kind {
            LineKind::Blank => 0,
            LineKind::Label => 0,
            LineKind::Command => usize::from(in_label) * options.indent,
            LineKind::Comment => {
                // The indentation of the next line with content.
                let next = shapes[i + 1..].iter().find_map(|s| match s {
                    Shape::Tokens {
                        kind: LineKind::Label,
                        ..
                    } => Some(0),
                    Shape::Tokens {
                        kind: LineKind::Command,
                        ..
                    } => Some(usize::from(in_label) * options.indent),
                    Shape::Verbatim => Some(usize::from(in_label) * options.indent),
                    _ => None,
                });
                next.unwrap_or(usize::from(in_label) * options.indent)
            }
        };
        let has_newline = matches!(line.tokens.last(), Some(t) if t.kind == TokenKind::Newline);
        let mut text = Vec::with_capacity(line.span.len() as usize);
        if !texts.is_empty() {
            text.resize(indent, b' ');
            let pad = pads.get(&i).copied();
            for (n, t) in texts.iter().enumerate() {
                match pad {
                    Some(Pad { before, spaces }) if n == before => {
                        text.resize(text.len() + spaces, b' ');
                    }
                    _ if n > 0 => text.push(b' '),
                    _ => {}
                }
                text.extend_from_slice(t);
            }
        }
        if *crlf || (!has_newline && crlf_file) {
            text.push(b'\r');
        }
        text.push(b'\n');
        if !has_newline && texts.is_empty() && line.span.is_empty() {
            continue;
        }
        if text != line.span.slice(src) {
            edits.push(LineEdit {
                span: line.span,
                text,
            });
        }
    }
    edits
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineKind {
    Blank,
    Label,
    Command,
    Comment,
}

enum Shape<'a> {
    Verbatim,
    Tokens {
        texts: Vec<&'a [u8]>,
        /// Where each of `texts` starts in the source.
        starts: Vec<u32>,
        kind: LineKind,
        /// The line ends in CR LF.
        crlf: bool,
    },
}

/// Spaces to put before one token of a line instead of one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pad {
    /// Index of the token in the line's `texts`.
    before: usize,
    spaces: usize,
}

/// One `item` line that has a text after its name.
struct ItemText {
    line: usize,
    /// Index in the line's `texts` of the text's first word.
    before: usize,
    /// Width of `item … name` laid out with single spaces.
    prefix: usize,
    /// Where the text starts in the source, counted from the `item` word;
    /// `None` when only spaces and printable text do not come before it
    /// (a tab has no fixed width).
    column: Option<usize>,
    /// More than one space separates the name and the text in the source.
    wide: bool,
}

/// How the text of `item` lines is aligned, by line index.
///
/// Menus are often written with the item texts in one column:
///
/// ```text
/// item --key u ubuntu    Ubuntu 24.04
/// item --key d debian    Debian 12
/// item --key n netbootxyz   netboot.xyz
/// ```
///
/// A *block* is a run of consecutive lines that are each one `item` command
/// (no label, no other command; `--gap` items belong to the block). The
/// author aligned a block when two of its items have their text in the same
/// column (counted from the `item` word, so indentation does not matter),
/// and one of them has more than one space before its text (two single
/// spaced texts in the same column are a coincidence); the smallest such
/// column is the block's column. A gap with a tab gives no column (a tab
/// has no fixed width). Then every item whose
/// name ends before that column has its text moved to it, and an item too
/// long for it is followed by the block's narrowest gap (the column minus
/// the longest `item … name` that fits), as the author wrote it. Blocks the
/// author did not align get single spaces, like every other line.
///
/// This is idempotent: the column and the gap depend only on the widths of
/// `item … name` (which formatting fixes) and on the items that fit, which
/// stay in the column.
fn item_columns(lines: &[Line], shapes: &[Shape<'_>], src: &[u8]) -> HashMap<usize, Pad> {
    let mut pads = HashMap::new();
    let mut block: Vec<ItemText> = Vec::new();
    let mut in_block = false;
    for (i, line) in lines.iter().enumerate() {
        match item_line(i, line, &shapes[i], src) {
            Some(item) => {
                in_block = true;
                block.extend(item);
            }
            None => {
                if in_block {
                    align(&block, &mut pads);
                }
                block.clear();
                in_block = false;
            }
        }
    }
    align(&block, &mut pads);
    pads
}

/// Pads of one block (see [`item_columns`]).
fn align(block: &[ItemText], pads: &mut HashMap<usize, Pad>) {
    let mut columns: Vec<(usize, bool)> = block
        .iter()
        .filter_map(|item| Some((item.column?, item.wide)))
        .collect();
    columns.sort_unstable();
    // The smallest column of two items, one of them after a wide gap.
    let aligned = columns
        .chunk_by(|a, b| a.0 == b.0)
        .find(|items| items.len() >= 2 && items.iter().any(|&(_, wide)| wide));
    let Some(&[(column, _), ..]) = aligned else {
        return;
    };
    let Some(longest) = block
        .iter()
        .map(|item| item.prefix)
        .filter(|&prefix| prefix < column)
        .max()
    else {
        return;
    };
    let gap = column - longest;
    for item in block {
        let spaces = if item.prefix < column {
            column - item.prefix
        } else {
            gap
        };
        if spaces > 1 {
            pads.insert(
                item.line,
                Pad {
                    before: item.before,
                    spaces,
                },
            );
        }
    }
}

/// Whether line `index` is an `item` line (`None` if not); if so, its text
/// when it has one.
fn item_line(index: usize, line: &Line, shape: &Shape<'_>, src: &[u8]) -> Option<Option<ItemText>> {
    let Shape::Tokens {
        texts,
        starts,
        kind: LineKind::Command,
        ..
    } = shape
    else {
        return None;
    };
    let [command] = line.commands.as_slice() else {
        return None;
    };
    let name = command.name()?;
    if line.label.is_some() || name.text(src) != b"item" {
        return None;
    }
    let bound = bind(command, src);
    if bound.problem.is_some() || bound.has_flag("gap") {
        return Some(None);
    }
    let Some(text) = bound.positional(command, 1) else {
        return Some(None);
    };
    let Some(before) = starts.iter().position(|&s| s == text.span.start) else {
        return Some(None);
    };
    let prefix = texts[..before].iter().map(|t| width(t)).sum::<usize>() + before - 1;
    let gap = &src[name.span.start as usize..text.span.start as usize];
    let column = gap
        .iter()
        .all(|&b| !matches!(b, b'\t' | b'\x0b' | b'\x0c' | b'\r'))
        .then(|| width(gap));
    let wide = bound
        .positional(command, 0)
        .is_some_and(|name| text.span.start > name.span.end + 1);
    Some(Some(ItemText {
        line: index,
        before,
        prefix,
        column,
        wide,
    }))
}

/// Columns text takes: one per character (UTF-8 continuation bytes take none).
fn width(text: &[u8]) -> usize {
    text.iter().filter(|&&b| b & 0xc0 != 0x80).count()
}

/// Whether a line must be kept byte for byte (see the crate docs).
pub fn keep_verbatim(index: usize, line: &Line, src: &[u8]) -> bool {
    index == 0
        // Several physical lines (a comment can swallow a continuation).
        || line.content_span().slice(src).contains(&b'\n')
        || line.nul.is_some()
        || line.eof_in_continuation
        || line
            .tokens
            .iter()
            .any(|t| t.kind == TokenKind::Continuation)
}

fn shape<'a>(index: usize, line: &Line, src: &'a [u8]) -> Shape<'a> {
    if keep_verbatim(index, line, src) {
        return Shape::Verbatim;
    }
    let content = line.content_span().slice(src);
    let crlf = content.last() == Some(&b'\r')
        && matches!(line.tokens.last(), Some(t) if t.kind == TokenKind::Newline);
    let mut texts: Vec<&'a [u8]> = Vec::new();
    let mut starts: Vec<u32> = Vec::new();
    let mut kind = LineKind::Blank;
    for token in &line.tokens {
        let text = token.span.slice(src);
        match token.kind {
            TokenKind::Whitespace | TokenKind::Newline => {}
            TokenKind::Continuation | TokenKind::Nul => return Shape::Verbatim,
            TokenKind::Label => {
                kind = LineKind::Label;
                texts.push(text);
                starts.push(token.span.start);
            }
            TokenKind::Word | TokenKind::Operator => {
                if kind == LineKind::Blank {
                    kind = LineKind::Command;
                }
                texts.push(text);
                starts.push(token.span.start);
            }
            TokenKind::Comment => {
                if kind == LineKind::Blank {
                    kind = LineKind::Comment;
                }
                texts.push(trim_end(text));
                starts.push(token.span.start);
            }
        }
    }
    // Dropping whitespace after a final backslash would make it a continuation.
    if texts.last().is_some_and(|t| t.ends_with(b"\\")) {
        return Shape::Verbatim;
    }
    Shape::Tokens {
        texts,
        starts,
        kind,
        crlf,
    }
}

fn trim_end(text: &[u8]) -> &[u8] {
    let end = text
        .iter()
        .rposition(|b| !matches!(b, b' ' | b'\t' | b'\x0b' | b'\x0c' | b'\r'))
        .map_or(0, |p| p + 1);
    &text[..end]
}

/// Most lines end in CR LF.
fn prefers_crlf(src: &[u8]) -> bool {
    let lf = src.iter().filter(|&&b| b == b'\n').count();
    let crlf = src.windows(2).filter(|w| w == b"\r\n").count();
    lf > 0 && crlf * 2 > lf
}

/// The meaning-carrying tokens of each logical line: what formatting must keep.
/// Each line is a list of `(kind, text)`; comments are compared without
/// trailing whitespace.
pub fn token_sequence(src: &[u8]) -> Vec<Vec<(TokenKind, Vec<u8>)>> {
    parse(src)
        .lines
        .iter()
        .map(|line| {
            let mut seq = Vec::new();
            if let Some(label) = &line.label {
                seq.push((TokenKind::Label, label.text(src).to_vec()));
            }
            for command in &line.commands {
                if let Some((c, _)) = command.connector {
                    seq.push((TokenKind::Operator, c.as_str().as_bytes().to_vec()));
                }
                for word in &command.words {
                    seq.push((TokenKind::Word, word.text(src).to_vec()));
                }
            }
            if let Some(c) = line.comment {
                seq.push((
                    TokenKind::Comment,
                    trim_end(line.token_span(c).slice(src)).to_vec(),
                ));
            }
            if let Some(n) = line.nul {
                seq.push((TokenKind::Nul, line.token_span(n).slice(src).to_vec()));
            }
            seq
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(src: &str) -> String {
        String::from_utf8(format(src.as_bytes(), &FormatOptions::default())).unwrap()
    }

    fn fmt_indent(src: &str, indent: usize) -> String {
        String::from_utf8(format(src.as_bytes(), &FormatOptions { indent })).unwrap()
    }

    #[test]
    fn configs_with_huge_indents_are_refused() {
        let dir = std::env::temp_dir().join(format!("ipxe-fmt-indent-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(CONFIG_FILE);
        std::fs::write(&path, "indent = 1000000000\n").unwrap();
        let err = FormatOptions::load(&path).unwrap_err().to_string();
        assert!(err.contains("indent 1000000000 is too large"), "{err}");
        std::fs::write(&path, format!("indent = {MAX_INDENT}\n")).unwrap();
        assert_eq!(FormatOptions::load(&path).unwrap().indent, MAX_INDENT);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn collapses_whitespace_and_trims() {
        assert_eq!(
            fmt("#!ipxe\n   echo   a\t\tb   ||   goto  x   # hi  \n"),
            "#!ipxe\necho a b || goto x # hi\n"
        );
    }

    #[test]
    fn labels_to_column_zero_and_optional_indent() {
        let src = "#!ipxe\n  :start   echo x\necho y\n\n# about end\n   :end\n";
        assert_eq!(
            fmt(src),
            "#!ipxe\n:start echo x\necho y\n\n# about end\n:end\n"
        );
        assert_eq!(
            fmt_indent(src, 2),
            "#!ipxe\n:start echo x\n  echo y\n\n# about end\n:end\n"
        );
    }

    #[test]
    fn keeps_crlf_and_adds_final_newline() {
        assert_eq!(
            fmt("#!ipxe\r\necho  a \r\necho b"),
            "#!ipxe\r\necho a\r\necho b\r\n"
        );
        assert_eq!(fmt("#!ipxe\necho b"), "#!ipxe\necho b\n");
    }

    #[test]
    fn continuations_nul_and_final_backslash_are_verbatim() {
        for src in [
            "#!ipxe\necho   a \\\n   b\n",
            "#!ipxe\necho  a\0  b\n",
            "#!ipxe\necho  a\\ \n",
            "#!ipxe\n#  comment \\ \n",
            "#!ipxe\necho  a\\",
            "#!ipxe   \n",
        ] {
            assert_eq!(fmt(src), src, "{src:?}");
        }
    }

    #[test]
    fn aligned_item_texts_stay_aligned() {
        // The author's column is kept; a name too long for it gets the
        // narrowest gap of the names that fit; stray spaces elsewhere go.
        let src = "#!ipxe\nmenu\nitem  --key u ubuntu   Ubuntu 24.04\nitem --gap   Tools\nitem --key d debian\t Debian   12\nitem --key s shell     iPXE shell\nitem --key n netbootxyz netboot.xyz\n";
        let want = "#!ipxe\nmenu\nitem --key u ubuntu    Ubuntu 24.04\nitem --gap Tools\nitem --key d debian    Debian 12\nitem --key s shell     iPXE shell\nitem --key n netbootxyz    netboot.xyz\n";
        assert_eq!(fmt(src), want);
        assert_eq!(fmt(want), want);
        // Indentation under a label moves the whole block.
        let under = "#!ipxe\n:menu\nitem a      A\nitem bbbb   B\n";
        assert_eq!(
            fmt_indent(under, 2),
            "#!ipxe\n:menu\n  item a      A\n  item bbbb   B\n"
        );
    }

    #[test]
    fn unaligned_item_blocks_get_single_spaces() {
        // No two texts share a column: nothing to keep.
        assert_eq!(
            fmt("#!ipxe\nitem a   A\nitem bbbbbb    B\n"),
            "#!ipxe\nitem a A\nitem bbbbbb B\n"
        );
        // A blank line, a comment or another command ends a block.
        for between in ["", "# c", "echo x", ":label"] {
            let src = format!("#!ipxe\nitem a   A\n{between}\nitem b   B\n");
            let once = fmt(&src);
            assert!(
                once.contains("item a A\n") && once.contains("item b B\n"),
                "{once}"
            );
        }
        // Items with a comment, an operator or a label are no block members.
        assert_eq!(
            fmt("#!ipxe\nitem a   A || echo\nitem b   B || echo\n"),
            "#!ipxe\nitem a A || echo\nitem b B || echo\n"
        );
    }

    #[test]
    fn whitespace_only_lines_become_empty() {
        assert_eq!(fmt("#!ipxe\n   \t\necho\n"), "#!ipxe\n\necho\n");
    }
}
