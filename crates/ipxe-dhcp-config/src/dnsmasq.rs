//! A dnsmasq configuration, read as dnsmasq reads it (src/option.c:
//! `read_file`, `one_opt`, `one_file`), but never failing: what dnsmasq
//! would refuse becomes a [`Problem`] and reading goes on.

use std::path::{Path, PathBuf};

use crate::fs::FileSystem;
use crate::lex::{LineCx, lex_line};
use crate::names::{KNOWN_OPTIONS, csa_number, option_number};
use crate::source::{Field, FileId, Loc, Source};

/// How far includes are followed; a bound reached is a [`Problem`].
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// `conf-file`/`conf-dir` nesting.
    pub depth: u32,
    /// Bytes read over all files.
    pub total_bytes: u64,
    /// Files read.
    pub files: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            depth: 16,
            total_bytes: 16 << 20,
            files: 1000,
        }
    }
}

/// A whole configuration: every file read, every directive in the order
/// dnsmasq reads them (includes expanded where they stand), and the problems.
#[derive(Clone, Debug, Default)]
pub struct DnsmasqConfig {
    pub sources: Vec<Source>,
    pub directives: Vec<Directive>,
    pub problems: Vec<Problem>,
}

#[derive(Clone, Debug)]
pub struct Directive {
    /// The option's name as written (without `--` on the command line).
    pub name: Field,
    /// The fields after `=`, split on commas.
    pub args: Vec<Field>,
    /// The whole directive.
    pub loc: Loc,
    pub kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub loc: Loc,
    pub kind: ProblemKind,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// A name dnsmasq does not know (it refuses to start: "bad option").
    UnknownOption,
    /// A value dnsmasq would reject for a known option.
    BadValue,
    /// `"` without its closing quote (dnsmasq: "missing \"").
    MissingQuote,
    /// An included file or directory that could not be read.
    Include,
    /// A bound of [`Limits`] was reached.
    Limit,
}

/// A tag test: `tag:NAME` (also the old `net:NAME`), negated with `!` (or
/// the old `#`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagCond {
    pub name: String,
    pub negated: bool,
    pub loc: Loc,
}

impl TagCond {
    fn from(field: &Field, body: &str) -> TagCond {
        let (negated, name) = match body.strip_prefix(['!', '#']) {
            Some(rest) => (true, rest),
            None => (false, body),
        };
        TagCond {
            name: name.to_string(),
            negated,
            loc: field.loc,
        }
    }
}

/// Which option a `dhcp-option` or `dhcp-match` names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionRef {
    /// The DHCPv4 option number (for `vendor:`/`encap:` options, the
    /// sub-option number).
    pub number: u16,
    /// `vendor:CLASS` (option 43 sub-option for clients of that class).
    pub vendor: Option<String>,
    /// `encap:N` (sub-option of option N).
    pub encap: Option<u16>,
    /// Set for `option6:`, which we do not model further.
    pub v6: bool,
    pub field: Field,
}

