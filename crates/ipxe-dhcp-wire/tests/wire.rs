//! Packet encoding and decoding, option views and client models.

use std::net::Ipv4Addr;

use ipxe_dhcp_wire::options::{code, ipxe, pxe};
use ipxe_dhcp_wire::packet::{BOOTREPLY, FLAG_BROADCAST, MAGIC_COOKIE};
use ipxe_dhcp_wire::{
    BootMenuEntry, BootServer, ClientIdentity, ClientKind, DecodeErrorKind, EncodeError,
    MessageType, Options, Packet, PxeVendorOptions, UserClass,
};
use proptest::prelude::*;

fn reply_with(options: Options) -> Packet {
    let mut packet = Packet::request(0x01020304, [2, 0, 0, 0, 0, 1]);
    packet.op = BOOTREPLY;
    packet.options = options;
    packet
}

#[test]
fn header_fields_sit_at_their_rfc_2131_offsets() {
    let mut packet = Packet::request(0xdeadbeef, [0x52, 0x54, 0, 0x12, 0x34, 0x56]);
    packet.flags = FLAG_BROADCAST;
    packet.siaddr = Ipv4Addr::new(10, 0, 0, 9);
    packet.file[..5].copy_from_slice(b"a.efi");
    packet.options.set(code::MESSAGE_TYPE, vec![1]);
    let bytes = packet.encode();
    assert_eq!(bytes.len(), 300, "padded to BOOTP's 300 bytes");
    assert_eq!(&bytes[..4], &[1, 1, 6, 0]);
    assert_eq!(&bytes[4..8], &[0xde, 0xad, 0xbe, 0xef]);
    assert_eq!(&bytes[10..12], &[0x80, 0]);
    assert_eq!(&bytes[20..24], &[10, 0, 0, 9]);
    assert_eq!(&bytes[28..34], &[0x52, 0x54, 0, 0x12, 0x34, 0x56]);
    assert_eq!(&bytes[108..112], b"a.ef");
    assert_eq!(&bytes[236..240], &MAGIC_COOKIE);
    assert_eq!(&bytes[240..244], &[53, 1, 1, 255]);
    assert_eq!(Packet::decode(&bytes).unwrap(), packet);
}

#[test]
fn short_packet_error_points_where_the_bytes_end() {
    let err = Packet::decode(&[1; 100]).unwrap_err();
    assert_eq!(err.offset, 100);
    assert_eq!(err.kind, DecodeErrorKind::TruncatedHeader { len: 100 });
    let err = Packet::decode(&[0; 238]).unwrap_err();
    assert_eq!(
        (err.offset, &err.kind),
        (236, &DecodeErrorKind::TruncatedCookie)
    );
    assert_eq!(
        err.to_string(),
        "byte 236: packet ends inside the DHCP magic cookie"
    );
}

#[test]
fn wrong_cookie_is_reported_at_byte_236() {
    let mut bytes = reply_with(Options::new()).encode();
    bytes[238] = 0;
    let err = Packet::decode(&bytes).unwrap_err();
    assert_eq!(err.offset, 236);
    assert_eq!(
        err.kind,
        DecodeErrorKind::BadCookie {
            found: [99, 130, 0, 99]
        }
    );
}

#[test]
fn option_running_past_the_area_is_reported_at_its_code() {
    let mut bytes = reply_with(Options::new()).encode();
    bytes.truncate(240);
    bytes.extend_from_slice(&[53, 1, 2, 0, 0, 67, 20, b'x']);
    let err = Packet::decode(&bytes).unwrap_err();
    assert_eq!(err.offset, 245, "the 67 after two pads");
    assert_eq!(
        err.kind,
        DecodeErrorKind::OptionOverrun {
            code: 67,
            len: 20,
            available: 1
        }
    );
    bytes.truncate(246);
    let err = Packet::decode(&bytes).unwrap_err();
    assert_eq!(
        (err.offset, err.kind),
        (245, DecodeErrorKind::OptionLengthMissing { code: 67 })
    );
}

