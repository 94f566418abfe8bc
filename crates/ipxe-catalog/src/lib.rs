//! The catalogue of everything iPXE registers that a script can name: commands (with their
//! options and positional arguments), predefined settings, setting types, URI schemes and
//! image types.
//!
//! It is data, not code, so that the linter, simulator, builder and LSP all agree: the single
//! source of truth is `data/catalog.toml`, embedded at compile time and deserialised once.
//! Every fact in it was read from iPXE's source at the commit recorded in [`Meta`]; the crate's
//! tests fail if the file does not deserialise, so a broken data file never reaches a user.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The embedded data file. Public so that tools can show or re-check the raw text.
pub const CATALOG_TOML: &str = include_str!("../data/catalog.toml");

/// `max_args` value that iPXE uses (`MAX_ARGUMENTS`, 0xff) for "no maximum".
pub const MAX_ARGUMENTS: usize = 255;

/// iPXE release tags in chronological order, as used by every `since` field. A `since` of
/// `"master"` means "after the newest tag" (present at [`Meta::ipxe_commit`] only).
pub const RELEASES: &[&str] = &[
    "v0.9.3",
    "v0.9.4",
    "v0.9.5",
    "v0.9.6",
    "v0.9.7",
    "v0.9.8",
    "v0.9.9",
    "v1.0.0-rc1",
    "v1.0.0",
    "v1.20.1",
    "v1.21.1",
    "v2.0.0",
    "master",
];

/// Position of a `since` value in [`RELEASES`], so that versions can be compared.
pub fn release_index(since: &str) -> Option<usize> {
    RELEASES.iter().position(|r| *r == since)
}

/// The whole catalogue.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    pub meta: Meta,
    #[serde(rename = "command")]
    pub commands: Vec<Command>,
    #[serde(rename = "setting")]
    pub settings: Vec<Setting>,
    #[serde(rename = "setting_type")]
    pub setting_types: Vec<SettingType>,
    #[serde(rename = "scheme")]
    pub schemes: Vec<Scheme>,
    #[serde(rename = "image_type")]
    pub image_types: Vec<ImageType>,
    /// Name → index, built after loading: every bound command looks itself up,
    /// so it uses a fast hash (the keys are the catalogue's own names).
    #[serde(skip)]
    /// By bytes, so that a script's words are looked up without a UTF-8 check.
    command_index: FxHashMap<Box<[u8]>, usize>,
    #[serde(skip)]
    setting_index: FxHashMap<String, usize>,
}

static CATALOG: OnceLock<Catalog> = OnceLock::new();

impl Catalog {
    /// The embedded catalogue, parsed on first use. The tests parse the same text, so the
    /// `expect` cannot fire in a released build.
    #[inline]
    pub fn get() -> &'static Catalog {
        CATALOG.get_or_init(|| {
            Catalog::from_toml_str(CATALOG_TOML).expect("data/catalog.toml is checked by tests")
        })
    }

    /// Parse a catalogue from TOML text (the embedded file, or a modified copy in tests).
    pub fn from_toml_str(text: &str) -> Result<Catalog, toml::de::Error> {
        let mut catalog: Catalog = toml::from_str(text)?;
        for (id, command) in catalog.commands.iter_mut().enumerate() {
            command.id = id;
        }
        catalog.command_index = catalog
            .commands
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.as_bytes().into(), i))
            .collect();
        // The first definition wins, as a linear search would find it.
        for (i, s) in catalog.settings.iter().enumerate().rev() {
            catalog.setting_index.insert(s.name.clone(), i);
        }
        Ok(catalog)
    }

    /// Command by exact, case-sensitive name (iPXE compares command names with `strcmp`).
    #[inline]
    pub fn command(&self, name: &str) -> Option<&Command> {
        self.command_bytes(name.as_bytes())
    }

    /// [`Catalog::command`] for a name as a script writes it (any bytes).
    #[inline]
    pub fn command_bytes(&self, name: &[u8]) -> Option<&Command> {
        self.command_index.get(name).map(|&i| &self.commands[i])
    }

    /// Predefined setting by exact name (without any `block/` prefix or `:type` suffix).
    #[inline]
    pub fn setting(&self, name: &str) -> Option<&Setting> {
        self.setting_index.get(name).map(|&i| &self.settings[i])
    }

    /// Setting type by exact name (`int8`, `hexraw`, ...).
    pub fn setting_type(&self, name: &str) -> Option<&SettingType> {
        self.setting_types.iter().find(|t| t.name == name)
    }

    /// URI scheme, case-insensitively (iPXE matches schemes with `strcasecmp`).
    pub fn scheme(&self, name: &str) -> Option<&Scheme> {
        self.schemes
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name))
    }

    /// Image type by our short name (`bzimage`) or by the name iPXE displays (`bzImage`),
    /// case-insensitively, since users meet both spellings.
    pub fn image_type(&self, name: &str) -> Option<&ImageType> {
        self.image_types.iter().find(|t| {
            t.name.eq_ignore_ascii_case(name)
                || t.ipxe_names.iter().any(|n| n.eq_ignore_ascii_case(name))
        })
    }

    /// All command names, in catalogue order.
    pub fn command_names(&self) -> impl Iterator<Item = &str> {
        self.commands.iter().map(|c| c.name.as_str())
    }
}

