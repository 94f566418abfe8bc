//! What a run produced, in the shape `--format json` prints.

use serde::Serialize;

use crate::config::StartContext;
use crate::net::Guess;

/// A URL a dry run assumed to exist, and what it was taken to hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AssumedUrl {
    pub url: String,
    pub guess: Guess,
}

/// How the run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// An OS image (kernel, EFI program, PXE program, SAN drive) was started.
    Boot,
    /// The top-level script ended by itself or with `exit` (status in `exit_status`).
    Exit,
    /// A failing command aborted the top-level script.
    Failed,
    Shell,
    Reboot,
    Poweroff,
    /// A bound was reached (message says which).
    Limit,
    /// Exploration only: a `choose` had no answer left.
    Unanswered,
    /// A dry run reached a script it only assumed to exist: its content is
    /// unknown, so the run stops there (message names the URL).
    #[serde(rename = "unknown-script")]
    UnknownScript,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Boot => "boot",
            Outcome::Exit => "exit",
            Outcome::Failed => "failed",
            Outcome::Shell => "shell",
            Outcome::Reboot => "reboot",
            Outcome::Poweroff => "poweroff",
            Outcome::Limit => "limit",
            Outcome::Unanswered => "unanswered",
            Outcome::UnknownScript => "unknown-script",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Request {
    pub method: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BootImage {
    pub name: String,
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cmdline: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Boot {
    /// `linux`, `efi`, `pxe`, or `sanboot`.
    pub kind: String,
    pub kernel: BootImage,
    pub initrds: Vec<BootImage>,
    /// What iPXE does with a kernel of this kind, when it is not a Linux bzImage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TraceEntry {
    pub file: String,
    pub line: usize,
    pub command: String,
    /// 0 for success, else the error number.
    pub status: u32,
}

/// One `choose` as it was answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChooseRecord {
    pub title: String,
    /// Selectable item names, in order.
    pub items: Vec<String>,
    pub chosen: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// What ran before the script (`embedded` or `chained`).
    pub start: StartContext,
    /// The URL the first script was fetched from, when it has one (always
    /// when chained: it is the working URI relative paths resolve against).
    pub script_url: Option<String>,
    pub outcome: Outcome,
    pub exit_status: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Why the failure happened, in the script's terms (e.g. net0 never got
    /// an address because the script never runs `dhcp`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// URLs a dry run assumed to exist (no `--net`/`--root`), in request order.
    pub assumed: Vec<AssumedUrl>,
    /// `--select` answers no menu consumed.
    pub unused_selects: Vec<String>,
    pub requests: Vec<Request>,
    pub console: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boot: Option<Boot>,
    pub choices: Vec<ChooseRecord>,
    /// Things the simulator decided that iPXE would have asked a human for.
    pub notes: Vec<String>,
    pub trace: Vec<TraceEntry>,
    /// The final 80×25 screen (not in JSON; used by conformance tests).
    #[serde(skip)]
    pub screen: Vec<String>,
    /// Virtual milliseconds that passed (sleeps, timeouts).
    pub virtual_ms: u64,
}
