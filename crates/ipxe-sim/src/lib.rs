//! Runs an iPXE script against a mocked network and tells what it would boot,
//! following real iPXE's behaviour (Debian's 2019 build is the conformance
//! judge; see `crates/ipxesim/README.md`).
//!
//! **Invariants.** Words are expanded at run time from their raw text with a
//! port of `expand_settings` ([`expand`]), never rebuilt from the tree. All
//! I/O goes through [`Network`] (and the key queue and virtual clock in
//! [`SimConfig`]); nothing here sleeps, touches the network or prints. Every
//! run is bounded ([`Limits`]): reaching a bound is the outcome `limit`.

mod commands;
pub mod config;
pub mod conformance;
mod engine;
pub mod errno;
pub mod expand;
pub mod explore;
pub mod getopt;
pub mod image;
pub mod keys;
pub mod net;
pub mod report;
pub mod screen;
pub mod settings;
pub mod uri;

use std::rc::Rc;

pub use config::{IpxeVersion, Limits, SimConfig, StartContext};
pub use explore::{PathRow, explore};
pub use net::{AssumeAll, Guess, MockNet, NetFile, Network, Response};
pub use report::{AssumedUrl, Boot, BootImage, Outcome, Report};

/// A `--select` answer that presses Esc at its menu instead of choosing
/// (unless the menu has an item of that name); `--all` uses it for its
/// cancel rows.
pub const ESC_ANSWER: &str = "<esc>";

use engine::{Halt, Machine};
use errno::Status;
use image::{Image, ImageKind};

/// The script to run first, as iPXE's first registered image.
#[derive(Clone, Debug)]
pub struct Script {
    /// Image name (a file name, or the URL's basename).
    pub name: String,
    /// Where it came from, if fetched: relative URIs resolve against it.
    pub uri: Option<String>,
    pub data: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// A `--select` answer names no item of the menu being shown.
    #[error("{0}")]
    BadAnswer(String),
}

/// The banner the Debian `ipxe.lkrn` prints before running its first image.
pub const DEBIAN_LKRN_BANNER: &str = "iPXE initialising devices...ok\n\n\n\niPXE 1.0.0+git-20190125.36a4c85-5.1 -- Open Source Network Boot Firmware -- http://ipxe.org\nFeatures: DNS HTTP iSCSI NFS TFTP SRP AoE ELF MBOOT PXE bzImage Menu PXEXT\n";

/// Runs `script` to its end (or a bound) and reports what happened.
pub fn run(
    mut cfg: SimConfig,
    net: &mut dyn Network,
    mut script: Script,
) -> Result<Report, SimError> {
    let banner = cfg.banner.clone();
    let efi = cfg.platform == ipxe_catalog::Platform::Efi;
    let start = cfg.start;
    let local_name = script.uri.is_none().then(|| script.name.clone());
    if start == StartContext::Chained {
        chain_from_dhcp(&mut cfg, &mut script);
    }
    let script_url = script.uri.clone();
    let mut m = Machine::new(cfg, net);
    if let Some(text) = banner {
        m.console.print(&text);
    }
    let id = m.new_image_id();
    m.local_script = local_name.map(|name| (id, name));
    let kind = ImageKind::detect(&script.data, efi);
    let image = Image {
        name: script.name,
        uri: script.uri,
        data: Rc::new(script.data),
        kind,
        cmdline: None,
        selected: false,
        autofree: false,
        replacement: None,
        id,
        assumed: false,
    };
    let result = m.register(image).and_then(|id| commands_exec(&mut m, id));
    let platform = m.cfg.platform;
    let unreachable = Status::err(errno::Posix::Enetunreach, errno::ErrFile::Tcp);
    let hint = match &result {
        Ok(Err(status)) if *status == unreachable => m.no_address_hint.clone(),
        _ => None,
    };
    let (outcome, exit_status, message, boot) = match result {
        Ok(Ok(())) => (Outcome::Exit, 0, None, None),
        Ok(Err(Status::Exit(n))) => (Outcome::Exit, n, None, None),
        Ok(Err(status)) => (
            Outcome::Failed,
            status.number(platform),
            Some(m.strerror(status)),
            None,
        ),
        Err(Halt::Boot(b)) => (Outcome::Boot, 0, None, Some(*b)),
        Err(Halt::Shell) => (Outcome::Shell, 0, None, None),
        Err(Halt::Reboot) => (Outcome::Reboot, 0, None, None),
        Err(Halt::Poweroff) => (Outcome::Poweroff, 0, None, None),
        Err(Halt::Limit(msg)) => (Outcome::Limit, 0, Some(msg), None),
        Err(Halt::Unanswered(title, items)) => (
            Outcome::Unanswered,
            0,
            Some(format!("menu \"{title}\" ({})", items.join(", "))),
            None,
        ),
        Err(Halt::BadAnswer(msg)) => return Err(SimError::BadAnswer(msg)),
        Err(Halt::UnknownScript(url)) => (
            Outcome::UnknownScript,
            0,
            Some(format!(
                "{url} is a script assumed to exist: its content is unknown, so the run stops here"
            )),
            None,
        ),
    };
    Ok(Report {
        start,
        script_url,
        outcome,
        exit_status,
        message,
        hint,
        assumed: m.assumed,
        unused_selects: m.selects.into_iter().collect(),
        requests: m.requests,
        console: m.console.all_lines(),
        boot,
        choices: m.choices,
        notes: m.notes,
        trace: m.trace,
        screen: m.console.screen.rows(),
        virtual_ms: m.clock_ms,
    })
}

/// Chained start: iPXE's DHCP handed out `filename` and autoboot fetched it
/// (`fetch_next_server_and_filename`, `pxe_uri`). The script keeps a URL it
/// came with; otherwise it is `filename` from `[dhcp]`, or its own file name,
/// relative to `tftp://next-server/` as `pxe_uri` builds it. `filename` is
/// stored for `${filename}` when `[dhcp]` has none.
fn chain_from_dhcp(cfg: &mut SimConfig, script: &mut Script) {
    let handed_out = chained_script_url(cfg, script);
    if !cfg.dhcp.iter().any(|(k, _)| k == "filename") {
        cfg.dhcp.push(("filename".into(), handed_out.clone()));
    }
    script.uri = Some(handed_out);
}

/// The URL a chained start fetched `script` from (see [`StartContext::Chained`]).
pub fn chained_script_url(cfg: &SimConfig, script: &Script) -> String {
    if let Some(url) = &script.uri {
        return url.clone();
    }
    let value = |key: &str| {
        cfg.dhcp
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let name = value("filename").unwrap_or_else(|| script.name.clone());
    match (uri::scheme(&name), value("next-server")) {
        (Some(_), _) | (None, None) => name,
        (None, Some(server)) => format!("tftp://{server}/{}", name.trim_start_matches('/')),
    }
}

fn commands_exec(m: &mut Machine, id: u64) -> engine::Flow<engine::Rc> {
    commands::image_exec(m, id)
}
