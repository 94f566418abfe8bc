//! Our examples are the showcase: they lint clean at every severity, with
//! only the suppressions they carry (and explain) themselves.
//! `examples/tutorial/` is left out: it reproduces a popular tutorial's menu
//! with its bugs on purpose (see its README), so it is meant to have findings.

use ipxe_lint::{LintOptions, SourceInput, lint_files};

/// Deliberately buggy: excluded from the clean check.
const TUTORIAL: &str = "examples/tutorial/";

#[test]
fn examples_lint_clean() {
    let files: Vec<_> = ipxe_test_support::own_scripts()
        .into_iter()
        .filter(|(name, _)| name.starts_with("examples/") && !name.starts_with(TUTORIAL))
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

#[test]
fn the_tutorial_menu_keeps_its_bugs() {
    let files: Vec<_> = ipxe_test_support::own_scripts()
        .into_iter()
        .filter(|(name, _)| name.starts_with(TUTORIAL))
        .collect();
    assert!(!files.is_empty(), "examples/tutorial/menu.ipxe exists");
    for (name, src) in &files {
        let input = [SourceInput {
            path: name.clone(),
            src,
            ignore: Vec::new(),
        }];
        let found = lint_files(&input, &LintOptions::default()).remove(0);
        assert!(
            !found.is_empty(),
            "{name} is excluded from the clean check because it has findings; it has none now"
        );
        // The tutorial's own menu bug: menu-timeout and menu-default are set,
        // and the bare `choose` never reads them.
        let unused: Vec<_> = found
            .iter()
            .filter(|d| d.code == "IPX407" && d.severity.as_str() == "warning")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(unused.len(), 2, "{name}: {unused:?}");
        assert!(
            unused.iter().any(|m| m.contains("never times out")),
            "{unused:?}"
        );
    }
}
