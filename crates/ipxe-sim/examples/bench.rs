//! Benchmark: simulator time per conformance case against the real QEMU run
//! recorded in its trace, and `--all` time over the netboot.xyz tree.
//! Run: `cargo run --release -p ipxe-sim --example bench`.

use std::path::Path;
use std::time::Instant;

use ipxe_sim::conformance::{SEABIOS_PRELUDE, directives};
use ipxe_sim::image::synthetic;
use ipxe_sim::{DEBIAN_LKRN_BANNER, MockNet, NetFile, Network, Response, Script, SimConfig};

struct Tree(std::path::PathBuf);

impl Network for Tree {
    fn request(&mut self, _m: &str, url: &str, _b: Option<&[u8]>) -> Response {
        for prefix in ["http://boot.netboot.xyz/", "https://boot.netboot.xyz/"] {
            if let Some(rest) = url.strip_prefix(prefix) {
                for c in [self.0.join(rest), self.0.join(format!("{rest}.ipxe"))] {
                    if let Ok(d) = std::fs::read(c) {
                        return Response::Ok(d);
                    }
                }
                return Response::Status(404);
            }
        }
        Response::Ok(synthetic("linux").unwrap_or_default())
    }
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance");
    let net_path = dir.join("net.toml");
    let file = NetFile::load(&net_path).expect("net.toml");
    let net = MockNet::new(file.rules(&net_path, &dir).expect("rules"));
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ipxe"))
        .collect();
    cases.sort();
    let (mut sim_total, mut real_total) = (0.0f64, 0.0f64);
    const RUNS: u32 = 50;
    for case in &cases {
        let src = std::fs::read(case).expect("case");
        let trace: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(case.with_extension("trace.json")).expect("trace"),
        )
        .expect("json");
        let real = trace["seconds"].as_f64().unwrap_or(0.0);
        let keys = ipxe_sim::keys::parse_keys(&directives(&src).keys.join(" ")).expect("keys");
        let start = Instant::now();
        for _ in 0..RUNS {
            let cfg = SimConfig {
                keys: keys.clone(),
                banner: Some(format!("{SEABIOS_PRELUDE}{DEBIAN_LKRN_BANNER}")),
                // The traces were recorded as the `.lkrn`'s initrd.
                start: ipxe_sim::StartContext::Embedded,
                ..SimConfig::default()
            };
            let mut n = net.clone();
            let _ = ipxe_sim::run(
                cfg,
                &mut n,
                Script {
                    name: "<INITRD>".into(),
                    uri: None,
                    data: src.clone(),
                },
            );
        }
        let sim = start.elapsed().as_secs_f64() / RUNS as f64;
        sim_total += sim;
        real_total += real;
    }
    let n = cases.len() as f64;
    println!(
        "conformance: {} cases, sim {:.1} µs/case, real {:.2} s/case, real/sim ratio {:.0}x",
        cases.len(),
        sim_total / n * 1e6,
        real_total / n,
        real_total / sim_total
    );
    // Same place the tests look: $IPXE_SHARED_CORPUS, else ../shared/corpus beside the checkout.
    let shared = std::env::var_os("IPXE_SHARED_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus"));
    let corpus = shared.join("netbootxyz__netboot.xyz/roles/netbootxyz/templates/menu");
    let Ok(menu) = std::fs::read(corpus.join("menu.ipxe")) else {
        println!("netboot.xyz corpus not found at {}", corpus.display());
        return;
    };
    let mut cfg = SimConfig {
        start: ipxe_sim::StartContext::Chained,
        ..SimConfig::default()
    };
    cfg.presets.push(("version".into(), "3.x".into()));
    cfg.overrides.push(("IMAGE_TRUST_CMD".into(), true));
    cfg.overrides.push(("DOWNLOAD_PROTO_HTTPS".into(), true));
    let script = Script {
        name: "menu.ipxe".into(),
        uri: Some("http://boot.netboot.xyz/menu.ipxe".into()),
        data: menu,
    };
    for max in [300usize, 3000] {
        let start = Instant::now();
        let rows =
            ipxe_sim::explore(&cfg, &mut Tree(corpus.clone()), &script, max, 12).expect("explore");
        let boots = rows.iter().filter(|r| r.boot.is_some()).count();
        println!(
            "netboot.xyz --all (cap {max}): {} paths ({boots} boot) in {:.2} s",
            rows.len(),
            start.elapsed().as_secs_f64()
        );
    }
}
