//! One fixture pair per rule, as in `ipxe-lint`: `tests/fixtures/<CODE>/bad.conf`
//! must give exactly the findings its `# expect: <CODE> @ <line>:<column>`
//! comments declare, and `good.conf` none of that code. A `# tftp: a b/c`
//! comment gives the rules a TFTP root holding those (empty) files. The
//! human rendering of every bad fixture is snapshotted.

use std::path::{Path, PathBuf};

use ipxe_dhcp_config::isc::IscConfig;
use ipxe_dhcp_config::{DnsmasqConfig, MemFs};
use ipxe_dhcp_lint::{Cx, Selection, TftpRoot, lint, rule_metas, rules};
use ipxe_diagnostics::{FileReport, LineIndex, OutputFormat, render};

fn fixture(code: &str, name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(code)
        .join(name);
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("rule {code} needs the fixture {}: {e}", path.display()))
}

fn expected(src: &str) -> Vec<(String, u32, u32)> {
    let mut want: Vec<_> = src
        .lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|e| {
            let (code, pos) = e.split_once(" @ ").expect("`# expect: CODE @ L:C`");
            let (line, col) = pos.trim().split_once(':').expect("L:C");
            (
                code.trim().to_string(),
                line.parse().expect("line"),
                col.parse().expect("column"),
            )
        })
        .collect();
    want.sort();
    want
}

fn tftp_files(src: &str) -> Option<MemFs> {
    let line = src.lines().find_map(|l| l.strip_prefix("# tftp: "))?;
    let mut fs = MemFs::default();
    for name in line.split_whitespace() {
        fs = fs.with(&format!("/tftp/{name}"), "placeholder\n");
    }
    Some(fs)
}

/// Lints a fixture with only `code` enabled; findings with line and column.
fn run(
    code: &str,
    name: &str,
    src: &[u8],
) -> (Vec<ipxe_diagnostics::Diagnostic>, Vec<(String, u32, u32)>) {
    let text = String::from_utf8_lossy(src);
    let config = DnsmasqConfig::parse_str(name, src);
    let isc = IscConfig::parse(name, src);
    let fs = tftp_files(&text);
    let tftp = fs.as_ref().map(|fs| TftpRoot {
        dir: PathBuf::from("/tftp"),
        fs,
        given: true,
    });
    // `isc-*.conf` fixtures are ISC dhcpd files.
    let cx = if name.starts_with("isc-") {
        Cx::new_isc(&isc, tftp)
    } else {
        Cx::new(&config, tftp)
    };
    let selection = Selection {
        select: vec![code.to_string()],
        ignore: Vec::new(),
    };
    let found = lint(&cx, &selection).into_iter().next().unwrap_or_default();
    let index = LineIndex::new(src);
    let mut got: Vec<_> = found
        .iter()
        .map(|d| {
            let at = index.line_col(src, d.span.start);
            (d.code.to_string(), at.line, at.column)
        })
        .collect();
    got.sort();
    (found, got)
}

#[test]
fn every_rule_has_fixtures_that_behave() {
    let mut failures = Vec::new();
    for entry in rules() {
        let code = entry.rule.code;
        let bad = fixture(code, "bad.conf");
        let want = expected(&String::from_utf8_lossy(&bad));
        if want.is_empty() {
            failures.push(format!("{code}: bad.conf declares no `# expect:` finding"));
        }
        let (found, got) = run(code, "bad.conf", &bad);
        if got != want {
            failures.push(format!(
                "{code}: bad.conf\n  want {want:?}\n  got  {got:?}\n  {found:#?}"
            ));
        }
        let good = fixture(code, "good.conf");
        let (found, _) = run(code, "good.conf", &good);
        if !found.is_empty() {
            failures.push(format!("{code}: good.conf has findings: {found:#?}"));
        }
        // ISC dhcpd fixtures, for the rules that also read dhcpd files.
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(code);
        if dir.join("isc-bad.conf").is_file() {
            let bad = fixture(code, "isc-bad.conf");
            let want = expected(&String::from_utf8_lossy(&bad));
            let (found, got) = run(code, "isc-bad.conf", &bad);
            if got != want || want.is_empty() {
                failures.push(format!(
                    "{code}: isc-bad.conf\n  want {want:?}\n  got  {got:?}\n  {found:#?}"
                ));
            }
            let (found, _) = run(code, "isc-good.conf", &fixture(code, "isc-good.conf"));
            if !found.is_empty() {
                failures.push(format!("{code}: isc-good.conf has findings: {found:#?}"));
            }
        }
        let mut out = Vec::new();
        let reports = [FileReport {
            path: "bad.conf",
            src: &bad,
            diagnostics: &run(code, "bad.conf", &bad).0,
        }];
        render(
            &mut out,
            OutputFormat::Human,
            &reports,
            &rule_metas(),
            "test",
            false,
        )
        .expect("render");
        insta::assert_snapshot!(format!("{code}-bad"), String::from_utf8_lossy(&out));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_is_documented() {
    for entry in rules() {
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## References",
        ] {
            assert!(
                entry.doc.contains(section),
                "{}: documentation lacks `{section}`",
                entry.rule.code
            );
        }
        assert!(entry.rule.code.starts_with("DHCP"), "{}", entry.rule.code);
    }
    let mut codes: Vec<_> = rules().iter().map(|r| r.rule.code).collect();
    codes.dedup();
    assert_eq!(codes.len(), rules().len(), "duplicate codes");
}

#[test]
fn generated_docs_are_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/dhcp-rules.md");
    let want = ipxe_dhcp_lint::rules_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).expect("write docs/dhcp-rules.md");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/dhcp-rules.md is stale: run `UPDATE_DOCS=1 cargo test -p ipxe-dhcp-lint --test rules`"
    );
}
