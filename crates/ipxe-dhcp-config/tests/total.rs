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
