//! Internal consistency of the data: things a hand edit of catalog.toml could get wrong.

use ipxe_catalog::{
    ArgRole, Catalog, MAX_ARGUMENTS, OldDefault, OptArg, Platform, ValueKind, release_index,
};
use std::collections::HashSet;

const ALWAYS_PRESENT: &[&str] = &["echo", "exit", "isset", "iseq", "sleep", "help", "shell"];
const GROUPS: &[&str] = &[
    "core",
    "script",
    "image",
    "image-trust",
    "network",
    "settings",
    "menu",
    "form",
    "san",
    "console",
    "crypto",
    "digest",
    "cert",
    "fdt",
    "shim",
    "misc",
];

fn cat() -> &'static Catalog {
    Catalog::get()
}

#[test]
fn command_names_are_unique() {
    let mut seen = HashSet::new();
    for c in &cat().commands {
        assert!(seen.insert(&c.name), "duplicate command {}", c.name);
    }
}

#[test]
fn commands_have_summaries_groups_and_sources() {
    for c in &cat().commands {
        assert!(!c.summary.trim().is_empty(), "{}: empty summary", c.name);
        assert!(
            !c.summary.contains('\n'),
            "{}: summary must be one line",
            c.name
        );
        assert!(
            GROUPS.contains(&c.group.as_str()),
            "{}: unknown group {}",
            c.name,
            c.group
        );
        assert!(
            c.source.starts_with("src/") && c.source.ends_with(".c"),
            "{}: {}",
            c.name,
            c.source
        );
        for o in &c.options {
            assert!(
                !o.summary.trim().is_empty(),
                "{} --{}: empty summary",
                c.name,
                o.long
            );
        }
    }
}

#[test]
fn argument_counts_and_roles_agree() {
    for c in &cat().commands {
        let n = &c.name;
        assert!(c.min_args <= c.max_args, "{n}: min_args > max_args");
        assert!(
            c.max_args <= MAX_ARGUMENTS,
            "{n}: max_args above MAX_ARGUMENTS"
        );
        // Roles cover the required arguments, with no optional one before them.
        for i in 0..c.min_args {
            let a = c
                .arg_role(i)
                .unwrap_or_else(|| panic!("{n}: no role for required argument {i}"));
            assert!(
                !a.optional || a.repeat,
                "{n}: required argument {i} is marked optional"
            );
        }
        for (i, a) in c.args.iter().enumerate() {
            assert_eq!(
                a.optional,
                i >= c.min_args,
                "{n}: argument {i} ({}) optional flag",
                a.name
            );
            assert!(
                !a.repeat || i + 1 == c.args.len(),
                "{n}: only the last argument may repeat"
            );
        }
        // And exactly reach the maximum: a fixed count, or a final repeating role.
        let repeats = c.args.last().is_some_and(|a| a.repeat);
        if c.unlimited_args() {
            assert!(
                repeats,
                "{n}: unlimited arguments need a final repeating role"
            );
        } else {
            assert!(
                !repeats,
                "{n}: limited to {} arguments but last role repeats",
                c.max_args
            );
            assert_eq!(c.args.len(), c.max_args, "{n}: roles do not cover max_args");
            assert!(c.arg_role(c.max_args).is_none(), "{n}");
        }
    }
}

#[test]
fn options_are_unique_per_command_and_consistent() {
    for c in &cat().commands {
        let mut shorts = HashSet::new();
        let mut longs = HashSet::new();
        for o in &c.options {
            assert!(shorts.insert(o.short), "{}: duplicate -{}", c.name, o.short);
            assert!(longs.insert(&o.long), "{}: duplicate --{}", c.name, o.long);
            assert!(o.short.is_ascii_alphanumeric(), "{}: -{}", c.name, o.short);
            // `--help`/`-h` are implicit in every command that parses options.
            assert_ne!(o.long, "help", "{}", c.name);
            assert_eq!(
                o.arg == OptArg::None,
                o.kind == ValueKind::Flag,
                "{} --{}",
                c.name,
                o.long
            );
        }
        if !c.parses_options {
            assert!(c.options.is_empty(), "{}", c.name);
        }
    }
}

