//! Probing URLs: HEAD, then a one-byte ranged GET where HEAD is not enough;
//! bounded concurrency per host and in total; timeouts; no credentials, no
//! cookies, no proxy; redirects followed only to http(s) and only to
//! addresses the policy allows.
//!
//! Blocking `ureq` calls on plain threads: a URL check waits on the network,
//! not the CPU, and a few dozen threads cost far less to build and run than
//! an async runtime.

use std::collections::{HashMap, VecDeque};
use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use ureq::http::header::{LOCATION, RANGE};
use ureq::http::{Response, StatusCode};
use ureq::tls::{RootCerts, TlsConfig};
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{
    ConnectionDetails, Connector, DefaultConnector, NextTimeout, Transport,
};
use ureq::{Agent, Body};
use url::Url;

use crate::UrlCheckOptions;
use crate::net::{is_localhost_name, non_public};

/// At most this many redirects are followed (iPXE itself follows them
/// without a limit of its own; a loop is a failure either way).
pub const MAX_REDIRECTS: usize = 10;

/// A host lookup: name → socket addresses (port 0 means "the URL's port").
/// It may block; the checker bounds the wait.
pub type LookupFn = Arc<dyn Fn(String) -> io::Result<Vec<SocketAddr>> + Send + Sync>;

/// The system resolver.
pub fn system_lookup() -> LookupFn {
    Arc::new(|host: String| Ok((host.as_str(), 0).to_socket_addrs()?.collect()))
}

/// What a probe found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The server answers with success (or a range error for an empty file).
    Ok,
    /// The server answers with this error status.
    Status(u16, String),
    /// No usable answer: timeouts, DNS failure, refused connection, TLS.
    Unreachable(String),
    /// Not checked for safety's sake; the message says which flag allows it.
    Refused(String),
}

/// The flag that lets URL checks reach private addresses.
pub const ALLOW_PRIVATE_FLAG: &str = "--allow-private-urls";

/// Our refusal, carried through ureq's error.
#[derive(Debug)]
struct Refusal(String);

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl StdError for Refusal {}

#[derive(Debug)]
struct DnsFailure(String);

impl fmt::Display for DnsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl StdError for DnsFailure {}

/// An error while connecting (TCP or TLS), as opposed to one in the
/// exchange after it: the host is then given up on.
#[derive(Debug)]
struct ConnectFailure(ureq::Error);

impl fmt::Display for ConnectFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
impl StdError for ConnectFailure {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.0)
    }
}

fn refusal_message(host: &str, addr: Option<IpAddr>, kind: &str) -> String {
    match addr {
        Some(ip) if ip.to_string() != host.trim_matches(['[', ']']) => format!(
            "`{host}` resolves to {ip}, a {kind} address; ipxelint only checks public addresses unless you pass {ALLOW_PRIVATE_FLAG}"
        ),
        _ => format!(
            "`{host}` is a {kind} address; ipxelint only checks public addresses unless you pass {ALLOW_PRIVATE_FLAG}"
        ),
    }
}

/// Refuses a URL's host before any network traffic, when it is an address
/// literal or `localhost`.
pub fn refuse_host(url: &Url) -> Option<String> {
    let host = url.host_str()?;
    match literal_ip(host) {
        Some(ip) => non_public(ip).map(|kind| refusal_message(&ip.to_string(), None, kind)),
        None => is_localhost_name(host).then(|| refusal_message(host, None, "loopback")),
    }
}

fn literal_ip(host: &str) -> Option<IpAddr> {
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok()
}

/// Resolves names and drops the addresses the policy refuses, so the
/// connection goes only to an address that was checked (no DNS rebinding
/// between check and connect).
struct GuardedResolver {
    lookup: LookupFn,
    allow_private: bool,
    timeout: Duration,
}

impl fmt::Debug for GuardedResolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GuardedResolver")
            .field("allow_private", &self.allow_private)
            .finish_non_exhaustive()
    }
}

