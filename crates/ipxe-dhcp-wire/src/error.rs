//! Decoding errors: what is wrong, and the byte where it is.

use std::fmt;

/// A packet (or encapsulated option) that cannot be read, with the offset
/// of the offending byte from the start of the BOOTP header.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("byte {offset}: {kind}")]
pub struct DecodeError {
    pub offset: usize,
    pub kind: DecodeErrorKind,
}

impl DecodeError {
    pub(crate) fn new(offset: usize, kind: DecodeErrorKind) -> Self {
        Self { offset, kind }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// Fewer than the 236 bytes of the fixed BOOTP header.
    TruncatedHeader { len: usize },
    /// No room for the 4-byte magic cookie after the header.
    TruncatedCookie,
    /// The 4 bytes after the header are not 99.130.83.99.
    BadCookie { found: [u8; 4] },
    /// An option code at the last byte of its area, without a length.
    OptionLengthMissing { code: u8 },
    /// An option whose length runs past the end of its area.
    OptionOverrun { code: u8, len: u8, available: usize },
    /// Option 52 is not one byte of 1, 2 or 3.
    BadOverload { value: Vec<u8> },
    /// A PXE sub-option (in 43) whose value does not have its shape.
    BadSubOption { sub: u8, why: &'static str },
}

impl fmt::Display for DecodeErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TruncatedHeader { len } => write!(
                f,
                "packet is {len} bytes, shorter than the 236-byte BOOTP header"
            ),
            Self::TruncatedCookie => write!(f, "packet ends inside the DHCP magic cookie"),
            Self::BadCookie { found } => write!(
                f,
                "magic cookie is {}.{}.{}.{}, expected 99.130.83.99",
                found[0], found[1], found[2], found[3]
            ),
            Self::OptionLengthMissing { code } => {
                write!(f, "option {code} has no length byte")
            }
            Self::OptionOverrun {
                code,
                len,
                available,
            } => write!(
                f,
                "option {code} claims {len} bytes but only {available} remain in its area"
            ),
            Self::BadOverload { value } => write!(
                f,
                "option 52 (overload) must be one byte of 1, 2 or 3, found {value:?}"
            ),
            Self::BadSubOption { sub, why } => write!(f, "PXE sub-option 43.{sub}: {why}"),
        }
    }
}

/// A packet that cannot be written within the size asked for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error(
        "options need {needed} bytes but only {available} fit, even overloading file and sname"
    )]
    TooLarge { needed: usize, available: usize },
    #[error("maximum size {0} is below the 244 bytes of header, cookie and end marker")]
    LimitTooSmall(usize),
}