#[derive(Clone, Debug)]
pub enum Kind {
    /// `dhcp-range=[tag:T,…][set:T,]START[,END|MODE…]`.
    Range {
        conditions: Vec<TagCond>,
        set: Option<Field>,
        start: Field,
        /// Proxy DHCP: dnsmasq gives PXE data only, another server addresses.
        proxy: bool,
    },
    /// `dhcp-boot=[tag:T,…]FILE[,SERVERNAME[,SERVER]]`.
    Boot {
        conditions: Vec<TagCond>,
        file: Field,
        server_name: Option<Field>,
        /// An IPv4 address, or a name dnsmasq looks up in /etc/hosts.
        server: Option<Field>,
    },
    /// `dhcp-option`, `dhcp-option-force`, `dhcp-option-pxe`.
    Option {
        force: bool,
        pxe_only: bool,
        conditions: Vec<TagCond>,
        option: OptionRef,
        /// The value fields (a list value keeps its commas as fields).
        value: Vec<Field>,
    },
    /// `dhcp-match=set:T,OPTION[,VALUE]`.
    Match {
        set: Field,
        option: OptionRef,
        value: Option<Field>,
    },
    /// `dhcp-vendorclass=set:T,[enterprise:N,]TEXT` and
    /// `dhcp-userclass=set:T,TEXT`: TEXT found anywhere in option 60/77.
    Class {
        user: bool,
        set: Field,
        pattern: Field,
    },
    /// `tag-if=set:T[,set:U…][,tag:C…]`.
    TagIf {
        set: Vec<Field>,
        conditions: Vec<TagCond>,
    },
    /// `pxe-service=[tag:T,…]CSA,MENU[,BASENAME|TYPE][,SERVER]`.
    PxeService {
        conditions: Vec<TagCond>,
        /// Option 93 value the service is for.
        csa: u16,
        csa_field: Field,
        menu: Field,
        target: PxeTarget,
        server: Option<Field>,
    },
    /// `pxe-prompt=[tag:T,…]PROMPT[,TIMEOUT]`.
    PxePrompt {
        conditions: Vec<TagCond>,
        prompt: Field,
        timeout: Option<u32>,
    },
    /// `enable-tftp[=INTERFACE,…]`.
    EnableTftp,
    /// `tftp-root=DIR[,INTERFACE]`.
    TftpRoot {
        dir: Field,
    },
    TftpSecure,
    /// `dhcp-no-override`: the boot file always goes in the fixed field.
    NoOverride,
    /// `dhcp-host=…`, kept as its fields (`set:` tags it gives are noted).
    Host {
        set: Vec<Field>,
    },
    /// `conf-file=PATH` / `conf-dir=DIR[,SUFFIX…]` (already followed).
    Include,
    /// A known option we do not model.
    Other,
    /// An unknown name, or a known one with a value dnsmasq rejects.
    Invalid,
}

/// What a `pxe-service` menu item boots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PxeTarget {
    /// No third field, or type 0: boot from local disk.
    LocalBoot,
    /// A boot server type (a number): found by discovery.
    ServiceType(u32),
    /// A file: dnsmasq serves `BASENAME.0` when BASENAME has no dot, since
    /// 2.76 BASENAME itself when it has one (before 2.76 always `.0`).
    Basename(Field),
}

impl PxeTarget {
    /// The file a client fetches for this item, as dnsmasq 2.76 and later
    /// name it (`pxe_uefi_workaround` and the boot server reply in
    /// src/rfc2131.c: a basename with no dot gets the layer suffix `.0`).
    pub fn fetched_file(&self) -> Option<String> {
        match self {
            PxeTarget::Basename(f) if f.text.contains('.') => Some(f.text.clone()),
            PxeTarget::Basename(f) => Some(format!("{}.0", f.text)),
            _ => None,
        }
    }
}

impl DnsmasqConfig {
    /// Reads `path` and everything it includes.
    pub fn read(fs: &dyn FileSystem, path: &Path, limits: Limits) -> DnsmasqConfig {
        let mut reader = Reader::new(fs, limits);
        reader.seen.push(fs.identity(path));
        match fs.read(path) {
            Ok(text) => reader.file(path.display().to_string(), text, None, 0, path.parent()),
            Err(e) => {
                let loc = reader.nowhere(&path.display().to_string());
                reader.problem(
                    loc,
                    ProblemKind::Include,
                    format!("cannot read {}: {e}", path.display()),
                );
            }
        }
        reader.config
    }

    /// Reads configuration text; includes are looked up in `fs`, relative
    /// paths against `base` (dnsmasq itself uses its working directory).
    pub fn parse(
        path: &str,
        text: &[u8],
        fs: &dyn FileSystem,
        base: Option<&Path>,
        limits: Limits,
    ) -> DnsmasqConfig {
        let mut reader = Reader::new(fs, limits);
        reader.file(path.to_string(), text.to_vec(), None, 0, base);
        reader.config
    }

    /// Reads text with no file system: includes are recorded as problems.
    pub fn parse_str(path: &str, text: &[u8]) -> DnsmasqConfig {
        DnsmasqConfig::parse(path, text, &crate::fs::NoFiles, None, Limits::default())
    }

