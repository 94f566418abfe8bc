//! dnsmasq's name tables, written from its source (see each table).

/// Every long option dnsmasq knows (the `opts[]` table in src/option.c, 2.9x),
/// so a line naming one we do not model is "known, not modelled" rather than
/// "unknown". dnsmasq itself refuses to start on an unknown name ("bad option").
pub const KNOWN_OPTIONS: &[&str] = &[
    "version",
    "no-hosts",
    "no-poll",
    "help",
    "no-daemon",
    "log-queries",
    "user",
    "group",
    "resolv-file",
    "servers-file",
    "mx-host",
    "mx-target",
    "cache-size",
    "port",
    "dhcp-leasefile",
    "dhcp-lease",
    "dhcp-host",
    "dhcp-range",
    "dhcp-option",
    "dhcp-boot",
    "domain",
    "domain-suffix",
    "interface",
    "listen-address",
    "local-service",
    "bogus-priv",
    "bogus-nxdomain",
    "ignore-address",
    "selfmx",
    "filterwin2k",
    "filter-A",
    "filter-AAAA",
    "filter-rr",
    "pid-file",
    "strict-order",
    "server",
    "rev-server",
    "local",
    "address",
    "conf-file",
    "conf-script",
    "no-resolv",
    "expand-hosts",
    "localmx",
    "local-ttl",
    "no-negcache",
    "no-round-robin",
    "no-0x20-encode",
    "do-0x20-encode",
    "cache-rr",
    "addn-hosts",
    "hostsdir",
    "query-port",
    "except-interface",
    "no-dhcp-interface",
    "no-dhcpv4-interface",
    "no-dhcpv6-interface",
    "domain-needed",
    "dhcp-lease-max",
    "bind-interfaces",
    "read-ethers",
    "alias",
    "dhcp-vendorclass",
    "dhcp-userclass",
    "dhcp-ignore",
    "edns-packet-max",
    "keep-in-foreground",
    "dhcp-authoritative",
    "srv-host",
    "localise-queries",
    "txt-record",
    "caa-record",
    "dns-rr",
    "enable-dbus",
    "enable-ubus",
    "bootp-dynamic",
    "dhcp-mac",
    "no-ping",
    "dhcp-script",
    "conf-dir",
    "log-facility",
    "leasefile-ro",
    "script-on-renewal",
    "dns-forward-max",
    "clear-on-reload",
    "dhcp-ignore-names",
    "enable-tftp",
    "tftp-secure",
    "tftp-no-fail",
    "tftp-unique-root",
    "tftp-root",
    "tftp-max",
    "tftp-mtu",
    "tftp-lowercase",
    "tftp-single-port",
    "ptr-record",
    "naptr-record",
    "bridge-interface",
    "shared-network",
    "dhcp-option-force",
    "dhcp-option-pxe",
    "tftp-no-blocksize",
    "log-dhcp",
    "log-async",
    "dhcp-circuitid",
    "dhcp-remoteid",
    "dhcp-subscrid",
    "dhcp-pxe-vendor",
    "interface-name",
    "dhcp-hostsfile",
    "dhcp-optsfile",
    "dhcp-hostsdir",
    "dhcp-optsdir",
    "dhcp-no-override",
    "tftp-port-range",
    "stop-dns-rebind",
    "rebind-domain-ok",
    "all-servers",
    "dhcp-match",
    "dhcp-name-match",
    "dhcp-broadcast",
    "neg-ttl",
    "max-ttl",
    "min-cache-ttl",
    "max-cache-ttl",
    "dhcp-alternate-port",
    "dhcp-scriptuser",
    "min-port",
    "max-port",
    "dhcp-fqdn",
    "cname",
    "pxe-prompt",
    "pxe-service",
    "test",
    "tag-if",
    "dhcp-proxy",
    "dhcp-generate-names",
    "rebind-localhost-ok",
    "add-mac",
    "strip-mac",
    "add-subnet",
    "strip-subnet",
    "add-cpe-id",
    "proxy-dnssec",
    "dhcp-sequential-ip",
    "conntrack",
    "dhcp-client-update",
    "dhcp-luascript",
    "enable-ra",
    "dhcp-duid",
    "host-record",
    "bind-dynamic",
    "auth-zone",
    "auth-server",
    "auth-ttl",
    "auth-soa",
    "auth-sec-servers",
    "auth-peer",
    "ipset",
    "nftset",
    "connmark-allowlist-enable",
    "connmark-allowlist",
    "synth-domain",
    "dnssec",
    "trust-anchor",
    "dnssec-debug",
    "dnssec-check-unsigned",
    "dnssec-no-timecheck",
    "dnssec-timestamp",
    "dnssec-limits",
    "dhcp-relay",
    "dhcp-split-relay",
    "ra-param",
    "quiet-dhcp",
    "quiet-dhcp6",
    "quiet-ra",
    "dns-loop-detect",
    "script-arp",
    "dhcp-ttl",
    "dhcp-reply-delay",
    "dhcp-rapid-commit",
    "dumpfile",
    "dumpmask",
    "dhcp-ignore-clid",
    "dynamic-host",
    "log-debug",
    "umbrella",
    "quiet-tftp",
    "port-limit",
    "fast-dns-retry",
    "use-stale-cache",
    "no-ident",
    "max-tcp-connections",
    "leasequery",
];