/// Where the data came from.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Full iPXE commit ("HEAD") the catalogue was read from.
    pub ipxe_commit: String,
    /// `git describe --tags` of that commit.
    pub ipxe_describe: String,
    /// Full commit of the older reference revision ("OLD") that `old_default` fields describe.
    pub old_commit: String,
    pub old_describe: String,
    pub old_date: String,
}

/// iPXE firmware platforms (the `PLATFORM` build variable).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Platform {
    Pcbios,
    Efi,
    Linux,
    Sbi,
}

impl Platform {
    pub const ALL: [Platform; 4] = [
        Platform::Pcbios,
        Platform::Efi,
        Platform::Linux,
        Platform::Sbi,
    ];

    /// The spelling used in build directories and in `${platform}`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Pcbios => "pcbios",
            Platform::Efi => "efi",
            Platform::Linux => "linux",
            Platform::Sbi => "sbi",
        }
    }

    /// Parse the `${platform}` spelling.
    pub fn from_name(name: &str) -> Option<Platform> {
        Platform::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// The OLD revision predates the RISC-V SBI platform.
    pub fn existed_at_old(self) -> bool {
        self != Platform::Sbi
    }
}

/// Whether an option takes an argument (iPXE's `has_arg`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OptArg {
    None,
    Required,
    Optional,
}

/// What an option's argument means, so tools can check or complete it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueKind {
    /// No argument.
    Flag,
    String,
    Integer,
    /// Milliseconds (`parse_timeout`); 0 means no timeout.
    Timeout,
    /// One character, or an integer key code (`parse_key`).
    Key,
    /// A setting name; missing blocks are created (`parse_autovivified_setting`).
    Setting,
    Netdev,
    Menu,
    Form,
    Uri,
    Image,
    /// A name to give the object the command creates (e.g. an image name).
    Name,
    /// Name of a request parameter list (`params`/`param`).
    Params,
    /// SAN drive number.
    Drive,
    /// Network configurator name (`dhcp`, `ipv6`).
    Configurator,
    FcPort,
    FcPortId,
    Uuid,
    /// A path inside a filesystem (SAN boot filename).
    Path,
    /// A filesystem volume label.
    Label,
    /// An HTTP method.
    Method,
    /// A certificate subject common name.
    Subject,
    MenuItemName,
}

/// What a positional argument means.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArgRole {
    /// A script label (`goto`).
    Label,
    /// The name of a setting (`set`, `show`, `choose`, ...), not its value.
    SettingName,
    /// An expanded value that is tested or stored (`isset`, `iseq`, `set`'s value words).
    SettingValue,
    /// Free text, usually joined with single spaces.
    Text,
    /// Always downloaded (`imgfetch`, SAN root paths).
    Uri,
    /// An existing image name is used if registered, otherwise downloaded (`imgacquire`).
    UriOrImage,
    /// Must be a registered image name.
    Image,
    Netdev,
    Integer,
    Timeout,
    /// A command name to run (`time`).
    Command,
    MenuItemName,
    String,
    /// A host name or address.
    Host,
    /// A settings block name (`config`).
    SettingsBlock,
}

