//! Latency from `didChange` to `publishDiagnostics` on a 10,000-line script.
//!
//! `cargo run --release -p ipxe-lsp --bin ipxe-lsp-bench [-- ITERATIONS]`
//! starts the `ipxe-lsp` binary next to this one, opens the script, then
//! sends one small incremental edit at a time and waits for the diagnostics
//! of that version. Each sample runs from sending the edit to the arrival of
//! the last byte of that publishDiagnostics (stamped by the client's reader
//! before it parses the message). Prints p50, p90, p99 and max.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ipxe_lsp::client::Client;
use serde_json::{Value, json};

fn script(lines: usize) -> String {
    let mut s = String::from("#!ipxe\n");
    let mut n = 1;
    let mut block = 0;
    while n < lines {
        let chunk = [
            format!(":block{block}"),
            format!("set value{block} ${{net0/mac}}-{block}"),
            format!("menu Menu {block}"),
            format!("item --key a opt{block}a Option A"),
            format!("item opt{block}b Option B"),
            format!("choose --default opt{block}a --timeout 3000 sel || goto block{block}"),
            "goto ${sel}".to_string(),
            format!(":opt{block}a"),
            format!("kernel http://boot.example.com/{block}/vmlinuz initrd=initrd.img"),
            format!("initrd http://boot.example.com/{block}/initrd.img || goto block{block}"),
            format!(
                ":opt{block}b echo ${{value{block}}} && goto block{}",
                block + 1
            ),
            "isset ${filename} || dhcp".to_string(),
        ];
        for line in chunk {
            if n >= lines {
                break;
            }
            s.push_str(&line);
            s.push('\n');
            n += 1;
        }
        block += 1;
    }
    s
}

fn main() {
    let iterations: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(300);
    let server = std::env::current_exe()
        .expect("current exe")
        .parent()
        .expect("exe dir")
        .join("ipxe-lsp");
    let text = script(10_000);
    assert_eq!(text.lines().count(), 10_000);
    let mut client = Client::start(&PathBuf::from(&server));
    client.request(
        "initialize",
        // What editors such as VS Code and Neovim say they show.
        json!({"processId": null, "rootUri": null, "capabilities": {"textDocument": {
            "publishDiagnostics": {"relatedInformation": true, "codeDescriptionSupport": true}}}}),
    );
    client.notify("initialized", json!({}));
    let uri = "file:///bench/boot.ipxe";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "ipxe", "version": 1, "text": text}}),
    );
    client
        .notification(
            "textDocument/publishDiagnostics",
            Duration::from_secs(60),
            |p| p["version"] == 1,
        )
        .expect("first diagnostics");
    // Until the message is here, and until this client has also parsed it
    // into a JSON tree (a cost of the client, reported for comparison).
    let mut received = Vec::with_capacity(iterations);
    let mut parsed = Vec::with_capacity(iterations);
    let mut size = 0;
    for i in 0..iterations {
        let version = i as i64 + 2;
        // Alternate typing a character and deleting it, somewhere in the file.
        let line = (i * 7919) % 10_000;
        let change = if i % 2 == 0 {
            json!({"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": " "})
        } else {
            let prev = ((i - 1) * 7919) % 10_000;
            json!({"range": {"start": {"line": prev, "character": 0}, "end": {"line": prev, "character": 1}}, "text": ""})
        };
        let start = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]}),
        );
        let (arrived, params) = client
            .notification_at(
                "textDocument/publishDiagnostics",
                Duration::from_secs(60),
                |p| p["version"] == version,
            )
            .expect("diagnostics");
        parsed.push(start.elapsed());
        received.push(arrived - start);
        size = params["diagnostics"].as_array().map_or(0, Vec::len);
        client.clear_pending();
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let report = |what: &str, samples: &mut Vec<Duration>| {
        samples.sort();
        let pct = |p: f64| {
            samples[((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len()) - 1]
        };
        println!(
            "didChange -> publishDiagnostics {what}, 10,000 lines, {} edits: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            samples.len(),
            ms(pct(0.50)),
            ms(pct(0.90)),
            ms(pct(0.99)),
            ms(*samples.last().unwrap())
        );
    };
    println!("{size} findings per publish");
    report("received", &mut received);
    report("received and parsed by the client", &mut parsed);
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    let _ = client.wait();
}
