//! ## What it does
//! Reports lines of a dnsmasq configuration that dnsmasq would refuse: an
//! unknown option name, a value it rejects (`dhcp-boot=tag:x` with no file,
//! an unknown `pxe-service` architecture, an unknown `option:` name), a
//! missing closing quote, an include that cannot be read, and includes
//! that nest or grow past the reader's bounds. In an ISC dhcpd file: a
//! statement without `;`, a missing or stray `}`.
//!
//! ## Why is this bad?
//! dnsmasq stops at the first such line ("bad option at line 12 of
//! /etc/dnsmasq.conf") and does not start, so no client gets an address
//! or a boot file. A name we do not know may be an option of a newer
//! dnsmasq, so unknown names are warnings; everything else is an error.
//!
//! ## Example
//! ```text
//! pxe-service=x86_64_EFI,"iPXE",ipxe.efi
//! ```
//!
//! Use instead:
//! ```text
//! pxe-service=x86-64_EFI,"iPXE",ipxe.efi
//! ```
//!
//! ## References
//! `read_file`, `one_opt` and `one_file` in dnsmasq's `src/option.c`.

use ipxe_dhcp_config::ProblemKind;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "DHCP001",
    name: "invalid-line",
    summary: "a line dnsmasq rejects, so it does not start",
    severity: Severity::Error,
    check,
};

fn check(cx: &Cx<'_>, sink: &mut Sink) {
    for problem in &cx.config.problems {
        let severity = match problem.kind {
            ProblemKind::UnknownOption | ProblemKind::Limit => Severity::Warning,
            _ => Severity::Error,
        };
        sink.report_with(&RULE, severity, problem.loc, problem.message.clone());
    }
    for problem in cx.isc.iter().flat_map(|isc| &isc.problems) {
        sink.report(&RULE, problem.loc, problem.message.clone());
    }
}
