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

const TUTORIAL: &str = "examples/tutorial/menu.ipxe";

/// A scratch directory for one test, removed by the caller.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ipxesim-cli-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn tutorial_menu_dry_run_boots_debian12() {
    let (code, out) = ipxesim(&[TUTORIAL, "--select", "debian12"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("outcome: boot"), "{out}");
    assert!(
        out.contains("note: 2 URLs were assumed to exist: http://192.168.1.1/images/debian/12/vmlinuz (kernel), http://192.168.1.1/images/debian/12/initrd.gz (data); give --root URL=DIR or --net FILE to check them"),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn dry_run_json_lists_the_assumed_urls_and_the_start() {
    let (code, out) = ipxesim(&[TUTORIAL, "--select", "ubuntu2404", "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["start"], "chained");
    assert_eq!(v["script_url"], "tftp://10.0.2.2/menu.ipxe");
    let assumed: Vec<(String, String)> = v["assumed"]
        .as_array()
        .expect("assumed list")
        .iter()
        .map(|a| {
            (
                a["url"].as_str().unwrap().to_string(),
                a["guess"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        assumed,
        [
            (
                "http://192.168.1.1/images/ubuntu/24.04/vmlinuz".to_string(),
                "kernel".to_string()
            ),
            (
                "http://192.168.1.1/images/ubuntu/24.04/initrd".to_string(),
                "data".to_string()
            ),
        ]
    );
    assert_eq!(v["boot"]["kind"], "linux");
    assert_eq!(v["boot"]["initrds"][0]["name"], "initrd");
    assert_eq!(v["unused_selects"], serde_json::json!([]));
}

#[test]
fn embedded_start_says_why_net0_has_no_address() {
    let (code, out) = ipxesim(&[TUTORIAL, "--select", "debian12", "--start", "embedded"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("start: embedded"), "{out}");
    assert!(
        out.contains("hint: net0 has no IPv4 address: this script never runs `dhcp` or `ifconf`"),
        "{out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn a_script_that_only_opens_net0_is_told_so() {
    let dir = scratch("ifopen");
    let script = dir.join("open.ipxe");
    std::fs::write(
        &script,
        "#!ipxe\nifopen net0\nkernel http://10.0.2.100/vmlinuz\nboot\n",
    )
    .unwrap();
    let (code, out) = ipxesim(&[script.to_str().unwrap(), "--start", "embedded"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("hint: net0 has no IPv4 address: this script opens net0 with `ifopen` (line 2) but never runs `dhcp` or `ifconf` nor sets net0/ip"),
        "{out}"
    );
    // A static address on an open net0 routes, as in iPXE.
    let fixed = dir.join("static.ipxe");
    std::fs::write(
        &fixed,
        "#!ipxe\nifopen net0\nset net0/ip 10.0.2.15\nset net0/netmask 255.255.255.0\nkernel http://boot.example.org/vmlinuz\nboot\n",
    )
    .unwrap();
    let (code, out) = ipxesim(&[fixed.to_str().unwrap(), "--start", "embedded", "--net", NET]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("request: GET http://boot.example.org/vmlinuz"),
        "{out}"
    );
    // Routes skip closed devices (`ipv4_route`): after `ifclose` nothing is reachable.
    let closed = dir.join("closed.ipxe");
    std::fs::write(
        &closed,
        "#!ipxe\nifclose net0\nkernel http://boot.example.org/vmlinuz\nboot\n",
    )
    .unwrap();
    let (code, out) = ipxesim(&[closed.to_str().unwrap(), "--net", NET]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("message: Network unreachable")
            && out.contains("hint: net0 is closed: the script closed it with `ifclose` (line 2)"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_failed_dhcp_is_named_in_the_hint() {
    let dir = scratch("dhcpfail");
    let toml = dir.join("net.toml");
    std::fs::write(&toml, "[dhcp]\nworks = false\nip = \"10.0.2.15\"\n").unwrap();
    let script = dir.join("s.ipxe");
    std::fs::write(
        &script,
        "#!ipxe\ndhcp ||\nchain http://10.0.2.100/boot.ipxe\n",
    )
    .unwrap();
    let (code, out) = ipxesim(&[
        script.to_str().unwrap(),
        "--start",
        "embedded",
        "--net",
        toml.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("hint: net0 has no IPv4 address: `dhcp` failed at line 2 and the script went on without one"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn chained_start_sets_filename_and_the_working_uri() {
    let dir = scratch("chained");
    let script = dir.join("boot.ipxe");
    std::fs::write(
        &script,
        "#!ipxe\necho [${filename}] [${next-server}] [${net0/ip}]\nkernel images/vmlinuz\nboot\n",
    )
    .unwrap();
    let toml = dir.join("net.toml");
    std::fs::write(
        &toml,
        "[dhcp]\nip = \"192.168.1.50\"\nnext-server = \"192.168.1.1\"\n[[http]]\nprefix = \"http://192.168.1.1/\"\nimage = \"linux\"\n",
    )
    .unwrap();
    let (code, out) = ipxesim(&[
        script.to_str().unwrap(),
        "--net",
        toml.to_str().unwrap(),
        "--script-url",
        "http://192.168.1.1/boot.ipxe",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("[http://192.168.1.1/boot.ipxe] [192.168.1.1] [192.168.1.50]"),
        "{out}"
    );
    assert!(
        out.contains("request: GET http://192.168.1.1/images/vmlinuz"),
        "relative to the script's URL: {out}"
    );
    // Without --script-url: the file name on tftp://next-server/, as for a
    // DHCP filename without a scheme.
    let (_, out) = ipxesim(&[
        script.to_str().unwrap(),
        "--net",
        toml.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["script_url"], "tftp://192.168.1.1/boot.ipxe");
    assert_eq!(v["requests"][0]["url"], "tftp://192.168.1.1/images/vmlinuz");
    assert_eq!(
        v["trace"][0]["file"], "boot.ipxe",
        "the trace names the local file"
    );
    // `done = false` in [dhcp], the older spelling, still means embedded;
    // --start overrides it.
    let old = dir.join("old.toml");
    std::fs::write(&old, "[dhcp]\ndone = false\nip = \"10.0.2.15\"\n").unwrap();
    let (_, out) = ipxesim(&[script.to_str().unwrap(), "--net", old.to_str().unwrap()]);
    assert!(out.contains("start: embedded"), "{out}");
    let (_, out) = ipxesim(&[
        script.to_str().unwrap(),
        "--net",
        old.to_str().unwrap(),
        "--start",
        "chained",
    ]);
    assert!(out.contains("start: chained"), "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn script_url_arguments_are_checked() {
    let (code, _) = ipxesim(&["http://192.168.1.1/boot.ipxe"]);
    assert_eq!(code, 2, "a URL SCRIPT needs --net or --root to serve it");
    let (code, _) = ipxesim(&[
        "--net",
        NET,
        "--script-url",
        "http://boot.example.org/a.ipxe",
        "http://boot.example.org/b.ipxe",
    ]);
    assert_eq!(code, 2, "--script-url with a URL SCRIPT");
}

#[test]
fn an_assumed_script_stops_the_run_and_says_so() {
    let dir = scratch("assumed");
    let script = dir.join("s.ipxe");
    std::fs::write(
        &script,
        "#!ipxe\nchain http://192.168.1.1/menus/main.ipxe\necho after\n",
    )
    .unwrap();
    let (code, out) = ipxesim(&[script.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("outcome: unknown-script"), "{out}");
    assert!(
        out.contains("message: http://192.168.1.1/menus/main.ipxe is a script assumed to exist: its content is unknown, so the run stops here"),
        "{out}"
    );
    assert!(!out.contains("after"), "{out}");
    assert!(out.contains("(script)"), "{out}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn all_paths_include_esc_at_each_menu() {
    let (code, out) = ipxesim(&[TUTORIAL, "--all"]);
    assert_eq!(code, 0, "Esc rows do not fail --all: {out}");
    assert!(
        out.contains("<esc> -> failed [Operation canceled (http://ipxe.org/0b2ce0a0)]"),
        "{out}"
    );
    insta::assert_snapshot!(out);
    let (_, out) = ipxesim(&[TUTORIAL, "--all", "--start", "embedded", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&out).expect("json");
    let rows = rows.as_array().expect("rows");
    assert!(rows.iter().all(|r| r["start"] == "embedded"), "{out}");
    let esc = rows
        .iter()
        .find(|r| r["selections"] == serde_json::json!(["<esc>"]))
        .expect("an Esc row");
    assert_eq!(esc["outcome"], "failed");
    let debian = rows
        .iter()
        .find(|r| r["selections"] == serde_json::json!(["debian12"]))
        .expect("a debian12 row");
    assert!(
        debian["hint"]
            .as_str()
            .unwrap_or("")
            .contains("never runs `dhcp`"),
        "{out}"
    );
}

#[test]
fn esc_can_be_given_as_an_answer() {
    let (code, out) = ipxesim(&[
        "--net",
        NET,
        "--select",
        "<esc>",
        "examples/basic-menu.ipxe",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Menu cancelled."), "{out}");
    assert!(out.contains("outcome: shell"), "{out}");
}

#[test]
fn unused_select_answers_are_reported() {
    let (code, out) = ipxesim(&[TUTORIAL, "--select", "debian12", "--select", "extra"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("warning: --select extra was never used: no menu was left to answer it"),
        "{out}"
    );
    let (_, out) = ipxesim(&[
        TUTORIAL, "--select", "memtest", "--select", "a", "--select", "b", "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["unused_selects"], serde_json::json!(["a", "b"]));
}

#[test]
fn a_kernel_that_is_not_a_bzimage_is_explained() {
    let (code, out) = ipxesim(&[TUTORIAL, "--select", "netbootxyz"]);
    assert_eq!(code, 0, "{out}");
    let kernel = out
        .lines()
        .position(|l| l.starts_with("kernel: pxe netboot.xyz.kpxe"))
        .unwrap_or_else(|| panic!("kernel line: {out}"));
    let explanation = out.lines().nth(kernel + 1).unwrap_or("");
    assert!(
        explanation.contains("PXE network bootstrap program")
            && explanation.contains("0000:7c00")
            && explanation.contains("no initrd is passed on"),
        "{out}"
    );
    let (_, out) = ipxesim(&[TUTORIAL, "--select", "debian12", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(
        v["boot"].get("explanation").is_none(),
        "a bzImage needs none"
    );
}

#[test]
fn help_shows_the_first_example() {
    let (code, out) = ipxesim(&["--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("ipxesim examples/tutorial/menu.ipxe --select debian12"),
        "{out}"
    );
    assert!(
        out.contains("--start <CONTEXT>") && out.contains("--script-url <URL>"),
        "{out}"
    );
}
