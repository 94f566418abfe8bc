//! ## What it does
//! Checks the architecture number in a `dhcp-vendorclass` text (and in a
//! `dhcp-match` on option 60): PXE clients send `PXEClient:Arch:` (or
//! `HTTPClient:Arch:`) followed by **five** decimal digits, such as
//! `PXEClient:Arch:00007:UNDI:003016`. Reports texts that can never match
//! (`PXEClient:Arch:7`, `PXEClient:Arch:0007:UNDI`, `pxeclient:…`), and
//! texts cut short that match more architectures than they seem to.
//!
//! ## Why is this bad?
//! dnsmasq looks for the text anywhere in option 60, comparing bytes
//! exactly (case counts). `PXEClient:Arch:0007` is not in
//! `PXEClient:Arch:00007:…`, so its tag is never set and the boot line
//! guarded by it never fires. `PXEClient:Arch:0000` is in the texts of
//! architectures 0 to 9, BIOS and EFI alike.
//!
//! ## Example
//! ```text
//! dhcp-vendorclass=set:efi64,PXEClient:Arch:0007
//! ```
//!
//! Use instead:
//! ```text
//! dhcp-vendorclass=set:efi64,PXEClient:Arch:00007
//! ```
//! or, better, `dhcp-match=set:efi64,option:client-arch,7`.
//!
//! ## References
//! The vendor-class loop of `dhcp_reply` in dnsmasq's `src/rfc2131.c`
//! (`memcmp` at every offset); PXE 2.1 specification, option 60.

use ipxe_dhcp_config::Field;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "DHCP201",
    name: "vendor-class-arch-digits",
    summary: "a `PXEClient:Arch:` text without exactly five digits never matches (or matches too much)",
    severity: Severity::Warning,
    check,
};

fn check(cx: &Cx<'_>, sink: &mut Sink) {
    for d in &cx.config.directives {
        let pattern: &Field = match &d.kind {
            Kind::Class {
                user: false,
                pattern,
                ..
            } => pattern,
            Kind::Match {
                option,
                value: Some(v),
                ..
            } if option.number == 60 => v,
            _ => continue,
        };
        if let Some(problem) = arch_problem(&pattern.text) {
            sink.report(&RULE, pattern.loc, problem)
                .help("write the architecture as five digits (`PXEClient:Arch:00007`), or match option 93 itself: `dhcp-match=set:efi64,option:client-arch,7`");
        }
    }
}

fn arch_problem(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let at = lower.find("client:arch:")?;
    let prefix = &text[..at + "client:arch:".len()];
    if !(prefix.ends_with("PXEClient:Arch:") || prefix.ends_with("HTTPClient:Arch:")) {
        return Some(format!(
            "`{text}` never matches: clients send `PXEClient:Arch:` / `HTTPClient:Arch:` with exactly this case, and dnsmasq compares bytes exactly"
        ));
    }
    let rest = &text[prefix.len()..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let followed = digits < rest.len();
    match digits {
        5 => None,
        0 if !followed => None,
        0 => Some(format!(
            "`{text}` never matches: clients send five digits after `Arch:`"
        )),
        n if n > 5 || followed => Some(format!(
            "`{text}` never matches: clients send five digits after `Arch:` (`Arch:{:05}`), not {n}",
            rest[..digits].parse::<u64>().unwrap_or(0)
        )),
        n => {
            let low: u32 = rest[..digits].parse().unwrap_or(0);
            let scale = 10u32.pow(5 - n as u32);
            let (from, to) = (low * scale, low * scale + scale - 1);
            Some(if from > 255 {
                format!(
                    "`{text}` never matches a real client: with {n} of the five digits it stands for architectures {from} to {to} (did you mean `Arch:{low:05}`?)"
                )
            } else {
                format!(
                    "`{text}` has {n} of the five digits, so it matches every architecture from {from} to {to}"
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::arch_problem;

    #[test]
    fn digits() {
        assert_eq!(arch_problem("PXEClient:Arch:00007"), None);
        assert_eq!(arch_problem("PXEClient:Arch:00007:UNDI:003016"), None);
        assert_eq!(arch_problem("PXEClient"), None);
        assert_eq!(arch_problem("PXEClient:Arch:"), None);
        assert!(arch_problem("PXEClient:Arch:0007:UNDI").unwrap().contains("never"));
        assert!(arch_problem("PXEClient:Arch:000007").unwrap().contains("never"));
        assert!(arch_problem("pxeclient:arch:00007").unwrap().contains("case"));
        assert!(arch_problem("PXEClient:Arch:0000").unwrap().contains("from 0 to 9"));
        assert!(arch_problem("PXEClient:Arch:7").unwrap().contains("Arch:00007"));
    }
}
