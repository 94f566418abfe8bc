//! `ipxebuild`: build iPXE with embedded scripts. A thin front end over the
//! `ipxe-build` crate: argument parsing, printing, the signal handler, exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result};
use clap::Parser;
use ipxe_build::{BuildError, Plan, Request};

/// Build iPXE from its source with your script(s) embedded, the features they
/// use enabled, and a manifest. The source tree is never modified: the build
/// runs in a private copy.
#[derive(Parser, Debug)]
#[command(name = "ipxebuild", version)]
struct Args {
    /// iPXE source tree: the repository root or its src/ folder.
    #[arg(long, value_name = "PATH", required_unless_present = "fetch")]
    src: Option<PathBuf>,
    /// Clone iPXE with git into the cache and build this revision (tag, branch or commit).
    #[arg(long, value_name = "REV", conflicts_with = "src")]
    fetch: Option<String>,
    /// Repository for --fetch.
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://github.com/ipxe/ipxe.git"
    )]
    fetch_url: String,
    /// Make target, e.g. bin/undionly.kpxe, bin/ipxe.lkrn, bin-x86_64-efi/ipxe.efi
    /// (repeatable; default: bin/undionly.kpxe and bin-x86_64-efi/ipxe.efi).
    #[arg(long = "target", short = 't', value_name = "TARGET")]
    targets: Vec<String>,
    /// Files to embed, comma-separated; the first is the script iPXE runs.
    #[arg(long, value_name = "FILE[,FILE…]", value_delimiter = ',')]
    embed: Vec<PathBuf>,
    /// Where to put the outputs and ipxebuild-manifest.json.
    #[arg(long, short = 'o', value_name = "DIR", default_value = "ipxe-out")]
    out: PathBuf,
    /// `#define` a config macro: NAME, NAME=VALUE or HEADER.h:NAME (repeatable, comma-separated).
    #[arg(long, value_name = "MACRO", value_delimiter = ',')]
    enable: Vec<String>,
    /// `#undef` a config macro: NAME or HEADER.h:NAME.
    #[arg(long, value_name = "MACRO", value_delimiter = ',')]
    disable: Vec<String>,
    /// Enable what the embedded scripts use (commands, URI schemes) and the target lacks.
    #[arg(long)]
    auto_features: bool,
    /// Build even when the lint finds errors.
    #[arg(long)]
    force: bool,
    /// Trusted root certificates (TRUST=), comma-separated.
    #[arg(long, value_name = "PEM[,PEM…]", value_delimiter = ',')]
    trust: Vec<PathBuf>,
    /// Certificates to embed (CERT=), comma-separated.
    #[arg(long, value_name = "PEM[,PEM…]", value_delimiter = ',')]
    cert: Vec<PathBuf>,
    /// Private key for client certificates (PRIVKEY=).
    #[arg(long, value_name = "PEM")]
    privkey: Option<PathBuf>,
    /// Debug output (DEBUG=): obj[:level[:default]],… e.g. dhcp,http:3
    #[arg(long, value_name = "OBJ[:LEVEL],…")]
    debug: Option<String>,
    /// Named configuration (CONFIG=), e.g. qemu.
    #[arg(long, value_name = "NAME")]
    config: Option<String>,
    /// Cross-compiler prefix (CROSS=), e.g. aarch64-linux-gnu-
    #[arg(long, value_name = "PREFIX")]
    cross: Option<String>,
    /// Parallel make jobs (default: the CPU count).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// Where the private build copy lives (default: ~/.cache/ipxebuild/<hash of the tree path>).
    #[arg(long, value_name = "DIR")]
    build_dir: Option<PathBuf>,
    /// The make program.
    #[arg(long, value_name = "PROGRAM")]
    make: Option<PathBuf>,
    /// Print the make argv and the config header lines, then stop.
    #[arg(long)]
    dry_run: bool,
    /// Secure Boot: do not rebuild; write the script as autoexec.ipxe for a signed upstream binary.
    #[arg(long)]
    secure_boot: bool,
    /// Show make's output as it runs (it always goes to the log).
    #[arg(long, short = 'v')]
    verbose: bool,
}

