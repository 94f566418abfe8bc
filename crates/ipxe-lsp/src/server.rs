//! The server loop: documents, requests, and diagnostics from a lint worker.
//!
//! One thread reads stdin, one lints, and the main thread owns the documents
//! and answers requests in order. Every request runs under `catch_unwind`.
//! Diagnostics carry the document version they were computed for; results for
//! an outdated version are dropped, and the worker only lints the newest
//! version of each document it has been sent (rapid edits coalesce).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use ipxe_ide::{Analysis, CompletionKind, Diagnostic, DocumentSymbolKind, Edit, LintSetup};
use lsp_types as lt;
use serde_json::{Value, json};

use crate::convert::{PosIndex, apply_change};
use crate::publish::{ClientSupport, PublishCache, to_lsp_diagnostic};
use crate::transport::{self, Incoming};

/// The editor's settings (`initializationOptions`, or the `ipxe` section of
/// `workspace/didChangeConfiguration`).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// Build targets, as `ipxelint --target` (e.g. `bin/undionly.kpxe`).
    pub target: Vec<String>,
    /// iPXE config directory (`src/config/local`), as `ipxelint --ipxe-config`.
    pub config_dir: Option<PathBuf>,
    /// Indent commands under labels by this many spaces when formatting.
    pub indent: Option<usize>,
}

impl Settings {
    fn from_value(v: &Value) -> Settings {
        let v = v.get("ipxe").unwrap_or(v);
        serde_json::from_value(v.clone()).unwrap_or_default()
    }
}

struct Document {
    text: String,
    version: i32,
    index: PosIndex,
    analysis: Option<Rc<Analysis>>,
    setup: LintSetup,
    setup_error: Option<String>,
    /// The diagnostics for `diag_version`.
    diagnostics: Vec<Diagnostic>,
    diag_version: Option<i32>,
    /// The last publishDiagnostics, serialized per finding.
    published: PublishCache,
}

enum Event {
    Message(Incoming),
    ReadError(String),
    Closed,
    Linted {
        uri: String,
        version: i32,
        diagnostics: Vec<Diagnostic>,
    },
}

struct LintJob {
    uri: String,
    version: i32,
    text: Arc<str>,
    setup: LintSetup,
    queued: Instant,
}

/// Runs the server on stdin/stdout until `exit`; returns the process exit code.
pub fn run_stdio() -> i32 {
    let stdout = std::io::stdout();
    serve(
        || BufReader::new(std::io::stdin().lock()),
        &mut stdout.lock(),
    )
}

/// Runs the server on any byte streams until `exit` or the end of the
/// input; returns the exit code. `open_input` runs on the reader thread.
/// `run_stdio` uses stdin/stdout; the fuzz harness (`fuzz/`) uses pipes.
pub fn serve<R: BufRead>(
    open_input: impl FnOnce() -> R + Send + 'static,
    out: &mut impl Write,
) -> i32 {
    let (events_tx, events_rx) = channel::<Event>();
    let reader_tx = events_tx.clone();
    std::thread::Builder::new()
        .name("ipxe-lsp-reader".into())
        .spawn(move || {
            let mut input = open_input();
            loop {
                match transport::read(&mut input) {
                    Ok(Some(m)) => {
                        let exit =
                            matches!(&m, Incoming::Notification { method, .. } if method == "exit");
                        if reader_tx.send(Event::Message(m)).is_err() || exit {
                            return;
                        }
                    }
                    Ok(None) => {
                        let _ = reader_tx.send(Event::Closed);
                        return;
                    }
                    Err(e) => {
                        let _ = reader_tx.send(Event::ReadError(e.to_string()));
                        return;
                    }
                }
            }
        })
        .expect("spawning the reader thread");
    let mut server = Server::new(events_tx);
    server.run(events_rx, out)
}