impl GuardedResolver {
    /// The addresses `host` may be connected to, waiting at most `limit`
    /// for the lookup (a lookup that hangs is left behind on its thread).
    fn addresses(&self, host: &str, limit: Duration) -> Result<Vec<SocketAddr>, ureq::Error> {
        let fail = |e: Box<dyn StdError + Send + Sync>| Err(ureq::Error::Other(e));
        if let Some(ip) = literal_ip(host) {
            // Already refused before any traffic unless private is allowed.
            return Ok(vec![SocketAddr::new(ip, 0)]);
        }
        if !self.allow_private && is_localhost_name(host) {
            return fail(Box::new(Refusal(refusal_message(host, None, "loopback"))));
        }
        let (tx, rx) = mpsc::sync_channel(1);
        let lookup = self.lookup.clone();
        let name = host.to_string();
        let spawned = thread::Builder::new()
            .name("urlcheck-dns".into())
            .spawn(move || {
                let _ = tx.send(lookup(name));
            });
        if let Err(e) = spawned {
            let why = format!("DNS lookup of `{host}` could not start: {e}");
            return fail(Box::new(DnsFailure(why)));
        }
        let addrs = match rx.recv_timeout(limit) {
            Err(_) => {
                let why = format!("DNS lookup of `{host}` timed out");
                return fail(Box::new(DnsFailure(why)));
            }
            Ok(Err(e)) => {
                let why = format!("DNS lookup of `{host}` failed: {e}");
                return fail(Box::new(DnsFailure(why)));
            }
            Ok(Ok(addrs)) => addrs,
        };
        if addrs.is_empty() {
            let why = format!("`{host}` has no address");
            return fail(Box::new(DnsFailure(why)));
        }
        let (allowed, refused): (Vec<SocketAddr>, Vec<SocketAddr>) = addrs
            .into_iter()
            .partition(|a| self.allow_private || non_public(a.ip()).is_none());
        if allowed.is_empty() {
            let first = refused[0].ip();
            let kind = non_public(first).unwrap_or("private");
            return fail(Box::new(Refusal(refusal_message(host, Some(first), kind))));
        }
        Ok(allowed)
    }
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        _config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().unwrap_or_default();
        let port = uri
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("https") {
                443
            } else {
                80
            });
        let addrs = self.addresses(host, self.timeout.min(*timeout.after))?;
        let mut out = self.empty();
        // ureq keeps at most 16; the allowed ones come first in the answer's order.
        for addr in addrs.into_iter().take(16) {
            let port = if addr.port() == 0 { port } else { addr.port() };
            out.push(SocketAddr::new(addr.ip(), port));
        }
        Ok(out)
    }
}

/// ureq's usual TCP + TLS connector, with its errors marked as failures to
/// connect.
#[derive(Debug)]
struct MarkConnectFailures(DefaultConnector);

impl Connector<()> for MarkConnectFailures {
    type Out = Box<dyn Transport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        self.0
            .connect(details, chained)
            .map_err(|e| ureq::Error::Other(Box::new(ConnectFailure(e))))
    }
}