/// A feature's default state at the OLD revision.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OldDefault {
    On,
    Off,
    /// Did not exist yet.
    Absent,
}

/// Per-platform restriction of a default to some build architectures (e.g. `fdt` is only
/// enabled for non-x86 EFI), for defaults that `arches` alone cannot express.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformArches {
    pub pcbios: Option<Vec<String>>,
    pub efi: Option<Vec<String>>,
    pub linux: Option<Vec<String>>,
    pub sbi: Option<Vec<String>>,
}

impl PlatformArches {
    pub fn get(&self, platform: Platform) -> Option<&[String]> {
        match platform {
            Platform::Pcbios => self.pcbios.as_deref(),
            Platform::Efi => self.efi.as_deref(),
            Platform::Linux => self.linux.as_deref(),
            Platform::Sbi => self.sbi.as_deref(),
        }
    }
}

/// A further config macro that must also be defined (and the header defining it).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MacroRef {
    pub name: String,
    pub header: String,
}

/// One command-line option, in the order of iPXE's option array (which is the order
/// `print_usage` lists them in).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OptionSpec {
    pub short: char,
    pub long: String,
    pub arg: OptArg,
    pub kind: ValueKind,
    pub summary: String,
    /// First release with this option, when newer than the command.
    pub since: Option<String>,
    /// The command existed at OLD but this option did not.
    #[serde(default)]
    pub not_in_old: bool,
}

/// One positional argument.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArgSpec {
    pub name: String,
    pub role: ArgRole,
    #[serde(default)]
    pub optional: bool,
    /// This spec also covers every later argument.
    #[serde(default)]
    pub repeat: bool,
}

fn yes() -> bool {
    true
}

/// A command as registered by `COMMAND ( name, ... )`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Command {
    /// Position in [`Catalog::commands`], for tables kept per command.
    #[serde(skip)]
    pub id: usize,
    pub name: String,
    pub group: String,
    pub summary: String,
    /// The usage string of the command's `COMMAND_DESC`, exactly; "" when it is NULL.
    pub args_usage: String,
    /// The usage string is `""` rather than NULL, so `print_usage` emits a trailing space
    /// (only `ibstat`).
    #[serde(default)]
    pub usage_is_empty_string: bool,
    /// False for commands that never call `parse_options` (`help`): they accept anything,
    /// including `--help`, and never print usage.
    #[serde(default = "yes")]
    pub parses_options: bool,
    pub min_args: usize,
    /// [`MAX_ARGUMENTS`] (255) means unlimited.
    pub max_args: usize,
    /// File that registers the command.
    pub source: String,
    /// File holding its option array and descriptor, when different (`dhcp`, digests).
    pub options_source: Option<String>,
    /// Linked into every build whatever the configuration.
    #[serde(default)]
    pub always_present: bool,
    /// Config macro that links the command; `None` for always-present commands.
    #[serde(rename = "macro")]
    pub macro_name: Option<String>,
    /// `src/config/` header that defines the macro.
    pub header: Option<String>,
    /// Platforms whose stock HEAD configuration enables the command's macro(s).
    pub default_on: Vec<Platform>,
    /// Only these `buildarch` values can have the command at all.
    pub arches: Option<Vec<String>>,
    /// Per-platform architecture restriction of `default_on`.
    pub default_arches: Option<PlatformArches>,
    pub old_default: OldDefault,
    /// Where `old_default = "on"` held, when not on every platform OLD had.
    pub old_default_on: Option<Vec<Platform>>,
    /// Subsystem the command also needs at link time (the reference's ‡ marker); a stock
    /// build may lack it even where the macro is on.
    pub requires: Option<String>,
    /// Machine-readable tag for `requires` (`infiniband`, `net80211`, `fc`, `pci`, `usb`,
    /// `archive`, `efi`, `pxe`).
    pub requires_subsystem: Option<String>,
    pub since: String,
    /// Further macros that must be defined as well (digest algorithms in `crypto.h`).
    #[serde(rename = "extra_macro", default)]
    pub extra_macros: Vec<MacroRef>,
    #[serde(rename = "option", default)]
    pub options: Vec<OptionSpec>,
    #[serde(rename = "arg", default)]
    pub args: Vec<ArgSpec>,
}

