//! ## What it does
//! Follows each architecture's boot: the firmware's PXE stack asks for a
//! boot file, and when that file is iPXE, iPXE asks again. Reports the line
//! that hands iPXE an iPXE binary once more.
//!
//! ## Why is this bad?
//! iPXE sends its own DHCP request after it starts. When the server answers
//! it with `undionly.kpxe` (or `ipxe.efi`) again, iPXE loads itself, which
//! asks again, forever: the machine never boots. The usual causes are one
//! untagged `dhcp-boot` line for everybody, or an iPXE-only line that
//! another line shadows. dnsmasq takes the **last** matching `dhcp-boot`
//! in the file, and a matching line with tags before any line without.
//!
//! ## Example
//! ```text
//! dhcp-boot=http://10.0.0.1/boot.ipxe
//! dhcp-boot=undionly.kpxe
//! ```
//!
//! Use instead:
//! ```text
//! dhcp-match=set:ipxe,175
//! dhcp-boot=tag:!ipxe,undionly.kpxe
//! dhcp-boot=tag:ipxe,http://10.0.0.1/boot.ipxe
//! ```
//!
//! In ISC dhcpd the same happens when one `filename` serves everybody;
//! test `option user-class = "iPXE"` (or `exists ipxe.bus-id`) around it.
//!
//! ## References
//! `find_boot` in dnsmasq's `src/rfc2131.c` (tagged lines first, list built
//! head-first in `one_opt`, `src/option.c`); iPXE sends option 175 and user
//! class `iPXE` (`src/net/udp/dhcp.c`); <https://ipxe.org/howto/chainloading>.

use crate::files::{BootFileKind, boot_file_kind};
use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "DHCP101",
    name: "chainload-loop",
    summary: "iPXE is handed an iPXE binary again, so it loads itself forever",
    severity: Severity::Error,
    check,
};

fn check(cx: &Cx<'_>, sink: &mut Sink) {
    let mut reported = Vec::new();
    for firmware in cx.clients.iter().filter(|c| c.kind == ClientKind::Firmware) {
        let Some(first) = &firmware.boot else {
            continue;
        };
        if !cx.ipxe_runs_on(firmware.arch) {
            continue;
        }
        let Some(ipxe) = cx
            .clients
            .iter()
            .find(|c| c.kind == ClientKind::Ipxe && c.arch == firmware.arch)
        else {
            continue;
        };
        let Some(again) = &ipxe.boot else {
            continue;
        };
        let content = cx.tftp_file(&again.value).flatten();
        if !matches!(
            boot_file_kind(&again.value, content.as_deref()),
            BootFileKind::Ipxe { .. }
        ) || reported.contains(&again.loc)
        {
            continue;
        }
        reported.push(again.loc);
        let mut finding = sink
            .report(
                &RULE,
                again.loc,
                format!(
                    "chainload loop: {} loads `{}`, then iPXE asks again and gets `{}` from this line too, so it loads itself forever",
                    firmware.describe(),
                    first.value,
                    again.value
                ),
            )
            .help(if cx.isc.is_some() {
                "tell iPXE apart: `if exists user-class and option user-class = \"iPXE\" { filename \"http://…/boot.ipxe\"; } else { filename \"undionly.kpxe\"; }`"
            } else {
                "tell iPXE apart (`dhcp-match=set:ipxe,175`) and give it a script: `dhcp-boot=tag:ipxe,http://…/boot.ipxe`, with `tag:!ipxe` on the iPXE binary's line"
            });
        for &other in &again.shadowed {
            finding = finding.related(
                cx,
                other,
                "this line also matches iPXE but loses: dnsmasq takes the last matching line, tagged lines before untagged",
            );
        }
    }
}
