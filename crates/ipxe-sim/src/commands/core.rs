//! Always-present commands: `echo exit isset iseq sleep goto prompt shell help`
//! (`src/core/exec.c`, `src/image/script.c`, `src/hci/shell.c`).

use ipxe_catalog::{Catalog, Command};

use super::{parse, tri};
use crate::engine::{Flow, Halt, Machine, Rc, Stop};
use crate::errno::{ErrFile, Posix, Status};
use crate::getopt::{parse_integer, parse_key};

pub fn echo(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let text = o.args.join(" ");
    let nl = if o.has("n") { "" } else { "\n" };
    m.print(&format!("{text}{nl}"))?;
    Ok(Ok(()))
}

pub fn exit(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let mut code = 0;
    if let Some(a) = o.args.first() {
        let mut out = String::new();
        let r = parse_integer(a, m.head, &mut out);
        m.print(&out)?;
        code = tri!(r) as u32;
    }
    m.stop = Stop::Sequence;
    Ok(if code == 0 {
        Ok(())
    } else {
        Err(Status::Exit(code))
    })
}

pub fn isset(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    Ok(if o.args[0].is_empty() {
        Err(Status::err(Posix::Enoent, ErrFile::Exec))
    } else {
        Ok(())
    })
}

pub fn iseq(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    Ok(if o.args[0] == o.args[1] {
        Ok(())
    } else {
        Err(Status::err(Posix::Erange, ErrFile::Exec))
    })
}

pub fn sleep(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let mut out = String::new();
    let r = parse_integer(&o.args[0], m.head, &mut out);
    m.print(&out)?;
    let secs = tri!(r);
    // Virtual time: never really wait.
    m.wait_ms(secs.saturating_mul(1000));
    Ok(Ok(()))
}

pub fn goto(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let target = o.args[0].as_bytes();
    let Some(frame) = m.frames.last_mut() else {
        let status = Status::err(Posix::Enotty, ErrFile::Script);
        let msg = format!("Not in a script: {}\n", m.strerror(status));
        m.print(&msg)?;
        return Ok(Err(status));
    };
    // iPXE searches from the top and the first matching label wins; the
    // search stops with EINVAL at a line the file ends inside of (only ever
    // the last line), before looking at its label.
    let found = frame.labels.get(target).copied();
    let unterminated = frame.lines.last().is_some_and(|l| l.eof_in_continuation);
    match found {
        Some(i) if !(unterminated && i + 1 == frame.lines.len()) => {
            frame.next = i;
            m.stop = Stop::Command;
            Ok(Ok(()))
        }
        _ if unterminated => Ok(Err(Status::err(Posix::Einval, ErrFile::Script))),
        _ => Ok(Err(Status::err(Posix::Enoent, ErrFile::Script))),
    }
}

pub fn prompt(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let mut out = String::new();
    let want = match o.value("key") {
        Some(k) => tri!(parse_key(k, m.head, &mut out)),
        None => 0,
    };
    let timeout = match o.value("timeout") {
        Some(t) => tri!(parse_integer(t, m.head, &mut out)),
        None => 0,
    };
    let text = o.args.join(" ");
    m.print(&text)?;
    let pressed = match m.keys.pop_front() {
        Some(k) => Some(k.0),
        None if timeout > 0 => {
            m.wait_ms(timeout);
            None
        }
        None => {
            m.note(format!(
                "prompt \"{text}\" waits for a key and none was given: pressed Enter"
            ));
            Some(crate::keys::CR)
        }
    };
    let erase = "\x08 \x08".repeat(text.len());
    m.print(&erase)?;
    m.console.trim_erased();
    Ok(match pressed {
        None => Err(Status::err(Posix::Etimedout, ErrFile::Prompt)),
        Some(k) if want != 0 && k != want => Err(Status::err(Posix::Ecanceled, ErrFile::Prompt)),
        Some(_) => Ok(()),
    })
}

pub fn shell(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let _ = tri!(parse(m, cmd, argv)?);
    Err(Halt::Shell)
}

pub fn help(m: &mut Machine, _cmd: &Command, _argv: &[String]) -> Flow<Rc> {
    let names: Vec<String> = Catalog::get()
        .commands
        .iter()
        .filter(|c| m.has_command(c))
        .map(|c| c.name.clone())
        .collect();
    m.print(&format!(
        "\nAvailable commands:\n\n {}\n\nType \"<command> --help\" for further information\n\n",
        names.join(" ")
    ))?;
    Ok(Ok(()))
}
