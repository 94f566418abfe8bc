//! Reading dnsmasq configurations: directives, fields, places, problems, includes.

use std::path::Path;

use ipxe_dhcp_config::{DnsmasqConfig, Kind, Limits, MemFs, ProblemKind, PxeTarget};

fn parse(text: &str) -> DnsmasqConfig {
    DnsmasqConfig::parse_str("dnsmasq.conf", text.as_bytes())
}

#[test]
fn dhcp_boot_fields_and_tags() {
    let c = parse(
        "# comment\n\ndhcp-boot=tag:ipxe,tag:!efi,http://10.0.0.1/boot.ipxe,boothost,10.0.0.1\n\
         dhcp-boot=net:#old,undionly.kpxe\n",
    );
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let Kind::Boot {
        conditions,
        file,
        server_name,
        server,
    } = &c.directives[0].kind
    else {
        panic!("not a boot line: {:?}", c.directives[0].kind)
    };
    assert_eq!(
        conditions
            .iter()
            .map(|t| (t.name.as_str(), t.negated))
            .collect::<Vec<_>>(),
        [("ipxe", false), ("efi", true)]
    );
    assert_eq!(file.text, "http://10.0.0.1/boot.ipxe");
    assert_eq!((file.loc.line, file.loc.col), (3, 29));
    assert_eq!(server_name.as_ref().unwrap().text, "boothost");
    assert_eq!(server.as_ref().unwrap().text, "10.0.0.1");
    let Kind::Boot { conditions, .. } = &c.directives[1].kind else {
        panic!()
    };
    assert_eq!(
        (conditions[0].name.as_str(), conditions[0].negated),
        ("old", true)
    );
}

#[test]
fn ranges_matches_classes_and_tag_if() {
    let c = parse(
        "dhcp-range=set:lan,192.168.1.100,192.168.1.200,12h\n\
         dhcp-range=192.168.2.0,proxy\n\
         dhcp-match=set:ipxe,175\n\
         dhcp-match=set:efi64,option:client-arch,7\n\
         dhcp-userclass=set:ipxe2,iPXE\n\
         dhcp-vendorclass=set:bios,PXEClient:Arch:00000\n\
         tag-if=set:chain,tag:!ipxe,tag:bios\n",
    );
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    match &c.directives[0].kind {
        Kind::Range {
            set, proxy, start, ..
        } => {
            assert_eq!(set.as_ref().unwrap().text, "lan");
            assert_eq!(start.text, "192.168.1.100");
            assert!(!proxy);
        }
        k => panic!("{k:?}"),
    }
    assert!(matches!(
        c.directives[1].kind,
        Kind::Range { proxy: true, .. }
    ));
    match &c.directives[3].kind {
        Kind::Match { set, option, value } => {
            assert_eq!(set.text, "efi64");
            assert_eq!(option.number, 93);
            assert_eq!(value.as_ref().unwrap().text, "7");
        }
        k => panic!("{k:?}"),
    }
    match &c.directives[5].kind {
        Kind::Class { user, set, pattern } => {
            assert!(!user);
            assert_eq!(set.text, "bios");
            assert_eq!(pattern.text, "PXEClient:Arch:00000");
        }
        k => panic!("{k:?}"),
    }
    match &c.directives[6].kind {
        Kind::TagIf { set, conditions } => {
            assert_eq!(set[0].text, "chain");
            assert_eq!(conditions.len(), 2);
            assert!(conditions[0].negated);
        }
        k => panic!("{k:?}"),
    }
}

#[test]
fn pxe_services_options_and_flags() {
    let c = parse(
        "pxe-service=X86-64_EFI,\"Boot iPXE\",ipxe.efi\n\
         pxe-service=x86PC,\"Network boot\",undionly\n\
         pxe-service=tag:x,0,\"Local\"\n\
         pxe-service=x86PC,\"Discover\",8,10.0.0.2\n\
         pxe-prompt=\"Press F8\",5\n\
         dhcp-option=tag:ipxe,option:bootfile-name,http://h/menu.ipxe\n\
         dhcp-option-force=66,10.0.0.5\n\
         enable-tftp\ntftp-root=/srv/tftp\ntftp-secure\ndhcp-no-override\n",
    );
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let target = |i: usize| match &c.directives[i].kind {
        Kind::PxeService { target, csa, .. } => (*csa, target.clone()),
        k => panic!("{k:?}"),
    };
    assert_eq!(target(0).0, 7);
    assert_eq!(target(0).1.fetched_file().as_deref(), Some("ipxe.efi"));
    assert_eq!(target(1).1.fetched_file().as_deref(), Some("undionly.0"));
    assert_eq!(target(2).1, PxeTarget::LocalBoot);
    assert_eq!(target(3).1, PxeTarget::ServiceType(8));
    match &c.directives[5].kind {
        Kind::Option {
            option,
            value,
            conditions,
            force,
            ..
        } => {
            assert_eq!(option.number, 67);
            assert_eq!(value[0].text, "http://h/menu.ipxe");
            assert_eq!(conditions[0].name, "ipxe");
            assert!(!force);
        }
        k => panic!("{k:?}"),
    }
    assert!(matches!(
        c.directives[6].kind,
        Kind::Option { force: true, .. }
    ));
    assert_eq!(c.tftp_root().unwrap().text, "/srv/tftp");
    assert!(c.has(|k| matches!(k, Kind::NoOverride)));
}

