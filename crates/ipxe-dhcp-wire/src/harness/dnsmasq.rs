//! A dnsmasq process inside the server namespace.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::command::{remaining, run_bounded};
use super::netns::NetnsPair;
use super::{Result, fail};

/// "2.90" from `dnsmasq --version`.
pub fn dnsmasq_version() -> Result<String> {
    let out = run_bounded("dnsmasq", &["--version"], Duration::from_secs(5))?;
    let first = out.lines().next().unwrap_or_default();
    match first.strip_prefix("Dnsmasq version ") {
        Some(rest) => Ok(rest
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_owned()),
        None => fail(format!("unexpected `dnsmasq --version` output: {first}")),
    }
}

/// A running dnsmasq; stopped by PID (and its files removed) on drop.
pub(crate) struct Dnsmasq {
    child: Option<Child>,
    log: Arc<Mutex<Vec<String>>>,
    reader: Option<JoinHandle<()>>,
    dir: PathBuf,
}

impl Dnsmasq {
    /// Starts dnsmasq bound to the server side's interface, DHCP only
    /// (`--port=0`), logging every DHCP decision to stderr, and waits until
    /// it says its DHCP service is up.
    pub(crate) fn start(ns: &NetnsPair, config: &str, deadline: Instant) -> Result<Dnsmasq> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "ipxe-dhcp-wire-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)
            .or_else(|e| fail(format!("creating {}: {e}", dir.display())))?;
        let conf = dir.join("dnsmasq.conf");
        std::fs::write(&conf, config)
            .or_else(|e| fail(format!("writing {}: {e}", conf.display())))?;
        let arg = |name: &str, file: &str| format!("--{name}={}", dir.join(file).display());
        let spawned = Command::new("ip")
            .args(["netns", "exec", &ns.server, "dnsmasq", "--no-daemon"])
            .arg(format!("--conf-file={}", conf.display()))
            .arg(arg("dhcp-leasefile", "leases"))
            .arg(arg("pid-file", "dnsmasq.pid"))
            .args([
                "--port=0",
                "--log-dhcp",
                "--log-facility=-",
                "--bind-interfaces",
                "--no-ping",
                "--user=root",
                "--group=root",
            ])
            .arg(format!("--interface={}", ns.server_if))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return fail(format!("cannot start dnsmasq: {e}"));
            }
        };
        let log = Arc::new(Mutex::new(Vec::new()));
        let stderr = child.stderr.take().expect("stderr is piped");
        let sink = Arc::clone(&log);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                sink.lock().expect("log lock").push(line);
            }
        });
        let mut server = Dnsmasq {
            child: Some(child),
            log,
            reader: Some(reader),
            dir,
        };
        server
            .wait_ready(deadline)
            .map_err(|e| super::HarnessError(format!("{e}\n(in namespace {})", ns.server)))?;
        Ok(server)
    }

    fn wait_ready(&mut self, deadline: Instant) -> Result<()> {
        let ready_by =
            Instant::now() + Duration::from_secs(10).min(remaining(deadline, "dnsmasq start")?);
        loop {
            // "DHCP, IP range …" or "DHCP, proxy on subnet …" come once the
            // DHCP socket is open.
            if self.lines().iter().any(|l| l.contains("DHCP, ")) {
                return Ok(());
            }
            if let Some(status) = self.exited() {
                // Let the reader catch the last words.
                std::thread::sleep(Duration::from_millis(50));
                return fail(format!(
                    "dnsmasq exited ({status}) before serving DHCP:\n{}",
                    self.lines().join("\n")
                ));
            }
            if Instant::now() >= ready_by {
                return fail(format!(
                    "dnsmasq did not report a DHCP service in time:\n{}",
                    self.lines().join("\n")
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn lines(&self) -> Vec<String> {
        self.log.lock().expect("log lock").clone()
    }

    fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.as_mut()?.try_wait().ok().flatten()
    }

    /// Stops dnsmasq (SIGTERM, then SIGKILL after a second) and returns all
    /// it logged.
    pub(crate) fn stop(mut self) -> Vec<String> {
        self.terminate();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.lines()
    }

    fn terminate(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        // `ip netns exec` execs dnsmasq, so the child's PID is dnsmasq's.
        let pid = child.id() as libc::pid_t;
        // SAFETY: signalling a PID we spawned and have not yet reaped.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let until = Instant::now() + Duration::from_secs(1);
        loop {
            match child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if Instant::now() < until => std::thread::sleep(Duration::from_millis(10)),
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
            }
        }
    }
}

impl Drop for Dnsmasq {
    fn drop(&mut self) {
        self.terminate();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
