//! `ipxelint` on DHCP server configurations (dnsmasq), run as the real binary.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ipxelint"))
        .current_dir(repo())
        .args(args)
        .output()
        .expect("run ipxelint");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ipxelint-dhcp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// (code, line) of each finding in gcc format output.
fn findings(stdout: &str) -> Vec<(String, u32)> {
    stdout
        .lines()
        .filter_map(|l| {
            let mut parts = l.splitn(4, ':');
            let _path = parts.next()?;
            let line = parts.next()?.parse().ok()?;
            let rest = l.split_once('[')?.1;
            Some((rest.split(']').next()?.to_string(), line))
        })
        .collect()
}

#[test]
fn the_tutorial_config_loops_on_its_last_dhcp_boot_line() {
    let (code, out, err) = run(&[
        "--format",
        "gcc",
        "--tftp-root",
        "examples/tutorial/tftp",
        "examples/tutorial/dnsmasq.conf",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let found = findings(&out);
    assert!(found.contains(&("DHCP101".into(), 18)), "{out}");
    assert!(found.contains(&("DHCP102".into(), 16)), "{out}");
    assert!(
        out.starts_with("examples/tutorial/dnsmasq.conf:18:1:")
            || out.contains("dnsmasq.conf:18:1: error: chainload loop"),
        "{out}"
    );
}

#[test]
fn the_fixed_tutorial_config_is_clean() {
    for extra in [&["--tftp-root", "examples/tutorial/tftp"][..], &[][..]] {
        let mut args = vec!["--severity", "info"];
        args.extend_from_slice(extra);
        args.push("examples/tutorial/dnsmasq-fixed.conf");
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("no findings"), "{out}");
    }
}

#[test]
fn dhcp_flag_tftp_root_includes_and_suppressions() {
    let dir = temp("flag");
    std::fs::write(
        dir.join("boot.cfg"),
        "conf-file=more.cfg\n# ipxelint disable=DHCP102\ndhcp-boot=first.kpxe\ndhcp-boot=undionly.kpxe\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("more.cfg"),
        "pxe-service=X86-64_EFI,\"iPXE\",ipxe\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("tftp")).unwrap();
    std::fs::write(dir.join("tftp/undionly.kpxe"), "placeholder").unwrap();
    let cfg = dir.join("boot.cfg");
    let root = dir.join("tftp");
    let (code, out, err) = run(&[
        "--format",
        "gcc",
        "--dhcp",
        cfg.to_str().unwrap(),
        "--tftp-root",
        root.to_str().unwrap(),
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 1, "{out}{err}");
    let found = findings(&out);
    // The loop is reported, the shadowed line is silenced by its comment,
    // and the included file's finding is shown under its own path.
    assert!(found.contains(&("DHCP101".into(), 4)), "{out}");
    assert!(!found.iter().any(|(c, _)| c == "DHCP102"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("more.cfg:1:") && l.contains("[DHCP302]")),
        "{out}"
    );
}

#[test]
fn dnsmasq_files_are_found_by_name_and_content() {
    let dir = temp("detect");
    std::fs::create_dir_all(dir.join("dnsmasq.d")).unwrap();
    std::fs::write(
        dir.join("dnsmasq.d/pxe.conf"),
        "dhcp-boot=pxelinux\ndhcp-boot=b.kpxe\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("boot-server"),
        "# PXE\ninterface=eth0\ndhcp-boot=a.kpxe\ndhcp-boot=b.kpxe\n",
    )
    .unwrap();
    let a = dir.join("dnsmasq.d/pxe.conf");
    let b = dir.join("boot-server");
    let (code, out, err) = run(&["--format", "gcc", a.to_str().unwrap(), b.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(out.matches("[DHCP102]").count(), 2, "{out}");
}

#[test]
fn explain_and_list_rules_know_the_dhcp_rules() {
    let (code, out, _) = run(&["--explain", "DHCP101"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("chainload-loop") && out.contains("## Why is this bad?"),
        "{out}"
    );
    let (code, out, _) = run(&["--list-rules"]);
    assert_eq!(code, 0);
    assert!(out.lines().any(|l| l.starts_with("DHCP302")), "{out}");
    let (code, out, _) = run(&["--format", "sarif", "examples/tutorial/dnsmasq.conf"]);
    assert_eq!(code, 1);
    assert!(out.contains("\"DHCP101\""), "{out}");
}

#[test]
fn isc_dhcpd_files_are_checked_too() {
    let dir = temp("isc");
    std::fs::write(
        dir.join("dhcpd.conf"),
        "subnet 10.0.0.0 netmask 255.255.255.0 {\n  next-server 10.0.0.1;\n  filename \"undionly.kpxe\";\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("pxe-server"),
        "if exists user-class and option user-class = \"iPXE\" {\n  filename \"http://10.0.0.1/boot.ipxe\";\n} else {\n  filename \"undionly.kpxe\";\n}\n",
    )
    .unwrap();
    let bad = dir.join("dhcpd.conf");
    let good = dir.join("pxe-server");
    let (code, out, err) = run(&["--format", "gcc", bad.to_str().unwrap()]);
    let (good_code, good_out, good_err) = run(&[
        "--format",
        "gcc",
        "--select",
        "DHCP101",
        good.to_str().unwrap(),
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 1, "{out}{err}");
    assert!(findings(&out).contains(&("DHCP101".into(), 3)), "{out}");
    assert_eq!(good_code, 0, "{good_out}{good_err}");
    assert!(good_out.is_empty(), "{good_out}");
}