    /// Reads command-line arguments: `--name=value`, `--name value` is not
    /// modelled (dnsmasq's getopt takes it, but the value is then a separate
    /// word); other words are ignored.
    pub fn from_args(args: &[String], fs: &dyn FileSystem, limits: Limits) -> DnsmasqConfig {
        let text: Vec<u8> = args
            .iter()
            .filter_map(|a| a.strip_prefix("--"))
            .flat_map(|a| [a.as_bytes(), b"\n"].concat())
            .collect();
        let mut reader = Reader::new(fs, limits);
        reader.file("<command line>".into(), text, None, 0, None);
        reader.config
    }

    /// The directives of one kind, in the order dnsmasq read them.
    pub fn source(&self, id: FileId) -> &Source {
        &self.sources[id.0 as usize]
    }

    /// `file:line` of a place, for messages.
    pub fn place(&self, loc: Loc) -> String {
        format!("{}:{}", self.source(loc.file).path, loc.line)
    }

    /// The TFTP root the configuration names (the last `tftp-root`).
    pub fn tftp_root(&self) -> Option<&Field> {
        self.directives.iter().rev().find_map(|d| match &d.kind {
            Kind::TftpRoot { dir } => Some(dir),
            _ => None,
        })
    }

    pub fn has(&self, pred: impl Fn(&Kind) -> bool) -> bool {
        self.directives.iter().any(|d| pred(&d.kind))
    }
}

struct Reader<'f> {
    fs: &'f dyn FileSystem,
    limits: Limits,
    config: DnsmasqConfig,
    read_bytes: u64,
    /// Files already read (dnsmasq skips a file it has read, by inode).
    seen: Vec<PathBuf>,
}

impl<'f> Reader<'f> {
    fn new(fs: &'f dyn FileSystem, limits: Limits) -> Self {
        Reader {
            fs,
            limits,
            config: DnsmasqConfig::default(),
            read_bytes: 0,
            seen: Vec::new(),
        }
    }

    /// The start of an empty source named `path`, for a file that could not be read.
    fn nowhere(&mut self, path: &str) -> Loc {
        if self.config.sources.is_empty() {
            self.config.sources.push(Source {
                path: path.into(),
                text: Vec::new(),
                included_from: None,
            });
        }
        Loc {
            file: FileId(0),
            start: 0,
            end: 0,
            line: 1,
            col: 1,
        }
    }

    fn problem(&mut self, loc: Loc, kind: ProblemKind, message: impl Into<String>) {
        self.config.problems.push(Problem {
            loc,
            kind,
            message: message.into(),
        });
    }

    fn file(
        &mut self,
        path: String,
        mut text: Vec<u8>,
        included_from: Option<Loc>,
        depth: u32,
        base: Option<&Path>,
    ) {
        let id = FileId(self.config.sources.len() as u32);
        self.read_bytes += text.len() as u64;
        if self.read_bytes > self.limits.total_bytes {
            let keep = text
                .len()
                .saturating_sub((self.read_bytes - self.limits.total_bytes) as usize);
            text.truncate(keep);
            if let Some(loc) = included_from {
                self.problem(
                    loc,
                    ProblemKind::Limit,
                    format!(
                        "stopped reading {path}: the files read pass {} bytes",
                        self.limits.total_bytes
                    ),
                );
            }
        }
        self.config.sources.push(Source {
            path,
            text: text.clone(),
            included_from,
        });
        let mut offset = 0usize;
        let mut line = 0u32;
        while offset < text.len() {
            line += 1;
            let end = memchr_newline(&text[offset..]).map_or(text.len(), |n| offset + n);
            let cx = LineCx {
                file: id,
                offset: offset as u32,
                line,
            };
            if let Some(lexed) = lex_line(&text[offset..end], &cx) {
                if let Some(quote) = lexed.unclosed_quote {
                    self.problem(
                        quote,
                        ProblemKind::MissingQuote,
                        "missing closing `\"`: dnsmasq rejects the line",
                    );
                } else {
                    self.directive(lexed.name, lexed.args, lexed.loc, depth, base);
                }
            }
            offset = end + 1;
        }
    }

