//! `ipxesim`: run an iPXE script against a mocked network and print what it
//! would boot. Exit status: 0 when the run booted something, reached a shell,
//! reboot or poweroff, or the script ended with status 0; 1 when the script
//! failed, exited non-zero or hit a bound; 2 on usage or I/O errors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Printing that ends the program quietly when the reader goes away
/// (`ipxesim … | head`), instead of panicking on a broken pipe.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout().lock(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
        }
    }};
}

macro_rules! outln {
    ($($arg:tt)*) => {{
        out!($($arg)*);
        out!("\n");
    }};
}

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};
use ipxe_catalog::Platform;
use ipxe_sim::{
    AssumeAll, AssumedUrl, IpxeVersion, MockNet, NetFile, Network, Outcome, PathRow, Report,
    Response, Script, SimConfig, StartContext,
};

const EXAMPLES: &str = "\
Example: what does a menu boot when the user picks `debian12`?
  ipxesim examples/tutorial/menu.ipxe --select debian12

The script runs as if a DHCP server had handed it to iPXE (--start chained). Without
--net or --root no URL is checked: each download is assumed to exist and the output
lists them. Add --net FILE (a TOML mock network) or --root URL=DIR to check them, and
--start embedded to run it as a script built into iPXE (EMBED=), with no network up.
Details: crates/ipxesim/README.md";

