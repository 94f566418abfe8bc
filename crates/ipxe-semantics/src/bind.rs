//! Option parsing as iPXE does it, statically.
//!
//! iPXE's getopt only recognises options before the first positional argument
//! (no permutation), ends options at `--`, takes an option's value inline
//! (`-t5000`, `--timeout=5000`) or from the next word unless that word starts
//! with `-`, implicitly accepts `-h`/`--help` (which makes the command fail),
//! and stops at the first error. Words containing `${…}` are only known at run
//! time; binding treats a word whose value starts with an expansion as the
//! first positional, and says so in [`Bound::dynamic_stop`].

use std::borrow::Cow;
use std::ops::Range;

use ipxe_catalog::{ArgRole, Catalog, Command as Spec, OptArg, OptionSpec, ValueKind};
use ipxe_syntax::{Command, Word};
use smallvec::SmallVec;

/// A command bound to its catalogue entry. (The literal command name, when
/// wanted, is [`word_literal`] of the first word: copying it here cost an
/// allocation per command.)
#[derive(Clone, Debug)]
pub struct Bound {
    /// The catalogue entry, when the name is literal and known.
    pub spec: Option<&'static Spec>,
    /// Inline up to two (a command rarely has more), so binding a line does not allocate.
    pub options: SmallVec<[BoundOption; 2]>,
    /// Indices into `command.words` of the positional arguments. They are
    /// always consecutive, up to the last word, so they are usually a slice
    /// of a static table rather than an allocation per command.
    pub positionals: Cow<'static, [usize]>,
    /// Index of the `--` word that ended options.
    pub end_of_options: Option<usize>,
    /// The first problem iPXE's option parser would stop at.
    pub problem: Option<OptionProblem>,
    /// Option parsing stopped at a word whose value starts with an expansion.
    pub dynamic_stop: Option<usize>,
}

#[derive(Clone, Debug)]
pub struct BoundOption {
    pub spec: &'static OptionSpec,
    /// The word holding the option.
    pub word: usize,
    pub value: Option<OptValue>,
}

/// Where an option's value is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptValue {
    /// Inside the option's own word (`--name=x`, `-nx`): a range of its logical text.
    Inline { word: usize, range: Range<u32> },
    /// The whole next word.
    Next { word: usize },
}

impl OptValue {
    pub fn word(&self) -> usize {
        match self {
            OptValue::Inline { word, .. } | OptValue::Next { word } => *word,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionProblem {
    /// `Unrecognised option "--x"`.
    Unknown { word: usize, option: Vec<u8> },
    /// `Option "x" requires an argument`.
    MissingValue { word: usize, long: String },
    /// `Option "x" takes no argument`.
    TakesNoValue { word: usize, long: String },
    /// `-h`/`--help`: prints usage and fails.
    Help { word: usize },
}

/// `0, 1, 2, …`: positional index lists of ordinary commands are slices of it.
static INDICES: [usize; 256] = {
    let mut table = [0; 256];
    let mut i = 0;
    while i < table.len() {
        table[i] = i;
        i += 1;
    }
    table
};

/// The word indices `range` as a list, borrowed from [`INDICES`] when it fits.
fn indices(range: Range<usize>) -> Cow<'static, [usize]> {
    match INDICES.get(range.clone()) {
        Some(slice) => Cow::Borrowed(slice),
        None => Cow::Owned(range.collect()),
    }
}

/// The literal text of a word, or `None` when it contains a `${…}` reference.
pub fn word_literal<'a>(word: &'a Word, src: &'a [u8]) -> Option<&'a [u8]> {
    word.is_literal().then(|| word.text(src))
}

/// The part of a word known before expansion: everything before its first reference.
fn static_prefix<'a>(word: &'a Word, src: &'a [u8]) -> &'a [u8] {
    let text = word.text(src);
    let first = word
        .refs
        .iter()
        .map(|r| r.range.start)
        .min()
        .unwrap_or(text.len() as u32);
    &text[..first as usize]
}

impl Bound {
    pub fn option(&self, long: &str) -> Option<&BoundOption> {
        self.options.iter().find(|o| o.spec.long == long)
    }

    pub fn has_flag(&self, long: &str) -> bool {
        self.option(long).is_some()
    }

    /// The positional argument words.
    pub fn positional_words<'a>(
        &'a self,
        command: &'a Command,
    ) -> impl Iterator<Item = &'a Word> + 'a {
        self.positionals.iter().map(move |&i| &command.words[i])
    }

    /// The positional words in setting-name position (`set NAME …`,
    /// `show NAME`, `read NAME`…). Most commands name no setting, which is
    /// told from the catalogue entry before any word is looked at.
    pub fn setting_name_words<'a>(
        &'a self,
        command: &'a Command,
    ) -> impl Iterator<Item = &'a Word> + 'a {
        let spec = self
            .spec
            .filter(|s| s.args.iter().any(|a| a.role == ArgRole::SettingName));
        let named = move |n: usize| {
            spec.and_then(|s| s.arg_role(n))
                .is_some_and(|a| a.role == ArgRole::SettingName)
        };
        self.positionals
            .iter()
            .take(if spec.is_some() { usize::MAX } else { 0 })
            .enumerate()
            .filter(move |&(n, _)| named(n))
            .map(move |(_, &i)| &command.words[i])
    }

