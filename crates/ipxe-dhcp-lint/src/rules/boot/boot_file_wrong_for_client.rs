//! ## What it does
//! Reports a boot file that the client it is handed to cannot run: a BIOS
//! binary (`undionly.kpxe`, `pxelinux.0`) for EFI firmware or EFI iPXE, an
//! EFI binary for BIOS, an `http://` URL for PXE firmware (which fetches by
//! TFTP only), or an iPXE script for anything but iPXE.
//!
//! ## Why is this bad?
//! The download works and the boot then fails, with messages that do not
//! name the cause ("PXE-E79", "Exec format error", a hang). Whether a name is
//! BIOS or EFI is read from the file when the TFTP root has it, else from
//! its name (`.kpxe`, `.pxe`, `.0`, `.com` are BIOS; `.efi` is EFI).
//!
//! An error when the configuration tests for the client's architecture;
//! a warning for BIOS or x86-64 EFI clients it never mentions (the network
//! may have none).
//!
//! ## Example
//! ```text
//! dhcp-boot=undionly.kpxe
//! ```
//!
//! Use instead:
//! ```text
//! dhcp-match=set:efi64,option:client-arch,7
//! dhcp-boot=tag:!efi64,undionly.kpxe
//! dhcp-boot=tag:efi64,ipxe.efi
//! ```
//!
//! ## References
//! RFC 4578 (option 93); PXE 2.1 (TFTP-only firmware); `find_boot` in
//! dnsmasq's `src/rfc2131.c`.

use ipxe_dhcp_config::names::arch_is_efi;

use crate::files::{BootFileKind, boot_file_kind, url_scheme};
use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "DHCP104",
    name: "boot-file-wrong-for-client",
    summary: "a boot file the client cannot run (BIOS file for EFI, URL or script for firmware, …)",
    severity: Severity::Error,
    check,
};

fn check(cx: &Cx<'_>, sink: &mut Sink) {
    let mut seen: Vec<(ipxe_dhcp_config::Loc, String)> = Vec::new();
    for client in &cx.clients {
        let Some(file) = &client.boot else {
            continue;
        };
        if (client.kind == ClientKind::Ipxe && !cx.ipxe_runs_on(client.arch))
            || client.boots_from_menu
        {
            continue;
        }
        let efi = arch_is_efi(client.arch);
        let kind = boot_file_kind(&file.value, cx.tftp_file(&file.value).flatten().as_deref());
        // Firmware that boots over HTTP (RFC 4578 types 15 and up) takes URLs.
        let http_firmware = client.arch >= 15;
        let problem = match (client.kind, kind) {
            (_, BootFileKind::Ipxe { efi: file_efi } | BootFileKind::Other { efi: Some(file_efi) })
                if file_efi != efi =>
            {
                Some(format!(
                    "{} is handed `{}`, a {} binary",
                    client.describe(),
                    file.value,
                    if file_efi { "EFI" } else { "BIOS" }
                ))
            }
            (ClientKind::Firmware, BootFileKind::Script) => Some(format!(
                "{} is handed `{}`, an iPXE script: only iPXE runs scripts",
                client.describe(),
                file.value
            )),
            (ClientKind::Firmware, _)
                if !http_firmware
                    && url_scheme(&file.value).is_some_and(|s| !s.eq_ignore_ascii_case("tftp")) =>
            {
                Some(format!(
                    "{} is handed the URL `{}`, but PXE firmware fetches its boot file by TFTP only",
                    client.describe(),
                    file.value
                ))
            }
            _ => None,
        };
        let Some(message) = problem else {
            continue;
        };
        let key = (file.loc, message.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        // Without a test for the architecture, the network may have no such machines.
        let severity = if client.mentioned { Severity::Error } else { Severity::Warning };
        sink.report_with(&RULE, severity, file.loc, message)
            .help(if cx.isc.is_some() {
                "tell the clients apart (`option arch code 93 = unsigned integer 16;` then `if option arch = 00:07 { … }`, `option user-class = \"iPXE\"`) and give each the file it runs"
            } else {
                "tell the clients apart with tags (`dhcp-match=set:efi64,option:client-arch,7`, `dhcp-match=set:ipxe,175`) and give each the file it runs"
            });
    }
}
