//! Byte ranges into the source text.

use std::fmt;
use std::ops::Range;

/// A half-open byte range `start..end` into the original source bytes.
///
/// Offsets are `u32` to keep trees small; [`crate::parse`] refuses nothing, but
/// callers must not feed more than 4 GiB (the CLI checks this).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const fn new(start: u32, end: u32) -> Self {
        Span { start, end }
    }

    pub fn from_range(range: Range<usize>) -> Self {
        Span::new(range.start as u32, range.end as u32)
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }

    /// The same range, `by` bytes later (for facts gathered from a piece of a file).
    pub fn shifted(self, by: u32) -> Span {
        Span::new(self.start + by, self.end + by)
    }

    /// The bytes this span covers.
    pub fn slice(self, src: &[u8]) -> &[u8] {
        &src[self.range()]
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}
