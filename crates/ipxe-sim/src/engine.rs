//! The interpreter: scripts, command lines and the machine state they act on.
//!
//! This follows `process_script` (`src/image/script.c`) and `system`
//! (`src/core/exec.c`): lines run in order, a line's status is the status of
//! the last command that ran, a non-zero line status ends the script, `goto`
//! restarts at a label line, and `exit` ends the current script only.

use std::collections::HashMap;
use std::collections::VecDeque;
use std::rc::Rc as Shared;

use ipxe_catalog::{Catalog, Command as CatCommand, Platform};
use ipxe_semantics::BuildProfile;
use ipxe_syntax::{Connector, Line, Word};

use crate::config::SimConfig;
use crate::errno::{ErrFile, Posix, Status};
use crate::expand::{ExpandBudget, ExpandLimit, expand};
use crate::image::Image;
use crate::keys::Key;
use crate::net::Network;
use crate::report::{Boot, ChooseRecord, Request, TraceEntry};
use crate::screen::Console;
use crate::settings::{BlockKind, SettingType, Settings};

/// A command's result: success, or the failure status it returns.
pub type Rc = Result<(), Status>;

/// Something that ends the whole run, unwinding every script.
#[derive(Clone, Debug)]
pub enum Halt {
    /// Boxed: every command returns `Flow`, so the error side stays small.
    Boot(Box<Boot>),
    Shell,
    Reboot,
    Poweroff,
    Limit(String),
    /// Exploration: a `choose` with no answer left (menu title, items).
    Unanswered(String, Vec<String>),
    /// `--select` named an item the menu does not have.
    BadAnswer(String),
    /// A dry run was about to run a script it only assumed to exist (its URL).
    UnknownScript(String),
}

pub type Flow<T> = Result<T, Halt>;

/// Pending stop requests (`shell_stop` levels in `src/core/exec.c`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stop {
    None,
    /// `goto`: abandon the rest of the line.
    Command,
    /// `exit`, `chain --replace`: end the current script.
    Sequence,
}

/// A running script.
pub struct Frame {
    /// The image this frame runs (for diagnostics).
    #[allow(dead_code)]
    pub image_id: u64,
    pub file: String,
    pub src: Shared<Vec<u8>>,
    pub lines: Shared<Vec<Line>>,
    /// First line carrying each label (`goto` finds the first from the top).
    pub labels: Shared<HashMap<Vec<u8>, usize>>,
    /// Index of the next line to run.
    pub next: usize,
    /// 1-based physical line number of each logical line's start.
    pub line_numbers: Shared<Vec<usize>>,
    pub current_line: usize,
}

#[derive(Clone, Debug)]
pub struct MenuItem {
    pub label: Option<String>,
    pub text: String,
    pub shortcut: u32,
    pub is_default: bool,
}

#[derive(Clone, Debug)]
pub struct Menu {
    pub name: Option<String>,
    pub title: String,
    pub items: Vec<MenuItem>,
}

#[derive(Clone, Debug, Default)]
pub struct ParamList {
    pub name: Option<String>,
    pub params: Vec<(String, String)>,
}

pub struct Machine<'n> {
    pub cfg: SimConfig,
    pub head: bool,
    pub profile: BuildProfile,
    pub net: &'n mut dyn Network,
    pub console: Console,
    pub settings: Settings,
    pub images: Vec<Image>,
    pub menus: Vec<Menu>,
    pub cwuri: Option<String>,
    pub frames: Vec<Frame>,
    /// Ids of images being executed (innermost last).
    pub executing: Vec<u64>,
    pub steps: u64,
    pub clock_ms: u64,
    pub keys: VecDeque<Key>,
    pub selects: VecDeque<String>,
    pub requests: Vec<Request>,
    pub trace: Vec<TraceEntry>,
    pub notes: Vec<String>,
    pub choices: Vec<ChooseRecord>,
    pub net_open: bool,
    pub next_image_id: u64,
    pub param_lists: Vec<ParamList>,
    pub stop: Stop,
    /// Running image marked by `chain --replace` → its replacement.
    pub replacements: Vec<(u64, u64)>,
    pub net0: Option<usize>,
    /// URLs a dry run assumed to exist (each once).
    pub assumed: Vec<crate::report::AssumedUrl>,
    /// Interface commands the script ran: (command, line, succeeded), for
    /// explaining a download that finds net0 without an address.
    pub net_commands: Vec<(String, usize, bool)>,
    /// Set when a download failed because net0 has no address: why, in the
    /// script's terms.
    pub no_address_hint: Option<String>,
    /// The first script's image id and the local file name the trace shows
    /// for it (its URL is only assumed when the script came from a file).
    pub local_script: Option<(u64, String)>,
}

