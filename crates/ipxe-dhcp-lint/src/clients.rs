//! The clients every rule asks about: PXE firmware and iPXE, for BIOS, x86-64
//! EFI and every other architecture the configuration tests for, with what
//! the server (dnsmasq or ISC dhcpd) answers each.

use ipxe_dhcp_config::isc::{IscConfig, resolve_isc, tested_archs};
use ipxe_dhcp_config::names::{CSA_NAMES, arch_name};
use ipxe_dhcp_config::{Answer, ClientRequest, DnsmasqConfig, Kind, Loc, resolve};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientKind {
    /// The machine's own PXE stack (BIOS PXE ROM, UEFI network boot).
    Firmware,
    /// iPXE, after the firmware loaded it.
    Ipxe,
}

/// The boot file a client is handed, where, and the lines that also
/// matched it but lost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Boot {
    pub value: String,
    pub loc: Loc,
    pub shadowed: Vec<Loc>,
}

#[derive(Clone, Debug)]
pub struct StandardClient {
    pub arch: u16,
    pub kind: ClientKind,
    pub request: ClientRequest,
    /// dnsmasq's full answer (`None` for ISC dhcpd).
    pub answer: Option<Answer>,
    pub boot: Option<Boot>,
    /// The server does not answer at all (proxy DHCP without option 93).
    pub silent: bool,
    /// PXE firmware offered a `pxe-service` menu boots a menu item, not the
    /// `dhcp-boot` file (dnsmasq only asks it to use the file when there is
    /// no menu: `pxe_opts` in src/rfc2131.c). The proxy EFI workaround,
    /// where the one item's file is the boot file, is not a menu.
    pub boots_from_menu: bool,
    /// The configuration tests for this architecture (BIOS and x86-64 EFI
    /// are asked about even when it does not).
    pub mentioned: bool,
}

impl StandardClient {
    /// "x86-64 EFI firmware", "iPXE on BIOS (x86PC)".
    pub fn describe(&self) -> String {
        match self.kind {
            ClientKind::Firmware => format!("{} firmware", arch_name(self.arch)),
            ClientKind::Ipxe => format!("iPXE on {}", arch_name(self.arch)),
        }
    }
}

/// Option 93 values a dnsmasq configuration tests for.
fn dnsmasq_archs(config: &DnsmasqConfig) -> Vec<u16> {
    let mut archs = Vec::new();
    for d in &config.directives {
        let arch = match &d.kind {
            Kind::Match {
                option,
                value: Some(v),
                ..
            } if option.number == 93 => v.text.parse::<u16>().ok(),
            Kind::Class {
                user: false,
                pattern,
                ..
            } => pattern
                .text
                .split_once("Arch:")
                .map(|(_, rest)| rest.get(..5).unwrap_or(""))
                .filter(|d| d.len() == 5 && d.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|d| d.parse().ok()),
            Kind::PxeService { csa, .. } => Some(*csa),
            _ => None,
        };
        if let Some(a) = arch.filter(|a| !archs.contains(a)) {
            archs.push(a);
        }
    }
    archs
}

/// BIOS and x86-64 EFI, then the tested architectures iPXE or common
/// firmware can be.
fn archs_to_ask(mentioned: &[u16]) -> Vec<u16> {
    let mut archs = vec![0u16, 7];
    archs.extend(
        mentioned.iter().copied().filter(|&a| {
            a != 0 && a != 7 && ((a as usize) < CSA_NAMES.len() || a == 16 || a == 19)
        }),
    );
    archs
}

fn requests(arch: u16) -> [(ClientKind, ClientRequest); 2] {
    [
        (ClientKind::Firmware, ClientRequest::pxe_firmware(arch)),
        (ClientKind::Ipxe, ClientRequest::ipxe(arch)),
    ]
}

/// Firmware and iPXE for each architecture, with dnsmasq's answers.
pub fn standard_clients(config: &DnsmasqConfig) -> Vec<StandardClient> {
    let mentioned = dnsmasq_archs(config);
    let mut clients = Vec::new();
    for arch in archs_to_ask(&mentioned) {
        for (kind, request) in requests(arch) {
            let answer = resolve(config, &request);
            let boot = answer.boot_file.as_ref().map(|d| Boot {
                value: d.value.clone(),
                loc: config.directives[d.from].loc,
                shadowed: d
                    .shadowed
                    .iter()
                    .map(|&i| config.directives[i].loc)
                    .collect(),
            });
            let from_service = answer
                .boot_file
                .as_ref()
                .is_some_and(|d| matches!(config.directives[d.from].kind, Kind::PxeService { .. }));
            clients.push(StandardClient {
                arch,
                kind,
                request,
                silent: answer.silent,
                boots_from_menu: kind == ClientKind::Firmware
                    && !answer.pxe_menu.is_empty()
                    && !from_service,
                answer: Some(answer),
                boot,
                mentioned: mentioned.contains(&arch),
            });
        }
    }
    clients
}

/// Firmware and iPXE for each architecture, with ISC dhcpd's answers.
pub fn isc_clients(config: &IscConfig) -> Vec<StandardClient> {
    let mentioned = tested_archs(config);
    let mut clients = Vec::new();
    for arch in archs_to_ask(&mentioned) {
        for (kind, request) in requests(arch) {
            let answer = resolve_isc(config, &request);
            clients.push(StandardClient {
                arch,
                kind,
                request,
                answer: None,
                boot: answer.filename.map(|(value, loc)| Boot {
                    value,
                    loc,
                    shadowed: Vec::new(),
                }),
                silent: false,
                boots_from_menu: false,
                mentioned: mentioned.contains(&arch),
            });
        }
    }
    clients
}
