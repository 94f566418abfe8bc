//! Compares the simulator with every golden trace recorded on real iPXE
//! (`tests/conformance/<case>.trace.json`, written by `ipxe-conformance`).
//! A case without a trace fails: record it, never hand-write it.
//! The normalisations are documented in `ipxe_sim::conformance`.

use std::path::{Path, PathBuf};

use ipxe_sim::conformance::{SEABIOS_PRELUDE, compare_screens, directives};
use ipxe_sim::{DEBIAN_LKRN_BANNER, MockNet, NetFile, Outcome, Script, SimConfig, StartContext};
use serde::Deserialize;

#[derive(Deserialize)]
struct Trace {
    ended: bool,
    vm_exited: bool,
    requests: Vec<Req>,
    screen: Vec<String>,
}

#[derive(Deserialize, PartialEq, Eq, Debug)]
struct Req {
    method: String,
    url: String,
    body: Option<String>,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance")
}

fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/conformance exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ipxe"))
        .collect();
    v.sort();
    v
}

/// Runs one case in the simulator and returns the differences from its trace.
fn check(case: &Path, net: &MockNet) -> Result<(), String> {
    let trace_path = case.with_extension("trace.json");
    let text = std::fs::read_to_string(&trace_path).map_err(|_| {
        "no trace recorded: run `cargo run -p ipxe-conformance` (needs QEMU)".to_string()
    })?;
    let trace: Trace = serde_json::from_str(&text).map_err(|e| format!("bad trace: {e}"))?;
    let src = std::fs::read(case).map_err(|e| e.to_string())?;
    let d = directives(&src);
    let mut cfg = SimConfig::default();
    // Recorded as the `.lkrn`'s initrd: the first image, run before any DHCP
    // or Ctrl-B prompt (see the ipxesim README), i.e. an embedded start.
    cfg.start = StartContext::Embedded;
    cfg.banner = Some(format!("{SEABIOS_PRELUDE}{DEBIAN_LKRN_BANNER}"));
    cfg.keys = ipxe_sim::keys::parse_keys(&d.keys.join(" "))?;
    let mut net = net.clone();
    let script = Script {
        name: "<INITRD>".into(),
        uri: None,
        data: src,
    };
    let report = ipxe_sim::run(cfg, &mut net, script).map_err(|e| e.to_string())?;
    let mut problems = Vec::new();
    let sim_requests: Vec<Req> = report
        .requests
        .iter()
        .map(|r| Req {
            method: r.method.clone(),
            url: r.url.clone(),
            body: r.body.clone(),
        })
        .collect();
    if sim_requests != trace.requests {
        problems.push(format!(
            "requests differ:\n  real: {:?}\n  sim:  {:?}",
            trace.requests, sim_requests
        ));
    }
    let sim_ended = matches!(report.outcome, Outcome::Exit | Outcome::Failed);
    let sim_exited = matches!(report.outcome, Outcome::Reboot | Outcome::Poweroff);
    if trace.vm_exited != sim_exited || (!trace.vm_exited && trace.ended != sim_ended) {
        problems.push(format!(
            "end differs: real ended={} vm_exited={}, sim outcome {:?} ({:?})",
            trace.ended, trace.vm_exited, report.outcome, report.message
        ));
    }
    if !trace.vm_exited
        && let Some(diff) = compare_screens(&trace.screen, &report.screen)
    {
        problems.push(format!("screen differs:\n{diff}"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn simulator_agrees_with_every_recorded_trace() {
    let net_path = dir().join("net.toml");
    let file = NetFile::load(&net_path).expect("net.toml");
    let net = MockNet::new(file.rules(&net_path, &dir()).expect("rules"));
    let cases = cases();
    assert!(
        cases.len() >= 60,
        "expected at least 60 conformance cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(problem) = check(case, &net) {
            failures.push(format!(
                "== {}\n{problem}",
                case.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    let agree = cases.len() - failures.len();
    assert!(
        failures.is_empty(),
        "{agree}/{} cases agree with real iPXE\n{}",
        cases.len(),
        failures.join("\n")
    );
}
