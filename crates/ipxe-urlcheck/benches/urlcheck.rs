//! URL-check throughput: 1000 distinct URLs on a loopback server that
//! answers every request after 50 ms.
//!
//! `cargo bench -p ipxe-urlcheck` prints the wall time for each setting:
//!
//! * one host name, `per_host = 64`, `total = 64` (`--url-jobs-per-host 64`):
//!   target ≤ 1.5 s;
//! * 16 host names (all the same server) with the defaults, `per_host = 16`,
//!   `total = 64`: the total bounds it;
//! * one host name with the defaults: politeness to a single host bounds it.
//!
//! With 50 ms per answer, `n` requests in flight give at best
//! 1000 × 0.05 / n seconds: 0.78 s at 64, 3.1 s at 16 (one host, defaults).
//!
//! Measured on the project's 2-core machine (release build, shared with
//! other work), three runs: one host 64/64 0.85–0.89 s, 16 hosts with the
//! defaults 0.86–0.89 s, one host with the defaults 3.30–3.34 s.
//!
//! reqwest + tokio against ureq + threads, alternating in one session (the
//! machine busier than above): one host 64/64 0.98, 1.04 s against 1.02,
//! 0.99 s; 16 hosts 1.00, 0.97 s against 0.98, 0.99 s; one host with the
//! defaults 3.54, 3.97 s against 3.63, 3.60 s. The same within the noise.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{TestServer, lookup};
use ipxe_urlcheck::{UrlCheckOptions, UrlInput, check_urls_with_lookup};

fn script(hosts: usize, urls: usize) -> String {
    let mut s = String::from("#!ipxe\n");
    for i in 0..urls {
        s.push_str(&format!(
            "imgfetch http://h{}.example.test/ok?{i} ||\n",
            i % hosts
        ));
    }
    s
}

fn run(name: &str, hosts: usize, urls: usize, options: UrlCheckOptions) {
    let server = TestServer::start_with_delay(Duration::from_millis(50));
    let src = script(hosts, urls);
    let inputs = [UrlInput {
        path: "bench.ipxe",
        src: src.as_bytes(),
    }];
    let started = Instant::now();
    let findings = check_urls_with_lookup(&inputs, &options, lookup(server.addr));
    let elapsed = started.elapsed();
    assert!(
        findings[0].is_empty(),
        "{:#?}",
        &findings[0][..findings[0].len().min(3)]
    );
    let seen = server.stats.requests().len();
    println!(
        "{name}: {urls} URLs on {hosts} host name(s), per_host={}, total={}: {:.3} s ({seen} requests, at most {} in flight)",
        options.per_host,
        options.total,
        elapsed.as_secs_f64(),
        server
            .stats
            .max_in_flight
            .load(std::sync::atomic::Ordering::SeqCst),
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this
    // without it, and then a small run is enough.
    let quick = !std::env::args().any(|a| a == "--bench") || std::env::var_os("QUICK").is_some();
    let urls = if quick { 50 } else { 1000 };
    let base = UrlCheckOptions {
        allow_private: true,
        max_urls: 1000,
        ..UrlCheckOptions::default()
    };
    run(
        "one host, 64/64",
        1,
        urls,
        UrlCheckOptions {
            per_host: 64,
            total: 64,
            ..base.clone()
        },
    );
    run("16 hosts, defaults", 16, urls, base.clone());
    run("one host, defaults", 1, urls, base);
}
