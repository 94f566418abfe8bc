//! What a real dnsmasq answers each client kind, for the configurations in
//! `tests/dnsmasq_configs/`. The answers are recorded in
//! `tests/dnsmasq_observed.toml`, so a resolver of dnsmasq configurations
//! can be checked against them without root; the ignored tests check, on a
//! machine with dnsmasq, that the record still holds and state the facts a
//! resolver must follow.
//!
//! Run: `cargo test -p ipxe-dhcp-wire --test dnsmasq -- --include-ignored`
//! (as root). `UPDATE_OBSERVED=1` rewrites the record from this machine.

mod common;

use common::{check_record, check_record_covers, config_text, file_of, files};
use ipxe_dhcp_wire::ClientKind;
use ipxe_dhcp_wire::harness::{
    Observation, RunOptions, dnsmasq_version, observe_dnsmasq, require_environment,
};
use ipxe_dhcp_wire::options::code;

/// Every client kind against one configuration on the real dnsmasq.
fn observe(config: &str) -> Vec<Observation> {
    require_environment();
    observe_dnsmasq(
        &config_text("dnsmasq_configs", config),
        &ClientKind::ALL,
        &RunOptions::default(),
    )
    .unwrap_or_else(|e| panic!("running dnsmasq with {config}.conf: {e}"))
}

#[test]
#[ignore = "needs root, iproute2 and dnsmasq: apt-get install iproute2 dnsmasq, run as root"]
fn recorded_answers_still_match_this_machines_dnsmasq() {
    require_environment();
    let version = dnsmasq_version().expect("dnsmasq version");
    check_record("dnsmasq_configs", "dnsmasq_observed.toml", version, observe);
}

#[test]
fn record_covers_every_configuration_and_client_once() {
    check_record_covers("dnsmasq_configs", "dnsmasq_observed.toml");
}

#[test]
#[ignore = "needs root, iproute2 and dnsmasq: apt-get install iproute2 dnsmasq, run as root"]
fn of_two_untagged_dhcp_boot_lines_the_last_wins() {
    let observed = observe("two-untagged-boot");
    for (client, file) in files(&observed) {
        assert_eq!(file, "second.efi", "{client}");
    }
}