/// Why a request chain (one method, its redirects) gave no response.
enum Failure {
    /// ureq's error, and the URL (after redirects) it happened on.
    Request(ureq::Error, Url),
    TooManyRedirects,
    Refused(String),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Method {
    Head,
    Get,
}

/// Probes URLs with shared limits.
pub struct Prober {
    agent: Agent,
    allow_private: bool,
    timeout: Duration,
    per_host: usize,
    total: usize,
    /// Hosts that could not be reached at all, with the reason: their other
    /// URLs are not tried again.
    dead: Mutex<HashMap<String, String>>,
}

impl Prober {
    pub fn new(options: &UrlCheckOptions, lookup: LookupFn) -> Result<Prober, String> {
        let per_host = options.per_host.max(1);
        let total = options.total.max(1);
        let config = Agent::config_builder()
            .user_agent(concat!("ipxelint-urlcheck/", env!("CARGO_PKG_VERSION")))
            // Redirects are followed here, one hop at a time, so each hop
            // passes the policy (`fetch`).
            .max_redirects(0)
            .http_status_as_error(false)
            // A proxy would resolve names where the address checks cannot see.
            .proxy(None)
            .timeout_global(Some(options.timeout))
            .timeout_connect(Some(options.timeout))
            .max_idle_connections(total)
            .max_idle_connections_per_host(per_host)
            .tls_config(
                TlsConfig::builder()
                    .root_certs(RootCerts::PlatformVerifier)
                    .build(),
            )
            .build();
        let resolver = GuardedResolver {
            lookup,
            allow_private: options.allow_private,
            timeout: options.timeout,
        };
        let agent = Agent::with_parts(
            config,
            MarkConnectFailures(DefaultConnector::new()),
            resolver,
        );
        Ok(Prober {
            agent,
            allow_private: options.allow_private,
            timeout: options.timeout,
            per_host,
            total,
            dead: Mutex::new(HashMap::new()),
        })
    }

