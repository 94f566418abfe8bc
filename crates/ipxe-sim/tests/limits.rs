//! Every bound ends a hostile script with the outcome "limit" and a message
//! naming the bound and the line; random scripts always end.

use ipxe_sim::{Limits, MockNet, Outcome, Report, Script, SimConfig, run};
use proptest::prelude::*;

fn run_with(src: &str, limits: Limits) -> Report {
    let cfg = SimConfig {
        limits,
        start: ipxe_sim::StartContext::Chained,
        ..SimConfig::default()
    };
    let mut net = MockNet::new(Vec::new());
    net.add_root("http://srv/", &std::env::temp_dir());
    run(
        cfg,
        &mut net,
        Script {
            name: "t.ipxe".into(),
            uri: None,
            data: src.as_bytes().to_vec(),
        },
    )
    .expect("run")
}

fn assert_limit(r: &Report, what: &str, line: usize) {
    assert_eq!(r.outcome, Outcome::Limit, "{r:?}");
    let msg = r.message.as_deref().unwrap_or("");
    assert!(msg.starts_with(what), "message {msg:?} should name {what}");
    assert!(
        msg.ends_with(&format!("t.ipxe:{line}")),
        "message {msg:?} should name line {line}"
    );
}

#[test]
fn step_budget_ends_an_endless_loop() {
    let r = run_with(
        "#!ipxe\n:loop\ngoto loop\n",
        Limits {
            steps: 1000,
            ..Limits::default()
        },
    );
    assert_limit(&r, "step limit (1000 steps)", 2);
}

#[test]
fn chain_depth_ends_self_chaining() {
    let dir = std::env::temp_dir().join(format!("ipxe-sim-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("self.ipxe"),
        "#!ipxe\nimgfree\nchain http://srv/self.ipxe\n",
    )
    .unwrap();
    let cfg = SimConfig {
        start: ipxe_sim::StartContext::Chained,
        limits: Limits {
            chain_depth: 8,
            ..Limits::default()
        },
        ..SimConfig::default()
    };
    let mut net = MockNet::new(Vec::new());
    net.add_root("http://srv/", &dir);
    let r = run(
        cfg,
        &mut net,
        Script {
            name: "t.ipxe".into(),
            uri: None,
            data: b"#!ipxe\nchain http://srv/self.ipxe\n".to_vec(),
        },
    )
    .unwrap();
    assert_eq!(r.outcome, Outcome::Limit);
    let msg = r.message.unwrap();
    assert!(
        msg.starts_with("chain depth limit (8 nested scripts)"),
        "{msg}"
    );
    assert!(msg.ends_with("http://srv/self.ipxe:3"), "{msg}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn expansion_steps_end_a_self_reference() {
    // Only `read` can store a self-reference; keys type `${x}`.
    let mut cfg = SimConfig::default();
    cfg.keys = ipxe_sim::keys::parse_keys("$ { x } enter").unwrap();
    let src = "#!ipxe\nread x\necho ${x}\n";
    let mut net = MockNet::default();
    let r = run(
        cfg,
        &mut net,
        Script {
            name: "t.ipxe".into(),
            uri: None,
            data: src.as_bytes().to_vec(),
        },
    )
    .unwrap();
    assert_eq!(r.outcome, Outcome::Limit);
    let msg = r.message.unwrap();
    assert!(
        msg.starts_with("expansion limit (10000 substitutions in one word)")
            && msg.ends_with("t.ipxe:3"),
        "{msg}"
    );
}

#[test]
fn expansion_length_ends_doubling() {
    let mut src = String::from("#!ipxe\nset a xxxxxxxxxxxxxxxx\n");
    for _ in 0..20 {
        src.push_str("set a ${a}${a}\n");
    }
    let r = run_with(
        &src,
        Limits {
            expansion_len: 4096,
            ..Limits::default()
        },
    );
    assert_limit(&r, "expansion length limit (4096 bytes)", 11);
}

#[test]
fn image_memory_bounds_downloads() {
    let dir = std::env::temp_dir().join(format!("ipxe-sim-mem-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("big.bin"), vec![0u8; 4096]).unwrap();
    let cfg = SimConfig {
        start: ipxe_sim::StartContext::Chained,
        limits: Limits {
            image_memory: 10_000,
            ..Limits::default()
        },
        ..SimConfig::default()
    };
    let mut net = MockNet::new(Vec::new());
    net.add_root("http://srv/", &dir);
    let src = "#!ipxe\n:l\nimgfetch http://srv/big.bin\ngoto l\n";
    let r = run(
        cfg,
        &mut net,
        Script {
            name: "t.ipxe".into(),
            uri: None,
            data: src.as_bytes().to_vec(),
        },
    )
    .unwrap();
    assert_eq!(r.outcome, Outcome::Limit);
    let msg = r.message.unwrap();
    assert!(
        msg.starts_with("image memory limit (10000 bytes)") && msg.ends_with("t.ipxe:3"),
        "{msg}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn settings_count_is_bounded() {
    let src = "#!ipxe\nset n:int32 0\n:l\ninc n\nset v${n} x\ngoto l\n";
    let r = run_with(
        src,
        Limits {
            settings: 50,
            ..Limits::default()
        },
    );
    assert_limit(&r, "settings limit (50 stored values)", 5);
}

#[test]
fn console_output_is_bounded() {
    let r = run_with(
        "#!ipxe\n:l\necho spam spam spam\ngoto l\n",
        Limits {
            console_bytes: 1000,
            ..Limits::default()
        },
    );
    assert_limit(&r, "console output limit (1000 bytes)", 3);
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("goto".to_string()),
        Just("l1".to_string()),
        Just(":l1".to_string()),
        Just(":l2".to_string()),
        Just("l2".to_string()),
        Just("||".to_string()),
        Just("&&".to_string()),
        Just(";".to_string()),
        Just("echo".to_string()),
        Just("set".to_string()),
        Just("inc".to_string()),
        Just("x".to_string()),
        Just("${x}".to_string()),
        Just("${${x}}".to_string()),
        Just("iseq".to_string()),
        Just("exit".to_string()),
        Just("menu".to_string()),
        Just("item".to_string()),
        Just("choose".to_string()),
        Just("prompt".to_string()),
        Just("chain".to_string()),
        Just("http://srv/none".to_string()),
        "[a-z$\\{\\}:#-]{1,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
    #[test]
    fn random_scripts_end_within_the_step_budget(lines in prop::collection::vec(prop::collection::vec(word(), 0..6), 0..12)) {
        let mut src = String::from("#!ipxe\n");
        for l in &lines {
            src.push_str(&l.join(" "));
            src.push('\n');
        }
        let r = run_with(&src, Limits { steps: 5_000, ..Limits::default() });
        // Every run ends; a loop ends exactly at the budget.
        prop_assert!(r.trace.len() <= 5_000);
        if r.outcome == Outcome::Limit {
            prop_assert!(r.message.as_deref().unwrap_or("").contains("limit"));
        }
    }
}