struct Server {
    docs: HashMap<String, Document>,
    settings: Settings,
    /// What the client shows of a diagnostic.
    client: ClientSupport,
    initialized: bool,
    shutdown: bool,
    jobs: Arc<Mutex<Vec<LintJob>>>,
    wake: Sender<()>,
    /// Serialized messages to write once the current event is handled.
    outbox: Vec<Vec<u8>>,
}

impl Server {
    fn new(events: Sender<Event>) -> Server {
        let jobs: Arc<Mutex<Vec<LintJob>>> = Arc::default();
        let (wake, wake_rx) = channel::<()>();
        let worker_jobs = jobs.clone();
        std::thread::Builder::new()
            .name("ipxe-lsp-lint".into())
            .spawn(move || lint_worker(worker_jobs, wake_rx, events))
            .expect("spawning the lint thread");
        Server {
            docs: HashMap::new(),
            settings: Settings::default(),
            client: ClientSupport::default(),
            initialized: false,
            shutdown: false,
            jobs,
            wake,
            outbox: Vec::new(),
        }
    }

    fn run(&mut self, events: Receiver<Event>, out: &mut impl Write) -> i32 {
        while let Ok(event) = events.recv() {
            let code = match event {
                Event::Message(m) => self.handle(m),
                Event::Linted {
                    uri,
                    version,
                    diagnostics,
                } => {
                    self.linted(&uri, version, diagnostics);
                    None
                }
                Event::ReadError(e) => {
                    eprintln!("ipxe-lsp: reading stdin: {e}");
                    Some(1)
                }
                Event::Closed => Some(if self.shutdown { 0 } else { 1 }),
            };
            for body in self.outbox.drain(..) {
                if transport::write_body(out, &body).is_err() {
                    return 1;
                }
            }
            if let Some(code) = code {
                return code;
            }
        }
        1
    }

    fn send(&mut self, message: Value) {
        self.outbox
            .push(serde_json::to_vec(&message).expect("a JSON value serializes"));
    }

    /// Handles one message; `Some(code)` to exit.
    fn handle(&mut self, message: Incoming) -> Option<i32> {
        match message {
            Incoming::Invalid { id, code, message } => {
                self.send(transport::error(id, code, message));
            }
            Incoming::Response => {}
            Incoming::Notification { method, params } => {
                if method == "exit" {
                    return Some(if self.shutdown { 0 } else { 1 });
                }
                if !self.initialized {
                    return None;
                }
                let result = catch_unwind(AssertUnwindSafe(|| self.notification(&method, params)));
                if let Err(panic) = result {
                    eprintln!("ipxe-lsp: {method} panicked: {}", panic_text(&panic));
                }
            }
            Incoming::Request { id, method, params } => {
                let reply = if method == "initialize" {
                    if self.initialized {
                        transport::error(id, transport::INVALID_REQUEST, "already initialized")
                    } else {
                        self.initialized = true;
                        let settings = params
                            .get("initializationOptions")
                            .map(Settings::from_value)
                            .unwrap_or_default();
                        self.settings = settings;
                        self.client = ClientSupport::from_initialize(&params);
                        transport::response(id, capabilities())
                    }
                } else if !self.initialized {
                    transport::error(
                        id,
                        transport::SERVER_NOT_INITIALIZED,
                        "the server is not initialized",
                    )
                } else if self.shutdown {
                    transport::error(
                        id,
                        transport::INVALID_REQUEST,
                        "the server is shutting down",
                    )
                } else if method == "shutdown" {
                    self.shutdown = true;
                    transport::response(id, Value::Null)
                } else {
                    let result = catch_unwind(AssertUnwindSafe(|| self.request(&method, params)));
                    match result {
                        Ok(Ok(value)) => transport::response(id, value),
                        Ok(Err((code, msg))) => transport::error(id, code, msg),
                        Err(panic) => transport::error(
                            id,
                            transport::INTERNAL_ERROR,
                            format!("{method} failed: {}", panic_text(&panic)),
                        ),
                    }
                };
                self.send(reply);
            }
        }
        None
    }

