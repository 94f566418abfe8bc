//! Lint rules for DHCP server configurations that hand out boot files: the
//! chainload loop, boot lines that never win, files missing from the TFTP
//! root, and more.
//!
//! The configuration is read by `ipxe-dhcp-config`; rules ask its resolver
//! what standard clients (PXE firmware and iPXE, BIOS and EFI) would be
//! answered. Each rule is one file under `src/rules/<group>/`, with its
//! documentation in the leading `//!` lines; `build.rs` collects them, as in
//! `ipxe-lint`. Findings are [`ipxe_diagnostics::Diagnostic`]s, so every
//! output format, `--explain` and suppression comment works as for scripts.

mod clients;
mod files;
mod prelude;

use std::path::PathBuf;

use std::sync::OnceLock;

use ipxe_dhcp_config::isc::IscConfig;
use ipxe_dhcp_config::{DnsmasqConfig, FileId, FileSystem, Loc, Source};
use ipxe_diagnostics::{Diagnostic, RuleMeta, Severity, Span};

pub use clients::{Boot, ClientKind, StandardClient, isc_clients, standard_clients};
pub use files::{BootFileKind, boot_file_kind};

/// A rule's metadata and check. Codes are stable; names read as "allow <name>".
pub struct Rule {
    pub code: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub severity: Severity,
    pub check: fn(&Cx<'_>, &mut Sink),
}

/// A rule with the documentation extracted from its file.
pub struct RuleEntry {
    pub rule: &'static Rule,
    pub group: &'static str,
    pub doc: &'static str,
    /// Path of the rule's file, relative to the crate.
    pub file: &'static str,
}

impl RuleEntry {
    pub fn meta(&self) -> RuleMeta {
        RuleMeta {
            code: self.rule.code,
            name: self.rule.name,
            summary: self.rule.summary,
            severity: self.rule.severity,
            doc: self.doc,
        }
    }

    /// The text `ipxelint --explain CODE` prints (the same shape as script rules').
    pub fn explain(&self) -> String {
        format!(
            "**{} ({})** — {}\n\nSeverity: {}. Fix: no. Group: dhcp/{}.\n\n{}",
            self.rule.code,
            self.rule.name,
            self.rule.summary,
            self.rule.severity.as_str(),
            self.group,
            self.doc
        )
    }
}

include!(concat!(env!("OUT_DIR"), "/registry.rs"));

/// All rules, sorted by code.
pub fn rules() -> Vec<&'static RuleEntry> {
    let mut rules: Vec<&RuleEntry> = RULE_ENTRIES.iter().collect();
    rules.sort_by_key(|r| r.rule.code);
    rules
}

/// The rule with this code or name.
pub fn rule(code_or_name: &str) -> Option<&'static RuleEntry> {
    RULE_ENTRIES
        .iter()
        .find(|r| r.rule.code.eq_ignore_ascii_case(code_or_name) || r.rule.name == code_or_name)
}

pub fn rule_metas() -> Vec<RuleMeta> {
    rules().iter().map(|r| r.meta()).collect()
}

/// The Markdown page documenting every DHCP rule (committed as
/// `docs/dhcp-rules.md`; a test fails when it is stale).
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# ipxelint rules for DHCP server configurations\n\n<!-- Generated from crates/ipxe-dhcp-lint/src/rules by `UPDATE_DOCS=1 cargo test -p ipxe-dhcp-lint --test rules`; do not edit. -->\n\n| code | name | severity | summary |\n|---|---|---|---|\n",
    );
    for r in rules() {
        out.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} |\n",
            r.rule.code,
            r.rule.code.to_lowercase(),
            r.rule.name,
            r.rule.severity.as_str(),
            r.rule.summary.replace('|', "\\|")
        ));
    }
    for r in rules() {
        out.push_str(&format!("\n## {}\n\n", r.rule.code));
        out.push_str(&r.explain());
    }
    out
}