    /// The URIs the command opens: positional arguments whose role is a URI
    /// (or an image name that may be downloaded instead), then the values
    /// of URI options (`console --picture`). Each is its word and, for a
    /// value inside an option's word (`--picture=x`), the range of the
    /// word's text it takes; `None` means the whole word.
    pub fn uris<'a>(
        &'a self,
        command: &'a Command,
    ) -> impl Iterator<Item = (&'a Word, Option<Range<u32>>)> + 'a {
        let positionals = self.spec.into_iter().flat_map(move |spec| {
            self.positionals
                .iter()
                .enumerate()
                .filter(move |&(n, _)| {
                    matches!(
                        spec.arg_role(n).map(|a| a.role),
                        Some(ArgRole::Uri | ArgRole::UriOrImage)
                    )
                })
                .map(move |(_, &index)| (&command.words[index], None))
        });
        let options = self
            .options
            .iter()
            .filter(|o| o.spec.kind == ValueKind::Uri)
            .filter_map(move |o| match o.value.as_ref()? {
                OptValue::Next { word } => Some((&command.words[*word], None)),
                OptValue::Inline { word, range } => {
                    Some((&command.words[*word], Some(range.clone())))
                }
            });
        positionals.chain(options)
    }

    /// Which positional argument (0-based) word `index` is, if it is one.
    pub fn positional_number(&self, index: usize) -> Option<usize> {
        // Positionals are consecutive word indices.
        let first = *self.positionals.first()?;
        index
            .checked_sub(first)
            .filter(|&n| n < self.positionals.len())
    }

    /// The positional argument `n` (0-based) word.
    pub fn positional<'a>(&self, command: &'a Command, n: usize) -> Option<&'a Word> {
        self.positionals.get(n).map(|&i| &command.words[i])
    }

    /// The text of an option's value.
    pub fn option_value<'a>(
        &self,
        command: &'a Command,
        src: &'a [u8],
        long: &str,
    ) -> Option<&'a [u8]> {
        let option = self.option(long)?;
        Some(match option.value.as_ref()? {
            OptValue::Inline { word, range } => {
                &command.words[*word].text(src)[range.start as usize..range.end as usize]
            }
            OptValue::Next { word } => command.words[*word].text(src),
        })
    }

    /// Whether the argument count fits the command (only meaningful without a problem).
    pub fn arity_ok(&self) -> bool {
        match self.spec {
            Some(spec) => {
                self.positionals.len() >= spec.min_args
                    && (spec.unlimited_args() || self.positionals.len() <= spec.max_args)
            }
            None => true,
        }
    }
}