    fn notification(&mut self, method: &str, params: Value) {
        match method {
            "textDocument/didOpen" => {
                let Ok(p) = serde_json::from_value::<lt::DidOpenTextDocumentParams>(params) else {
                    return;
                };
                let uri = p.text_document.uri.as_str().to_string();
                let (setup, setup_error) = self.setup_for(&uri);
                let doc = Document {
                    index: PosIndex::new(&p.text_document.text),
                    text: p.text_document.text,
                    version: p.text_document.version,
                    analysis: None,
                    setup,
                    setup_error,
                    diagnostics: Vec::new(),
                    diag_version: None,
                    published: PublishCache::default(),
                };
                self.docs.insert(uri.clone(), doc);
                self.schedule(&uri);
            }
            "textDocument/didChange" => {
                let Ok(p) = serde_json::from_value::<lt::DidChangeTextDocumentParams>(params)
                else {
                    return;
                };
                let uri = p.text_document.uri.as_str().to_string();
                let Some(doc) = self.docs.get_mut(&uri) else {
                    return;
                };
                for change in p.content_changes {
                    apply_change(&mut doc.text, &mut doc.index, change.range, &change.text);
                }
                doc.version = p.text_document.version;
                doc.analysis = None;
                self.schedule(&uri);
            }
            "textDocument/didSave" => {
                let Ok(p) = serde_json::from_value::<lt::DidSaveTextDocumentParams>(params) else {
                    return;
                };
                let uri = p.text_document.uri.as_str().to_string();
                // The configuration may have changed on disk.
                let (setup, setup_error) = self.setup_for(&uri);
                if let Some(doc) = self.docs.get_mut(&uri) {
                    doc.setup = setup;
                    doc.setup_error = setup_error;
                    doc.analysis = None;
                    self.schedule(&uri);
                }
            }
            "textDocument/didClose" => {
                let Ok(p) = serde_json::from_value::<lt::DidCloseTextDocumentParams>(params) else {
                    return;
                };
                let uri = p.text_document.uri.as_str().to_string();
                self.docs.remove(&uri);
                self.send(transport::notification(
                    "textDocument/publishDiagnostics",
                    json!({"uri": uri, "diagnostics": []}),
                ));
            }
            "workspace/didChangeConfiguration" => {
                if let Some(settings) = params.get("settings") {
                    self.settings = Settings::from_value(settings);
                }
                let uris: Vec<String> = self.docs.keys().cloned().collect();
                for uri in uris {
                    let (setup, setup_error) = self.setup_for(&uri);
                    if let Some(doc) = self.docs.get_mut(&uri) {
                        doc.setup = setup;
                        doc.setup_error = setup_error;
                        doc.analysis = None;
                    }
                    self.schedule(&uri);
                }
            }
            _ => {}
        }
    }

    fn setup_for(&self, uri: &str) -> (LintSetup, Option<String>) {
        let path = uri_to_path(uri);
        match LintSetup::for_path(
            path.as_deref(),
            &self.settings.target,
            self.settings.config_dir.as_deref(),
            self.settings.indent,
        ) {
            Ok(s) => (s, None),
            Err(e) => (LintSetup::default(), Some(e.to_string())),
        }
    }