impl<'n> Machine<'n> {
    pub fn new(cfg: SimConfig, net: &'n mut dyn Network) -> Machine<'n> {
        let head = cfg.version.is_head();
        let mut profile = BuildProfile::stock(cfg.platform, &cfg.arch);
        for (m, on) in &cfg.overrides {
            profile.overrides.insert(m.clone(), *on);
        }
        let keys = cfg.keys.iter().copied().collect();
        let selects = cfg.selects.iter().cloned().collect();
        let mut m = Machine {
            head,
            profile,
            net,
            console: Console::default(),
            settings: Settings::new(head),
            images: Vec::new(),
            menus: Vec::new(),
            cwuri: None,
            frames: Vec::new(),
            executing: Vec::new(),
            steps: 0,
            clock_ms: 0,
            keys,
            selects,
            requests: Vec::new(),
            trace: Vec::new(),
            notes: Vec::new(),
            choices: Vec::new(),
            net_open: false,
            next_image_id: 1,
            param_lists: Vec::new(),
            stop: Stop::None,
            replacements: Vec::new(),
            net0: None,
            assumed: Vec::new(),
            net_commands: Vec::new(),
            no_address_hint: None,
            local_script: None,
            cfg,
        };
        m.init_settings();
        if m.cfg.start == crate::config::StartContext::Chained {
            crate::commands::configure_net0(&mut m);
        }
        m
    }

    fn init_settings(&mut self) {
        let builtin = self.settings.child(0, "builtin").unwrap_or(0);
        let string = SettingType::String;
        let version = self.cfg.version.version_string();
        let plat = self.cfg.platform.as_str();
        let arch = self.cfg.arch.clone();
        self.settings
            .store_raw(builtin, "platform", string, plat.as_bytes().to_vec());
        self.settings
            .store_raw(builtin, "buildarch", string, arch.into_bytes());
        self.settings
            .store_raw(builtin, "version", string, version.as_bytes().to_vec());
        self.set_errno(0);
        // The NIC exists from start-up (probed), closed and unconfigured.
        let net0 = self.settings.add_block(0, "net0", BlockKind::Netdev);
        self.net0 = Some(net0);
        let mac = parse_mac(&self.cfg.mac);
        self.settings.store_raw(
            net0,
            "mac",
            SettingType::Hex(crate::settings::HexSep::Colon),
            mac.clone(),
        );
        self.settings
            .store_raw(net0, "ifname", string, b"net0".to_vec());
        self.settings
            .store_raw(net0, "chip", string, b"82540em".to_vec());
        self.settings
            .store_raw(net0, "bustype", string, b"PCI".to_vec());
        self.settings.store_raw(
            net0,
            "busloc",
            SettingType::Int {
                bits: 32,
                signed: false,
            },
            vec![0, 0, 0, 0x18],
        );
        self.settings.store_raw(
            net0,
            "busid",
            SettingType::Hex(crate::settings::HexSep::Colon),
            vec![1, 0x80, 0x86, 0x10, 0x0e],
        );
        let presets = self.cfg.presets.clone();
        for (name, value) in presets {
            if let Ok(n) = self.settings.parse_name(&name, true) {
                let _ = self.settings.store_text(&n, &value);
            }
        }
    }

    pub fn platform(&self) -> Platform {
        self.cfg.platform
    }

    pub fn set_errno(&mut self, n: u32) {
        let builtin = self.settings.child(0, "builtin").unwrap_or(0);
        self.settings.store_raw(
            builtin,
            "errno",
            SettingType::Int {
                bits: 32,
                signed: false,
            },
            n.to_be_bytes().to_vec(),
        );
    }

    pub fn print(&mut self, text: &str) -> Flow<()> {
        self.console.print(text);
        if self.console.bytes_written > self.cfg.limits.console_bytes {
            return Err(self.limit(
                "console output",
                format!("{} bytes", self.cfg.limits.console_bytes),
            ));
        }
        Ok(())
    }

    pub fn strerror(&self, status: Status) -> String {
        status.message(self.cfg.platform, self.cfg.version.error_url())
    }

    /// A bound was reached: the message names it and where the script was.
    pub fn limit(&self, what: &str, bound: String) -> Halt {
        let place = self
            .frames
            .last()
            .map(|f| format!(" at {}:{}", f.file, f.current_line))
            .unwrap_or_default();
        Halt::Limit(format!("{what} limit ({bound}) reached{place}"))
    }

    fn step(&mut self) -> Flow<()> {
        self.steps += 1;
        if self.steps > self.cfg.limits.steps {
            return Err(self.limit("step", format!("{} steps", self.cfg.limits.steps)));
        }
        Ok(())
    }

    /// Runs a script image (`script_exec`): returns the script's status.
    pub fn run_script(&mut self, image: &Image) -> Flow<Rc> {
        if self.frames.len() >= self.cfg.limits.chain_depth {
            return Err(self.limit(
                "chain depth",
                format!("{} nested scripts", self.cfg.limits.chain_depth),
            ));
        }
        let src = image.data.clone();
        let parsed = ipxe_syntax::parse(&src);
        // Line numbers and the label index are built in one pass, so a script
        // with 100,000 labels costs linear time, not a scan per line or per goto.
        let mut numbers = Vec::with_capacity(parsed.lines.len());
        let mut labels = HashMap::new();
        let (mut counted_to, mut newlines) = (0usize, 0usize);
        for (i, line) in parsed.lines.iter().enumerate() {
            let start = line.span.start as usize;
            newlines += src[counted_to..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted_to = start;
            numbers.push(newlines + 1);
            if let Some(name) = line.label_name(&src) {
                labels.entry(name.to_vec()).or_insert(i);
            }
        }
        let file = match &self.local_script {
            Some((id, name)) if *id == image.id => name.clone(),
            _ => image.uri.clone().unwrap_or_else(|| image.name.clone()),
        };
        self.frames.push(Frame {
            image_id: image.id,
            file,
            src: src.clone(),
            lines: Shared::new(parsed.lines),
            labels: Shared::new(labels),
            next: 0,
            line_numbers: Shared::new(numbers),
            current_line: 0,
        });
        let result = self.run_frame();
        self.frames.pop();
        result
    }

    fn frame(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("a script is running")
    }

    fn run_frame(&mut self) -> Flow<Rc> {
        let mut rc: Rc = Ok(());
        loop {
            let (lines, idx) = {
                let f = self.frame();
                (f.lines.clone(), f.next)
            };
            let Some(line) = lines.get(idx) else { break };
            {
                let f = self.frame();
                f.next = idx + 1;
                f.current_line = f.line_numbers[idx];
            }
            self.step()?;
            if line.eof_in_continuation {
                // The pending line is never run (`process_script`).
                rc = Err(Status::err(Posix::Einval, ErrFile::Script));
                break;
            }
            rc = self.system_line(line)?;
            match self.stop {
                Stop::Sequence => {
                    self.stop = Stop::None;
                    break;
                }
                Stop::Command => self.stop = Stop::None,
                Stop::None => {}
            }
            if rc.is_err() {
                break;
            }
        }
        Ok(rc)
    }

    /// `system()` on one logical line.
    fn system_line(&mut self, line: &Line) -> Flow<Rc> {
        let mut rc: Rc = Ok(());
        for cmd in &line.commands {
            let run = match cmd.connector.map(|(c, _)| c) {
                None | Some(Connector::Seq) => true,
                Some(Connector::Or) => rc.is_err(),
                Some(Connector::And) => rc.is_ok(),
            };
            if run {
                rc = self.exec_words(&cmd.words)?;
            }
            if self.stop != Stop::None {
                break;
            }
        }
        Ok(rc)
    }

    /// Expands one word with the port of `expand_settings`.
    pub fn expand_word(&mut self, raw: &[u8]) -> Flow<String> {
        let budget = ExpandBudget {
            max_steps: self.cfg.limits.expansion_steps,
            max_len: self.cfg.limits.expansion_len,
        };
        let settings = &mut self.settings;
        let out = expand(raw, budget, |name| {
            settings
                .expand_lookup(&String::from_utf8_lossy(name))
                .map(String::into_bytes)
        });
        match out {
            Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
            Err(ExpandLimit::Steps) => Err(self.limit(
                "expansion",
                format!(
                    "{} substitutions in one word",
                    self.cfg.limits.expansion_steps
                ),
            )),
            Err(ExpandLimit::Length) => Err(self.limit(
                "expansion length",
                format!("{} bytes", self.cfg.limits.expansion_len),
            )),
        }
    }

    fn exec_words(&mut self, words: &[Word]) -> Flow<Rc> {
        if words.is_empty() {
            return Ok(Ok(()));
        }
        self.step()?;
        let src = self.frame().src.clone();
        let mut argv = Vec::with_capacity(words.len());
        for w in words {
            argv.push(self.expand_word(w.text(&src))?);
        }
        let rc = self.execv(&argv)?;
        let (file, line) = self
            .frames
            .last()
            .map(|f| (f.file.clone(), f.current_line))
            .unwrap_or_default();
        let status = match rc {
            Ok(()) => 0,
            Err(s) => s.number(self.cfg.platform),
        };
        if self.trace.len() < 100_000 {
            self.trace.push(TraceEntry {
                file,
                line,
                command: argv.join(" "),
                status,
            });
        }
        if status != 0 {
            self.set_errno(status);
        }
        Ok(rc)
    }

    /// Whether the configured build links this command.
    pub fn has_command(&self, cmd: &CatCommand) -> bool {
        if cmd.always_present {
            return true;
        }
        if self.head {
            return self.profile.has_command(cmd);
        }
        let default = cmd.old_default_in(self.cfg.platform, &self.cfg.arch);
        match &cmd.macro_name {
            Some(m) => self.profile.overrides.get(m).copied().unwrap_or(default),
            None => default,
        }
    }

    /// `execv`: find the command and run it.
    pub fn execv(&mut self, argv: &[String]) -> Flow<Rc> {
        let name = argv[0].as_str();
        let catalog = Catalog::get();
        let found = catalog.command(name).filter(|c| self.has_command(c));
        let Some(cmd) = found else {
            self.print(&format!("{name}: command not found\n"))?;
            return Ok(Err(Status::err(Posix::Enoexec, ErrFile::Exec)));
        };
        crate::commands::dispatch(self, cmd, argv)
    }

    /// Registers an image (`register_image`), enforcing the memory bound.
    pub fn register(&mut self, mut image: Image) -> Flow<u64> {
        let total: usize =
            self.images.iter().map(|i| i.data.len()).sum::<usize>() + image.data.len();
        if total > self.cfg.limits.image_memory {
            return Err(self.limit(
                "image memory",
                format!("{} bytes", self.cfg.limits.image_memory),
            ));
        }
        if self.images.iter().any(|i| i.selected) {
            image.selected = false;
        }
        let id = image.id;
        self.images.push(image);
        Ok(id)
    }

    pub fn new_image_id(&mut self) -> u64 {
        self.next_image_id += 1;
        self.next_image_id
    }

    /// Records a virtual wait.
    pub fn wait_ms(&mut self, ms: u64) {
        self.clock_ms = self.clock_ms.saturating_add(ms);
    }

    /// The line being run in the innermost script (0 before any).
    pub fn current_line(&self) -> usize {
        self.frames.last().map_or(0, |f| f.current_line)
    }

    pub fn note(&mut self, text: String) {
        if self.notes.len() < 1000 {
            self.notes.push(text);
        }
    }
}

fn parse_mac(text: &str) -> Vec<u8> {
    text.split([':', '-'])
        .filter_map(|p| u8::from_str_radix(p, 16).ok())
        .collect()
}
