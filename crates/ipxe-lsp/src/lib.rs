//! `ipxe-lsp`: the language server for iPXE scripts.
//!
//! **Invariant:** this is the only crate that knows LSP, JSON-RPC and
//! `lsp-types`. It converts between LSP's positions (UTF-16) and the byte
//! offsets of `ipxe-ide`, and otherwise only calls `ipxe-ide`.

pub mod client;
pub mod convert;
pub mod publish;
pub mod server;
pub mod transport;

pub use server::{Settings, run_stdio, serve};
