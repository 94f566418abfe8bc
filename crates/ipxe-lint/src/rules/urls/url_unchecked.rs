//! ## What it does
//! With `--check-urls`, reports a URL that the script fetches but whose
//! value is only known at run time, so it was not checked: it uses a
//! setting that iPXE or DHCP fills in (`${next-server}`, `${net0/mac}`,
//! `${platform}`), one that `read`, `choose` or `login` asks for, one the
//! scripts set to several different values, delete, or never set, or it is
//! a relative URL (resolved against the running script's own URL). The
//! message names the setting and why. Also reported: a URL whose server
//! wants the credentials the script gives in it, since the check never
//! sends credentials.
//!
//! ## Why is this bad?
//! It is not a bug: it says which URLs `--check-urls` did not cover, so a
//! clean run is not mistaken for a checked one. Values are never guessed.
//!
//! ## Example
//! ```ipxe
//! #!ipxe
//! chain http://${next-server}/boot.ipxe
//! ```
//!
//! Use instead (when the server is fixed, say so, and the URL gets checked):
//! ```ipxe
//! #!ipxe
//! set server 192.0.2.10
//! chain http://${server}/boot.ipxe
//! ```
//!
//! ## References
//! `expand_settings` in `src/core/settings.c`; `resolve_uri` in
//! `src/core/uri.c` (relative URLs).

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX702",
    name: "url-unchecked",
    summary: "a URL that depends on run-time values, so --check-urls could not check it",
    severity: Severity::Info,
    fix: FixAvailability::None,
    check: Check::Engine,
};
