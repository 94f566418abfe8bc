//! A small JSON-RPC client that drives a real `ipxe-lsp` process over stdio.
//! Used by the integration tests and the latency benchmark.

use std::collections::VecDeque;
use std::io::{BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::transport;

pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Messages with the time their last byte arrived.
    incoming: Receiver<(Instant, Value)>,
    /// Messages not consumed yet, with their arrival times.
    pending: VecDeque<(Instant, Value)>,
    next_id: i64,
}

impl Client {
    /// Starts the server binary.
    pub fn start(binary: &Path) -> Client {
        let mut child = Command::new(binary)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", binary.display()));
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Ok(Some(frame)) = transport::read_frame(&mut reader) {
                // Stamped before parsing: latency is until the message is
                // here, not until this test client has built a tree of it.
                let arrived = Instant::now();
                let Ok(body) = frame else { continue };
                let value: Value = match serde_json::from_slice(&body) {
                    Ok(v) => v,
                    Err(e) => panic!("the server sent invalid JSON: {e}"),
                };
                if tx.send((arrived, value)).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming: rx,
            pending: VecDeque::new(),
            next_id: 1,
        }
    }

    /// Sends raw bytes (for malformed-input tests).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write");
        stdin.flush().expect("flush");
    }

    pub fn send(&mut self, message: &Value) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        transport::write(stdin, message).expect("write message");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns its id.
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Sends a request and waits for the whole response object (`result` or `error`).
    pub fn request_raw(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(json!(id))
    }

    /// Sends a request and returns its `result`, panicking on an error.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_raw(method, params);
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}");
        }
        response["result"].clone()
    }

    /// Messages received but not consumed yet (notifications, server requests).
    pub fn pending(&self) -> impl Iterator<Item = &Value> {
        self.pending.iter().map(|(_, v)| v)
    }

    /// Drops the messages received but not consumed yet.
    pub fn clear_pending(&mut self) {
        self.pending.clear();
    }

    fn recv(&mut self, deadline: Instant) -> Option<(Instant, Value)> {
        let now = Instant::now();
        let wait = deadline.saturating_duration_since(now);
        match self.incoming.recv_timeout(wait) {
            Ok(v) => Some(v),
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Waits for the response with this id.
    pub fn response(&mut self, id: Value) -> Value {
        let is_response = |v: &Value| v.get("method").is_none() && v.get("id") == Some(&id);
        if let Some(i) = self.pending.iter().position(|(_, v)| is_response(v)) {
            return self.pending.remove(i).expect("found").1;
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let Some((at, v)) = self.recv(deadline) else {
                panic!("no response to request {id}");
            };
            if is_response(&v) {
                return v;
            }
            self.pending.push_back((at, v));
        }
    }

    /// Waits for a notification matching `pred` (looking at queued ones first).
    pub fn notification(
        &mut self,
        method: &str,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        self.notification_at(method, timeout, pred)
            .map(|(_, params)| params)
    }

    /// [`Client::notification`], with the time the message arrived.
    pub fn notification_at(
        &mut self,
        method: &str,
        timeout: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<(Instant, Value)> {
        let matches = |v: &Value| v["method"] == method && pred(&v["params"]);
        if let Some(i) = self.pending.iter().position(|(_, v)| matches(v)) {
            return self
                .pending
                .remove(i)
                .map(|(at, mut v)| (at, v["params"].take()));
        }
        let deadline = Instant::now() + timeout;
        loop {
            let (at, mut v) = self.recv(deadline)?;
            if matches(&v) {
                return Some((at, v["params"].take()));
            }
            self.pending.push_back((at, v));
        }
    }

    /// Closes stdin and waits for the process.
    pub fn wait(mut self) -> ExitStatus {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("ipxe-lsp did not exit");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
