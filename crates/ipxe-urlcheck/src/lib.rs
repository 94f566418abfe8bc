//! URL checks for iPXE scripts (`ipxelint --check-urls`).
//!
//! [`check_urls`] finds every `http://`/`https://` URL that `kernel`,
//! `initrd`, `chain`, `imgfetch`, `module`, `imgselect`, `imgexec`,
//! `imgload`, `boot` and `sanboot`/`sanhook` would fetch, after expanding the
//! settings the scripts set to one constant value (iPXE's own expansion
//! algorithm; see [`expand`]). URLs that still depend on run-time values are
//! reported as unchecked (IPX702), never guessed.
//!
//! The rest are probed, safely enough to run on untrusted scripts in CI:
//!
//! * `HEAD`, falling back to `GET` with `Range: bytes=0-0` when HEAD gives
//!   403, 405 or 501 or the connection breaks after connecting; bodies are
//!   never read (the response is dropped, which closes the connection);
//! * each distinct URL once per run; at most `max_urls` distinct URLs (one
//!   IPX703 finding says how many more were not checked);
//! * at most `per_host` (default 16) requests in flight per host and
//!   `total` (default 64) in all;
//!   `timeout` per request, and a hard deadline per URL; a host that cannot
//!   be reached (DNS failure, refused, connect timeout, TLS failure) is not
//!   tried again for its other URLs;
//! * credentials are removed from URLs before requesting (an HTTP client would
//!   otherwise send them as `Authorization`), no cookies are kept, no proxy
//!   is used (a proxy would resolve names where the address checks cannot
//!   see);
//! * redirects: at most [`probe::MAX_REDIRECTS`], only to `http`/`https`
//!   (another scheme is reported, not followed), never to a URL with
//!   credentials, and never to a refused address;
//! * loopback, private, link-local, unspecified, multicast and other
//!   non-public addresses (IPv4 and IPv6, and `localhost`) are refused unless
//!   `allow_private`: names are resolved first and the connection goes only
//!   to the addresses that passed, so DNS cannot point a check inside the
//!   network between the check and the connection. A refusal is an IPX703
//!   finding naming `--allow-private-urls`.
//!
//! Findings: IPX701 url-unreachable (error), IPX702 url-unchecked (info),
//! IPX703 url-refused (info), documented in `ipxe-lint`'s `src/rules/urls/`.

mod extract;
pub mod net;
pub mod probe;
#[doc(hidden)]
pub mod test_server;

use std::collections::HashMap;
use std::time::Duration;

use ipxe_diagnostics::{Diagnostic, Severity};
use url::Url;

use extract::{Occurrence, Target};
use probe::{LookupFn, Outcome, Prober};

pub use ipxe_semantics::constants::expand;
pub use probe::ALLOW_PRIVATE_FLAG;

/// Limits for a run of URL checks.
#[derive(Clone, Debug)]
pub struct UrlCheckOptions {
    /// Per request (and per DNS lookup); default 10 s (`ipxelint --url-timeout`).
    pub timeout: Duration,
    /// Distinct URLs probed per run; default 500.
    pub max_urls: usize,
    /// Requests in flight per host; default 16 (`ipxelint --url-jobs-per-host`).
    pub per_host: usize,
    /// Requests in flight in all; default 64 (`ipxelint --url-jobs`).
    pub total: usize,
    /// Check loopback, private, link-local… addresses too; default false.
    pub allow_private: bool,
}

impl Default for UrlCheckOptions {
    fn default() -> Self {
        UrlCheckOptions {
            timeout: Duration::from_secs(10),
            max_urls: 500,
            // 16 at once stays polite to a real boot server; 64 in all keeps
            // runs over several hosts fast.
            per_host: 16,
            total: 64,
            allow_private: false,
        }
    }
}

/// One script to check.
#[derive(Clone, Copy, Debug)]
pub struct UrlInput<'a> {
    pub path: &'a str,
    pub src: &'a [u8],
}

pub const URL_UNREACHABLE: &str = "IPX701";
pub const URL_UNCHECKED: &str = "IPX702";
pub const URL_REFUSED: &str = "IPX703";

