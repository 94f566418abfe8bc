//! ## What it does
//! With `--check-urls`, reports a URL that `kernel`, `initrd`, `chain`,
//! `imgfetch`, `module`, `imgselect`, `imgexec`, `imgload`, `boot` or
//! `sanboot` would fetch and that does not answer: an HTTP error status
//! (404, 500…), no answer within the timeout, a failed DNS lookup, a refused
//! connection, a TLS failure, or a redirect loop. URLs built from settings
//! are checked after expanding the values the scripts set to constants.
//!
//! The check asks with `HEAD`, and with a one-byte ranged `GET` when the
//! server refuses `HEAD` (403, 405, 501) or breaks the connection; it never
//! downloads a body, sends no credentials and no cookies, and follows only
//! http(s) redirects. Each URL is asked once per run, with bounded
//! concurrency per host and in total (see the `ipxe-urlcheck` crate).
//!
//! ## Why is this bad?
//! iPXE's download fails (`Connection refused`, `Error 0x…` with the HTTP
//! status mapped to an error number, `Connection timed out`), the command
//! fails, and the script aborts unless the line ends in `||`: the machine
//! does not boot.
//!
//! ## Example
//! ```ipxe
//! #!ipxe
//! set base http://boot.example.com/debian
//! kernel ${base}/linux
//! ```
//!
//! Use instead (the path the server really has):
//! ```ipxe
//! #!ipxe
//! set base http://boot.example.com/debian
//! kernel ${base}/vmlinuz
//! ```
//!
//! ## References
//! `http_rx_response` in `src/net/tcp/httpcore.c` (status codes become
//! errors); `imgdownload` in `src/usr/imgmgmt.c`.

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX701",
    name: "url-unreachable",
    summary: "a URL the script fetches does not answer (with --check-urls)",
    severity: Severity::Error,
    fix: FixAvailability::None,
    check: Check::Engine,
};
