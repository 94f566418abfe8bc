//! A real editor: headless Neovim attaches ipxe-lsp to an .ipxe buffer with
//! the snippet from `editors/neovim/ipxe.lua` and writes the diagnostics it
//! received to a file. Needs the Debian package `neovim` (installed by
//! `.ci/run`); fails loudly when `nvim` is missing.

use std::path::PathBuf;
use std::process::Command;

#[test]
fn neovim_receives_diagnostics() {
    let version = Command::new("nvim").arg("--version").output();
    let Ok(version) = version else {
        panic!("`nvim` is not installed: this test needs Neovim (apt-get install -y neovim)");
    };
    assert!(version.status.success(), "nvim --version failed");
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = std::env::temp_dir().join(format!("ipxe-nvim-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("boot.ipxe");
    std::fs::write(&script, "#!ipxe\n:start\necho hi   \ngoto nowhere\n").unwrap();
    let out = dir.join("diagnostics.txt");
    let status = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-u"])
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/nvim/init.lua"))
        .arg(&script)
        .env("IPXE_LSP", env!("CARGO_BIN_EXE_ipxe-lsp"))
        .env("IPXE_NVIM_OUT", &out)
        .env("IPXE_NVIM_SNIPPET_DIR", repo.join("editors/neovim"))
        .env("HOME", &dir)
        .env("XDG_STATE_HOME", &dir)
        .env("XDG_DATA_HOME", &dir)
        .status()
        .expect("running nvim");
    let written = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(
        status.success(),
        "nvim exited with {status}; diagnostics file: {written:?}"
    );
    let lines: Vec<&str> = written.lines().collect();
    assert!(lines.contains(&"IPX201 4:6"), "{lines:?}");
    assert!(lines.contains(&"IPX009 3:8"), "{lines:?}");
}
