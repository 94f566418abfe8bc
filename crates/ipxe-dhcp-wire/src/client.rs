//! What each kind of network-boot client puts in its DHCPDISCOVER and
//! DHCPREQUEST. A server decides the boot file from these bytes (vendor
//! class, architecture, user class, option 175), so the models follow the
//! clients' own sources, cited per kind.

use std::fmt;
use std::net::Ipv4Addr;

use crate::options::{MessageType, Options, code, ipxe};
use crate::packet::{FLAG_BROADCAST, Packet};

/// A kind of boot client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClientKind {
    /// A classic BIOS PXE ROM (PXE 2.1, e.g. Intel Boot Agent).
    BiosPxe,
    /// iPXE built for BIOS (`undionly.kpxe`, `ipxe.pxe`).
    BiosIpxe,
    /// UEFI firmware PXE on x86-64 (EDK2's UefiPxeBcDxe, as in OVMF).
    EfiX64Pxe,
    /// iPXE built for x86-64 UEFI (`ipxe.efi`, `snponly.efi`).
    EfiX64Ipxe,
    /// UEFI HTTP boot on x86-64 (EDK2's HttpBootDxe).
    EfiX64Http,
    /// UEFI firmware PXE on 64-bit ARM (EDK2, as in ArmVirtQemu).
    EfiArm64Pxe,
    /// UEFI firmware PXE on 32-bit x86 (EDK2, OVMF Ia32).
    EfiIa32Pxe,
}

/// The per-machine values a client puts in its packets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIdentity {
    pub mac: [u8; 6],
    pub uuid: [u8; 16],
    pub xid: u32,
}

impl ClientIdentity {
    /// A distinct, locally administered MAC, UUID and xid for client `n`.
    pub fn numbered(n: u32) -> ClientIdentity {
        let b = n.to_be_bytes();
        let mut uuid = [0x5a; 16];
        uuid[12..].copy_from_slice(&b);
        ClientIdentity {
            mac: [0x02, 0x1d, b[0], b[1], b[2], b[3]],
            uuid,
            xid: 0x1d00_0000 ^ n.wrapping_mul(0x9e37_79b9),
        }
    }
}

/// Architecture types (RFC 4578 §2.1, IANA "Processor Architecture Types").
pub mod arch {
    pub const X86_BIOS: u16 = 0;
    pub const EFI_IA32: u16 = 6;
    pub const EFI_X64: u16 = 7;
    pub const EFI_ARM64: u16 = 11;
    pub const EFI_X64_HTTP: u16 = 16;
}

