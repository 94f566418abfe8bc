//! `cpuid sanboot login reboot poweroff params param`, and the catch-all for
//! commands whose effect is outside what a dry run can model.

use ipxe_catalog::Command;

use super::{parse, tri};
use crate::engine::{Flow, Halt, Machine, ParamList, Rc};
use crate::errno::{ErrFile, Posix, Status};
use crate::getopt::parse_integer;
use crate::keys;
use crate::report::{Boot, BootImage};

pub fn cpuid(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let mut out = String::new();
    let bit = tri!(parse_integer(&o.args[0], m.head, &mut out));
    let leaf = (o.has("ext") as u8) * 2 + o.has("ecx") as u8;
    let set = bit < 32 && m.cfg.cpuid.contains(&(leaf, bit as u8));
    Ok(if set {
        Ok(())
    } else {
        Err(Status::err(Posix::Enoent, ErrFile::Exec))
    })
}

pub fn sanboot(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    if cmd.name != "sanboot" {
        m.note(format!("{} is not simulated: treated as success", cmd.name));
        return Ok(Ok(()));
    }
    let drive = o.value("drive").unwrap_or("0x80").to_string();
    let name = o
        .args
        .first()
        .cloned()
        .unwrap_or_else(|| format!("drive {drive}"));
    Err(Halt::Boot(Box::new(Boot {
        kind: "sanboot".into(),
        kernel: BootImage {
            name,
            url: o.args.first().cloned(),
            cmdline: None,
        },
        initrds: Vec::new(),
        explanation: None,
    })))
}

/// Reads one line of typed keys; `None` when cancelled.
fn typed_line(m: &mut Machine) -> Option<String> {
    let mut s = String::new();
    while let Some(k) = m.keys.pop_front() {
        match k.0 {
            keys::CR | keys::LF => return Some(s),
            keys::ESC | keys::CTRL_C => return None,
            keys::BACKSPACE => {
                s.pop();
            }
            c if (0x20..0x7f).contains(&c) => s.push(char::from(c as u8)),
            _ => {}
        }
    }
    Some(s)
}

pub fn login(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let _ = tri!(parse(m, cmd, argv)?);
    if m.keys.is_empty() {
        m.note("login has no keys: empty username and password".into());
    }
    let (Some(user), Some(pass)) = (typed_line(m), typed_line(m)) else {
        let status = Status::err(Posix::Ecanceled, ErrFile::LoginUi);
        let msg = format!("Could not set credentials: {}\n", m.strerror(status));
        m.print(&msg)?;
        return Ok(Err(status));
    };
    for (name, value) in [("username", user), ("password", pass)] {
        if let Ok(n) = m.settings.parse_name(name, true) {
            let _ = m.settings.store_text(&n, &value);
        }
    }
    Ok(Ok(()))
}

pub fn reboot(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let _ = tri!(parse(m, cmd, argv)?);
    Err(Halt::Reboot)
}

pub fn poweroff(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let _ = tri!(parse(m, cmd, argv)?);
    Err(Halt::Poweroff)
}

pub fn params(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let name = o.value("name").map(str::to_string);
    m.param_lists.retain(|p| p.name != name);
    if !o.has("delete") {
        m.param_lists.push(ParamList {
            name,
            params: Vec::new(),
        });
    }
    Ok(Ok(()))
}

pub fn param(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let list = o.value("params").map(str::to_string);
    let Some(p) = m.param_lists.iter_mut().find(|p| p.name == list) else {
        let msg = match &list {
            Some(n) => format!("\"{n}\": no such parameter list\n"),
            None => "No default parameter list\n".to_string(),
        };
        m.print(&msg)?;
        return Ok(Err(Status::err(Posix::Enoent, ErrFile::Parseopt)));
    };
    p.params.push((o.args[0].clone(), o.args[1..].join(" ")));
    Ok(Ok(()))
}

pub fn unsimulated(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let _ = tri!(parse(m, cmd, argv)?);
    m.note(format!("{} is not simulated: treated as success", cmd.name));
    Ok(Ok(()))
}
