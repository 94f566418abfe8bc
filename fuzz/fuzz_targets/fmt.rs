//! Formatting is idempotent and keeps every logical line's tokens, and the
//! simulator sees the same run before and after formatting.
#![no_main]

use ipxe_fmt::{FormatOptions, format, token_sequence};
use ipxe_sim::{MockNet, Script, SimConfig, run};
use libfuzzer_sys::fuzz_target;

fn simulate(data: &[u8]) -> String {
    let config = SimConfig { limits: ipxe_tools_fuzz::sim_limits(), ..SimConfig::default() };
    let script = Script { name: "fuzz.ipxe".into(), uri: None, data: data.to_vec() };
    match run(config, &mut MockNet::new(Vec::new()), script) {
        Ok(report) => format!("{:?} {} {:?} {:?}", report.outcome, report.exit_status, report.requests, report.boot),
        Err(e) => format!("error {e}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let options = FormatOptions::default();
    let once = format(data, &options);
    let twice = format(&once, &options);
    assert_eq!(once, twice, "format is idempotent");
    assert_eq!(token_sequence(data), token_sequence(&once), "tokens are unchanged");
    assert_eq!(simulate(data), simulate(&once), "the simulator sees the same run");
});