/// DHCPv4 option names for `option:NAME` (the `opttab[]` table in
/// src/dhcp-common.c), with the value's size in bytes when dnsmasq encodes
/// a decimal number with a fixed size (0 otherwise).
pub const OPTION_NAMES: &[(&str, u8, u8)] = &[
    ("netmask", 1, 0),
    ("time-offset", 2, 4),
    ("router", 3, 0),
    ("dns-server", 6, 0),
    ("log-server", 7, 0),
    ("lpr-server", 9, 0),
    ("hostname", 12, 0),
    ("boot-file-size", 13, 2),
    ("domain-name", 15, 0),
    ("swap-server", 16, 0),
    ("root-path", 17, 0),
    ("extension-path", 18, 0),
    ("ip-forward-enable", 19, 1),
    ("non-local-source-routing", 20, 1),
    ("policy-filter", 21, 0),
    ("max-datagram-reassembly", 22, 2),
    ("default-ttl", 23, 1),
    ("mtu", 26, 2),
    ("all-subnets-local", 27, 1),
    ("broadcast", 28, 0),
    ("router-discovery", 31, 1),
    ("router-solicitation", 32, 0),
    ("static-route", 33, 0),
    ("trailer-encapsulation", 34, 1),
    ("arp-timeout", 35, 4),
    ("ethernet-encap", 36, 1),
    ("tcp-ttl", 37, 1),
    ("tcp-keepalive", 38, 4),
    ("nis-domain", 40, 0),
    ("nis-server", 41, 0),
    ("ntp-server", 42, 0),
    ("vendor-encap", 43, 0),
    ("netbios-ns", 44, 0),
    ("netbios-dd", 45, 0),
    ("netbios-nodetype", 46, 1),
    ("netbios-scope", 47, 0),
    ("x-windows-fs", 48, 0),
    ("x-windows-dm", 49, 0),
    ("requested-address", 50, 0),
    ("lease-time", 51, 0),
    ("option-overload", 52, 0),
    ("message-type", 53, 0),
    ("server-identifier", 54, 0),
    ("parameter-request", 55, 0),
    ("message", 56, 0),
    ("max-message-size", 57, 0),
    ("T1", 58, 0),
    ("T2", 59, 0),
    ("vendor-class", 60, 0),
    ("client-id", 61, 0),
    ("nis+-domain", 64, 0),
    ("nis+-server", 65, 0),
    ("tftp-server", 66, 0),
    ("bootfile-name", 67, 0),
    ("mobile-ip-home", 68, 0),
    ("smtp-server", 69, 0),
    ("pop3-server", 70, 0),
    ("nntp-server", 71, 0),
    ("irc-server", 74, 0),
    ("user-class", 77, 0),
    ("rapid-commit", 80, 0),
    ("FQDN", 81, 0),
    ("agent-info", 82, 0),
    ("last-transaction", 91, 4),
    ("associated-ip", 92, 0),
    ("client-arch", 93, 2),
    ("client-interface-id", 94, 0),
    ("client-machine-id", 97, 0),
    ("posix-timezone", 100, 0),
    ("tzdb-timezone", 101, 0),
    ("ipv6-only", 108, 4),
    ("captive-portal", 114, 0),
    ("subnet-select", 118, 0),
    ("domain-search", 119, 0),
    ("sip-server", 120, 0),
    ("classless-static-route", 121, 0),
    ("vendor-id-encap", 125, 0),
    ("tftp-server-address", 150, 0),
    ("server-ip-address", 255, 0),
];