    /// Probes every URL (already stripped of credentials), at most
    /// `per_host` at once to one host and `total` at once in all; the
    /// outcomes come in the order of `urls`.
    pub fn probe_all(&self, urls: &[Url]) -> Vec<Outcome> {
        struct Queue<'u> {
            /// Indexes of the URLs not started yet, in order.
            waiting: VecDeque<usize>,
            /// Probes in flight per host.
            busy: HashMap<&'u str, usize>,
        }
        let hosts: Vec<String> = urls.iter().map(host_key).collect();
        let queue = Mutex::new(Queue {
            waiting: (0..urls.len()).collect(),
            busy: HashMap::new(),
        });
        let turn = Condvar::new();
        let outcomes: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; urls.len()]);
        // One thread per slot of the total: a thread takes the first waiting
        // URL whose host has a free slot, so a busy host never holds a slot
        // of the total while it waits.
        let workers = self.total.min(urls.len());
        thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    loop {
                        let next = {
                            let mut q = queue.lock().expect("queue lock");
                            loop {
                                if q.waiting.is_empty() {
                                    break None;
                                }
                                let free = q.waiting.iter().position(|&i| {
                                    q.busy.get(hosts[i].as_str()).copied().unwrap_or(0)
                                        < self.per_host
                                });
                                if let Some(at) = free {
                                    let i = q.waiting.remove(at).expect("position is valid");
                                    *q.busy.entry(hosts[i].as_str()).or_default() += 1;
                                    break Some(i);
                                }
                                q = turn.wait(q).expect("queue lock");
                            }
                        };
                        let Some(i) = next else { break };
                        let outcome = catch_unwind(AssertUnwindSafe(|| self.probe(&urls[i])))
                            .unwrap_or_else(|_| {
                                Outcome::Unreachable("the check failed unexpectedly".into())
                            });
                        outcomes.lock().expect("outcomes lock")[i] = Some(outcome);
                        *queue
                            .lock()
                            .expect("queue lock")
                            .busy
                            .get_mut(hosts[i].as_str())
                            .expect("host was counted") -= 1;
                        turn.notify_all();
                    }
                });
            }
        });
        outcomes
            .into_inner()
            .expect("outcomes lock")
            .into_iter()
            .map(|o| o.expect("every URL was probed"))
            .collect()
    }

    /// Probes one URL (already stripped of credentials).
    pub fn probe(&self, url: &Url) -> Outcome {
        if !self.allow_private
            && let Some(why) = refuse_host(url)
        {
            return Outcome::Refused(why);
        }
        let host = host_key(url);
        if let Some(why) = self.dead.lock().expect("dead lock").get(&host) {
            return Outcome::Unreachable(format!(
                "{why} (as for an earlier URL on this host, not tried again)"
            ));
        }
        // A hard deadline over HEAD + GET + DNS, whatever happens inside.
        let deadline = Instant::now() + self.timeout * 2 + Duration::from_secs(1);
        let (dead_host, outcome) = self.head_then_get(url, deadline);
        if let Some(why) = dead_host {
            self.dead.lock().expect("dead lock").insert(host, why);
        }
        outcome
    }

    /// The outcome, and the reason to give up on the host when it is unreachable.
    fn head_then_get(&self, url: &Url, deadline: Instant) -> (Option<String>, Outcome) {
        match self.fetch(Method::Head, url, deadline) {
            Ok((at, response)) => {
                if matches!(response.status().as_u16(), 403 | 405 | 501) {
                    drop(response);
                    self.get(url, deadline)
                } else {
                    (None, classify(&response, &at, false))
                }
            }
            Err(e) => match self.classify_error(&e) {
                ErrorClass::Retry => self.get(url, deadline),
                ErrorClass::Final(outcome) => (None, outcome),
                ErrorClass::Host(why) => (Some(why.clone()), Outcome::Unreachable(why)),
            },
        }
    }

    fn get(&self, url: &Url, deadline: Instant) -> (Option<String>, Outcome) {
        match self.fetch(Method::Get, url, deadline) {
            // The body is never read: dropping the response closes the connection.
            Ok((at, response)) => (None, classify(&response, &at, true)),
            Err(e) => match self.classify_error(&e) {
                ErrorClass::Retry => {
                    let Failure::Request(e, _) = &e else {
                        unreachable!("only request errors are retried")
                    };
                    (None, Outcome::Unreachable(root_cause(e)))
                }
                ErrorClass::Final(outcome) => (None, outcome),
                ErrorClass::Host(why) => (Some(why.clone()), Outcome::Unreachable(why)),
            },
        }
    }

    /// Sends `method`, following redirects that pass the policy, within
    /// `timeout` for the whole chain (and before `deadline`). Returns the
    /// final response and its URL.
    fn fetch(
        &self,
        method: Method,
        url: &Url,
        deadline: Instant,
    ) -> Result<(Url, Response<Body>), Failure> {
        let chain_end = (Instant::now() + self.timeout).min(deadline);
        let mut at = url.clone();
        for followed in 0.. {
            let left = chain_end.saturating_duration_since(Instant::now());
            let response = self
                .send(method, &at, left)
                .map_err(|e| Failure::Request(e, at.clone()))?;
            if !matches!(response.status().as_u16(), 301 | 302 | 303 | 307 | 308) {
                return Ok((at, response));
            }
            let Some(next) = response
                .headers()
                .get(LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| at.join(l).ok())
            else {
                return Ok((at, response));
            };
            if followed >= MAX_REDIRECTS {
                return Err(Failure::TooManyRedirects);
            }
            if !matches!(next.scheme(), "http" | "https") {
                // The 3xx response becomes the answer; `classify` reports it.
                return Ok((at, response));
            }
            if !next.username().is_empty() || next.password().is_some() {
                return Err(Failure::Refused(
                    "it redirects to a URL with credentials, which ipxelint does not follow".into(),
                ));
            }
            if !self.allow_private
                && let Some(why) = refuse_host(&next)
            {
                return Err(Failure::Refused(format!("it redirects to {next}: {why}")));
            }
            at = next;
        }
        unreachable!("the loop returns")
    }

    fn send(
        &self,
        method: Method,
        url: &Url,
        left: Duration,
    ) -> Result<Response<Body>, ureq::Error> {
        if left.is_zero() {
            return Err(ureq::Error::Timeout(ureq::Timeout::Global));
        }
        match method {
            Method::Head => self
                .agent
                .head(url.as_str())
                .config()
                .timeout_global(Some(left))
                .build()
                .call(),
            Method::Get => self
                .agent
                .get(url.as_str())
                .header(RANGE, "bytes=0-0")
                .config()
                .timeout_global(Some(left))
                .build()
                .call(),
        }
    }

    fn classify_error(&self, failure: &Failure) -> ErrorClass {
        let (e, url) = match failure {
            Failure::Refused(why) => return ErrorClass::Final(Outcome::Refused(why.clone())),
            Failure::TooManyRedirects => {
                return ErrorClass::Final(Outcome::Unreachable(format!(
                    "it redirects more than {MAX_REDIRECTS} times (a redirect loop?)"
                )));
            }
            Failure::Request(e, url) => (e, url),
        };
        let target = format!(
            "{}:{}",
            url.host_str().unwrap_or_default(),
            url.port_or_known_default().unwrap_or_default()
        );
        let ureq::Error::Other(ours) = e else {
            if matches!(e, ureq::Error::Timeout(_)) {
                return ErrorClass::Final(Outcome::Unreachable(format!(
                    "no answer within {}",
                    secs(self.timeout)
                )));
            }
            // Connected, but the exchange broke (some servers mishandle HEAD).
            return ErrorClass::Retry;
        };
        if let Some(r) = ours.downcast_ref::<Refusal>() {
            return ErrorClass::Final(Outcome::Refused(r.0.clone()));
        }
        if let Some(d) = ours.downcast_ref::<DnsFailure>() {
            return ErrorClass::Host(d.0.clone());
        }
        let Some(ConnectFailure(cause)) = ours.downcast_ref::<ConnectFailure>() else {
            return ErrorClass::Retry;
        };
        let io_kind = match cause {
            ureq::Error::Io(io) => Some(io.kind()),
            _ => None,
        };
        if matches!(cause, ureq::Error::Timeout(_)) || io_kind == Some(io::ErrorKind::TimedOut) {
            return ErrorClass::Host(format!(
                "connecting to {target} timed out after {}",
                secs(self.timeout)
            ));
        }
        if io_kind == Some(io::ErrorKind::ConnectionRefused) {
            return ErrorClass::Host(format!("connection refused by {target}"));
        }
        ErrorClass::Host(format!(
            "could not connect to {target}: {}",
            root_cause(cause)
        ))
    }
}