#[test]
fn macros_match_defaults() {
    for c in &cat().commands {
        let always = ALWAYS_PRESENT.contains(&c.name.as_str());
        assert_eq!(c.always_present, always, "{}: always_present", c.name);
        if always {
            assert!(
                c.macro_name.is_none() && c.header.is_none(),
                "{}: always present, no macro",
                c.name
            );
            assert_eq!(c.default_on, Platform::ALL, "{}", c.name);
            assert_eq!(c.old_default, OldDefault::On, "{}", c.name);
        } else {
            let m = c
                .macro_name
                .as_deref()
                .unwrap_or_else(|| panic!("{}: no macro", c.name));
            assert!(
                m.chars().all(|ch| ch.is_ascii_uppercase() || ch == '_'),
                "{}: {m}",
                c.name
            );
            assert_eq!(c.header.as_deref(), Some("general.h"), "{}", c.name);
        }
        for m in &c.extra_macros {
            assert!(m.header.ends_with(".h"), "{}", c.name);
        }
    }
}

#[test]
fn old_defaults_are_consistent() {
    for c in &cat().commands {
        if let Some(on) = &c.old_default_on {
            assert_eq!(c.old_default, OldDefault::On, "{}", c.name);
            assert!(
                on.iter().all(|p| p.existed_at_old()),
                "{}: OLD had no {:?}",
                c.name,
                on
            );
        }
        if c.old_default == OldDefault::Absent {
            assert!(
                c.options.iter().all(|o| !o.not_in_old),
                "{}: not_in_old is only meaningful for commands OLD had",
                c.name
            );
            // Absent at OLD (2019) means added after v1.0.0.
            assert!(
                release_index(&c.since) > release_index("v1.0.0"),
                "{}: {}",
                c.name,
                c.since
            );
        }
    }
}

#[test]
fn since_values_are_known_releases_and_ordered() {
    let c = cat();
    for cmd in &c.commands {
        let base = release_index(&cmd.since)
            .unwrap_or_else(|| panic!("{}: since {}", cmd.name, cmd.since));
        for o in &cmd.options {
            if let Some(s) = &o.since {
                let i = release_index(s)
                    .unwrap_or_else(|| panic!("{} --{}: since {s}", cmd.name, o.long));
                assert!(
                    i > base,
                    "{} --{}: option since {s} not after command since {}",
                    cmd.name,
                    o.long,
                    cmd.since
                );
            }
        }
    }
    let others = c
        .settings
        .iter()
        .map(|s| (&s.name, &s.since))
        .chain(c.setting_types.iter().map(|t| (&t.name, &t.since)))
        .chain(c.schemes.iter().map(|s| (&s.name, &s.since)))
        .chain(c.image_types.iter().map(|t| (&t.name, &t.since)));
    for (name, since) in others {
        assert!(release_index(since).is_some(), "{name}: since {since}");
    }
}

#[test]
fn settings_are_unique_and_typed() {
    let c = cat();
    let mut seen = HashSet::new();
    let scopes = [
        "builtin", "netdev", "dhcp", "dhcpv6", "ndp", "ipv6", "smbios", "cpuid", "memmap",
        "generic",
    ];
    for s in &c.settings {
        assert!(seen.insert(&s.name), "duplicate setting {}", s.name);
        assert!(
            c.setting_type(&s.ty).is_some(),
            "{}: unknown type {}",
            s.name,
            s.ty
        );
        assert!(
            scopes.contains(&s.scope.as_str()),
            "{}: scope {}",
            s.name,
            s.scope
        );
        assert!(!s.summary.trim().is_empty(), "{}", s.name);
        for a in &s.also {
            assert!(
                scopes.contains(&a.scope.as_str()) && a.scope != s.scope,
                "{}",
                s.name
            );
        }
        if let Some(opt) = &s.dhcp_option {
            assert!(
                opt.split('.').all(|p| p.parse::<u8>().is_ok()),
                "{}: {opt}",
                s.name
            );
        }
    }
    let mut seen = HashSet::new();
    for t in &c.setting_types {
        assert!(seen.insert(&t.name), "duplicate type {}", t.name);
        assert_eq!(t.signed.is_some(), t.bits.is_some(), "{}", t.name);
        if let Some(signed) = t.signed {
            assert_eq!(
                t.format,
                if signed { "decimal" } else { "hex0x" },
                "{}",
                t.name
            );
        }
    }
}