    fn directive(
        &mut self,
        name: Field,
        args: Option<Vec<Field>>,
        loc: Loc,
        depth: u32,
        base: Option<&Path>,
    ) {
        let has_value = args.is_some();
        let args = args.unwrap_or_default();
        let known = KNOWN_OPTIONS.contains(&name.text.as_str());
        let kind = if !known {
            self.problem(
                name.loc,
                ProblemKind::UnknownOption,
                format!(
                    "unknown option `{}` (dnsmasq refuses to start: \"bad option\")",
                    name.text
                ),
            );
            Kind::Invalid
        } else {
            match self.kind(&name.text, &args, has_value, loc, depth, base) {
                Ok(kind) => kind,
                Err((at, message)) => {
                    self.problem(at, ProblemKind::BadValue, message);
                    Kind::Invalid
                }
            }
        };
        self.config.directives.push(Directive {
            name,
            args,
            loc,
            kind,
        });
    }

    fn kind(
        &mut self,
        name: &str,
        args: &[Field],
        has_value: bool,
        loc: Loc,
        depth: u32,
        base: Option<&Path>,
    ) -> Result<Kind, (Loc, String)> {
        let need = |what: &str| -> Result<(), (Loc, String)> {
            if has_value && args.iter().any(|a| !a.text.is_empty()) {
                Ok(())
            } else {
                Err((loc, format!("`{name}` needs {what}")))
            }
        };
        Ok(match name {
            "dhcp-boot" => {
                need("a file name")?;
                let (conditions, rest) = leading_tags(args);
                let file = rest
                    .first()
                    .ok_or((loc, "`dhcp-boot` has tags but no file name".to_string()))?;
                Kind::Boot {
                    conditions,
                    file: file.clone(),
                    server_name: rest.get(1).cloned(),
                    server: rest.get(2).cloned(),
                }
            }
            "dhcp-range" => {
                need("an address range")?;
                let mut conditions = Vec::new();
                let mut set = None;
                let mut i = 0;
                // Leading fields that are not addresses are tags (`one_opt`, case 'F').
                while i + 1 < args.len() && !looks_like_address(&args[i].text) {
                    let f = &args[i];
                    if let Some(body) = tag_body(&f.text) {
                        if !body.is_empty() {
                            conditions.push(TagCond::from(f, body));
                        }
                    } else if set.is_some() {
                        return Err((f.loc, "`dhcp-range` takes only one `set:` tag".into()));
                    } else {
                        set = Some(strip_set(f));
                    }
                    i += 1;
                }
                let start = args[i].clone();
                if args.len() - i < 2 {
                    return Err((
                        loc,
                        "`dhcp-range` needs a start and an end (or a mode)".into(),
                    ));
                }
                let proxy = args[i + 1..].iter().any(|f| f.text == "proxy");
                Kind::Range {
                    conditions,
                    set,
                    start,
                    proxy,
                }
            }
            "dhcp-option" | "dhcp-option-force" | "dhcp-option-pxe" => {
                need("an option")?;
                let (conditions, option, value) = option_fields(args, false)?;
                Kind::Option {
                    force: name == "dhcp-option-force",
                    pxe_only: name == "dhcp-option-pxe",
                    conditions,
                    option,
                    value,
                }
            }
            "dhcp-match" => {
                need("a tag and an option")?;
                let (mut tags, option, value) = option_fields(args, true)?;
                // The first (only) tag is the one set (`parse_dhcp_opt` with DHOPT_MATCH).
                let set = tags
                    .pop()
                    .ok_or((loc, "`dhcp-match` needs `set:TAG`".to_string()))?;
                let set_field = args
                    .iter()
                    .find(|a| a.loc == set.loc)
                    .map(strip_set)
                    .unwrap_or(Field {
                        text: set.name,
                        loc: set.loc,
                    });
                Kind::Match {
                    set: set_field,
                    option,
                    value: value.into_iter().next(),
                }
            }
            "dhcp-vendorclass" | "dhcp-userclass" => {
                need("a tag and a class")?;
                if args.len() < 2 {
                    return Err((loc, format!("`{name}` needs `set:TAG,CLASS`")));
                }
                let mut pattern = &args[1];
                if args.len() > 2 {
                    if name == "dhcp-vendorclass" && args[1].text.starts_with("enterprise:") {
                        pattern = &args[2];
                    } else {
                        return Err((args[2].loc, format!("`{name}` takes one class")));
                    }
                }
                Kind::Class {
                    user: name == "dhcp-userclass",
                    set: strip_set(&args[0]),
                    pattern: pattern.clone(),
                }
            }
            "tag-if" => {
                need("`set:TAG`")?;
                let mut set = Vec::new();
                let mut conditions = Vec::new();
                for f in args {
                    if f.text.len() < 5 {
                        return Err((f.loc, "bad tag-if: expected `set:TAG` or `tag:TAG`".into()));
                    } else if let Some(body) = f.text.strip_prefix("set:") {
                        set.push(Field {
                            text: body.into(),
                            loc: f.loc,
                        });
                    } else if let Some(body) = f.text.strip_prefix("tag:") {
                        conditions.push(TagCond::from(f, body));
                    } else {
                        return Err((f.loc, "bad tag-if: expected `set:TAG` or `tag:TAG`".into()));
                    }
                }
                if set.is_empty() {
                    return Err((loc, "bad tag-if: nothing to set".into()));
                }
                Kind::TagIf { set, conditions }
            }
            "pxe-service" => {
                need("a CSA and a menu text")?;
                let (conditions, rest) = leading_tags(args);
                if rest.len() < 2 {
                    return Err((loc, "`pxe-service` needs CSA,MENU-TEXT".into()));
                }
                let csa_field = rest[0].clone();
                let csa = csa_number(&csa_field.text).ok_or((
                    csa_field.loc,
                    format!(
                        "unknown client system type `{}` (known: {}; or a number)",
                        csa_field.text,
                        crate::names::CSA_NAMES.join(", ")
                    ),
                ))?;
                let target = match rest.get(2) {
                    None => PxeTarget::LocalBoot,
                    Some(f) if is_decimal(&f.text) => match f.text.parse::<u32>() {
                        Ok(0) => PxeTarget::LocalBoot,
                        Ok(n) => PxeTarget::ServiceType(n),
                        Err(_) => PxeTarget::Basename(f.clone()),
                    },
                    Some(f) => PxeTarget::Basename(f.clone()),
                };
                Kind::PxeService {
                    conditions,
                    csa,
                    csa_field,
                    menu: rest[1].clone(),
                    target,
                    server: rest.get(3).cloned(),
                }
            }
            "pxe-prompt" => {
                need("a prompt")?;
                let (conditions, rest) = leading_tags(args);
                let prompt = rest
                    .first()
                    .ok_or((loc, "`pxe-prompt` needs a prompt".to_string()))?;
                Kind::PxePrompt {
                    conditions,
                    prompt: prompt.clone(),
                    timeout: rest.get(1).and_then(|t| t.text.parse().ok()),
                }
            }
            "enable-tftp" => Kind::EnableTftp,
            "tftp-root" => {
                need("a directory")?;
                Kind::TftpRoot {
                    dir: args[0].clone(),
                }
            }
            "tftp-secure" => Kind::TftpSecure,
            "dhcp-no-override" => Kind::NoOverride,
            "dhcp-host" => Kind::Host {
                set: args
                    .iter()
                    .filter_map(|f| {
                        f.text.strip_prefix("set:").map(|t| Field {
                            text: t.into(),
                            loc: f.loc,
                        })
                    })
                    .collect(),
            },
            "conf-file" => {
                need("a file")?;
                self.include_file(&args[0], depth, base);
                Kind::Include
            }
            "conf-dir" => {
                need("a directory")?;
                self.include_dir(args, depth, base);
                Kind::Include
            }
            _ => Kind::Other,
        })
    }

