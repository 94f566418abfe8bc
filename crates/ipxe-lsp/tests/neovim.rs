//! A real editor: headless Neovim set up exactly as `editors/neovim/ipxe.lua`
//! documents (the file in `~/.config/nvim/lua/`, `require('ipxe')` in
//! `init.lua`, `ipxe-lsp` on PATH) opens iPXE scripts, and we read what the
//! user would see: the filetype, the attached client and the diagnostics.
//! Needs Neovim (Debian's `neovim`, 0.7.2 on Debian 12; `.ci/run` installs it).

use std::path::{Path, PathBuf};
use std::process::Command;

/// Opens `name` (written with `content`) in Neovim configured as documented
/// and returns the observer's lines.
fn open_in_neovim(name: &str, content: &str) -> Vec<String> {
    match Command::new("nvim").arg("--version").output() {
        Ok(version) => assert!(version.status.success(), "nvim --version failed"),
        Err(_) => {
            panic!("`nvim` is not installed: this test needs Neovim (apt-get install -y neovim)")
        }
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let home = std::env::temp_dir().join(format!("ipxe-nvim-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&home);
    // The documented setup, literally.
    let config = home.join(".config/nvim");
    std::fs::create_dir_all(config.join("lua")).unwrap();
    std::fs::copy(
        manifest.join("../../editors/neovim/ipxe.lua"),
        config.join("lua/ipxe.lua"),
    )
    .unwrap();
    std::fs::write(config.join("init.lua"), "require('ipxe')\n").unwrap();
    std::fs::write(home.join(name), content).unwrap();
    let lsp_dir = Path::new(env!("CARGO_BIN_EXE_ipxe-lsp")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(lsp_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let out = home.join("observed.txt");
    let status = Command::new("timeout")
        .args(["60", "nvim", "--headless", "-n", "-i", "NONE"])
        .arg(name)
        .arg("-c")
        .arg(format!(
            "luafile {}",
            manifest.join("tests/nvim/observe.lua").display()
        ))
        .current_dir(&home)
        .env("HOME", &home)
        .env_remove("XDG_CONFIG_HOME")
        .env_remove("VIMINIT")
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("PATH", path)
        .env("IPXE_NVIM_OUT", &out)
        .status()
        .expect("running nvim");
    let observed = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(
        status.success(),
        "nvim exited with {status}; observed: {observed:?}"
    );
    let _ = std::fs::remove_dir_all(&home);
    observed.lines().map(str::to_owned).collect()
}

#[test]
#[ignore = "needs Neovim: apt-get install -y neovim"]
fn an_ipxe_file_gets_the_server_and_its_diagnostics() {
    let lines = open_in_neovim("boot.ipxe", "#!ipxe\n:start\necho hi   \ngoto nowhere\n");
    assert_eq!(lines[0], "filetype=ipxe", "{lines:?}");
    assert_eq!(lines[1], "clients=ipxe-lsp", "{lines:?}");
    assert!(lines.contains(&"IPX201 4:6".to_owned()), "{lines:?}");
    assert!(lines.contains(&"IPX009 3:8".to_owned()), "{lines:?}");
}

#[test]
#[ignore = "needs Neovim: apt-get install -y neovim"]
fn a_file_starting_with_the_signature_is_an_ipxe_script() {
    let lines = open_in_neovim("menu", "#!ipxe\ngoto nowhere\n");
    assert_eq!(lines[0], "filetype=ipxe", "{lines:?}");
    assert!(lines.contains(&"IPX201 2:6".to_owned()), "{lines:?}");
}
