//! DHCP options: the TLV list (RFC 2132), long options (RFC 3396), and typed
//! views of the options a PXE or iPXE boot depends on.

use std::net::Ipv4Addr;

use crate::error::{DecodeError, DecodeErrorKind};

/// Option codes used by PXE and iPXE boots (RFC 2132, RFC 4578, RFC 3004,
/// RFC 5071, and iPXE's `src/include/ipxe/dhcp.h`).
pub mod code {
    pub const PAD: u8 = 0;
    pub const SUBNET_MASK: u8 = 1;
    pub const ROUTERS: u8 = 3;
    pub const DNS_SERVERS: u8 = 6;
    pub const HOST_NAME: u8 = 12;
    pub const DOMAIN_NAME: u8 = 15;
    pub const ROOT_PATH: u8 = 17;
    pub const VENDOR_ENCAPSULATED: u8 = 43;
    pub const REQUESTED_ADDRESS: u8 = 50;
    pub const LEASE_TIME: u8 = 51;
    pub const OVERLOAD: u8 = 52;
    pub const MESSAGE_TYPE: u8 = 53;
    pub const SERVER_IDENTIFIER: u8 = 54;
    pub const PARAMETER_REQUEST_LIST: u8 = 55;
    pub const MAX_MESSAGE_SIZE: u8 = 57;
    pub const VENDOR_CLASS: u8 = 60;
    pub const CLIENT_ID: u8 = 61;
    pub const TFTP_SERVER_NAME: u8 = 66;
    pub const BOOTFILE_NAME: u8 = 67;
    pub const USER_CLASS: u8 = 77;
    pub const CLIENT_ARCH: u8 = 93;
    pub const CLIENT_NDI: u8 = 94;
    pub const CLIENT_UUID: u8 = 97;
    /// iPXE's encapsulated options ("Etherboot", 175).
    pub const IPXE_ENCAPSULATED: u8 = 175;
    /// PXELINUX configuration file (RFC 5071).
    pub const PXELINUX_CONFIG_FILE: u8 = 209;
    /// PXELINUX path prefix (RFC 5071).
    pub const PXELINUX_PATH_PREFIX: u8 = 210;
    pub const END: u8 = 255;
}

/// Sub-options of option 43 for PXE clients (PXE 2.1 spec, table 2-1).
pub mod pxe {
    pub const DISCOVERY_CONTROL: u8 = 6;
    pub const BOOT_SERVERS: u8 = 8;
    pub const BOOT_MENU: u8 = 9;
    pub const MENU_PROMPT: u8 = 10;
    pub const BOOT_ITEM: u8 = 71;
}

/// Sub-options of option 175 (iPXE's `src/include/ipxe/dhcp.h`, `DHCP_EB_*`,
/// and the feature codes of `src/include/ipxe/features.h`).
pub mod ipxe {
    pub const PRIORITY: u8 = 0x01;
    pub const KEEP_SAN: u8 = 0x08;
    pub const SKIP_SAN_BOOT: u8 = 0x09;
    pub const FEATURE_PXE_EXT: u8 = 0x10;
    pub const FEATURE_ISCSI: u8 = 0x11;
    pub const FEATURE_AOE: u8 = 0x12;
    pub const FEATURE_HTTP: u8 = 0x13;
    pub const FEATURE_HTTPS: u8 = 0x14;
    pub const FEATURE_TFTP: u8 = 0x15;
    pub const FEATURE_FTP: u8 = 0x16;
    pub const FEATURE_DNS: u8 = 0x17;
    pub const FEATURE_BZIMAGE: u8 = 0x18;
    pub const FEATURE_MULTIBOOT: u8 = 0x19;
    pub const FEATURE_ELF: u8 = 0x22;
    pub const FEATURE_COMBOOT: u8 = 0x23;
    pub const FEATURE_EFI: u8 = 0x24;
    pub const FEATURE_VLAN: u8 = 0x26;
    pub const FEATURE_MENU: u8 = 0x27;
    pub const FEATURE_SDI: u8 = 0x28;
    pub const FEATURE_PXE: u8 = 0x21;
    pub const NO_PXEDHCP: u8 = 0xb0;
    pub const BUS_ID: u8 = 0xb1;
    pub const VERSION: u8 = 0xeb;
}

/// One option: its code and its whole value (long options already joined).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DhcpOption {
    pub code: u8,
    pub data: Vec<u8>,
}

/// An ordered option list with at most one entry per code.
///
/// Instances of one code that appear several times on the wire are one long
/// option (RFC 3396): decoding joins them, in order, at the place of the first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options(Vec<DhcpOption>);

