//! Probing URLs: HEAD, then a one-byte ranged GET where HEAD is not enough;
//! bounded concurrency per host and in total; timeouts; no credentials, no
//! cookies, no proxy; redirects followed only to http(s) and only to
//! addresses the policy allows.

use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{HeaderValue, LOCATION, RANGE};
use reqwest::redirect::{Attempt, Policy};
use reqwest::{Client, Method, Response, StatusCode, Url};
use tokio::sync::Semaphore;

use crate::UrlCheckOptions;
use crate::net::{is_localhost_name, non_public};

/// At most this many redirects are followed (iPXE itself follows them
/// without a limit of its own; a loop is a failure either way).
pub const MAX_REDIRECTS: usize = 10;

/// A host lookup: name → socket addresses (port 0 means "the URL's port").
pub type LookupFn = Arc<
    dyn Fn(String) -> Pin<Box<dyn Future<Output = io::Result<Vec<SocketAddr>>> + Send>>
        + Send
        + Sync,
>;

/// The system resolver.
pub fn system_lookup() -> LookupFn {
    Arc::new(|host: String| {
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host.as_str(), 0)).await?;
            Ok(addrs.collect())
        })
    })
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

/// Our refusal, carried through reqwest's error chain.
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

#[derive(Debug)]
struct TooManyRedirects;

impl fmt::Display for TooManyRedirects {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "more than {MAX_REDIRECTS} redirects")
    }
}
impl StdError for TooManyRedirects {}

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
    match host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        Ok(ip) => non_public(ip).map(|kind| refusal_message(&ip.to_string(), None, kind)),
        Err(_) => is_localhost_name(host).then(|| refusal_message(host, None, "loopback")),
    }
}

