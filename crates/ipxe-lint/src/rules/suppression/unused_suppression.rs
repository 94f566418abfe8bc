//! ## What it does
//! Reports a `#ipxelint disable=CODE` comment whose code reports nothing on
//! the line it applies to (or, at the top of the file, anywhere in the file).
//!
//! ## Why is this bad?
//! A suppression that silences nothing hides nothing today, but it will hide a
//! real finding the day someone edits the line, and it misleads readers into
//! thinking there is something to ignore.
//!
//! ## Example
//! ```ipxe
//! #ipxelint disable=IPX201
//! goto start
//! :start
//! ```
//!
//! Use instead: delete the comment (`--fix` does).

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX901",
    name: "unused-suppression",
    summary: "a suppression comment that silences nothing",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    check: Check::Engine,
};