static CANCEL: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    CANCEL.store(true, Ordering::SeqCst);
}

fn install_signal_handlers() {
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe {
            libc::signal(signal, on_signal as *const () as libc::sighandler_t);
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    install_signal_handlers();
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            let interrupted = matches!(
                e.downcast_ref::<BuildError>(),
                Some(BuildError::Interrupted { .. })
            );
            let lint = matches!(
                e.downcast_ref::<BuildError>(),
                Some(BuildError::LintErrors { .. })
            );
            eprintln!("ipxebuild: error: {e:#}");
            if interrupted {
                ExitCode::from(130)
            } else if lint {
                ExitCode::from(1)
            } else {
                ExitCode::from(2)
            }
        }
    }
}

fn run(args: Args) -> Result<ExitCode> {
    let src = match (&args.src, &args.fetch) {
        (Some(src), _) => src.clone(),
        (None, Some(rev)) => {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .unwrap_or_else(std::env::temp_dir);
            let key = ipxe_build::sha256_hex(args.fetch_url.as_bytes());
            let dir = cache.join("ipxebuild").join("git").join(&key[..16]);
            eprintln!(
                "ipxebuild: fetching {} at {rev} into {}",
                args.fetch_url,
                dir.display()
            );
            ipxe_build::fetch_source(&args.fetch_url, rev, &dir)?
        }
        (None, None) => unreachable!("clap requires --src or --fetch"),
    };
    let targets = if args.targets.is_empty() {
        vec!["bin/undionly.kpxe".into(), "bin-x86_64-efi/ipxe.efi".into()]
    } else {
        args.targets.clone()
    };
    let request = Request {
        src,
        targets,
        embed: args.embed.clone(),
        out: args.out.clone(),
        build_dir: args.build_dir.clone(),
        enable: args.enable.clone(),
        disable: args.disable.clone(),
        auto_features: args.auto_features,
        force: args.force,
        trust: args.trust.clone(),
        cert: args.cert.clone(),
        privkey: args.privkey.clone(),
        debug: args.debug.clone(),
        config: args.config.clone(),
        cross: args.cross.clone(),
        jobs: args.jobs,
        make: args.make.clone(),
        verbose: args.verbose,
    };
    let plan = ipxe_build::plan(&request)?;
    let mut err = std::io::stderr();
    for (d, m) in plan.auto_enabled() {
        writeln!(
            err,
            "ipxebuild: enabled {} in {} ({}; missing from {})",
            d.name,
            d.header,
            m.reason(),
            m.lacking.join(", ")
        )?;
    }
    print_lint(&plan)?;
    if args.secure_boot {
        return secure_boot(&plan, &args);
    }
    if args.dry_run {
        print_dry_run(&plan)?;
        return Ok(ExitCode::SUCCESS);
    }
    if plan.lint_errors > 0 && args.force {
        writeln!(
            err,
            "ipxebuild: building despite {} lint error(s) (--force)",
            plan.lint_errors
        )?;
    }
    let mut progress = |msg: &str| eprintln!("ipxebuild: {msg}");
    let outcome = ipxe_build::execute(&plan, args.force, args.verbose, &CANCEL, &mut progress)?;
    for o in &outcome.outputs {
        println!("{}  {} ({} bytes)", o.sha256, o.path.display(), o.size);
    }
    println!("manifest: {}", outcome.manifest.display());
    eprintln!(
        "ipxebuild: built {} target(s) in {:.1} s; make log: {}",
        outcome.outputs.len(),
        outcome.duration.as_secs_f64(),
        outcome.log.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn print_lint(plan: &Plan) -> Result<()> {
    let reports: Vec<ipxe_diagnostics::FileReport<'_>> = plan
        .lint
        .iter()
        .filter(|r| !r.diagnostics.is_empty())
        .map(|r| ipxe_diagnostics::FileReport {
            path: &r.path,
            src: &r.src,
            diagnostics: &r.diagnostics,
        })
        .collect();
    if reports.is_empty() {
        return Ok(());
    }
    let mut err = std::io::stderr();
    ipxe_diagnostics::render(
        &mut err,
        ipxe_diagnostics::OutputFormat::Human,
        &reports,
        &ipxe_lint::rule_metas(),
        ipxe_build::VERSION,
        false,
    )
    .context("printing lint findings")?;
    Ok(())
}

fn print_dry_run(plan: &Plan) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "# dry run: nothing is built or written")?;
    writeln!(
        out,
        "# source: {}{}",
        plan.tree.root.display(),
        plan.tree
            .commit
            .as_ref()
            .map(|c| format!(" (commit {c})"))
            .unwrap_or_default()
    )?;
    writeln!(out, "# build copy: {}", plan.copy_src().display())?;
    for h in &plan.headers {
        writeln!(out, "# {}:", h.path)?;
        for line in &h.lines {
            writeln!(out, "{line}")?;
        }
    }
    for e in &plan.embedded {
        writeln!(
            out,
            "# embed {} as {} (sha256 {})",
            e.source.display(),
            plan.embed_dir().join(&e.name).display(),
            e.sha256
        )?;
    }
    if plan.lint_errors > 0 {
        writeln!(
            out,
            "# lint: {} error(s); the build would refuse without --force",
            plan.lint_errors
        )?;
    }
    writeln!(out, "# cd {}", plan.copy_src().display())?;
    writeln!(out, "{}", ipxe_build::shell_quote(&plan.argv))?;
    writeln!(out, "# argv: {}", serde_json_argv(&plan.argv))?;
    Ok(())
}

