//! Settings the scripts of a run set to constants, and what `${…}` then
//! expands to before run time.
//!
//! A setting counts as known when the scripts (all files of a run together:
//! chained scripts share the settings tree) set it with `set` to exactly one
//! value, whose own references are known in turn. Anything written by
//! `read`, `choose`, `login`, `inc`, `clear`, digests' `--set`…, set to
//! several different values, deleted, stored in a block or with a type, or
//! supplied by iPXE or DHCP (`${next-server}`, `${platform}`, `${net0/mac}`)
//! is a run-time value, and whatever depends on it is unknown, never guessed.
//!
//! * [`setting_writes`] says what one command does to the settings it names:
//!   the one definition of a constant `set`, used both by [`ModelBuilder`]
//!   (so a [`FileModel`] keeps it) and by callers that read commands
//!   directly.
//! * [`SettingValues`] gathers the writes of a whole run, from either source.
//! * [`Expander`] looks values up and expands words over them the way iPXE's
//!   `expand_settings` does ([`expand`]), remembering each name's value and
//!   spending from one bounded budget.
//!
//! [`ModelBuilder`]: crate::ModelBuilder

pub mod expand;

use rustc_hash::FxHashMap as HashMap;

use ipxe_catalog::{ArgRole, Catalog, ValueKind};
use ipxe_syntax::{Command, Span, Word, split_setting_name};

use crate::{Bound, FileModel, WriteKind, word_literal};
use expand::{Unknown, expand_within};

/// Why a setting's value is known only at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// A command other than `set` writes it (`read`, `choose`, `inc`, `clear`…).
    Command(&'static str),
    /// A command's option writes it (`sha256sum --set`…).
    Option {
        command: &'static str,
        option: &'static str,
    },
    /// `login` asks for `username` and `password`.
    Login,
    /// `set block/name …` stores it in a settings block.
    Block(String),
    /// `set name:type …` with a type other than `string`.
    Typed,
    /// `set name` without a value deletes it.
    Deleted,
    /// Written at run time, as a [`FileModel`] records it (the model keeps
    /// the kind of write, not the command).
    Recorded,
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::Command(command) => write!(f, "which `{command}` sets at run time"),
            Why::Option { command, option } => {
                write!(f, "which `{command} --{option}` sets at run time")
            }
            Why::Login => f.write_str("which `login` asks for at run time"),
            Why::Block(block) => write!(f, "which the script stores in the block `{block}`"),
            Why::Typed => f.write_str("which the script sets with a `:type`"),
            Why::Deleted => f.write_str("which the script also deletes (`set` without a value)"),
            Why::Recorded => f.write_str("which the scripts write at run time"),
        }
    }
}

/// One setting a command writes.
#[derive(Debug)]
pub struct SettingWrite<'a> {
    /// The setting's name, without block or type.
    pub name: &'a [u8],
    /// The word that names it (for `login`, the command's name).
    pub span: Span,
    pub kind: WriteKind,
    /// The words a constant `set` stores (joined by single spaces, after
    /// expansion), or why the value is only known at run time.
    pub value: Result<&'a [Word], Why>,
}

