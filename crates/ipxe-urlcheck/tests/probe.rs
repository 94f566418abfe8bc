//! URL checks against a real HTTP server on 127.0.0.1: every outcome, every
//! limit, and every refusal.

mod common;

use std::time::{Duration, Instant};

use common::{BIG_BODY, TestServer, closed_port, lookup};
use ipxe_diagnostics::{Diagnostic, Severity};
use ipxe_urlcheck::{UrlCheckOptions, UrlInput, check_urls, check_urls_with_lookup};

fn options() -> UrlCheckOptions {
    UrlCheckOptions {
        timeout: Duration::from_millis(800),
        allow_private: true,
        ..UrlCheckOptions::default()
    }
}

fn run(server: &TestServer, script: &str, options: &UrlCheckOptions) -> Vec<Diagnostic> {
    let inputs = [UrlInput {
        path: "t.ipxe",
        src: script.as_bytes(),
    }];
    check_urls_with_lookup(&inputs, options, lookup(server.addr)).remove(0)
}

/// The one finding of a one-URL script.
fn only(server: &TestServer, line: &str) -> Option<Diagnostic> {
    let d = run(server, &format!("#!ipxe\n{line}\n"), &options());
    assert!(d.len() <= 1, "{d:#?}");
    d.into_iter().next()
}

#[test]
fn ok_and_http_errors() {
    let server = TestServer::start();
    assert_eq!(
        only(&server, &format!("kernel {}", server.url("/ok"))),
        None
    );
    let d = only(&server, &format!("initrd {}", server.url("/missing"))).unwrap();
    assert_eq!((d.code, d.severity), ("IPX701", Severity::Error));
    assert!(
        d.message.contains("answers HTTP 404 Not Found"),
        "{}",
        d.message
    );
    assert_eq!(d.span.start, 14, "the span is the URL word");
    let d = only(&server, &format!("chain {}", server.url("/error"))).unwrap();
    assert!(
        d.message.contains("HTTP 500 Internal Server Error"),
        "{}",
        d.message
    );
    // Only HEAD was needed for these.
    assert!(server.stats.requests().iter().all(|r| r.method == "HEAD"));
}

