//! The editor grammar (`grammar/ipxe.tmLanguage.json`) is valid JSON and its
//! command keyword list is exactly the catalogue's commands.

use std::collections::BTreeSet;
use std::path::Path;

use ipxe_catalog::Catalog;

#[test]
fn textmate_command_list_matches_the_catalogue() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../grammar/ipxe.tmLanguage.json");
    let text = std::fs::read_to_string(&path).expect("grammar/ipxe.tmLanguage.json");
    let grammar: serde_json::Value =
        serde_json::from_str(&text).expect("the TextMate grammar is valid JSON");
    assert_eq!(grammar["scopeName"], "source.ipxe");
    let pattern = grammar["repository"]["command-names"]["match"]
        .as_str()
        .expect("repository.command-names.match");
    // The one capture group that is not a lookaround: `(a|b|c)`.
    let start = pattern
        .find("(a")
        .or_else(|| pattern.find("(autoboot"))
        .expect("the alternation");
    let end = start + pattern[start..].find(')').expect("closing parenthesis");
    let in_grammar: BTreeSet<&str> = pattern[start + 1..end].split('|').collect();
    let in_catalogue: BTreeSet<&str> = Catalog::get().command_names().collect();
    let missing: Vec<_> = in_catalogue.difference(&in_grammar).collect();
    let extra: Vec<_> = in_grammar.difference(&in_catalogue).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "grammar lacks {missing:?}, has extra {extra:?}"
    );
}
