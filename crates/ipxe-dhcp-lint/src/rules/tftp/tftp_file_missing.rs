//! ## What it does
//! With a TFTP root to look in (`ipxelint --tftp-root DIR`, else the
//! configuration's own `tftp-root` when that folder exists here), reports
//! boot files the configuration hands out by TFTP that are not in it: the
//! `dhcp-boot` file, option 67, and the file each `pxe-service` serves.
//!
//! ## Why is this bad?
//! The client gets its address and then "PXE-T01: File not found" or
//! "TFTP open timeout". URLs are not checked here (`--check-urls` does
//! that for scripts), nor names holding `${…}`, which iPXE expands.
//!
//! ## Example
//! ```text
//! tftp-root=/srv/tftp
//! dhcp-boot=undionly.kpxe     # but /srv/tftp has only ipxe.efi
//! ```
//!
//! ## References
//! dnsmasq's TFTP server (`src/tftp.c`) serves names relative to
//! `tftp-root`; a leading `/` is taken inside the root.

use crate::files::url_scheme;
use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "DHCP301",
    name: "tftp-file-missing",
    summary: "a boot file served by TFTP is not in the TFTP root",
    severity: Severity::Warning,
    check,
};

fn check(cx: &Cx<'_>, sink: &mut Sink) {
    let Some(root) = &cx.tftp else {
        return;
    };
    if root.fs.list(&root.dir).is_err() {
        let anchor = cx.config.tftp_root().map(|f| f.loc);
        if let Some(loc) = anchor {
            sink.report_with(
                &RULE,
                Severity::Info,
                loc,
                format!(
                    "the TFTP root `{}` is not here, so boot files were not checked (pass `--tftp-root DIR`)",
                    root.dir.display()
                ),
            );
        }
        return;
    }
    // The `.0` suffix rule reports services whose `.0` file is missing.
    let services = cx.config.directives.iter().filter_map(|d| match &d.kind {
        Kind::PxeService {
            target: ipxe_dhcp_config::PxeTarget::Basename(f),
            ..
        } if f.text.contains('.') => Some((f.text.clone(), f.loc, false)),
        _ => None,
    });
    for (name, loc, _) in cx.boot_file_values().into_iter().chain(services) {
        if name.is_empty() || name.contains("${") || url_scheme(&name).is_some() {
            continue;
        }
        if cx.tftp_file(&name) == Some(None) {
            sink.report(
                &RULE,
                loc,
                format!("`{name}` is not in the TFTP root `{}`", root.dir.display()),
            );
        }
    }
}
