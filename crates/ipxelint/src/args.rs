//! Command-line flags, each defined once; `--help` is generated from them.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, ValueEnum};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Lint iPXE scripts.
///
/// Exit status: 0 when nothing is at or above the --fail-on level, 1 when
/// something is, 2 on usage or I/O errors.
#[derive(Parser, Debug)]
#[command(name = "ipxelint", version, about, long_about = None)]
pub struct Args {
    /// Files or directories to lint (directories: `*.ipxe` files and files starting with `#!ipxe`); `-` reads standard input.
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, default_value = "human", value_parser = ["human", "json", "sarif", "gcc", "github"])]
    pub format: String,

    /// Show only findings at or above this level (info, warning, error).
    #[arg(long)]
    pub severity: Option<String>,

    /// Exit with status 1 when a finding at or above this level is shown (info, warning, error, never). Default: warning.
    #[arg(long)]
    pub fail_on: Option<String>,

    /// Enable only these rule codes or prefixes (comma-separated, repeatable), e.g. `IPX2,IPX301`.
    #[arg(long, value_name = "CODES")]
    pub select: Vec<String>,

    /// Disable these rule codes or prefixes (comma-separated, repeatable).
    #[arg(long, value_name = "CODES")]
    pub ignore: Vec<String>,

    /// Print a rule's documentation and exit.
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,

    /// List all rules and exit.
    #[arg(long)]
    pub list_rules: bool,

    /// Apply fixes that cannot change what a correct script means, and write the files.
    #[arg(long)]
    pub fix: bool,

    /// Show the safe fixes as a unified diff instead of writing them (exit 1 if there are any).
    #[arg(long)]
    pub diff: bool,

    /// Check that the http(s) URLs the scripts would fetch answer (HEAD, then a one-byte ranged GET).
    /// Private, loopback and link-local addresses are refused unless --allow-private-urls.
    #[arg(long)]
    pub check_urls: bool,

    /// With --check-urls, also probe private, loopback and link-local addresses.
    #[arg(long)]
    pub allow_private_urls: bool,

    /// With --check-urls, the most URL probes in flight at once, in all. Default: 64.
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub url_jobs: Option<usize>,

    /// With --check-urls, the most URL probes in flight at once to one host. Default: 16.
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub url_jobs_per_host: Option<usize>,

    /// With --check-urls, how long to wait for each request (and DNS lookup), e.g. `2.5`. Default: 10.
    #[arg(long, value_name = "SECONDS", value_parser = seconds)]
    pub url_timeout: Option<Duration>,

    /// The iPXE build the script must work on, e.g. `bin/undionly.kpxe` or `bin-x86_64-efi/ipxe.efi` (repeatable).
    /// Default: stock BIOS and EFI builds of current iPXE.
    #[arg(long)]
    pub target: Vec<String>,

    /// An iPXE `src/config` tree or `config/local` folder whose `#define`/`#undef` lines change the build's features.
    #[arg(long = "config", value_name = "DIR")]
    pub ipxe_config: Option<PathBuf>,

    /// Use this `.ipxelint.toml` instead of searching upward from the first path.
    #[arg(long, value_name = "FILE")]
    pub config_file: Option<PathBuf>,

    /// Ignore any `.ipxelint.toml`.
    #[arg(long)]
    pub no_config: bool,

    /// The file name to report for standard input.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// Colour in human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,

    /// A DHCP server configuration to check (dnsmasq; repeatable). Files named
    /// `dnsmasq.conf`, `*.conf` in `dnsmasq.d/`, or that read as dnsmasq options are found among the paths too.
    #[arg(long, value_name = "FILE")]
    pub dhcp: Vec<PathBuf>,

    /// The folder the TFTP server serves, to check the boot files of DHCP configurations against.
    /// Default: the configuration's own `tftp-root`.
    #[arg(long, value_name = "DIR")]
    pub tftp_root: Option<PathBuf>,

    /// Print the syntax tree instead of linting (for debugging the parser).
    #[arg(long, hide = true)]
    pub dump_tree: bool,

    /// Print the rules documentation as Markdown (docs/rules.md).
    #[arg(long, hide = true)]
    pub generate_docs: bool,
}

/// A count of probes in flight: with 0 the checks could never run.
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!(
            "expected a whole number of at least 1, found `{s}`"
        )),
    }
}

/// A positive number of seconds, fractions allowed.
fn seconds(s: &str) -> Result<Duration, String> {
    match s.parse::<f64>() {
        Ok(secs) if secs > 0.0 => Duration::try_from_secs_f64(secs).map_err(|e| e.to_string()),
        Ok(_) => Err("must be more than 0 seconds".into()),
        Err(_) => Err(format!("expected a number of seconds, found `{s}`")),
    }
}