impl Options {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, code: u8) -> Option<&[u8]> {
        self.0
            .iter()
            .find(|o| o.code == code)
            .map(|o| o.data.as_slice())
    }

    pub fn contains(&self, code: u8) -> bool {
        self.get(code).is_some()
    }

    /// Sets an option's value, keeping its place if it was already there.
    pub fn set(&mut self, code: u8, data: impl Into<Vec<u8>>) -> &mut Self {
        let data = data.into();
        match self.0.iter_mut().find(|o| o.code == code) {
            Some(existing) => existing.data = data,
            None => self.0.push(DhcpOption { code, data }),
        }
        self
    }

    /// Appends bytes to an option's value (creating it if needed).
    pub(crate) fn extend(&mut self, code: u8, data: &[u8]) {
        match self.0.iter_mut().find(|o| o.code == code) {
            Some(existing) => existing.data.extend_from_slice(data),
            None => self.0.push(DhcpOption {
                code,
                data: data.to_vec(),
            }),
        }
    }

    pub fn remove(&mut self, code: u8) -> Option<Vec<u8>> {
        let at = self.0.iter().position(|o| o.code == code)?;
        Some(self.0.remove(at).data)
    }

    pub fn iter(&self) -> impl Iterator<Item = &DhcpOption> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The options as TLVs, values over 255 bytes split into consecutive
    /// instances (RFC 3396). Pad and end are not options and are skipped.
    pub(crate) fn tlvs(&self) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for option in &self.0 {
            if option.code == code::PAD || option.code == code::END {
                continue;
            }
            if option.data.is_empty() {
                out.push(vec![option.code, 0]);
            }
            for chunk in option.data.chunks(255) {
                let mut tlv = Vec::with_capacity(chunk.len() + 2);
                tlv.push(option.code);
                tlv.push(chunk.len() as u8);
                tlv.extend_from_slice(chunk);
                out.push(tlv);
            }
        }
        out
    }

    /// Encodes an encapsulated option space (43, 175): TLVs then an end
    /// marker, the way iPXE's `DHCP_ENCAP` and dnsmasq write them.
    pub fn encode_encapsulated(&self) -> Vec<u8> {
        let mut out: Vec<u8> = self.tlvs().concat();
        out.push(code::END);
        out
    }

    /// Decodes an encapsulated option space. `base` is the offset of `bytes`
    /// in the packet, so errors point at the packet's byte.
    pub fn decode_encapsulated(bytes: &[u8], base: usize) -> Result<Options, DecodeError> {
        let mut options = Options::new();
        parse_area(bytes, base, &mut options)?;
        Ok(options)
    }

    // ---- typed views ----

    pub fn message_type(&self) -> Option<MessageType> {
        match self.get(code::MESSAGE_TYPE)? {
            [value] => MessageType::from_byte(*value),
            _ => None,
        }
    }

    pub fn server_identifier(&self) -> Option<Ipv4Addr> {
        ipv4(self.get(code::SERVER_IDENTIFIER)?)
    }

    pub fn parameter_request_list(&self) -> Option<&[u8]> {
        self.get(code::PARAMETER_REQUEST_LIST)
    }

    pub fn vendor_class(&self) -> Option<&[u8]> {
        self.get(code::VENDOR_CLASS)
    }

    pub fn user_class(&self) -> Option<UserClass> {
        self.get(code::USER_CLASS).map(UserClass::decode)
    }

    /// Option 93: a list of 16-bit architecture types (RFC 4578 §2.1).
    pub fn client_architectures(&self) -> Option<Vec<u16>> {
        let data = self.get(code::CLIENT_ARCH)?;
        if data.is_empty() || data.len() % 2 != 0 {
            return None;
        }
        Some(
            data.chunks(2)
                .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                .collect(),
        )
    }

    /// Option 94: interface type, major and minor version (RFC 4578 §2.2).
    pub fn client_ndi(&self) -> Option<(u8, u8, u8)> {
        match self.get(code::CLIENT_NDI)? {
            [kind, major, minor] => Some((*kind, *major, *minor)),
            _ => None,
        }
    }

    /// Option 97: type 0 and a 16-byte machine identifier (RFC 4578 §2.3).
    pub fn client_uuid(&self) -> Option<[u8; 16]> {
        match self.get(code::CLIENT_UUID)? {
            [0, rest @ ..] => rest.try_into().ok(),
            _ => None,
        }
    }

    /// Option 67, or `None`.
    pub fn bootfile_name(&self) -> Option<&[u8]> {
        self.get(code::BOOTFILE_NAME)
    }

    /// Option 43 read as PXE vendor options.
    pub fn pxe_vendor(&self) -> Option<Result<PxeVendorOptions, DecodeError>> {
        self.get(code::VENDOR_ENCAPSULATED)
            .map(|data| PxeVendorOptions::decode(data, 0))
    }

    /// Option 175 read as iPXE's encapsulated options.
    pub fn ipxe_encapsulated(&self) -> Option<Result<Options, DecodeError>> {
        self.get(code::IPXE_ENCAPSULATED)
            .map(|data| Options::decode_encapsulated(data, 0))
    }
}