    fn schedule(&mut self, uri: &str) {
        let Some(doc) = self.docs.get(uri) else {
            return;
        };
        let warning = doc.setup_error.clone();
        let job = LintJob {
            uri: uri.to_string(),
            version: doc.version,
            text: Arc::from(doc.text.as_str()),
            setup: doc.setup.clone(),
            queued: Instant::now(),
        };
        if let Some(e) = warning {
            let message = json!({"type": 1, "message": format!("ipxe-lsp: {e}")});
            self.send(transport::notification("window/showMessage", message));
        }
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.retain(|j| j.uri != uri);
            jobs.push(job);
        }
        let _ = self.wake.send(());
    }

    fn linted(&mut self, uri: &str, version: i32, diagnostics: Vec<Diagnostic>) {
        let Some(doc) = self.docs.get_mut(uri) else {
            return;
        };
        if doc.version != version {
            return; // stale: a newer version is on its way
        }
        doc.diagnostics = diagnostics;
        doc.diag_version = Some(version);
        let body = doc.published.body(
            self.client,
            uri,
            version,
            &doc.text,
            &doc.index,
            &doc.diagnostics,
        );
        self.outbox.push(body);
    }

    fn doc(&mut self, uri: &str) -> Result<&mut Document, (i64, String)> {
        self.docs
            .get_mut(uri)
            .ok_or((transport::REQUEST_FAILED, format!("unknown document {uri}")))
    }

    /// The analysis, document and byte offset a position request points at.
    fn at_position(
        &mut self,
        at: &lt::TextDocumentPositionParams,
    ) -> Result<(Rc<Analysis>, &Document, usize), (i64, String)> {
        let (a, doc) = self.analysis(at.text_document.uri.as_str())?;
        let offset = doc.index.offset(&doc.text, at.position);
        Ok((a, doc, offset))
    }

    fn analysis(&mut self, uri: &str) -> Result<(Rc<Analysis>, &Document), (i64, String)> {
        let doc = self.doc(uri)?;
        if doc.analysis.is_none() {
            let profiles = doc.setup.options.profiles.clone();
            doc.analysis = Some(Rc::new(Analysis::new(
                doc.text.as_bytes().to_vec(),
                profiles,
            )));
        }
        let a = doc.analysis.clone().expect("just built");
        Ok((a, doc))
    }

    fn request(&mut self, method: &str, params: Value) -> Result<Value, (i64, String)> {
        fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, (i64, String)> {
            serde_json::from_value(params)
                .map_err(|e| (transport::INVALID_PARAMS, format!("invalid params: {e}")))
        }
        let ok = |v: Value| Ok(v);
        match method {
            "textDocument/definition" => {
                let p: lt::GotoDefinitionParams = parse(params)?;
                let uri = p.text_document_position_params.text_document.uri.clone();
                let (a, doc, offset) = self.at_position(&p.text_document_position_params)?;
                let spans = ipxe_ide::goto_definition(&a, offset as u32);
                ok(json!(locations(&uri, doc, &spans)))
            }
            "textDocument/references" => {
                let p: lt::ReferenceParams = parse(params)?;
                let uri = p.text_document_position.text_document.uri.clone();
                let (a, doc, offset) = self.at_position(&p.text_document_position)?;
                let spans = ipxe_ide::references(&a, offset as u32, p.context.include_declaration);
                ok(json!(locations(&uri, doc, &spans)))
            }
            "textDocument/documentHighlight" => {
                let p: lt::DocumentHighlightParams = parse(params)?;
                let (a, doc, offset) = self.at_position(&p.text_document_position_params)?;
                let hl: Vec<lt::DocumentHighlight> = ipxe_ide::highlights(&a, offset as u32)
                    .into_iter()
                    .map(|(s, write)| lt::DocumentHighlight {
                        range: doc.index.range(&doc.text, s.start as usize, s.end as usize),
                        kind: Some(if write {
                            lt::DocumentHighlightKind::WRITE
                        } else {
                            lt::DocumentHighlightKind::READ
                        }),
                    })
                    .collect();
                ok(json!(hl))
            }
            "textDocument/prepareRename" => {
                let p: lt::TextDocumentPositionParams = parse(params)?;
                let (a, doc) = self.analysis(p.text_document.uri.as_str())?;
                let offset = doc.index.offset(&doc.text, p.position);
                match ipxe_ide::prepare_rename(&a, offset as u32) {
                    Ok((span, placeholder)) => ok(json!({
                        "range": doc.index.range(&doc.text, span.start as usize, span.end as usize),
                        "placeholder": placeholder,
                    })),
                    Err(e) => Err((transport::REQUEST_FAILED, e.to_string())),
                }
            }
            "textDocument/rename" => {
                let p: lt::RenameParams = parse(params)?;
                let uri = p.text_document_position.text_document.uri.clone();
                let (a, doc, offset) = self.at_position(&p.text_document_position)?;
                match ipxe_ide::rename(&a, offset as u32, &p.new_name) {
                    Ok(edits) => {
                        let edits = to_text_edits(&doc.text, &doc.index, &edits);
                        let mut changes = HashMap::new();
                        changes.insert(uri, edits);
                        ok(json!(lt::WorkspaceEdit {
                            changes: Some(changes),
                            ..Default::default()
                        }))
                    }
                    Err(e) => Err((transport::REQUEST_FAILED, e.to_string())),
                }
            }
            "textDocument/hover" => {
                let p: lt::HoverParams = parse(params)?;
                let (a, doc, offset) = self.at_position(&p.text_document_position_params)?;
                match ipxe_ide::hover(&a, offset as u32) {
                    Some(h) => ok(json!(lt::Hover {
                        contents: lt::HoverContents::Markup(lt::MarkupContent {
                            kind: lt::MarkupKind::Markdown,
                            value: h.markdown,
                        }),
                        range: Some(doc.index.range(
                            &doc.text,
                            h.span.start as usize,
                            h.span.end as usize
                        )),
                    })),
                    None => ok(Value::Null),
                }
            }
            "textDocument/completion" => {
                let p: lt::CompletionParams = parse(params)?;
                let (a, doc, offset) = self.at_position(&p.text_document_position)?;
                let items: Vec<lt::CompletionItem> = ipxe_ide::completions(&a, offset as u32)
                    .into_iter()
                    .map(|c| lt::CompletionItem {
                        kind: Some(match c.kind {
                            CompletionKind::Command => lt::CompletionItemKind::FUNCTION,
                            CompletionKind::Option => lt::CompletionItemKind::PROPERTY,
                            CompletionKind::Label => lt::CompletionItemKind::REFERENCE,
                            CompletionKind::Setting => lt::CompletionItemKind::VARIABLE,
                            CompletionKind::SettingType => lt::CompletionItemKind::TYPE_PARAMETER,
                        }),
                        detail: c.detail,
                        documentation: c.documentation.map(|d| {
                            lt::Documentation::MarkupContent(lt::MarkupContent {
                                kind: lt::MarkupKind::Markdown,
                                value: d,
                            })
                        }),
                        text_edit: Some(lt::CompletionTextEdit::Edit(lt::TextEdit {
                            range: doc.index.range(
                                &doc.text,
                                c.replace.start as usize,
                                c.replace.end as usize,
                            ),
                            new_text: c.label.clone(),
                        })),
                        label: c.label,
                        ..Default::default()
                    })
                    .collect();
                ok(json!(lt::CompletionResponse::List(lt::CompletionList {
                    is_incomplete: false,
                    items
                })))
            }
            "textDocument/documentSymbol" => {
                let p: lt::DocumentSymbolParams = parse(params)?;
                let (a, doc) = self.analysis(p.text_document.uri.as_str())?;
                let symbols: Vec<lt::DocumentSymbol> = ipxe_ide::document_symbols(&a)
                    .iter()
                    .map(|s| to_lsp_symbol(&doc.text, &doc.index, s))
                    .collect();
                ok(json!(symbols))
            }
            "textDocument/foldingRange" => {
                let p: lt::FoldingRangeParams = parse(params)?;
                let (a, doc) = self.analysis(p.text_document.uri.as_str())?;
                let folds: Vec<lt::FoldingRange> = ipxe_ide::folding_ranges(&a)
                    .iter()
                    .map(|f| lt::FoldingRange {
                        start_line: doc.index.position(&doc.text, f.span.start as usize).line,
                        end_line: doc.index.position(&doc.text, f.span.end as usize).line,
                        kind: Some(lt::FoldingRangeKind::Region),
                        ..Default::default()
                    })
                    .collect();
                ok(json!(folds))
            }
            "textDocument/codeAction" => {
                let p: lt::CodeActionParams = parse(params)?;
                let uri = p.text_document.uri;
                let client = self.client;
                let (a, doc) = self.analysis(uri.as_str())?;
                let diagnostics = if doc.diag_version == Some(doc.version) {
                    doc.diagnostics.clone()
                } else {
                    ipxe_ide::diagnostics(&display_name(uri.as_str()), &a.src, &doc.setup)
                };
                let (start, end) = doc.index.offsets(&doc.text, p.range);
                let actions = ipxe_ide::code_actions(
                    &a,
                    &diagnostics,
                    ipxe_ide::Span::new(start as u32, end as u32),
                );
                let out: Vec<lt::CodeActionOrCommand> = actions
                    .into_iter()
                    .map(|action| {
                        let mut changes = HashMap::new();
                        changes.insert(
                            uri.clone(),
                            to_text_edits(&doc.text, &doc.index, &action.edits),
                        );
                        let diag = diagnostics.get(action.diagnostic).map(|d| {
                            to_lsp_diagnostic(client, Some(&uri), &doc.text, &doc.index, d)
                        });
                        lt::CodeActionOrCommand::CodeAction(lt::CodeAction {
                            title: action.title,
                            kind: Some(lt::CodeActionKind::QUICKFIX),
                            diagnostics: diag.map(|d| vec![d]),
                            edit: Some(lt::WorkspaceEdit {
                                changes: Some(changes),
                                ..Default::default()
                            }),
                            is_preferred: Some(action.preferred),
                            ..Default::default()
                        })
                    })
                    .collect();
                ok(json!(out))
            }
            "textDocument/formatting" => {
                let p: lt::DocumentFormattingParams = parse(params)?;
                let (a, doc) = self.analysis(p.text_document.uri.as_str())?;
                let edits = a.format(&doc.setup.format);
                ok(json!(to_text_edits(&doc.text, &doc.index, &edits)))
            }
            _ => Err((
                transport::METHOD_NOT_FOUND,
                format!("method not found: {method}"),
            )),
        }
    }
}