#[test]
fn problems_have_places_and_reading_goes_on() {
    let c = parse(
        "no-such-option=1\n\
         dhcp-boot=tag:ipxe\n\
         pxe-service=x86_64_EFI,\"x\",ipxe.efi\n\
         dhcp-boot=\"unclosed\n\
         dhcp-option=option:no-such-name,1\n\
         log-dhcp\n\
         dhcp-boot=pxelinux.0\n",
    );
    let kinds: Vec<(u32, ProblemKind)> = c.problems.iter().map(|p| (p.loc.line, p.kind)).collect();
    assert_eq!(
        kinds,
        [
            (1, ProblemKind::UnknownOption),
            (2, ProblemKind::BadValue),
            (3, ProblemKind::BadValue),
            (4, ProblemKind::MissingQuote),
            (5, ProblemKind::BadValue),
        ]
    );
    assert!(c.problems[2].message.contains("x86-64_EFI"));
    assert!(matches!(
        c.directives.last().unwrap().kind,
        Kind::Boot { .. }
    ));
    assert!(matches!(
        c.directives[c.directives.len() - 2].kind,
        Kind::Other
    ));
}

#[test]
fn command_line_form() {
    let args: Vec<String> = [
        "dnsmasq",
        "--dhcp-boot=undionly.kpxe",
        "--enable-tftp",
        "-d",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let c = DnsmasqConfig::from_args(&args, &ipxe_dhcp_config::NoFiles, Limits::default());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    assert_eq!(c.directives.len(), 2);
    assert_eq!(c.sources[0].path, "<command line>");
}

#[test]
fn includes_follow_conf_file_and_conf_dir_filters() {
    let fs = MemFs::default()
        .with(
            "/etc/dnsmasq.conf",
            "conf-dir=/etc/dnsmasq.d,*.conf\nconf-file=extra.conf\nconf-file=/etc/dnsmasq.conf\n",
        )
        .with("/etc/dnsmasq.d/20-boot.conf", "dhcp-boot=b\n")
        .with(
            "/etc/dnsmasq.d/10-range.conf",
            "dhcp-range=10.0.0.10,10.0.0.20\n",
        )
        .with("/etc/dnsmasq.d/30-old.conf.bak", "dhcp-boot=old\n")
        .with("/etc/dnsmasq.d/.hidden.conf", "dhcp-boot=hidden\n")
        .with("/etc/extra.conf", "enable-tftp\n");
    let c = DnsmasqConfig::read(&fs, Path::new("/etc/dnsmasq.conf"), Limits::default());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let paths: Vec<&str> = c.sources.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/etc/dnsmasq.conf",
            "/etc/dnsmasq.d/10-range.conf",
            "/etc/dnsmasq.d/20-boot.conf",
            "extra.conf"
        ]
    );
    assert_eq!(c.sources[2].included_from.unwrap().line, 1);
    // Directive order is reading order: the included lines stand where the include is.
    let names: Vec<&str> = c.directives.iter().map(|d| d.name.text.as_str()).collect();
    assert_eq!(
        names,
        [
            "dhcp-range",
            "dhcp-boot",
            "conf-dir",
            "enable-tftp",
            "conf-file",
            "conf-file"
        ]
    );

    let fs = MemFs::default()
        .with("/d/a.conf", "dhcp-boot=a\n")
        .with("/d/b.bak", "dhcp-boot=b\n")
        .with("/top", "conf-dir=/d,.bak\nconf-file=/missing\n");
    let c = DnsmasqConfig::read(&fs, Path::new("/top"), Limits::default());
    assert_eq!(c.sources.len(), 2);
    assert_eq!(c.sources[1].path, "/d/a.conf");
    assert_eq!(c.problems.len(), 1);
    assert_eq!(c.problems[0].kind, ProblemKind::Include);
    assert_eq!(c.problems[0].loc.line, 2);
}

#[test]
fn include_bounds_are_problems() {
    // Each file includes the next, deeper than the bound.
    let mut fs = MemFs::default();
    for i in 0..10 {
        fs = fs.with(&format!("/f{i}"), &format!("conf-file=/f{}\n", i + 1));
    }
    let limits = Limits {
        depth: 3,
        ..Limits::default()
    };
    let c = DnsmasqConfig::read(&fs, Path::new("/f0"), limits);
    assert_eq!(c.sources.len(), 4);
    assert_eq!(c.problems.len(), 1);
    assert_eq!(c.problems[0].kind, ProblemKind::Limit);

    let fs = MemFs::default()
        .with("/a", "conf-file=/b\n")
        .with("/b", &"log-dhcp\n".repeat(100));
    let limits = Limits {
        total_bytes: 200,
        ..Limits::default()
    };
    let c = DnsmasqConfig::read(&fs, Path::new("/a"), limits);
    assert!(c.sources.iter().map(|s| s.text.len()).sum::<usize>() <= 200);
    assert!(c.problems.iter().any(|p| p.kind == ProblemKind::Limit));
}
