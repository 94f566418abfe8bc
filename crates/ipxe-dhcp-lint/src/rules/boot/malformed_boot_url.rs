//! ## What it does
//! Checks boot file names that are URLs (in `dhcp-boot` and option 67, or
//! dhcpd's `filename`):
//! the scheme must be one iPXE can download from, `http:`/`https:`/`tftp:`/
//! `ftp:` need `//` and a host, and the URL must not hold spaces,
//! backslashes or an unclosed `${`. With `dhcp-no-override` the name goes
//! in the 128-byte `file` field, so it must be 127 bytes or fewer.
//!
//! ## Why is this bad?
//! iPXE parses the boot file name as a URI relative to
//! `tftp://next-server/`: `http:/host/x` becomes a path on the TFTP server,
//! an unknown scheme fails with "Could not open", a space ends the request
//! line, and a name cut at 127 bytes names another file. iPXE does expand
//! `${…}` in the name, so `${net0/mac}` is fine, but an unclosed `${`
//! stays literal.
//!
//! ## Example
//! ```text
//! dhcp-boot=tag:ipxe,http:/10.0.0.1/boot.ipxe
//! ```
//!
//! Use instead:
//! ```text
//! dhcp-boot=tag:ipxe,http://10.0.0.1/boot.ipxe
//! ```
//!
//! ## References
//! `parse_uri` in iPXE's `src/core/uri.c`; `fetch_next_server_and_filename`
//! in `src/usr/autoboot.c`; `do_options` in dnsmasq's `src/rfc2131.c`
//! (`safe_strncpy` into `mess->file`).

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "DHCP105",
    name: "malformed-boot-url",
    summary: "a boot file URL iPXE cannot use (bad scheme, missing `//` or host, spaces, too long)",
    severity: Severity::Error,
    check,
};

fn check(cx: &Cx<'_>, sink: &mut Sink) {
    let no_override = cx.config.has(|k| matches!(k, Kind::NoOverride));
    for (name, loc, fixed_field) in cx.boot_file_values() {
        if let Some(problem) = url_problem(&name) {
            sink.report(&RULE, loc, format!("boot file `{name}`: {problem}"));
        }
        if no_override && fixed_field && name.len() > 127 {
            sink.report(
                &RULE,
                loc,
                format!(
                    "boot file name is {} bytes, but with `dhcp-no-override` it goes in the 128-byte `file` field and is cut to 127",
                    name.len()
                ),
            );
        }
    }
}

/// What is wrong with a boot file name that looks like a URL.
fn url_problem(text: &str) -> Option<String> {
    let colon = text.find(':')?;
    let scheme = &text[..colon];
    let rest = &text[colon + 1..];
    // Not a URL: a plain (relative) file name, or a Windows-style path.
    let is_scheme = !scheme.is_empty()
        && scheme.as_bytes()[0].is_ascii_alphabetic()
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.' || b == b'_');
    if !is_scheme || scheme.len() == 1 {
        return None;
    }
    let catalog = ipxe_catalog::Catalog::get();
    let Some(known) = catalog.scheme(scheme) else {
        return Some(format!(
            "iPXE has no `{scheme}:` URI scheme, so it cannot open it"
        ));
    };
    if known.kind != "download" {
        return Some(format!("`{scheme}:` is not a scheme iPXE downloads from"));
    }
    let hierarchical = ["http", "https", "tftp", "ftp"]
        .iter()
        .any(|s| s.eq_ignore_ascii_case(scheme));
    if hierarchical {
        let Some(after) = rest.strip_prefix("//") else {
            return Some(format!(
                "`{scheme}:` needs `//host/…` after it; iPXE reads `{text}` as a path with no host"
            ));
        };
        let host = after.split(['/', '?', '#']).next().unwrap_or("");
        if host.is_empty() {
            return Some("the URL has no host".into());
        }
    }
    if text.contains(char::is_whitespace) {
        return Some("the URL holds whitespace, which ends the request line".into());
    }
    if text.contains('\\') {
        return Some("the URL holds a backslash; URLs use `/`".into());
    }
    if text.matches("${").count() > text.matches('}').count() {
        return Some("an unclosed `${` stays literal in the URL".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::url_problem;

    #[test]
    fn urls() {
        assert_eq!(url_problem("undionly.kpxe"), None);
        assert_eq!(url_problem("http://10.0.0.1/boot.ipxe"), None);
        assert_eq!(url_problem("http://h/boot.php?mac=${net0/mac}"), None);
        assert_eq!(url_problem("C:\\boot\\x"), None);
        assert!(url_problem("http:/10.0.0.1/boot.ipxe").unwrap().contains("//host"));
        assert!(url_problem("htp://h/x").unwrap().contains("no `htp:`"));
        assert!(url_problem("http:///x").unwrap().contains("no host"));
        assert!(url_problem("http://h/a b").unwrap().contains("whitespace"));
        assert!(url_problem("http://h/${net0/mac").unwrap().contains("unclosed"));
    }
}
