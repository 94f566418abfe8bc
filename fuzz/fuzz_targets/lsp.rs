//! The language server, in-process through `ipxe_lsp::serve` over pipes:
//! open a fuzzed document, change it with fuzzed edits (ranges may point
//! past the end or inside a surrogate pair), wait for its diagnostics, then
//! ask every request at fuzzed positions. Nothing may panic (a caught panic
//! becomes an internal error, which fails too); every message the server
//! writes is one well-formed JSON-RPC message.
#![no_main]

use std::io::{BufReader, Write};

use ipxe_lsp::transport;
use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const URI: &str = "file:///fuzz/boot.ipxe";
/// The input's last bytes steer the session; the rest is the document.
const CONTROL: usize = 64;
/// Inserted by edits, besides pieces of the document itself.
const SALT: &[&str] = &["é", "😀", "\r\n", "\\\n", "-é", ":é", "${é}", "\u{feff}", "\u{2028}", "\n", ""];

struct Session {
    input: std::io::PipeWriter,
    output: BufReader<std::io::PipeReader>,
    next_id: i64,
}

impl Session {
    fn send(&mut self, message: Value) {
        transport::write(&mut self.input, &message).expect("the server reads until exit");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message the server writes, checked to be JSON-RPC.
    fn receive(&mut self) -> Value {
        let frame = transport::read_frame(&mut self.output)
            .expect("reading the server")
            .expect("the server answers before it exits")
            .unwrap_or_else(|_| panic!("the server wrote a malformed frame"));
        let message: Value = serde_json::from_slice(&frame)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&frame)));
        assert_eq!(message["jsonrpc"], "2.0", "{message}");
        message
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message.get("method").is_some() {
                check_notification(&message);
                continue;
            }
            assert_eq!(message["id"], id, "{message}");
            if let Some(error) = message.get("error") {
                assert_ne!(error["code"], transport::INTERNAL_ERROR, "{method}: {message}");
                assert!(error["message"].is_string(), "{message}");
            } else {
                assert!(message.get("result").is_some(), "{message}");
            }
            return message;
        }
    }
}

/// A publishDiagnostics' ranges run forwards.
fn check_notification(message: &Value) {
    if message["method"] != "textDocument/publishDiagnostics" {
        return;
    }
    for d in message["params"]["diagnostics"].as_array().expect("a list of diagnostics") {
        let at = |p: &Value| (p["line"].as_u64().expect("line"), p["character"].as_u64().expect("character"));
        assert!(at(&d["range"]["start"]) <= at(&d["range"]["end"]), "{d}");
        assert!(d["message"].is_string() && d["code"].is_string(), "{d}");
    }
}

fn position(u: &mut Unstructured<'_>, lines: u32) -> Value {
    let line = u.int_in_range(0..=lines + 1).unwrap_or(0);
    let character = u.int_in_range(0..=90u32).unwrap_or(0);
    json!({"line": line, "character": character})
}

fn range(u: &mut Unstructured<'_>, lines: u32) -> Value {
    let (a, b) = (position(u, lines), position(u, lines));
    json!({"start": a, "end": b})
}

fuzz_target!(|data: &[u8]| {
    let split = data.len().saturating_sub(CONTROL);
    let text = String::from_utf8_lossy(&data[..split]).into_owned();
    let mut u = Unstructured::new(&data[split..]);
    let lines = text.lines().count() as u32;

    let (server_in, input) = std::io::pipe().expect("a pipe");
    let (output, mut server_out) = std::io::pipe().expect("a pipe");
    let server = std::thread::spawn(move || {
        let code = ipxe_lsp::serve(move || BufReader::new(server_in), &mut server_out);
        server_out.flush().ok();
        code
    });
    let mut s = Session { input, output: BufReader::new(output), next_id: 0 };

    let related = u.arbitrary::<bool>().unwrap_or(false);
    let init = s.request(
        "initialize",
        json!({"capabilities": {"textDocument": {"publishDiagnostics": {
            "relatedInformation": related, "codeDescriptionSupport": related}}}}),
    );
    assert!(init["result"]["capabilities"].is_object(), "{init}");
    s.notify("initialized", json!({}));
    s.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI, "languageId": "ipxe", "version": 1, "text": text}}),
    );
    let mut version = 1;
    for _ in 0..u.int_in_range(0..=3u8).unwrap_or(0) {
        version += 1;
        let inserted = match u.choose(SALT) {
            Ok(salt) if u.arbitrary::<bool>().unwrap_or(false) => salt.to_string(),
            _ => {
                // A piece of the document (on character boundaries).
                let chars: Vec<char> = text.chars().collect();
                let a = u.choose_index(chars.len() + 1).unwrap_or(0);
                let b = u.choose_index(chars.len() + 1).unwrap_or(0);
                chars[a.min(b)..a.max(b)].iter().collect()
            }
        };
        let change = if u.int_in_range(0..=7u8).unwrap_or(1) == 0 {
            json!({"text": inserted})
        } else {
            json!({"range": range(&mut u, lines), "text": inserted})
        };
        s.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": [change]}),
        );
    }
    // The diagnostics of the last version (older ones may come first).
    loop {
        let message = s.receive();
        check_notification(&message);
        if message["method"] == "textDocument/publishDiagnostics"
            && message["params"]["version"] == version
        {
            break;
        }
    }
    let doc = json!({"uri": URI});
    for _ in 0..u.int_in_range(1..=6u8).unwrap_or(1) {
        let at = position(&mut u, lines);
        let (method, params) = match u.int_in_range(0..=10u8).unwrap_or(0) {
            0 => ("textDocument/hover", json!({"textDocument": doc, "position": at})),
            1 => ("textDocument/completion", json!({"textDocument": doc, "position": at})),
            2 => ("textDocument/definition", json!({"textDocument": doc, "position": at})),
            3 => ("textDocument/references", json!({"textDocument": doc, "position": at, "context": {"includeDeclaration": true}})),
            4 => ("textDocument/documentHighlight", json!({"textDocument": doc, "position": at})),
            5 => ("textDocument/prepareRename", json!({"textDocument": doc, "position": at})),
            6 => {
                let name = *u.choose(&["retry", "é", "", "a b", "x:y", "${x}"]).unwrap_or(&"retry");
                ("textDocument/rename", json!({"textDocument": doc, "position": at, "newName": name}))
            }
            7 => ("textDocument/documentSymbol", json!({"textDocument": doc})),
            8 => ("textDocument/foldingRange", json!({"textDocument": doc})),
            9 => (
                "textDocument/codeAction",
                json!({"textDocument": doc, "range": range(&mut u, lines), "context": {"diagnostics": []}}),
            ),
            _ => (
                "textDocument/formatting",
                json!({"textDocument": doc, "options": {"tabSize": 4, "insertSpaces": true}}),
            ),
        };
        s.request(method, params);
    }
    let shutdown = s.request("shutdown", Value::Null);
    assert!(shutdown["result"].is_null(), "{shutdown}");
    s.notify("exit", Value::Null);
    assert_eq!(server.join().expect("the server thread"), 0, "exit after shutdown");
});
