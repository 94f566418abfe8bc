//! `--all` over real menus: the project's examples and a netboot.xyz tree
//! (read in place from the shared corpus, never copied).

use std::path::PathBuf;

use ipxe_catalog::Platform;
use ipxe_sim::image::synthetic;
use ipxe_sim::{IpxeVersion, Network, Outcome, PathRow, Response, Script, SimConfig, explore};

/// Every URL serves a bootable kernel, except the scripts of a web root.
struct KernelsEverywhere {
    roots: Vec<(String, PathBuf)>,
}

impl Network for KernelsEverywhere {
    fn request(&mut self, _method: &str, url: &str, _body: Option<&[u8]>) -> Response {
        for (prefix, dir) in &self.roots {
            if let Some(rest) = url.strip_prefix(prefix.as_str()) {
                let rest = rest.split(['?', '#']).next().unwrap_or("");
                // The corpus stores each template with an added `.ipxe` suffix.
                for candidate in [dir.join(rest), dir.join(format!("{rest}.ipxe"))] {
                    if let Ok(data) = std::fs::read(&candidate) {
                        return Response::Ok(data);
                    }
                }
                return Response::Status(404);
            }
        }
        Response::Ok(synthetic("linux").expect("linux image"))
    }
}

fn example(name: &str) -> Script {
    let path = ipxe_test_support::repo_root().join("examples").join(name);
    Script {
        name: name.into(),
        uri: None,
        data: std::fs::read(&path).expect("example exists"),
    }
}

fn rows(cfg: &SimConfig, script: &Script) -> Vec<PathRow> {
    let mut net = KernelsEverywhere { roots: Vec::new() };
    explore(cfg, &mut net, script, 1000, 16).expect("exploration")
}

/// (selection, kernel url, initrd urls) for each booting path.
fn boots(rows: &[PathRow]) -> Vec<(String, String, Vec<String>)> {
    rows.iter()
        .filter_map(|r| {
            let b = r.boot.as_ref()?;
            Some((
                r.selections.join(">"),
                b.kernel.url.clone().unwrap_or_default(),
                b.initrds
                    .iter()
                    .map(|i| i.url.clone().unwrap_or_default())
                    .collect(),
            ))
        })
        .collect()
}

const BASE: &str = "http://boot.example.org/netboot";

#[test]
fn basic_menu_boots_the_right_kernel_and_initrd_for_every_item() {
    let r = rows(&SimConfig::default(), &example("basic-menu.ipxe"));
    let b = boots(&r);
    let expect = |sel: &str, kernel: &str, initrds: &[&str]| {
        let row = b
            .iter()
            .find(|(s, _, _)| s == sel)
            .unwrap_or_else(|| panic!("no boot for {sel}: {r:?}"));
        assert_eq!(row.1, format!("{BASE}/{kernel}"), "{sel}");
        let want: Vec<String> = initrds.iter().map(|i| format!("{BASE}/{i}")).collect();
        assert_eq!(row.2, want, "{sel}");
    };
    expect("ubuntu", "ubuntu/24.04/vmlinuz", &["ubuntu/24.04/initrd"]);
    expect("debian", "debian/12/linux", &["debian/12/initrd.gz"]);
    expect(
        "centos",
        "centos/9-stream/vmlinuz",
        &["centos/9-stream/initrd.img"],
    );
    expect(
        "rescue",
        "sysrescue/sysresccd/boot/x86_64/vmlinuz",
        &["sysrescue/sysresccd/boot/x86_64/sysresccd.img"],
    );
    expect("memtest", "memtest/memtest64.bin", &[]);
    let shell = r
        .iter()
        .find(|r| r.selections == ["shell"])
        .expect("shell row");
    assert_eq!(shell.outcome, Outcome::Shell);
    let ubuntu = r
        .iter()
        .find(|r| r.selections == ["ubuntu"])
        .and_then(|r| r.boot.clone())
        .expect("ubuntu");
    assert_eq!(
        ubuntu.initrds[0].name, "initrd",
        "initrd --name must name the image as initrd= says"
    );
    assert!(
        ubuntu
            .kernel
            .cmdline
            .as_deref()
            .unwrap_or("")
            .starts_with("initrd=initrd ip=dhcp")
    );
}

