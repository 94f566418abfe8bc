//! How a run is set up: the build, the machine, the answers, the bounds.

use ipxe_catalog::Platform;

use crate::keys::Key;

/// Which iPXE's behaviour to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpxeVersion {
    /// Debian's 2019-01-25 build (commit 36a4c85f911c): the conformance judge.
    Old2019,
    /// Current master (0ab2277c40f1), where it differs and is modelled.
    Head,
}

impl IpxeVersion {
    pub fn is_head(self) -> bool {
        self == IpxeVersion::Head
    }

    /// The `${version}` string.
    pub fn version_string(self) -> &'static str {
        match self {
            IpxeVersion::Old2019 => "1.0.0+git-20190125.36a4c85-5.1",
            IpxeVersion::Head => "2.0.0+",
        }
    }

    /// Prefix of error URLs in messages.
    pub fn error_url(self) -> &'static str {
        match self {
            IpxeVersion::Old2019 => "http://ipxe.org/",
            IpxeVersion::Head => "https://ipxe.org/",
        }
    }
}

/// What ran before the script: decides whether net0 is up when it starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StartContext {
    /// Nothing ran first: an `EMBED=` script or a `.lkrn` initrd. net0 is
    /// closed and unconfigured (how the conformance traces were recorded).
    #[default]
    Embedded,
    /// iPXE's own DHCP ran and fetched the script (`filename` from a DHCP
    /// server): net0 is open and configured, `${filename}` is set and the
    /// working URI is the script's URL.
    Chained,
}

impl StartContext {
    pub fn as_str(self) -> &'static str {
        match self {
            StartContext::Embedded => "embedded",
            StartContext::Chained => "chained",
        }
    }
}

/// Bounds that turn a hostile script into the outcome "limit".
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Lines plus commands executed.
    pub steps: u64,
    /// Nested `chain`/`imgexec` of scripts.
    pub chain_depth: usize,
    /// Longest expanded word, in bytes.
    pub expansion_len: usize,
    /// `${…}` replacements in one word.
    pub expansion_steps: usize,
    /// Bytes of all registered images together.
    pub image_memory: usize,
    /// Stored setting values.
    pub settings: usize,
    /// Bytes printed to the console.
    pub console_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            steps: 200_000,
            chain_depth: 32,
            expansion_len: 64 * 1024,
            expansion_steps: 10_000,
            image_memory: 192 * 1024 * 1024,
            settings: 10_000,
            console_bytes: 4 * 1024 * 1024,
        }
    }
}

/// Everything a run needs besides the script and the network.
#[derive(Clone, Debug)]
pub struct SimConfig {
    pub platform: Platform,
    pub arch: String,
    pub version: IpxeVersion,
    pub limits: Limits,
    /// MAC address of net0.
    pub mac: String,
    /// What `dhcp` stores in `net0.dhcp` (setting name → text).
    pub dhcp: Vec<(String, String)>,
    /// `dhcp` fails (no link / no server) when false.
    pub dhcp_works: bool,
    /// What ran before the script (the library default is `Embedded`, the
    /// context of the conformance traces; the CLI's default is `Chained`).
    pub start: StartContext,
    /// Settings stored before the script starts (`--set`, `[settings]`).
    pub presets: Vec<(String, String)>,
    /// Answers for successive `choose` commands (`--select`).
    pub selects: Vec<String>,
    pub keys: Vec<Key>,
    /// Stop with [`crate::Outcome::Unanswered`] at a `choose` with no answer left
    /// (used by `--all` exploration).
    pub stop_at_unanswered_choose: bool,
    /// Text printed before the script starts (the BIOS's and iPXE's banners,
    /// for comparisons with real screens).
    pub banner: Option<String>,
    /// Macros defined/undefined on top of the stock build (`--config`-style overrides).
    pub overrides: Vec<(String, bool)>,
    /// CPUID feature bits that are set: (leaf selector, bit) with selector
    /// 0 = leaf 1 EDX, 1 = leaf 1 ECX, 2 = leaf 0x80000001 EDX, 3 = its ECX.
    pub cpuid: Vec<(u8, u8)>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            platform: Platform::Pcbios,
            arch: "i386".into(),
            version: IpxeVersion::Old2019,
            limits: Limits::default(),
            mac: "52:54:00:12:34:56".into(),
            dhcp: vec![
                ("ip".into(), "10.0.2.15".into()),
                ("netmask".into(), "255.255.255.0".into()),
                ("next-server".into(), "10.0.2.2".into()),
            ],
            dhcp_works: true,
            start: StartContext::Embedded,
            presets: Vec::new(),
            selects: Vec::new(),
            keys: Vec::new(),
            stop_at_unanswered_choose: false,
            banner: None,
            overrides: Vec::new(),
            cpuid: qemu64_cpuid(),
        }
    }
}

/// The feature bits of QEMU's default `qemu64` CPU under TCG, which the
/// conformance runs use.
pub fn qemu64_cpuid() -> Vec<(u8, u8)> {
    let mut v = Vec::new();
    for bit in [
        0, 1, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 19, 23, 24, 25, 26,
    ] {
        v.push((0, bit));
    }
    for bit in [0, 13, 23, 31] {
        v.push((1, bit));
    }
    for bit in [11, 20, 29] {
        v.push((2, bit));
    }
    for bit in [0, 2, 5, 6] {
        v.push((3, bit));
    }
    v
}