/// Binds one command to the catalogue.
pub fn bind(command: &Command, src: &[u8]) -> Bound {
    let spec = command
        .name()
        .and_then(|w| word_literal(w, src))
        .and_then(|n| Catalog::get().command_bytes(n));
    let mut bound = Bound {
        spec,
        options: SmallVec::new(),
        positionals: Cow::Borrowed(&[]),
        end_of_options: None,
        problem: None,
        dynamic_stop: None,
    };
    let Some(spec) = spec else {
        bound.positionals = indices(1..command.words.len());
        return bound;
    };
    if !spec.parses_options {
        bound.positionals = indices(1..command.words.len());
        return bound;
    }
    let words = &command.words;
    let mut i = 1;
    while i < words.len() {
        let word = &words[i];
        let prefix = static_prefix(word, src);
        if prefix.is_empty() && !word.is_literal() {
            bound.dynamic_stop = Some(i);
            break;
        }
        let text = word.text(src);
        if text.first() != Some(&b'-') {
            break;
        }
        if text == b"--" {
            bound.end_of_options = Some(i);
            i += 1;
            break;
        }
        if let Some(long_text) = text.strip_prefix(b"--") {
            let (name, inline) = match long_text.iter().position(|&b| b == b'=') {
                Some(eq) => (&long_text[..eq], Some(eq as u32 + 3)),
                None => (long_text, None),
            };
            if name == b"help" {
                bound.problem = Some(OptionProblem::Help { word: i });
                break;
            }
            let Some(option) = spec.option_long_bytes(name) else {
                bound.problem = Some(OptionProblem::Unknown {
                    word: i,
                    option: text.to_vec(),
                });
                break;
            };
            let value = match inline {
                Some(start) => Some(OptValue::Inline {
                    word: i,
                    range: start..text.len() as u32,
                }),
                None if option.arg != OptArg::None => next_value(words, i, src),
                None => None,
            };
            if option.arg == OptArg::Required && value.is_none() {
                bound.problem = Some(OptionProblem::MissingValue {
                    word: i,
                    long: option.long.clone(),
                });
                break;
            }
            if option.arg == OptArg::None && value.is_some() {
                bound.problem = Some(OptionProblem::TakesNoValue {
                    word: i,
                    long: option.long.clone(),
                });
                break;
            }
            let next = i + 1 + matches!(value, Some(OptValue::Next { .. })) as usize;
            bound.options.push(BoundOption {
                spec: option,
                word: i,
                value,
            });
            i = next;
            continue;
        }
        // Short options, possibly bundled (`-ar`), possibly with an inline value (`-t5000`).
        let this = i;
        let mut pos = 1;
        let mut consumed_next = false;
        if text.len() == 1 {
            bound.problem = Some(OptionProblem::Unknown {
                word: i,
                option: text.to_vec(),
            });
            break;
        }
        while pos < text.len() {
            let c = text[pos] as char;
            if c == 'h' {
                bound.problem = Some(OptionProblem::Help { word: this });
                break;
            }
            let Some(option) = spec.option_short(c) else {
                bound.problem = Some(OptionProblem::Unknown {
                    word: this,
                    option: vec![b'-', text[pos]],
                });
                break;
            };
            if option.arg == OptArg::None {
                bound.options.push(BoundOption {
                    spec: option,
                    word: this,
                    value: None,
                });
                pos += 1;
                continue;
            }
            let value = if pos + 1 < text.len() {
                Some(OptValue::Inline {
                    word: this,
                    range: pos as u32 + 1..text.len() as u32,
                })
            } else {
                let v = next_value(words, this, src);
                consumed_next = v.is_some();
                v
            };
            if option.arg == OptArg::Required && value.is_none() {
                bound.problem = Some(OptionProblem::MissingValue {
                    word: this,
                    long: option.long.clone(),
                });
            } else {
                bound.options.push(BoundOption {
                    spec: option,
                    word: this,
                    value,
                });
            }
            break;
        }
        if bound.problem.is_some() {
            break;
        }
        i = this + 1 + consumed_next as usize;
    }
    if bound.problem.is_none() {
        bound.positionals = indices(i..words.len());
    }
    bound
}

