//! Runs the real `ipxesim` binary: snapshots of text and JSON output, and
//! the exit-status mapping.

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ipxesim(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ipxesim"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("run ipxesim");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

const NET: &str = "examples/net.toml";

#[test]
fn text_output_for_a_menu_selection() {
    let (code, out) = ipxesim(&[
        "--net",
        NET,
        "--select",
        "debian",
        "examples/basic-menu.ipxe",
    ]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn json_output_for_a_menu_selection() {
    let (code, out) = ipxesim(&[
        "--net",
        NET,
        "--select",
        "linux",
        "--format",
        "json",
        "examples/bios-uefi.ipxe",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["outcome"], "boot");
    insta::assert_snapshot!(out);
}

#[test]
fn all_paths_as_text() {
    let (code, out) = ipxesim(&["--net", NET, "--all", "examples/basic-menu.ipxe"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn exit_codes() {
    let dir = std::env::temp_dir().join(format!("ipxesim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let failing = dir.join("fail.ipxe");
    std::fs::write(&failing, "#!ipxe\nfrobnicate\n").unwrap();
    let (code, out) = ipxesim(&[failing.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("frobnicate: command not found") && out.contains("outcome: failed"),
        "{out}"
    );
    let (code, _) = ipxesim(&[
        "--select",
        "nosuch",
        "--net",
        NET,
        "examples/basic-menu.ipxe",
    ]);
    assert_eq!(code, 2, "an answer naming no item is a usage error");
    let (code, _) = ipxesim(&["/nonexistent/script.ipxe"]);
    assert_eq!(code, 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
