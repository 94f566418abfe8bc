//! ## What it does
//! Reports a `pxe-service` basename with no dot: clients fetch it with the
//! PXE "layer" suffix added, so `undionly` makes them ask for `undionly.0`.
//! With a TFTP root to look in, it is a warning when that `.0` file is
//! missing (naming the file you probably meant); without one it is info for
//! the names of iPXE builds, whose files never end in `.0`.
//!
//! ## Why is this bad?
//! dnsmasq answers the boot server request with `BASENAME.0` when the
//! basename has no dot. Since dnsmasq 2.76 a basename **with** a dot is
//! served as it is (`undionly.kpxe`); before 2.76 every basename got `.0`,
//! so `undionly.kpxe` became `undionly.kpxe.0`. Writing the full file name
//! is right on 2.76 and later; on older servers, rename the file to end in
//! `.0` instead.
//!
//! ## Example
//! ```text
//! pxe-service=x86PC,"Boot iPXE",undionly
//! ```
//!
//! Use instead:
//! ```text
//! pxe-service=x86PC,"Boot iPXE",undionly.kpxe
//! ```
//!
//! ## References
//! `pxe_uefi_workaround` and the boot-server reply in dnsmasq's
//! `src/rfc2131.c` (`strchr(basename, '.') ? "%s" : "%s.0"`); dnsmasq
//! CHANGELOG, version 2.76; the `--pxe-service` entry of `dnsmasq(8)`.

use ipxe_dhcp_config::PxeTarget;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "DHCP302",
    name: "pxe-service-layer-suffix",
    summary: "a `pxe-service` basename without a dot is fetched as `NAME.0`",
    severity: Severity::Warning,
    check,
};

/// iPXE build names, whose files end in `.kpxe`, `.pxe` or `.efi`, never `.0`.
const IPXE_NAMES: &[&str] = &["undionly", "ipxe", "snponly", "snp"];

fn check(cx: &Cx<'_>, sink: &mut Sink) {
    for d in &cx.config.directives {
        let Kind::PxeService {
            target: target @ PxeTarget::Basename(base),
            ..
        } = &d.kind
        else {
            continue;
        };
        let Some(fetched) = target.fetched_file() else {
            continue;
        };
        if base.text.contains('.') {
            continue;
        }
        match cx.tftp_file(&fetched) {
            Some(Some(_)) => {}
            Some(None) => {
                let near = similar_files(cx, &base.text);
                let finding = sink.report(
                    &RULE,
                    base.loc,
                    format!(
                        "clients fetch `{fetched}` for this menu item (dnsmasq adds `.0` to a basename without a dot), and the TFTP root has no such file"
                    ),
                );
                if let Some(file) = near.first() {
                    finding.help(format!(
                        "write the whole name, `{file}` (dnsmasq 2.76 and later serve a name with a dot as it is)"
                    ));
                }
            }
            None if IPXE_NAMES.contains(&base.text.to_ascii_lowercase().as_str()) => {
                sink.report_with(
                    &RULE,
                    Severity::Info,
                    base.loc,
                    format!(
                        "clients fetch `{fetched}` for this menu item (dnsmasq adds `.0` to a basename without a dot), but iPXE builds are named `.kpxe`, `.pxe` or `.efi`"
                    ),
                )
                .help(format!(
                    "write the whole file name, e.g. `{}.kpxe` (dnsmasq 2.76 and later)",
                    base.text
                ));
            }
            None => {}
        }
    }
}

/// Files in the TFTP root named `BASENAME.something`.
fn similar_files(cx: &Cx<'_>, base: &str) -> Vec<String> {
    let Some(root) = &cx.tftp else {
        return Vec::new();
    };
    let (dir, stem) = match base.rsplit_once('/') {
        Some((dir, stem)) => (root.dir.join(dir.trim_start_matches('/')), stem),
        None => (root.dir.clone(), base),
    };
    let mut names: Vec<String> = root
        .fs
        .list(&dir)
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n.strip_prefix(stem).is_some_and(|rest| rest.starts_with('.')))
        .map(|n| match base.rsplit_once('/') {
            Some((d, _)) => format!("{d}/{n}"),
            None => n,
        })
        .collect();
    names.sort();
    names
}
