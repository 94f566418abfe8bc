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

pub use config::{IpxeVersion, Limits, SimConfig};
pub use explore::{PathRow, explore};
pub use net::{MockNet, NetFile, Network, Response};
pub use report::{Boot, BootImage, Outcome, Report};

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
pub fn run(cfg: SimConfig, net: &mut dyn Network, script: Script) -> Result<Report, SimError> {
    let banner = cfg.banner.clone();
    let efi = cfg.platform == ipxe_catalog::Platform::Efi;
    let mut m = Machine::new(cfg, net);
    if let Some(text) = banner {
        m.console.print(&text);
    }
    let id = m.new_image_id();
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
    };
    let result = m.register(image).and_then(|id| commands_exec(&mut m, id));
    let platform = m.cfg.platform;
    let (outcome, exit_status, message, boot) = match result {
        Ok(Ok(())) => (Outcome::Exit, 0, None, None),
        Ok(Err(Status::Exit(n))) => (Outcome::Exit, n, None, None),
        Ok(Err(status)) => (
            Outcome::Failed,
            status.number(platform),
            Some(m.strerror(status)),
            None,
        ),
        Err(Halt::Boot(b)) => (Outcome::Boot, 0, None, Some(b)),
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
    };
    Ok(Report {
        outcome,
        exit_status,
        message,
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

fn commands_exec(m: &mut Machine, id: u64) -> engine::Flow<engine::Rc> {
    commands::image_exec(m, id)
}