impl ClientKind {
    pub const ALL: [ClientKind; 7] = [
        ClientKind::BiosPxe,
        ClientKind::BiosIpxe,
        ClientKind::EfiX64Pxe,
        ClientKind::EfiX64Ipxe,
        ClientKind::EfiX64Http,
        ClientKind::EfiArm64Pxe,
        ClientKind::EfiIa32Pxe,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ClientKind::BiosPxe => "bios-pxe",
            ClientKind::BiosIpxe => "bios-ipxe",
            ClientKind::EfiX64Pxe => "efi-x64-pxe",
            ClientKind::EfiX64Ipxe => "efi-x64-ipxe",
            ClientKind::EfiX64Http => "efi-x64-http",
            ClientKind::EfiArm64Pxe => "efi-arm64-pxe",
            ClientKind::EfiIa32Pxe => "efi-ia32-pxe",
        }
    }

    pub fn from_name(name: &str) -> Option<ClientKind> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Option 93's value.
    pub fn architecture(self) -> u16 {
        match self {
            ClientKind::BiosPxe | ClientKind::BiosIpxe => arch::X86_BIOS,
            ClientKind::EfiX64Pxe | ClientKind::EfiX64Ipxe => arch::EFI_X64,
            ClientKind::EfiX64Http => arch::EFI_X64_HTTP,
            ClientKind::EfiArm64Pxe => arch::EFI_ARM64,
            ClientKind::EfiIa32Pxe => arch::EFI_IA32,
        }
    }

    pub fn is_ipxe(self) -> bool {
        matches!(self, ClientKind::BiosIpxe | ClientKind::EfiX64Ipxe)
    }

    /// Option 94: interface type (1 = UNDI), major, minor.
    fn ndi(self) -> [u8; 3] {
        match self {
            // PXE 2.1 ROMs implement UNDI 2.1; iPXE's BIOS build says the
            // same (`DHCP_ARCH_CLIENT_NDI 1, 2, 1` in
            // src/arch/x86/include/ipxe/pcbios/dhcparch.h).
            ClientKind::BiosPxe | ClientKind::BiosIpxe => [1, 2, 1],
            // iPXE's EFI build: `1, 3, 10` in
            // src/arch/x86_64/include/ipxe/efi/dhcparch.h.
            ClientKind::EfiX64Ipxe => [1, 3, 10],
            // EDK2 uses the NIC's NII when it has one, else DEFAULT_UNDI_TYPE
            // 1 and version 3.0 (NetworkPkg/UefiPxeBcDxe/PxeBcDhcp4.h).
            // OVMF's virtio-net driver has no NII, so 3.0.
            _ => [1, 3, 0],
        }
    }

    /// Option 60. "PXEClient:Arch:AAAAA:UNDI:MMMmmm" (PXE 2.1 §2.2.1,
    /// RFC 4578); EDK2 HTTP boot says "HTTPClient" instead (UEFI 2.5+
    /// §24.7, HttpBootDxe's DEFAULT_CLASS_ID_DATA).
    pub fn vendor_class(self) -> String {
        let [_, major, minor] = self.ndi();
        let prefix = match self {
            ClientKind::EfiX64Http => "HTTPClient",
            _ => "PXEClient",
        };
        format!(
            "{prefix}:Arch:{:05}:UNDI:{major:03}{minor:03}",
            self.architecture()
        )
    }

    /// The client's DHCPDISCOVER.
    pub fn discover(self, id: &ClientIdentity) -> Packet {
        self.packet(id, MessageType::Discover, None)
    }

    /// The DHCPREQUEST the client sends after choosing `offer`.
    pub fn request(self, id: &ClientIdentity, offer: &Packet) -> Packet {
        self.packet(id, MessageType::Request, Some(offer))
    }

    /// The PXE boot server request a PXE client sends after a proxy offer
    /// (PXE 2.1 §2.2.5; EDK2's PxeBcDhcp4Discover): a DHCPREQUEST from its
    /// address `ciaddr` to the server's port 4011. When the offer had a boot
    /// menu (43.9), it asks for the first item's type, layer 0 (43.71);
    /// without one (a "BINL" offer) it asks with no boot item.
    pub fn boot_server_request(
        self,
        id: &ClientIdentity,
        offer: &Packet,
        ciaddr: Ipv4Addr,
    ) -> Packet {
        let mut packet = self.packet(id, MessageType::Request, None);
        packet.ciaddr = ciaddr;
        packet.flags = 0;
        let item = offer
            .options
            .pxe_vendor()
            .and_then(Result::ok)
            .and_then(|vendor| vendor.boot_menu.first().map(|entry| entry.server_type));
        if let Some(server_type) = item {
            let vendor = crate::options::PxeVendorOptions {
                boot_item: Some((server_type, 0)),
                ..Default::default()
            };
            packet
                .options
                .set(code::VENDOR_ENCAPSULATED, vendor.encode());
        }
        packet
    }

    fn packet(self, id: &ClientIdentity, kind: MessageType, offer: Option<&Packet>) -> Packet {
        let mut packet = Packet::request(id.xid, id.mac);
        let selecting = offer.map(|offer| {
            (
                offer.options.server_identifier().unwrap_or(offer.siaddr),
                offer.yiaddr,
            )
        });
        packet.options = match self {
            ClientKind::BiosIpxe | ClientKind::EfiX64Ipxe => self.ipxe_options(id, kind, selecting),
            ClientKind::BiosPxe => self.pxe_rom_options(id, kind, selecting),
            _ => {
                // EDK2's Dhcp4Dxe sets the broadcast flag on every message
                // it builds (DhcpSendMessage in NetworkPkg/Dhcp4Dxe/Dhcp4Io.c).
                packet.flags = FLAG_BROADCAST;
                self.edk2_options(id, kind, selecting)
            }
        };
        packet
    }

    /// iPXE: `dhcp_request_options_data` then `dhcp_create_request` in
    /// src/net/udp/dhcp.c: message type, max size (1500 - 28), arch, NDI,
    /// PXEClient vendor class, user class "iPXE" as a bare string, the
    /// request list, then 175 (features, bus id, version), 61, 97. A
    /// DHCPREQUEST adds 54 and 50 (`dhcp_request_tx`).
    fn ipxe_options(
        self,
        id: &ClientIdentity,
        kind: MessageType,
        selecting: Option<(Ipv4Addr, Ipv4Addr)>,
    ) -> Options {
        let mut options = Options::new();
        options.set(code::MESSAGE_TYPE, vec![kind as u8]);
        options.set(code::MAX_MESSAGE_SIZE, 1472u16.to_be_bytes().to_vec());
        options.set(
            code::CLIENT_ARCH,
            self.architecture().to_be_bytes().to_vec(),
        );
        options.set(code::CLIENT_NDI, self.ndi().to_vec());
        options.set(code::VENDOR_CLASS, self.vendor_class().into_bytes());
        options.set(code::USER_CLASS, b"iPXE".to_vec());
        let mut wanted = vec![1, 3, 6, 7, 12, 15, 17, 26, 42, 43, 60, 66, 67, 119, 121];
        wanted.extend(128..=135);
        wanted.extend([code::IPXE_ENCAPSULATED, 203]);
        options.set(code::PARAMETER_REQUEST_LIST, wanted);
        options.set(
            code::IPXE_ENCAPSULATED,
            ipxe_features(self).encode_encapsulated(),
        );
        let mut client_id = vec![1];
        client_id.extend_from_slice(&id.mac);
        options.set(code::CLIENT_ID, client_id);
        options.set(code::CLIENT_UUID, uuid_option(id));
        if let Some((server, address)) = selecting {
            options.set(code::SERVER_IDENTIFIER, server.octets().to_vec());
            options.set(code::REQUESTED_ADDRESS, address.octets().to_vec());
        }
        options
    }

    /// A PXE 2.1 ROM (Intel, "Preboot Execution Environment (PXE)
    /// Specification" v2.1, §2.2.1 and §2.4): 53, 57, 55 with 43, 60 and
    /// 128–135 in it, 97, 93 = 0, 94 = UNDI 2.1, 60 = PXEClient. The spec
    /// requires those options, not these exact values: 1260 for 57 and the
    /// request list below are what Intel Boot Agent ROMs are commonly
    /// documented to send.
    fn pxe_rom_options(
        self,
        id: &ClientIdentity,
        kind: MessageType,
        selecting: Option<(Ipv4Addr, Ipv4Addr)>,
    ) -> Options {
        let mut options = Options::new();
        options.set(code::MESSAGE_TYPE, vec![kind as u8]);
        if let Some((server, address)) = selecting {
            options.set(code::SERVER_IDENTIFIER, server.octets().to_vec());
            options.set(code::REQUESTED_ADDRESS, address.octets().to_vec());
        }
        options.set(code::MAX_MESSAGE_SIZE, 1260u16.to_be_bytes().to_vec());
        let mut wanted = vec![1, 2, 3, 5, 6, 11, 12, 13, 15, 16, 17, 18, 43, 54, 60, 67];
        wanted.extend(128..=135);
        options.set(code::PARAMETER_REQUEST_LIST, wanted);
        options.set(code::CLIENT_UUID, uuid_option(id));
        options.set(code::CLIENT_NDI, self.ndi().to_vec());
        options.set(
            code::CLIENT_ARCH,
            self.architecture().to_be_bytes().to_vec(),
        );
        options.set(code::VENDOR_CLASS, self.vendor_class().into_bytes());
        options
    }

    /// EDK2 (OVMF, ArmVirtQemu). Dhcp4Dxe writes 53, then on a request 54
    /// and 50, then 57 = 0xFF00 (DhcpSendMessage, NetworkPkg/Dhcp4Dxe/
    /// Dhcp4Io.c); then the boot driver's own list: PxeBcBuildDhcp4Options
    /// (NetworkPkg/UefiPxeBcDxe/PxeBcDhcp4.c) or HttpBootBuildDhcp4Options
    /// (NetworkPkg/HttpBootDxe/HttpBootDhcp4.c): 55, 97, 94, 93, 60.
    fn edk2_options(
        self,
        id: &ClientIdentity,
        kind: MessageType,
        selecting: Option<(Ipv4Addr, Ipv4Addr)>,
    ) -> Options {
        let mut options = Options::new();
        options.set(code::MESSAGE_TYPE, vec![kind as u8]);
        if let Some((server, address)) = selecting {
            options.set(code::SERVER_IDENTIFIER, server.octets().to_vec());
            options.set(code::REQUESTED_ADDRESS, address.octets().to_vec());
        }
        options.set(code::MAX_MESSAGE_SIZE, 0xff00u16.to_be_bytes().to_vec());
        // The 35-entry list of PxeBcBuildDhcp4Options; HTTP boot's has 27
        // entries and never fills index 24 (left zero), which we keep.
        let mut wanted = vec![
            1, 2, 3, 4, 5, 6, 12, 13, 15, 17, 18, 22, 23, 28, 40, 41, 42, 43, 50, 51, 54, 58, 59,
            60, 66, 67, 97,
        ];
        if self == ClientKind::EfiX64Http {
            wanted[24] = 0;
        } else {
            wanted.extend(128..=135);
        }
        options.set(code::PARAMETER_REQUEST_LIST, wanted);
        options.set(code::CLIENT_UUID, uuid_option(id));
        options.set(code::CLIENT_NDI, self.ndi().to_vec());
        options.set(
            code::CLIENT_ARCH,
            self.architecture().to_be_bytes().to_vec(),
        );
        options.set(code::VENDOR_CLASS, self.vendor_class().into_bytes());
        options
    }
}