#[test]
fn bad_overload_value_is_an_error_at_option_52() {
    let mut bytes = reply_with(Options::new()).encode();
    bytes.truncate(240);
    bytes.extend_from_slice(&[53, 1, 2, 52, 1, 7, 255]);
    let err = Packet::decode(&bytes).unwrap_err();
    assert_eq!(err.offset, 243);
    assert_eq!(err.kind, DecodeErrorKind::BadOverload { value: vec![7] });
}

#[test]
fn repeated_options_are_one_long_option() {
    let mut bytes = reply_with(Options::new()).encode();
    bytes.truncate(240);
    bytes.extend_from_slice(&[67, 3, b'a', b'b', b'c', 53, 1, 2, 67, 2, b'd', b'e', 255]);
    let packet = Packet::decode(&bytes).unwrap();
    assert_eq!(packet.options.get(67), Some(&b"abcde"[..]));
    let codes: Vec<u8> = packet.options.iter().map(|o| o.code).collect();
    assert_eq!(codes, [67, 53], "joined at the first one's place");
}

#[test]
fn long_options_are_split_into_255_byte_pieces() {
    let long = vec![b'x'; 600];
    let packet = reply_with([(code::BOOTFILE_NAME, long.clone())].into_iter().collect());
    let bytes = packet.encode();
    assert_eq!(&bytes[240..242], &[67, 255]);
    assert_eq!(&bytes[240 + 257..240 + 259], &[67, 255]);
    assert_eq!(&bytes[240 + 514..240 + 516], &[67, 90]);
    assert_eq!(Packet::decode(&bytes).unwrap().boot_file(), Some(&long[..]));
}

#[test]
fn options_overflow_into_file_then_sname_under_a_size_limit() {
    let options: Options = [
        (code::MESSAGE_TYPE, vec![2]),
        (code::VENDOR_CLASS, vec![b'v'; 40]),
        (code::BOOTFILE_NAME, b"http://10.0.0.1/boot.ipxe".to_vec()),
        (code::PXELINUX_CONFIG_FILE, vec![b'c'; 90]),
        (code::PXELINUX_PATH_PREFIX, vec![b'p'; 40]),
    ]
    .into_iter()
    .collect();
    let packet = reply_with(options);
    let bytes = packet.encode_within(300).unwrap();
    assert_eq!(bytes.len(), 300);
    assert_eq!(&bytes[240..243], &[52, 1, 3], "both fields overloaded");
    assert_eq!(bytes[108], code::BOOTFILE_NAME, "file holds options");
    assert_eq!(bytes[44], code::PXELINUX_PATH_PREFIX, "sname holds options");
    let decoded = Packet::decode(&bytes).unwrap();
    assert_eq!(decoded, packet);
    assert_eq!(decoded.file_field(), None);
    assert_eq!(decoded.boot_file(), Some(&b"http://10.0.0.1/boot.ipxe"[..]));
}

#[test]
fn a_named_file_field_is_never_overwritten_by_overload() {
    let mut packet = reply_with(
        [(code::PXELINUX_CONFIG_FILE, vec![b'c'; 200])]
            .into_iter()
            .collect(),
    );
    packet.file[..7].copy_from_slice(b"pxe.0\0\0");
    assert!(matches!(
        packet.encode_within(300),
        Err(EncodeError::TooLarge { .. })
    ));
    packet.options = [(code::PXELINUX_CONFIG_FILE, vec![b'c'; 60])]
        .into_iter()
        .collect();
    let bytes = packet.encode_within(300).unwrap();
    assert_eq!(&bytes[240..243], &[52, 1, 2], "only sname used");
    assert_eq!(Packet::decode(&bytes).unwrap(), packet);
}

