//! Drives the real `ipxe-lsp` binary over stdio through a whole session.

use std::path::{Path, PathBuf};
use std::time::Duration;

use ipxe_lsp::client::Client;
use serde_json::{Value, json};

const SCRIPT: &str = "#!ipxe
:start
menu Boot
item linux Linux
item shell Shell
choose --default linux target || goto start
goto ${target}
:linux
set base http://example.com   
kernel ${base}/vmlinuz
boot
:shell
goto nowhere
";

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ipxe-lsp"))
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ipxe-lsp-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

fn initialize(client: &mut Client, dir: &Path) {
    let result = client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri_of(dir), "capabilities": {"textDocument": {
            "publishDiagnostics": {"relatedInformation": true, "codeDescriptionSupport": true}}}}),
    );
    let caps = &result["capabilities"];
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["renameProvider"]["prepareProvider"], true);
    client.notify("initialized", json!({}));
}

fn codes(params: &Value) -> Vec<String> {
    let mut codes: Vec<String> = params["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

fn ranges(locations: &Value) -> Vec<(u64, u64, u64)> {
    let mut v: Vec<(u64, u64, u64)> = locations
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let r = l.get("range").unwrap_or(l);
            (
                r["start"]["line"].as_u64().unwrap(),
                r["start"]["character"].as_u64().unwrap(),
                r["end"]["character"].as_u64().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn full_session() {
    let dir = temp_dir("session");
    let path = dir.join("boot.ipxe");
    std::fs::write(&path, SCRIPT).unwrap();
    let uri = uri_of(&path);
    let doc = json!({"uri": uri});
    let mut client = Client::start(&binary());
    initialize(&mut client, &dir);

    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "ipxe", "version": 1, "text": SCRIPT}}),
    );
    let diags = client
        .notification(
            "textDocument/publishDiagnostics",
            Duration::from_secs(30),
            |p| p["uri"] == uri.as_str(),
        )
        .expect("diagnostics after didOpen");
    let found = codes(&diags);
    assert!(found.contains(&"IPX201".to_string()), "{found:?}");
    assert!(found.contains(&"IPX009".to_string()), "{found:?}");
    assert_eq!(diags["version"], 1);
    let ipx201 = diags["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "IPX201")
        .unwrap();
    assert!(
        ipx201["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .ends_with("#ipx201")
    );
    assert_eq!(
        (
            ipx201["range"]["start"]["line"].clone(),
            ipx201["range"]["start"]["character"].clone()
        ),
        (json!(12), json!(5))
    );

    // Definition: `goto start` on line 5 → `:start` on line 1.
    let def = client.request(
        "textDocument/definition",
        json!({"textDocument": doc, "position": pos(5, 43)}),
    );
    assert_eq!(ranges(&def), [(1, 1, 6)]);

    // References of `linux`: label, item name, choose default.
    let refs = client.request(
        "textDocument/references",
        json!({"textDocument": doc, "position": pos(7, 2), "context": {"includeDeclaration": true}}),
    );
    assert_eq!(ranges(&refs), [(3, 5, 10), (5, 17, 22), (7, 1, 6)]);

    let hl = client.request(
        "textDocument/documentHighlight",
        json!({"textDocument": doc, "position": pos(9, 10)}),
    );
    assert_eq!(ranges(&hl), [(8, 4, 8), (9, 9, 13)]);

    // Rename `linux` → `debian`.
    let prep = client.request(
        "textDocument/prepareRename",
        json!({"textDocument": doc, "position": pos(7, 3)}),
    );
    assert_eq!(prep["placeholder"], "linux");
    let bad = client.request_raw(
        "textDocument/prepareRename",
        json!({"textDocument": doc, "position": pos(10, 1)}),
    );
    assert!(bad.get("error").is_some(), "{bad}");
    let edit = client.request(
        "textDocument/rename",
        json!({"textDocument": doc, "position": pos(7, 3), "newName": "debian"}),
    );
    let edits = &edit["changes"][uri.as_str()];
    assert_eq!(ranges(edits).len(), 3);
    assert!(
        edits
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["newText"] == "debian")
    );

    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": doc, "position": pos(9, 2)}),
    );
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("Usage:") && text.contains("kernel"), "{text}");

    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": doc, "position": pos(9, 10)}),
    );
    let labels: Vec<&str> = completion["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"base") && labels.contains(&"mac"),
        "{labels:?}"
    );

    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": doc}));
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, [":start", ":linux", ":shell"]);
    assert_eq!(
        symbols[0]["children"][0]["children"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    let folds = client.request("textDocument/foldingRange", json!({"textDocument": doc}));
    let folds: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(folds, [(1, 6), (7, 10), (11, 12)]);

    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": doc, "range": {"start": pos(8, 0), "end": pos(8, 0)},
               "context": {"diagnostics": []}}),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert!(titles.iter().any(|t| t.starts_with("IPX009")), "{titles:?}");
    assert!(
        titles.contains(&"Disable IPX009 for this line"),
        "{titles:?}"
    );

    let formatting = client.request(
        "textDocument/formatting",
        json!({"textDocument": doc, "options": {"tabSize": 4, "insertSpaces": true}}),
    );
    let formatting = formatting.as_array().unwrap();
    assert_eq!(formatting.len(), 1, "{formatting:?}");
    assert_eq!(formatting[0]["newText"], "set base http://example.com\n");

    // Incremental edit: `goto nowhere` → `goto start`.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": pos(12, 5), "end": pos(12, 12)}, "text": "start"}]}),
    );
    let diags = client
        .notification(
            "textDocument/publishDiagnostics",
            Duration::from_secs(30),
            |p| p["version"] == 2,
        )
        .expect("diagnostics after didChange");
    let found = codes(&diags);
    assert!(!found.contains(&"IPX201".to_string()), "{found:?}");
    assert!(found.contains(&"IPX009".to_string()), "{found:?}");
    let def = client.request(
        "textDocument/definition",
        json!({"textDocument": doc, "position": pos(12, 6)}),
    );
    assert_eq!(ranges(&def), [(1, 1, 6)]);

    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.wait().success());
}