impl FromIterator<(u8, Vec<u8>)> for Options {
    fn from_iter<T: IntoIterator<Item = (u8, Vec<u8>)>>(iter: T) -> Self {
        let mut options = Options::new();
        for (code, data) in iter {
            options.set(code, data);
        }
        options
    }
}

fn ipv4(data: &[u8]) -> Option<Ipv4Addr> {
    let octets: [u8; 4] = data.try_into().ok()?;
    Some(Ipv4Addr::from(octets))
}

/// Parses one option area (the options field, or an overloaded `file` or
/// `sname`) into `into`, joining repeated codes. Stops at the end marker;
/// an area without one ends where its bytes end.
pub(crate) fn parse_area(bytes: &[u8], base: usize, into: &mut Options) -> Result<(), DecodeError> {
    let mut at = 0;
    while at < bytes.len() {
        let option_code = bytes[at];
        match option_code {
            code::PAD => at += 1,
            code::END => return Ok(()),
            _ => {
                let Some(&len) = bytes.get(at + 1) else {
                    return Err(DecodeError::new(
                        base + at,
                        DecodeErrorKind::OptionLengthMissing { code: option_code },
                    ));
                };
                let start = at + 2;
                let end = start + len as usize;
                if end > bytes.len() {
                    return Err(DecodeError::new(
                        base + at,
                        DecodeErrorKind::OptionOverrun {
                            code: option_code,
                            len,
                            available: bytes.len() - start,
                        },
                    ));
                }
                into.extend(option_code, &bytes[start..end]);
                at = end;
            }
        }
    }
    Ok(())
}

/// DHCP message types (option 53, RFC 2132 §9.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MessageType {
    Discover = 1,
    Offer = 2,
    Request = 3,
    Decline = 4,
    Ack = 5,
    Nak = 6,
    Release = 7,
    Inform = 8,
}

impl MessageType {
    pub fn from_byte(value: u8) -> Option<Self> {
        Some(match value {
            1 => Self::Discover,
            2 => Self::Offer,
            3 => Self::Request,
            4 => Self::Decline,
            5 => Self::Ack,
            6 => Self::Nak,
            7 => Self::Release,
            8 => Self::Inform,
            _ => return None,
        })
    }
}

/// Option 77, the user class.
///
/// RFC 3004 makes it a list of length-prefixed class names. iPXE sends its
/// name as a bare string instead (`DHCP_USER_CLASS_ID, DHCP_STRING('i','P','X','E')`
/// in `src/net/udp/dhcp.c`), and so do some other clients, so both are kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UserClass {
    /// RFC 3004: each entry non-empty and at most 255 bytes.
    Rfc3004(Vec<Vec<u8>>),
    /// A bare string, as iPXE sends it.
    Plain(Vec<u8>),
}

impl UserClass {
    /// Reads the RFC 3004 form when the bytes are exactly a list of non-empty
    /// length-prefixed items, else the bare form. "iPXE" is bare: its first
    /// byte, 'i', would claim 105 bytes.
    pub fn decode(data: &[u8]) -> UserClass {
        let mut items = Vec::new();
        let mut at = 0;
        while at < data.len() {
            let len = data[at] as usize;
            let end = at + 1 + len;
            if len == 0 || end > data.len() {
                return UserClass::Plain(data.to_vec());
            }
            items.push(data[at + 1..end].to_vec());
            at = end;
        }
        if items.is_empty() {
            UserClass::Plain(data.to_vec())
        } else {
            UserClass::Rfc3004(items)
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        match self {
            UserClass::Plain(bytes) => bytes.clone(),
            UserClass::Rfc3004(items) => {
                let mut out = Vec::new();
                for item in items {
                    out.push(item.len() as u8);
                    out.extend_from_slice(item);
                }
                out
            }
        }
    }

    /// The class names, whichever form carried them.
    pub fn names(&self) -> Vec<&[u8]> {
        match self {
            UserClass::Plain(bytes) => vec![bytes.as_slice()],
            UserClass::Rfc3004(items) => items.iter().map(Vec::as_slice).collect(),
        }
    }
}

/// A boot server list entry (43.8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootServer {
    pub server_type: u16,
    pub addresses: Vec<Ipv4Addr>,
}

/// A boot menu entry (43.9).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BootMenuEntry {
    pub server_type: u16,
    pub description: Vec<u8>,
}

