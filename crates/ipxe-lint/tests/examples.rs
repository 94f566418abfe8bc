//! Our examples are the showcase: they lint clean at every severity, with
//! only the suppressions they carry (and explain) themselves.

use ipxe_lint::{LintOptions, SourceInput, lint_files};

#[test]
fn examples_lint_clean() {
    let files: Vec<_> = ipxe_test_support::own_scripts()
        .into_iter()
        .filter(|(name, _)| name.starts_with("examples/"))
        .collect();
    assert!(files.len() >= 5, "the five scenario examples");
    for (name, src) in &files {
        let input = [SourceInput {
            path: name.clone(),
            src,
            ignore: Vec::new(),
        }];
        let found = lint_files(&input, &LintOptions::default()).remove(0);
        let shown: Vec<String> = found
            .iter()
            .map(|d| {
                format!(
                    "{}@{:?} {}: {}",
                    d.code,
                    d.span,
                    d.severity.as_str(),
                    d.message
                )
            })
            .collect();
        assert!(shown.is_empty(), "{name}:\n{}", shown.join("\n"));
    }
}
