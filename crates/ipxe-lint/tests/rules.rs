//! One fixture pair per rule: `tests/fixtures/<CODE>/bad.ipxe` must give
//! exactly the findings its `# expect: <CODE> @ <line>:<column>` comments
//! declare, and `good.ipxe` none of that code. A `# target: bin/…` comment
//! lints against that build instead of the default pair; `# also: CODE,…`
//! enables other rules the fixture interacts with. The human and JSON
//! renderings of every bad fixture are snapshotted.

use std::collections::BTreeSet;
use std::path::Path;

use ipxe_diagnostics::{FileReport, LineIndex, OutputFormat, render};
use ipxe_lint::{LintOptions, lint_source, rule_metas, rules};
use ipxe_semantics::BuildProfile;

fn options_for(code: &str, src: &str) -> LintOptions {
    let mut select = vec![code.to_string()];
    // `# also: IPX201` enables other rules the fixture interacts with.
    for also in src.lines().filter_map(|l| l.strip_prefix("# also: ")) {
        select.extend(also.split(',').map(|c| c.trim().to_string()));
    }
    let mut options = LintOptions {
        select,
        ..LintOptions::default()
    };
    let targets: Vec<BuildProfile> = src
        .lines()
        .filter_map(|l| l.strip_prefix("# target: "))
        .map(|t| BuildProfile::from_target(t.trim()).expect("fixture target"))
        .collect();
    if !targets.is_empty() {
        options.profiles = targets;
        options.explicit_target = true;
    }
    options
}

fn expected(src: &str) -> BTreeSet<(String, u32, u32)> {
    src.lines()
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
        .collect()
}

fn fixture(code: &str, name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(code)
        .join(name);
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("rule {code} needs the fixture {}: {e}", path.display()))
}

/// URL-check rules (IPX7xx) are reported by the `ipxe-urlcheck` crate, which
/// needs a live HTTP server: their fixtures in `tests/fixtures/IPX7xx/` are
/// exercised by `crates/ipxe-urlcheck/tests/fixtures.rs` instead.
fn checked_elsewhere(entry: &ipxe_lint::RuleEntry) -> bool {
    matches!(entry.rule.check, ipxe_lint::Check::Engine) && entry.rule.code.starts_with("IPX7")
}

#[test]
fn every_rule_has_fixtures_that_behave() {
    let mut failures = Vec::new();
    for entry in rules().into_iter().filter(|e| !checked_elsewhere(e)) {
        let code = entry.rule.code;
        let bad = fixture(code, "bad.ipxe");
        let good = fixture(code, "good.ipxe");
        let bad_text = String::from_utf8_lossy(&bad);
        let want = expected(&bad_text);
        if want.is_empty() {
            failures.push(format!("{code}: bad.ipxe declares no `# expect:` finding"));
        }
        let diagnostics = lint_source("bad.ipxe", &bad, &options_for(code, &bad_text));
        let index = LineIndex::new(&bad);
        let got: BTreeSet<(String, u32, u32)> = diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| {
                let p = index.line_col(&bad, d.span.start);
                (d.code.to_string(), p.line, p.column)
            })
            .collect();
        if got != want {
            failures.push(format!("{code}: bad.ipxe expected {want:?}, got {got:?}"));
        }
        let good_text = String::from_utf8_lossy(&good);
        let good_findings: Vec<_> = lint_source("good.ipxe", &good, &options_for(code, &good_text))
            .into_iter()
            .filter(|d| d.code == code)
            .map(|d| format!("{}@{:?}: {}", d.code, d.span, d.message))
            .collect();
        if !good_findings.is_empty() {
            failures.push(format!(
                "{code}: good.ipxe should be clean, got {good_findings:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn rendered_findings_snapshots() {
    let metas = rule_metas();
    for entry in rules().into_iter().filter(|e| !checked_elsewhere(e)) {
        let code = entry.rule.code;
        let bad = fixture(code, "bad.ipxe");
        let text = String::from_utf8_lossy(&bad);
        let diagnostics = lint_source("bad.ipxe", &bad, &options_for(code, &text));
        let reports = [FileReport {
            path: "bad.ipxe",
            src: &bad,
            diagnostics: &diagnostics,
        }];
        let mut human = Vec::new();
        render(
            &mut human,
            OutputFormat::Human,
            &reports,
            &metas,
            "test",
            false,
        )
        .unwrap();
        let mut json = Vec::new();
        render(
            &mut json,
            OutputFormat::Json,
            &reports,
            &metas,
            "test",
            false,
        )
        .unwrap();
        let snapshot = format!(
            "{}\n---- json ----\n{}",
            String::from_utf8_lossy(&human),
            String::from_utf8_lossy(&json)
        );
        insta::assert_snapshot!(code, snapshot);
    }
}

#[test]
fn every_rule_documents_what_why_and_example() {
    for entry in rules() {
        for section in ["## What it does", "## Why is this bad?", "## Example"] {
            assert!(
                entry.doc.contains(section),
                "{} ({}) lacks `{section}`",
                entry.rule.code,
                entry.file
            );
        }
        assert!(
            entry.rule.code.starts_with("IPX") && entry.rule.code.len() == 6,
            "{}",
            entry.rule.code
        );
    }
    let mut codes: Vec<_> = rules().iter().map(|r| r.rule.code).collect();
    codes.dedup();
    assert_eq!(codes.len(), rules().len(), "rule codes are unique");
    let mut names: Vec<_> = rules().iter().map(|r| r.rule.name).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), rules().len(), "rule names are unique");
}

#[test]
fn generated_rule_docs_are_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = ipxe_lint::rules_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    assert!(
        current == generated,
        "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test -p ipxe-lint --test rules`"
    );
}