#[test]
fn boot_file_prefers_option_67_over_the_file_field() {
    let mut packet = reply_with(Options::new());
    packet.file[..9].copy_from_slice(b"field.efi");
    assert_eq!(packet.boot_file(), Some(&b"field.efi"[..]));
    packet
        .options
        .set(code::BOOTFILE_NAME, b"opt.efi\0".to_vec());
    assert_eq!(
        packet.boot_file(),
        Some(&b"opt.efi"[..]),
        "trailing NUL dropped"
    );
}

#[test]
fn user_class_reads_ipxe_bare_string_and_rfc_3004_lists() {
    assert_eq!(
        UserClass::decode(b"iPXE"),
        UserClass::Plain(b"iPXE".to_vec())
    );
    let rfc = UserClass::decode(b"\x04iPXE\x03foo");
    assert_eq!(
        rfc,
        UserClass::Rfc3004(vec![b"iPXE".to_vec(), b"foo".to_vec()])
    );
    assert_eq!(rfc.encode(), b"\x04iPXE\x03foo");
    assert_eq!(rfc.names(), vec![&b"iPXE"[..], &b"foo"[..]]);
    // A zero-length item is not RFC 3004.
    assert_eq!(UserClass::decode(b"\x00"), UserClass::Plain(vec![0]));
}

#[test]
fn pxe_vendor_options_decode_what_a_proxy_server_sends() {
    // 43.6 = 3, one menu item "Boot iPXE" of type 0x8000, prompt, end.
    let mut data = vec![pxe::DISCOVERY_CONTROL, 1, 3];
    data.extend_from_slice(&[pxe::BOOT_MENU, 12, 0x80, 0x00, 9]);
    data.extend_from_slice(b"Boot iPXE");
    data.extend_from_slice(&[pxe::MENU_PROMPT, 5, 0, b'P', b'X', b'E', b'!']);
    data.push(255);
    let decoded = PxeVendorOptions::decode(&data, 0).unwrap();
    assert_eq!(decoded.discovery_control, Some(3));
    assert_eq!(
        decoded.boot_menu,
        vec![BootMenuEntry {
            server_type: 0x8000,
            description: b"Boot iPXE".to_vec()
        }]
    );
    assert_eq!(decoded.menu_prompt, Some((0, b"PXE!".to_vec())));
    assert_eq!(decoded.encode(), data);
}

#[test]
fn pxe_vendor_option_shape_errors_name_the_sub_option() {
    let err = PxeVendorOptions::decode(&[pxe::BOOT_ITEM, 3, 0, 0, 0, 255], 250).unwrap_err();
    assert_eq!(err.offset, 250);
    assert_eq!(
        err.to_string(),
        "byte 250: PXE sub-option 43.71: boot item is four bytes"
    );
    let err = PxeVendorOptions::decode(&[pxe::BOOT_SERVERS, 4, 0, 1, 2, 10], 0).unwrap_err();
    assert!(err.to_string().contains("43.8"), "{err}");
}

#[test]
fn vendor_classes_follow_the_pxe_and_uefi_formats() {
    let expected = [
        (ClientKind::BiosPxe, "PXEClient:Arch:00000:UNDI:002001"),
        (ClientKind::BiosIpxe, "PXEClient:Arch:00000:UNDI:002001"),
        (ClientKind::EfiX64Pxe, "PXEClient:Arch:00007:UNDI:003000"),
        (ClientKind::EfiX64Ipxe, "PXEClient:Arch:00007:UNDI:003010"),
        (ClientKind::EfiX64Http, "HTTPClient:Arch:00016:UNDI:003000"),
        (ClientKind::EfiArm64Pxe, "PXEClient:Arch:00011:UNDI:003000"),
        (ClientKind::EfiIa32Pxe, "PXEClient:Arch:00006:UNDI:003000"),
    ];
    for (kind, class) in expected {
        assert_eq!(kind.vendor_class(), class, "{kind}");
        let discover =
            Packet::decode(&kind.discover(&ClientIdentity::numbered(1)).encode()).unwrap();
        assert_eq!(discover.options.vendor_class(), Some(class.as_bytes()));
        assert_eq!(
            discover.options.client_architectures(),
            Some(vec![kind.architecture()])
        );
        assert_eq!(discover.options.message_type(), Some(MessageType::Discover));
        assert_eq!(
            discover.options.client_uuid(),
            Some(ClientIdentity::numbered(1).uuid)
        );
    }
}

