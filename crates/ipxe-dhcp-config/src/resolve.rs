//! What a dnsmasq configuration answers one client, and why.
//!
//! This follows dnsmasq's `dhcp_reply` and `do_options` (src/rfc2131.c) and
//! `option_filter`/`run_tag_if`/`match_netid` (src/dhcp-common.c), reduced to
//! what decides the boot file:
//!
//! 1. Tags: the address range's `set:` tag, `dhcp-vendorclass` and
//!    `dhcp-userclass` (text found anywhere in option 60/77), `dhcp-match`
//!    (option present, or its value found), tags given by the caller (the
//!    interface name, `known`, `dhcp-host` tags), then `tag-if` lines in file
//!    order, each seeing the tags set before it.
//! 2. The boot file: `find_boot` takes the first `dhcp-boot` in dnsmasq's
//!    list whose tags all match, looking first only at lines *with* tags, then
//!    at all. `one_opt` puts each new `dhcp-boot` at the head of the list, so
//!    among lines of the same kind the **last one in the file wins**, and any
//!    matching tagged line beats every untagged one.
//! 3. With no `dhcp-boot` matching, option 67 (`dhcp-option=67,…` or
//!    `option:bootfile-name`) supplies the file. Options are chosen as
//!    `option_filter` does: every matching tagged line of that number, else
//!    the untagged one; the list is built head-first too, so the last line in
//!    the file is sent first and the client takes that one. A matching
//!    `dhcp-boot` wins over option 67 for the file field.
//! 4. Proxy DHCP (`dhcp-range=…,proxy`): only clients that send option 93
//!    and vendor class `PXEClient…` get an answer; an EFI client (93 ≥ 6)
//!    with exactly one matching `pxe-service` gets that service's file
//!    (`pxe_uefi_workaround`); else a client offered a menu gets the first
//!    item's file from the boot server (port 4011); else the `dhcp-boot`
//!    file. Only `dhcp-option-pxe` options are sent.
//!
//! Not modelled: subnets and relays (the caller picks the range), `dhcp-host`
//! matching by MAC, the context-tag second pass of `option_filter`, PXE menu
//! selection by the user (the first item is taken, as a client does
//! without a prompt), BOOTP, DHCPv6, `tag-if` wildcards.

use crate::dnsmasq::{DnsmasqConfig, Kind, OptionRef, TagCond};
use crate::names::option_decimal_size;

/// What a client sends that decides its answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientRequest {
    /// Option 93, client system architecture (0 BIOS, 7 x86-64 EFI, …).
    pub arch: Option<u16>,
    /// Option 60, vendor class (`PXEClient:Arch:00007:UNDI:003016`).
    pub vendor_class: Option<Vec<u8>>,
    /// Option 77, user class (`iPXE` for iPXE).
    pub user_class: Option<Vec<u8>>,
    /// Option 175, iPXE's encapsulated options (`Some(vec![])` = present, empty).
    pub ipxe_options: Option<Vec<u8>>,
    /// Any other options sent, by number.
    pub other_options: Vec<(u8, Vec<u8>)>,
    /// Tags that come from outside the options: the interface name,
    /// `known`, tags a `dhcp-host` line sets.
    pub extra_tags: Vec<String>,
    /// Which `dhcp-range` (counting in file order from 0) the client is
    /// served from; `None`: the first whose tags match.
    pub range: Option<usize>,
}

impl ClientRequest {
    /// A firmware PXE client (BIOS PXE ROM or UEFI network stack).
    pub fn pxe_firmware(arch: u16) -> ClientRequest {
        ClientRequest {
            arch: Some(arch),
            vendor_class: Some(format!("PXEClient:Arch:{arch:05}:UNDI:002001").into_bytes()),
            ..ClientRequest::default()
        }
    }

    /// iPXE itself: the same vendor class, user class `iPXE` and option 175
    /// listing typical features (PXE extensions, HTTP, DNS, TFTP, menus, and
    /// the image format of its platform) and its bus id, as
    /// `src/net/udp/dhcp.c` builds them.
    pub fn ipxe(arch: u16) -> ClientRequest {
        let image_feature = if crate::names::arch_is_efi(arch) {
            0x24
        } else {
            0x18
        };
        let mut features = vec![0x10, 1, 2];
        for f in [0x13, 0x15, 0x17, image_feature, 0x27] {
            features.extend([f, 1, 1]);
        }
        // Bus id (177): type PCI, vendor and device of a virtio NIC.
        features.extend([0xb1, 5, 1, 0x1a, 0xf4, 0x10, 0x00]);
        ClientRequest {
            user_class: Some(b"iPXE".to_vec()),
            ipxe_options: Some(features),
            ..ClientRequest::pxe_firmware(arch)
        }
    }

