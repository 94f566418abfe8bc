//! Inputs the fuzzer once crashed the simulator with; each must now run to an
//! outcome. (`fuzz/run.sh sim` writes new ones to fuzz/artifacts/sim/.)

use std::path::Path;

use ipxe_sim::{Limits, MockNet, Script, SimConfig, run};

#[test]
fn fuzz_finds_run_to_an_outcome() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_finds");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/fuzz_finds") {
        let path = entry.expect("entry").path();
        let data = std::fs::read(&path).expect("read fuzz find");
        let config = SimConfig {
            limits: Limits {
                steps: 20_000,
                ..Limits::default()
            },
            ..SimConfig::default()
        };
        let script = Script {
            name: "fuzz.ipxe".into(),
            uri: None,
            data,
        };
        let report = run(config, &mut MockNet::new(Vec::new()), script);
        assert!(report.is_ok(), "{}: {:?}", path.display(), report.err());
        count += 1;
    }
    assert!(count >= 1, "the fuzz finds are present");
}

#[test]
fn uristring_decoding_keeps_bytes_after_a_percent() {
    let data = b"#!ipxe\nset enc:uristring a%2\xc3\xa9b%26c\necho ${enc:string}\n".to_vec();
    let script = Script {
        name: "t.ipxe".into(),
        uri: None,
        data,
    };
    let report = run(SimConfig::default(), &mut MockNet::new(Vec::new()), script).expect("runs");
    let line = report
        .console
        .iter()
        .find(|l| l.contains('b'))
        .expect("echo output");
    assert!(line.contains("a%2") && line.ends_with("b&c"), "{line:?}");
}