#[test]
fn only_ipxe_sends_user_class_and_option_175() {
    for kind in ClientKind::ALL {
        let discover = kind.discover(&ClientIdentity::numbered(7));
        let options = &discover.options;
        if kind.is_ipxe() {
            assert_eq!(
                options.user_class(),
                Some(UserClass::Plain(b"iPXE".to_vec()))
            );
            let features = options.ipxe_encapsulated().unwrap().unwrap();
            assert_eq!(features.get(ipxe::FEATURE_HTTP), Some(&[1][..]));
            assert!(features.contains(ipxe::VERSION));
            assert!(options.parameter_request_list().unwrap().contains(&175));
            assert_eq!(
                options.get(code::CLIENT_ID),
                Some(&[1, 2, 0x1d, 0, 0, 0, 7][..])
            );
        } else {
            assert_eq!(options.user_class(), None, "{kind}");
            assert!(!options.contains(code::IPXE_ENCAPSULATED), "{kind}");
        }
        let prl = options.parameter_request_list().unwrap();
        assert!(
            prl.contains(&67) && prl.contains(&43),
            "{kind} asks for 43 and 67"
        );
    }
}

#[test]
fn a_request_names_the_offering_server_and_address() {
    let id = ClientIdentity::numbered(3);
    let mut offer = reply_with(
        [
            (code::MESSAGE_TYPE, vec![2]),
            (code::SERVER_IDENTIFIER, vec![10, 213, 0, 1]),
        ]
        .into_iter()
        .collect(),
    );
    offer.yiaddr = Ipv4Addr::new(10, 213, 0, 150);
    for kind in ClientKind::ALL {
        let request = kind.request(&id, &offer);
        assert_eq!(request.options.message_type(), Some(MessageType::Request));
        assert_eq!(
            request.options.server_identifier(),
            Some(Ipv4Addr::new(10, 213, 0, 1))
        );
        assert_eq!(
            request.options.get(code::REQUESTED_ADDRESS),
            Some(&[10, 213, 0, 150][..])
        );
        assert_eq!(request.xid, id.xid);
    }
}

#[test]
fn client_names_round_trip() {
    for kind in ClientKind::ALL {
        assert_eq!(ClientKind::from_name(kind.name()), Some(kind));
    }
    assert_eq!(ClientKind::from_name("bios"), None);
}

// ---- properties ----

fn arb_options() -> impl Strategy<Value = Options> {
    // Codes other than pad, end and overload (52 is an encoding detail).
    let code = (1u8..=254).prop_filter("not 52", |c| *c != 52);
    prop::collection::vec((code, prop::collection::vec(any::<u8>(), 0..300)), 0..12)
        .prop_map(|pairs| pairs.into_iter().collect())
}

fn arb_packet() -> impl Strategy<Value = Packet> {
    (
        (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>()),
        (any::<u32>(), any::<u16>(), any::<u16>()),
        [any::<u32>(), any::<u32>(), any::<u32>(), any::<u32>()],
        any::<[u8; 16]>(),
        prop::option::of(prop::collection::vec(1u8..=255, 1..64)),
        prop::option::of(prop::collection::vec(1u8..=255, 1..128)),
        arb_options(),
    )
        .prop_map(
            |(head, (xid, secs, flags), ips, chaddr, sname, file, options)| {
                let mut packet = Packet::request(xid, [0; 6]);
                (packet.op, packet.htype, packet.hlen, packet.hops) = head;
                packet.secs = secs;
                packet.flags = flags;
                packet.ciaddr = Ipv4Addr::from(ips[0]);
                packet.yiaddr = Ipv4Addr::from(ips[1]);
                packet.siaddr = Ipv4Addr::from(ips[2]);
                packet.giaddr = Ipv4Addr::from(ips[3]);
                packet.chaddr = chaddr;
                if let Some(name) = sname {
                    packet.sname[..name.len()].copy_from_slice(&name);
                }
                if let Some(name) = file {
                    packet.file[..name.len()].copy_from_slice(&name);
                }
                packet.options = options;
                packet
            },
        )
}