impl fmt::Display for ClientKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn uuid_option(id: &ClientIdentity) -> Vec<u8> {
    let mut value = vec![0];
    value.extend_from_slice(&id.uuid);
    value
}

/// Option 175 as a default iPXE build fills it: one sub-option per compiled
/// feature (`FEATURE(...)` lines, value = feature version), the NIC's bus id
/// (`DHCP_EB_BUS_ID`: bus type 1 = PCI, vendor, device; here virtio-net) and
/// the version (`FEATURE_VERSION`). Which features appear depends on the
/// build; servers usually only test that 175 is present, or one feature
/// (`dhcp-match=set:ipxe-http,175,19`).
fn ipxe_features(kind: ClientKind) -> Options {
    let mut features = Options::new();
    let common = [
        (ipxe::FEATURE_ISCSI, 1),
        (ipxe::FEATURE_AOE, 1),
        (ipxe::FEATURE_HTTP, 1),
        (ipxe::FEATURE_HTTPS, 1),
        (ipxe::FEATURE_TFTP, 1),
        (ipxe::FEATURE_DNS, 1),
        (ipxe::FEATURE_VLAN, 1),
        (ipxe::FEATURE_MENU, 1),
    ];
    let images: &[(u8, u8)] = match kind {
        ClientKind::BiosIpxe => &[
            (ipxe::FEATURE_PXE_EXT, 2),
            (ipxe::FEATURE_BZIMAGE, 1),
            (ipxe::FEATURE_MULTIBOOT, 1),
            (ipxe::FEATURE_ELF, 1),
            (ipxe::FEATURE_PXE, 1),
            (ipxe::FEATURE_COMBOOT, 1),
            (ipxe::FEATURE_SDI, 1),
        ],
        _ => &[(ipxe::FEATURE_EFI, 1)],
    };
    for &(feature, version) in common.iter().chain(images) {
        features.set(feature, vec![version]);
    }
    features.set(ipxe::BUS_ID, vec![1, 0x1a, 0xf4, 0x10, 0x00]);
    features.set(ipxe::VERSION, vec![1, 21, 1]);
    features
}