#[test]
fn schemes_and_image_types_are_unique() {
    let c = cat();
    let mut seen = HashSet::new();
    for s in &c.schemes {
        assert!(
            seen.insert(s.name.to_ascii_lowercase()),
            "duplicate scheme {}",
            s.name
        );
        assert!(
            ["download", "san", "socket"].contains(&s.kind.as_str()),
            "{}",
            s.name
        );
        assert_eq!(s.macro_name.is_empty(), s.kind == "socket", "{}", s.name);
        assert_eq!(s.header.is_none(), s.macro_name.is_empty(), "{}", s.name);
    }
    let mut seen = HashSet::new();
    for t in &c.image_types {
        assert!(
            seen.insert(t.name.clone()),
            "duplicate image type {}",
            t.name
        );
        for n in &t.ipxe_names {
            assert!(
                seen.insert(n.to_ascii_lowercase()) || n.eq_ignore_ascii_case(&t.name),
                "{n}"
            );
        }
        assert!(t.macro_name.starts_with("IMAGE_"), "{}", t.name);
    }
}

#[test]
fn usage_text_matches_print_usage() {
    let c = cat();
    let usage = |n: &str| c.command(n).unwrap().usage();
    assert_eq!(
        usage("chain"),
        "Usage:\n\n  chain [-n|--name <name>] [-t|--timeout <timeout>] [-q|--quiet] \
         [-a|--autofree] [-r|--replace] [<uri|image> [<arguments>...]]\n\n\
         See https://ipxe.org/cmd/chain for further information\n"
    );
    assert_eq!(
        usage("echo"),
        "Usage:\n\n  echo [-n|--n] [...]\n\nSee https://ipxe.org/cmd/echo for further information\n"
    );
    assert_eq!(
        usage("choose"),
        "Usage:\n\n  choose [-m|--menu <menu>] [-d|--default <default>] [-t|--timeout <timeout>] \
         [-r|--retimeout <retimeout>] [-k|--keep] <setting>\n\n\
         See https://ipxe.org/cmd/choose for further information\n"
    );
    assert_eq!(
        usage("sleep"),
        "Usage:\n\n  sleep <seconds>\n\nSee https://ipxe.org/cmd/sleep for further information\n"
    );
    // NULL usage: nothing after the options; "" usage (ibstat only): a trailing space.
    assert_eq!(
        usage("reboot"),
        "Usage:\n\n  reboot [-w|--warm] [-s|--setup]\n\nSee https://ipxe.org/cmd/reboot for further information\n"
    );
    assert_eq!(
        usage("ibstat"),
        "Usage:\n\n  ibstat \n\nSee https://ipxe.org/cmd/ibstat for further information\n"
    );
    assert_eq!(
        usage("param"),
        "Usage:\n\n  param [-p|--params <params>] [-H|--header] <key> [<value>]\n\n\
         See https://ipxe.org/cmd/param for further information\n"
    );
}

#[test]
fn roles_used_by_setting_commands() {
    // Every command whose usage names <setting> first takes a setting name there.
    for c in &cat().commands {
        if c.args_usage.starts_with("<setting>") {
            assert_eq!(
                c.arg_role(0).unwrap().role,
                ArgRole::SettingName,
                "{}",
                c.name
            );
        }
        if c.args_usage.contains("<interface>") && c.unlimited_args() {
            assert_eq!(c.arg_role(0).unwrap().role, ArgRole::Netdev, "{}", c.name);
        }
    }
}
