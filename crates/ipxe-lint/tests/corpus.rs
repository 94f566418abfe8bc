//! The real-world corpus (read in place from `../shared/corpus`): linting it
//! never panics, and every error-severity finding is a real bug listed with
//! its reason in `tests/corpus_errors.tsv`. A finding not listed there is a
//! false positive to fix in the rule, not to add to the list.
//!
//! Files of one repository are linted together, as `ipxelint DIR` would:
//! chained scripts share settings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use ipxe_diagnostics::{LineIndex, Severity};
use ipxe_lint::{LintOptions, SourceInput, lint_files};

fn listed() -> BTreeSet<(String, String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_errors.tsv");
    let text = std::fs::read_to_string(&path).expect("tests/corpus_errors.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            assert!(
                fields.len() == 4 && !fields[3].trim().is_empty(),
                "file, line:col, code and a reason: {l:?}"
            );
            (
                fields[0].to_string(),
                fields[1].to_string(),
                fields[2].to_string(),
            )
        })
        .collect()
}

#[test]
#[ignore = "needs the real-world corpus: ../shared/corpus beside the checkout, or IPXE_SHARED_CORPUS"]
fn corpus_errors_are_all_real_bugs() {
    let files = ipxe_test_support::shared_corpus();
    let mut by_repo: BTreeMap<String, Vec<&(String, Vec<u8>)>> = BTreeMap::new();
    for file in &files {
        let repo = file.0.split('/').next().unwrap_or_default().to_string();
        by_repo.entry(repo).or_default().push(file);
    }
    let options = LintOptions::default();
    let mut found = BTreeSet::new();
    let mut total = 0;
    for group in by_repo.values() {
        let inputs: Vec<SourceInput<'_>> = group
            .iter()
            .map(|(path, src)| SourceInput {
                path: path.clone(),
                src,
                ignore: Vec::new(),
            })
            .collect();
        for (input, diagnostics) in inputs.iter().zip(lint_files(&inputs, &options)) {
            total += diagnostics.len();
            let index = LineIndex::new(input.src);
            for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
                let p = index.line_col(input.src, d.span.start);
                found.insert((
                    input.path.clone(),
                    format!("{}:{}", p.line, p.column),
                    d.code.to_string(),
                ));
            }
        }
    }
    let listed = listed();
    let unexpected: Vec<_> = found.difference(&listed).collect();
    let missing: Vec<_> = listed.difference(&found).collect();
    assert!(
        unexpected.is_empty() && missing.is_empty(),
        "{total} findings in all.\nerror findings not listed as real bugs (false positives to fix, or real bugs to list with a reason):\n{}\nlisted but no longer found:\n{}",
        unexpected
            .iter()
            .map(|(f, p, c)| format!("{f}\t{p}\t{c}"))
            .collect::<Vec<_>>()
            .join("\n"),
        missing
            .iter()
            .map(|(f, p, c)| format!("{f}\t{p}\t{c}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );
}
