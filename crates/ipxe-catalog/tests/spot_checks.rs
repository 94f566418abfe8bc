//! Facts checked against iPXE's source and the project's reference; each one would catch a
//! specific kind of wrong data.

use ipxe_catalog::{ArgRole, Catalog, OldDefault, Platform};

const ARCHES: &[&str] = &[
    "i386", "x86_64", "arm32", "arm64", "loong64", "riscv32", "riscv64",
];

fn cmd(name: &str) -> &'static ipxe_catalog::Command {
    Catalog::get()
        .command(name)
        .unwrap_or_else(|| panic!("no command {name}"))
}

#[test]
fn ping_is_not_default_anywhere() {
    let ping = cmd("ping");
    for p in Platform::ALL {
        for a in ARCHES {
            assert!(!ping.default_in(p, a), "ping default on {p:?}/{a}");
            assert!(!ping.old_default_in(p, a));
        }
    }
    assert_eq!(ping.macro_name.as_deref(), Some("PING_CMD"));
}

#[test]
fn params_is_default_on_efi_not_pcbios() {
    let params = cmd("params");
    assert!(params.default_in(Platform::Efi, "x86_64"));
    assert!(params.default_in(Platform::Linux, "x86_64"));
    assert!(!params.default_in(Platform::Pcbios, "i386"));
    assert_eq!(params.old_default, OldDefault::Off);
}

#[test]
fn cpuid_is_x86_only() {
    let cpuid = cmd("cpuid");
    assert_eq!(
        cpuid.arches.as_deref(),
        Some(&["i386".to_string(), "x86_64".to_string()][..])
    );
    assert!(cpuid.default_in(Platform::Pcbios, "i386"));
    assert!(cpuid.default_in(Platform::Efi, "x86_64"));
    assert!(!cpuid.default_in(Platform::Efi, "arm64"));
    assert!(!cpuid.default_in(Platform::Sbi, "riscv64"));
    // At OLD: BIOS and x86 EFI, not Linux.
    assert!(cpuid.old_default_in(Platform::Efi, "x86_64"));
    assert!(!cpuid.old_default_in(Platform::Linux, "x86_64"));
}

#[test]
fn https_is_not_default_on_bios() {
    let c = Catalog::get();
    let https = c.scheme("https").unwrap();
    assert!(!https.default_in(Platform::Pcbios));
    assert!(https.default_in(Platform::Efi));
    assert_eq!(https.old_default, OldDefault::Off);
    assert_eq!(https.macro_name, "DOWNLOAD_PROTO_HTTPS");
    // Schemes are matched case-insensitively, as iPXE does.
    assert_eq!(c.scheme("HTTP").unwrap().name, "http");
    assert!(c.scheme("file").unwrap().default_in(Platform::Efi));
    assert!(!c.scheme("file").unwrap().default_in(Platform::Linux));
    assert_eq!(c.scheme("data").unwrap().old_default, OldDefault::Absent);
    assert!(!c.scheme("iscsi").unwrap().default_in(Platform::Sbi));
}

#[test]
fn form_did_not_exist_at_old() {
    for n in [
        "form",
        "present",
        "iflinkwait",
        "imgextract",
        "shim",
        "usbscan",
        "fdt",
        "imgset",
        "sha256sum",
    ] {
        assert_eq!(cmd(n).old_default, OldDefault::Absent, "{n}");
    }
    assert_eq!(cmd("item").old_default, OldDefault::On);
    assert!(cmd("item").option_long("form").unwrap().not_in_old);
    assert!(!cmd("item").option_long("menu").unwrap().not_in_old);
}

#[test]
fn argument_roles() {
    assert_eq!(cmd("goto").arg_role(0).unwrap().role, ArgRole::Label);
    assert_eq!(
        cmd("isset").arg_role(0).unwrap().role,
        ArgRole::SettingValue
    );
    assert_eq!(cmd("iseq").arg_role(1).unwrap().role, ArgRole::SettingValue);
    assert_eq!(cmd("show").arg_role(0).unwrap().role, ArgRole::SettingName);
    let set = cmd("set");
    assert_eq!(set.arg_role(0).unwrap().role, ArgRole::SettingName);
    assert_eq!(set.arg_role(7).unwrap().role, ArgRole::SettingValue);
    let item = cmd("item");
    assert_eq!(item.arg_role(0).unwrap().role, ArgRole::MenuItemName);
    assert_eq!(item.arg_role(3).unwrap().role, ArgRole::Text);
    assert_eq!(cmd("imgfetch").arg_role(0).unwrap().role, ArgRole::Uri);
    assert_eq!(cmd("chain").arg_role(0).unwrap().role, ArgRole::UriOrImage);
    assert_eq!(cmd("chain").arg_role(1).unwrap().role, ArgRole::Text);
    assert_eq!(
        cmd("imgset").arg_role(0).unwrap().role,
        ArgRole::SettingName
    );
    assert_eq!(cmd("nslookup").arg_role(1).unwrap().role, ArgRole::Host);
    assert_eq!(cmd("time").arg_role(0).unwrap().role, ArgRole::Command);
    assert_eq!(cmd("sleep").arg_role(0).unwrap().role, ArgRole::Integer);
    assert_eq!(cmd("sanboot").arg_role(2).unwrap().role, ArgRole::Uri);
    assert!(cmd("goto").arg_role(1).is_none());
}