#[test]
fn slow_server_times_out() {
    let server = TestServer::start();
    let started = Instant::now();
    let d = only(&server, &format!("chain {}", server.url("/slow"))).unwrap();
    assert_eq!(d.code, "IPX701");
    assert!(
        d.message.contains("no answer within 0.8 s"),
        "{}",
        d.message
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn redirects_to_http_are_followed_and_to_other_schemes_are_not() {
    let server = TestServer::start();
    assert_eq!(
        only(&server, &format!("chain {}", server.url("/redirect-http"))),
        None
    );
    let d = only(
        &server,
        &format!("chain {}", server.url("/redirect-missing")),
    )
    .unwrap();
    assert!(d.message.contains("404"), "{}", d.message);
    let d = only(&server, &format!("kernel {}", server.url("/redirect-ftp"))).unwrap();
    assert_eq!((d.code, d.severity), ("IPX703", Severity::Info));
    assert!(
        d.message
            .contains("redirects to `ftp://files.example.test/vmlinuz`"),
        "{}",
        d.message
    );
    let d = only(&server, &format!("chain {}", server.url("/redirect-loop"))).unwrap();
    assert_eq!(d.code, "IPX701");
    assert!(
        d.message.contains("redirects more than 10 times"),
        "{}",
        d.message
    );
    // Nothing ever asked for the redirect's target.
    assert!(
        server
            .stats
            .requests()
            .iter()
            .all(|r| r.header("host") != Some("files.example.test") && r.target != "/vmlinuz")
    );
}

#[test]
fn redirects_are_counted_and_never_carry_credentials() {
    let server = TestServer::start();
    // Ten redirects are followed; the eleventh is one too many.
    assert_eq!(
        only(
            &server,
            &format!("chain {}", server.url("/redirect-chain?9"))
        ),
        None
    );
    let d = only(
        &server,
        &format!("chain {}", server.url("/redirect-chain?10")),
    )
    .unwrap();
    assert!(
        d.message.contains("redirects more than 10 times"),
        "{}",
        d.message
    );
    let d = only(
        &server,
        &format!("chain {}", server.url("/redirect-credentials")),
    )
    .unwrap();
    assert_eq!((d.code, d.severity), ("IPX703", Severity::Info));
    assert!(
        d.message.contains("redirects to a URL with credentials"),
        "{}",
        d.message
    );
    // The target with credentials was never asked for.
    assert!(server.stats.requests().iter().all(
        |r| r.header("host") != Some("two.example.test") && r.header("authorization").is_none()
    ));
}

#[test]
fn head_405_falls_back_to_a_ranged_get() {
    let server = TestServer::start();
    assert_eq!(
        only(&server, &format!("imgfetch {}", server.url("/head405"))),
        None
    );
    let seen = server.stats.requests();
    let methods: Vec<&str> = seen.iter().map(|r| r.method.as_str()).collect();
    assert_eq!(methods, ["HEAD", "GET"]);
    assert_eq!(seen[1].header("range"), Some("bytes=0-0"));
}

#[test]
fn bodies_are_not_downloaded() {
    let server = TestServer::start();
    let started = Instant::now();
    assert_eq!(
        only(&server, &format!("imgfetch {}", server.url("/big"))),
        None
    );
    assert!(started.elapsed() < Duration::from_secs(3));
    let get = server
        .stats
        .requests()
        .into_iter()
        .find(|r| r.method == "GET")
        .unwrap();
    assert_eq!(get.header("range"), Some("bytes=0-0"));
    // Let the server notice the closed connection.
    std::thread::sleep(Duration::from_millis(300));
    let written = server
        .stats
        .big_body_written
        .load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        written < BIG_BODY / 8,
        "the server wrote {written} bytes of {BIG_BODY} before the client went away"
    );
}

#[test]
fn connection_refused_and_dns_failure() {
    let server = TestServer::start();
    let port = closed_port();
    let d = only(&server, &format!("chain http://127.0.0.1:{port}/boot.ipxe")).unwrap();
    assert_eq!(d.code, "IPX701");
    assert!(
        d.message
            .contains(&format!("connection refused by 127.0.0.1:{port}")),
        "{}",
        d.message
    );
    let d = only(&server, "chain http://nxdomain.example.test/boot.ipxe").unwrap();
    assert!(
        d.message
            .contains("DNS lookup of `nxdomain.example.test` failed"),
        "{}",
        d.message
    );
    // A dead host is not tried again for its other URLs.
    let script =
        "#!ipxe\nchain http://down.example.test/a ||\nchain http://down.example.test/b ||\n";
    let d = run(
        &server,
        script,
        &UrlCheckOptions {
            per_host: 1,
            ..options()
        },
    );
    assert_eq!(d.len(), 2);
    // The probes start in no fixed order: either URL may be the one tried.
    let again = d
        .iter()
        .filter(|d| d.message.contains("not tried again"))
        .count();
    assert_eq!(again, 1, "{d:#?}");
}

#[test]
fn tls_failures_are_reported() {
    // `https` to a server that only speaks plain HTTP: the handshake fails.
    let server = TestServer::start();
    let d = only(&server, "chain https://one.example.test/boot.ipxe").unwrap();
    assert_eq!((d.code, d.severity), ("IPX701", Severity::Error));
    assert!(
        d.message
            .contains("could not connect to one.example.test:443"),
        "{}",
        d.message
    );
}

#[test]
fn concurrency_is_bounded_per_host_and_in_total() {
    let server = TestServer::start();
    let mut script = String::from("#!ipxe\n");
    for i in 0..24 {
        script.push_str(&format!("imgfetch http://one.example.test/hold?{i} ||\n"));
    }
    let per_host = UrlCheckOptions {
        per_host: 4,
        ..options()
    };
    let d = run(&server, &script, &per_host);
    assert!(d.is_empty(), "{d:#?}");
    let max = server.stats.max_per_host();
    assert!(max <= 4, "one host saw {max} requests at once");
    assert!(max >= 2, "requests ran in parallel ({max})");

    let server = TestServer::start();
    let mut script = String::from("#!ipxe\n");
    for host in 0..6 {
        for i in 0..8 {
            script.push_str(&format!(
                "imgfetch http://h{host}.example.test/hold?{i} ||\n"
            ));
        }
    }
    let limits = UrlCheckOptions {
        per_host: 4,
        total: 6,
        ..options()
    };
    assert!(run(&server, &script, &limits).is_empty());
    let total = server
        .stats
        .max_in_flight
        .load(std::sync::atomic::Ordering::SeqCst);
    assert!(total <= 6, "{total} requests at once");
    assert!(server.stats.max_per_host() <= 4);
}

#[test]
fn private_addresses_are_refused_without_the_flag() {
    let server = TestServer::start();
    let strict = UrlCheckOptions {
        allow_private: false,
        ..options()
    };
    let script = format!(
        "#!ipxe\nchain {} ||\nchain http://localhost:{}/ok ||\nchain http://[::1]:{}/ok ||\nchain http://one.example.test/ok ||\nchain http://private.example.test/ok ||\n",
        server.url("/ok"),
        server.addr.port(),
        server.addr.port()
    );
    let d = run(&server, &script, &strict);
    assert_eq!(d.len(), 5, "{d:#?}");
    for d in &d {
        assert_eq!(
            (d.code, d.severity),
            ("IPX703", Severity::Info),
            "{}",
            d.message
        );
        assert!(d.message.contains("--allow-private-urls"), "{}", d.message);
    }
    assert!(
        d[3].message
            .contains("`one.example.test` resolves to 127.0.0.1, a loopback address"),
        "{}",
        d[3].message
    );
    assert!(
        d[4].message.contains("10.0.0.5, a private address"),
        "{}",
        d[4].message
    );
    assert!(
        server.stats.requests().is_empty(),
        "the server saw a request"
    );
    // The same through the public entry point (real resolver: only literals and localhost here).
    let inputs = [UrlInput {
        path: "t.ipxe",
        src: format!("#!ipxe\nchain {}\n", server.url("/ok"))
            .into_bytes()
            .leak(),
    }];
    let d = check_urls(&inputs, &UrlCheckOptions::default());
    assert_eq!(d[0].len(), 1);
    assert_eq!(d[0][0].code, "IPX703");
    assert!(server.stats.requests().is_empty());
}

#[test]
fn credentials_are_never_sent() {
    let server = TestServer::start();
    let d = only(
        &server,
        "kernel http://alice:s3cret@one.example.test/auth-check",
    );
    assert_eq!(d, None);
    let seen = server.stats.requests();
    assert!(!seen.is_empty());
    for r in &seen {
        assert_eq!(r.header("authorization"), None, "{r:?}");
        assert_eq!(r.header("cookie"), None, "{r:?}");
        assert!(
            !r.target.contains("alice") && !r.target.contains("s3cret"),
            "{r:?}"
        );
        assert!(
            r.headers
                .iter()
                .all(|(_, v)| !v.contains("s3cret") && !v.contains("alice")),
            "{r:?}"
        );
    }
    // When the check fails, the finding says the credentials were removed.
    let d = only(
        &server,
        "kernel http://alice:s3cret@one.example.test/missing",
    )
    .unwrap();
    assert!(
        d.help
            .as_deref()
            .unwrap_or("")
            .contains("never sends credentials"),
        "{d:?}"
    );
}

#[test]
fn urls_are_deduplicated_and_capped() {
    let server = TestServer::start();
    let mut script = String::from("#!ipxe\n");
    for _ in 0..3 {
        script.push_str("chain http://one.example.test/ok ||\n");
    }
    for i in 0..5 {
        script.push_str(&format!("chain http://one.example.test/ok?{i} ||\n"));
    }
    let capped = UrlCheckOptions {
        max_urls: 3,
        ..options()
    };
    let d = run(&server, &script, &capped);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code, "IPX703");
    assert!(
        d[0].message
            .starts_with("3 more distinct URLs were not checked"),
        "{}",
        d[0].message
    );
    // 3 distinct URLs, one HEAD each.
    assert_eq!(server.stats.requests().len(), 3);
}

#[test]
fn settings_expand_and_runtime_values_are_unchecked() {
    let server = TestServer::start();
    let script = "#!ipxe\nset host one.example.test\nset base http://${host}\nkernel ${base}/missing\nchain http://${next-server}/boot.ipxe ||\n";
    let d = run(&server, script, &options());
    assert_eq!(d.len(), 2, "{d:#?}");
    assert_eq!(d[0].code, "IPX701");
    assert!(
        d[0].message
            .contains("`http://one.example.test/missing` (from `${base}/missing`)"),
        "{}",
        d[0].message
    );
    assert_eq!((d[1].code, d[1].severity), ("IPX702", Severity::Info));
    assert!(
        d[1].message.contains("`${next-server}`"),
        "{}",
        d[1].message
    );
}
