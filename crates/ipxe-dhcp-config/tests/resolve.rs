//! Which boot file dnsmasq hands a client, and why (see src/resolve.rs for
//! the dnsmasq functions each rule follows).

use ipxe_dhcp_config::{Answer, ClientRequest, DnsmasqConfig, resolve};

fn answer(text: &str, client: &ClientRequest) -> (DnsmasqConfig, Answer) {
    let c = DnsmasqConfig::parse_str("dnsmasq.conf", text.as_bytes());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let a = resolve(&c, client);
    (c, a)
}

fn file(text: &str, client: &ClientRequest) -> Option<(String, u32)> {
    let (c, a) = answer(text, client);
    a.boot_file
        .map(|d| (d.value, c.directives[d.from].loc.line))
}

#[test]
fn of_two_untagged_boot_lines_the_last_wins_for_everyone() {
    let text = "dhcp-range=10.0.0.10,10.0.0.99\ndhcp-boot=undionly.kpxe\ndhcp-boot=http://10.0.0.1/boot.ipxe\n";
    for client in [ClientRequest::pxe_firmware(0), ClientRequest::ipxe(0)] {
        assert_eq!(
            file(text, &client),
            Some(("http://10.0.0.1/boot.ipxe".into(), 3))
        );
    }
    let (_, a) = answer(text, &ClientRequest::pxe_firmware(0));
    assert_eq!(a.boot_file.unwrap().shadowed, [1]);
}

#[test]
fn a_matching_tagged_line_beats_any_untagged_line() {
    let text =
        "dhcp-match=set:ipxe,175\ndhcp-boot=tag:ipxe,http://h/boot.ipxe\ndhcp-boot=undionly.kpxe\n";
    assert_eq!(
        file(text, &ClientRequest::ipxe(0)),
        Some(("http://h/boot.ipxe".into(), 2))
    );
    assert_eq!(
        file(text, &ClientRequest::pxe_firmware(0)),
        Some(("undionly.kpxe".into(), 3))
    );
}

#[test]
fn negated_tags_and_user_class() {
    let text = "dhcp-userclass=set:ipxe,iPXE\ndhcp-boot=tag:!ipxe,undionly.kpxe\ndhcp-boot=tag:ipxe,http://h/boot.ipxe\n";
    assert_eq!(
        file(text, &ClientRequest::pxe_firmware(0)).unwrap().0,
        "undionly.kpxe"
    );
    assert_eq!(
        file(text, &ClientRequest::ipxe(0)).unwrap().0,
        "http://h/boot.ipxe"
    );
}

#[test]
fn architecture_matches_by_value() {
    let text = "dhcp-match=set:efi64,option:client-arch,7\n\
                dhcp-match=set:bios,option:client-arch,0\n\
                dhcp-boot=tag:efi64,ipxe.efi\ndhcp-boot=tag:bios,undionly.kpxe\n";
    assert_eq!(
        file(text, &ClientRequest::pxe_firmware(7)).unwrap().0,
        "ipxe.efi"
    );
    assert_eq!(
        file(text, &ClientRequest::pxe_firmware(0)).unwrap().0,
        "undionly.kpxe"
    );
    assert_eq!(file(text, &ClientRequest::pxe_firmware(11)), None);
}

#[test]
fn vendor_class_is_a_substring_match() {
    let text = "dhcp-vendorclass=set:efi,PXEClient:Arch:00007\n\
                dhcp-vendorclass=set:never,PXEClient:Arch:0007\n\
                dhcp-boot=tag:efi,ipxe.efi\ndhcp-boot=tag:never,never.efi\n";
    let (_, a) = answer(text, &ClientRequest::pxe_firmware(7));
    assert!(a.has_tag("efi"));
    assert!(!a.has_tag("never"));
    assert_eq!(a.boot_file.unwrap().value, "ipxe.efi");
}

