//! ## What it does
//! Reports a code in a `#ipxelint disable=…` comment that is not a rule code.
//!
//! ## Why is this bad?
//! A mistyped code silences nothing, so the finding the author meant to
//! silence still shows, and the comment stays behind forever.
//!
//! ## Example
//! ```ipxe
//! #ipxelint disable=IPX2O1
//! ```
//!
//! Use instead: `#ipxelint disable=IPX201` (see `ipxelint --list-rules`).

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX902",
    name: "unknown-suppression-code",
    summary: "a suppression comment names a code that does not exist",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::Engine,
};
