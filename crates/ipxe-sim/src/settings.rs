//! The settings tree and setting types (`src/core/settings.c`).
//!
//! Values are raw bytes plus the type they were stored with; formatting
//! reinterprets the bytes with whichever type the reference asks for, exactly
//! as iPXE does (`${ip:hex}` of an IPv4 address prints its four bytes).

use ipxe_catalog::Catalog;

use crate::errno::{ErrFile, Posix, Status};

/// A setting type (`setting_type_*` in `src/core/settings.c`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingType {
    String,
    UriString,
    Ipv4,
    Ipv6,
    Int { bits: u8, signed: bool },
    Hex(HexSep),
    Base64,
    Uuid,
    Guid,
    Busdevfn,
    Dnssl,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HexSep {
    Colon,
    Hyphen,
    Raw,
}

impl HexSep {
    fn text(self) -> &'static str {
        match self {
            HexSep::Colon => ":",
            HexSep::Hyphen => "-",
            HexSep::Raw => "",
        }
    }
}

impl SettingType {
    /// A type by the name used after `:`; `guid` exists only in newer builds.
    pub fn from_name(name: &str, head: bool) -> Option<SettingType> {
        Some(match name {
            "string" => SettingType::String,
            "uristring" => SettingType::UriString,
            "ipv4" => SettingType::Ipv4,
            "ipv6" => SettingType::Ipv6,
            "int8" => SettingType::Int {
                bits: 8,
                signed: true,
            },
            "int16" => SettingType::Int {
                bits: 16,
                signed: true,
            },
            "int32" => SettingType::Int {
                bits: 32,
                signed: true,
            },
            "uint8" => SettingType::Int {
                bits: 8,
                signed: false,
            },
            "uint16" => SettingType::Int {
                bits: 16,
                signed: false,
            },
            "uint32" => SettingType::Int {
                bits: 32,
                signed: false,
            },
            "hex" => SettingType::Hex(HexSep::Colon),
            "hexhyp" => SettingType::Hex(HexSep::Hyphen),
            "hexraw" => SettingType::Hex(HexSep::Raw),
            "base64" => SettingType::Base64,
            "uuid" => SettingType::Uuid,
            "guid" if head => SettingType::Guid,
            "busdevfn" => SettingType::Busdevfn,
            "dnssl" => SettingType::Dnssl,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            SettingType::String => "string",
            SettingType::UriString => "uristring",
            SettingType::Ipv4 => "ipv4",
            SettingType::Ipv6 => "ipv6",
            SettingType::Int {
                bits: 8,
                signed: true,
            } => "int8",
            SettingType::Int {
                bits: 16,
                signed: true,
            } => "int16",
            SettingType::Int { signed: true, .. } => "int32",
            SettingType::Int {
                bits: 8,
                signed: false,
            } => "uint8",
            SettingType::Int {
                bits: 16,
                signed: false,
            } => "uint16",
            SettingType::Int { signed: false, .. } => "uint32",
            SettingType::Hex(HexSep::Colon) => "hex",
            SettingType::Hex(HexSep::Hyphen) => "hexhyp",
            SettingType::Hex(HexSep::Raw) => "hexraw",
            SettingType::Base64 => "base64",
            SettingType::Uuid => "uuid",
            SettingType::Guid => "guid",
            SettingType::Busdevfn => "busdevfn",
            SettingType::Dnssl => "dnssl",
        }
    }

    /// `type->format`: raw bytes to text. `None` when the bytes cannot be shown.
    pub fn format(self, raw: &[u8]) -> Option<String> {
        Some(match self {
            SettingType::String => String::from_utf8_lossy(raw).into_owned(),
            SettingType::UriString => uri_encode(raw),
            SettingType::Ipv4 => {
                if raw.len() < 4 {
                    return None;
                }
                format!("{}.{}.{}.{}", raw[0], raw[1], raw[2], raw[3])
            }
            SettingType::Ipv6 => {
                if raw.len() < 16 {
                    return None;
                }
                let mut a = [0u8; 16];
                a.copy_from_slice(&raw[..16]);
                std::net::Ipv6Addr::from(a).to_string()
            }
            SettingType::Int { signed, .. } => {
                let value = numeric_value(raw, signed);
                if signed {
                    format!("{}", value as i64)
                } else {
                    // iPXE prints `unsigned long` with "0x%lx"; i386 longs are 32 bits.
                    format!("{:#x}", value as u32)
                }
            }
            SettingType::Hex(sep) => raw
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(sep.text()),
            SettingType::Base64 => base64_encode(raw),
            SettingType::Uuid | SettingType::Guid => {
                if raw.len() != 16 {
                    return None;
                }
                let mut b = raw.to_vec();
                if self == SettingType::Guid {
                    b[0..4].reverse();
                    b[4..6].reverse();
                    b[6..8].reverse();
                }
                let h: Vec<String> = b.iter().map(|x| format!("{x:02x}")).collect();
                format!(
                    "{}-{}-{}-{}-{}",
                    h[0..4].concat(),
                    h[4..6].concat(),
                    h[6..8].concat(),
                    h[8..10].concat(),
                    h[10..16].concat()
                )
            }
            SettingType::Busdevfn => {
                let v = numeric_value(raw, false) as u32;
                format!(
                    "{:04x}:{:02x}:{:02x}.{:x}",
                    v >> 16,
                    (v >> 8) & 0xff,
                    (v >> 3) & 0x1f,
                    v & 7
                )
            }
            SettingType::Dnssl => String::from_utf8_lossy(raw).into_owned(),
        })
    }

    /// `type->parse`: text to raw bytes, as `set` stores it.
    pub fn parse(self, text: &str, head: bool) -> Result<Vec<u8>, Status> {
        let invalid = Status::err(Posix::Einval, ErrFile::Settings);
        match self {
            SettingType::String | SettingType::Dnssl => Ok(text.as_bytes().to_vec()),
            SettingType::UriString => Ok(uri_decode(text)),
            // `inet_aton` failures come from ipv4.c.
            SettingType::Ipv4 => parse_ipv4(text)
                .map(|a| a.to_vec())
                .ok_or(Status::err(Posix::Einval, ErrFile::Ipv4)),
            SettingType::Ipv6 => text
                .parse::<std::net::Ipv6Addr>()
                .map(|a| a.octets().to_vec())
                .map_err(|_| invalid),
            SettingType::Int { bits, .. } => {
                let value = strtoul(text, head).ok_or(invalid)?;
                let width = (bits / 8) as usize;
                Ok(value.to_be_bytes()[8 - width..].to_vec())
            }
            SettingType::Hex(sep) => hex_decode(text, sep).ok_or(invalid),
            SettingType::Base64 => base64_decode(text).ok_or(invalid),
            SettingType::Uuid | SettingType::Guid if head => {
                let hex: String = text.chars().filter(|c| *c != '-').collect();
                let bytes = hex_decode(&hex, HexSep::Raw).ok_or(invalid)?;
                if bytes.len() != 16 {
                    return Err(invalid);
                }
                Ok(bytes)
            }
            _ => Err(Status::err(Posix::Enotsup, ErrFile::Settings)),
        }
    }

    /// Integer types can be incremented (`type->denumerate`).
    pub fn is_numeric(self) -> bool {
        matches!(self, SettingType::Int { .. })
    }

    pub fn int_raw(self, value: u64) -> Option<Vec<u8>> {
        match self {
            SettingType::Int { bits, .. } => {
                let width = (bits / 8) as usize;
                Some(value.to_be_bytes()[8 - width..].to_vec())
            }
            _ => None,
        }
    }
}

/// `numeric_setting_value`: big-endian bytes, sign-extended for signed types.
pub fn numeric_value(raw: &[u8], signed: bool) -> u64 {
    let mut value: u64 = if signed && raw.first().is_some_and(|b| b & 0x80 != 0) {
        u64::MAX
    } else {
        0
    };
    for b in raw {
        value = (value << 8) | *b as u64;
    }
    value
}

/// C's `strtoul(text, &end, 0)` requiring the whole text to be consumed, as
/// `parse_integer` and `parse_int_setting` do. At OLD an empty string is 0.
pub fn strtoul(text: &str, head: bool) -> Option<u64> {
    let t = text.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, digits) = if let Some(rest) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X"))
    {
        (16, rest)
    } else if t.starts_with('0') && t.len() > 1 {
        (8, &t[1..])
    } else {
        (10, t)
    };
    if digits.is_empty() {
        // "" is invalid at HEAD (8830f2f35) but 0 at OLD; "0x" alone is "0" + "x".
        if text.is_empty() && !head {
            return Some(0);
        }
        if radix == 16 {
            return None;
        }
        if t == "0" {
            return Some(0);
        }
        return None;
    }
    let mut value: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)?;
        value = value.wrapping_mul(radix as u64).wrapping_add(d as u64);
    }
    // i386 `unsigned long` is 32 bits.
    let value = value as u32 as u64;
    Some(if neg {
        (value as u32).wrapping_neg() as u64
    } else {
        value
    })
}

