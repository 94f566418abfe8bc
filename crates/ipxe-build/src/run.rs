//! Carrying out a [`Plan`]: host checks, the build copy, make, outputs, manifest.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use ipxe_catalog::Platform;
use serde_json::json;

use crate::sync::write_if_changed;
use crate::{BuildError, MANIFEST_NAME, Plan, VERSION, sha256_hex, sync_tree};

/// One built file, copied to the output folder.
#[derive(Clone, Debug)]
pub struct OutputFile {
    pub target: String,
    pub path: PathBuf,
    pub size: u64,
    pub sha256: String,
}

/// What a successful build produced.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub outputs: Vec<OutputFile>,
    pub manifest: PathBuf,
    pub log: PathBuf,
    pub duration: Duration,
    pub files_copied: usize,
}

fn find_in_path(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let p = PathBuf::from(program);
        return p.is_file().then_some(p);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    })
}

/// Checks that the tools the real build needs are installed, naming the
/// Debian package of the first one missing.
pub fn check_host(plan: &Plan, cross: Option<&str>, make: &str) -> Result<(), BuildError> {
    let missing = |tool: &str, package: &str, needed_for: &str| BuildError::MissingTool {
        tool: tool.into(),
        package: package.into(),
        needed_for: needed_for.into(),
    };
    if find_in_path(make).is_none() {
        return Err(missing(make, "make", ""));
    }
    let prefix = cross.unwrap_or("");
    let triplet = prefix.trim_end_matches('-');
    let (gcc_pkg, binutils_pkg) = if triplet.is_empty() {
        ("gcc".to_string(), "binutils".to_string())
    } else {
        (format!("gcc-{triplet}"), format!("binutils-{triplet}"))
    };
    for (tool, package) in [
        (format!("{prefix}gcc"), gcc_pkg),
        (format!("{prefix}ld"), binutils_pkg.clone()),
        (format!("{prefix}objcopy"), binutils_pkg),
    ] {
        if find_in_path(&tool).is_none() {
            return Err(missing(&tool, &package, " (iPXE's compiler)"));
        }
    }
    if find_in_path("perl").is_none() {
        return Err(missing("perl", "perl", " (iPXE's build scripts use it)"));
    }
    // Host tools such as util/zbin (BIOS image compression) link liblzma.
    if plan
        .targets
        .iter()
        .any(|t| t.profile.platform == Platform::Pcbios)
    {
        let Some(host_cc) = find_in_path("gcc") else {
            return Err(missing("gcc", "gcc", " (to build iPXE's host tools)"));
        };
        let ok = Command::new(host_cc)
            .args(["-E", "-x", "c", "-o", "/dev/null", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .and_then(|mut child| {
                child
                    .stdin
                    .take()
                    .map(|mut s| s.write_all(b"#include <lzma.h>\n"))
                    .transpose()?;
                child.wait()
            })
            .is_ok_and(|s| s.success());
        if !ok {
            return Err(BuildError::MissingHeader {
                header: "lzma.h".into(),
                package: "liblzma-dev".into(),
                needed_for: "util/zbin compresses BIOS images with liblzma".into(),
            });
        }
    }
    if plan
        .variables
        .iter()
        .any(|(k, _)| matches!(k.as_str(), "TRUST" | "CERT" | "PRIVKEY"))
        && find_in_path("openssl").is_none()
    {
        return Err(missing(
            "openssl",
            "openssl",
            " (TRUST=, CERT= and PRIVKEY= use it)",
        ));
    }
    let ext = |e: &str| plan.targets.iter().any(|t| t.target.ends_with(e));
    if ext(".iso") || ext(".usb") {
        for tool in ["mformat", "mcopy"] {
            if find_in_path(tool).is_none() {
                return Err(missing(
                    tool,
                    "mtools",
                    " (util/genfsimg builds .iso/.usb images with it)",
                ));
            }
        }
    }
    if ext(".iso")
        && ["genisoimage", "mkisofs", "xorrisofs"]
            .iter()
            .all(|t| find_in_path(t).is_none())
    {
        return Err(missing(
            "genisoimage",
            "genisoimage",
            " (util/genfsimg builds .iso images with it)",
        ));
    }
    Ok(())
}

/// Holds `<build dir>/.lock` for the duration of a build.
struct Lock(PathBuf);

impl Lock {
    fn take(build_dir: &Path) -> Result<Lock, BuildError> {
        std::fs::create_dir_all(build_dir).map_err(BuildError::io("creating", build_dir))?;
        let path = build_dir.join(".lock");
        for _ in 0..2 {
            match std::fs::File::create_new(&path) {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(Lock(path));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let pid: Option<u32> = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|s| s.trim().parse().ok());
                    match pid {
                        Some(pid) if Path::new(&format!("/proc/{pid}")).exists() => {
                            return Err(BuildError::BuildDirBusy {
                                path: build_dir.to_path_buf(),
                                pid,
                            });
                        }
                        // A stale lock from a killed run.
                        _ => {
                            let _ = std::fs::remove_file(&path);
                        }
                    }
                }
                Err(e) => return Err(BuildError::io("creating", &path)(e)),
            }
        }
        Err(BuildError::BuildDirBusy {
            path: build_dir.to_path_buf(),
            pid: 0,
        })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Builds the plan. `cancel` is set by the caller's SIGINT/SIGTERM handler:
/// make (in its own process group) is then sent SIGINT, given time to delete
/// its half-written targets, and killed if it lingers; nothing is copied to
/// the output folder and [`BuildError::Interrupted`] is returned. The user's
/// tree is only read, so there is nothing in it to restore.
pub fn execute(
    plan: &Plan,
    force: bool,
    verbose: bool,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&str),
) -> Result<Outcome, BuildError> {
    let started = Instant::now();
    if plan.lint_errors > 0 && !force {
        return Err(BuildError::LintErrors {
            count: plan.lint_errors,
        });
    }
    let cross = plan
        .variables
        .iter()
        .find(|(k, _)| k == "CROSS")
        .map(|(_, v)| v.as_str());
    check_host(plan, cross, &plan.argv[0])?;
    let interrupted = || BuildError::Interrupted {
        build_dir: plan.build_dir.clone(),
    };

    let _lock = Lock::take(&plan.build_dir)?;
    let copy = plan.copy_src();
    progress(&format!(
        "syncing {} -> {}",
        plan.tree.src.display(),
        copy.display()
    ));
    let stats = sync_tree(&plan.tree.src, &copy, cancel)?;
    if cancel.load(Ordering::SeqCst) {
        return Err(interrupted());
    }

    // config/local: the user's own file (if any), then our lines.
    let local_dirs: Vec<String> = std::iter::once("config/local".to_string())
        .chain(
            plan.variables
                .iter()
                .filter(|(k, _)| k == "CONFIG")
                .map(|(_, v)| format!("config/local/{v}")),
        )
        .collect();
    for header in plan.tree.config_headers()? {
        for dir in &local_dirs {
            let rel = format!("{dir}/{header}");
            let mut content = std::fs::read(plan.tree.src.join(&rel)).unwrap_or_default();
            if let Some(ours) = plan.headers.iter().find(|h| h.path == rel) {
                if !content.is_empty() && !content.ends_with(b"\n") {
                    content.push(b'\n');
                }
                content.extend_from_slice(
                    b"/* Added by ipxebuild in its private build copy; the source tree is unchanged. */\n",
                );
                for line in &ours.lines {
                    content.extend_from_slice(line.as_bytes());
                    content.push(b'\n');
                }
            }
            write_if_changed(&copy.join(&rel), &content)?;
        }
    }

    // Embedded files, staged under names without spaces or commas.
    let embed_dir = plan.embed_dir();
    if !plan.embedded.is_empty() {
        std::fs::create_dir_all(&embed_dir).map_err(BuildError::io("creating", &embed_dir))?;
    }
    for e in &plan.embedded {
        write_if_changed(&embed_dir.join(&e.name), &e.bytes)?;
    }

    // make.
    let logs = plan.build_dir.join("logs");
    std::fs::create_dir_all(&logs).map_err(BuildError::io("creating", &logs))?;
    let stamp = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let log_path = logs.join(format!("make-{stamp}-{}.log", std::process::id()));
    let mut log =
        std::fs::File::create(&log_path).map_err(BuildError::io("creating", &log_path))?;
    let _ = writeln!(log, "# cwd: {}\n# argv: {:?}", copy.display(), plan.argv);
    let log = Arc::new(Mutex::new(log));
    progress(&format!("running {}", crate::shell_quote(&plan.argv)));
    let mut child = Command::new(&plan.argv[0])
        .args(&plan.argv[1..])
        .current_dir(&copy)
        // A make above us must not hand its jobserver or flags down.
        .env_remove("MAKEFLAGS")
        .env_remove("MFLAGS")
        .env_remove("MAKELEVEL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group: a terminal's Ctrl-C reaches only us, and we
        // stop make (and its compilers) as a group.
        .process_group(0)
        .spawn()
        .map_err(|error| BuildError::MakeNotStarted {
            program: plan.argv[0].clone(),
            error,
        })?;
    let pid = child.id() as i32;
    let readers: Vec<_> = [
        child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        child
            .stderr
            .take()
            .map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
    ]
    .into_iter()
    .flatten()
    .map(|stream| {
        let log = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stream).split(b'\n').map_while(Result::ok) {
                if let Ok(mut f) = log.lock() {
                    let _ = f.write_all(&line);
                    let _ = f.write_all(b"\n");
                }
                if verbose {
                    let mut err = std::io::stderr().lock();
                    let _ = err.write_all(&line);
                    let _ = err.write_all(b"\n");
                }
            }
        })
    })
    .collect();
    let mut signalled: Option<Instant> = None;
    let status = loop {
        if let Some(status) = child
            .try_wait()
            .map_err(BuildError::io("waiting for", &plan.argv[0]))?
        {
            break status;
        }
        if cancel.load(Ordering::SeqCst) {
            match signalled {
                None => {
                    // SAFETY: plain kill(2) on the process group we created.
                    unsafe { libc::kill(-pid, libc::SIGINT) };
                    signalled = Some(Instant::now());
                }
                Some(at) if at.elapsed() > Duration::from_secs(10) => {
                    // SAFETY: as above.
                    unsafe { libc::kill(-pid, libc::SIGKILL) };
                }
                _ => {}
            }
        }
        std::thread::sleep(Duration::from_millis(25));
    };
    if signalled.is_some() {
        // Make's children may outlive it briefly; take the group down.
        // SAFETY: as above; ESRCH when the group is gone is fine.
        unsafe { libc::kill(-pid, libc::SIGKILL) };
    }
    for r in readers {
        let _ = r.join();
    }
    if cancel.load(Ordering::SeqCst) {
        return Err(interrupted());
    }
    if !status.success() {
        let text = std::fs::read(&log_path).unwrap_or_default();
        let text = String::from_utf8_lossy(&text);
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(25)..].join("\n");
        return Err(BuildError::MakeFailed {
            status: status.to_string(),
            tail,
            log: log_path,
        });
    }

    // Outputs and manifest.
    let mut outputs = Vec::new();
    for t in &plan.targets {
        let built = copy.join(&t.target);
        let bytes = std::fs::read(&built).map_err(|_| BuildError::MissingOutput {
            path: built.clone(),
        })?;
        let dest = plan.out.join(&t.target);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(BuildError::io("creating", parent))?;
        }
        std::fs::write(&dest, &bytes).map_err(BuildError::io("writing", &dest))?;
        outputs.push(OutputFile {
            target: t.target.clone(),
            path: dest,
            size: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
        });
    }
    let manifest_path = plan.out.join(MANIFEST_NAME);
    let manifest = manifest(plan, &outputs);
    let text = serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n";
    std::fs::write(&manifest_path, text).map_err(BuildError::io("writing", &manifest_path))?;
    Ok(Outcome {
        outputs,
        manifest: manifest_path,
        log: log_path,
        duration: started.elapsed(),
        files_copied: stats.copied,
    })
}