/// Calls `visit` for every setting `command` writes, in order: names given
/// as arguments (`set`, `read`, `choose`, `inc`, `clear`…), then as option
/// values (`--set`), then the settings `login` fills in. Names computed at
/// run time are skipped (they could be any setting; such scripts are rare),
/// and so are commands iPXE would reject before running.
pub fn setting_writes<'a>(
    command: &'a Command,
    bound: &Bound,
    src: &'a [u8],
    mut visit: impl FnMut(SettingWrite<'a>),
) {
    let Some(spec) = bound.spec else { return };
    if bound.problem.is_some() {
        return;
    }
    let name: &'static str = spec.name.as_str();
    // `show` only reads the setting it names; most commands name none (a
    // command has fewer argument kinds than arguments).
    let names_settings = spec.args.iter().any(|a| a.role == ArgRole::SettingName);
    if names_settings && name != "show" {
        for (n, &index) in bound.positionals.iter().enumerate() {
            if spec.arg_role(n).map(|a| a.role) != Some(ArgRole::SettingName) {
                continue;
            }
            let word = &command.words[index];
            let Some(text) = word_literal(word, src) else {
                continue;
            };
            let parts = split_setting_name(text);
            let part = |r: &std::ops::Range<u32>| &text[r.start as usize..r.end as usize];
            let kind = match name {
                "set" if parts.ty.is_some() => WriteKind::SetTyped,
                "set" => WriteKind::SetString,
                "inc" => WriteKind::Inc,
                "clear" => WriteKind::Clear,
                _ => WriteKind::Other,
            };
            // Positionals run to the last word, so the value is the rest.
            let rest = &command.words[index + 1..];
            let value = if name != "set" {
                Err(Why::Command(name))
            } else if let Some(block) = &parts.block {
                Err(Why::Block(
                    String::from_utf8_lossy(part(block)).into_owned(),
                ))
            } else if parts.ty.as_ref().is_some_and(|t| part(t) != b"string") {
                Err(Why::Typed)
            } else if rest.is_empty() {
                Err(Why::Deleted)
            } else {
                Ok(rest)
            };
            visit(SettingWrite {
                name: part(&parts.name),
                span: word.span,
                kind,
                value,
            });
        }
    }
    for option in &bound.options {
        if option.spec.kind != ValueKind::Setting {
            continue;
        }
        let long: &'static str = option.spec.long.as_str();
        let Some(value) = bound.option_value(command, src, long) else {
            continue;
        };
        let parts = split_setting_name(value);
        let word = option.value.as_ref().map_or(option.word, |v| v.word());
        visit(SettingWrite {
            name: &value[parts.name.start as usize..parts.name.end as usize],
            span: command.words[word].span,
            kind: WriteKind::Other,
            value: Err(Why::Option {
                command: name,
                option: long,
            }),
        });
    }
    if name == "login" {
        for setting in [&b"username"[..], b"password"] {
            visit(SettingWrite {
                name: setting,
                span: command.words[0].span,
                kind: WriteKind::Other,
                value: Err(Why::Login),
            });
        }
    }
}

/// Where a constant value was set: the file (its index in the run) and the
/// name word of the `set`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Site {
    pub file: usize,
    pub span: Span,
}

/// How one setting name is written across the run.
#[derive(Debug, Default)]
struct Writes {
    /// The distinct values `set` stores, as their words, each with where it
    /// was first set.
    values: Vec<(Vec<Vec<u8>>, Site)>,
    /// The first reason the setting is a run-time value, if it is one.
    runtime: Option<Why>,
}

/// What the scripts of a run write to each setting name.
#[derive(Debug, Default)]
pub struct SettingValues {
    writes: HashMap<Box<[u8]>, Writes>,
}

/// Expansion work allowed to one [`Expander`]: far beyond real scripts,
/// small enough that a hostile one finishes in about a second.
pub const EXPANSION_BUDGET: usize = 256 * 1024 * 1024;

/// How deep values may refer to values.
pub const MAX_DEPTH: usize = 64;

impl SettingValues {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a write of file `file` of the run, as [`setting_writes`] gives
    /// it for a command of that file's source `src`.
    pub fn add(&mut self, file: usize, write: SettingWrite<'_>, src: &[u8]) {
        match write.value {
            Ok(words) => self.set(
                file,
                write.name,
                write.span,
                words.iter().map(|w| w.text(src)),
            ),
            Err(why) => self.runtime(write.name, why),
        }
    }

    /// Adds a constant `set` of `name` to `words`, at `span` of file `file`.
    pub fn set<'w>(
        &mut self,
        file: usize,
        name: &[u8],
        span: Span,
        words: impl IntoIterator<Item = &'w [u8]>,
    ) {
        let words: Vec<Vec<u8>> = words.into_iter().map(<[u8]>::to_vec).collect();
        let writes = self.entry(name);
        if !writes.values.iter().any(|(v, _)| *v == words) {
            writes.values.push((words, Site { file, span }));
        }
    }

    /// Adds a write that makes `name` a run-time value (the first reason
    /// given is kept).
    pub fn runtime(&mut self, name: &[u8], why: Why) {
        self.entry(name).runtime.get_or_insert(why);
    }

    fn entry(&mut self, name: &[u8]) -> &mut Writes {
        if !self.writes.contains_key(name) {
            self.writes.insert(name.into(), Writes::default());
        }
        self.writes.get_mut(name).expect("just added")
    }

    /// The writes of a run's files, from their models (in run order).
    pub fn from_models<'m>(models: impl IntoIterator<Item = &'m FileModel>) -> Self {
        let mut values = SettingValues::new();
        for (file, model) in models.into_iter().enumerate() {
            // Names in order of their first write, so the result does not
            // depend on the order of a hash table.
            for (sym, write) in model.writes_in_order() {
                let name = model.names.resolve(sym);
                for &(span, words) in &write.values {
                    let words = model.set_value_words(words);
                    values.set(
                        file,
                        name,
                        span,
                        words.iter().map(|w| model.names.resolve(*w)),
                    );
                }
                // Every write that is not a constant `set` is a run-time one.
                if write.values.len() < write.kinds.len() {
                    values.runtime(name, Why::Recorded);
                }
            }
        }
        values
    }

    /// Where a setting is set to its one constant value (first), when the
    /// run sets it to exactly one value and nothing writes it at run time.
    /// (The value itself may still refer to run-time values.)
    pub fn constant_site(&self, name: &[u8]) -> Option<Site> {
        match self.writes.get(name)? {
            Writes {
                values,
                runtime: None,
            } if values.len() == 1 => Some(values[0].1),
            _ => None,
        }
    }

    /// An expander over these values, with a fresh memory and a budget of
    /// [`EXPANSION_BUDGET`].
    pub fn expander(&self) -> Expander<'_> {
        Expander {
            values: self,
            memo: HashMap::default(),
            depth: 0,
            budget: EXPANSION_BUDGET,
        }
    }
}

