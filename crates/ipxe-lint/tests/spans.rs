//! The span invariant of `ipxe-diagnostics`, over every rule: scripts made
//! from the rules' own bad fixtures, salted with non-ASCII characters and
//! invalid UTF-8, give findings whose spans lie in the source and cut no
//! character of a valid UTF-8 line; and every output format renders them
//! without panicking.

use std::path::Path;

use ipxe_diagnostics::{
    Diagnostic, EVERY_FORMAT, FileReport, LineIndex, OutputFormat, cuts_a_character, render,
};
use ipxe_lint::{LintOptions, lint_source, rule_metas, rules};
use proptest::prelude::*;

/// Every rule's bad fixture: together they reach every rule.
fn fixtures() -> &'static [Vec<u8>] {
    static FIXTURES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    FIXTURES.get_or_init(|| {
        rules()
            .iter()
            .map(|entry| {
                let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/fixtures")
                    .join(entry.rule.code)
                    .join("bad.ipxe");
                std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            })
            .collect()
    })
}

/// What gets inserted: multi-byte characters (alone and where options,
/// labels and settings are read), invalid bytes, a BOM, line separators.
const SALT: &[&[u8]] = &[
    "é".as_bytes(),
    "→".as_bytes(),
    "😀".as_bytes(),
    "-é".as_bytes(),
    " -é".as_bytes(),
    " -→ x".as_bytes(),
    " --é".as_bytes(),
    ":é".as_bytes(),
    "${é}".as_bytes(),
    "\u{feff}".as_bytes(),
    "\u{2028}".as_bytes(),
    "\u{85}".as_bytes(),
    b"\xff",
    b"\xc3",
    b"\xa9",
    b"\xe2\x86",
    b"\r",
    b"\\\n",
    b"\t",
    b" ",
    b"\n",
];

fn script() -> impl Strategy<Value = Vec<u8>> {
    let count = fixtures().len();
    (
        0..count,
        prop::collection::vec((any::<prop::sample::Index>(), 0..SALT.len()), 0..8),
    )
        .prop_map(|(which, salt)| {
            let mut src = fixtures()[which].clone();
            for (at, what) in salt {
                let at = at.index(src.len() + 1);
                src.splice(at..at, SALT[what].iter().copied());
            }
            src
        })
}

fn spans(d: &Diagnostic) -> Vec<ipxe_diagnostics::Span> {
    let mut spans = vec![d.span];
    spans.extend(d.related.iter().map(|(span, _)| *span));
    spans.extend(d.fix.iter().flat_map(|f| f.edits.iter().map(|e| e.span)));
    spans
}

fn check(src: &[u8]) -> Result<(), TestCaseError> {
    let diagnostics = lint_source("fuzz.ipxe", src, &LintOptions::default());
    let index = LineIndex::new(src);
    for d in &diagnostics {
        for span in spans(d) {
            prop_assert!(
                span.start <= span.end && span.end as usize <= src.len(),
                "{d:?} lies outside the source"
            );
            for offset in [span.start, span.end] {
                prop_assert!(
                    !cuts_a_character(src, &index, offset),
                    "{} cuts a character at byte {offset}: {d:?}",
                    d.code
                );
            }
        }
    }
    let reports = [FileReport {
        path: "fuzz.ipxe",
        src,
        diagnostics: &diagnostics,
    }];
    let metas = rule_metas();
    for (format, color) in EVERY_FORMAT {
        let mut out = Vec::new();
        render(&mut out, format, &reports, &metas, "test", color).unwrap();
        prop_assert!(
            diagnostics.is_empty() || !out.is_empty(),
            "{format:?} wrote nothing"
        );
        if matches!(format, OutputFormat::Json | OutputFormat::Sarif) {
            let parsed: Result<serde_json::Value, _> = serde_json::from_slice(&out);
            prop_assert!(parsed.is_ok(), "{format:?} is not JSON: {parsed:?}");
        }
    }
    Ok(())
}

/// The scripts of issue 17, which panicked in the human output.
#[test]
fn issue_17_scripts() {
    for src in [
        "#!ipxe\necho -é\n".as_bytes(),
        "\u{feff}#!ipxe\nchain -\n".as_bytes(),
        "#!ipxe\nimgfetch -→ x\n".as_bytes(),
        "#!ipxe\nkernel -é x\n".as_bytes(),
    ] {
        check(src).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn findings_keep_characters_whole_and_render(src in script()) {
        check(&src)?;
    }
}