    fn resolve(&self, path: &str, base: Option<&Path>) -> PathBuf {
        let p = Path::new(path);
        match base {
            Some(base) if p.is_relative() => base.join(p),
            _ => p.to_path_buf(),
        }
    }

    fn may_descend(&mut self, at: &Field, depth: u32) -> bool {
        if depth + 1 > self.limits.depth {
            self.problem(
                at.loc,
                ProblemKind::Limit,
                format!(
                    "not followed: includes nest deeper than {}",
                    self.limits.depth
                ),
            );
            return false;
        }
        if self.config.sources.len() as u32 >= self.limits.files {
            self.problem(
                at.loc,
                ProblemKind::Limit,
                format!("not followed: more than {} files", self.limits.files),
            );
            return false;
        }
        if self.read_bytes >= self.limits.total_bytes {
            self.problem(
                at.loc,
                ProblemKind::Limit,
                format!(
                    "not followed: the files read pass {} bytes",
                    self.limits.total_bytes
                ),
            );
            return false;
        }
        true
    }

    fn include_file(&mut self, at: &Field, depth: u32, base: Option<&Path>) {
        if !self.may_descend(at, depth) {
            return;
        }
        let path = self.resolve(&at.text, base);
        // dnsmasq reads a file once (`one_file` remembers device and inode).
        let key = self.fs.identity(&path);
        if self.seen.contains(&key) {
            return;
        }
        match self.fs.read(&path) {
            Ok(text) => {
                self.seen.push(key);
                let parent = path.parent().map(Path::to_path_buf);
                self.file(
                    at.text.clone(),
                    text,
                    Some(at.loc),
                    depth + 1,
                    parent.as_deref().or(base),
                );
            }
            Err(e) => self.problem(
                at.loc,
                ProblemKind::Include,
                format!(
                    "cannot read {}: {e} (dnsmasq would not start)",
                    path.display()
                ),
            ),
        }
    }

