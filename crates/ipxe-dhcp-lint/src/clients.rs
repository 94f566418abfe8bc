//! The clients every rule asks about: PXE firmware and iPXE, for BIOS, x86-64
//! EFI and every other architecture the configuration mentions.

use ipxe_dhcp_config::names::{CSA_NAMES, arch_name};
use ipxe_dhcp_config::{Answer, ClientRequest, DnsmasqConfig, Kind, resolve};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientKind {
    /// The machine's own PXE stack (BIOS PXE ROM, UEFI network boot).
    Firmware,
    /// iPXE, after the firmware loaded it.
    Ipxe,
}

#[derive(Clone, Debug)]
pub struct StandardClient {
    pub arch: u16,
    pub kind: ClientKind,
    pub request: ClientRequest,
    pub answer: Answer,
    /// The configuration tests for this architecture (BIOS and x86-64 EFI
    /// are asked about even when it does not).
    pub mentioned: bool,
}

impl StandardClient {
    /// PXE firmware offered a `pxe-service` menu boots a menu item, not the
    /// `dhcp-boot` file (dnsmasq only asks it to use the file when there is
    /// no menu: `pxe_opts` in src/rfc2131.c). The proxy EFI workaround,
    /// where the one item's file is the boot file, is not a menu.
    pub fn boots_from_menu(&self, config: &DnsmasqConfig) -> bool {
        self.kind == ClientKind::Firmware
            && !self.answer.pxe_menu.is_empty()
            && !self
                .answer
                .boot_file
                .as_ref()
                .is_some_and(|d| matches!(config.directives[d.from].kind, Kind::PxeService { .. }))
    }

    /// "x86-64 EFI firmware", "iPXE on BIOS (x86PC)".
    pub fn describe(&self) -> String {
        match self.kind {
            ClientKind::Firmware => format!("{} firmware", arch_name(self.arch)),
            ClientKind::Ipxe => format!("iPXE on {}", arch_name(self.arch)),
        }
    }
}

/// Option 93 values the configuration tests for.
fn mentioned_archs(config: &DnsmasqConfig) -> Vec<u16> {
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
        // Only the architectures iPXE or common firmware can be.
        if let Some(a) = arch.filter(|&a| (a as usize) < CSA_NAMES.len() || a == 16 || a == 19)
            && !archs.contains(&a)
        {
            archs.push(a);
        }
    }
    archs
}

/// Firmware and iPXE for each architecture, with their answers.
pub fn standard_clients(config: &DnsmasqConfig) -> Vec<StandardClient> {
    let mut clients = Vec::new();
    let mentioned = mentioned_archs(config);
    let mut archs = vec![0u16, 7];
    archs.extend(mentioned.iter().copied().filter(|a| *a != 0 && *a != 7));
    for arch in archs {
        for kind in [ClientKind::Firmware, ClientKind::Ipxe] {
            let request = match kind {
                ClientKind::Firmware => ClientRequest::pxe_firmware(arch),
                ClientKind::Ipxe => ClientRequest::ipxe(arch),
            };
            let answer = resolve(config, &request);
            clients.push(StandardClient {
                arch,
                kind,
                request,
                answer,
                mentioned: mentioned.contains(&arch),
            });
        }
    }
    clients
}
