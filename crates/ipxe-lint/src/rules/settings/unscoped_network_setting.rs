//! ## What it does
//! Reports `set ip …`, `set netmask …` and `set gateway …` without a network
//! device scope.
//!
//! ## Why is this bad?
//! Unscoped `set` stores into the global settings. A network device reads
//! its address, netmask and gateway from its own settings block (and the
//! DHCP block below it), never from the global one, so the interface keeps
//! its old configuration, while `${ip}` now shows the new value everywhere:
//! the script prints one address and uses another. Configure a static
//! address with `set net0/ip …`, `set net0/netmask …`, `set net0/gateway …`
//! and `ifopen net0`.
//!
//! ## Example
//! ```ipxe
//! set ip 192.168.0.10
//! set netmask 255.255.255.0
//! ```
//!
//! Use instead:
//! ```ipxe
//! set net0/ip 192.168.0.10
//! set net0/netmask 255.255.255.0
//! ifopen net0
//! ```
//!
//! ## Fix safety
//! Scoping the setting to `net0` is unsafe: the script may mean another
//! interface, and `${ip}` no longer shows the value.
//!
//! ## References
//! `ipv4_settings` in `src/net/ipv4.c`; `fetch_setting` in `src/core/settings.c`.

use ipxe_syntax::split_setting_name;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX404",
    name: "unscoped-network-setting",
    summary: "`set ip|netmask|gateway` without `net0/`: no network device reads it",
    severity: Severity::Warning,
    fix: FixAvailability::Always,
    check: Check::Commands(|c| c.name == "set", check),
};

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        if bound.spec.map(|s| s.name.as_str()) != Some("set") || bound.problem.is_some() {
            continue;
        }
        let Some(word) = bound.positional(command, 0) else {
            continue;
        };
        let Some(text) = word_literal(word, cx.src) else {
            continue;
        };
        let parts = split_setting_name(text);
        let name = &text[parts.name.start as usize..parts.name.end as usize];
        if parts.block.is_some() || !matches!(name, b"ip" | b"netmask" | b"gateway") {
            continue;
        }
        let name = show(name);
        sink.report(
            &RULE,
            word.span,
            format!(
                "`set {name}` stores `{name}` in the global settings, which no network device reads: the interface keeps its old configuration while `${{{name}}}` shows the new value"
            ),
        )
        .set_help(format!("configure the interface itself: `set net0/{name} …`, then `ifopen net0`"))
        .set_fix("scope the setting to net0", Applicability::Unsafe, vec![Edit::insert(word.span.start, "net0/")]);
    }
}