#[test]
fn inc_takes_one_or_two_arguments() {
    let inc = cmd("inc");
    assert_eq!((inc.min_args, inc.max_args), (1, 2));
    assert_eq!(inc.arg_role(0).unwrap().role, ArgRole::SettingName);
    assert_eq!(inc.arg_role(1).unwrap().role, ArgRole::Integer);
    assert!(!inc.unlimited_args());
    assert!(cmd("echo").unlimited_args());
}

#[test]
fn option_lookup_and_order() {
    let chain = cmd("chain");
    let longs: Vec<_> = chain.options.iter().map(|o| o.long.as_str()).collect();
    assert_eq!(longs, ["name", "timeout", "quiet", "autofree", "replace"]);
    assert_eq!(chain.option_short('a').unwrap().long, "autofree");
    assert_eq!(
        chain.option_long("quiet").unwrap().since.as_deref(),
        Some("master")
    );
    // imgfetch shares the array but stops before --replace.
    assert!(cmd("imgfetch").option_long("replace").is_none());
    assert_eq!(cmd("param").option_short('H').unwrap().long, "header");
    let sanboot: Vec<_> = cmd("sanboot").options.iter().map(|o| o.short).collect();
    assert_eq!(sanboot, ['d', 'n', 'k', 'f', 'e', 'l', 'u']);
    assert_eq!(cmd("sanunhook").options.len(), 1);
}

#[test]
fn platform_specific_defaults() {
    let fdt = cmd("fdt");
    assert!(fdt.default_in(Platform::Efi, "arm64"));
    assert!(!fdt.default_in(Platform::Efi, "x86_64"));
    assert!(fdt.default_in(Platform::Sbi, "riscv64"));
    assert!(!fdt.default_in(Platform::Pcbios, "i386"));
    let reboot = cmd("reboot");
    assert!(!reboot.default_in(Platform::Linux, "x86_64"));
    assert!(reboot.old_default_in(Platform::Pcbios, "i386"));
    assert!(!reboot.old_default_in(Platform::Linux, "i386"));
    assert!(!cmd("poweroff").old_default_in(Platform::Pcbios, "i386"));
    assert!(!cmd("md4sum").default_in(Platform::Efi, "x86_64"));
    let sha = cmd("sha256sum");
    assert!(sha.default_in(Platform::Efi, "x86_64") && !sha.default_in(Platform::Pcbios, "i386"));
    assert_eq!(sha.extra_macros[0].name, "CRYPTO_DIGEST_SHA256");
    assert!(cmd("goto").default_in(Platform::Sbi, "riscv64"));
    assert_eq!(cmd("goto").macro_name.as_deref(), Some("IMAGE_SCRIPT"));
}

#[test]
fn help_does_not_parse_options() {
    let help = cmd("help");
    assert!(!help.parses_options);
    assert!(help.unlimited_args());
    assert!(cmd("echo").parses_options);
}

#[test]
fn settings_and_types() {
    let c = Catalog::get();
    let errno = c.setting("errno").unwrap();
    assert_eq!(
        (errno.ty.as_str(), errno.scope.as_str()),
        ("uint32", "builtin")
    );
    assert_eq!(
        c.setting("hostname").unwrap().dhcp_option.as_deref(),
        Some("12")
    );
    assert_eq!(
        c.setting("scriptlet").unwrap().dhcp_option.as_deref(),
        Some("175.81")
    );
    assert_eq!(c.setting("uuid").unwrap().scope, "smbios");
    assert_eq!(c.setting("cpuvendor").unwrap().scope, "cpuid");
    assert!(c.setting("cwuri").unwrap().not_in_old);
    assert!(!c.setting("ip").unwrap().not_in_old);
    assert!(c.setting("menu-timeout").is_none());
    assert_eq!(c.setting_type("uint8").unwrap().signed, Some(false));
    assert_eq!(c.setting_type("int8").unwrap().format, "decimal");
    assert!(!c.setting_type("busdevfn").unwrap().settable);
    assert!(c.setting_type("guid").unwrap().not_in_old);
}

#[test]
fn image_types() {
    let c = Catalog::get();
    let bz = c.image_type("bzImage").unwrap();
    assert_eq!(bz.name, "bzimage");
    assert!(bz.default_in(Platform::Pcbios, "i386"));
    assert!(!bz.default_in(Platform::Efi, "x86_64"));
    let gzip = c.image_type("gzip").unwrap();
    assert!(gzip.default_in(Platform::Efi, "arm64") && !gzip.default_in(Platform::Efi, "x86_64"));
    assert!(
        c.image_type("efi")
            .unwrap()
            .old_default_in(Platform::Efi, "x86_64")
    );
    assert!(
        c.image_type("script")
            .unwrap()
            .default_in(Platform::Linux, "x86_64")
    );
}

#[test]
fn since_values() {
    assert_eq!(cmd("imgset").since, "master");
    assert_eq!(cmd("form").since, "v2.0.0");
    assert_eq!(
        cmd("show").option_long("quiet").unwrap().since.as_deref(),
        Some("master")
    );
    assert_eq!(
        cmd("ifconf")
            .option_long("timeout")
            .unwrap()
            .since
            .as_deref(),
        Some("v1.21.1")
    );
    assert!(cmd("sanboot").option_long("uuid").unwrap().not_in_old);
}
