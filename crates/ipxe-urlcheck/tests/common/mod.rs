//! The loopback test server, shared with `ipxelint`'s CLI tests (it lives in
//! `src/test_server.rs`).

#![allow(unused_imports)]

pub use ipxe_urlcheck::test_server::*;