/// The TFTP root whose files the rules check.
pub struct TftpRoot<'a> {
    pub dir: PathBuf,
    pub fs: &'a dyn FileSystem,
    /// Given by the user (`--tftp-root`) rather than read from `tftp-root`.
    pub given: bool,
}

/// What a rule sees. For an ISC dhcpd file, `config` is an empty dnsmasq
/// configuration and `isc` holds the file; rules about dnsmasq's own
/// options then find nothing.
pub struct Cx<'a> {
    pub config: &'a DnsmasqConfig,
    pub isc: Option<&'a IscConfig>,
    pub tftp: Option<TftpRoot<'a>>,
    /// The standard clients and what the configuration answers them.
    pub clients: Vec<StandardClient>,
}

impl<'a> Cx<'a> {
    pub fn new(config: &'a DnsmasqConfig, tftp: Option<TftpRoot<'a>>) -> Cx<'a> {
        Cx {
            config,
            isc: None,
            clients: standard_clients(config),
            tftp,
        }
    }

    pub fn new_isc(isc: &'a IscConfig, tftp: Option<TftpRoot<'a>>) -> Cx<'a> {
        static EMPTY: OnceLock<DnsmasqConfig> = OnceLock::new();
        Cx {
            config: EMPTY.get_or_init(DnsmasqConfig::default),
            isc: Some(isc),
            clients: isc_clients(isc),
            tftp,
        }
    }

    /// The files read: each gets its own list of findings.
    pub fn sources(&self) -> &[Source] {
        match self.isc {
            Some(isc) => std::slice::from_ref(&isc.source),
            None => &self.config.sources,
        }
    }

    /// Where the file names a boot file: `dhcp-boot` files and option 67
    /// (dnsmasq), `filename` and `option bootfile-name` (dhcpd). The flag
    /// is set for values that go in the fixed `file` field.
    pub fn boot_file_values(&self) -> Vec<(String, Loc, bool)> {
        if let Some(isc) = self.isc {
            return ipxe_dhcp_config::isc::boot_file_tokens(isc)
                .into_iter()
                .map(|t| (t.text.clone(), t.loc, false))
                .collect();
        }
        self.config
            .directives
            .iter()
            .filter_map(|d| match &d.kind {
                ipxe_dhcp_config::Kind::Boot { file, .. } => {
                    Some((file.text.clone(), file.loc, true))
                }
                ipxe_dhcp_config::Kind::Option { option, value, .. }
                    if option.number == 67 && option.vendor.is_none() && option.encap.is_none() =>
                {
                    value.first().map(|v| (v.text.clone(), v.loc, false))
                }
                _ => None,
            })
            .collect()
    }

    /// `file:line` of a directive, for messages.
    pub fn place(&self, loc: Loc) -> String {
        let path = self
            .sources()
            .get(loc.file.0 as usize)
            .map_or("?", |s| s.path.as_str());
        format!("{path}:{}", loc.line)
    }

    /// Whether iPXE runs on `arch` at all: the firmware of that architecture
    /// is handed an iPXE build it can run.
    pub fn ipxe_runs_on(&self, arch: u16) -> bool {
        let efi = ipxe_dhcp_config::names::arch_is_efi(arch);
        self.clients.iter().any(|f| {
            f.kind == ClientKind::Firmware
                && f.arch == arch
                && !f.boots_from_menu
                && f.boot.as_ref().is_some_and(|b| {
                    boot_file_kind(&b.value, self.tftp_file(&b.value).flatten().as_deref())
                        == BootFileKind::Ipxe { efi }
                })
        })
    }

    /// The bytes of a TFTP file, if the root is known and has it. Names are
    /// relative to the root; a leading `/` is dropped, as dnsmasq does for
    /// names inside its root.
    pub fn tftp_file(&self, name: &str) -> Option<Option<Vec<u8>>> {
        let root = self.tftp.as_ref()?;
        // A root that is not here says nothing about its files.
        root.fs.list(&root.dir).ok()?;
        let path = root.dir.join(name.trim_start_matches('/'));
        Some(if root.fs.is_file(&path) {
            root.fs.read(&path).ok()
        } else {
            None
        })
    }
}