#[test]
fn tag_if_sees_tags_set_before_it() {
    let text = "dhcp-match=set:ipxe,175\n\
                dhcp-match=set:efi,option:client-arch,7\n\
                tag-if=set:efi-chain,tag:efi,tag:!ipxe\n\
                dhcp-boot=tag:efi-chain,ipxe.efi\ndhcp-boot=tag:ipxe,http://h/b.ipxe\n";
    assert_eq!(
        file(text, &ClientRequest::pxe_firmware(7)).unwrap().0,
        "ipxe.efi"
    );
    assert_eq!(
        file(text, &ClientRequest::ipxe(7)).unwrap().0,
        "http://h/b.ipxe"
    );
    assert_eq!(file(text, &ClientRequest::pxe_firmware(0)), None);
}

#[test]
fn option_67_fills_in_only_when_no_dhcp_boot_matches() {
    let text = "dhcp-match=set:ipxe,175\n\
                dhcp-option=tag:ipxe,option:bootfile-name,http://h/b.ipxe\n\
                dhcp-boot=tag:!ipxe,undionly.kpxe\n";
    let (c, a) = answer(text, &ClientRequest::ipxe(0));
    let d = a.boot_file.unwrap();
    assert_eq!(
        (d.value.as_str(), c.directives[d.from].loc.line),
        ("http://h/b.ipxe", 2)
    );
    assert_eq!(
        file(text, &ClientRequest::pxe_firmware(0)).unwrap().0,
        "undionly.kpxe"
    );
    // A matching dhcp-boot wins the file even when option 67 matches too.
    let text = "dhcp-option=67,other.kpxe\ndhcp-boot=undionly.kpxe\n";
    assert_eq!(
        file(text, &ClientRequest::pxe_firmware(0)).unwrap().0,
        "undionly.kpxe"
    );
    // Of two untagged option 67 lines the last is sent first.
    let text = "dhcp-option=67,a\ndhcp-option=67,b\n";
    let (_, a) = answer(text, &ClientRequest::pxe_firmware(0));
    assert_eq!(a.boot_file.unwrap().value, "b");
}

#[test]
fn proxy_dhcp_answers_only_pxe_clients_and_uses_the_uefi_workaround() {
    let text = "dhcp-range=192.168.0.0,proxy\n\
                pxe-service=x86-64_EFI,\"iPXE\",ipxe.efi\n\
                pxe-service=x86PC,\"iPXE\",undionly\n\
                dhcp-boot=undionly.kpxe\n";
    let (_, a) = answer(text, &ClientRequest::default());
    assert!(a.silent);
    // UEFI HTTP boot sends option 93 but vendor class `HTTPClient`.
    let http = ClientRequest {
        vendor_class: Some(b"HTTPClient:Arch:00016:UNDI:003000".to_vec()),
        ..ClientRequest::pxe_firmware(16)
    };
    assert!(answer(text, &http).1.silent);
    let (_, a) = answer(text, &ClientRequest::pxe_firmware(7));
    assert!(a.proxy);
    assert_eq!(a.boot_file.unwrap().value, "ipxe.efi");
    let (_, a) = answer(text, &ClientRequest::pxe_firmware(0));
    assert_eq!(a.pxe_menu, [2]);
    // With a menu the client asks port 4011 for the first item and loads
    // `undionly.0`, not the offer's `dhcp-boot` file (dnsmasq 2.90, recorded
    // in ipxe-dhcp-wire's proxy-pxe-service case).
    assert_eq!(a.boot_file.unwrap().value, "undionly.0");
}

#[test]
fn range_tags_and_range_choice() {
    let text = "dhcp-range=set:lab,10.0.0.10,10.0.0.99\ndhcp-range=set:office,10.1.0.10,10.1.0.99\n\
                dhcp-boot=tag:lab,lab.kpxe\ndhcp-boot=tag:office,office.kpxe\n";
    assert_eq!(
        file(text, &ClientRequest::pxe_firmware(0)).unwrap().0,
        "lab.kpxe"
    );
    let client = ClientRequest {
        range: Some(1),
        ..ClientRequest::pxe_firmware(0)
    };
    assert_eq!(file(text, &client).unwrap().0, "office.kpxe");
}
