//! Any bytes either decode as a DHCP packet or give an error inside them;
//! what decodes re-encodes into a packet that decodes the same, and the
//! typed option views never panic.
#![no_main]

use ipxe_dhcp_wire::Packet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match Packet::decode(data) {
        Err(err) => assert!(err.offset <= data.len(), "error offset inside the input"),
        Ok(packet) => {
            let again = Packet::decode(&packet.encode()).expect("re-encoded packet decodes");
            assert_eq!(again, packet);
            if let Ok(bytes) = packet.encode_within(576) {
                assert!(bytes.len() <= 576);
                Packet::decode(&bytes).expect("size-limited packet decodes");
            }
            let options = &packet.options;
            let _ = options.message_type();
            let _ = options.user_class().map(|c| c.encode());
            let _ = options.client_architectures();
            let _ = options.pxe_vendor();
            let _ = options.ipxe_encapsulated();
            let _ = packet.boot_file();
            let _ = packet.tftp_server();
        }
    }
});