fn by_code(mut packet: Packet) -> Packet {
    let mut options: Vec<_> = packet.options.iter().cloned().collect();
    options.sort_by_key(|o| o.code);
    packet.options = options.into_iter().map(|o| (o.code, o.data)).collect();
    packet
}

proptest! {
    #[test]
    fn encode_then_decode_is_identity(packet in arb_packet()) {
        prop_assert_eq!(Packet::decode(&packet.encode()).unwrap(), packet);
    }

    #[test]
    fn size_limited_encoding_fits_and_round_trips(packet in arb_packet(), limit in 244usize..1500) {
        match packet.encode_within(limit) {
            Ok(bytes) => {
                prop_assert!(bytes.len() <= limit, "{} > {}", bytes.len(), limit);
                // Overload may move options between areas; their values stay.
                prop_assert_eq!(by_code(Packet::decode(&bytes).unwrap()), by_code(packet));
            }
            Err(EncodeError::TooLarge { needed, .. }) => {
                // Only when the options field alone could not hold them.
                prop_assert!(needed > limit - 240, "{} fits in {}", needed, limit - 240);
            }
            Err(other) => prop_assert!(false, "unexpected {other}"),
        }
    }

    #[test]
    fn decoding_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..700)) {
        if let Err(err) = Packet::decode(&bytes) {
            prop_assert!(err.offset <= bytes.len());
        }
    }

    #[test]
    fn decoding_a_damaged_packet_never_panics(
        packet in arb_packet(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = packet.encode_within(400).unwrap_or_else(|_| packet.encode());
        for (at, value) in flips {
            let at = at.index(bytes.len());
            bytes[at] = value;
        }
        bytes.truncate(cut.index(bytes.len() + 1).max(1));
        if let Ok(decoded) = Packet::decode(&bytes) {
            // Whatever decodes re-encodes into something that decodes the same.
            prop_assert_eq!(Packet::decode(&decoded.encode()).unwrap(), decoded);
        }
    }

    #[test]
    fn user_class_round_trips(items in prop::collection::vec(prop::collection::vec(any::<u8>(), 1..20), 1..5)) {
        let class = UserClass::Rfc3004(items);
        prop_assert_eq!(UserClass::decode(&class.encode()), class);
    }

    #[test]
    fn pxe_vendor_options_round_trip(
        control in prop::option::of(any::<u8>()),
        servers in prop::collection::vec((any::<u16>(), prop::collection::vec(any::<u32>(), 0..4)), 0..3),
        menu in prop::collection::vec((any::<u16>(), prop::collection::vec(any::<u8>(), 0..30)), 0..4),
        prompt in prop::option::of((any::<u8>(), prop::collection::vec(any::<u8>(), 0..30))),
        item in prop::option::of((any::<u16>(), any::<u16>())),
    ) {
        let options = PxeVendorOptions {
            discovery_control: control,
            boot_servers: servers.into_iter().map(|(t, ips)| BootServer {
                server_type: t,
                addresses: ips.into_iter().map(Ipv4Addr::from).collect(),
            }).collect(),
            boot_menu: menu.into_iter().map(|(t, d)| BootMenuEntry { server_type: t, description: d }).collect(),
            menu_prompt: prompt,
            boot_item: item,
            other: Options::new(),
        };
        prop_assert_eq!(PxeVendorOptions::decode(&options.encode(), 0).unwrap(), options);
    }
}