/// The next word as an option value, unless it starts with `-` (`get_argv_argument`).
/// A word that starts with an expansion is taken: its value is unknown, and
/// guessing that it starts with `-` would be wrong far more often.
fn next_value(words: &[Word], i: usize, src: &[u8]) -> Option<OptValue> {
    let next = words.get(i + 1)?;
    if static_prefix(next, src).first() == Some(&b'-') {
        return None;
    }
    Some(OptValue::Next { word: i + 1 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ipxe_syntax::parse;

    fn bind_line(line: &str) -> (Bound, Vec<String>) {
        let src = format!("#!ipxe\n{line}\n").into_bytes();
        let parsed = parse(&src);
        let command = &parsed.lines[1].commands[0];
        let bound = bind(command, &src);
        let positionals = bound
            .positional_words(command)
            .map(|w| String::from_utf8_lossy(w.text(&src)).into_owned())
            .collect();
        (bound, positionals)
    }

    #[test]
    fn options_stop_at_first_positional() {
        let (b, pos) = bind_line("kernel --name k vmlinuz -n x");
        assert_eq!(b.options.len(), 1);
        assert_eq!(pos, ["vmlinuz", "-n", "x"]);
        assert!(b.problem.is_none());
    }

    #[test]
    fn double_dash_ends_options() {
        let (b, pos) = bind_line("echo -- -n text");
        assert!(b.options.is_empty());
        assert_eq!(b.end_of_options, Some(1));
        assert_eq!(pos, ["-n", "text"]);
    }

    #[test]
    fn bundled_and_inline_short_options() {
        let (b, pos) = bind_line("chain -ar -t5000 http://x/y");
        let longs: Vec<_> = b.options.iter().map(|o| o.spec.long.as_str()).collect();
        assert_eq!(longs, ["autofree", "replace", "timeout"]);
        assert_eq!(pos, ["http://x/y"]);
    }

    #[test]
    fn long_option_values_inline_or_next_word() {
        let src = b"#!ipxe\nchoose --timeout=3000 --default x target\n";
        let parsed = parse(src);
        let command = &parsed.lines[1].commands[0];
        let b = bind(command, src);
        assert_eq!(b.option_value(command, src, "timeout"), Some(&b"3000"[..]));
        assert_eq!(b.option_value(command, src, "default"), Some(&b"x"[..]));
        assert_eq!(b.positionals.len(), 1);
    }

    #[test]
    fn problems_match_getopt() {
        assert!(matches!(
            bind_line("echo -e x").0.problem,
            Some(OptionProblem::Unknown { .. })
        ));
        assert!(matches!(
            bind_line("echo ----").0.problem,
            Some(OptionProblem::Unknown { .. })
        ));
        assert!(matches!(
            bind_line("choose --timeout -1 x").0.problem,
            Some(OptionProblem::MissingValue { .. })
        ));
        assert!(matches!(
            bind_line("chain --autofree=1 x").0.problem,
            Some(OptionProblem::TakesNoValue { .. })
        ));
        assert!(matches!(
            bind_line("dhcp --help").0.problem,
            Some(OptionProblem::Help { .. })
        ));
        assert!(matches!(
            bind_line("imgfree -h").0.problem,
            Some(OptionProblem::Help { .. })
        ));
        assert!(matches!(
            bind_line("echo - x").0.problem,
            Some(OptionProblem::Unknown { .. })
        ));
    }

    #[test]
    fn expansion_at_word_start_ends_options() {
        let (b, pos) = bind_line("echo ${msg} tail");
        assert_eq!(b.dynamic_stop, Some(1));
        assert_eq!(pos, ["${msg}", "tail"]);
        let (b, _) = bind_line("chain --timeout=${t} ${url}");
        assert_eq!(b.options.len(), 1);
    }
}