fn lint_worker(jobs: Arc<Mutex<Vec<LintJob>>>, wake: Receiver<()>, events: Sender<Event>) {
    // Per document: the findings of its unchanged pieces. The most recently
    // linted documents keep theirs; the others are dropped.
    let mut caches: Vec<(String, ipxe_ide::LintCache)> = Vec::new();
    while wake.recv().is_ok() {
        loop {
            let job = match jobs.lock() {
                Ok(mut j) if !j.is_empty() => j.remove(0),
                _ => break,
            };
            let _ = job.queued;
            let display = display_name(&job.uri);
            let mut cache = match caches.iter().position(|(uri, _)| *uri == job.uri) {
                Some(i) => caches.remove(i).1,
                None => ipxe_ide::LintCache::default(),
            };
            let result = catch_unwind(AssertUnwindSafe(|| {
                ipxe_ide::diagnostics_cached(&display, job.text.as_bytes(), &job.setup, &mut cache)
            }));
            // A cache is kept only after a run that finished.
            if result.is_ok() {
                caches.push((job.uri.clone(), cache));
                if caches.len() > CACHED_DOCUMENTS {
                    caches.remove(0);
                }
            }
            let diagnostics = match result {
                Ok(d) => d,
                Err(panic) => {
                    eprintln!(
                        "ipxe-lsp: linting {} panicked: {}",
                        job.uri,
                        panic_text(&panic)
                    );
                    continue;
                }
            };
            if events
                .send(Event::Linted {
                    uri: job.uri,
                    version: job.version,
                    diagnostics,
                })
                .is_err()
            {
                return;
            }
        }
    }
}

