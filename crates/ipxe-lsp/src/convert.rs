//! Byte offsets ⇄ LSP positions (UTF-16 code units), and applying ranged edits.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r`, as the LSP specification says
//! (iPXE itself only splits on `\n`; this is just the editor's coordinates).
//! A character past the end of a line means the end of that line; a line past
//! the end of the text means the end of the text; a position inside a
//! surrogate pair means the start of that character.

use lsp_types::{Position, Range};

/// Line starts of a text, for position conversion.
#[derive(Clone, Debug)]
pub struct PosIndex {
    /// Byte offset of each line's start.
    starts: Vec<usize>,
    len: usize,
}

impl PosIndex {
    pub fn new(text: &str) -> PosIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        // Rebuilt after every edit: jump from line break to line break.
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        PosIndex {
            starts,
            len: bytes.len(),
        }
    }

    /// The end of line `line`'s content (before its terminator).
    fn line_end(&self, text: &str, line: usize) -> usize {
        let next = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let b = text.as_bytes();
        let mut end = next;
        if end > self.starts[line] && b.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > self.starts[line] && b.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        end
    }

    /// The byte offset of a position (clamped as described above).
    pub fn offset(&self, text: &str, pos: Position) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return self.len;
        }
        let start = self.starts[line];
        let end = self.line_end(text, line);
        let mut units = 0u32;
        for (i, c) in text[start..end].char_indices() {
            let w = c.len_utf16() as u32;
            if units + w > pos.character {
                return start + i;
            }
            units += w;
        }
        end
    }

    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(self.len);
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let before = &text[start..offset];
        // Most script text is ASCII, where UTF-16 units are bytes.
        let character = if before.is_ascii() {
            before.len()
        } else {
            before.encode_utf16().count()
        } as u32;
        Position {
            line: line as u32,
            character,
        }
    }

    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range {
            start: self.position(text, start),
            end: self.position(text, end),
        }
    }

    /// A range as byte offsets, in order.
    pub fn offsets(&self, text: &str, range: Range) -> (usize, usize) {
        let a = self.offset(text, range.start);
        let b = self.offset(text, range.end);
        (a.min(b), a.max(b))
    }
}

/// Applies one `didChange` content change.
/// `index` must be the index of `text`; it is updated to the new text.
pub fn apply_change(text: &mut String, index: &mut PosIndex, range: Option<Range>, new_text: &str) {
    match range {
        None => {
            text.clear();
            text.push_str(new_text);
        }
        Some(range) => {
            let (a, b) = index.offsets(text, range);
            text.replace_range(a..b, new_text);
        }
    }
    *index = PosIndex::new(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn utf16_and_line_endings() {
        let text = "a😀b\r\nc\rd\n";
        let index = PosIndex::new(text);
        assert_eq!(index.offset(text, pos(0, 1)), 1);
        assert_eq!(index.offset(text, pos(0, 2)), 1, "inside a surrogate pair");
        assert_eq!(index.offset(text, pos(0, 3)), 5);
        assert_eq!(index.offset(text, pos(0, 99)), 6, "clamped before CR LF");
        assert_eq!(index.offset(text, pos(1, 0)), 8);
        assert_eq!(index.offset(text, pos(2, 0)), 10, "a lone CR ends a line");
        assert_eq!(index.offset(text, pos(9, 0)), text.len());
        assert_eq!(index.position(text, 5), pos(0, 3));
        assert_eq!(index.position(text, 10), pos(2, 0));
    }

    #[test]
    fn ranged_edit() {
        let mut t = String::from("echo a\necho b\n");
        let mut index = PosIndex::new(&t);
        apply_change(
            &mut t,
            &mut index,
            Some(Range {
                start: pos(1, 5),
                end: pos(1, 6),
            }),
            "xyz",
        );
        assert_eq!(t, "echo a\necho xyz\n");
        assert_eq!(
            index.offset(&t, pos(1, 8)),
            15,
            "the index follows the edit"
        );
    }
}
