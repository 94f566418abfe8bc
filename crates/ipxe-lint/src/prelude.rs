//! What rule files import.

#![allow(unused_imports)]
pub(crate) use ipxe_catalog::{ArgRole, Catalog, ValueKind};
pub(crate) use ipxe_diagnostics::{Applicability, Edit, Severity, Span, widen_to_chars};
pub(crate) use ipxe_semantics::{Bound, OptValue, OptionProblem, word_literal};
pub(crate) use ipxe_syntax::{Command, Connector, Line, Word};

pub(crate) use crate::rule::{Check, FileCx, FixAvailability, LineCx, Rule, Sink};
pub(crate) use crate::util::show;