/// Shared by commands, schemes and image types: is the thing enabled in a stock build?
#[inline]
fn default_for(
    default_on: &[Platform],
    arches: Option<&[String]>,
    default_arches: Option<&PlatformArches>,
    platform: Platform,
    arch: &str,
) -> bool {
    default_on.contains(&platform)
        && arches.is_none_or(|a| a.iter().any(|x| x == arch))
        && default_arches
            .and_then(|d| d.get(platform))
            .is_none_or(|a| a.iter().any(|x| x == arch))
}

fn old_default_for(
    old_default: OldDefault,
    old_default_on: Option<&[Platform]>,
    arches: Option<&[String]>,
    platform: Platform,
    arch: &str,
) -> bool {
    old_default == OldDefault::On
        && platform.existed_at_old()
        && old_default_on.is_none_or(|p| p.contains(&platform))
        && arches.is_none_or(|a| a.iter().any(|x| x == arch))
}

impl Command {
    #[inline]
    pub fn option_long(&self, long: &str) -> Option<&OptionSpec> {
        self.option_long_bytes(long.as_bytes())
    }

    /// [`Command::option_long`] for a name as a script writes it (any bytes).
    #[inline]
    pub fn option_long_bytes(&self, long: &[u8]) -> Option<&OptionSpec> {
        self.options.iter().find(|o| o.long.as_bytes() == long)
    }

    #[inline]
    pub fn option_short(&self, short: char) -> Option<&OptionSpec> {
        self.options.iter().find(|o| o.short == short)
    }

    /// The spec for positional argument `index` (0-based), following a final `repeat` spec.
    #[inline]
    pub fn arg_role(&self, index: usize) -> Option<&ArgSpec> {
        match self.args.get(index) {
            Some(a) => Some(a),
            None => self.args.last().filter(|a| a.repeat),
        }
    }

    #[inline]
    pub fn unlimited_args(&self) -> bool {
        self.max_args >= MAX_ARGUMENTS
    }

    /// Whether a stock HEAD build for this platform and `buildarch` enables the command.
    /// It does not account for `requires` (driver-dependent subsystems).
    #[inline]
    pub fn default_in(&self, platform: Platform, arch: &str) -> bool {
        default_for(
            &self.default_on,
            self.arches.as_deref(),
            self.default_arches.as_ref(),
            platform,
            arch,
        )
    }

    /// The same question for a stock build of the OLD revision.
    pub fn old_default_in(&self, platform: Platform, arch: &str) -> bool {
        old_default_for(
            self.old_default,
            self.old_default_on.as_deref(),
            self.arches.as_deref(),
            platform,
            arch,
        )
    }

    /// Exactly the text iPXE's `print_usage` prints at HEAD (`src/core/parseopt.c`).
    pub fn usage(&self) -> String {
        self.usage_with(&self.name, &self.options, "https://ipxe.org")
    }

    /// `print_usage` for a given `argv[0]`, option list and documentation site
    /// (older builds know fewer options and link to `http://ipxe.org`).
    pub fn usage_with<'a>(
        &self,
        argv0: &str,
        options: impl IntoIterator<Item = &'a OptionSpec>,
        docs_site: &str,
    ) -> String {
        let mut s = format!("Usage:\n\n  {argv0}");
        for o in options {
            s.push_str(&format!(" [-{}|--{}", o.short, o.long));
            match o.arg {
                OptArg::None => {}
                OptArg::Required => s.push_str(&format!(" <{}>", o.long)),
                OptArg::Optional => s.push_str(&format!(" [<{}>]", o.long)),
            }
            s.push(']');
        }
        if !self.args_usage.is_empty() || self.usage_is_empty_string {
            s.push(' ');
            s.push_str(&self.args_usage);
        }
        s.push_str(&format!(
            "\n\nSee {docs_site}/cmd/{} for further information\n",
            self.name
        ));
        s
    }

    pub fn doc_url(&self) -> String {
        format!("https://ipxe.org/cmd/{}", self.name)
    }
}

