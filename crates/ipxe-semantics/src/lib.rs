//! The meaning of a parsed script, as far as it can be known without running it.
//!
//! * [`bind`] reads a command's words the way iPXE's `parse_options`
//!   (`src/core/parseopt.c`, `src/core/getopt.c`) would, using the catalogue's
//!   option tables: which words are options, their values, the positionals.
//! * [`FileModel`] collects, in one streaming pass, the facts whole-script
//!   checks need: labels, `goto`s, menus, setting writes and reads, images, and
//!   per-line control flow. It stays small, so huge files don't need their
//!   whole tree in memory.
//! * [`constants`] knows which settings the scripts of a run set to
//!   constants, and expands `${…}` over them as iPXE would.
//! * [`BuildProfile`] says which commands and URI schemes a given iPXE build has.

mod bind;
pub mod constants;
mod flow;
mod interner;
mod model;
mod profile;
mod suggest;

pub use bind::{Bound, BoundOption, OptValue, OptionProblem, bind, word_literal};
pub use flow::{
    FailingEnd, LineFlow, Outcomes, Transfer, command_outcomes, failing_ends, line_flow,
};
pub use interner::{Interner, Sym, SymIndex};
pub use model::{
    CallFact, ChooseFact, FileModel, GotoFact, GotoTarget, ImageFact, ImageFactKind, ItemFact,
    LabelFact, LineFacts, MenuEvent, ModelBuilder, RECORDED_CALLS, ReadFact, Slice, UriRef,
    WriteFact, WriteKind, uri_basename,
};
pub use profile::{BuildProfile, ProfileError, output_formats};
pub use suggest::suggest;

pub use ipxe_catalog as catalog;