#[test]
fn bios_uefi_picks_files_per_platform() {
    let bios = boots(&rows(&SimConfig::default(), &example("bios-uefi.ipxe")));
    assert!(bios.contains(&(
        "linux".into(),
        format!("{BASE}/linux/x86_64/vmlinuz"),
        vec![format!("{BASE}/linux/x86_64/initrd.img")]
    )));
    assert!(
        bios.iter()
            .any(|(s, k, _)| s == "memtest" && k.ends_with("memtest64.bin"))
    );
    let efi = SimConfig {
        platform: Platform::Efi,
        arch: "arm64".into(),
        version: IpxeVersion::Head,
        ..SimConfig::default()
    };
    let rows_efi = rows(&efi, &example("bios-uefi.ipxe"));
    let linux = rows_efi
        .iter()
        .find(|r| r.selections == ["linux"])
        .expect("linux row");
    let boot = linux.boot.as_ref().expect("arm64 linux boots");
    assert_eq!(
        boot.kernel.url.as_deref(),
        Some(format!("{BASE}/linux/arm64/vmlinuz").as_str())
    );
    let memtest = rows_efi
        .iter()
        .find(|r| r.selections == ["memtest"])
        .expect("memtest row");
    assert_eq!(
        memtest.outcome,
        Outcome::Unanswered,
        "no memtest on arm64: back to the menu"
    );
}

#[test]
fn https_menu_needs_https_in_the_build() {
    // The 2019 BIOS build has no HTTPS: every item fails back to the menu.
    let old = rows(&SimConfig::default(), &example("https-menu.ipxe"));
    assert!(old.iter().all(|r| r.boot.is_none()), "{old:?}");
    let head_efi = SimConfig {
        platform: Platform::Efi,
        arch: "x86_64".into(),
        version: IpxeVersion::Head,
        ..SimConfig::default()
    };
    let new = rows(&head_efi, &example("https-menu.ipxe"));
    assert!(
        new.iter().any(|r| r.boot.as_ref().is_some_and(|b| b
            .kernel
            .url
            .as_deref()
            .unwrap_or("")
            .starts_with("https://"))),
        "{new:?}"
    );
}

fn netbootxyz_menu_dir() -> PathBuf {
    ipxe_test_support::shared_corpus_dir()
        .join("netbootxyz__netboot.xyz/roles/netbootxyz/templates/menu")
}

#[test]
#[ignore = "needs the real-world corpus: ../shared/corpus beside the checkout, or IPXE_SHARED_CORPUS"]
fn netbootxyz_tree_explores_to_many_kernels() {
    let dir = netbootxyz_menu_dir();
    let menu = std::fs::read(dir.join("menu.ipxe")).expect("netboot.xyz menu.ipxe in the corpus");
    let mut cfg = SimConfig {
        start: ipxe_sim::StartContext::Chained,
        ..SimConfig::default()
    };
    // netboot.xyz.ipxe sets these before chaining menu.ipxe.
    cfg.presets.push(("version".into(), "3.x".into()));
    // Signature checks need imgverify; the tree is explored as with a build that has it.
    cfg.overrides.push(("IMAGE_TRUST_CMD".into(), true));
    cfg.overrides.push(("DOWNLOAD_PROTO_HTTPS".into(), true));
    let mut net = KernelsEverywhere {
        roots: vec![
            ("http://boot.netboot.xyz/".into(), dir.clone()),
            ("https://boot.netboot.xyz/".into(), dir.clone()),
        ],
    };
    let script = Script {
        name: "menu.ipxe".into(),
        uri: Some("http://boot.netboot.xyz/menu.ipxe".into()),
        data: menu,
    };
    let start = std::time::Instant::now();
    let rows = explore(&cfg, &mut net, &script, 300, 12).expect("exploration");
    let elapsed = start.elapsed();
    let booting = rows.iter().filter(|r| r.outcome == Outcome::Boot).count();
    // Only the exploration cap may end a path with "limit": no single run hits a bound.
    let limits: Vec<&PathRow> = rows
        .iter()
        .filter(|r| {
            r.outcome == Outcome::Limit
                && !r.message.as_deref().unwrap_or("").starts_with("path limit")
        })
        .collect();
    assert!(limits.is_empty(), "bounded runs: {limits:?}");
    assert!(
        rows.len() > 100,
        "expected a large tree, got {} rows",
        rows.len()
    );
    assert!(
        booting > 50,
        "expected many booting paths, got {booting} of {}",
        rows.len()
    );
    // Chained submenus: paths go at least two menus deep.
    assert!(
        rows.iter()
            .any(|r| r.selections.len() >= 2 && r.boot.is_some())
    );
    for r in rows.iter().filter(|r| r.boot.is_some()) {
        assert!(r.boot.as_ref().unwrap().kernel.url.is_some(), "{r:?}");
    }
    eprintln!(
        "netboot.xyz --all: {} paths, {booting} boot, {:?}",
        rows.len(),
        elapsed
    );
}