/// The manifest: enough to tell later exactly what went into each output.
pub fn manifest(plan: &Plan, outputs: &[OutputFile]) -> serde_json::Value {
    json!({
        "tool": { "name": "ipxebuild", "version": VERSION },
        "ipxe": {
            "source": plan.tree.root.display().to_string(),
            "commit": plan.tree.commit,
        },
        "targets": plan.targets.iter().map(|t| json!({
            "target": t.target,
            "platform": t.profile.platform.as_str(),
            "arch": t.profile.arch,
        })).collect::<Vec<_>>(),
        "make": {
            "argv": plan.argv,
            "cwd": plan.copy_src().display().to_string(),
            "variables": plan.variables.iter()
                .map(|(k, v)| (k.clone(), json!(v)))
                .collect::<serde_json::Map<_, _>>(),
        },
        "config": plan.headers.iter().map(|h| json!({
            "file": h.path,
            "lines": h.lines,
        })).collect::<Vec<_>>(),
        "features": plan.defines.iter().map(|d| json!({
            "macro": d.name,
            "value": d.value,
            "header": d.header,
            "action": if d.enable { "define" } else { "undef" },
            "origin": match &d.origin {
                crate::Origin::User => json!("user"),
                crate::Origin::Auto(m) => json!({
                    "auto": { "file": m.file, "line": m.line, "uses": m.what, "lacking": m.lacking }
                }),
            },
        })).collect::<Vec<_>>(),
        "embedded": plan.embedded.iter().map(|e| json!({
            "name": e.name,
            "source": e.source.display().to_string(),
            "size": e.bytes.len(),
            "sha256": e.sha256,
            "script": e.is_script,
        })).collect::<Vec<_>>(),
        "lint": {
            "errors": plan.lint_errors,
            "findings": plan.lint.iter().map(|r| r.diagnostics.len()).sum::<usize>(),
        },
        "outputs": outputs.iter().map(|o| json!({
            "target": o.target,
            "file": o.target,
            "size": o.size,
            "sha256": o.sha256,
        })).collect::<Vec<_>>(),
    })
}
