//! ## What it does
//! Asks the configuration what PXE firmware of each architecture gets (BIOS,
//! x86-64 EFI, and any other the file tests for), and what iPXE gets after
//! the firmware loaded it. Reports a client that gets no boot file at all,
//! when the configuration does hand boot files to others.
//!
//! ## Why is this bad?
//! A client with an address but no boot file sits at "No boot filename
//! received" (or PXE-E53) and falls through to the next boot device. A
//! configuration written for BIOS machines says nothing to x86-64 EFI
//! firmware once every `dhcp-boot` line carries an architecture tag; one
//! whose only line is `tag:!ipxe` leaves iPXE itself without a script.
//!
//! Firmware of an architecture the configuration never tests for (BIOS or
//! x86-64 EFI) is reported as info only: the network may have none.
//!
//! ## Example
//! ```text
//! dhcp-match=set:bios,option:client-arch,0
//! dhcp-boot=tag:bios,undionly.kpxe
//! ```
//!
//! Use instead:
//! ```text
//! dhcp-match=set:bios,option:client-arch,0
//! dhcp-match=set:efi64,option:client-arch,7
//! dhcp-boot=tag:bios,undionly.kpxe
//! dhcp-boot=tag:efi64,ipxe.efi
//! ```
//!
//! ## References
//! `find_boot` and `do_options` in dnsmasq's `src/rfc2131.c`; option 93
//! values from RFC 4578 and the IANA registry.

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "DHCP103",
    name: "arch-without-boot-file",
    summary: "a client architecture (or iPXE on it) gets no boot file",
    severity: Severity::Warning,
    check,
};

fn check(cx: &Cx<'_>, sink: &mut Sink) {
    let first_service = cx.config.directives.iter().find_map(|d| match &d.kind {
        Kind::PxeService { target, .. } if target.fetched_file().is_some() => Some(d.loc),
        _ => None,
    });
    let first_boot = cx.boot_file_values().first().map(|&(_, loc, _)| loc);
    let Some(anchor) = first_boot.into_iter().chain(first_service).min_by_key(|l| (l.file.0, l.start)) else {
        return;
    };
    for client in &cx.clients {
        let menu = client.answer.as_ref().is_some_and(|a| !a.pxe_menu.is_empty());
        if client.silent || client.boot.is_some() || menu {
            continue;
        }
        if client.kind == ClientKind::Ipxe && !cx.ipxe_runs_on(client.arch) {
            continue;
        }
        // Without a test for the architecture, the network may have no such machines.
        let severity = if client.mentioned || client.kind == ClientKind::Ipxe {
            Severity::Warning
        } else {
            Severity::Info
        };
        sink.report_with(
            &RULE,
            severity,
            anchor,
            format!(
                "{} gets no boot file: no `dhcp-boot` (or option 67, or `filename`) line applies to it",
                client.describe()
            ),
        )
        .help(match (cx.isc.is_some(), client.kind) {
            (true, ClientKind::Firmware) => "give this architecture a `filename` (test `option arch = …` after `option arch code 93 = unsigned integer 16;`)",
            (true, ClientKind::Ipxe) => "give iPXE a script: `if exists user-class and option user-class = \"iPXE\" { filename \"http://…/boot.ipxe\"; }`",
            (false, kind) => match kind {
            ClientKind::Firmware => "add a `dhcp-boot` line for this architecture (tag it from `dhcp-match=set:…,option:client-arch,N`)",
            ClientKind::Ipxe => "add a line for iPXE, e.g. `dhcp-boot=tag:ipxe,http://…/boot.ipxe` after `dhcp-match=set:ipxe,175`",
            },
        });
    }
}
