//! Records golden traces: boots each `tests/conformance/<case>.ipxe` under
//! real iPXE (Debian's `ipxe.lkrn`, 2019-01-25) in QEMU and writes
//! `<case>.trace.json` next to it.
//!
//! Setup (as in issue 4): `-kernel ipxe.lkrn -initrd case.ipxe`, TCG, e1000
//! without option ROM, user networking with `restrict=on` and a `guestfwd`
//! of 10.0.2.100:80 to a web server run here on loopback, which answers from
//! `tests/conformance/net.toml` (the same table the simulator test uses) and
//! logs every request. The screen is read from VGA text memory through the
//! monitor (`pmemsave 0xb8000 4000`); keys go in with `sendkey`. iPXE has
//! finished when SeaBIOS's debug port reports `enter handle_18` (the BIOS
//! tries the next boot device once the `.lkrn` returns).
//!
//! Needs: `apt-get install qemu-system-x86 ipxe netcat-openbsd`.

mod case;
mod server;
mod vm;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Parser;

#[derive(Parser, Debug)]
#[command(about = "Record real-iPXE traces for tests/conformance cases")]
struct Args {
    /// Case files to record (default: every tests/conformance/*.ipxe).
    cases: Vec<PathBuf>,
    /// Only record cases that have no trace yet.
    #[arg(long)]
    missing: bool,
    /// Seconds before a case that has not finished is recorded as still running.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    #[arg(long, default_value = "/usr/lib/ipxe/ipxe.lkrn")]
    lkrn: PathBuf,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let dir = conformance_dir();
    for tool in ["qemu-system-x86_64", "nc"] {
        if which(tool).is_none() {
            bail!("{tool} not found: apt-get install qemu-system-x86 ipxe netcat-openbsd");
        }
    }
    if !args.lkrn.is_file() {
        bail!("{} not found: apt-get install ipxe", args.lkrn.display());
    }
    let mut cases = args.cases.clone();
    if cases.is_empty() {
        cases = case::list(&dir)?;
    }
    let net = server::load_net(&dir)?;
    for path in cases {
        let trace_path = case::trace_path(&path);
        if args.missing && trace_path.exists() {
            continue;
        }
        let case = case::Case::load(&path)?;
        let started = std::time::Instant::now();
        let trace = vm::record(&case, &args.lkrn, &net, args.timeout)
            .with_context(|| format!("recording {}", path.display()))?;
        let json = serde_json::to_string_pretty(&trace)? + "\n";
        std::fs::write(&trace_path, json)
            .with_context(|| format!("writing {}", trace_path.display()))?;
        eprintln!(
            "{}: {} requests, ended={}, {:.1}s",
            path.display(),
            trace.requests.len(),
            trace.ended,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance")
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| Path::new(d).join(tool))
        .find(|p| p.is_file())
}