#[derive(Clone)]
enum Memo {
    InProgress,
    Done(Result<Vec<u8>, Unknown>),
}

/// Looks up and expands over [`SettingValues`]: each name's value is worked
/// out once, nesting is bounded by [`MAX_DEPTH`], and all work is spent from
/// one budget (so many hostile words cannot add up to hours).
pub struct Expander<'a> {
    values: &'a SettingValues,
    memo: HashMap<Box<[u8]>, Memo>,
    depth: usize,
    /// Bytes of expansion work left.
    budget: usize,
}

impl Expander<'_> {
    /// The value of a reference's inner text (`name`, `block/name`,
    /// `name:type`), as `${inner}` would give it.
    pub fn lookup(&mut self, inner: &[u8]) -> Result<Vec<u8>, Unknown> {
        let shown = String::from_utf8_lossy(inner).into_owned();
        let runtime = |why: &str| Unknown::Runtime {
            name: shown.clone(),
            why: why.to_string(),
        };
        let parts = split_setting_name(inner);
        let range = |r: &std::ops::Range<u32>| &inner[r.start as usize..r.end as usize];
        if let Some(block) = parts.block.as_ref().map(range) {
            let block = String::from_utf8_lossy(block);
            return Err(runtime(&format!(
                "which reads the settings block `{block}` at run time"
            )));
        }
        if let Some(ty) = parts.ty.as_ref().map(range)
            && ty != b"string"
        {
            return Err(runtime(
                "whose `:type` formatting ipxelint does not reproduce",
            ));
        }
        let name = range(&parts.name);
        if name.is_empty() {
            // `${}` always expands to nothing.
            return Ok(Vec::new());
        }
        match self.memo.get(name) {
            Some(Memo::Done(result)) => return result.clone(),
            Some(Memo::InProgress) => return Err(runtime("whose value refers to itself")),
            None => {}
        }
        if self.depth >= MAX_DEPTH {
            return Err(Unknown::TooComplex);
        }
        self.memo.insert(name.into(), Memo::InProgress);
        self.depth += 1;
        let result = self.value_of(name, &shown);
        self.depth -= 1;
        if let Some(memo) = self.memo.get_mut(name) {
            *memo = Memo::Done(result.clone());
        }
        result
    }

    fn value_of(&mut self, name: &[u8], shown: &str) -> Result<Vec<u8>, Unknown> {
        let runtime = |why: String| Unknown::Runtime {
            name: shown.to_string(),
            why,
        };
        let values = self.values;
        let Some(writes) = values.writes.get(name) else {
            let text = String::from_utf8_lossy(name);
            let predefined = Catalog::get().setting(&text).is_some()
                || text.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            return Err(runtime(if predefined {
                "which iPXE or DHCP fills in at run time".into()
            } else {
                "which none of the scripts sets".into()
            }));
        };
        if let Some(why) = &writes.runtime {
            return Err(runtime(why.to_string()));
        }
        match writes.values.as_slice() {
            [] => Err(runtime("which none of the scripts sets".into())),
            [(words, _)] => {
                // What `set` stores: its words expanded, joined by spaces.
                let mut value = Vec::new();
                for (i, word) in words.iter().enumerate() {
                    if i > 0 {
                        value.push(b' ');
                    }
                    value.extend_from_slice(&self.expand(word)?);
                }
                if value.is_empty() {
                    Err(runtime(
                        "which is set to an empty value (that deletes it)".into(),
                    ))
                } else {
                    Ok(value)
                }
            }
            more => Err(runtime(format!(
                "which the scripts set to {} different values",
                more.len()
            ))),
        }
    }

    /// Expands `text` as iPXE would, over the known values.
    pub fn expand(&mut self, text: &[u8]) -> Result<Vec<u8>, Unknown> {
        let start = self.budget;
        let mut budget = start;
        let expanded = expand_within(text, &mut |inner| self.lookup(inner), &mut budget);
        // Nested lookups spent from `self.budget`; add this level's work.
        self.budget = self.budget.saturating_sub(start - budget);
        expanded
    }
}

