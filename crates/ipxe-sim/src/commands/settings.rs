//! `set clear inc show read` (`src/hci/commands/nvo_cmd.c`).

use ipxe_catalog::Command;

use super::{parse, tri};
use crate::engine::{Flow, Machine, Rc};
use crate::errno::{ErrFile, Posix, Status};
use crate::getopt::parse_integer;
use crate::keys;
use crate::settings::{NameError, SettingName, SettingType};

/// `parse_autovivified_setting` / `parse_existing_setting`.
fn setting_name(m: &mut Machine, text: &str, create: bool) -> Flow<Result<SettingName, Status>> {
    match m.settings.parse_name(text, create) {
        Ok(n) => Ok(Ok(n)),
        Err(e) => {
            m.print(&format!("\"{text}\": invalid setting\n"))?;
            Ok(Err(match e {
                NameError::NoBlock => Status::err(Posix::Enodev, ErrFile::Settings),
                NameError::BadType => Status::err(Posix::Enotsup, ErrFile::Settings),
            }))
        }
    }
}

fn store(m: &mut Machine, name: &SettingName, value: &str) -> Flow<Rc> {
    if let Err(status) = m.settings.store_text(name, value) {
        let msg = format!(
            "Could not store \"{}\": {}\n",
            name.name,
            m.strerror(status)
        );
        m.print(&msg)?;
        return Ok(Err(status));
    }
    if m.settings.count > m.cfg.limits.settings {
        return Err(m.limit(
            "settings",
            format!("{} stored values", m.cfg.limits.settings),
        ));
    }
    Ok(Ok(()))
}

pub fn set(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let name = tri!(setting_name(m, &o.args[0], true)?);
    let value = o.args[1..].join(" ");
    store(m, &name, &value)
}

pub fn clear(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let name = tri!(setting_name(m, &o.args[0], true)?);
    store(m, &name, "")
}

pub fn inc(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let name = tri!(setting_name(m, &o.args[0], false)?);
    let mut increment = 1u64;
    if let Some(text) = o.args.get(1) {
        let mut out = String::new();
        let r = parse_integer(text, m.head, &mut out);
        m.print(&out)?;
        increment = tri!(r);
    }
    // fetchn_setting: the stored type decides unless one was given.
    let fetched = m.settings.fetch(&name).map(|(_, v)| (v.ty, v.raw.clone()));
    let (ty, value) = match fetched {
        Some((stored_ty, raw)) => {
            let ty = name.declared_type().unwrap_or(stored_ty);
            match ty {
                SettingType::Int { signed, .. } => {
                    (ty, crate::settings::numeric_value(&raw, signed))
                }
                _ => (ty, 0),
            }
        }
        None => (
            name.declared_type().unwrap_or(SettingType::Int {
                bits: 32,
                signed: true,
            }),
            0,
        ),
    };
    let value = value.wrapping_add(increment) & 0xffff_ffff;
    let Some(raw) = ty.int_raw(value) else {
        let status = Status::err(Posix::Enotsup, ErrFile::Settings);
        let msg = format!(
            "Could not store \"{}\": {}\n",
            name.name,
            m.strerror(status)
        );
        m.print(&msg)?;
        return Ok(Err(status));
    };
    m.settings.store_raw(name.block, &name.name, ty, raw);
    Ok(Ok(()))
}

pub fn show(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let name = tri!(setting_name(m, &o.args[0], false)?);
    match m.settings.fetch_formatted(&name) {
        Some((origin, ty, value)) => {
            let full = m.settings.full_name(origin, &name.name, ty);
            let line = if o.has("quiet") {
                format!("{value}\n")
            } else {
                format!("{full} = {value}\n")
            };
            m.print(&line)?;
            Ok(Ok(()))
        }
        None => {
            let status = Status::err(Posix::Enoent, ErrFile::Settings);
            let msg = format!("Could not find \"{}\": {}\n", name.name, m.strerror(status));
            m.print(&msg)?;
            Ok(Err(status))
        }
    }
}

pub fn read(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let name = tri!(setting_name(m, &o.args[0], true)?);
    let mut value = m
        .settings
        .fetch_formatted(&name)
        .map(|(_, _, v)| v)
        .unwrap_or_default();
    m.print(&value)?;
    if m.keys.is_empty() {
        m.note(format!(
            "read {} waits for input and no keys were given: pressed Enter",
            name.name
        ));
    }
    loop {
        let Some(k) = m.keys.pop_front() else { break };
        match k.0 {
            keys::CR | keys::LF => break,
            keys::CTRL_C | keys::ESC => {
                m.print("\n")?;
                return Ok(Err(Status::err(Posix::Ecanceled, ErrFile::Readline)));
            }
            keys::BACKSPACE => {
                if value.pop().is_some() {
                    m.print("\x08 \x08")?;
                }
            }
            c if (0x20..0x7f).contains(&c) => {
                let ch = char::from(c as u8);
                value.push(ch);
                m.print(&ch.to_string())?;
            }
            _ => {}
        }
    }
    m.print("\n")?;
    store(m, &name, &value)
}
