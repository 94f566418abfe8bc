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
use serde::Deserialize;

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

/// A record file, as `Record` in ipxe-dhcp-wire's `tests/common/mod.rs`
/// writes it (only the fields compared here).
#[derive(Deserialize, Debug)]
pub struct Record {
    pub server_version: String,
    pub case: Vec<Case>,
}

/// One client kind against one configuration; the fields mean what `Case`
/// in ipxe-dhcp-wire's `tests/common/mod.rs` says.
#[derive(Deserialize, Debug, Clone)]
pub struct Case {
    pub config: String,
    pub client: String,
    pub offered: bool,
    pub file: String,
    pub via: String,
    pub offer_file_field: String,
    pub offer_option_67: String,
    pub offer_sname: String,
    pub offer_option_66: String,
    pub siaddr: String,
}

impl Case {
    pub fn kind(&self) -> ClientKind {
        ClientKind::from_name(&self.client)
            .unwrap_or_else(|| panic!("unknown client kind `{}` in the record", self.client))
    }

    /// The boot server name the client was told, from `sname` or option 66
    /// (which one depends on whether the client asked for 66), up to the
    /// first NUL.
    pub fn server_name(&self) -> &str {
        let name = if self.offer_sname.is_empty() {
            &self.offer_option_66
        } else {
            &self.offer_sname
        };
        name.split('\0').next().unwrap_or_default()
    }
}

pub fn wire_tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ipxe-dhcp-wire/tests")
}

pub fn read_record(name: &str) -> Record {
    let path = wire_tests_dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
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
