//! Editor features for iPXE scripts, in editor terms: byte offsets into the
//! source and plain data types. Only `ipxe-lsp` knows LSP; it converts.
//!
//! An [`Analysis`] is a value built per document version (a full reparse is
//! cheap for scripts); each feature is one module taking an analysis and an
//! offset, after nil's `crates/ide/src/ide/*.rs`.
//!
//! **Invariant:** features never panic on any input bytes and any offset
//! (offsets past the end are clamped); the server still runs each request
//! under `catch_unwind`.

mod actions;
mod completion;
mod hover;
mod index;
mod navigation;
mod setup;
mod symbols;

use ipxe_semantics::{Bound, BuildProfile, FileModel, ModelBuilder};
use ipxe_syntax::{Parsed, parse};

pub use actions::{CodeAction, code_actions, disable_rule_edit};
pub use completion::{CompletionItem, CompletionKind, completions};
pub use hover::{HoverResult, hover};
pub use index::{Occurrence, Role, SymbolKind};
pub use ipxe_diagnostics::{Applicability, Diagnostic, Edit, Severity, Span};
pub use ipxe_fmt::FormatOptions;
pub use ipxe_lint::LintCache;
pub use navigation::{
    RenameError, goto_definition, highlights, prepare_rename, references, rename,
};
pub use setup::{LintSetup, SetupError, diagnostics, diagnostics_cached};
pub use symbols::{DocumentSymbol, DocumentSymbolKind, Fold, document_symbols, folding_ranges};

/// Everything the features need about one version of a document.
pub struct Analysis {
    pub src: Vec<u8>,
    pub parsed: Parsed,
    /// Per line, per command: the binding to the catalogue.
    pub bounds: Vec<Vec<Bound>>,
    pub model: FileModel,
    pub index: index::SymbolIndex,
    /// The builds hover reports availability for.
    pub profiles: Vec<BuildProfile>,
}

impl Analysis {
    pub fn new(src: Vec<u8>, profiles: Vec<BuildProfile>) -> Analysis {
        let parsed = parse(&src);
        let mut builder = ModelBuilder::new();
        let bounds: Vec<Vec<Bound>> = parsed
            .lines
            .iter()
            .map(|line| builder.line(line, &src))
            .collect();
        let model = builder.finish();
        let index = index::SymbolIndex::build(&src, &parsed, &bounds, &model);
        Analysis {
            src,
            parsed,
            bounds,
            model,
            index,
            profiles,
        }
    }

    /// The index of the logical line holding `offset` (clamped).
    pub fn line_at(&self, offset: u32) -> Option<usize> {
        let lines = &self.parsed.lines;
        if lines.is_empty() {
            return None;
        }
        let i = lines.partition_point(|l| l.span.end <= offset);
        Some(i.min(lines.len() - 1))
    }

    /// Whole-document formatting as minimal per-line edits.
    pub fn format(&self, options: &FormatOptions) -> Vec<Edit> {
        ipxe_fmt::format_edits(&self.src, options)
            .into_iter()
            .map(|e| Edit::replace(e.span, e.text))
            .collect()
    }
}

/// The documentation page of a lint rule (for `codeDescription`).
pub fn rule_url(code: &str) -> Option<String> {
    ipxe_lint::rule(code).map(|r| r.meta().url())
}