/// Which host a URL's requests count against.
fn host_key(url: &Url) -> String {
    url.host_str().unwrap_or_default().to_ascii_lowercase()
}

enum ErrorClass {
    /// Fall back to a ranged GET.
    Retry,
    Final(Outcome),
    /// The host cannot be reached at all.
    Host(String),
}

fn classify(response: &Response<Body>, url: &Url, was_get: bool) -> Outcome {
    let status = response.status();
    if status.is_success() || (was_get && status == StatusCode::RANGE_NOT_SATISFIABLE) {
        return Outcome::Ok;
    }
    if status.is_redirection() {
        // The redirect policy stopped here: the target is not http(s).
        if let Some(location) = response
            .headers()
            .get(LOCATION)
            .and_then(|l| l.to_str().ok())
        {
            let target = url
                .join(location)
                .map(|u| u.to_string())
                .unwrap_or_else(|_| location.to_string());
            return Outcome::Refused(format!(
                "it redirects to `{target}`, and ipxelint follows redirects only to http and https URLs"
            ));
        }
        if status == StatusCode::NOT_MODIFIED {
            return Outcome::Ok;
        }
    }
    Outcome::Status(
        status.as_u16(),
        status.canonical_reason().unwrap_or("").to_string(),
    )
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 && s.fract() == 0.0 {
        format!("{} s", s as u64)
    } else {
        format!("{s:.1} s")
    }
}

