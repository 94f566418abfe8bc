//! What every rule file uses.

pub(crate) use ipxe_dhcp_config::Kind;
pub(crate) use ipxe_diagnostics::Severity;

pub(crate) use crate::{ClientKind, Cx, Rule, Sink};
