//! The catalogue must cover exactly the commands iPXE registers (`data/ipxe-commands.txt`,
//! extracted from the source by the command named in its header).

use ipxe_catalog::Catalog;
use std::collections::BTreeSet;

const LIST: &str = include_str!("../data/ipxe-commands.txt");

fn listed() -> Vec<&'static str> {
    LIST.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

#[test]
fn catalogue_commands_equal_extracted_list() {
    let want: BTreeSet<&str> = listed().into_iter().collect();
    let have: BTreeSet<&str> = Catalog::get().command_names().collect();
    let missing: Vec<_> = want.difference(&have).collect();
    let extra: Vec<_> = have.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing from catalog.toml: {missing:?}\nnot registered by iPXE: {extra:?}"
    );
}

#[test]
fn extracted_list_is_sorted_unique_and_from_the_catalogued_commit() {
    let names = listed();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(names, sorted);
    let header = LIST.lines().next().unwrap();
    assert!(
        header.starts_with("# extracted from ipxe/ipxe "),
        "{header}"
    );
    assert!(
        header.contains(&Catalog::get().meta.ipxe_commit),
        "list and catalogue were read from different commits: {header}"
    );
}
