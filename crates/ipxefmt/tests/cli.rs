//! Runs the real `ipxefmt` binary in a temp dir.

use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ipxefmt"))
}

fn temp(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ipxefmt-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("a.ipxe");
    std::fs::write(&path, content).unwrap();
    path
}

const MESSY: &str = "#!ipxe\n  echo   hi  \n:x   goto x\n";
const TIDY: &str = "#!ipxe\necho hi\n:x goto x\n";

#[test]
fn check_exits_1_and_leaves_the_file() {
    let path = temp("check", MESSY);
    let out = bin().arg("--check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("would reformat"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), MESSY);
    let tidy = temp("check-tidy", TIDY);
    let out = bin().arg("--check").arg(&tidy).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn diff_prints_a_unified_diff() {
    let path = temp("diff", MESSY);
    let out = bin().arg("--diff").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(
        diff.contains("-  echo   hi  \n") && diff.contains("+echo hi\n"),
        "{diff}"
    );
}

#[test]
fn formats_in_place_with_indent() {
    let path = temp("write", MESSY);
    let out = bin().args(["--indent", "2"]).arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "#!ipxe\necho hi\n:x goto x\n"
    );
    let path = temp("write2", "#!ipxe\n:x\necho   a\n");
    bin().args(["--indent", "2"]).arg(&path).output().unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "#!ipxe\n:x\n  echo a\n"
    );
}

#[test]
fn config_file_sets_indent() {
    let path = temp("config", "#!ipxe\n:x\necho   a\n");
    std::fs::write(path.parent().unwrap().join(".ipxefmt.toml"), "indent = 3\n").unwrap();
    bin().arg(&path).output().unwrap();
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "#!ipxe\n:x\n   echo a\n"
    );
}

#[test]
fn a_missing_file_is_exit_2_but_others_still_run() {
    let path = temp("missing", MESSY);
    let out = bin()
        .arg("/nonexistent/x.ipxe")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), TIDY);
}
