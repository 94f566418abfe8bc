//! The rules on the configurations that ipxe-dhcp-wire's harness ran against
//! a real dnsmasq 2.90 and ISC dhcpd 4.4.3-P1
//! (`crates/ipxe-dhcp-wire/tests/{dnsmasq,dhcpd}_configs/`), whose answers
//! are recorded in `{dnsmasq,dhcpd}_observed.toml` and reproduced by the
//! resolvers (ipxe-dhcp-config's `tests/observed_*.rs`). What the server did
//! decides which configurations are broken, so the rules that follow a boot
//! must flag exactly those.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use ipxe_dhcp_config::DnsmasqConfig;
use ipxe_dhcp_config::isc::IscConfig;
use ipxe_dhcp_lint::{BootFileKind, Cx, Selection, boot_file_kind, lint};

#[derive(Clone, Copy)]
enum Server {
    Dnsmasq,
    Dhcpd,
}

impl Server {
    fn name(self) -> &'static str {
        match self {
            Server::Dnsmasq => "dnsmasq",
            Server::Dhcpd => "dhcpd",
        }
    }
}

fn wire_tests() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ipxe-dhcp-wire/tests")
}

/// Every recorded configuration, with the codes of the rules it triggers
/// (no TFTP root: names decide what a file is).
fn findings(server: Server) -> BTreeMap<String, BTreeSet<String>> {
    let dir = wire_tests().join(format!("{}_configs", server.name()));
    let mut out = BTreeMap::new();
    for entry in
        std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
    {
        let path = entry.expect("directory entry").path();
        if path.extension().is_none_or(|e| e != "conf") {
            continue;
        }
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read(&path).expect("reading a configuration");
        let path = format!("{name}.conf");
        let (dnsmasq, isc);
        let cx = match server {
            Server::Dnsmasq => {
                dnsmasq = DnsmasqConfig::parse_str(&path, &text);
                Cx::new(&dnsmasq, None)
            }
            Server::Dhcpd => {
                isc = IscConfig::parse(&path, &text);
                Cx::new_isc(&isc, None)
            }
        };
        let codes = lint(&cx, &Selection::default())
            .into_iter()
            .flatten()
            .map(|d| d.code.to_string())
            .collect();
        out.insert(name, codes);
    }
    out
}

/// One line of a record (see `Case` in ipxe-dhcp-wire's
/// `tests/common/mod.rs`): the file this client kind ended up with.
use ipxe_dhcp_wire::record::Record;

fn record(server: Server) -> Record {
    let path = wire_tests().join(format!("{}_observed.toml", server.name()));
    Record::read(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn is_ipxe_binary(file: &str) -> bool {
    matches!(boot_file_kind(file, None), BootFileKind::Ipxe { .. })
}

/// The configurations where, by the record, a machine loops: its firmware
/// was given an iPXE binary, and iPXE of the same platform (the wire models
/// `bios-ipxe` and `efi-x64-ipxe`) was given an iPXE binary again.
fn recorded_loops(record: &Record) -> BTreeSet<String> {
    let file = |config: &str, client: &str| {
        record
            .case
            .iter()
            .find(|c| c.config == config && c.client == client)
            .map(|c| c.file.as_str())
            .unwrap_or_else(|| panic!("the record has no {config} / {client}"))
    };
    recorded_configs(record)
        .into_iter()
        .filter(|config| {
            [("bios-pxe", "bios-ipxe"), ("efi-x64-pxe", "efi-x64-ipxe")]
                .iter()
                .any(|(firmware, ipxe)| {
                    is_ipxe_binary(file(config, firmware)) && is_ipxe_binary(file(config, ipxe))
                })
        })
        .collect()
}

fn recorded_configs(record: &Record) -> BTreeSet<String> {
    record.case.iter().map(|c| c.config.clone()).collect()
}

fn flagged(findings: &BTreeMap<String, BTreeSet<String>>, code: &str) -> BTreeSet<String> {
    findings
        .iter()
        .filter(|(_, codes)| codes.contains(code))
        .map(|(config, _)| config.clone())
        .collect()
}

/// DHCP101 (chainload-loop) flags exactly the configurations where the
/// record shows a loop, and the record has configurations of both kinds.
fn check_chainload_loop(server: Server) {
    let findings = findings(server);
    let record = record(server);
    assert_eq!(
        findings.keys().cloned().collect::<BTreeSet<_>>(),
        recorded_configs(&record),
        "the {} configurations on disk are those recorded",
        server.name()
    );
    let loops = recorded_loops(&record);
    // A test that cannot tell the two kinds apart proves nothing.
    assert!(
        !loops.is_empty() && loops.len() < findings.len(),
        "{loops:?}"
    );
    assert_eq!(
        flagged(&findings, "DHCP101"),
        loops,
        "DHCP101 (chainload-loop) vs the loops in {}_observed.toml; all findings: {findings:#?}",
        server.name()
    );
}

#[test]
fn chainload_loop_flags_exactly_the_configurations_where_dnsmasq_made_ipxe_load_itself() {
    check_chainload_loop(Server::Dnsmasq);
}

#[test]
fn chainload_loop_flags_exactly_the_configurations_where_dhcpd_made_ipxe_load_itself() {
    check_chainload_loop(Server::Dhcpd);
}

#[test]
fn the_standard_chainloads_have_no_loop_and_two_untagged_lines_give_the_wrong_file() {
    let findings = findings(Server::Dnsmasq);
    for config in [
        "ipxe-175-standard",
        "ipxe-175-ipxe-line-first",
        "ipxe-175-untagged-after-tagged",
        "ipxe-175-untagged-before-tagged",
        "ipxe-userclass",
        "arch-and-ipxe",
        "proxy-ipxe-tag",
    ] {
        assert!(
            !findings[config].contains("DHCP101"),
            "{config}: {:?}",
            findings[config]
        );
    }
    // dnsmasq gave every client `second.efi` (the last untagged line): BIOS
    // gets an EFI binary, and `first.kpxe` never wins.
    let two = &findings["two-untagged-boot"];
    assert!(
        two.contains("DHCP104") && two.contains("DHCP102"),
        "{two:?}"
    );
    // pxe-service basename `undionly`: dnsmasq served `undionly.0`.
    assert!(findings["proxy-pxe-service"].contains("DHCP302"));
}