/// Collects findings, each in the file its place is in.
#[derive(Default)]
pub struct Sink {
    pub(crate) found: Vec<(FileId, Diagnostic)>,
}

impl Sink {
    /// Reports at `loc` with the rule's severity.
    pub fn report(&mut self, rule: &Rule, loc: Loc, message: impl Into<String>) -> Finding<'_> {
        self.report_with(rule, rule.severity, loc, message)
    }

    pub fn report_with(
        &mut self,
        rule: &Rule,
        severity: Severity,
        loc: Loc,
        message: impl Into<String>,
    ) -> Finding<'_> {
        self.found.push((
            loc.file,
            Diagnostic::new(rule.code, severity, span(loc), message),
        ));
        let (file, diagnostic) = self.found.last_mut().expect("just pushed");
        Finding {
            file: *file,
            diagnostic,
        }
    }
}

/// A finding being built.
pub struct Finding<'s> {
    file: FileId,
    diagnostic: &'s mut Diagnostic,
}

impl Finding<'_> {
    /// Adds a related place; one in another file goes into the help text,
    /// since a diagnostic's places are all in its own file.
    pub fn related(self, cx: &Cx<'_>, loc: Loc, note: impl Into<String>) -> Self {
        let note = note.into();
        if loc.file == self.file {
            self.diagnostic.add_related(span(loc), note);
        } else {
            let text = format!("{} ({note})", cx.place(loc));
            let help = match self.diagnostic.help.take() {
                Some(h) => format!("{h}; see {text}"),
                None => format!("see {text}"),
            };
            self.diagnostic.set_help(help);
        }
        self
    }

    pub fn help(self, help: impl Into<String>) -> Self {
        let help = help.into();
        let joined = match self.diagnostic.help.take() {
            Some(h) => format!("{help}; {h}"),
            None => help,
        };
        self.diagnostic.set_help(joined);
        self
    }
}

fn span(loc: Loc) -> Span {
    Span::new(loc.start, loc.end)
}

/// Which rules run: codes or prefixes, as `ipxelint --select`/`--ignore`.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    fn enabled(&self, code: &str) -> bool {
        let best = |list: &[String]| {
            list.iter()
                .filter(|p| {
                    p.eq_ignore_ascii_case("all")
                        || code.to_uppercase().starts_with(&p.to_uppercase())
                })
                .map(|p| {
                    if p.eq_ignore_ascii_case("all") {
                        0
                    } else {
                        p.len()
                    }
                })
                .max()
        };
        let selected = if self.select.is_empty() {
            Some(0)
        } else {
            best(&self.select)
        };
        match (selected, best(&self.ignore)) {
            (None, _) => false,
            (Some(s), Some(i)) => s > i,
            (Some(_), None) => true,
        }
    }
}

/// Runs the selected rules. Findings are returned per source file of the
/// configuration (`config.sources[i]` gets `result[i]`), sorted by place.
pub fn lint(cx: &Cx<'_>, selection: &Selection) -> Vec<Vec<Diagnostic>> {
    let mut sink = Sink::default();
    for entry in rules() {
        if selection.enabled(entry.rule.code) {
            (entry.rule.check)(cx, &mut sink);
        }
    }
    let mut out = vec![Vec::new(); cx.sources().len()];
    for (file, d) in sink.found {
        if let Some(list) = out.get_mut(file.0 as usize) {
            list.push(d);
        }
    }
    for list in &mut out {
        list.sort_by(|a, b| (a.span.start, a.code).cmp(&(b.span.start, b.code)));
        list.dedup();
    }
    out
}
