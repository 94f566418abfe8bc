//! `ipxelint`'s engine: rules over the semantic model of iPXE scripts.
//!
//! Each rule is one file under `src/rules/<group>/`, holding its documentation
//! (the leading `//!` lines), its [`Rule`] metadata and its check. `build.rs`
//! collects them, so the rule list, `--explain`, the generated docs and the
//! language server all read the same text.
//!
//! Checks come in two kinds: line checks run while the file streams by (so a
//! 50 MB script never needs its whole tree in memory), and file checks run on
//! the compact [`ipxe_semantics::FileModel`] once every file of the run has
//! been read (labels are per file, settings are shared by chained scripts).

mod config;
mod engine;
mod prelude;
mod rule;
mod suppress;
pub mod util;

pub use config::{
    Config, ConfigError, UnknownCode, absolute_path, check_code, check_selector, find_config,
    register_external_codes,
};
pub use engine::{
    LintCache, LintOptions, OptionOverrides, SourceInput, filter_external, lint_files,
    lint_files_cached, lint_source,
};
pub use rule::{
    Check, FileCx, FixAvailability, LineCx, ProjectFacts, ProjectFile, Rule, RuleEntry, Sink,
};

pub use ipxe_diagnostics::{Diagnostic, Severity};

include!(concat!(env!("OUT_DIR"), "/registry.rs"));

/// All rules, sorted by code.
pub fn rules() -> Vec<&'static RuleEntry> {
    let mut rules: Vec<&RuleEntry> = RULE_ENTRIES.iter().collect();
    rules.sort_by_key(|r| r.rule.code);
    rules
}

/// The rule with this code or name.
pub fn rule(code_or_name: &str) -> Option<&'static RuleEntry> {
    RULE_ENTRIES
        .iter()
        .find(|r| r.rule.code.eq_ignore_ascii_case(code_or_name) || r.rule.name == code_or_name)
}

/// What renderers need to know about every rule.
pub fn rule_metas() -> Vec<ipxe_diagnostics::RuleMeta> {
    rules().iter().map(|r| r.meta()).collect()
}

/// The Markdown page documenting every rule (committed as `docs/rules.md`; a
/// test fails when it is stale).
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# ipxelint rules\n\n<!-- Generated from crates/ipxe-lint/src/rules by `ipxelint --generate-docs`; do not edit. -->\n\n| code | name | severity | fix | summary |\n|---|---|---|---|---|\n",
    );
    for r in rules() {
        out.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} | {} |\n",
            r.rule.code,
            r.rule.code.to_lowercase(),
            r.rule.name,
            r.rule.severity.as_str(),
            r.rule.fix.as_str(),
            r.rule.summary
        ));
    }
    for r in rules() {
        out.push_str(&format!("\n## {}\n\n", r.rule.code));
        out.push_str(&r.explain());
    }
    out
}