fn serde_json_argv(argv: &[String]) -> String {
    let quoted: Vec<String> = argv
        .iter()
        .map(|a| {
            let mut s = String::from("\"");
            for c in a.chars() {
                match c {
                    '"' => s.push_str("\\\""),
                    '\\' => s.push_str("\\\\"),
                    c if (c as u32) < 0x20 => s.push_str(&format!("\\u{:04x}", c as u32)),
                    c => s.push(c),
                }
            }
            s.push('"');
            s
        })
        .collect();
    format!("[{}]", quoted.join(", "))
}

fn secure_boot(plan: &Plan, args: &Args) -> Result<ExitCode> {
    let Some(script) = plan.embedded.iter().find(|e| e.is_script) else {
        anyhow::bail!("--secure-boot needs a script to write as autoexec.ipxe (--embed boot.ipxe)");
    };
    if plan.lint_errors > 0 && !args.force {
        return Err(BuildError::LintErrors {
            count: plan.lint_errors,
        }
        .into());
    }
    let custom = !plan.defines.is_empty()
        || plan
            .variables
            .iter()
            .any(|(k, _)| k != "EMBED" && k != "GITVERSION");
    std::fs::create_dir_all(&plan.out)
        .with_context(|| format!("creating {}", plan.out.display()))?;
    let dest = plan.out.join("autoexec.ipxe");
    std::fs::write(&dest, &script.bytes).with_context(|| format!("writing {}", dest.display()))?;
    println!("{}", dest.display());
    eprintln!(
        "ipxebuild: Secure Boot: nothing was built. Firmware with Secure Boot on only runs binaries signed for it, and a rebuilt iPXE (with EMBED=) is not; \
         so use a signed upstream ipxe.efi/snponly.efi and put {} next to it (same folder on the ESP, or the TFTP/HTTP folder it was loaded from): \
         iPXE loads autoexec.ipxe at startup (since 2021-01). The signed binary has the stock feature set{}.",
        dest.display(),
        if custom {
            "; your --enable/--disable/--auto-features/TRUST/DEBUG choices cannot apply to it"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}
