//! Any bytes run to an outcome within the simulator's bounds, over a mock
//! network that answers every URL with a small script.
#![no_main]

use ipxe_sim::{MockNet, Script, SimConfig, run};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let config = SimConfig { limits: ipxe_tools_fuzz::sim_limits(), ..SimConfig::default() };
    let mut net = MockNet::new(Vec::new());
    let script = Script { name: "fuzz.ipxe".into(), uri: None, data: data.to_vec() };
    let _ = run(config, &mut net, script);
});