    /// The bytes of option `number` as sent, if sent.
    pub fn option(&self, number: u16) -> Option<Vec<u8>> {
        match number {
            60 => self.vendor_class.clone(),
            77 => self.user_class.clone(),
            93 => self.arch.map(|a| a.to_be_bytes().to_vec()),
            175 => self.ipxe_options.clone(),
            n => self
                .other_options
                .iter()
                .find(|(k, _)| *k as u16 == n)
                .map(|(_, v)| v.clone()),
        }
    }

    pub fn is_ipxe(&self) -> bool {
        self.ipxe_options.is_some() || self.user_class.as_deref() == Some(b"iPXE")
    }
}

/// Why a tag is set: the directive (index in [`DnsmasqConfig::directives`]),
/// or `None` when the caller gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagReason {
    pub tag: String,
    pub from: Option<usize>,
}

/// A value the configuration chose, the line it came from, and the other
/// lines that matched this client but lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub value: String,
    /// Index in [`DnsmasqConfig::directives`].
    pub from: usize,
    pub shadowed: Vec<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answer {
    /// No answer at all (proxy DHCP to a client without option 93, or no range).
    pub silent: bool,
    pub proxy: bool,
    pub tags: Vec<TagReason>,
    /// The file the client is told to load.
    pub boot_file: Option<Decision>,
    /// The `dhcp-boot` server address or name, when given.
    pub boot_server: Option<Decision>,
    /// Options sent by number (66 TFTP server, 67 boot file, …) that matter
    /// for booting.
    pub options: Vec<(u16, Decision)>,
    /// `pxe-service` lines offered to this client's architecture, in menu order.
    pub pxe_menu: Vec<usize>,
}

impl Answer {
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t.tag == tag)
    }
}

/// Whether every tag test holds (`match_netid` in src/dhcp-common.c).
pub fn tags_match(conditions: &[TagCond], tags: &[TagReason]) -> bool {
    conditions
        .iter()
        .all(|c| tags.iter().any(|t| t.tag == c.name) != c.negated)
}

