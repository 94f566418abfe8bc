//! Byte offsets to line and column numbers.

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
}

impl LineIndex {
    pub fn new(src: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', src).map(|i| i as u32 + 1));
        LineIndex { starts }
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
        let start = self.starts[line] as usize;
        let column = char_count(&src[start..offset as usize]) + 1;
        LineCol {
            line: line as u32 + 1,
            column: column as u32,
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
    }
}