#[test]
fn malformed_and_unknown_messages_get_errors() {
    let mut client = Client::start(&binary());
    // Before initialize.
    let early = client.request_raw("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002);
    initialize(&mut client, &temp_dir("malformed"));
    // Not JSON.
    client.send_raw(b"Content-Length: 5\r\n\r\n{oops");
    // JSON, but not a message.
    client.send_raw(b"Content-Length: 2\r\n\r\n[]");
    client.send(&json!({"jsonrpc": "2.0", "id": 77, "method": 5}));
    let unknown = client.request_raw("ipxe/noSuchMethod", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad_params = client.request_raw("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad_params["error"]["code"], -32602);
    let unknown_doc = client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///nope.ipxe"}, "position": pos(0, 0)}),
    );
    assert!(unknown_doc.get("error").is_some());
    let invalid = client.response(json!(77));
    assert_eq!(invalid["error"]["code"], -32600);
    // The errors for the two bodies without ids came back with a null id.
    let nulls: Vec<Value> = client
        .pending()
        .filter(|v| v.get("id") == Some(&Value::Null))
        .map(|v| v["error"]["code"].clone())
        .collect();
    assert_eq!(nulls, [json!(-32700), json!(-32600)]);
    // Unknown notifications are ignored; the server still answers.
    client.notify("ipxe/whatever", json!({}));
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    let after = client.request_raw("textDocument/hover", json!({}));
    assert_eq!(after["error"]["code"], -32600);
    client.notify("exit", Value::Null);
    assert!(client.wait().success());
}

#[test]
fn exit_without_shutdown_is_an_error_exit() {
    let mut client = Client::start(&binary());
    initialize(&mut client, &temp_dir("exit"));
    client.notify("exit", Value::Null);
    assert_eq!(client.wait().code(), Some(1));
}

#[test]
fn huge_files_and_rapid_edits() {
    let mut client = Client::start(&binary());
    initialize(&mut client, &temp_dir("huge"));
    // Issue 7 asks that a 10 MB document stays responsive.
    let mut text = String::from("#!ipxe\n");
    for i in 0..240_000 {
        text.push_str(&format!(
            ":l{i}\necho line {i} ${{x{i}}} || goto l{}\n",
            i / 2
        ));
    }
    assert!(text.len() >= 10 * 1024 * 1024, "{} bytes", text.len());
    let uri = "file:///tmp/huge.ipxe";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "ipxe", "version": 1, "text": text}}),
    );
    // 200 edits in a row, each appending a character at the end of line 1.
    for v in 2..=201 {
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": v},
                   "contentChanges": [{"range": {"start": pos(1, 3), "end": pos(1, 3)}, "text": "x"}]}),
        );
    }
    let hover = client.request_raw(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": pos(2, 1)}),
    );
    assert!(hover.get("result").is_some(), "{hover}");
    let last = client
        .notification(
            "textDocument/publishDiagnostics",
            Duration::from_secs(120),
            |p| p["version"] == 201,
        )
        .expect("diagnostics for the last version");
    assert!(last["diagnostics"].is_array());
    // Stale results were dropped: versions only go up.
    let versions: Vec<i64> = client
        .pending()
        .filter(|v| v["method"] == "textDocument/publishDiagnostics")
        .map(|v| v["params"]["version"].as_i64().unwrap())
        .collect();
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "{versions:?}");
    // Positions far outside the document are clamped, not fatal.
    let far = client.request_raw(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": pos(9_999_999, 9_999_999)}),
    );
    assert!(far.get("result").is_some(), "{far}");
    assert_eq!(client.request("shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.wait().success());
}