/// Finds the URLs each file would fetch, probes them, returns diagnostics per file (same order as inputs).
pub fn check_urls(inputs: &[UrlInput<'_>], options: &UrlCheckOptions) -> Vec<Vec<Diagnostic>> {
    check_urls_with_lookup(inputs, options, probe::system_lookup())
}

/// [`check_urls`] with another host lookup (tests map names to a local server).
#[doc(hidden)]
pub fn check_urls_with_lookup(
    inputs: &[UrlInput<'_>],
    options: &UrlCheckOptions,
    lookup: LookupFn,
) -> Vec<Vec<Diagnostic>> {
    let occurrences = extract::find(inputs);
    let mut out: Vec<Vec<Diagnostic>> = vec![Vec::new(); inputs.len()];

    // Distinct URLs in order of first appearance; the first `max_urls` are probed.
    let mut order: Vec<Url> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for o in &occurrences {
        if let Target::Url { url, .. } = &o.target {
            index.entry(url.to_string()).or_insert_with(|| {
                order.push(url.clone());
                order.len() - 1
            });
        }
    }
    let probed = order.len().min(options.max_urls);
    let outcomes = if probed == 0 {
        Ok(Vec::new())
    } else {
        run_probes(&order[..probed], options, lookup)
    };

    let mut cap_reported = false;
    for o in &occurrences {
        let d = match (&o.target, &outcomes) {
            (Target::Unchecked(why), _) => Some(unchecked(o, why)),
            (
                Target::Url {
                    url,
                    had_credentials,
                },
                outcomes,
            ) => {
                let i = index[url.as_str()];
                if i >= probed {
                    if cap_reported {
                        None
                    } else {
                        cap_reported = true;
                        Some(over_cap(o, order.len() - probed, options.max_urls))
                    }
                } else {
                    match outcomes {
                        Ok(outcomes) => finding(o, url, *had_credentials, &outcomes[i]),
                        Err(why) => Some(unchecked(o, why)),
                    }
                }
            }
        };
        if let Some(d) = d {
            out[o.file].push(d);
        }
    }
    for diagnostics in &mut out {
        diagnostics.sort_by_key(|d| (d.span.start, d.code));
    }
    out
}

/// Probes on threads of our own (one per slot of `total`); callers that are
/// themselves async (the language server) wait on their calling thread.
fn run_probes(
    urls: &[Url],
    options: &UrlCheckOptions,
    lookup: LookupFn,
) -> Result<Vec<Outcome>, String> {
    let prober = Prober::new(options, lookup)?;
    Ok(prober.probe_all(urls))
}

fn shown(o: &Occurrence, url: &Url) -> String {
    if o.raw == url.as_str() {
        format!("`{url}`")
    } else {
        format!("`{url}` (from `{}`)", o.raw)
    }
}

fn finding(
    o: &Occurrence,
    url: &Url,
    had_credentials: bool,
    outcome: &Outcome,
) -> Option<Diagnostic> {
    let credentials_note =
        "the `user:password@` part was removed before checking: ipxelint never sends credentials";
    let mut d = match outcome {
        Outcome::Ok => return None,
        Outcome::Status(code @ (401 | 403), reason) if had_credentials => Diagnostic::new(
            URL_UNCHECKED,
            Severity::Info,
            o.span,
            format!(
                "`{}` not checked: {} answers {code} {reason} without the credentials the script gives, and ipxelint never sends credentials",
                o.command,
                shown(o, url)
            ),
        ),
        Outcome::Status(code, reason) => Diagnostic::new(
            URL_UNREACHABLE,
            Severity::Error,
            o.span,
            format!(
                "`{}` would fail: {} answers HTTP {code} {reason}",
                o.command,
                shown(o, url)
            ),
        ),
        Outcome::Unreachable(why) => Diagnostic::new(
            URL_UNREACHABLE,
            Severity::Error,
            o.span,
            format!("`{}` would fail: {}: {why}", o.command, shown(o, url)),
        ),
        Outcome::Refused(why) => Diagnostic::new(
            URL_REFUSED,
            Severity::Info,
            o.span,
            format!("{} not checked: {why}", shown(o, url)),
        ),
    };
    if had_credentials {
        d.set_help(credentials_note);
    }
    Some(d)
}

fn unchecked(o: &Occurrence, why: &str) -> Diagnostic {
    Diagnostic::new(
        URL_UNCHECKED,
        Severity::Info,
        o.span,
        format!("`{}` URL `{}` not checked: {why}", o.command, o.raw),
    )
}

fn over_cap(o: &Occurrence, left: usize, max: usize) -> Diagnostic {
    let urls = if left == 1 { "URL was" } else { "URLs were" };
    Diagnostic::new(
        URL_REFUSED,
        Severity::Info,
        o.span,
        format!(
            "{left} more distinct {urls} not checked, starting with `{}`: a run checks at most {max}",
            o.raw
        ),
    )
}