/// Answers `client` as dnsmasq would.
pub fn resolve(config: &DnsmasqConfig, client: &ClientRequest) -> Answer {
    let mut answer = Answer::default();
    let directives = &config.directives;
    let mut tags: Vec<TagReason> = client
        .extra_tags
        .iter()
        .map(|t| TagReason {
            tag: t.clone(),
            from: None,
        })
        .collect();
    for (i, d) in directives.iter().enumerate() {
        let hit = match &d.kind {
            Kind::Class { user, set, pattern } => {
                let sent = client.option(if *user { 77 } else { 60 });
                sent.is_some_and(|s| contains(&s, pattern.text.as_bytes(), 1))
                    .then(|| set.text.clone())
            }
            Kind::Match { set, option, value } => {
                match_option(client, option, value.as_ref()).then(|| set.text.clone())
            }
            _ => None,
        };
        if let Some(tag) = hit {
            tags.push(TagReason { tag, from: Some(i) });
        }
    }
    // The address range: the one asked for, else the first whose tags match.
    let ranges: Vec<usize> = directives
        .iter()
        .enumerate()
        .filter(|(_, d)| matches!(d.kind, Kind::Range { .. }))
        .map(|(i, _)| i)
        .collect();
    let range = match client.range {
        Some(n) => ranges.get(n).copied(),
        None => ranges.iter().copied().find(|&i| match &directives[i].kind {
            Kind::Range { conditions, .. } => tags_match(conditions, &tags),
            _ => false,
        }),
    };
    if let Some(i) = range
        && let Kind::Range { set, proxy, .. } = &directives[i].kind
    {
        answer.proxy = *proxy;
        if let Some(set) = set {
            tags.push(TagReason {
                tag: set.text.clone(),
                from: Some(i),
            });
        }
    }
    for (i, d) in directives.iter().enumerate() {
        if let Kind::TagIf { set, conditions } = &d.kind
            && tags_match(conditions, &tags)
        {
            for s in set {
                tags.push(TagReason {
                    tag: s.text.clone(),
                    from: Some(i),
                });
            }
        }
    }
    answer.tags = tags;
    // Proxy DHCP answers only vendor class `PXEClient…` (`dhcp_reply` checks
    // the first 9 bytes of option 60). Observed (dnsmasq 2.90,
    // proxy-pxe-service and proxy-ipxe-tag): UEFI HTTP boot, which sends
    // `HTTPClient:Arch:00016…` and option 93, gets no offer at all.
    let pxe_client = client
        .vendor_class
        .as_deref()
        .is_some_and(|v| v.starts_with(b"PXEClient"));
    if answer.proxy && (client.arch.is_none() || !pxe_client) {
        answer.silent = true;
        return answer;
    }

    answer.pxe_menu = directives
        .iter()
        .enumerate()
        .filter(|(_, d)| match &d.kind {
            Kind::PxeService {
                conditions, csa, ..
            } => Some(*csa) == client.arch && tags_match(conditions, &answer.tags),
            _ => false,
        })
        .map(|(i, _)| i)
        .collect();

    // `pxe_uefi_workaround`: in proxy mode, one file-serving item for an EFI
    // client replaces the menu.
    if answer.proxy && client.arch.is_some_and(|a| a >= 6) {
        let files: Vec<usize> = answer
            .pxe_menu
            .iter()
            .copied()
            .filter(|&i| {
                matches!(&directives[i].kind, Kind::PxeService { target, .. } if target.fetched_file().is_some())
            })
            .collect();
        if let [only] = files[..]
            && let Kind::PxeService { target, .. } = &directives[only].kind
        {
            answer.boot_file = target.fetched_file().map(|value| Decision {
                value,
                from: only,
                shadowed: Vec::new(),
            });
        }
    }

    // A proxy offer with a menu sends the client to the boot server (port
    // 4011), which answers the first item's file; the offer's own file (from
    // `dhcp-boot`) is then not used. Observed (dnsmasq 2.90,
    // proxy-pxe-service, bios-pxe and bios-ipxe): `pxe-service=x86PC,…,
    // undionly` gives `undionly.0` from port 4011, and proxy-ipxe-tag's
    // bios-pxe gets `undionly.kpxe` the same way.
    let menu_decides = answer.proxy && !answer.pxe_menu.is_empty();
    if answer.boot_file.is_none()
        && menu_decides
        && let Some(&first) = answer.pxe_menu.first()
        && let Kind::PxeService { target, .. } = &directives[first].kind
    {
        answer.boot_file = target.fetched_file().map(|value| Decision {
            value,
            from: first,
            shadowed: Vec::new(),
        });
    }

    if answer.boot_file.is_none()
        && !menu_decides
        && let Some((from, shadowed)) = find_boot(config, &answer.tags)
        && let Kind::Boot { file, server, .. } = &directives[from].kind
    {
        answer.boot_file = Some(Decision {
            value: file.text.clone(),
            from,
            shadowed,
        });
        answer.boot_server = server.as_ref().map(|s| Decision {
            value: s.text.clone(),
            from,
            shadowed: Vec::new(),
        });
    }

    let pxe_mode = if answer.proxy {
        PxeMode::Only
    } else if client.arch.is_some() {
        PxeMode::Include
    } else {
        PxeMode::Exclude
    };
    for number in [66u16, 67, 150, 209, 210] {
        if let Some(decision) = choose_option(config, &answer.tags, number, pxe_mode) {
            answer.options.push((number, decision));
        }
    }
    if answer.boot_file.is_none()
        && !menu_decides
        && let Some((_, d)) = answer.options.iter().find(|(n, _)| *n == 67)
    {
        answer.boot_file = Some(d.clone());
    }
    answer
}

/// `find_boot` in src/rfc2131.c, over the file-ordered list (dnsmasq's list
/// is reversed: the last line is its head). Returns the winner and the other
/// matching lines.
fn find_boot(config: &DnsmasqConfig, tags: &[TagReason]) -> Option<(usize, Vec<usize>)> {
    let matching: Vec<(usize, bool)> = config
        .directives
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match &d.kind {
            Kind::Boot { conditions, .. } if tags_match(conditions, tags) => {
                Some((i, !conditions.is_empty()))
            }
            _ => None,
        })
        .collect();
    let winner = matching
        .iter()
        .rev()
        .find(|(_, tagged)| *tagged)
        .or_else(|| matching.last())
        .map(|&(i, _)| i)?;
    let shadowed = matching
        .iter()
        .map(|&(i, _)| i)
        .filter(|&i| i != winner)
        .collect();
    Some((winner, shadowed))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum PxeMode {
    /// Not a PXE client: `dhcp-option-pxe` lines are left out.
    Exclude,
    /// A PXE client asking an ordinary server: all lines.
    Include,
    /// Proxy DHCP: only `dhcp-option-pxe` lines.
    Only,
}

