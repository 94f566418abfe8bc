//! Byte offsets to line and column numbers.

use std::cell::Cell;

/// 1-based line and column; the column counts characters (invalid UTF-8 bytes
/// count one each), as editors and ShellCheck do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Start offsets of every line, for binary search.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<u32>,
    /// The last position asked for, as (offset, column): positions are
    /// mostly asked for in order, so counting goes on from there instead
    /// of from the line's start (thousands of findings on one long line
    /// would otherwise count its characters again for each).
    last: Cell<(u32, u32)>,
}

impl LineIndex {
    pub fn new(src: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', src).map(|i| i as u32 + 1));
        LineIndex {
            starts,
            last: Cell::new((0, 1)),
        }
    }

    /// The 0-based line containing `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    pub fn line_start(&self, line: usize) -> u32 {
        self.starts[line.min(self.starts.len() - 1)]
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    pub fn line_col(&self, src: &[u8], offset: u32) -> LineCol {
        let offset = offset.min(src.len() as u32);
        let line = self.line_of(offset);
        let start = self.starts[line];
        let (from, column) = match self.last.get() {
            // Only from a character boundary: counting from inside a
            // character would count its tail as invalid bytes.
            (at, column)
                if (start..=offset).contains(&at)
                    && src.get(at as usize).is_none_or(|&b| b & 0xC0 != 0x80) =>
            {
                (at, column)
            }
            _ => (start, 1),
        };
        let column = column + char_count(&src[from as usize..offset as usize]) as u32;
        self.last.set((offset, column));
        LineCol {
            line: line as u32 + 1,
            column,
        }
    }
}

/// Characters in `bytes`, counting each invalid byte as one.
pub(crate) fn char_count(bytes: &[u8]) -> usize {
    bytes
        .utf8_chunks()
        .map(|c| c.valid().chars().count() + c.invalid().len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let src = "ab\nçd\n\nx".as_bytes();
        let index = LineIndex::new(src);
        assert_eq!(index.line_col(src, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(src, 3), LineCol { line: 2, column: 1 });
        assert_eq!(index.line_col(src, 5), LineCol { line: 2, column: 2 });
        assert_eq!(index.line_col(src, 8), LineCol { line: 4, column: 1 });
        assert_eq!(index.line_col(src, 9), LineCol { line: 4, column: 2 });
        // Out of order, and back to a line already passed.
        assert_eq!(index.line_col(src, 5), LineCol { line: 2, column: 2 });
        // Inside `ç`: its first byte counts as one invalid byte.
        assert_eq!(index.line_col(src, 4), LineCol { line: 2, column: 2 });
        assert_eq!(index.line_col(src, 6), LineCol { line: 2, column: 3 });
    }

    proptest::proptest! {
        /// Asking in any order gives what a fresh index gives.
        #[test]
        fn remembered_positions_agree(
            src in proptest::collection::vec(proptest::sample::select(b"a\n\xc3\xa7\xff ".to_vec()), 0..40),
            offsets in proptest::collection::vec(0u32..45, 0..20),
        ) {
            let index = LineIndex::new(&src);
            for offset in offsets {
                proptest::prop_assert_eq!(
                    index.line_col(&src, offset),
                    LineIndex::new(&src).line_col(&src, offset)
                );
            }
        }
    }
}