#[derive(Parser, Debug)]
#[command(
    name = "ipxesim",
    version,
    about = "Simulate an iPXE script: what would it boot?",
    after_help = EXAMPLES
)]
struct Args {
    /// Script file, or a URL served by the mock network (--net/--root).
    script: String,
    /// What ran before the script: `chained` = iPXE's DHCP configured net0 and
    /// fetched it (default); `embedded` = nothing (EMBED= script, .lkrn initrd).
    #[arg(long, value_enum, value_name = "CONTEXT")]
    start: Option<StartArg>,
    /// The URL the script was fetched from when chained (default: its file name
    /// on tftp://next-server/, as for a DHCP `filename` without a scheme).
    #[arg(long = "script-url", value_name = "URL")]
    script_url: Option<String>,
    /// Answer successive `choose` commands with these item names.
    #[arg(long = "select", value_name = "ID")]
    select: Vec<String>,
    /// Keystrokes for menus, prompt and read: "down down enter", "esc", "x".
    #[arg(long)]
    keys: Option<String>,
    /// TOML description of the machine and network.
    #[arg(long, value_name = "FILE")]
    net: Option<PathBuf>,
    /// Serve a directory under a URL prefix (repeatable).
    #[arg(long = "root", value_name = "URL=DIR")]
    roots: Vec<String>,
    /// Store a setting before the script runs (repeatable).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    sets: Vec<String>,
    #[arg(long, value_enum)]
    platform: Option<PlatformArg>,
    #[arg(long)]
    arch: Option<String>,
    /// Whose behaviour to follow where releases differ.
    #[arg(long = "ipxe-version", value_enum, default_value = "2019")]
    ipxe_version: VersionArg,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Explore every menu path and print one row per path.
    #[arg(long)]
    all: bool,
    /// Maximum number of paths for --all.
    #[arg(long, default_value_t = 5000)]
    max_paths: usize,
    /// Enable a build macro (e.g. IMAGE_TRUST_CMD, DOWNLOAD_PROTO_HTTPS), repeatable.
    #[arg(long = "define", value_name = "MACRO")]
    defines: Vec<String>,
    /// Disable a build macro, repeatable.
    #[arg(long = "undef", value_name = "MACRO")]
    undefs: Vec<String>,
    /// Step budget (lines plus commands).
    #[arg(long, default_value_t = 200_000)]
    max_steps: u64,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum PlatformArg {
    Pcbios,
    Efi,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum VersionArg {
    /// Debian's 2019-01-25 build (the conformance judge).
    #[value(name = "2019")]
    Old,
    /// Current master, where modelled.
    Head,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum StartArg {
    Chained,
    Embedded,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Parsing makes many small allocations; mimalloc serves them faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match run() {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("ipxesim: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<u8> {
    let args = Args::parse();
    let mut cfg = SimConfig::default();
    let mut net = MockNet::default();
    // `done` in [dhcp] is the older spelling of the start context.
    let mut done: Option<bool> = None;
    if let Some(path) = &args.net {
        let file =
            NetFile::load(path).with_context(|| format!("loading --net {}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        net = MockNet::new(file.rules(path, base)?);
        for (k, v) in file.settings_text() {
            match k.as_str() {
                "platform" => cfg.platform = parse_platform(&v)?,
                "buildarch" => cfg.arch = v.clone(),
                _ => {}
            }
            cfg.presets.push((k, v));
        }
        let dhcp = file.dhcp_text();
        if !dhcp.is_empty() {
            cfg.dhcp.clear();
            for (k, v) in dhcp {
                match k.as_str() {
                    "mac" => cfg.mac = v,
                    "works" => cfg.dhcp_works = v == "true",
                    "done" => done = Some(v == "true"),
                    _ => cfg.dhcp.push((k, v)),
                }
            }
        }
    }
    cfg.presets
        .retain(|(k, _)| k != "platform" && k != "buildarch");
    for root in &args.roots {
        let (url, dir) = root
            .split_once('=')
            .with_context(|| format!("--root {root}: expected URL=DIR"))?;
        if !Path::new(dir).is_dir() {
            bail!("--root {root}: {dir} is not a directory");
        }
        net.add_root(url, Path::new(dir));
    }
    for s in &args.sets {
        let (k, v) = s
            .split_once('=')
            .with_context(|| format!("--set {s}: expected NAME=VALUE"))?;
        cfg.presets.push((k.to_string(), v.to_string()));
    }
    if let Some(p) = args.platform {
        cfg.platform = match p {
            PlatformArg::Pcbios => Platform::Pcbios,
            PlatformArg::Efi => Platform::Efi,
        };
        if args.arch.is_none() && cfg.platform == Platform::Efi && cfg.arch == "i386" {
            cfg.arch = "x86_64".into();
        }
    }
    if let Some(a) = &args.arch {
        cfg.arch = a.clone();
    }
    cfg.version = match args.ipxe_version {
        VersionArg::Old => IpxeVersion::Old2019,
        VersionArg::Head => IpxeVersion::Head,
    };
    cfg.selects = args.select.clone();
    if let Some(k) = &args.keys {
        cfg.keys = ipxe_sim::keys::parse_keys(k).map_err(anyhow::Error::msg)?;
    }
    cfg.limits.steps = args.max_steps;
    cfg.overrides
        .extend(args.defines.iter().map(|d| (d.clone(), true)));
    cfg.overrides
        .extend(args.undefs.iter().map(|d| (d.clone(), false)));
    cfg.start = match (args.start, done) {
        (Some(StartArg::Chained), _) | (None, Some(true) | None) => StartContext::Chained,
        (Some(StartArg::Embedded), _) | (None, Some(false)) => StartContext::Embedded,
    };
    // A dry run: nothing describes the network, so every URL is assumed to exist.
    let dry_run = args.net.is_none() && args.roots.is_empty();
    let mut assume_all = AssumeAll;
    let network: &mut dyn Network = if dry_run { &mut assume_all } else { &mut net };
    let mut script = load_script(&args.script, network)?;
    if let Some(url) = &args.script_url {
        if script.uri.is_some() {
            bail!("--script-url: SCRIPT is already a URL ({})", args.script);
        }
        script.uri = Some(url.clone());
    }
    if args.all {
        let rows = ipxe_sim::explore(&cfg, network, &script, args.max_paths, 24)?;
        let url = match cfg.start {
            StartContext::Chained => Some(ipxe_sim::chained_script_url(&cfg, &script)),
            StartContext::Embedded => script.uri.clone(),
        };
        print_rows(&rows, cfg.start, url.as_deref(), args.format)?;
        // Pressing Esc usually ends a script on purpose: those rows inform,
        // they do not fail the run.
        let bad = rows
            .iter()
            .any(|r| !r.cancelled() && matches!(r.outcome, Outcome::Failed | Outcome::Limit));
        return Ok(u8::from(bad));
    }
    let mut report = ipxe_sim::run(cfg, network, script)?;
    if let Some(note) = assumed_note(&report.assumed) {
        report.notes.push(note);
    }
    print_report(&report, args.format)?;
    Ok(exit_code(&report))
}

/// One note listing every URL a dry run assumed to exist.
fn assumed_note(assumed: &[AssumedUrl]) -> Option<String> {
    if assumed.is_empty() {
        return None;
    }
    let (count, verb) = match assumed.len() {
        1 => ("1 URL".to_string(), "was"),
        n => (format!("{n} URLs"), "were"),
    };
    let list: Vec<String> = assumed
        .iter()
        .map(|a| format!("{} ({})", a.url, a.guess.as_str()))
        .collect();
    Some(format!(
        "{count} {verb} assumed to exist: {}; give --root URL=DIR or --net FILE to check them",
        list.join(", ")
    ))
}

fn describe_start(start: StartContext, script_url: Option<&str>) -> String {
    match start {
        StartContext::Chained => format!(
            "chained (iPXE's DHCP configured net0, then fetched the script from {})",
            script_url.unwrap_or("its DHCP filename")
        ),
        StartContext::Embedded => {
            "embedded (nothing ran before the script: net0 is closed and has no address)"
                .to_string()
        }
    }
}

fn parse_platform(v: &str) -> Result<Platform> {
    match v {
        "pcbios" => Ok(Platform::Pcbios),
        "efi" => Ok(Platform::Efi),
        other => bail!("platform `{other}`: expected pcbios or efi"),
    }
}

fn load_script(arg: &str, net: &mut dyn Network) -> Result<Script> {
    if ipxe_sim::uri::scheme(arg).is_some_and(|s| s.len() > 1) {
        match net.request("GET", arg, None) {
            Response::Assumed(_) => bail!(
                "{arg}: a SCRIPT given as a URL needs --net FILE or --root URL=DIR to serve it \
                 (or give the file and --script-url {arg})"
            ),
            Response::Ok(data) => {
                return Ok(Script {
                    name: ipxe_sim::uri::basename(arg),
                    uri: Some(arg.to_string()),
                    data,
                });
            }
            other => bail!("{arg}: the mock network does not serve it ({other:?})"),
        }
    }
    let data = std::fs::read(arg).with_context(|| format!("reading {arg}"))?;
    let name = Path::new(arg)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Script {
        name,
        uri: None,
        data,
    })
}

/// 0 = booted / exit 0 / shell / reboot / poweroff; 1 = failed, exit N≠0, limit.
fn exit_code(r: &Report) -> u8 {
    match r.outcome {
        // A dry run cannot follow an assumed script; nothing failed.
        Outcome::Boot
        | Outcome::Shell
        | Outcome::Reboot
        | Outcome::Poweroff
        | Outcome::UnknownScript => 0,
        Outcome::Exit if r.exit_status == 0 => 0,
        _ => 1,
    }
}

fn print_report(r: &Report, format: Format) -> Result<()> {
    if format == Format::Json {
        outln!("{}", serde_json::to_string_pretty(r)?);
        return Ok(());
    }
    for line in &r.console {
        outln!("{line}");
    }
    outln!("---");
    outln!(
        "start: {}",
        describe_start(r.start, r.script_url.as_deref())
    );
    for n in &r.notes {
        outln!("note: {n}");
    }
    for unused in &r.unused_selects {
        outln!("warning: --select {unused} was never used: no menu was left to answer it");
    }
    for req in &r.requests {
        outln!("request: {} {}", req.method, req.url);
    }
    out!("outcome: {}", r.outcome.as_str());
    if r.outcome == Outcome::Exit || r.outcome == Outcome::Failed {
        out!(" (status {:#x})", r.exit_status);
    }
    outln!("");
    if let Some(m) = &r.message {
        outln!("message: {m}");
    }
    if let Some(h) = &r.hint {
        outln!("hint: {h}");
    }
    if let Some(b) = &r.boot {
        outln!("kernel: {} {}", b.kind, describe(&b.kernel));
        if let Some(e) = &b.explanation {
            outln!("  ({}: {e})", b.kind);
        }
        for i in &b.initrds {
            outln!("initrd: {}", describe(i));
        }
    }
    Ok(())
}

fn describe(i: &ipxe_sim::BootImage) -> String {
    let mut s = i.name.clone();
    if let Some(u) = &i.url {
        s.push_str(&format!(" <{u}>"));
    }
    if let Some(c) = &i.cmdline {
        s.push_str(&format!(" \"{c}\""));
    }
    s
}

fn print_rows(
    rows: &[PathRow],
    start: StartContext,
    script_url: Option<&str>,
    format: Format,
) -> Result<()> {
    if format == Format::Json {
        outln!("{}", serde_json::to_string_pretty(rows)?);
        return Ok(());
    }
    outln!("start: {}", describe_start(start, script_url));
    for r in rows {
        let sel = if r.selections.is_empty() {
            "(none)".to_string()
        } else {
            r.selections.join(" > ")
        };
        let mut line = format!("{sel} -> {}", r.outcome.as_str());
        if let Some(b) = &r.boot {
            line.push_str(&format!(" {} {}", b.kind, describe(&b.kernel)));
            for i in &b.initrds {
                line.push_str(&format!(" + {}", describe(i)));
            }
        }
        if let Some(m) = &r.message {
            line.push_str(&format!(" [{m}]"));
        }
        outln!("{line}");
    }
    let mut assumed: Vec<AssumedUrl> = Vec::new();
    for a in rows.iter().flat_map(|r| &r.assumed) {
        if !assumed.iter().any(|b| b.url == a.url) {
            assumed.push(a.clone());
        }
    }
    if let Some(note) = assumed_note(&assumed) {
        outln!("note: {note}");
    }
    Ok(())
}
