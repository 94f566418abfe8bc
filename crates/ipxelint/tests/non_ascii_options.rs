//! Issue 17: options made of a dash and a non-ASCII character made the
//! human output panic (a finding pointed at one byte of a two-byte
//! character). Every format must now report them and exit 1.

use std::process::Command;

const SCRIPTS: &[(&str, &[u8])] = &[
    ("echo.ipxe", "#!ipxe\necho -é\n".as_bytes()),
    ("bom.ipxe", "\u{feff}#!ipxe\nchain -\n".as_bytes()),
    ("imgfetch.ipxe", "#!ipxe\nimgfetch -→ x\n".as_bytes()),
    ("kernel.ipxe", "#!ipxe\nkernel -é x\n".as_bytes()),
    // The same, in a file that is not valid UTF-8.
    ("invalid.ipxe", b"#!ipxe\necho -\xc3\xa9 \xff\n"),
];

const FORMATS: &[&[&str]] = &[
    &["--format", "human", "--color", "never"],
    &["--format", "human", "--color", "always"],
    &["--format", "json"],
    &["--format", "sarif"],
    &["--format", "gcc"],
    &["--format", "github"],
];

#[test]
fn every_format_reports_dash_and_non_ascii_without_panicking() {
    let dir = std::env::temp_dir().join(format!("ipxelint-issue17-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for (name, src) in SCRIPTS {
        let path = dir.join(name);
        std::fs::write(&path, src).unwrap();
        for args in FORMATS {
            let out = Command::new(env!("CARGO_BIN_EXE_ipxelint"))
                .args(*args)
                .arg(&path)
                .output()
                .expect("run ipxelint");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            if out.status.code() != Some(1) || stderr.contains("panicked") {
                failures.push(format!("{name} {args:?}: {:?}\n{stderr}", out.status));
            } else if !stdout.contains("IPX103") {
                failures.push(format!("{name} {args:?}: no IPX103 in\n{stdout}"));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
