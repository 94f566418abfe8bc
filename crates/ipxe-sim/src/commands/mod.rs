//! Command implementations, one module per iPXE command family. Each parses
//! its (expanded) argv with the catalogue's option table, then acts on the
//! machine, printing what iPXE prints.

mod core;
mod image;
mod menu;
mod misc;
mod net;
mod settings;

pub use image::image_exec;
pub use net::{configure_net0, net0_has_address, no_address_hint};

use ipxe_catalog::{Command, OptionSpec};

use crate::engine::{Flow, Machine, Rc};
use crate::errno::Status;
use crate::getopt::{self, Parsed};

/// Options as the command sees them after parsing.
pub struct Opts {
    pub values: Vec<(String, Option<String>)>,
    pub args: Vec<String>,
}

impl Opts {
    pub fn has(&self, long: &str) -> bool {
        self.values.iter().any(|(l, _)| l == long)
    }

    /// The last value given for an option (getopt overwrites earlier ones).
    pub fn value(&self, long: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(l, _)| l == long)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// Parses options, printing messages; `Ok(Err(status))` when parsing failed.
/// Integer, timeout and key options are checked while parsing, as iPXE does.
pub fn parse(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Result<Opts, Status>> {
    let mut out = String::new();
    let head = m.head;
    let result = getopt::parse_options(
        cmd,
        argv,
        head,
        &mut out,
        |spec: &OptionSpec, value, out| {
            use ipxe_catalog::ValueKind as K;
            match (spec.kind, value) {
                (K::Integer | K::Timeout | K::Drive, Some(v)) => {
                    getopt::parse_integer(v, head, out).map(|_| ())
                }
                (K::Key, Some(v)) => getopt::parse_key(v, head, out).map(|_| ()),
                _ => Ok(()),
            }
        },
    );
    m.print(&out)?;
    Ok(result.map(|Parsed { options, args }| Opts {
        values: options
            .into_iter()
            .map(|(o, v)| (o.long.clone(), v))
            .collect(),
        args,
    }))
}

/// Like `?` for a command's own status inside `Flow<Rc>`.
macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(status) => return Ok(Err(status)),
        }
    };
}
pub(crate) use tri;

pub fn dispatch(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    match cmd.name.as_str() {
        "echo" => core::echo(m, cmd, argv),
        "exit" => core::exit(m, cmd, argv),
        "isset" => core::isset(m, cmd, argv),
        "iseq" => core::iseq(m, cmd, argv),
        "sleep" => core::sleep(m, cmd, argv),
        "goto" => core::goto(m, cmd, argv),
        "prompt" => core::prompt(m, cmd, argv),
        "shell" => core::shell(m, cmd, argv),
        "help" => core::help(m, cmd, argv),
        "set" => settings::set(m, cmd, argv),
        "clear" => settings::clear(m, cmd, argv),
        "inc" => settings::inc(m, cmd, argv),
        "show" => settings::show(m, cmd, argv),
        "read" => settings::read(m, cmd, argv),
        "imgfetch" | "module" | "initrd" => image::fetch(m, cmd, argv),
        "kernel" | "imgselect" | "imgload" => image::select(m, cmd, argv),
        "chain" | "imgexec" | "boot" => image::exec(m, cmd, argv),
        "imgargs" => image::args(m, cmd, argv),
        "imgstat" => image::stat(m, cmd, argv),
        "imgfree" => image::free(m, cmd, argv),
        "menu" => menu::menu(m, cmd, argv),
        "item" => menu::item(m, cmd, argv),
        "choose" => menu::choose(m, cmd, argv),
        "dhcp" | "ifconf" => net::dhcp(m, cmd, argv),
        "ifopen" => net::ifopen(m, cmd, argv),
        "ifclose" => net::ifclose(m, cmd, argv),
        "ifstat" => net::ifstat(m, cmd, argv),
        "cpuid" => misc::cpuid(m, cmd, argv),
        "sanboot" | "sanhook" | "sanunhook" => misc::sanboot(m, cmd, argv),
        "login" => misc::login(m, cmd, argv),
        "reboot" => misc::reboot(m, cmd, argv),
        "poweroff" => misc::poweroff(m, cmd, argv),
        "params" => misc::params(m, cmd, argv),
        "param" => misc::param(m, cmd, argv),
        _ => misc::unsimulated(m, cmd, argv),
    }
}