/// Option 43 as a PXE server fills it (PXE 2.1 spec, §2.4; dnsmasq's
/// `pxe-service` and `pxe-prompt`). Sub-options without a typed field stay
/// in `other`, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PxeVendorOptions {
    pub discovery_control: Option<u8>,
    pub boot_servers: Vec<BootServer>,
    pub boot_menu: Vec<BootMenuEntry>,
    /// Timeout in seconds and prompt text.
    pub menu_prompt: Option<(u8, Vec<u8>)>,
    /// Boot server type and layer.
    pub boot_item: Option<(u16, u16)>,
    pub other: Options,
}

impl PxeVendorOptions {
    /// `base` is the offset of `data` in the packet, for error locations.
    pub fn decode(data: &[u8], base: usize) -> Result<PxeVendorOptions, DecodeError> {
        let raw = Options::decode_encapsulated(data, base)?;
        let mut out = PxeVendorOptions::default();
        let bad = |sub: u8, why: &'static str| {
            // Offsets of sub-options are not kept after joining; point at the
            // start of option 43's value.
            DecodeError::new(base, DecodeErrorKind::BadSubOption { sub, why })
        };
        for option in raw.iter() {
            let value = option.data.as_slice();
            match option.code {
                pxe::DISCOVERY_CONTROL => match value {
                    [flags] => out.discovery_control = Some(*flags),
                    _ => return Err(bad(option.code, "discovery control is one byte")),
                },
                pxe::BOOT_SERVERS => {
                    let mut at = 0;
                    while at < value.len() {
                        let head = value
                            .get(at..at + 3)
                            .ok_or_else(|| bad(option.code, "boot server entry is cut short"))?;
                        let count = head[2] as usize;
                        let ips = value
                            .get(at + 3..at + 3 + 4 * count)
                            .ok_or_else(|| bad(option.code, "boot server addresses cut short"))?;
                        out.boot_servers.push(BootServer {
                            server_type: u16::from_be_bytes([head[0], head[1]]),
                            addresses: ips.chunks(4).filter_map(ipv4).collect(),
                        });
                        at += 3 + 4 * count;
                    }
                }
                pxe::BOOT_MENU => {
                    let mut at = 0;
                    while at < value.len() {
                        let head = value
                            .get(at..at + 3)
                            .ok_or_else(|| bad(option.code, "boot menu entry is cut short"))?;
                        let len = head[2] as usize;
                        let text = value
                            .get(at + 3..at + 3 + len)
                            .ok_or_else(|| bad(option.code, "boot menu text cut short"))?;
                        out.boot_menu.push(BootMenuEntry {
                            server_type: u16::from_be_bytes([head[0], head[1]]),
                            description: text.to_vec(),
                        });
                        at += 3 + len;
                    }
                }
                pxe::MENU_PROMPT => match value {
                    [timeout, prompt @ ..] => out.menu_prompt = Some((*timeout, prompt.to_vec())),
                    [] => return Err(bad(option.code, "menu prompt needs a timeout byte")),
                },
                pxe::BOOT_ITEM => match value {
                    [a, b, c, d] => {
                        out.boot_item =
                            Some((u16::from_be_bytes([*a, *b]), u16::from_be_bytes([*c, *d])))
                    }
                    _ => return Err(bad(option.code, "boot item is four bytes")),
                },
                _ => {
                    out.other.set(option.code, value.to_vec());
                }
            }
        }
        Ok(out)
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut raw = Options::new();
        if let Some(flags) = self.discovery_control {
            raw.set(pxe::DISCOVERY_CONTROL, vec![flags]);
        }
        if !self.boot_servers.is_empty() {
            let mut value = Vec::new();
            for server in &self.boot_servers {
                value.extend_from_slice(&server.server_type.to_be_bytes());
                value.push(server.addresses.len() as u8);
                for address in &server.addresses {
                    value.extend_from_slice(&address.octets());
                }
            }
            raw.set(pxe::BOOT_SERVERS, value);
        }
        if !self.boot_menu.is_empty() {
            let mut value = Vec::new();
            for entry in &self.boot_menu {
                value.extend_from_slice(&entry.server_type.to_be_bytes());
                value.push(entry.description.len() as u8);
                value.extend_from_slice(&entry.description);
            }
            raw.set(pxe::BOOT_MENU, value);
        }
        if let Some((timeout, prompt)) = &self.menu_prompt {
            let mut value = vec![*timeout];
            value.extend_from_slice(prompt);
            raw.set(pxe::MENU_PROMPT, value);
        }
        if let Some((server_type, layer)) = self.boot_item {
            let mut value = server_type.to_be_bytes().to_vec();
            value.extend_from_slice(&layer.to_be_bytes());
            raw.set(pxe::BOOT_ITEM, value);
        }
        for option in self.other.iter() {
            raw.set(option.code, option.data.clone());
        }
        raw.encode_encapsulated()
    }
}
