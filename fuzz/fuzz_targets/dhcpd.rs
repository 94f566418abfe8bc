//! Any bytes read as an ISC dhcpd configuration give a tree and problems
//! inside the text, and the resolver answers without panicking.
#![no_main]

use ipxe_dhcp_config::ClientRequest;
use ipxe_dhcp_config::isc::{IscConfig, resolve_isc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let config = IscConfig::parse("dhcpd.conf", data);
    for p in &config.problems {
        assert!(p.loc.start <= p.loc.end && p.loc.end as usize <= data.len());
    }
    for arch in [0, 7] {
        resolve_isc(&config, &ClientRequest::pxe_firmware(arch));
        resolve_isc(&config, &ClientRequest::ipxe(arch));
    }
});