    /// `conf-dir=DIR[,SUFFIX…]`: files in name order, skipping dotfiles,
    /// `~` backups and `#…#`; `*.conf` keeps only that suffix, a plain
    /// suffix (`.bak`) drops it (`one_opt`, case '7').
    fn include_dir(&mut self, args: &[Field], depth: u32, base: Option<&Path>) {
        let at = &args[0];
        if !self.may_descend(at, depth) {
            return;
        }
        let dir = self.resolve(&at.text, base);
        let mut wanted = Vec::new();
        let mut dropped = Vec::new();
        for f in &args[1..] {
            match f.text.strip_prefix('*') {
                Some("") => {}
                Some(suffix) => wanted.push(suffix.to_string()),
                None if !f.text.is_empty() => dropped.push(f.text.clone()),
                None => {}
            }
        }
        let names = match self.fs.list(&dir) {
            Ok(names) => names,
            Err(e) => {
                self.problem(
                    at.loc,
                    ProblemKind::Include,
                    format!(
                        "cannot read directory {}: {e} (dnsmasq would not start)",
                        dir.display()
                    ),
                );
                return;
            }
        };
        let ends = |name: &str, s: &str| name.len() > s.len() && name.ends_with(s);
        let mut files: Vec<String> = names
            .into_iter()
            .filter(|n| {
                !(n.is_empty()
                    || n.ends_with('~')
                    || (n.starts_with('#') && n.ends_with('#'))
                    || n.starts_with('.'))
            })
            .filter(|n| wanted.is_empty() || wanted.iter().any(|s| ends(n, s)))
            .filter(|n| !dropped.iter().any(|s| ends(n, s)))
            .collect();
        files.sort();
        for name in files {
            let path = dir.join(&name);
            if !self.fs.is_file(&path) {
                continue;
            }
            let field = Field {
                text: format!("{}/{}", at.text.trim_end_matches('/'), name),
                loc: at.loc,
            };
            self.include_file(&field, depth, None);
        }
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'\n')
}

