//! DHCP server configurations: which paths are dnsmasq files, and linting
//! them with `ipxe-dhcp-lint`. The findings go through the same selection,
//! suppression comments and output formats as the scripts'.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Result;
use ipxe_dhcp_config::names::KNOWN_OPTIONS;
use ipxe_dhcp_config::{DnsmasqConfig, Limits, RealFs};
use ipxe_dhcp_lint::{Cx, Selection, TftpRoot};
use ipxe_diagnostics::Diagnostic;
use ipxe_lint::{Config, LintOptions, SourceInput};

use crate::files::Input;

/// Whether a path given on the command line is a DHCP server configuration:
/// by name (`dnsmasq.conf`, `*.conf` in a `dnsmasq.d` folder, `dhcpd.conf`)
/// or, for other names that are not scripts, by its first lines.
pub fn is_dhcp_config(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name == "dnsmasq.conf"
        || name == "dhcpd.conf"
        || (parent == "dnsmasq.d" && name.ends_with(".conf"))
    {
        return true;
    }
    if name.ends_with(".ipxe") || !path.is_file() {
        return false;
    }
    let mut head = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(64 << 10).read_to_end(&mut head));
    read.is_ok() && looks_like_dnsmasq(&head)
}

/// Every option line names a dnsmasq option, and one is about DHCP or TFTP.
fn looks_like_dnsmasq(head: &[u8]) -> bool {
    if head.starts_with(b"#!ipxe") || head.starts_with(b"#!gpxe") {
        return false;
    }
    let text = String::from_utf8_lossy(head);
    let mut dhcp = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let name = line.split('=').next().unwrap_or("").trim();
        if !KNOWN_OPTIONS.contains(&name) {
            return false;
        }
        dhcp |= ["dhcp-", "pxe-", "tftp-", "enable-tftp", "conf-"]
            .iter()
            .any(|p| name.starts_with(p));
    }
    dhcp
}

fn is_isc(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "dhcpd.conf")
}

/// Lints each configuration (with the files it includes). Every file read
/// becomes an input, so findings in an included file show under its path.
pub fn lint(
    paths: &[PathBuf],
    tftp_root: Option<&Path>,
    options: &LintOptions,
    config: Option<&Config>,
) -> Result<(Vec<Input>, Vec<Vec<Diagnostic>>)> {
    let mut inputs = Vec::new();
    let mut found = Vec::new();
    let selection = Selection::default();
    for path in paths {
        if is_isc(path) {
            eprintln!(
                "ipxelint: {}: ISC dhcpd configurations are not checked yet (only dnsmasq)",
                path.display()
            );
            continue;
        }
        if !path.is_file() {
            anyhow::bail!("{}: no such file", path.display());
        }
        let dhcp = DnsmasqConfig::read(&RealFs, path, Limits::default());
        let base = path.parent().unwrap_or(Path::new("."));
        let tftp = match tftp_root {
            Some(dir) => Some(TftpRoot {
                dir: dir.to_path_buf(),
                fs: &RealFs,
                given: true,
            }),
            None => dhcp.tftp_root().map(|dir| TftpRoot {
                dir: base.join(&dir.text),
                fs: &RealFs,
                given: false,
            }),
        };
        let cx = Cx::new(&dhcp, tftp);
        let per_source = ipxe_dhcp_lint::lint(&cx, &selection);
        for (source, diagnostics) in dhcp.sources.iter().zip(per_source) {
            let disk = match &source.included_from {
                None => Some(path.clone()),
                Some(_) => Some(base.join(&source.path)),
            };
            let input = Input {
                display: if source.included_from.is_none() {
                    path.display().to_string()
                } else {
                    source.path.clone()
                },
                path: disk,
                src: source.text.clone(),
            };
            let source_input = SourceInput {
                path: input.display.clone(),
                src: &input.src,
                ignore: match (config, &input.path) {
                    (Some(c), Some(p)) => c.ignores_for(p),
                    _ => Vec::new(),
                },
            };
            found.push(ipxe_lint::filter_external(
                &source_input,
                options,
                diagnostics,
            ));
            inputs.push(input);
        }
    }
    Ok((inputs, found))
}

#[cfg(test)]
mod tests {
    use super::looks_like_dnsmasq;

    #[test]
    fn content_detection() {
        assert!(looks_like_dnsmasq(
            b"# boot\ninterface=eth0\ndhcp-boot=undionly.kpxe\n"
        ));
        assert!(!looks_like_dnsmasq(b"#!ipxe\ndhcp\nchain boot.ipxe\n"));
        assert!(!looks_like_dnsmasq(b"interface=eth0\nport=53\n"));
        assert!(!looks_like_dnsmasq(b"[section]\nkey=value\n"));
    }
}
