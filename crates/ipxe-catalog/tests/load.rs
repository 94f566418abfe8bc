//! The embedded data file must parse, and the parser must be strict, so that a broken or
//! mistyped data file fails here rather than in some user's tool.

use ipxe_catalog::{CATALOG_TOML, Catalog};

#[test]
fn embedded_catalog_parses() {
    let parsed = Catalog::from_toml_str(CATALOG_TOML).expect("data/catalog.toml must parse");
    let got = Catalog::get();
    assert_eq!(parsed.commands.len(), got.commands.len());
    assert!(!got.commands.is_empty());
    assert!(!got.settings.is_empty());
    assert!(!got.setting_types.is_empty());
    assert!(!got.schemes.is_empty());
    assert!(!got.image_types.is_empty());
}

#[test]
fn unknown_fields_are_rejected() {
    // A misspelt key in a command must be an error, not silently ignored.
    let typo = CATALOG_TOML.replacen("min_args = ", "min_arg = ", 1);
    assert!(Catalog::from_toml_str(&typo).is_err());
    let extra = CATALOG_TOML.replacen("[[command.arg]]\n", "[[command.arg]]\nrepeats = true\n", 1);
    assert!(Catalog::from_toml_str(&extra).is_err());
}

#[test]
fn unknown_enum_values_are_rejected() {
    let bad = CATALOG_TOML.replacen("role = \"label\"", "role = \"lable\"", 1);
    assert_ne!(bad, CATALOG_TOML);
    assert!(Catalog::from_toml_str(&bad).is_err());
}

#[test]
fn meta_names_the_commits_read() {
    let m = &Catalog::get().meta;
    for c in [&m.ipxe_commit, &m.old_commit] {
        assert_eq!(c.len(), 40, "{c}");
        assert!(c.chars().all(|ch| ch.is_ascii_hexdigit()), "{c}");
    }
    assert!(m.old_commit.starts_with("36a4c85f911c"));
    assert!(
        m.ipxe_describe.ends_with(&m.ipxe_commit[..9]),
        "{}",
        m.ipxe_describe
    );
}
