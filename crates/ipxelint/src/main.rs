//! `ipxelint`: the command-line front end. Argument handling, file discovery,
//! fixes and output live here; all analysis is in `ipxe-lint`.

mod args;
mod dhcp;
mod files;
mod fix;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::Parser;
use ipxe_diagnostics::{Diagnostic, FileReport, OutputFormat, Severity, render};
use ipxe_lint::{
    Config, LintOptions, OptionOverrides, SourceInput, check_code, check_selector, find_config,
    lint_files, rule, rule_metas, rules,
};

use crate::args::{Args, ColorChoice};
use crate::files::{Input, collect_inputs};

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(code) => code,
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            eprintln!("ipxelint: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(args: Args) -> Result<ExitCode> {
    // The DHCP rules share --select, --ignore and .ipxelint.toml.
    ipxe_lint::register_external_codes(
        ipxe_dhcp_lint::rules()
            .into_iter()
            .map(|entry| entry.rule.code),
    );
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.list_rules {
        for entry in rules() {
            let r = entry.rule;
            writeln!(
                out,
                "{}  {:<32} {:<8} {}",
                r.code,
                r.name,
                r.severity.as_str(),
                r.summary
            )?;
        }
        for entry in ipxe_dhcp_lint::rules() {
            let r = entry.rule;
            writeln!(
                out,
                "{}  {:<31} {:<8} {}",
                r.code,
                r.name,
                r.severity.as_str(),
                r.summary
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(code) = &args.explain {
        let text = match (rule(code), ipxe_dhcp_lint::rule(code)) {
            (Some(entry), _) => entry.explain(),
            (None, Some(entry)) => entry.explain(),
            (None, None) => bail!(check_code(code).err().map_or_else(
                || format!("no rule `{code}` (see --list-rules)"),
                |e| e.describe("--explain")
            )),
        };
        writeln!(out, "{text}")?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.generate_docs {
        write!(out, "{}", ipxe_lint::rules_markdown())?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.paths.is_empty() && args.dhcp.is_empty() {
        bail!("no files given (pass paths, a directory, or `-` for standard input)");
    }

    let config = load_config(&args)?;
    let options = lint_options(&args, config.as_ref())?;
    let (dhcp_paths, script_paths): (Vec<PathBuf>, Vec<PathBuf>) = args
        .paths
        .iter()
        .cloned()
        .partition(|p| dhcp::is_dhcp_config(p));
    let dhcp_paths: Vec<PathBuf> = args.dhcp.iter().cloned().chain(dhcp_paths).collect();
    let inputs = collect_inputs(&script_paths, args.stdin_filename.as_deref())?;
    if inputs.is_empty() && dhcp_paths.is_empty() {
        bail!(
            "no iPXE scripts found in {}",
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if args.dump_tree {
        for input in &inputs {
            writeln!(out, "# {}", input.display)?;
            write!(
                out,
                "{}",
                ipxe_syntax::dump(&ipxe_syntax::parse(&input.src), &input.src)
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }

    let mut inputs = inputs;
    let mut diagnostics = lint(&inputs, &options, config.as_ref());
    let mut fixed_count = None;
    if args.fix || args.diff {
        let (fixed, applied) = fix::apply_fixes(
            &mut inputs,
            &options,
            config.as_ref(),
            &mut diagnostics,
            args.unsafe_fixes,
            |i, o, c| lint(i, o, c),
        );
        if args.diff {
            // As ruff's `--diff`: only the changes, and the exit status says whether there are any.
            fix::print_diffs(&mut out, &fixed)?;
            out.flush()?;
            let changed = fixed.iter().any(|f| f.changed());
            eprintln!(
                "{}",
                fix_summary(true, applied, &diagnostics, args.unsafe_fixes)
            );
            return Ok(ExitCode::from(u8::from(changed)));
        }
        fix::write_back(&fixed)?;
        fixed_count = Some(applied);
    }
    if args.check_urls {
        check_urls(&inputs, &args, &options, config.as_ref(), &mut diagnostics);
    }
    let (dhcp_inputs, dhcp_found) = dhcp::lint(
        &dhcp_paths,
        args.tftp_root.as_deref(),
        &options,
        config.as_ref(),
    )?;
    inputs.extend(dhcp_inputs);
    diagnostics.extend(dhcp_found);

    let minimum = match &args.severity {
        Some(s) => {
            Severity::parse(s).with_context(|| format!("--severity: unknown level `{s}`"))?
        }
        None => Severity::Info,
    };
    let fail_on = match args
        .fail_on
        .as_deref()
        .or(config.as_ref().and_then(|c| c.fail_on.as_deref()))
    {
        Some("never") => None,
        Some(s) => {
            Some(Severity::parse(s).with_context(|| format!("--fail-on: unknown level `{s}`"))?)
        }
        None => Some(Severity::Warning),
    };
    let shown: Vec<Vec<Diagnostic>> = diagnostics
        .into_iter()
        .map(|ds| ds.into_iter().filter(|d| d.severity >= minimum).collect())
        .collect();
    let reports: Vec<FileReport<'_>> = inputs
        .iter()
        .zip(&shown)
        .map(|(input, ds)| FileReport {
            path: &input.display,
            src: &input.src,
            diagnostics: ds,
        })
        .collect();
    let format = OutputFormat::parse(&args.format)
        .with_context(|| format!("--format: unknown format `{}`", args.format))?;
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    let mut metas = rule_metas();
    metas.extend(ipxe_dhcp_lint::rule_metas());
    render(
        &mut out,
        format,
        &reports,
        &metas,
        env!("CARGO_PKG_VERSION"),
        color,
    )?;
    if format == OutputFormat::Human {
        summary(&mut out, &shown, &inputs, args.unsafe_fixes)?;
    }
    out.flush()?;
    if let Some(applied) = fixed_count {
        eprintln!("{}", fix_summary(false, applied, &shown, args.unsafe_fixes));
    }
    let failed = fail_on.is_some_and(|level| shown.iter().flatten().any(|d| d.severity >= level));
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn summary(
    out: &mut impl Write,
    shown: &[Vec<Diagnostic>],
    inputs: &[Input],
    unsafe_fixes: bool,
) -> Result<()> {
    let count = |s: Severity| shown.iter().flatten().filter(|d| d.severity == s).count();
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let (fixable, only_unsafe) = fix_counts(shown, unsafe_fixes);
    if errors + warnings + infos == 0 {
        writeln!(
            out,
            "{} file{} checked, no findings",
            inputs.len(),
            if inputs.len() == 1 { "" } else { "s" }
        )?;
    } else {
        write!(
            out,
            "{} file{} checked: {errors} error(s), {warnings} warning(s), {infos} info",
            inputs.len(),
            if inputs.len() == 1 { "" } else { "s" }
        )?;
        match (fixable, unsafe_fixes) {
            (0, _) => {}
            (n, false) => write!(out, "; {n} fixable with --fix")?,
            (n, true) => write!(out, "; {n} fixable with --fix --unsafe-fixes")?,
        }
        if only_unsafe > 0 {
            write!(out, "; {}", unsafe_hint(only_unsafe))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Findings that `--fix` would fix, and those only `--unsafe-fixes` would.
fn fix_counts(found: &[Vec<Diagnostic>], unsafe_fixes: bool) -> (usize, usize) {
    let fixes = || found.iter().flatten().filter_map(|d| d.fix.as_ref());
    let fixable = fixes().filter(|f| fix::applies(f, unsafe_fixes)).count();
    let only_unsafe = fixes()
        .filter(|f| !fix::applies(f, unsafe_fixes) && fix::applies(f, true))
        .count();
    (fixable, only_unsafe)
}

fn unsafe_hint(n: usize) -> String {
    if n == 1 {
        "1 fix is available with --unsafe-fixes".to_string()
    } else {
        format!("{n} fixes are available with --unsafe-fixes")
    }
}

fn findings(n: usize) -> String {
    format!("{n} finding{}", if n == 1 { "" } else { "s" })
}

/// What `--fix` did, or what `--diff` would do, in ruff's words (on stderr).
fn fix_summary(
    would: bool,
    applied: usize,
    remaining: &[Vec<Diagnostic>],
    unsafe_fixes: bool,
) -> String {
    let left = remaining.iter().map(Vec::len).sum::<usize>();
    let (_, only_unsafe) = fix_counts(remaining, unsafe_fixes);
    let mut text = match (would, applied) {
        (false, n) => format!("Fixed {} ({left} remaining).", findings(n)),
        (true, 0) => "No findings would be fixed.".to_string(),
        (true, n) => format!("Would fix {}.", findings(n)),
    };
    if only_unsafe > 0 {
        text.push_str(&format!(" {}.", unsafe_hint(only_unsafe)));
    }
    if would && applied == 0 && only_unsafe == 0 && left > 0 {
        text.push_str(&format!(
            " {} {} no fix: run without --diff to see {}.",
            findings(left),
            if left == 1 { "has" } else { "have" },
            if left == 1 { "it" } else { "them" }
        ));
    }
    text
}

fn load_config(args: &Args) -> Result<Option<Config>> {
    if args.no_config {
        return Ok(None);
    }
    let path = match &args.config_file {
        Some(path) => Some(path.clone()),
        None => {
            // Standard input is found where `--stdin-filename` says it lives.
            let start = args
                .paths
                .iter()
                .find(|p| p.as_os_str() != "-")
                .cloned()
                .or_else(|| args.stdin_filename.as_ref().map(PathBuf::from))
                .unwrap_or_else(|| PathBuf::from("."));
            find_config(&start)
        }
    };
    path.map(|p| Config::load(&p).map_err(anyhow::Error::from))
        .transpose()
}

fn lint_options(args: &Args, config: Option<&Config>) -> Result<LintOptions> {
    let split = |list: &[String]| -> Vec<String> {
        list.iter()
            .flat_map(|s| s.split(','))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let (select, ignore) = (split(&args.select), split(&args.ignore));
    for (flag, list) in [("--select", &select), ("--ignore", &ignore)] {
        for selector in list {
            check_selector(selector).map_err(|e| anyhow!(e.describe(flag)))?;
        }
    }
    let overrides = OptionOverrides {
        select,
        ignore,
        targets: args.target.clone(),
        config_dir: args.ipxe_config.clone(),
    };
    Ok(LintOptions::resolve(config, &overrides)?)
}

/// Probes the URLs the scripts fetch and adds the findings that survive the
/// run's selection and the files' suppressions.
fn check_urls(
    inputs: &[Input],
    args: &Args,
    options: &LintOptions,
    config: Option<&Config>,
    diagnostics: &mut [Vec<Diagnostic>],
) {
    let url_inputs: Vec<ipxe_urlcheck::UrlInput<'_>> = inputs
        .iter()
        .map(|i| ipxe_urlcheck::UrlInput {
            path: &i.display,
            src: &i.src,
        })
        .collect();
    // Flags win over `.ipxelint.toml`, which wins over the defaults.
    let defaults = ipxe_urlcheck::UrlCheckOptions::default();
    let url_options = ipxe_urlcheck::UrlCheckOptions {
        allow_private: args.allow_private_urls,
        total: args
            .url_jobs
            .or(config.and_then(|c| c.url_jobs))
            .unwrap_or(defaults.total),
        per_host: args
            .url_jobs_per_host
            .or(config.and_then(|c| c.url_jobs_per_host))
            .unwrap_or(defaults.per_host),
        timeout: args
            .url_timeout
            .or(config.and_then(Config::url_timeout))
            .unwrap_or(defaults.timeout),
        ..defaults
    };
    let found = ipxe_urlcheck::check_urls(&url_inputs, &url_options);
    for ((input, all), found) in inputs.iter().zip(diagnostics.iter_mut()).zip(found) {
        let source = source_input(input, config);
        all.extend(ipxe_lint::filter_external(&source, options, found));
        all.sort_by_key(|d| (d.span.start, d.span.end));
    }
}

fn source_input<'a>(input: &'a Input, config: Option<&Config>) -> SourceInput<'a> {
    SourceInput {
        path: input.display.clone(),
        src: &input.src,
        ignore: match (config, &input.config_path) {
            (Some(c), Some(path)) => c.ignores_for(path),
            _ => Vec::new(),
        },
    }
}

/// Lints all inputs, applying per-file ignores from the config.
fn lint(inputs: &[Input], options: &LintOptions, config: Option<&Config>) -> Vec<Vec<Diagnostic>> {
    let sources: Vec<SourceInput<'_>> = inputs.iter().map(|i| source_input(i, config)).collect();
    lint_files(&sources, options)
}
