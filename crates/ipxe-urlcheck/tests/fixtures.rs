//! The fixtures of the URL rules (IPX701–IPX703) live with the other rule
//! fixtures in `crates/ipxe-lint/tests/fixtures/<CODE>/`, and are checked
//! here, where a local HTTP server answers for `*.example.test`:
//! `bad.ipxe` must give exactly the findings its `# expect: CODE @ L:C`
//! lines declare, and `good.ipxe` none of that code. IPX703 runs without
//! `allow_private`, the others with it (the server is on loopback).

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use common::{TestServer, lookup};
use ipxe_diagnostics::{FileReport, LineIndex, OutputFormat, RuleMeta, render};
use ipxe_urlcheck::{UrlCheckOptions, UrlInput, check_urls_with_lookup};

fn fixture(code: &str, name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../ipxe-lint/tests/fixtures")
        .join(code)
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn expected(src: &str) -> BTreeSet<(String, u32, u32)> {
    src.lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|e| {
            let (code, pos) = e.split_once(" @ ").expect("`# expect: CODE @ L:C`");
            let (line, col) = pos.trim().split_once(':').expect("L:C");
            (
                code.trim().to_string(),
                line.parse().unwrap(),
                col.parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn url_rule_fixtures_behave() {
    let server = TestServer::start();
    let mut failures = Vec::new();
    let mut rendered = Vec::new();
    for code in ["IPX701", "IPX702", "IPX703"] {
        let options = UrlCheckOptions {
            timeout: Duration::from_secs(2),
            allow_private: code != "IPX703",
            ..UrlCheckOptions::default()
        };
        let bad = fixture(code, "bad.ipxe");
        let good = fixture(code, "good.ipxe");
        let inputs = [UrlInput {
            path: "bad.ipxe",
            src: &bad,
        }];
        let diagnostics = check_urls_with_lookup(&inputs, &options, lookup(server.addr)).remove(0);
        let index = LineIndex::new(&bad);
        let got: BTreeSet<(String, u32, u32)> = diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| {
                let p = index.line_col(&bad, d.span.start);
                (d.code.to_string(), p.line, p.column)
            })
            .collect();
        let want = expected(&String::from_utf8_lossy(&bad));
        assert!(!want.is_empty(), "{code}: bad.ipxe declares no finding");
        if got != want {
            failures.push(format!(
                "{code}: bad.ipxe expected {want:?}, got {got:?}: {diagnostics:#?}"
            ));
        }
        let inputs = [UrlInput {
            path: "good.ipxe",
            src: &good,
        }];
        let quiet: Vec<String> = check_urls_with_lookup(&inputs, &options, lookup(server.addr))
            .remove(0)
            .into_iter()
            .filter(|d| d.code == code)
            .map(|d| d.message)
            .collect();
        if !quiet.is_empty() {
            failures.push(format!("{code}: good.ipxe should be clean, got {quiet:?}"));
        }
        let metas: Vec<RuleMeta> = Vec::new();
        let mut out = Vec::new();
        let reports = [FileReport {
            path: "bad.ipxe",
            src: &bad,
            diagnostics: &diagnostics,
        }];
        render(
            &mut out,
            OutputFormat::Human,
            &reports,
            &metas,
            "test",
            false,
        )
        .unwrap();
        rendered.push(String::from_utf8_lossy(&out).into_owned());
    }
    // `cargo test -- --nocapture` shows what a user reads.
    println!("{}", rendered.join("\n"));
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
