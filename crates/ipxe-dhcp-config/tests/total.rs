//! Reading is total: any bytes give a configuration, and every place points
//! inside its file.

use ipxe_dhcp_config::{ClientRequest, DnsmasqConfig, resolve};
use proptest::prelude::*;

fn check(bytes: &[u8]) {
    let c = DnsmasqConfig::parse_str("fuzz.conf", bytes);
    for d in &c.directives {
        let len = c.source(d.loc.file).text.len() as u32;
        for loc in std::iter::once(d.loc)
            .chain(std::iter::once(d.name.loc))
            .chain(d.args.iter().map(|a| a.loc))
        {
            assert!(
                loc.start <= loc.end && loc.end <= len,
                "{loc:?} outside {len}"
            );
            assert!(loc.line >= 1 && loc.col >= 1);
        }
    }
    for p in &c.problems {
        assert!(p.loc.end as usize <= c.source(p.loc.file).text.len());
    }
    for arch in [0, 7] {
        resolve(&c, &ClientRequest::pxe_firmware(arch));
        resolve(&c, &ClientRequest::ipxe(arch));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        check(&bytes);
    }

    #[test]
    fn config_like_text(lines in proptest::collection::vec(
        "(dhcp-boot|dhcp-range|dhcp-match|dhcp-option|pxe-service|tag-if|dhcp-vendorclass|conf-file|x)?=?[a-z:!#,\" .0-9\\\\=-]{0,40}",
        0..12,
    )) {
        check(lines.join("\n").as_bytes());
    }
}

/// dnsmasq's `find_boot` over lines in any order: a matching tagged line
/// beats every untagged one, and among lines of one kind the last wins.
fn expected_winner(lines: &[(bool, bool)]) -> Option<usize> {
    // (tagged, matches): untagged lines always match.
    let last = |want_tagged: bool| {
        lines
            .iter()
            .rposition(|&(tagged, matches)| tagged == want_tagged && (matches || !tagged))
    };
    last(true).or_else(|| last(false))
}

proptest! {
    #[test]
    fn the_last_matching_boot_line_wins_tagged_first(lines in proptest::collection::vec((any::<bool>(), any::<bool>()), 0..8)) {
        let mut text = String::from("dhcp-match=set:ipxe,175\n");
        for (i, &(tagged, matches)) in lines.iter().enumerate() {
            let tag = if matches { "ipxe" } else { "other" };
            if tagged {
                text.push_str(&format!("dhcp-boot=tag:{tag},file{i}\n"));
            } else {
                text.push_str(&format!("dhcp-boot=file{i}\n"));
            }
        }
        let config = DnsmasqConfig::parse_str("p.conf", text.as_bytes());
        let answer = resolve(&config, &ClientRequest::ipxe(0));
        let got = answer.boot_file.map(|d| d.value);
        prop_assert_eq!(got, expected_winner(&lines).map(|i| format!("file{i}")));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn isc_reading_is_total(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let c = ipxe_dhcp_config::isc::IscConfig::parse("dhcpd.conf", &bytes);
        for p in &c.problems {
            prop_assert!(p.loc.end as usize <= bytes.len());
        }
        ipxe_dhcp_config::isc::resolve_isc(&c, &ClientRequest::ipxe(7));
    }

    #[test]
    fn isc_like_text_is_total(words in proptest::collection::vec(
        "(if|elsif|else|subnet|class|match|exists|option|filename|\\{|\\}|;|=|\\(|\\)|,|\"[a-z]{0,3}\"|[a-z.:0-9-]{1,6})",
        0..60,
    )) {
        let text = words.join(" ");
        let c = ipxe_dhcp_config::isc::IscConfig::parse("dhcpd.conf", text.as_bytes());
        for p in &c.problems {
            prop_assert!(p.loc.end as usize <= text.len());
        }
        ipxe_dhcp_config::isc::resolve_isc(&c, &ClientRequest::ipxe(0));
        ipxe_dhcp_config::isc::resolve_isc(&c, &ClientRequest::pxe_firmware(7));
    }
}
