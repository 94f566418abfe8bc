//! The BOOTP/DHCP message (RFC 951, RFC 2131 §2): fixed header, magic
//! cookie, options, and option overload into `file` and `sname` (RFC 2132
//! §9.3) with long options split and joined as RFC 3396 says.

use std::net::Ipv4Addr;

use crate::error::{DecodeError, DecodeErrorKind, EncodeError};
use crate::options::{Options, code, parse_area};

pub const BOOTREQUEST: u8 = 1;
pub const BOOTREPLY: u8 = 2;
/// `flags` bit asking the server to broadcast its reply (RFC 2131 §2).
pub const FLAG_BROADCAST: u16 = 0x8000;
pub const MAGIC_COOKIE: [u8; 4] = [99, 130, 83, 99];

const SNAME: std::ops::Range<usize> = 44..108;
const FILE: std::ops::Range<usize> = 108..236;
const HEADER_LEN: usize = 236;
const OPTIONS_START: usize = 240;
/// BOOTP's fixed message size; short DHCP messages are padded to it, as
/// most clients do (RFC 1542 §2.1), because some servers drop shorter ones.
const MIN_MESSAGE_LEN: usize = 300;

/// What option 52 says the fixed fields hold.
const OVERLOAD_FILE: u8 = 1;
const OVERLOAD_SNAME: u8 = 2;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Packet {
    pub op: u8,
    pub htype: u8,
    pub hlen: u8,
    pub hops: u8,
    pub xid: u32,
    pub secs: u16,
    pub flags: u16,
    pub ciaddr: Ipv4Addr,
    pub yiaddr: Ipv4Addr,
    pub siaddr: Ipv4Addr,
    pub giaddr: Ipv4Addr,
    pub chaddr: [u8; 16],
    /// The server host name field. All zero when it carried options.
    pub sname: [u8; 64],
    /// The boot file name field. All zero when it carried options.
    pub file: [u8; 128],
    /// All options, from every area, long options joined. Option 52 is not
    /// kept: it only describes the encoding.
    pub options: Options,
}

impl Packet {
    /// An empty Ethernet request from `mac`.
    pub fn request(xid: u32, mac: [u8; 6]) -> Packet {
        let mut chaddr = [0; 16];
        chaddr[..6].copy_from_slice(&mac);
        Packet {
            op: BOOTREQUEST,
            htype: 1,
            hlen: 6,
            hops: 0,
            xid,
            secs: 0,
            flags: 0,
            ciaddr: Ipv4Addr::UNSPECIFIED,
            yiaddr: Ipv4Addr::UNSPECIFIED,
            siaddr: Ipv4Addr::UNSPECIFIED,
            giaddr: Ipv4Addr::UNSPECIFIED,
            chaddr,
            sname: [0; 64],
            file: [0; 128],
            options: Options::new(),
        }
    }

    /// The `sname` field up to its first NUL, or `None` when empty.
    pub fn sname_field(&self) -> Option<&[u8]> {
        c_string(&self.sname)
    }

    /// The `file` field up to its first NUL, or `None` when empty.
    pub fn file_field(&self) -> Option<&[u8]> {
        c_string(&self.file)
    }

    /// The boot file a client would use: option 67 when present (RFC 2132
    /// §9.5 says it replaces `file` when that is overloaded; EDK2's HTTP boot
    /// prefers it always), else the `file` field. A trailing NUL is dropped.
    pub fn boot_file(&self) -> Option<&[u8]> {
        match self.options.bootfile_name() {
            Some(name) => c_string(name),
            None => self.file_field(),
        }
    }

    /// The TFTP server name: option 66, else the `sname` field.
    pub fn tftp_server(&self) -> Option<&[u8]> {
        match self.options.get(code::TFTP_SERVER_NAME) {
            Some(name) => c_string(name),
            None => self.sname_field(),
        }
    }

    /// Reads a packet. Never panics; malformed input gives the offset of the
    /// first byte that cannot be read.
    pub fn decode(bytes: &[u8]) -> Result<Packet, DecodeError> {
        if bytes.len() < HEADER_LEN {
            return Err(DecodeError::new(
                bytes.len(),
                DecodeErrorKind::TruncatedHeader { len: bytes.len() },
            ));
        }
        let Some(cookie) = bytes.get(HEADER_LEN..OPTIONS_START) else {
            return Err(DecodeError::new(
                HEADER_LEN,
                DecodeErrorKind::TruncatedCookie,
            ));
        };
        if cookie != MAGIC_COOKIE {
            return Err(DecodeError::new(
                HEADER_LEN,
                DecodeErrorKind::BadCookie {
                    found: cookie.try_into().expect("four bytes"),
                },
            ));
        }
        let mut options = Options::new();
        parse_area(&bytes[OPTIONS_START..], OPTIONS_START, &mut options)?;

        let overload = match options.get(code::OVERLOAD) {
            None => 0,
            Some([value @ 1..=3]) => *value,
            Some(other) => {
                return Err(DecodeError::new(
                    option_offset(bytes, code::OVERLOAD),
                    DecodeErrorKind::BadOverload {
                        value: other.to_vec(),
                    },
                ));
            }
        };
        // RFC 3396 §7: the options field, then `file`, then `sname`.
        let mut file: [u8; 128] = bytes[FILE].try_into().expect("128 bytes");
        let mut sname: [u8; 64] = bytes[SNAME].try_into().expect("64 bytes");
        if overload & OVERLOAD_FILE != 0 {
            parse_area(&bytes[FILE], FILE.start, &mut options)?;
            file = [0; 128];
        }
        if overload & OVERLOAD_SNAME != 0 {
            parse_area(&bytes[SNAME], SNAME.start, &mut options)?;
            sname = [0; 64];
        }
        options.remove(code::OVERLOAD);

        let ip = |at: usize| Ipv4Addr::new(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
        Ok(Packet {
            op: bytes[0],
            htype: bytes[1],
            hlen: bytes[2],
            hops: bytes[3],
            xid: u32::from_be_bytes(bytes[4..8].try_into().expect("four bytes")),
            secs: u16::from_be_bytes([bytes[8], bytes[9]]),
            flags: u16::from_be_bytes([bytes[10], bytes[11]]),
            ciaddr: ip(12),
            yiaddr: ip(16),
            siaddr: ip(20),
            giaddr: ip(24),
            chaddr: bytes[28..44].try_into().expect("16 bytes"),
            sname,
            file,
            options,
        })
    }

    /// Writes the packet with every option in the options field, padded to
    /// BOOTP's 300 bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = self.header();
        for tlv in self.tlvs() {
            out.extend_from_slice(&tlv);
        }
        out.push(code::END);
        if out.len() < MIN_MESSAGE_LEN {
            out.resize(MIN_MESSAGE_LEN, code::PAD);
        }
        out
    }