#[test]
#[ignore = "needs root, iproute2 and dnsmasq: apt-get install iproute2 dnsmasq, run as root"]
fn a_matching_tagged_dhcp_boot_beats_an_untagged_one_in_either_order() {
    for config in [
        "ipxe-175-untagged-before-tagged",
        "ipxe-175-untagged-after-tagged",
    ] {
        let observed = observe(config);
        for (client, file) in files(&observed) {
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
#[ignore = "needs root, iproute2 and dnsmasq: apt-get install iproute2 dnsmasq, run as root"]
fn ipxe_is_recognised_by_option_175_or_its_bare_user_class() {
    for config in [
        "ipxe-175-standard",
        "ipxe-175-ipxe-line-first",
        "ipxe-userclass",
    ] {
        let observed = observe(config);
        for (client, file) in files(&observed) {
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
#[ignore = "needs root, iproute2 and dnsmasq: apt-get install iproute2 dnsmasq, run as root"]
fn client_arch_tags_pick_a_file_per_architecture_whatever_the_default_s_place() {
    for config in ["arch-match", "arch-match-default-first"] {
        let observed = observe(config);
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
            assert_eq!(file_of(&observed, kind), file, "{config}: {kind}");
        }
    }
}

#[test]
#[ignore = "needs root, iproute2 and dnsmasq: apt-get install iproute2 dnsmasq, run as root"]
fn two_tags_on_one_line_must_all_match() {
    let observed = observe("arch-and-ipxe");
    assert_eq!(file_of(&observed, ClientKind::EfiX64Pxe), "ipxe.efi");
    assert_eq!(file_of(&observed, ClientKind::BiosPxe), "undionly.kpxe");
    assert_eq!(file_of(&observed, ClientKind::EfiArm64Pxe), "undionly.kpxe");
    for kind in [ClientKind::BiosIpxe, ClientKind::EfiX64Ipxe] {
        assert_eq!(file_of(&observed, kind), "http://10.213.0.1/boot.ipxe");
    }
}

#[test]
#[ignore = "needs root, iproute2 and dnsmasq: apt-get install iproute2 dnsmasq, run as root"]
fn http_boot_gets_its_url_and_the_vendor_class_echoed() {
    let observed = observe("http-client");
    let http = observed
        .iter()
        .find(|o| o.client == ClientKind::EfiX64Http)
        .unwrap();
    assert_eq!(
        http.boot_file().as_deref(),
        Some("http://10.213.0.1/ipxe.efi")
    );
    let offer = http.offer.as_ref().unwrap();
    assert_eq!(offer.options.vendor_class(), Some(&b"HTTPClient"[..]));
    for o in observed
        .iter()
        .filter(|o| o.client != ClientKind::EfiX64Http)
    {
        assert_eq!(
            o.boot_file().as_deref(),
            Some("undionly.kpxe"),
            "{}",
            o.client
        );
        let echoed = o.offer.as_ref().unwrap().options.vendor_class();
        assert_eq!(echoed, None, "{}", o.client);
    }
}

#[test]
#[ignore = "needs root, iproute2 and dnsmasq: apt-get install iproute2 dnsmasq, run as root"]
fn dhcp_boot_server_name_goes_to_option_66_only_when_asked_for() {
    let observed = observe("boot-server-fields");
    for o in &observed {
        let offer = o.offer.as_ref().unwrap();
        assert_eq!(offer.siaddr.to_string(), "10.213.0.5", "{}", o.client);
        assert_eq!(o.boot_file().as_deref(), Some("pxelinux.0"));
        let asked = o
            .client
            .discover(&o.identity)
            .options
            .parameter_request_list()
            .unwrap()
            .contains(&66);
        let (option_66, sname) = (
            offer.options.get(code::TFTP_SERVER_NAME),
            offer.sname_field(),
        );
        if asked {
            // dnsmasq NUL-terminates the names it puts in options 66 and 67.
            assert_eq!(option_66, Some(&b"bootsrv\0"[..]), "{}", o.client);
            assert_eq!(sname, None, "{}", o.client);
            assert_eq!(
                offer.options.get(code::BOOTFILE_NAME),
                Some(&b"pxelinux.0\0"[..])
            );
        } else {
            assert_eq!(
                (option_66, sname),
                (None, Some(&b"bootsrv"[..])),
                "{}",
                o.client
            );
        }
    }
}

#[test]
#[ignore = "needs root, iproute2 and dnsmasq: apt-get install iproute2 dnsmasq, run as root"]
fn proxy_dhcp_gives_the_file_on_port_4011_and_adds_dot_zero_for_bios() {
    let observed = observe("proxy-pxe-service");
    let expected = [
        (ClientKind::BiosPxe, "undionly.0"),
        (ClientKind::BiosIpxe, "undionly.0"),
        (ClientKind::EfiX64Pxe, "ipxe-x64.efi"),
        (ClientKind::EfiX64Ipxe, "ipxe-x64.efi"),
        (ClientKind::EfiX64Http, ""),
        (ClientKind::EfiArm64Pxe, "ipxe-arm64.efi"),
        (ClientKind::EfiIa32Pxe, ""),
    ];
    for (kind, file) in expected {
        assert_eq!(file_of(&observed, kind), file, "{kind}");
        let o = observed.iter().find(|o| o.client == kind).unwrap();
        // The offer itself never names a file in proxy mode.
        if let Some(offer) = &o.offer {
            assert!(
                offer.yiaddr.is_unspecified(),
                "{kind}: a proxy offer has no address"
            );
            assert_eq!(offer.boot_file(), None, "{kind}");
        }
    }
    let http = observed
        .iter()
        .find(|o| o.client == ClientKind::EfiX64Http)
        .unwrap();
    assert!(http.offer.is_none(), "HTTPClient gets no proxy offer");
    // Only BIOS clients get a PXE boot menu (43.9) in the proxy offer.
    for o in observed.iter().filter(|o| o.offer.is_some()) {
        let menu = o
            .offer
            .as_ref()
            .unwrap()
            .options
            .pxe_vendor()
            .and_then(Result::ok);
        let entries = menu.map(|m| m.boot_menu.len()).unwrap_or(0);
        let bios = o.client.architecture() == 0;
        assert_eq!(entries > 0, bios, "{}: {entries} menu entries", o.client);
    }
}

#[test]
#[ignore = "needs root, iproute2 and dnsmasq: apt-get install iproute2 dnsmasq, run as root"]
fn proxy_offers_carry_a_matching_dhcp_boot_but_pxe_services_only_on_port_4011() {
    let observed = observe("proxy-ipxe-tag");
    for kind in [ClientKind::BiosIpxe, ClientKind::EfiX64Ipxe] {
        let o = observed.iter().find(|o| o.client == kind).unwrap();
        assert_eq!(
            o.offered_boot_file().as_deref(),
            Some("http://10.213.0.1/boot.ipxe"),
            "{kind}: dhcp-boot in the proxy offer itself"
        );
    }
    let expected = [
        (ClientKind::BiosPxe, "undionly.kpxe"),
        (ClientKind::EfiX64Pxe, "ipxe.efi"),
        (ClientKind::EfiArm64Pxe, ""),
        (ClientKind::EfiIa32Pxe, ""),
    ];
    for (kind, file) in expected {
        let o = observed.iter().find(|o| o.client == kind).unwrap();
        assert_eq!(o.offered_boot_file(), None, "{kind}");
        assert_eq!(file_of(&observed, kind), file, "{kind}: from port 4011");
    }
}

#[test]
#[ignore = "needs root, iproute2 and dnsmasq: apt-get install iproute2 dnsmasq, run as root"]
fn dhcp_boot_and_dhcp_option_67_both_go_out_dhcp_boot_first() {
    let observed = observe("option-67-and-dhcp-boot");
    for o in &observed {
        let offer = o.offer.as_ref().unwrap();
        // Two instances of option 67; joined (RFC 3396) they are two
        // NUL-terminated names, and a client reading a C string sees the first.
        assert_eq!(
            offer.options.get(code::BOOTFILE_NAME),
            Some(&b"from-dhcp-boot.kpxe\0from-option-67.efi\0"[..]),
            "{}",
            o.client
        );
        assert_eq!(o.boot_file().as_deref(), Some("from-dhcp-boot.kpxe"));
        assert_eq!(
            offer.file_field(),
            None,
            "{}: file field left empty",
            o.client
        );
    }
}

#[test]
#[ignore = "needs root, iproute2 and dnsmasq: apt-get install iproute2 dnsmasq, run as root"]
fn every_observation_carries_dnsmasq_s_log_for_its_transaction() {
    let observed = observe("ipxe-175-standard");
    for o in &observed {
        assert!(
            o.log.iter().any(|l| l.contains("DHCPDISCOVER")),
            "{}: {:?}",
            o.client,
            o.log
        );
        let tags = o
            .log
            .iter()
            .find(|l| l.contains(" tags: "))
            .expect("a tags line");
        assert_eq!(tags.contains("ipxe"), o.client.is_ipxe(), "{tags}");
    }
}

#[test]
#[ignore = "needs root, iproute2 and dnsmasq: apt-get install iproute2 dnsmasq, run as root"]
fn a_configuration_dnsmasq_rejects_is_an_error_with_its_words_and_leaves_nothing_behind() {
    require_environment();
    let config = "dhcp-range=10.213.0.150,10.213.0.250,255.255.255.0,1h\ndhcp-boot=tag:\n";
    let err = observe_dnsmasq(config, &[ClientKind::BiosPxe], &RunOptions::default())
        .expect_err("dnsmasq refuses an empty tag");
    assert!(err.to_string().contains("dnsmasq exited"), "{err}");
    assert!(
        err.to_string().contains("line 2"),
        "dnsmasq names the line: {err}"
    );
    let namespace = err
        .to_string()
        .rsplit("(in namespace ")
        .next()
        .and_then(|rest| rest.strip_suffix(')'))
        .expect("the error names the namespace")
        .to_owned();
    assert!(namespace.starts_with("ipxe-dhcp-wire-"), "{namespace}");
    let left = ipxe_dhcp_wire::harness::run_bounded(
        "ip",
        &["netns", "list"],
        std::time::Duration::from_secs(5),
    )
    .expect("ip netns list");
    let client = namespace.replace("-s", "-c");
    for name in [&namespace, &client] {
        assert!(
            !left
                .lines()
                .any(|l| l.split_whitespace().next() == Some(name)),
            "{name} outlived the failed run: {left}"
        );
    }
}
