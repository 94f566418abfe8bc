//! DHCP server configurations: which paths are dnsmasq or ISC dhcpd files,
//! and linting them with `ipxe-dhcp-lint`. The findings go through the same selection,
//! suppression comments and output formats as the scripts'.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use ipxe_dhcp_config::isc::IscConfig;
use ipxe_dhcp_config::names::KNOWN_OPTIONS;
use ipxe_dhcp_config::{DnsmasqConfig, Limits, RealFs};
use ipxe_dhcp_lint::{Cx, Selection, TftpRoot};
use ipxe_diagnostics::Diagnostic;
use ipxe_lint::{Config, LintOptions, SourceInput};

use crate::files::Input;

/// Whether a path given on the command line is a DHCP server configuration:
/// by name (`dnsmasq.conf`, `*.conf` in a `dnsmasq.d` folder, `dhcpd.conf`)
/// or, for other names that are not scripts, by its first lines (dnsmasq
/// options, or dhcpd statements).
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
    head(path).is_some_and(|h| looks_like_dnsmasq(&h) || looks_like_isc(&h))
}

/// The first 64 KiB of a file.
fn head(path: &Path) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(64 << 10).read_to_end(&mut head))
        .ok()?;
    Some(head)
}

/// Every statement line ends in `;`, `{` or `}`, and one is a dhcpd
/// declaration or boot parameter.
fn looks_like_isc(head: &[u8]) -> bool {
    if head.starts_with(b"#!ipxe") || head.starts_with(b"#!gpxe") {
        return false;
    }
    let text = String::from_utf8_lossy(head);
    let mut seen = false;
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if !line.ends_with([';', '{', '}']) {
            return false;
        }
        seen |= [
            "subnet ",
            "host ",
            "filename ",
            "next-server ",
            "class ",
            "shared-network ",
        ]
        .iter()
        .any(|p| line.starts_with(p));
    }
    seen
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
        || head(path).is_some_and(|h| looks_like_isc(&h))
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
        if !path.is_file() {
            anyhow::bail!("{}: no such file", path.display());
        }
        let base = path.parent().unwrap_or(Path::new("."));
        if is_isc(path) {
            let text =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            let isc = IscConfig::parse(&path.display().to_string(), &text);
            let tftp = tftp_root.map(|dir| TftpRoot {
                dir: dir.to_path_buf(),
                fs: &RealFs,
                given: true,
            });
            let cx = Cx::new_isc(&isc, tftp);
            let diagnostics = ipxe_dhcp_lint::lint(&cx, &selection)
                .into_iter()
                .next()
                .unwrap_or_default();
            let input = Input {
                display: path.display().to_string(),
                path: Some(path.clone()),
                src: text,
            };
            found.push(filter(&input, options, config, diagnostics));
            inputs.push(input);
            continue;
        }
        let dhcp = DnsmasqConfig::read(&RealFs, path, Limits::default());
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
            found.push(filter(&input, options, config, diagnostics));
            inputs.push(input);
        }
    }
    Ok((inputs, found))
}

/// The run's selection, per-file ignores, suppression comments and severity
/// overrides, as for URL findings.
fn filter(
    input: &Input,
    options: &LintOptions,
    config: Option<&Config>,
    diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let source = SourceInput {
        path: input.display.clone(),
        src: &input.src,
        ignore: match (config, &input.path) {
            (Some(c), Some(p)) => c.ignores_for(p),
            _ => Vec::new(),
        },
    };
    ipxe_lint::filter_external(&source, options, diagnostics)
}

#[cfg(test)]
mod tests {
    use super::{looks_like_dnsmasq, looks_like_isc};

    #[test]
    fn content_detection() {
        assert!(looks_like_dnsmasq(
            b"# boot\ninterface=eth0\ndhcp-boot=undionly.kpxe\n"
        ));
        assert!(!looks_like_dnsmasq(b"#!ipxe\ndhcp\nchain boot.ipxe\n"));
        assert!(!looks_like_dnsmasq(b"interface=eth0\nport=53\n"));
        assert!(!looks_like_dnsmasq(b"[section]\nkey=value\n"));
        assert!(looks_like_isc(
            b"# pxe\nsubnet 10.0.0.0 netmask 255.0.0.0 {\n  filename \"a\"; # x\n}\n"
        ));
        assert!(!looks_like_isc(b"#!ipxe\nsubnet {\n"));
        assert!(!looks_like_isc(b"dhcp-boot=a;\n"));
    }
}
