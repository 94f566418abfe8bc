//! A tiny HTTP/1.1 server on 127.0.0.1 for the URL-check tests: it answers
//! by path, records every request, counts requests in flight, and counts
//! the body bytes it manages to write before the client goes away.
//!
//! Test support only. It lives in the library (hidden from the docs) rather
//! than under `tests/` so `ipxelint`'s CLI tests can use the same server.
//! One thread per connection: the tests and the bench need at most about a
//! hundred at once.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use crate::probe::LookupFn;

#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
pub struct Stats {
    pub in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    /// Requests in flight per `Host` header.
    pub per_host: Mutex<HashMap<String, (usize, usize)>>,
    pub seen: Mutex<Vec<Seen>>,
    pub big_body_written: AtomicUsize,
}

impl Stats {
    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
    pub fn max_per_host(&self) -> usize {
        self.per_host
            .lock()
            .unwrap()
            .values()
            .map(|v| v.1)
            .max()
            .unwrap_or(0)
    }
}

/// Size of the body `/big` offers (it ignores `Range`).
pub const BIG_BODY: usize = 256 * 1024 * 1024;

pub struct TestServer {
    pub addr: SocketAddr,
    pub stats: Arc<Stats>,
    stop: Arc<AtomicBool>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Stop accepting; a connection wakes the accept loop to see it.
        // Connections being served end by themselves (each is bounded).
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

impl TestServer {
    /// Starts the server on a thread of its own.
    pub fn start() -> TestServer {
        Self::start_with_delay(Duration::ZERO)
    }

    /// Every answer waits `delay` first (for the benchmark).
    pub fn start_with_delay(delay: Duration) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let stats = Arc::new(Stats::default());
        let stop = Arc::new(AtomicBool::new(false));
        let (s, stopped) = (stats.clone(), stop.clone());
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let s = s.clone();
                thread::spawn(move || {
                    let _ = serve(stream, s, delay);
                });
            }
        });
        TestServer { addr, stats, stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// A port nothing listens on.
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// Maps names to addresses without DNS: `*.example.test` → `server`,
/// `down.example.test` → a closed port, `private.example.test` → 10.0.0.5
/// (refused before any connection), anything else fails like NXDOMAIN.
pub fn lookup(server: SocketAddr) -> LookupFn {
    let closed = closed_port();
    Arc::new(move |host: String| {
        let host = host.to_ascii_lowercase();
        if host == "down.example.test" {
            return Ok(vec![SocketAddr::from(([127, 0, 0, 1], closed))]);
        }
        if host == "private.example.test" {
            return Ok(vec![SocketAddr::from(([10, 0, 0, 5], 80))]);
        }
        if host == "nxdomain.example.test" || !host.ends_with(".example.test") {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no such host (test resolver)",
            ));
        }
        Ok(vec![server])
    })
}

struct InFlight<'a> {
    stats: &'a Stats,
    host: String,
}

impl<'a> InFlight<'a> {
    fn enter(stats: &'a Stats, host: &str) -> Self {
        let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        stats.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let mut hosts = stats.per_host.lock().unwrap();
        let entry = hosts.entry(host.to_string()).or_default();
        entry.0 += 1;
        entry.1 = entry.1.max(entry.0);
        InFlight {
            stats,
            host: host.to_string(),
        }
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.stats.in_flight.fetch_sub(1, Ordering::SeqCst);
        self.stats
            .per_host
            .lock()
            .unwrap()
            .get_mut(&self.host)
            .unwrap()
            .0 -= 1;
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Seen> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk).ok()?;
        if n == 0 || buf.len() > 64 * 1024 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf[0] == 0x16 {
            // A TLS ClientHello: this server speaks plain HTTP only.
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
            return None;
        }
    }
    let text = String::from_utf8_lossy(&buf).into_owned();
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(Seen {
        method,
        target,
        headers,
    })
}