/// The number of a named DHCPv4 option (dnsmasq compares names ignoring case,
/// `lookup_dhcp_opt` in src/dhcp-common.c).
pub fn option_number(name: &str) -> Option<u8> {
    OPTION_NAMES
        .iter()
        .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, number, _)| number)
}

/// The fixed size dnsmasq gives a decimal value of this option, if any.
pub fn option_decimal_size(number: u8) -> Option<u8> {
    OPTION_NAMES
        .iter()
        .find(|(_, n, size)| *n == number && *size > 0)
        .map(|&(_, _, size)| size)
}

/// Client system architectures by number: the names `pxe-service` accepts
/// (the `CSA[]` array in `--pxe-service`, src/option.c, compared ignoring
/// case; the index is the RFC 4578 option 93 value). Other numbers may be
/// given as integers.
pub const CSA_NAMES: &[&str] = &[
    "x86PC",
    "PC98",
    "IA64_EFI",
    "Alpha",
    "Arc_x86",
    "Intel_Lean_Client",
    "IA32_EFI",
    "x86-64_EFI",
    "Xscale_EFI",
    "BC_EFI",
    "ARM32_EFI",
    "ARM64_EFI",
];

/// The option 93 value of a `pxe-service` CSA field (a name or a number).
pub fn csa_number(text: &str) -> Option<u16> {
    if let Some(i) = CSA_NAMES.iter().position(|n| n.eq_ignore_ascii_case(text)) {
        return Some(i as u16);
    }
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    None
}

/// A readable name for an option 93 value, for messages.
pub fn arch_name(arch: u16) -> String {
    match arch {
        0 => "BIOS (x86PC)".into(),
        6 => "32-bit x86 EFI".into(),
        7 => "x86-64 EFI".into(),
        9 => "x86-64 EFI (BC)".into(),
        10 => "32-bit ARM EFI".into(),
        11 => "ARM64 EFI".into(),
        16 => "x86-64 EFI over HTTP".into(),
        19 => "ARM64 EFI over HTTP".into(),
        n => match CSA_NAMES.get(n as usize) {
            Some(name) => format!("architecture {n} ({name})"),
            None => format!("architecture {n}"),
        },
    }
}

/// Whether option 93 `arch` is some kind of EFI.
pub fn arch_is_efi(arch: u16) -> bool {
    matches!(arch, 2 | 6..=11 | 15..=25 | 27..=31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csa_names_and_numbers() {
        assert_eq!(csa_number("x86PC"), Some(0));
        assert_eq!(csa_number("X86-64_EFI"), Some(7));
        assert_eq!(csa_number("bc_efi"), Some(9));
        assert_eq!(csa_number("16"), Some(16));
        assert_eq!(csa_number("x86_64_EFI"), None);
        assert_eq!(option_number("Bootfile-Name"), Some(67));
        assert_eq!(option_number("client-arch"), Some(93));
        assert_eq!(option_decimal_size(93), Some(2));
        assert!(KNOWN_OPTIONS.contains(&"dhcp-boot"));
    }
}