/// Resolves names and drops the addresses the policy refuses, so the
/// connection goes only to an address that was checked (no DNS rebinding
/// between check and connect).
struct GuardedResolver {
    lookup: LookupFn,
    allow_private: bool,
    timeout: Duration,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        let lookup = self.lookup.clone();
        let allow_private = self.allow_private;
        let timeout = self.timeout;
        Box::pin(async move {
            type BoxError = Box<dyn StdError + Send + Sync>;
            if !allow_private && is_localhost_name(&host) {
                return Err(Box::new(Refusal(refusal_message(&host, None, "loopback"))) as BoxError);
            }
            let addrs = match tokio::time::timeout(timeout, lookup(host.clone())).await {
                Err(_) => {
                    return Err(
                        Box::new(DnsFailure(format!("DNS lookup of `{host}` timed out")))
                            as BoxError,
                    );
                }
                Ok(Err(e)) => {
                    return Err(
                        Box::new(DnsFailure(format!("DNS lookup of `{host}` failed: {e}")))
                            as BoxError,
                    );
                }
                Ok(Ok(addrs)) => addrs,
            };
            if addrs.is_empty() {
                return Err(Box::new(DnsFailure(format!("`{host}` has no address"))) as BoxError);
            }
            let (allowed, refused): (Vec<SocketAddr>, Vec<SocketAddr>) = addrs
                .into_iter()
                .partition(|a| allow_private || non_public(a.ip()).is_none());
            if allowed.is_empty() {
                let first = refused[0].ip();
                let kind = non_public(first).unwrap_or("private");
                return Err(
                    Box::new(Refusal(refusal_message(&host, Some(first), kind))) as BoxError
                );
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

/// Probes URLs with shared limits.
pub struct Prober {
    client: Client,
    allow_private: bool,
    timeout: Duration,
    per_host: usize,
    total: Arc<Semaphore>,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
    /// Hosts that could not be reached at all, with the reason: their other
    /// URLs are not tried again.
    dead: Mutex<HashMap<String, String>>,
}

impl Prober {
    pub fn new(options: &UrlCheckOptions, lookup: LookupFn) -> Result<Prober, String> {
        let allow_private = options.allow_private;
        let policy = Policy::custom(move |attempt: Attempt<'_>| {
            if attempt.previous().len() > MAX_REDIRECTS {
                return attempt.error(TooManyRedirects);
            }
            let url = attempt.url().clone();
            if !matches!(url.scheme(), "http" | "https") {
                // The 3xx response becomes the answer; the caller reports it.
                return attempt.stop();
            }
            if !url.username().is_empty() || url.password().is_some() {
                let message =
                    "it redirects to a URL with credentials, which ipxelint does not follow"
                        .to_string();
                return attempt.error(Refusal(message));
            }
            if !allow_private && let Some(why) = refuse_host(&url) {
                return attempt.error(Refusal(format!("it redirects to {url}: {why}")));
            }
            attempt.follow()
        });
        let resolver = GuardedResolver {
            lookup,
            allow_private,
            timeout: options.timeout,
        };
        let client = Client::builder()
            .user_agent(concat!("ipxelint-urlcheck/", env!("CARGO_PKG_VERSION")))
            .redirect(policy)
            .referer(false)
            .no_proxy()
            .timeout(options.timeout)
            .connect_timeout(options.timeout)
            .pool_max_idle_per_host(options.per_host.max(1))
            .dns_resolver(resolver)
            .build()
            .map_err(|e| format!("could not set up the HTTP client: {}", root_cause(&e)))?;
        Ok(Prober {
            client,
            allow_private,
            timeout: options.timeout,
            per_host: options.per_host.max(1),
            total: Arc::new(Semaphore::new(options.total.max(1))),
            hosts: Mutex::new(HashMap::new()),
            dead: Mutex::new(HashMap::new()),
        })
    }

    /// Probes one URL (already stripped of credentials).
    pub async fn probe(&self, url: &Url) -> Outcome {
        if !self.allow_private
            && let Some(why) = refuse_host(url)
        {
            return Outcome::Refused(why);
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let host_limit = {
            let mut hosts = self.hosts.lock().expect("hosts lock");
            hosts
                .entry(host.clone())
                .or_insert_with(|| Arc::new(Semaphore::new(self.per_host)))
                .clone()
        };
        // Wait for the host's turn before taking a slot of the total, so one
        // busy host cannot hold every slot while it waits.
        let _host_permit = host_limit.acquire_owned().await.expect("semaphore open");
        let _total_permit = self
            .total
            .clone()
            .acquire_owned()
            .await
            .expect("semaphore open");
        if let Some(why) = self.dead.lock().expect("dead lock").get(&host) {
            return Outcome::Unreachable(format!(
                "{why} (as for an earlier URL on this host, not tried again)"
            ));
        }
        // A hard deadline over HEAD + GET + DNS, whatever happens inside.
        let deadline = self.timeout * 2 + Duration::from_secs(1);
        let (dead_host, outcome) =
            match tokio::time::timeout(deadline, self.head_then_get(url)).await {
                Ok(result) => result,
                Err(_) => (
                    None,
                    Outcome::Unreachable(format!("no answer within {}", secs(deadline))),
                ),
            };
        if let Some(why) = dead_host {
            self.dead.lock().expect("dead lock").insert(host, why);
        }
        outcome
    }

    /// The outcome, and the reason to give up on the host when it is unreachable.
    async fn head_then_get(&self, url: &Url) -> (Option<String>, Outcome) {
        match self.send(Method::HEAD, url).await {
            Ok(response) => {
                if matches!(response.status().as_u16(), 403 | 405 | 501) {
                    self.get(url).await
                } else {
                    (None, classify(response, false))
                }
            }
            Err(e) => match self.classify_error(&e) {
                ErrorClass::Retry => self.get(url).await,
                ErrorClass::Final(outcome) => (None, outcome),
                ErrorClass::Host(why) => (Some(why.clone()), Outcome::Unreachable(why)),
            },
        }
    }

    async fn get(&self, url: &Url) -> (Option<String>, Outcome) {
        match self.send(Method::GET, url).await {
            // The body is never read: dropping the response closes the connection.
            Ok(response) => (None, classify(response, true)),
            Err(e) => match self.classify_error(&e) {
                ErrorClass::Retry => (None, Outcome::Unreachable(root_cause(&e))),
                ErrorClass::Final(outcome) => (None, outcome),
                ErrorClass::Host(why) => (Some(why.clone()), Outcome::Unreachable(why)),
            },
        }
    }

    async fn send(&self, method: Method, url: &Url) -> reqwest::Result<Response> {
        let mut request = self.client.request(method.clone(), url.clone());
        if method == Method::GET {
            request = request.header(RANGE, HeaderValue::from_static("bytes=0-0"));
        }
        request.send().await
    }

    fn classify_error(&self, e: &reqwest::Error) -> ErrorClass {
        let mut source: Option<&(dyn StdError + 'static)> = Some(e);
        let mut refused_connection = false;
        while let Some(s) = source {
            if let Some(r) = s.downcast_ref::<Refusal>() {
                return ErrorClass::Final(Outcome::Refused(r.0.clone()));
            }
            if let Some(d) = s.downcast_ref::<DnsFailure>() {
                return ErrorClass::Host(d.0.clone());
            }
            if s.downcast_ref::<TooManyRedirects>().is_some() {
                return ErrorClass::Final(Outcome::Unreachable(format!(
                    "it redirects more than {MAX_REDIRECTS} times (a redirect loop?)"
                )));
            }
            if let Some(io) = s.downcast_ref::<io::Error>() {
                refused_connection |= io.kind() == io::ErrorKind::ConnectionRefused;
            }
            source = s.source();
        }
        let target = e
            .url()
            .map(|u| {
                format!(
                    "{}:{}",
                    u.host_str().unwrap_or_default(),
                    u.port_or_known_default().unwrap_or_default()
                )
            })
            .unwrap_or_default();
        if e.is_timeout() {
            if e.is_connect() {
                return ErrorClass::Host(format!(
                    "connecting to {target} timed out after {}",
                    secs(self.timeout)
                ));
            }
            return ErrorClass::Final(Outcome::Unreachable(format!(
                "no answer within {}",
                secs(self.timeout)
            )));
        }
        if refused_connection {
            return ErrorClass::Host(format!("connection refused by {target}"));
        }
        if e.is_connect() {
            return ErrorClass::Host(format!("could not connect to {target}: {}", root_cause(e)));
        }
        // Connected, but the exchange broke (some servers mishandle HEAD).
        ErrorClass::Retry
    }
}

enum ErrorClass {
    /// Fall back to a ranged GET.
    Retry,
    Final(Outcome),
    /// The host cannot be reached at all.
    Host(String),
}

fn classify(response: Response, was_get: bool) -> Outcome {
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
            let target = response
                .url()
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
    while let Some(next) = last.source() {
        last = next;
    }
    last.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;
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
            let addrs = addrs.clone();
            Box::pin(async move { Ok(addrs) })
        });
        let resolver = GuardedResolver {
            lookup,
            allow_private,
            timeout: Duration::from_secs(1),
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let result = runtime
            .block_on(resolver.resolve(Name::from_str(host).unwrap()))
            .map(|a| a.collect())
            .map_err(|e| e.to_string());
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
}
