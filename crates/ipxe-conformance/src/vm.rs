//! One QEMU run of a case.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use ipxe_sim::MockNet;
use serde::Serialize;

use crate::case::Case;
use crate::server::{Logged, Server};

/// What real iPXE did.
#[derive(Debug, Serialize)]
pub struct Trace {
    pub case: String,
    pub ipxe: &'static str,
    /// iPXE returned to the BIOS (the script ended); false = still running at the timeout.
    pub ended: bool,
    /// QEMU itself exited (a `reboot` with `-no-reboot`).
    pub vm_exited: bool,
    pub requests: Vec<Logged>,
    /// The 80×25 text screen at the end, one string per row, trailing spaces trimmed.
    pub screen: Vec<String>,
    pub keys_sent: Vec<String>,
    pub seconds: f64,
}

struct Monitor {
    stream: UnixStream,
}

impl Monitor {
    fn connect(path: &Path) -> Result<Monitor> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match UnixStream::connect(path) {
                Ok(stream) => {
                    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
                    let mut m = Monitor { stream };
                    m.read_prompt()?;
                    return Ok(m);
                }
                Err(_) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50))
                }
                Err(e) => return Err(e).context("connecting to the QEMU monitor"),
            }
        }
    }

    fn read_prompt(&mut self) -> Result<String> {
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        while !out.ends_with(b"(qemu) ") {
            let n = self
                .stream
                .read(&mut buf)
                .context("reading the QEMU monitor")?;
            if n == 0 {
                bail!("QEMU monitor closed");
            }
            out.extend_from_slice(&buf[..n]);
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn command(&mut self, cmd: &str) -> Result<String> {
        self.stream.write_all(format!("{cmd}\n").as_bytes())?;
        self.read_prompt()
    }
}

fn read_screen(mon: &mut Monitor, file: &Path) -> Result<Vec<String>> {
    mon.command(&format!("pmemsave 0xb8000 4000 \"{}\"", file.display()))?;
    let data = std::fs::read(file).context("reading the screen dump")?;
    Ok(data
        .chunks(160)
        .take(25)
        .map(|row| {
            let text: String = row.iter().step_by(2).map(|&b| cp437(b)).collect();
            text.trim_end().to_string()
        })
        .collect())
}

fn cp437(b: u8) -> char {
    if (0x20..0x7f).contains(&b) {
        b as char
    } else if b == 0 {
        ' '
    } else {
        '?'
    }
}

fn ended(debug: &Path) -> bool {
    std::fs::read(debug)
        .map(|d| d.windows(16).any(|w| w == b"enter handle_18:"))
        .unwrap_or(false)
}

pub fn record(case: &Case, lkrn: &Path, net: &MockNet, timeout: u64) -> Result<Trace> {
    let server = Server::start(net.clone())?;
    let tmp = std::env::temp_dir().join(format!(
        "ipxe-conformance-{}-{}",
        std::process::id(),
        case.name
    ));
    std::fs::create_dir_all(&tmp)?;
    let mon_path = tmp.join("monitor.sock");
    let debug = tmp.join("debugcon.txt");
    let screen_file = tmp.join("screen.bin");
    let _ = std::fs::remove_file(&mon_path);
    let _ = std::fs::remove_file(&debug);
    let start = Instant::now();
    let mut child: Child = Command::new("qemu-system-x86_64")
        .args([
            "-accel",
            "tcg",
            "-m",
            "256",
            "-display",
            "none",
            "-vga",
            "std",
            "-no-reboot",
        ])
        .arg("-kernel")
        .arg(lkrn)
        .arg("-initrd")
        .arg(&case.path)
        .args(["-device", "e1000,netdev=n0,romfile="])
        .arg("-netdev")
        .arg(format!(
            "user,id=n0,restrict=on,guestfwd=tcp:10.0.2.100:80-cmd:nc 127.0.0.1 {}",
            server.port
        ))
        .arg("-monitor")
        .arg(format!("unix:{},server,nowait", mon_path.display()))
        .arg("-debugcon")
        .arg(format!("file:{}", debug.display()))
        .args(["-global", "isa-debugcon.iobase=0x402"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting qemu-system-x86_64")?;
    let result = drive(
        case,
        &mut child,
        &mon_path,
        &debug,
        &screen_file,
        timeout,
        &server,
    );
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&tmp);
    let (ended, vm_exited, screen, keys_sent) = result?;
    let requests = server.log.lock().map(|l| l.clone()).unwrap_or_default();
    Ok(Trace {
        case: case.name.clone(),
        ipxe: "Debian ipxe 1.0.0+git-20190125.36a4c85-5.1 ipxe.lkrn",
        ended,
        vm_exited,
        requests,
        screen,
        keys_sent,
        seconds: start.elapsed().as_secs_f64(),
    })
}

type Outcome = (bool, bool, Vec<String>, Vec<String>);

fn drive(
    case: &Case,
    child: &mut Child,
    mon_path: &Path,
    debug: &Path,
    screen_file: &Path,
    timeout: u64,
    _server: &Server,
) -> Result<Outcome> {
    let mut mon = Monitor::connect(mon_path)?;
    let deadline = Instant::now() + Duration::from_secs(timeout);
    let mut keys: Vec<String> = case.directives.keys.clone();
    let wait_for = case
        .directives
        .wait
        .clone()
        .unwrap_or_else(|| "Features:".into());
    let mut sent = Vec::new();
    let mut screen = Vec::new();
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return Ok((true, true, screen, sent));
        }
        if ended(debug) {
            mon.command("stop")?;
            screen = read_screen(&mut mon, screen_file)?;
            return Ok((true, false, screen, sent));
        }
        if Instant::now() > deadline {
            mon.command("stop")?;
            screen = read_screen(&mut mon, screen_file)?;
            return Ok((false, false, screen, sent));
        }
        if !keys.is_empty() {
            screen = read_screen(&mut mon, screen_file)?;
            if screen.iter().any(|r| r.contains(&wait_for)) {
                // Give the command a moment to start reading keys.
                std::thread::sleep(Duration::from_millis(700));
                for k in keys.drain(..) {
                    let q = ipxe_sim::keys::qemu_sendkey(&k)
                        .with_context(|| format!("key `{k}` has no QEMU sendkey name"))?;
                    mon.command(&format!("sendkey {q}"))?;
                    sent.push(k);
                    std::thread::sleep(Duration::from_millis(400));
                }
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}