    /// Writes the packet in at most `max_len` bytes (a client's option 57),
    /// moving options into `file` and then `sname` (option 52) when the
    /// options field is full, as a server must. Fields that hold a name are
    /// never overwritten. Options keep their values but may change order:
    /// each goes to the first area with room (long options' pieces stay in
    /// order).
    pub fn encode_within(&self, max_len: usize) -> Result<Vec<u8>, EncodeError> {
        if max_len < OPTIONS_START + 4 {
            return Err(EncodeError::LimitTooSmall(max_len));
        }
        let tlvs = self.tlvs();
        let needed: usize = tlvs.iter().map(Vec::len).sum::<usize>() + 1;
        let main_room = max_len - OPTIONS_START;
        if needed <= main_room {
            let mut out = self.encode();
            out.truncate(max_len.max(OPTIONS_START + needed));
            return Ok(out);
        }

        // Areas in RFC 3396 order; each keeps one byte for its end marker.
        let mut areas: Vec<(u8, usize, Vec<u8>)> = vec![(0, main_room - 3 - 1, Vec::new())];
        if self.file.iter().all(|&b| b == 0) {
            areas.push((OVERLOAD_FILE, FILE.len() - 1, Vec::new()));
        }
        if self.sname.iter().all(|&b| b == 0) {
            areas.push((OVERLOAD_SNAME, SNAME.len() - 1, Vec::new()));
        }
        let available = areas.iter().map(|a| a.1).sum::<usize>();
        // First fit, except that the pieces of one long option keep their
        // order across areas, since the reader joins them in area order.
        let mut earliest_area = [0usize; 256];
        for tlv in &tlvs {
            let from = earliest_area[tlv[0] as usize];
            let Some(index) =
                (from..areas.len()).find(|&i| areas[i].2.len() + tlv.len() <= areas[i].1)
            else {
                return Err(EncodeError::TooLarge {
                    needed: needed + 3,
                    available,
                });
            };
            earliest_area[tlv[0] as usize] = index;
            areas[index].2.extend_from_slice(tlv);
        }
        let overload = areas
            .iter()
            .filter(|a| !a.2.is_empty())
            .fold(0, |acc, a| acc | a.0);

        let mut out = self.header();
        out.extend_from_slice(&[code::OVERLOAD, 1, overload]);
        out.extend_from_slice(&areas[0].2);
        out.push(code::END);
        for (which, _, bytes) in &areas[1..] {
            if bytes.is_empty() {
                continue;
            }
            let range = if *which == OVERLOAD_FILE { FILE } else { SNAME };
            let field = &mut out[range.clone()];
            field.fill(0);
            field[..bytes.len()].copy_from_slice(bytes);
            field[bytes.len()] = code::END;
        }
        if out.len() < MIN_MESSAGE_LEN.min(max_len) {
            out.resize(MIN_MESSAGE_LEN.min(max_len), code::PAD);
        }
        Ok(out)
    }

    /// The options as TLVs, without an option 52: overload is decided by the
    /// encoder, never taken from the option list.
    fn tlvs(&self) -> Vec<Vec<u8>> {
        let mut tlvs = self.options.tlvs();
        tlvs.retain(|tlv| tlv[0] != code::OVERLOAD);
        tlvs
    }

    /// Header and cookie: the first 240 bytes.
    fn header(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(MIN_MESSAGE_LEN);
        out.extend_from_slice(&[self.op, self.htype, self.hlen, self.hops]);
        out.extend_from_slice(&self.xid.to_be_bytes());
        out.extend_from_slice(&self.secs.to_be_bytes());
        out.extend_from_slice(&self.flags.to_be_bytes());
        for ip in [self.ciaddr, self.yiaddr, self.siaddr, self.giaddr] {
            out.extend_from_slice(&ip.octets());
        }
        out.extend_from_slice(&self.chaddr);
        out.extend_from_slice(&self.sname);
        out.extend_from_slice(&self.file);
        out.extend_from_slice(&MAGIC_COOKIE);
        out
    }
}

/// Bytes up to the first NUL; `None` when that is nothing.
fn c_string(bytes: &[u8]) -> Option<&[u8]> {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    (end > 0).then(|| &bytes[..end])
}

/// Where option `wanted` starts in the options field (for error offsets).
fn option_offset(bytes: &[u8], wanted: u8) -> usize {
    let mut at = OPTIONS_START;
    while let Some(&c) = bytes.get(at) {
        match c {
            code::PAD => at += 1,
            code::END => break,
            _ if c == wanted => return at,
            _ => at += 2 + *bytes.get(at + 1).unwrap_or(&0) as usize,
        }
    }
    OPTIONS_START
}
