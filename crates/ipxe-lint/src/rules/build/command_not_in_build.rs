//! ## What it does
//! Reports a command that iPXE has, but that the target build does not
//! include: `ping`, `nslookup`, `time`, `imgtrust`/`imgverify` are in no
//! stock build; stock BIOS builds also lack `console`, `params`, the digest
//! commands, `ntp`, `certstore` and more; `cpuid` exists only on x86.
//!
//! With `--target`, a missing command is an error. Without it, the script is
//! checked against the stock BIOS (i386) and EFI (x86_64) builds: a warning
//! when neither has the command, info when only one lacks it (a script that
//! branches on `${platform}` may never run the line there).
//!
//! Commands that also need a driver subsystem (the reference's ‡ commands:
//! `ibstat`, `iwstat`/`iwlist`, `fcstat`/`fcels`, `pciscan`, `usbscan`,
//! `imgextract`, `startpxe`…) are judged by their config macro only: whether
//! the subsystem is linked depends on the drivers in the build, which a script
//! check cannot know, so they are never reported for that alone. When such a
//! command is reported, the help names the subsystem too.
//!
//! ## Why is this bad?
//! A command is linked into iPXE only when its config macro is defined. In a
//! build without it, iPXE prints `<name>: command not found` and the command
//! fails with "Exec format error", which aborts the script unless the line
//! ends in `||`.
//!
//! ## Example
//! ```ipxe
//! #!ipxe
//! ping --count 1 192.168.0.1 || goto offline
//! ```
//!
//! Use instead: build iPXE with the command enabled (here `#define PING_CMD`
//! in `config/local/general.h`), or do without it:
//! ```ipxe
//! #!ipxe
//! imgfetch http://192.168.0.1/alive || goto offline
//! ```
//!
//! ## References
//! `execv` in `src/core/exec.c` (the "command not found" message);
//! `src/config/general.h` and `src/config/config.c` (which macros link which
//! commands).

use ipxe_semantics::BuildProfile;

use crate::prelude::*;
use crate::util::missing_in;

pub(crate) const RULE: Rule = Rule {
    code: "IPX601",
    name: "command-not-in-build",
    summary: "a command that the target iPXE build does not include",
    severity: Severity::Error,
    fix: FixAvailability::None,
    check: Check::Line(check),
};

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        let Some(spec) = bound.spec.filter(|s| !cx.in_every_build[s.id]) else {
            continue;
        };
        let Some(missing) = missing_in(cx.profiles, cx.explicit_target, |p| p.has_command(spec))
        else {
            continue;
        };
        let name = &spec.name;
        let mut message = format!(
            "`{name}` is not in {}: iPXE prints `{name}: command not found`",
            missing.builds
        );
        let wrong_arch: Vec<&BuildProfile> = missing
            .lacking
            .iter()
            .copied()
            .filter(|p| !arch_fits(spec, p))
            .collect();
        if let Some(arches) = spec.arches.as_ref().filter(|_| !wrong_arch.is_empty()) {
            message.push_str(&format!(
                "; `{name}` exists only in {} builds",
                arches.join("/")
            ));
        } else if let Some(enable) = enable_hint(spec, &missing.lacking) {
            message.push_str(&format!("; enable {enable}"));
        }
        let d = sink.report_with(&RULE, missing.severity, command.words[0].span, message);
        if let Some(requires) = &spec.requires {
            d.set_help(format!("`{name}` also needs a subsystem: {requires}"));
        } else if !cx.explicit_target && missing.lacking.len() < cx.profiles.len() {
            d.set_help(
                "if this line only runs on the other platform (after a `${platform}` check), ignore this; name the build with --target to check it alone",
            );
        }
    }
}

fn arch_fits(spec: &ipxe_catalog::Command, profile: &BuildProfile) -> bool {
    spec.arches
        .as_ref()
        .is_none_or(|a| a.iter().any(|x| x == &profile.arch))
}

/// "PING_CMD in config/local/general.h", naming every macro still needed.
fn enable_hint(spec: &ipxe_catalog::Command, lacking: &[&BuildProfile]) -> Option<String> {
    let on = |name: &str| lacking.iter().all(|p| p.overrides.get(name) == Some(&true));
    let mut parts = Vec::new();
    if let Some(name) = &spec.macro_name {
        let main_on = lacking.iter().all(|p| {
            p.overrides
                .get(name)
                .copied()
                .unwrap_or(spec.default_in(p.platform, &p.arch))
        });
        if !main_on {
            let header = spec.header.as_deref().unwrap_or("general.h");
            parts.push(format!("{name} in config/local/{header}"));
        }
    }
    for extra in &spec.extra_macros {
        if !on(&extra.name) {
            parts.push(format!("{} in config/local/{}", extra.name, extra.header));
        }
    }
    (!parts.is_empty()).then(|| parts.join(" and "))
}

#[cfg(test)]
mod tests {
    use crate::{LintOptions, lint_source};
    use ipxe_semantics::BuildProfile;

    fn findings(src: &str, targets: &[&str]) -> Vec<(String, String)> {
        crate::util::findings_for("IPX601", src, targets)
    }

    #[test]
    fn default_pair_gives_warnings_and_infos() {
        let got = findings("#!ipxe\nping -c 1 x ||\nconsole --x 800 ||\nparams\n", &[]);
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].0, "warning");
        assert!(
            got[0]
                .1
                .starts_with("`ping` is not in stock iPXE builds (BIOS or EFI)"),
            "{got:?}"
        );
        assert_eq!(got[1].0, "info");
        assert!(
            got[1]
                .1
                .starts_with("`console` is not in stock BIOS builds"),
            "{got:?}"
        );
        assert_eq!(got[2].0, "info");
    }

    #[test]
    fn architecture_limits_are_named() {
        let got = findings(
            "#!ipxe\ncpuid --ext 29 && set arch x86_64 ||\n",
            &["bin-arm64-efi/ipxe.efi"],
        );
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "error");
        assert!(
            got[0]
                .1
                .ends_with("`cpuid` exists only in i386/x86_64 builds"),
            "{got:?}"
        );
        assert!(findings("#!ipxe\ncpuid 1 ||\n", &["bin-x86_64-efi/ipxe.efi"]).is_empty());
    }

    #[test]
    fn config_overrides_count() {
        let mut profile = BuildProfile::from_target("bin/undionly.kpxe").unwrap();
        profile.overrides.insert("PING_CMD".into(), true);
        let options = LintOptions {
            select: vec!["IPX601".into()],
            profiles: vec![profile],
            explicit_target: true,
            ..LintOptions::default()
        };
        assert!(lint_source("t.ipxe", b"#!ipxe\nping -c 1 x\n", &options).is_empty());
    }
}
