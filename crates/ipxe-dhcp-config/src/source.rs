//! Where things are: files of a configuration and places in them.

/// Index of a file in [`crate::DnsmasqConfig::sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A place in one file: a byte range, and the line and column (1-based,
/// columns in bytes) where it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Loc {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
    pub line: u32,
    pub col: u32,
}

/// One file that was read (the top file, an included one, or the command line).
#[derive(Clone, Debug)]
pub struct Source {
    /// The path as given (or as found in a `conf-dir`), for messages.
    pub path: String,
    pub text: Vec<u8>,
    /// The `conf-file`/`conf-dir` line that pulled it in.
    pub included_from: Option<Loc>,
}

/// A field of a directive: its value as dnsmasq sees it (quotes removed,
/// escapes applied) and where its raw text is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub text: String,
    pub loc: Loc,
}