/// The innermost error message, which is the one that says what happened.
pub fn root_cause(e: &(dyn StdError + 'static)) -> String {
    let mut last: &(dyn StdError + 'static) = e;
    loop {
        let next = match last.downcast_ref::<ureq::Error>() {
            // ureq's error names no source; the I/O error inside it may have one.
            Some(ureq::Error::Io(io)) => {
                io.get_ref().map(|inner| inner as &(dyn StdError + 'static))
            }
            Some(ureq::Error::Other(inner)) => Some(&**inner as &(dyn StdError + 'static)),
            _ => last.source(),
        };
        match next {
            Some(next) => last = next,
            None => return last.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn address_literals_and_localhost_are_refused_before_any_traffic() {
        for url in [
            "http://127.0.0.1/x",
            "http://2130706433/x",
            "http://0x7f.1/x",
            "http://[::1]/x",
            "http://[::ffff:10.0.0.1]/x",
            "http://169.254.169.254/latest/meta-data/",
            "http://localhost:8080/x",
            "http://LOCALHOST./x",
            "https://foo.localhost/x",
        ] {
            let url = Url::parse(url).unwrap();
            let why = refuse_host(&url).unwrap_or_else(|| panic!("{url} should be refused"));
            assert!(why.contains(ALLOW_PRIVATE_FLAG), "{why}");
        }
        for url in [
            "http://93.184.216.34/x",
            "https://boot.example.com/x",
            "http://[2606:4700::1111]/",
        ] {
            assert_eq!(refuse_host(&Url::parse(url).unwrap()), None, "{url}");
        }
    }

    fn resolve(
        addrs: Vec<&str>,
        host: &str,
        allow_private: bool,
    ) -> (Result<Vec<SocketAddr>, String>, usize) {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = calls.clone();
        let addrs: Vec<SocketAddr> = addrs
            .iter()
            .map(|a| SocketAddr::new(a.parse().unwrap(), 0))
            .collect();
        let lookup: LookupFn = Arc::new(move |_host| {
            counter.fetch_add(1, Ordering::SeqCst);
            Ok(addrs.clone())
        });
        let resolver = GuardedResolver {
            lookup,
            allow_private,
            timeout: Duration::from_secs(1),
        };
        let result = resolver
            .addresses(host, Duration::from_secs(1))
            .map_err(|e| root_cause(&e));
        (result, calls.load(Ordering::SeqCst))
    }

    #[test]
    fn resolved_private_addresses_are_dropped() {
        // Mixed answers: only the public address is ever connected to.
        let (got, _) = resolve(
            vec!["10.0.0.1", "93.184.216.34", "::1"],
            "mixed.example",
            false,
        );
        assert_eq!(
            got.unwrap(),
            vec![SocketAddr::new("93.184.216.34".parse().unwrap(), 0)]
        );
        let (got, _) = resolve(vec!["192.168.1.10"], "nas.example", false);
        let why = got.unwrap_err();
        assert!(
            why.contains("resolves to 192.168.1.10, a private address"),
            "{why}"
        );
        assert!(why.contains(ALLOW_PRIVATE_FLAG), "{why}");
        let (got, calls) = resolve(vec!["93.184.216.34"], "localhost", false);
        assert!(got.is_err());
        assert_eq!(calls, 0, "localhost is refused without a lookup");
        let (got, _) = resolve(vec!["192.168.1.10"], "nas.example", true);
        assert_eq!(got.unwrap().len(), 1);
    }

    #[test]
    fn a_lookup_that_hangs_is_cut_off() {
        let lookup: LookupFn = Arc::new(|_host| {
            thread::sleep(Duration::from_secs(3));
            Ok(vec![SocketAddr::new("93.184.216.34".parse().unwrap(), 0)])
        });
        let resolver = GuardedResolver {
            lookup,
            allow_private: false,
            timeout: Duration::from_millis(200),
        };
        let started = Instant::now();
        let why = root_cause(
            &resolver
                .addresses("slow.example", Duration::from_millis(200))
                .unwrap_err(),
        );
        assert!(
            why.contains("DNS lookup of `slow.example` timed out"),
            "{why}"
        );
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