/// The end of the URI scheme at the start of `text` as iPXE's `parse_uri`
/// reads it (letters, `-` and `_` up to a `:`): the offset of the `:`.
pub fn scheme_end(text: &[u8]) -> Option<usize> {
    text.iter()
        .position(|&b| !is_scheme_byte(b))
        .filter(|&i| text[i] == b':')
}

/// A byte that can be part of a URI scheme (see [`scheme_end`]).
pub fn is_scheme_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'-' || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ModelBuilder, bind};
    use ipxe_syntax::Lines;

    /// The writes of `scripts` read command by command, and through models:
    /// both must say the same of every name.
    fn both_ways(scripts: &[&str]) -> [SettingValues; 2] {
        let mut direct = SettingValues::new();
        let mut models = Vec::new();
        for (file, script) in scripts.iter().enumerate() {
            let src = script.as_bytes();
            let mut builder = ModelBuilder::new();
            for line in Lines::new(src) {
                for command in &line.commands {
                    let bound = bind(command, src);
                    setting_writes(command, &bound, src, |w| direct.add(file, w, src));
                }
                builder.line(&line, src);
            }
            models.push(builder.finish());
        }
        [direct, SettingValues::from_models(&models)]
    }

    fn value(values: &SettingValues, text: &str) -> Result<String, String> {
        values
            .expander()
            .expand(text.as_bytes())
            .map(|v| String::from_utf8(v).unwrap())
            .map_err(|e| match e {
                Unknown::Runtime { name, .. } => format!("runtime {name}"),
                Unknown::TooComplex => "too complex".into(),
            })
    }

    #[test]
    fn constants_follow_every_file_of_the_run() {
        for values in both_ways(&[
            "#!ipxe\nset host boot.example.com\nset base http://${host}/os\nset twice a\nset twice b\nread typed\nset net0/blocked x\nset n:int32 5\nset s:string v\nset gone x\nclear gone\n",
            "#!ipxe\nset twice a\nset same one\nchoose --default x chosen ||\nsha256sum --set sum x ||\nlogin\n",
            "#!ipxe\nset same one\n",
        ]) {
            let v = |t: &str| value(&values, t);
            assert_eq!(v("${base}/k").unwrap(), "http://boot.example.com/os/k");
            assert_eq!(v("${same}").unwrap(), "one");
            assert_eq!(v("${s}").unwrap(), "v");
            for unknown in [
                "twice", "typed", "blocked", "n", "gone", "chosen", "sum", "username", "platform",
                "nowhere",
            ] {
                assert!(
                    v(&format!("${{{unknown}}}")).is_err(),
                    "{unknown} should be unknown"
                );
            }
            assert_eq!(
                values.constant_site(b"same").map(|s| s.file),
                Some(1),
                "first set"
            );
            assert_eq!(values.constant_site(b"twice"), None);
        }
    }

    #[test]
    fn reasons_name_the_command() {
        let [direct, _] = both_ways(&["#!ipxe\nread r\nset b/x 1\nset t:int8 1\nset d\ninc i\n"]);
        let why = |name: &str| {
            let Err(Unknown::Runtime { why, .. }) = direct.expander().lookup(name.as_bytes())
            else {
                panic!("{name} is a run-time value")
            };
            why
        };
        assert_eq!(why("r"), "which `read` sets at run time");
        assert_eq!(why("x"), "which the script stores in the block `b`");
        assert_eq!(why("t"), "which the script sets with a `:type`");
        assert_eq!(
            why("d"),
            "which the script also deletes (`set` without a value)"
        );
        assert_eq!(why("i"), "which `inc` sets at run time");
    }

    #[test]
    fn schemes() {
        assert_eq!(scheme_end(b"https://h"), Some(5));
        assert_eq!(scheme_end(b"x-y_z:"), Some(5));
        assert_eq!(scheme_end(b"/https://"), None);
        assert_eq!(scheme_end(b"http"), None);
        assert_eq!(scheme_end(b":x"), Some(0));
    }
}
