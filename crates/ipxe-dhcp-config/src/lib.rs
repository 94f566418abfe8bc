//! Reads the configurations of DHCP servers that hand out boot files, as the
//! servers read them, and answers which boot file a client gets and why.
//!
//! **Invariant:** reading never fails. Unknown or malformed lines become
//! [`Problem`]s with their file and line, and reading goes on; every
//! directive keeps the place of each of its fields. This crate knows nothing
//! of lint rules.
//!
//! dnsmasq is modelled ([`DnsmasqConfig`], [`resolve`]); for ISC dhcpd, the
//! PXE subset is read and resolved ([`isc::IscConfig`], [`isc::resolve_isc`]).

pub mod dnsmasq;
pub mod fs;
pub mod isc;
mod lex;
pub mod names;
pub mod resolve;
mod source;

pub use dnsmasq::{
    Directive, DnsmasqConfig, Kind, Limits, OptionRef, Problem, ProblemKind, PxeTarget, TagCond,
};
pub use fs::{FileSystem, MemFs, NoFiles, RealFs};
pub use resolve::{Answer, ClientRequest, Decision, TagReason, resolve};
pub use source::{Field, FileId, Loc, Source};
