//! Test support: the bridge from ipxe-dhcp-wire's client models to the
//! resolver's [`ClientRequest`], and the answers real servers gave, recorded
//! by ipxe-dhcp-wire's harness (`crates/ipxe-dhcp-wire/tests/*_observed.toml`).
//!
//! The bridge lives here, not in the library: the resolver reasons about
//! configurations and never reads packets, so only its tests depend on the
//! wire crate (a dev-dependency), and the dependency points one way.

#![allow(dead_code)] // each test file uses its own part

use std::collections::BTreeMap;
use std::path::PathBuf;

use ipxe_dhcp_config::ClientRequest;
use ipxe_dhcp_wire::options::code;
use ipxe_dhcp_wire::{ClientIdentity, ClientKind, Packet};

/// The request the resolver sees for `kind`: the DHCPDISCOVER the client
/// model sends, encoded to bytes and decoded again, so the resolver reads
/// exactly what the real server read.
pub fn request_for(kind: ClientKind) -> ClientRequest {
    let sent = kind.discover(&ClientIdentity::numbered(1)).encode();
    let packet = Packet::decode(&sent)
        .unwrap_or_else(|e| panic!("{kind}: its own DHCPDISCOVER does not decode: {e}"));
    request_from_packet(&packet)
}

/// A [`ClientRequest`] from a decoded packet's options: 93 (the first
/// architecture listed), 60, 77 and 175 by name, every other option as sent.
pub fn request_from_packet(packet: &Packet) -> ClientRequest {
    let options = &packet.options;
    let named = [
        code::CLIENT_ARCH,
        code::VENDOR_CLASS,
        code::USER_CLASS,
        code::IPXE_ENCAPSULATED,
    ];
    ClientRequest {
        arch: options
            .client_architectures()
            .and_then(|archs| archs.first().copied()),
        vendor_class: options.get(code::VENDOR_CLASS).map(<[u8]>::to_vec),
        user_class: options.get(code::USER_CLASS).map(<[u8]>::to_vec),
        ipxe_options: options.get(code::IPXE_ENCAPSULATED).map(<[u8]>::to_vec),
        other_options: options
            .iter()
            .filter(|o| !named.contains(&o.code))
            .map(|o| (o.code, o.data.clone()))
            .collect(),
        ..ClientRequest::default()
    }
}

pub use ipxe_dhcp_wire::record::Record;

pub fn wire_tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ipxe-dhcp-wire/tests")
}

pub fn read_record(name: &str) -> Record {
    Record::read(&wire_tests_dir().join(name)).unwrap_or_else(|e| panic!("{e}"))
}

/// The text of a recorded configuration, `tests/<dir>/<name>.conf`.
pub fn config_text(dir: &str, name: &str) -> Vec<u8> {
    let path = wire_tests_dir().join(dir).join(format!("{name}.conf"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The agreement table: per configuration, cases matched / cases.
pub fn table(tally: &BTreeMap<String, (usize, usize)>) -> String {
    let mut out = String::from("configuration                   matched/total\n");
    let (mut matched, mut total) = (0, 0);
    for (config, (m, t)) in tally {
        out.push_str(&format!("{config:<31} {m}/{t}\n"));
        matched += m;
        total += t;
    }
    out.push_str(&format!("{:<31} {matched}/{total}\n", "all"));
    out
}
