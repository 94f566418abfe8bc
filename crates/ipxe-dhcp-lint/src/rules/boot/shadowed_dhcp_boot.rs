//! ## What it does
//! Reports a `dhcp-boot` line that can never be chosen, because a later
//! line matches every client it matches: two untagged lines, or a later
//! line whose tags are a subset of this one's.
//!
//! ## Why is this bad?
//! dnsmasq builds its list of `dhcp-boot` lines head-first, so it searches
//! them from the **last** line of the file back to the first, and takes
//! the first that matches (looking at lines with tags before lines
//! without). With two untagged lines the last one wins for every client:
//! the first line is dead, and the tutorial pattern "one line for the
//! firmware, one for iPXE" silently gives both the same file.
//!
//! ## Example
//! ```text
//! dhcp-boot=undionly.kpxe
//! dhcp-boot=http://10.0.0.1/boot.ipxe
//! ```
//!
//! Use instead:
//! ```text
//! dhcp-match=set:ipxe,175
//! dhcp-boot=tag:!ipxe,undionly.kpxe
//! dhcp-boot=tag:ipxe,http://10.0.0.1/boot.ipxe
//! ```
//!
//! ## References
//! `find_boot` in dnsmasq's `src/rfc2131.c`; the `--dhcp-boot` case of
//! `one_opt` in `src/option.c`.

use ipxe_dhcp_config::TagCond;

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "DHCP102",
    name: "shadowed-dhcp-boot",
    summary: "a `dhcp-boot` line a later line always beats (the last matching line wins)",
    severity: Severity::Warning,
    check,
};

/// Whether `later` matches every client `earlier` matches.
fn covers(later: &[TagCond], earlier: &[TagCond]) -> bool {
    later
        .iter()
        .all(|l| earlier.iter().any(|e| e.name == l.name && e.negated == l.negated))
}

fn check(cx: &Cx<'_>, sink: &mut Sink) {
    let boots: Vec<(usize, &[TagCond])> = cx
        .config
        .directives
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match &d.kind {
            Kind::Boot { conditions, .. } => Some((i, conditions.as_slice())),
            _ => None,
        })
        .collect();
    for (n, &(i, conds)) in boots.iter().enumerate() {
        // Tagged lines are searched first, so only a line of the same kind shadows.
        let winner = boots[n + 1..]
            .iter()
            .rev()
            .find(|(_, later)| later.is_empty() == conds.is_empty() && covers(later, conds));
        let Some(&(w, _)) = winner else {
            continue;
        };
        let message = if conds.is_empty() {
            "this `dhcp-boot` line is never used: a later untagged `dhcp-boot` wins for every client (dnsmasq takes the last matching line)".to_string()
        } else {
            "this `dhcp-boot` line is never used: a later line matches every client it matches, and dnsmasq takes the last matching line".to_string()
        };
        sink.report(&RULE, cx.config.directives[i].loc, message)
            .related(cx, cx.config.directives[w].loc, "this later line wins")
            .help("give each line tags that tell the clients apart (`dhcp-match=set:ipxe,175`, then `tag:ipxe` / `tag:!ipxe`), or delete the dead line");
    }
}