fn respond(
    stream: &mut TcpStream,
    status: &str,
    extra: &[(&str, String)],
    body: &[u8],
    head: bool,
) {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (n, v) in extra {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let _ = stream.write_all(out.as_bytes());
    if !head {
        let _ = stream.write_all(body);
    }
    let _ = stream.flush();
}

fn serve(mut stream: TcpStream, stats: Arc<Stats>, delay: Duration) -> std::io::Result<()> {
    // No request waits forever for a client that went quiet.
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    let Some(request) = read_request(&mut stream) else {
        return Ok(());
    };
    stats.seen.lock().unwrap().push(request.clone());
    let host = request.header("host").unwrap_or("").to_string();
    // In flight from the request's arrival until the server starts to answer
    // (a client cannot have seen the answer before that).
    let guard = InFlight::enter(&stats, &host);
    if !delay.is_zero() {
        thread::sleep(delay);
    }
    let head = request.method == "HEAD";
    let path = request.target.split('?').next().unwrap_or("").to_string();
    match path.as_str() {
        "/slow" => thread::sleep(Duration::from_secs(5)),
        "/hold" => thread::sleep(Duration::from_millis(150)),
        _ => {}
    }
    drop(guard);
    match path.as_str() {
        "/ok" | "/vmlinuz" | "/initrd.img" | "/boot.ipxe" | "/auth-check" | "/slow" | "/hold" => {
            respond(&mut stream, "200 OK", &[], b"hello", head)
        }
        "/missing" => respond(&mut stream, "404 Not Found", &[], b"no", head),
        "/error" => respond(&mut stream, "500 Internal Server Error", &[], b"oops", head),
        "/redirect-http" => respond(
            &mut stream,
            "302 Found",
            &[("Location", "/ok".into())],
            b"",
            head,
        ),
        "/redirect-missing" => respond(
            &mut stream,
            "301 Moved Permanently",
            &[("Location", "/missing".into())],
            b"",
            head,
        ),
        "/redirect-ftp" => respond(
            &mut stream,
            "302 Found",
            &[("Location", "ftp://files.example.test/vmlinuz".into())],
            b"",
            head,
        ),
        "/redirect-loop" => respond(
            &mut stream,
            "302 Found",
            &[("Location", "/redirect-loop".into())],
            b"",
            head,
        ),
        "/redirect-credentials" => respond(
            &mut stream,
            "307 Temporary Redirect",
            &[("Location", "http://bob:hunter2@two.example.test/ok".into())],
            b"",
            head,
        ),
        "/redirect-chain" => {
            // `/redirect-chain?N` redirects N more times, then to `/ok`.
            let left: u32 = request
                .target
                .split_once('?')
                .and_then(|(_, n)| n.parse().ok())
                .unwrap_or(0);
            let next = if left == 0 {
                "/ok".to_string()
            } else {
                format!("/redirect-chain?{}", left - 1)
            };
            respond(
                &mut stream,
                "308 Permanent Redirect",
                &[("Location", next)],
                b"",
                head,
            )
        }
        "/head405" => {
            if head {
                respond(
                    &mut stream,
                    "405 Method Not Allowed",
                    &[("Allow", "GET".into())],
                    b"",
                    true,
                )
            } else if request.header("range") == Some("bytes=0-0") {
                respond(
                    &mut stream,
                    "206 Partial Content",
                    &[("Content-Range", "bytes 0-0/5".into())],
                    b"h",
                    false,
                )
            } else {
                respond(&mut stream, "200 OK", &[], b"hello", false)
            }
        }
        "/big" => {
            if head {
                respond(&mut stream, "405 Method Not Allowed", &[], b"", true);
                return Ok(());
            }
            // Ignores Range and offers a huge body, counting what gets through.
            let header = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {BIG_BODY}\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(header.as_bytes())?;
            let chunk = vec![0u8; 64 * 1024];
            let mut written = 0;
            while written < BIG_BODY {
                // The write timeout (5 s) ends a write the client stopped reading.
                match stream.write(&chunk) {
                    Ok(n) if n > 0 => {
                        written += n;
                        stats.big_body_written.store(written, Ordering::SeqCst);
                    }
                    _ => break,
                }
            }
        }
        _ => respond(&mut stream, "404 Not Found", &[], b"no route", head),
    }
    Ok(())
}
