//! A DHCP server process inside the server namespace, and how to start
//! dnsmasq and ISC dhcpd there.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::command::{remaining, run_bounded, run_bounded_with_stderr};
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

/// A DHCP server process in the server namespace; stopped by PID (and its
/// files removed) on drop.
pub(crate) struct ServerProcess {
    name: &'static str,
    child: Option<Child>,
    log: Arc<Mutex<Vec<String>>>,
    reader: Option<JoinHandle<()>>,
    dir: PathBuf,
}

/// How to start one server: its program, its files (written into a fresh
/// private directory), its arguments (`{dir}` stands for that directory),
/// and the log text that says it is serving.
pub(crate) struct ServerSpec<'a> {
    pub name: &'static str,
    pub program: &'a str,
    pub files: Vec<(&'a str, &'a str)>,
    pub args: Vec<String>,
    pub ready_marker: &'a str,
}

impl ServerProcess {
    /// Starts the server under `ip netns exec` (which execs it, so the
    /// child's PID is the server's) with stderr as its log, and waits until
    /// it logs `ready_marker`.
    pub(crate) fn start(
        ns: &NetnsPair,
        spec: ServerSpec,
        deadline: Instant,
    ) -> Result<ServerProcess> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        remove_orphan_dirs();
        let dir = std::env::temp_dir().join(format!(
            "ipxe-dhcp-wire-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)
            .or_else(|e| fail(format!("creating {}: {e}", dir.display())))?;
        for (file, content) in &spec.files {
            let path = dir.join(file);
            if let Err(e) = std::fs::write(&path, content) {
                let _ = std::fs::remove_dir_all(&dir);
                return fail(format!("writing {}: {e}", path.display()));
            }
        }
        let dir_text = dir.display().to_string();
        let mut command = Command::new("ip");
        command
            .args(["netns", "exec", &ns.server, spec.program])
            .args(spec.args.iter().map(|a| a.replace("{dir}", &dir_text)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        // If this process dies before its guards run, the server dies too
        // (the signal survives exec; servers here never change uid).
        // SAFETY: prctl is async-signal-safe and touches no shared state.
        unsafe {
            command.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let spawned = command.spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return fail(format!("cannot start {}: {e}", spec.name));
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
        let mut server = ServerProcess {
            name: spec.name,
            child: Some(child),
            log,
            reader: Some(reader),
            dir,
        };
        server
            .wait_ready(spec.ready_marker, deadline)
            .map_err(|e| super::HarnessError(format!("{e}\n(in namespace {})", ns.server)))?;
        Ok(server)
    }

    fn wait_ready(&mut self, marker: &str, deadline: Instant) -> Result<()> {
        let ready_by =
            Instant::now() + Duration::from_secs(10).min(remaining(deadline, "server start")?);
        loop {
            if self.lines().iter().any(|l| l.contains(marker)) {
                return Ok(());
            }
            if let Some(status) = self.exited() {
                // Let the reader catch the last words.
                std::thread::sleep(Duration::from_millis(50));
                return fail(format!(
                    "{} exited ({status}) before serving DHCP:\n{}",
                    self.name,
                    self.lines().join("\n")
                ));
            }
            if Instant::now() >= ready_by {
                return fail(format!(
                    "{} did not report a DHCP service in time:\n{}",
                    self.name,
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

    /// Stops the server (SIGTERM, then SIGKILL after a second) and returns
    /// all it logged.
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

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.terminate();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Removes the private directories of runs whose process was killed before
/// its guards ran (named `ipxe-dhcp-wire-<pid>-<n>`, pid gone).
fn remove_orphan_dirs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("ipxe-dhcp-wire-")
            .and_then(|rest| rest.split('-').next())
        else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// dnsmasq bound to the server side's interface, DHCP only (`--port=0`),
/// logging every DHCP decision to stderr; ready once it says "DHCP, IP
/// range …" or "DHCP, proxy on subnet …".
pub(crate) fn dnsmasq<'a>(ns: &NetnsPair, config: &'a str) -> ServerSpec<'a> {
    ServerSpec {
        name: "dnsmasq",
        program: "dnsmasq",
        files: vec![("dnsmasq.conf", config)],
        args: [
            "--no-daemon",
            "--conf-file={dir}/dnsmasq.conf",
            "--dhcp-leasefile={dir}/leases",
            "--pid-file={dir}/dnsmasq.pid",
            "--port=0",
            "--log-dhcp",
            "--log-facility=-",
            "--bind-interfaces",
            "--no-ping",
            "--user=root",
            "--group=root",
        ]
        .into_iter()
        .map(String::from)
        .chain([format!("--interface={}", ns.server_if)])
        .collect(),
        ready_marker: "DHCP, ",
    }
}

/// "isc-dhcpd-4.4.3-P1" from `dhcpd --version`.
pub fn dhcpd_version() -> Result<String> {
    // dhcpd prints its version on stderr.
    let (stdout, stderr) =
        run_bounded_with_stderr("dhcpd", &["--version"], Duration::from_secs(5))?;
    let text = stderr + &stdout;
    match text.split_whitespace().next() {
        Some(version) if version.starts_with("isc-dhcpd") => Ok(version.to_owned()),
        _ => fail(format!("unexpected `dhcpd --version` output: {text}")),
    }
}

/// ISC dhcpd in the foreground (`-d` logs to stderr), IPv4, on the server
/// side's interface, with a fresh lease file; ready once it says "Server
/// starting service.".
pub(crate) fn dhcpd<'a>(ns: &NetnsPair, config: &'a str) -> ServerSpec<'a> {
    ServerSpec {
        name: "dhcpd",
        program: "dhcpd",
        files: vec![("dhcpd.conf", config), ("dhcpd.leases", "")],
        args: [
            "-d",
            "-4",
            "-cf",
            "{dir}/dhcpd.conf",
            "-lf",
            "{dir}/dhcpd.leases",
            "-pf",
            "{dir}/dhcpd.pid",
        ]
        .into_iter()
        .map(String::from)
        .chain([ns.server_if.clone()])
        .collect(),
        ready_marker: "Server starting service",
    }
}
