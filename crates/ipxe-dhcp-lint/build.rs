//! Generates the rule registry from the rule files, as `ipxe-lint` does: every
//! `src/rules/<group>/<name>.rs` becomes a module, and its leading `//!` lines
//! become the rule's documentation (used by `--explain` and the generated docs).

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read at run time: a build script compiled in another checkout (a
    // shared target directory) must still read this checkout's rules.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let manifest_dir = Path::new(&manifest_dir);
    let root = manifest_dir.join("src/rules");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for group in std::fs::read_dir(&root).expect("src/rules") {
        let group = group.expect("entry").path();
        if !group.is_dir() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", group.display());
        for file in std::fs::read_dir(&group).expect("rule group") {
            let file = file.expect("entry").path();
            if file.extension().is_some_and(|e| e == "rs") {
                files.push(file);
            }
        }
    }
    files.sort();
    let mut out = String::new();
    let mut entries = String::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let group = file
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .expect("group name");
        let stem = file
            .file_stem()
            .and_then(|n| n.to_str())
            .expect("file name");
        let module = format!("{group}__{stem}");
        let text = std::fs::read_to_string(file).expect("rule file");
        let doc: String = text
            .lines()
            .take_while(|l| l.starts_with("//!"))
            .map(|l| {
                let l = l.trim_start_matches("//!");
                format!("{}\n", l.strip_prefix(' ').unwrap_or(l))
            })
            .collect();
        writeln!(
            out,
            "#[path = {:?}]\n#[allow(non_snake_case)]\nmod {module};",
            file.display().to_string()
        )
        .unwrap();
        let relative = file.strip_prefix(manifest_dir).unwrap_or(file);
        writeln!(
            entries,
            "    RuleEntry {{ rule: &{module}::RULE, group: {group:?}, doc: {doc:?}, file: {:?} }},",
            relative.display().to_string()
        )
        .unwrap();
    }
    writeln!(out, "\n/// Every rule, in file order (see `crate::rules()` for code order).\npub(crate) static RULE_ENTRIES: &[RuleEntry] = &[\n{entries}];").unwrap();
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("registry.rs");
    std::fs::write(dest, out).expect("write registry");
}
