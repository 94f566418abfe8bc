//! JSON-RPC 2.0 over stdio with LSP's `Content-Length` framing.
//!
//! Our own small reader instead of `lsp-server`'s, because a malformed message
//! there ends the reader thread; here it becomes a JSON-RPC error answer and
//! the server goes on.

use std::io::{self, BufRead, Read, Write};

use serde_json::{Value, json};

/// The largest message accepted (a whole document arrives in one).
pub const MAX_MESSAGE: usize = 512 * 1024 * 1024;

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
pub const INTERNAL_ERROR: i64 = -32603;
pub const SERVER_NOT_INITIALIZED: i64 = -32002;
pub const REQUEST_FAILED: i64 = -32803;
pub const CONTENT_MODIFIED: i64 = -32801;

/// A message as read.
#[derive(Debug)]
pub enum Incoming {
    Request {
        id: Value,
        method: String,
        params: Value,
    },
    Notification {
        method: String,
        params: Value,
    },
    /// A response to something we sent (ignored).
    Response,
    /// Not a valid JSON-RPC message: answer with this error.
    Invalid {
        id: Value,
        code: i64,
        message: String,
    },
}

/// Reads one framed message; `Ok(None)` at end of input.
pub fn read<R: BufRead>(input: &mut R) -> io::Result<Option<Incoming>> {
    Ok(read_frame(input)?.map(|frame| match frame {
        Ok(body) => classify(&body),
        Err(invalid) => invalid,
    }))
}

/// Reads one frame's body (or the error a bad frame gets); `Ok(None)` at end of input.
pub fn read_frame<R: BufRead>(input: &mut R) -> io::Result<Option<Result<Vec<u8>, Incoming>>> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let trimmed = line.trim_end_matches(['\r', '\n']);
        if trimmed.is_empty() {
            if length.is_none() && bad_header.is_none() {
                // Stray blank line between messages.
                continue;
            }
            break;
        }
        match trimmed.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length: {trimmed:?}")),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("malformed header line: {trimmed:?}")),
        }
    }
    let Some(length) = length else {
        return Ok(Some(Err(Incoming::Invalid {
            id: Value::Null,
            code: PARSE_ERROR,
            message: bad_header.unwrap_or_else(|| "missing Content-Length".into()),
        })));
    };
    if length > MAX_MESSAGE {
        // Skip the body so the stream stays in sync.
        io::copy(&mut Read::take(&mut *input, length as u64), &mut io::sink())?;
        return Ok(Some(Err(Incoming::Invalid {
            id: Value::Null,
            code: INVALID_REQUEST,
            message: format!("message of {length} bytes is over the limit of {MAX_MESSAGE}"),
        })));
    }
    let mut body = vec![0u8; length];
    input.read_exact(&mut body)?;
    Ok(Some(Ok(body)))
}

/// Turns a body into a message (or the error to answer).
pub fn classify(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Incoming::Invalid {
                id: Value::Null,
                code: PARSE_ERROR,
                message: format!("invalid JSON: {e}"),
            };
        }
    };
    let Value::Object(mut map) = value else {
        return Incoming::Invalid {
            id: Value::Null,
            code: INVALID_REQUEST,
            message: "a JSON-RPC message must be an object".into(),
        };
    };
    let id = map.remove("id");
    let valid_id = |id: &Value| matches!(id, Value::Number(_) | Value::String(_));
    match map.remove("method") {
        Some(Value::String(method)) => {
            let params = map.remove("params").unwrap_or(Value::Null);
            match id {
                None => Incoming::Notification { method, params },
                Some(id) if valid_id(&id) => Incoming::Request { id, method, params },
                Some(_) => Incoming::Invalid {
                    id: Value::Null,
                    code: INVALID_REQUEST,
                    message: "`id` must be a number or a string".into(),
                },
            }
        }
        Some(_) => Incoming::Invalid {
            id: id.filter(valid_id).unwrap_or(Value::Null),
            code: INVALID_REQUEST,
            message: "`method` must be a string".into(),
        },
        None if map.contains_key("result") || map.contains_key("error") => Incoming::Response,
        None => Incoming::Invalid {
            id: id.filter(valid_id).unwrap_or(Value::Null),
            code: INVALID_REQUEST,
            message: "not a request, notification or response".into(),
        },
    }
}

/// Writes one framed message.
pub fn write(out: &mut impl Write, message: &Value) -> io::Result<()> {
    write_body(out, &serde_json::to_vec(message)?)
}

/// Writes one already serialized message.
pub fn write_body(out: &mut impl Write, body: &[u8]) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n", body.len())?;
    out.write_all(body)?;
    out.flush()
}

pub fn response(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

pub fn error(id: Value, code: i64, message: impl Into<String>) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message.into()}})
}

pub fn notification(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "method": method, "params": params})
}