/// The text after `tag:`/`net:`, for fields that test a tag.
fn tag_body(text: &str) -> Option<&str> {
    text.strip_prefix("tag:")
        .or_else(|| text.strip_prefix("net:"))
}

fn strip_set(f: &Field) -> Field {
    Field {
        text: f.text.strip_prefix("set:").unwrap_or(&f.text).to_string(),
        loc: f.loc,
    }
}

/// `dhcp_tags` in src/option.c: leading `tag:`/`net:` fields.
fn leading_tags(args: &[Field]) -> (Vec<TagCond>, &[Field]) {
    let n = args
        .iter()
        .take_while(|f| tag_body(&f.text).is_some())
        .count();
    let conds = args[..n]
        .iter()
        .map(|f| TagCond::from(f, tag_body(&f.text).unwrap_or_default()))
        .collect();
    (conds, &args[n..])
}

fn is_decimal(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `dhcp-range` reads the field as an address (`one_opt`, case 'F').
fn looks_like_address(text: &str) -> bool {
    text.bytes()
        .all(|b| b == b' ' || b == b'.' || b == b':' || b.is_ascii_hexdigit())
}

/// `parse_dhcp_opt` in src/option.c: tag fields, then the option (a number,
/// `option:NAME`, `option6:…`; `vendor:`/`encap:`/`vi-encap:` qualifiers),
/// then the value.
#[allow(clippy::type_complexity)]
fn option_fields(
    args: &[Field],
    is_match: bool,
) -> Result<(Vec<TagCond>, OptionRef, Vec<Field>), (Loc, String)> {
    let mut conditions = Vec::new();
    let mut vendor = None;
    let mut encap = None;
    for (i, f) in args.iter().enumerate() {
        let t = f.text.as_str();
        let number = if is_decimal(t) {
            Some((t.parse::<u32>().unwrap_or(u32::MAX), false))
        } else if let Some(name) = t.strip_prefix("option:") {
            match option_number(name) {
                Some(n) => Some((n as u32, false)),
                None => return Err((f.loc, format!("unknown DHCP option name `{name}`"))),
            }
        } else if let Some(rest) = t.strip_prefix("option6:") {
            Some((rest.parse::<u32>().unwrap_or(0), true))
        } else if let Some(class) = t.strip_prefix("vendor:") {
            if is_match {
                return Err((f.loc, "inappropriate vendor: in dhcp-match".into()));
            }
            vendor = Some(class.to_string());
            None
        } else if let Some(n) = t.strip_prefix("encap:") {
            if is_match {
                return Err((f.loc, "inappropriate encap: in dhcp-match".into()));
            }
            encap = Some(n.parse::<u16>().unwrap_or(0));
            None
        } else if let Some(n) = t.strip_prefix("vi-encap:") {
            encap = Some(n.parse::<u16>().unwrap_or(0));
            if is_match {
                let option = OptionRef {
                    number: 0,
                    vendor: None,
                    encap,
                    v6: false,
                    field: f.clone(),
                };
                return Ok((conditions, option, args[i + 1..].to_vec()));
            }
            None
        } else {
            let body = tag_body(t).or_else(|| t.strip_prefix("set:")).unwrap_or(t);
            conditions.push(TagCond::from(f, body));
            None
        };
        if let Some((number, v6)) = number {
            if number > 65535 || (!v6 && number > 255 && vendor.is_none() && encap.is_none()) {
                return Err((f.loc, format!("option number {number} is out of range")));
            }
            let option = OptionRef {
                number: number as u16,
                vendor,
                encap,
                v6,
                field: f.clone(),
            };
            return Ok((conditions, option, args[i + 1..].to_vec()));
        }
    }
    let at = args.last().map_or_else(
        || Loc {
            file: FileId(0),
            start: 0,
            end: 0,
            line: 1,
            col: 1,
        },
        |f| f.loc,
    );
    Err((
        at,
        "bad dhcp-option: no option number or `option:NAME`".into(),
    ))
}
