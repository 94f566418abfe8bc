//! Runs the real `ipxefmt` binary in a temp dir.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

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

/// Runs the binary with a time limit, killed by PID when it is reached.
fn run_bounded(command: &mut Command) -> Output {
    let mut child = command
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("ipxefmt (pid {}) ran for over 60 s", child.id());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Issue 14: the project's own examples are formatted already (their
/// hand-aligned `item` columns are kept), and a directory is accepted.
#[test]
fn check_passes_on_the_examples_directory() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let out = run_bounded(bin().arg("--check").arg(&examples));
    assert_eq!(
        out.status.code(),
        Some(0),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

/// A directory stands for the scripts in it, found as `ipxelint` finds them:
/// `--check` lists the ones that would change and exits 1; without it they
/// are formatted in place, and other files are left alone.
#[test]
fn directories_are_walked_like_ipxelint_does() {
    let dir = std::env::temp_dir().join(format!("ipxefmt-{}-dir", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::create_dir_all(dir.join(".hidden")).unwrap();
    let messy = [
        dir.join("a.ipxe"),
        dir.join("sub/boot.cfg"), // found by its signature
    ];
    for path in &messy {
        std::fs::write(path, MESSY).unwrap();
    }
    std::fs::write(dir.join("sub/tidy.ipxe"), TIDY).unwrap();
    std::fs::write(dir.join("notes.txt"), "echo   not   a   script\n").unwrap();
    std::fs::write(dir.join(".hidden/x.ipxe"), MESSY).unwrap();

    let out = run_bounded(bin().arg("--check").arg(&dir));
    assert_eq!(out.status.code(), Some(1));
    let listed = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    for (line, path) in lines.iter().zip(&messy) {
        assert_eq!(*line, format!("would reformat {}", path.display()));
    }
    assert_eq!(std::fs::read_to_string(&messy[0]).unwrap(), MESSY);

    let out = run_bounded(bin().arg(&dir));
    assert_eq!(out.status.code(), Some(0));
    for path in &messy {
        assert_eq!(std::fs::read_to_string(path).unwrap(), TIDY);
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "echo   not   a   script\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(".hidden/x.ipxe")).unwrap(),
        MESSY
    );
    let out = run_bounded(bin().arg("--check").arg(&dir));
    assert_eq!(out.status.code(), Some(0));

    let missing = run_bounded(
        bin()
            .arg("--check")
            .arg(dir.join("sub"))
            .arg(dir.join("nope")),
    );
    assert_eq!(missing.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}
