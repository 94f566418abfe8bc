//! What a real ISC dhcpd answers each client kind, for the configurations
//! in `tests/dhcpd_configs/`, recorded in `tests/dhcpd_observed.toml` (see
//! `tests/dnsmasq.rs` for the idea).
//!
//! Run: `cargo test -p ipxe-dhcp-wire --test dhcpd -- --include-ignored`
//! (as root). `UPDATE_OBSERVED=1` rewrites the record from this machine.

mod common;

use common::{check_record, check_record_covers, config_text, file_of, files};
use ipxe_dhcp_wire::ClientKind;
use ipxe_dhcp_wire::harness::{
    Observation, RunOptions, dhcpd_version, observe_dhcpd, require_dhcpd_environment,
};
use ipxe_dhcp_wire::options::code;

/// Every client kind against one configuration on the real dhcpd.
fn observe(config: &str) -> Vec<Observation> {
    require_dhcpd_environment();
    observe_dhcpd(
        &config_text("dhcpd_configs", config),
        &ClientKind::ALL,
        &RunOptions::default(),
    )
    .unwrap_or_else(|e| panic!("running dhcpd with {config}.conf: {e}"))
}

#[test]
#[ignore = "needs root, iproute2 and ISC dhcpd: apt-get install iproute2 isc-dhcp-server, run as root"]
fn recorded_answers_still_match_this_machines_dhcpd() {
    require_dhcpd_environment();
    let version = dhcpd_version().expect("dhcpd version");
    check_record("dhcpd_configs", "dhcpd_observed.toml", version, observe);
}

#[test]
fn record_covers_every_configuration_and_client_once() {
    check_record_covers("dhcpd_configs", "dhcpd_observed.toml");
}

#[test]
#[ignore = "needs root, iproute2 and ISC dhcpd: apt-get install iproute2 isc-dhcp-server, run as root"]
fn ipxe_is_recognised_by_its_bare_user_class_and_by_option_175() {
    for config in ["ipxe-userclass", "ipxe-175"] {
        for (client, file) in files(&observe(config)) {
            let kind = ClientKind::from_name(client).unwrap();
            let expected = if kind.is_ipxe() {
                "http://10.213.0.1/boot.ipxe"
            } else {
                "undionly.kpxe"
            };
            assert_eq!(file, expected, "{config}: {client}");
        }
    }
}

#[test]
#[ignore = "needs root, iproute2 and ISC dhcpd: apt-get install iproute2 isc-dhcp-server, run as root"]
fn the_file_goes_in_the_file_field_not_option_67() {
    for o in observe("ipxe-userclass") {
        let offer = o.offer.as_ref().unwrap();
        assert_eq!(offer.options.get(code::BOOTFILE_NAME), None, "{}", o.client);
        assert!(offer.file_field().is_some(), "{}", o.client);
    }
}

#[test]
#[ignore = "needs root, iproute2 and ISC dhcpd: apt-get install iproute2 isc-dhcp-server, run as root"]
fn of_two_filenames_in_one_scope_the_last_wins_and_the_inner_scope_beats_the_global() {
    for (client, file) in files(&observe("two-filenames")) {
        assert_eq!(file, "second.efi", "{client}");
    }
}

#[test]
#[ignore = "needs root, iproute2 and ISC dhcpd: apt-get install iproute2 isc-dhcp-server, run as root"]
fn arch_conditions_pick_a_file_per_architecture() {
    let observed = observe("arch");
    let expected = [
        (ClientKind::BiosPxe, "undionly.kpxe"),
        (ClientKind::BiosIpxe, "undionly.kpxe"),
        (ClientKind::EfiX64Pxe, "ipxe-x64.efi"),
        (ClientKind::EfiX64Ipxe, "ipxe-x64.efi"),
        (ClientKind::EfiX64Http, "http://10.213.0.1/ipxe-x64.efi"),
        (ClientKind::EfiArm64Pxe, "ipxe-arm64.efi"),
        (ClientKind::EfiIa32Pxe, "ipxe-ia32.efi"),
    ];
    for (kind, file) in expected {
        assert_eq!(file_of(&observed, kind), file, "{kind}");
    }
    let http = observed
        .iter()
        .find(|o| o.client == ClientKind::EfiX64Http)
        .unwrap();
    let echoed = http.offer.as_ref().unwrap().options.vendor_class();
    assert_eq!(echoed, Some(&b"HTTPClient"[..]));
}

#[test]
#[ignore = "needs root, iproute2 and ISC dhcpd: apt-get install iproute2 isc-dhcp-server, run as root"]
fn vendor_class_matches_split_pxe_from_http_boot() {
    let observed = observe("vendor-classes");
    for (client, file) in files(&observed) {
        let expected = if client == "efi-x64-http" {
            "http://10.213.0.1/ipxe.efi"
        } else {
            "undionly.kpxe"
        };
        assert_eq!(file, expected, "{client}");
    }
}

#[test]
#[ignore = "needs root, iproute2 and ISC dhcpd: apt-get install iproute2 isc-dhcp-server, run as root"]
fn server_name_and_next_server_fill_sname_and_siaddr_for_every_client() {
    for o in observe("server-name") {
        let offer = o.offer.as_ref().unwrap();
        assert_eq!(offer.sname_field(), Some(&b"bootsrv"[..]), "{}", o.client);
        assert_eq!(
            offer.options.get(code::TFTP_SERVER_NAME),
            None,
            "{}",
            o.client
        );
        assert_eq!(offer.siaddr.to_string(), "10.213.0.5", "{}", o.client);
        assert!(
            o.log.iter().any(|l| l.starts_with("DHCPOFFER on ")),
            "{}: {:?}",
            o.client,
            o.log
        );
    }
}