/// `option_filter` (src/dhcp-common.c) for one plain option number: every
/// matching tagged line, else the untagged line that comes first in
/// dnsmasq's list (the last in the file); the client reads the first copy
/// sent, which is again the last line in the file.
fn choose_option(
    config: &DnsmasqConfig,
    tags: &[TagReason],
    number: u16,
    mode: PxeMode,
) -> Option<Decision> {
    let matching: Vec<(usize, bool)> = config
        .directives
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match &d.kind {
            Kind::Option {
                pxe_only,
                conditions,
                option,
                ..
            } if option.number == number
                && option.vendor.is_none()
                && option.encap.is_none()
                && !option.v6
                && match mode {
                    PxeMode::Exclude => !pxe_only,
                    PxeMode::Include => true,
                    PxeMode::Only => *pxe_only,
                }
                && tags_match(conditions, tags) =>
            {
                Some((i, !conditions.is_empty()))
            }
            _ => None,
        })
        .collect();
    let winner = matching
        .iter()
        .rev()
        .find(|(_, tagged)| *tagged)
        .or_else(|| matching.last())
        .map(|&(i, _)| i)?;
    let value = match &config.directives[winner].kind {
        Kind::Option { value, .. } => value
            .iter()
            .map(|f| f.text.as_str())
            .collect::<Vec<_>>()
            .join(","),
        _ => String::new(),
    };
    Some(Decision {
        value,
        from: winner,
        shadowed: matching
            .iter()
            .map(|&(i, _)| i)
            .filter(|&i| i != winner)
            .collect(),
    })
}

/// `dhcp-match`: the option is present, and its value (if given) is found
/// as `match_bytes` (src/dhcp-common.c) looks for it.
fn match_option(client: &ClientRequest, option: &OptionRef, value: Option<&crate::Field>) -> bool {
    if option.v6 || option.encap.is_some() {
        return false;
    }
    let Some(sent) = client.option(option.number) else {
        return false;
    };
    let Some(value) = value else {
        return true;
    };
    match encode_match_value(option.number, &value.text) {
        MatchValue::Masked(bytes, mask) => {
            bytes.len() <= sent.len()
                && bytes
                    .iter()
                    .zip(&mask)
                    .zip(&sent)
                    .all(|((b, m), s)| !m || b == s)
        }
        MatchValue::Number(bytes) => contains(&sent, &bytes, bytes.len()),
        MatchValue::Text(bytes) => contains(&sent, &bytes, 1),
    }
}

enum MatchValue {
    /// `xx:yy:*` hex with wildcards: compared at the start.
    Masked(Vec<u8>, Vec<bool>),
    /// A decimal number, searched in steps of its size.
    Number(Vec<u8>),
    Text(Vec<u8>),
}

/// How `parse_dhcp_opt` encodes a `dhcp-match` value.
fn encode_match_value(number: u16, text: &str) -> MatchValue {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let n: u64 = text.parse().unwrap_or(u64::MAX);
        let size = match option_decimal_size(number.min(255) as u8) {
            Some(size) => size as usize,
            None if n > 0xffff => 4,
            None if n > 0xff => 2,
            None => 1,
        };
        let bytes = n.to_be_bytes();
        return MatchValue::Number(bytes[8 - size..].to_vec());
    }
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() > 1
        && parts.iter().all(|p| {
            *p == "*" || (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_hexdigit()))
        })
    {
        let bytes = parts
            .iter()
            .map(|p| u8::from_str_radix(p, 16).unwrap_or(0))
            .collect();
        let mask = parts.iter().map(|p| *p != "*").collect();
        return MatchValue::Masked(bytes, mask);
    }
    MatchValue::Text(text.as_bytes().to_vec())
}

/// Whether `needle` occurs in `hay` at an offset that is a multiple of `step`.
fn contains(hay: &[u8], needle: &[u8], step: usize) -> bool {
    if needle.is_empty() {
        return true;
    }
    if needle.len() > hay.len() {
        return false;
    }
    (0..=hay.len() - needle.len())
        .step_by(step.max(1))
        .any(|i| &hay[i..i + needle.len()] == needle)
}