/// A setting iPXE predefines (`struct setting ... __setting(...)`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    pub name: String,
    /// Default setting type name; see [`Catalog::setting_type`].
    #[serde(rename = "type")]
    pub ty: String,
    /// Where the value comes from: `builtin`, `netdev`, `dhcp` (DHCP option space, also
    /// the root block), `dhcpv6`, `ndp`, `ipv6`, `smbios`, `cpuid`, `memmap`, or `generic`
    /// (no tag: only ever set by the user).
    pub scope: String,
    pub summary: String,
    pub since: String,
    pub source: String,
    /// DHCP option number (`"12"`, or `"175.3"` for an encapsulated iPXE option), which a
    /// script may also use as the setting's name.
    pub dhcp_option: Option<String>,
    /// What must be linked for the setting to have a value.
    pub requires: Option<String>,
    #[serde(default)]
    pub not_in_old: bool,
    /// Other definitions of the same name in other scopes (e.g. `dns6` from NDP).
    #[serde(default)]
    pub also: Vec<SettingAlso>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SettingAlso {
    pub scope: String,
    pub source: String,
}

/// A setting type (`${name:type}`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SettingType {
    pub name: String,
    pub summary: String,
    /// How values are shown: `raw`, `uri-encoded`, `dotted-quad`, `ipv6`, `decimal`
    /// (signed integers), `hex0x` (unsigned integers), `hex-colon`, `hex-hyphen`,
    /// `hex-raw`, `base64`, `uuid`, `guid`, `busdevfn`, `dnssl`.
    pub format: String,
    /// Integer types only.
    pub signed: Option<bool>,
    pub bits: Option<u8>,
    /// False for format-only types, which `set x:type ...` cannot parse.
    #[serde(default = "yes")]
    pub settable: bool,
    /// When parsing arrived, if later than the type itself.
    pub settable_since: Option<String>,
    pub since: String,
    pub source: String,
    #[serde(default)]
    pub not_in_old: bool,
}

/// A URI scheme with a registered opener.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    pub name: String,
    /// Config macro that links it; "" for `tcp`/`udp`, which come with the TCP/UDP stack.
    #[serde(rename = "macro")]
    pub macro_name: String,
    pub header: Option<String>,
    /// `download`, `san` (sanboot/sanhook root paths) or `socket`.
    pub kind: String,
    pub summary: String,
    pub default_on: Vec<Platform>,
    pub old_default: OldDefault,
    pub old_default_on: Option<Vec<Platform>>,
    /// Macro that makes the scheme usable as a SAN root path too (HTTP SAN boot).
    pub san_macro: Option<String>,
    pub requires: Option<String>,
    pub requires_subsystem: Option<String>,
    pub since: String,
    pub source: String,
}

impl Scheme {
    pub fn default_in(&self, platform: Platform) -> bool {
        self.default_on.contains(&platform)
    }

    pub fn old_default_in(&self, platform: Platform) -> bool {
        old_default_for(
            self.old_default,
            self.old_default_on.as_deref(),
            None,
            platform,
            "",
        )
    }
}

/// An executable or data image format iPXE recognises.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImageType {
    /// Our short lowercase name.
    pub name: String,
    /// Names iPXE itself gives the type (shown by `imgstat`).
    pub ipxe_names: Vec<String>,
    #[serde(rename = "macro")]
    pub macro_name: String,
    pub header: Option<String>,
    pub summary: String,
    pub default_on: Vec<Platform>,
    pub arches: Option<Vec<String>>,
    pub default_arches: Option<PlatformArches>,
    pub old_default: OldDefault,
    pub old_default_on: Option<Vec<Platform>>,
    pub requires: Option<String>,
    pub since: String,
    pub source: String,
}

impl ImageType {
    pub fn default_in(&self, platform: Platform, arch: &str) -> bool {
        default_for(
            &self.default_on,
            self.arches.as_deref(),
            self.default_arches.as_ref(),
            platform,
            arch,
        )
    }

    pub fn old_default_in(&self, platform: Platform, arch: &str) -> bool {
        old_default_for(
            self.old_default,
            self.old_default_on.as_deref(),
            self.arches.as_deref(),
            platform,
            arch,
        )
    }
}
