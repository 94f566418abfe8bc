//! ## What it does
//! With `--check-urls`, reports a URL that the checker refused to probe:
//! its host is `localhost` or resolves only to a loopback, private,
//! link-local, unspecified, multicast or otherwise non-public address (IPv4
//! or IPv6), it redirects to such an address or to a scheme other than
//! http(s), or the run reached its limit of distinct URLs (one finding says
//! how many were left out).
//!
//! Pass `--allow-private-urls` to check private and loopback addresses too
//! (for example on the boot network itself).
//!
//! ## Why is this bad?
//! It is not a bug in the script: linters run on scripts from pull
//! requests, and a URL check must not let a script make CI probe the
//! network it runs in. This finding says which URLs were left unchecked and
//! which flag allows them.
//!
//! ## Example
//! ```ipxe
//! #!ipxe
//! chain http://10.0.0.1/boot.ipxe
//! ```
//!
//! Use instead: `ipxelint --check-urls --allow-private-urls boot.ipxe` on a
//! machine of that network.
//!
//! ## References
//! The `ipxe-urlcheck` crate (`src/net.rs` lists the refused ranges).

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX703",
    name: "url-refused",
    summary: "a URL that --check-urls refused to probe (private address, other scheme, or over the limit)",
    severity: Severity::Info,
    fix: FixAvailability::None,
    check: Check::Engine,
};
