//! Running a helper program with a time limit.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{Result, fail};

/// Runs `program args`, waits at most `timeout`, kills it by PID when late.
/// Returns stdout; a non-zero exit is an error carrying stderr.
pub fn run_bounded(program: &str, args: &[&str], timeout: Duration) -> Result<String> {
    run_bounded_with_stderr(program, args, timeout).map(|(stdout, _)| stdout)
}

/// As [`run_bounded`], returning stdout and stderr.
pub(crate) fn run_bounded_with_stderr(
    program: &str,
    args: &[&str],
    timeout: Duration,
) -> Result<(String, String)> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .or_else(|e| fail(format!("cannot run {program}: {e}")))?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() < timeout => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                // Child::kill signals exactly this PID.
                let _ = child.kill();
                let _ = child.wait();
                return fail(format!(
                    "`{program} {}` took longer than {timeout:?}; killed",
                    args.join(" ")
                ));
            }
            Err(e) => return fail(format!("waiting for {program}: {e}")),
        }
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    if let Some(mut out) = child.stdout.take() {
        let _ = out.read_to_string(&mut stdout);
    }
    if let Some(mut err) = child.stderr.take() {
        let _ = err.read_to_string(&mut stderr);
    }
    if !status.success() {
        return fail(format!(
            "`{program} {}` failed ({status}): {}",
            args.join(" "),
            stderr.trim()
        ));
    }
    Ok((stdout, stderr))
}

/// The time left before `deadline`, or an error naming `what` was late.
pub(crate) fn remaining(deadline: Instant, what: &str) -> Result<Duration> {
    match deadline.checked_duration_since(Instant::now()) {
        Some(left) if !left.is_zero() => Ok(left),
        _ => fail(format!("run deadline passed during {what}")),
    }
}