fn parse_ipv4(text: &str) -> Option<[u8; 4]> {
    let parts: Vec<&str> = text.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut out = [0u8; 4];
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out[i] = p.parse::<u8>().ok()?;
    }
    Some(out)
}

fn hex_decode(text: &str, sep: HexSep) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let step_sep = !matches!(sep, HexSep::Raw);
    while i < bytes.len() {
        let pair = bytes.get(i..i + 2)?;
        let s = std::str::from_utf8(pair).ok()?;
        out.push(u8::from_str_radix(s, 16).ok()?);
        i += 2;
        if step_sep && i < bytes.len() {
            if bytes[i] as char != sep.text().chars().next()? {
                return None;
            }
            i += 1;
        }
    }
    Some(out)
}

/// `uri_encode` with the default field: escapes control characters, space,
/// `%` and `/#:@?=&`.
fn uri_encode(raw: &[u8]) -> String {
    let mut out = String::new();
    for &b in raw {
        if b <= 0x20 || b >= 0x7f || b"%/#:@?=&".contains(&b) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(b as char);
        }
    }
    out
}

fn uri_decode(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // Work on bytes: the text may hold non-ASCII characters right after a `%`.
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(hi), Some(lo)) = (hex_digit(b[i + 1]), hex_digit(b[i + 2]))
        {
            out.push(hi << 4 | lo);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn hex_digit(byte: u8) -> Option<u8> {
    (byte as char).to_digit(16).map(|d| d as u8)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(raw: &[u8]) -> String {
    let mut out = String::new();
    for chunk in raw.chunks(3) {
        let n = chunk.len();
        let v = (chunk[0] as u32) << 16
            | (*chunk.get(1).unwrap_or(&0) as u32) << 8
            | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= n {
                out.push(B64[((v >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        if c == b'=' {
            break;
        }
        let v = B64.iter().position(|&x| x == c)? as u32;
        bits = (bits << 6) | v;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
        }
    }
    Some(out)
}

/// What a block accepts (`settings->op->applies`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// The root and autovivified generic blocks: everything.
    Generic,
    /// `builtin`: only builtin-scope settings.
    Builtin,
    /// `netN`: device settings plus anything stored by the user.
    Netdev,
    /// `netN.dhcp`: DHCP options.
    Dhcp,
    /// `smbios`.
    Smbios,
}

#[derive(Clone, Debug)]
pub struct StoredValue {
    pub name: String,
    pub ty: SettingType,
    pub raw: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct Block {
    pub name: String,
    pub kind: BlockKind,
    pub values: Vec<StoredValue>,
    pub children: Vec<usize>,
    pub parent: Option<usize>,
}

/// The whole tree. Block 0 is the root.
#[derive(Clone, Debug)]
pub struct Settings {
    pub blocks: Vec<Block>,
    pub head: bool,
    /// Total stored values, for the settings-count bound.
    pub count: usize,
    /// Block that `netX` redirects to (last opened device).
    pub net_x: Option<usize>,
}

/// A parsed `[block/]name[:type]`.
#[derive(Clone, Debug)]
pub struct SettingName {
    pub block: usize,
    pub name: String,
    /// Explicit `:type`.
    pub ty: Option<SettingType>,
    /// Predefined setting's type and scope, if the name is predefined.
    pub predefined: Option<(SettingType, String)>,
}

impl SettingName {
    /// The type a store uses: explicit, else predefined, else none (caller decides).
    pub fn declared_type(&self) -> Option<SettingType> {
        self.ty.or(self.predefined.as_ref().map(|p| p.0))
    }
}

/// Why a setting name could not be parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameError {
    NoBlock,
    BadType,
}

impl Settings {
    pub fn new(head: bool) -> Settings {
        let root = Block {
            name: String::new(),
            kind: BlockKind::Generic,
            values: Vec::new(),
            children: Vec::new(),
            parent: None,
        };
        let mut s = Settings {
            blocks: vec![root],
            head,
            count: 0,
            net_x: None,
        };
        s.add_block(0, "builtin", BlockKind::Builtin);
        s
    }

    pub fn add_block(&mut self, parent: usize, name: &str, kind: BlockKind) -> usize {
        let id = self.blocks.len();
        self.blocks.push(Block {
            name: name.to_string(),
            kind,
            values: Vec::new(),
            children: Vec::new(),
            parent: Some(parent),
        });
        self.blocks[parent].children.push(id);
        id
    }

    pub fn child(&self, parent: usize, name: &str) -> Option<usize> {
        if parent == 0 && name == "netX" {
            return self.net_x;
        }
        self.blocks[parent]
            .children
            .iter()
            .copied()
            .find(|&c| self.blocks[c].name == name)
    }

    /// Resolves a dotted block path, creating missing blocks when `create`.
    pub fn find_block(&mut self, path: &str, create: bool) -> Option<usize> {
        let mut cur = 0;
        if path.is_empty() {
            return Some(0);
        }
        for part in path.split('.') {
            cur = match self.child(cur, part) {
                Some(c) => c,
                None if create => self.add_block(cur, part, BlockKind::Generic),
                None => return None,
            };
        }
        Some(cur)
    }

    /// `parse_setting_name`, with "find existing" or "autovivify" block lookup.
    pub fn parse_name(&mut self, text: &str, create: bool) -> Result<SettingName, NameError> {
        let (block_text, rest) = match text.find('/') {
            Some(i) => (Some(&text[..i]), &text[i + 1..]),
            None => (None, text),
        };
        let (name, ty_text) = match rest.find(':') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let block = match block_text {
            Some(b) => self.find_block(b, create).ok_or(NameError::NoBlock)?,
            None => 0,
        };
        // A numeric DHCP tag names the predefined setting with that tag (`set 12 x` is hostname).
        let name = numeric_tag_alias(name, self.head).unwrap_or(name);
        let predefined = predefined(name, self.head);
        let ty = match ty_text {
            Some(t) => Some(SettingType::from_name(t, self.head).ok_or(NameError::BadType)?),
            None => None,
        };
        Ok(SettingName {
            block,
            name: name.to_string(),
            ty,
            predefined,
        })
    }

    fn applies(&self, block: usize, name: &SettingName) -> bool {
        let scope = name.predefined.as_ref().map(|p| p.1.as_str());
        match self.blocks[block].kind {
            BlockKind::Generic => true,
            BlockKind::Builtin => scope == Some("builtin"),
            BlockKind::Smbios => scope == Some("smbios"),
            BlockKind::Netdev => !matches!(scope, Some("builtin" | "smbios")),
            BlockKind::Dhcp => !matches!(scope, Some("builtin" | "smbios" | "netdev")),
        }
    }

    /// `fetch_setting`: depth-first from `name.block`; returns the origin block and value.
    pub fn fetch(&self, name: &SettingName) -> Option<(usize, &StoredValue)> {
        let mut stack = vec![name.block];
        while let Some(b) = stack.pop() {
            if self.applies(b, name)
                && let Some(v) = self.blocks[b].values.iter().find(|v| v.name == name.name)
            {
                return Some((b, v));
            }
            for &c in self.blocks[b].children.iter().rev() {
                stack.push(c);
            }
        }
        None
    }

    /// `fetchf_setting`: the formatted value, or `None` when unset or unformattable.
    pub fn fetch_formatted(&self, name: &SettingName) -> Option<(usize, SettingType, String)> {
        let (origin, v) = self.fetch(name)?;
        let ty = name.declared_type().unwrap_or(v.ty);
        let text = ty.format(&v.raw)?;
        Some((origin, ty, text))
    }

    /// Expansion lookup: any parse failure or missing value is empty.
    pub fn expand_lookup(&mut self, text: &str) -> Option<String> {
        let name = self.parse_name(text, false).ok()?;
        self.fetch_formatted(&name).map(|(_, _, v)| v)
    }

    /// `store_setting` of raw bytes; empty deletes.
    pub fn store_raw(&mut self, block: usize, name: &str, ty: SettingType, raw: Vec<u8>) {
        let values = &mut self.blocks[block].values;
        let existing = values.iter().position(|v| v.name == name);
        if raw.is_empty() {
            if let Some(i) = existing {
                values.remove(i);
                self.count -= 1;
            }
            return;
        }
        match existing {
            Some(i) => {
                values[i].ty = ty;
                values[i].raw = raw;
            }
            None => {
                values.push(StoredValue {
                    name: name.to_string(),
                    ty,
                    raw,
                });
                self.count += 1;
            }
        }
    }

    /// `storef_setting`: parse text with the type and store; empty text deletes.
    pub fn store_text(&mut self, name: &SettingName, text: &str) -> Result<(), Status> {
        let ty = name.declared_type().unwrap_or(SettingType::String);
        if text.is_empty() {
            self.store_raw(name.block, &name.name, ty, Vec::new());
            return Ok(());
        }
        let raw = ty.parse(text, self.head)?;
        self.store_raw(name.block, &name.name, ty, raw);
        Ok(())
    }

    /// The name `show` prints: `[block path/]name:type`.
    pub fn full_name(&self, origin: usize, name: &str, ty: SettingType) -> String {
        let mut path = Vec::new();
        let mut cur = Some(origin);
        while let Some(b) = cur {
            if b != 0 {
                path.push(self.blocks[b].name.clone());
            }
            cur = self.blocks[b].parent;
        }
        path.reverse();
        if path.is_empty() {
            format!("{name}:{}", ty.name())
        } else {
            format!("{}/{name}:{}", path.join("."), ty.name())
        }
    }
}

fn numeric_tag_alias(name: &str, head: bool) -> Option<&'static str> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let s = Catalog::get()
        .settings
        .iter()
        .find(|s| s.dhcp_option.as_deref() == Some(name) && (head || !s.not_in_old))?;
    Some(s.name.as_str())
}

/// A predefined setting's type and scope from the catalogue (only those the
/// modelled version has).
fn predefined(name: &str, head: bool) -> Option<(SettingType, String)> {
    let s = Catalog::get().setting(name)?;
    if s.not_in_old && !head {
        return None;
    }
    let ty = SettingType::from_name(&s.ty, head)?;
    Some((ty, s.scope.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_types_truncate_and_format_like_ipxe() {
        let int8 = SettingType::from_name("int8", false).unwrap();
        let raw = int8.parse("300", false).unwrap();
        assert_eq!(int8.format(&raw).unwrap(), "44");
        let raw = int8.parse("200", false).unwrap();
        assert_eq!(int8.format(&raw).unwrap(), "-56");
        let uint8 = SettingType::from_name("uint8", false).unwrap();
        assert_eq!(
            uint8.format(&uint8.parse("5", false).unwrap()).unwrap(),
            "0x5"
        );
        assert_eq!(
            uint8.format(&uint8.parse("0", false).unwrap()).unwrap(),
            "0x0"
        );
        assert_eq!(
            uint8.format(&uint8.parse("-1", false).unwrap()).unwrap(),
            "0xff"
        );
        assert!(int8.parse("12x", false).is_err());
        assert!(int8.parse("", true).is_err());
    }

    #[test]
    fn reinterpreting_bytes() {
        let ip = SettingType::Ipv4.parse("1.2.3.4", false).unwrap();
        assert_eq!(
            SettingType::Hex(HexSep::Colon).format(&ip).unwrap(),
            "01:02:03:04"
        );
        let u32t = SettingType::from_name("uint32", false).unwrap();
        assert_eq!(u32t.format(&ip).unwrap(), "0x1020304");
        assert_eq!(
            SettingType::UriString.format(b"a b&c/d").unwrap(),
            "a%20b%26c%2Fd"
        );
        assert!(SettingType::Ipv4.parse("1.2.3", false).is_err());
    }
}