/// How many documents keep their lint cache.
const CACHED_DOCUMENTS: usize = 16;

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".into()
    }
}

pub fn capabilities() -> Value {
    let caps = lt::ServerCapabilities {
        position_encoding: Some(lt::PositionEncodingKind::UTF16),
        text_document_sync: Some(lt::TextDocumentSyncCapability::Options(
            lt::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lt::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lt::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        definition_provider: Some(lt::OneOf::Left(true)),
        references_provider: Some(lt::OneOf::Left(true)),
        document_highlight_provider: Some(lt::OneOf::Left(true)),
        rename_provider: Some(lt::OneOf::Right(lt::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        hover_provider: Some(lt::HoverProviderCapability::Simple(true)),
        completion_provider: Some(lt::CompletionOptions {
            trigger_characters: Some(vec!["{".into(), "-".into(), ":".into(), "/".into()]),
            ..Default::default()
        }),
        document_symbol_provider: Some(lt::OneOf::Left(true)),
        folding_range_provider: Some(lt::FoldingRangeProviderCapability::Simple(true)),
        code_action_provider: Some(lt::CodeActionProviderCapability::Options(
            lt::CodeActionOptions {
                code_action_kinds: Some(vec![lt::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        document_formatting_provider: Some(lt::OneOf::Left(true)),
        ..Default::default()
    };
    json!({
        "capabilities": caps,
        "serverInfo": {"name": "ipxe-lsp", "version": env!("CARGO_PKG_VERSION")},
    })
}

fn to_text_edits(text: &str, index: &PosIndex, edits: &[Edit]) -> Vec<lt::TextEdit> {
    edits
        .iter()
        .map(|e| lt::TextEdit {
            range: index.range(text, e.span.start as usize, e.span.end as usize),
            new_text: String::from_utf8_lossy(&e.content).into_owned(),
        })
        .collect()
}

fn to_lsp_symbol(text: &str, index: &PosIndex, s: &ipxe_ide::DocumentSymbol) -> lt::DocumentSymbol {
    let range = index.range(text, s.span.start as usize, s.span.end as usize);
    let mut selection = index.range(text, s.selection.start as usize, s.selection.end as usize);
    // The selection must lie inside the range.
    if selection.start < range.start || selection.end > range.end {
        selection = range;
    }
    #[allow(deprecated)]
    lt::DocumentSymbol {
        name: if s.name.is_empty() {
            "(empty)".into()
        } else {
            s.name.clone()
        },
        detail: s.detail.clone(),
        kind: match s.kind {
            DocumentSymbolKind::Label => lt::SymbolKind::FUNCTION,
            DocumentSymbolKind::Menu => lt::SymbolKind::ENUM,
            DocumentSymbolKind::Item => lt::SymbolKind::ENUM_MEMBER,
        },
        tags: None,
        deprecated: None,
        range,
        selection_range: selection,
        children: Some(
            s.children
                .iter()
                .map(|c| to_lsp_symbol(text, index, c))
                .collect(),
        ),
    }
}

/// `file:///a/b%20c.ipxe` → `/a/b c.ipxe`.
pub fn uri_to_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 0 && i + 2 <= bytes.len() - 1 {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    let path = String::from_utf8(out).ok()?;
    Some(PathBuf::from(path))
}

fn display_name(uri: &str) -> String {
    uri_to_path(uri)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| uri.to_string())
}

/// Spans of one document as LSP locations.
fn locations(uri: &lt::Uri, doc: &Document, spans: &[ipxe_ide::Span]) -> Vec<lt::Location> {
    spans
        .iter()
        .map(|s| lt::Location {
            uri: uri.clone(),
            range: doc.index.range(&doc.text, s.start as usize, s.end as usize),
        })
        .collect()
}
