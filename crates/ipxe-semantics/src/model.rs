//! Whole-script facts, gathered in one pass over the lines.

use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;

use std::ops::Range;

use ipxe_syntax::{Command, Connector, Line, Span, Word, split_setting_name};

use crate::constants::{is_scheme_byte, setting_writes};
use crate::flow::{FailingEnd, LineFlow, failing_ends, line_flow};
use crate::{Bound, Interner, OptValue, Sym, SymIndex, bind, word_literal};

#[derive(Clone, Debug)]
pub struct LabelFact {
    pub name: Sym,
    /// The label name (without the colon).
    pub span: Span,
    pub line: u32,
}

/// Per logical line: just enough for flow checks. A huge script has a
/// million of these, so absent values are kept as sentinels (24 bytes a line).
#[derive(Clone, Debug)]
pub struct LineFacts {
    /// The line without its final newline.
    pub span: Span,
    /// Index into `labels`, or `u32::MAX`.
    label: u32,
    /// Span of the first non-empty command, or an empty span (a command is
    /// never empty).
    first_command: Span,
    pub flow: LineFlow,
}

impl LineFacts {
    fn new(span: Span, label: Option<u32>, first_command: Option<Span>, flow: LineFlow) -> Self {
        LineFacts {
            span,
            label: label.unwrap_or(u32::MAX),
            first_command: first_command.unwrap_or_default(),
            flow,
        }
    }

    /// The label defined on this line (index into [`FileModel::labels`]).
    pub fn label(&self) -> Option<u32> {
        (self.label != u32::MAX).then_some(self.label)
    }

    /// Span of the first non-empty command, if any.
    pub fn first_command(&self) -> Option<Span> {
        (!self.first_command.is_empty()).then_some(self.first_command)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GotoTarget {
    Literal(Sym),
    /// `goto prefix${var}suffix`: one reference with literal text around it.
    Template {
        var: Sym,
        prefix: Sym,
        suffix: Sym,
    },
    /// Anything else computed at run time.
    Dynamic,
}

#[derive(Clone, Debug)]
pub struct GotoFact {
    pub target: GotoTarget,
    /// The target word.
    pub span: Span,
    pub line: u32,
    /// A later command on the line runs when this `goto` fails (`goto ${x} ||
    /// chain ${x}.ipxe`): a missing label is then a planned fallback.
    pub handled: bool,
}

#[derive(Clone, Debug)]
pub struct ItemFact {
    pub menu: Option<Sym>,
    /// The item name (the value `choose` stores), when literal.
    pub name: Option<Sym>,
    pub name_span: Option<Span>,
    pub key: Option<Sym>,
    pub key_span: Option<Span>,
    pub gap: bool,
    pub is_default: bool,
    pub span: Span,
    pub line: u32,
}

#[derive(Clone, Debug)]
pub struct ChooseFact {
    pub menu: Option<Sym>,
    /// The setting `choose` stores the item name in.
    pub var: Option<Sym>,
    pub var_span: Option<Span>,
    pub default: Option<(Sym, Span)>,
    /// The `--timeout` value: literal text (or `None` when computed) and
    /// span (of the value only, in `--timeout=x`).
    pub timeout: Option<(Option<Sym>, Span)>,
    pub keep: bool,
    pub span: Span,
    pub line: u32,
    pub flow: LineFlow,
}

#[derive(Clone, Debug)]
pub enum MenuEvent {
    Menu {
        name: Option<Sym>,
        span: Span,
        line: u32,
    },
    Item(ItemFact),
    /// Boxed: one in ten events, and twice the size of an item.
    Choose(Box<ChooseFact>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WriteKind {
    /// `set name value` without a type: stores a string.
    SetString,
    /// `set name:type value` or a predefined typed setting.
    SetTyped,
    /// `inc`: creates an int32 when unset.
    Inc,
    /// `clear`: deletes the setting (it stores no value).
    Clear,
    /// `read`, `choose`, `login`, `pciscan`, `nslookup`…
    Other,
}

/// Every write of one setting name.
#[derive(Clone, Debug)]
pub struct WriteFact {
    pub first: Span,
    /// Each write's kind and the word naming the setting.
    pub kinds: Vec<(WriteKind, Span)>,
    /// The writes among `kinds` that are constant `set`s (see
    /// [`crate::constants::setting_writes`]): the name word and the value
    /// words, a range of [`FileModel::set_values`] (see
    /// [`FileModel::set_value_words`]). When there are fewer of these than
    /// `kinds`, the setting is also written at run time.
    pub values: Vec<(Span, Slice)>,
}

impl WriteFact {
    fn new(first: Span) -> Self {
        WriteFact {
            first,
            kinds: Vec::new(),
            values: Vec::new(),
        }
    }

    /// Whether some write stores a value (not only `clear`s).
    pub fn stores(&self) -> bool {
        self.kinds.iter().any(|(kind, _)| *kind != WriteKind::Clear)
    }
}

/// The reads of one setting name.
#[derive(Clone, Debug)]
pub struct ReadFact {
    pub first: Span,
    pub count: u32,
}

/// What an image command does with its image; the commands recorded as
/// [`ImageFact`]s (when they name an image) are those with a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFactKind {
    /// `kernel`, `imgselect`, `imgload`.
    Kernel,
    /// `initrd`, `imgfetch`, `module`.
    Fetch,
    /// `chain`, `imgexec`, `boot` with an argument.
    Exec,
    Imgargs,
}

impl ImageFactKind {
    /// [`ImageFactKind::of`] for a catalogue command, from a table built
    /// once (asked for every command of every line).
    pub fn of_command(spec: &ipxe_catalog::Command) -> Option<ImageFactKind> {
        recorded(spec).image
    }

    /// The kind of an image command, by its catalogue name.
    pub fn of(command: &str) -> Option<ImageFactKind> {
        Some(match command {
            "kernel" | "imgselect" | "imgload" => ImageFactKind::Kernel,
            "initrd" | "imgfetch" | "module" => ImageFactKind::Fetch,
            "chain" | "imgexec" | "boot" => ImageFactKind::Exec,
            "imgargs" => ImageFactKind::Imgargs,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub struct ImageFact {
    pub kind: ImageFactKind,
    /// The name the image is registered under (`--name` or the URI's basename), when known.
    pub name: Option<Sym>,
    /// The URI or image word.
    pub span: Span,
    /// Literal `initrd=` values in the image's command line: a range of
    /// [`FileModel::initrd_args`] (see [`FileModel::initrd_args_of`]).
    pub initrd_args: Slice,
    pub line: u32,
    /// A failure of this command can end its line, which aborts the script
    /// (see [`failing_ends`]).
    pub unhandled: bool,
}

/// A command that whole-script checks look for by name: tests, counters,
/// ways out (`exit`, `shell`, interaction), image selection. Only the
/// commands in [`RECORDED_CALLS`] are kept, so the model stays small.
#[derive(Clone, Debug)]
pub struct CallFact {
    /// Index of the command's name in [`RECORDED_CALLS`] (see [`CallFact::name`]).
    kind: u8,
    pub line: u32,
    /// The operator before the command on its line, if any.
    pub connector: Option<Connector>,
    /// The whole command.
    pub span: Span,
    /// The positional argument words: a range of [`FileModel::call_args`]
    /// (see [`FileModel::args_of`]).
    pub args: Slice,
    /// Set when a failure of this command can end its line, which aborts the
    /// script (see [`failing_ends`]).
    pub unhandled: Option<FailingEnd>,
}

impl CallFact {
    /// The catalogue name.
    pub fn name(&self) -> &'static str {
        RECORDED_CALLS[self.kind as usize]
    }
}

/// A URI whose scheme is not decided before its first `${…}` reference
/// (`${base}/menu.ipxe`, `http${s}://h/x`): the literal text before that
/// reference is all scheme characters. Only such URIs are recorded, so a
/// script of literal URLs costs nothing here; a huge script that starts
/// every URL with `${base-url}` costs 8 bytes a URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UriRef {
    /// Where the URI starts: a word, or the value in `--option=value`. It
    /// runs to the end of its word (see [`UriRef::text`]; words joined by a
    /// continuation are not recorded).
    pub start: u32,
    /// A SAN root path (`sanboot`, `sanhook`) rather than a download.
    pub san: bool,
}

impl UriRef {
    /// The URI as written, from the file's source.
    pub fn text<'a>(&self, src: &'a [u8]) -> &'a [u8] {
        let rest = &src[(self.start as usize).min(src.len())..];
        &rest[..word_end(rest)]
    }

    /// The URI's first reference: its offset in [`UriRef::text`] (the
    /// scheme characters before it are that long) and the text inside it
    /// (`base`, `net0/ip`, `x:string`).
    pub fn first_ref<'a>(&self, src: &'a [u8]) -> (usize, &'a [u8]) {
        // Only scheme characters come before it, nothing opens inside it,
        // and it closes inside the word: no need to find the word's end.
        let rest = &src[(self.start as usize).min(src.len())..];
        let open = rest.iter().position(|&b| b == b'$').unwrap_or(0);
        let inner = &rest[(open + 2).min(rest.len())..];
        // Names are short: a plain loop beats `memchr`'s set-up.
        let close = inner.iter().position(|&b| b == b'}').unwrap_or(0);
        (open, &inner[..close])
    }
}

/// Whitespace as iPXE's `isspace` sees it: what separates words.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// Where a word that starts `text` ends.
fn word_end(text: &[u8]) -> usize {
    text.iter().position(|&b| is_space(b)).unwrap_or(text.len())
}

/// A range of one of the model's shared lists: facts with a variable number
/// of parts keep them there instead of in an allocation of their own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Slice {
    start: u32,
    len: u32,
}

impl Slice {
    fn push_all<T>(list: &mut Vec<T>, items: impl IntoIterator<Item = T>) -> Slice {
        let start = list.len();
        list.extend(items);
        Slice {
            start: start as u32,
            len: (list.len() - start) as u32,
        }
    }

    fn of<'a, T>(&self, list: &'a [T]) -> &'a [T] {
        &list[self.start as usize..(self.start + self.len) as usize]
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }
}

/// The commands recorded as [`CallFact`]s.
pub const RECORDED_CALLS: &[&str] = &[
    "goto", "exit", "iseq", "isset", "cpuid", "inc", "prompt", "read", "choose", "present",
    "login", "shell", "config", "reboot", "poweroff", "boot", "imgexec", "imgfree", "sanboot",
    "chain", "dhcp", "ifconf", "ifopen",
];

/// What the model records for one catalogue command.
#[derive(Clone, Copy, Default)]
struct Recorded {
    /// Its index in [`RECORDED_CALLS`].
    call: Option<u8>,
    image: Option<ImageFactKind>,
}

/// [`Recorded`] by catalogue command id: worked out once, instead of
/// comparing names for every command of every line.
fn recorded(spec: &ipxe_catalog::Command) -> Recorded {
    static BY_ID: std::sync::OnceLock<Vec<Recorded>> = std::sync::OnceLock::new();
    BY_ID.get_or_init(|| {
        ipxe_catalog::Catalog::get()
            .commands
            .iter()
            .map(|c| Recorded {
                call: RECORDED_CALLS
                    .iter()
                    .position(|&r| r == c.name)
                    .map(|i| i as u8),
                image: ImageFactKind::of(&c.name),
            })
            .collect()
    })[spec.id]
}

/// The facts of one script.
#[derive(Clone, Debug, Default)]
pub struct FileModel {
    pub names: Interner,
    pub labels: Vec<LabelFact>,
    /// First definition of each label name (index into `labels`).
    pub first_label: SymIndex,
    pub lines: Vec<LineFacts>,
    pub gotos: Vec<GotoFact>,
    pub menu_events: Vec<MenuEvent>,
    pub writes: HashMap<Sym, WriteFact>,
    pub reads: HashMap<Sym, ReadFact>,
    pub images: Vec<ImageFact>,
    /// The script reads `${platform}` (so it may branch on it).
    pub reads_platform: bool,
    /// References whose name is computed (`${menu-${i}}`, `${${x}}`): the
    /// literal start and end of the name they may read (`menu-` and ``; a
    /// name that starts and ends so may be read).
    pub computed_reads: Vec<(Sym, Sym)>,
    /// The commands of [`RECORDED_CALLS`], in order.
    pub calls: Vec<CallFact>,
    /// The argument spans of all `calls`.
    pub call_args: Vec<Span>,
    /// The literal `initrd=` arguments of all `images`.
    pub initrd_args: Vec<(Sym, Span)>,
    /// The value words of all constant `set`s (see [`WriteFact::values`]).
    pub set_values: Vec<Sym>,
    /// URIs whose scheme depends on a setting, in order.
    pub uri_refs: Vec<UriRef>,
    /// For each `choose` (by index in `menu_events`): the line of the next
    /// `choose` into the same setting, if any.
    pub choose_ends: HashMap<u32, u32>,
    /// `goto prefix${var}suffix` facts by `var` (indices into `gotos`, in order).
    pub template_gotos: HashMap<Sym, Vec<u32>>,
    /// `stops[i]`: how many lines before line `i` never fall through to the next.
    pub stops: Vec<u32>,
}

impl FileModel {
    /// Every written setting, in the order of its first write (so findings
    /// come out in file order, not hash order).
    pub fn writes_in_order(&self) -> Vec<(Sym, &WriteFact)> {
        let mut writes: Vec<(Sym, &WriteFact)> = self.writes.iter().map(|(s, w)| (*s, w)).collect();
        writes.sort_by_key(|(_, w)| w.first.start);
        writes
    }

    /// The text of an interned name, if any.
    pub fn text(&self, name: Option<Sym>) -> Option<&[u8]> {
        name.map(|n| self.names.resolve(n))
    }

    /// The positional argument words of a recorded call.
    pub fn args_of(&self, call: &CallFact) -> &[Span] {
        call.args.of(&self.call_args)
    }

    /// The value words of a constant `set` (one of [`WriteFact::values`]).
    pub fn set_value_words(&self, words: Slice) -> &[Sym] {
        words.of(&self.set_values)
    }

    /// The literal `initrd=` values of an image's command line, with their spans.
    pub fn initrd_args_of(&self, image: &ImageFact) -> &[(Sym, Span)] {
        image.initrd_args.of(&self.initrd_args)
    }

    pub fn label_defined(&self, name: &[u8]) -> bool {
        self.names
            .get(name)
            .is_some_and(|s| self.first_label.contains_key(&s))
    }

    /// Items of the menu a `choose` (at index `choose_event` of `menu_events`) shows:
    /// those added to the same menu since it was last (re)created.
    pub fn items_for_choose(&self, choose_event: usize) -> Vec<&ItemFact> {
        let MenuEvent::Choose(choose) = &self.menu_events[choose_event] else {
            return Vec::new();
        };
        let mut items = Vec::new();
        for event in self.menu_events[..choose_event].iter().rev() {
            match event {
                MenuEvent::Menu { name, .. } if *name == choose.menu => break,
                // A previous choose without --keep destroyed the menu.
                MenuEvent::Choose(c) if c.menu == choose.menu && !c.keep => break,
                MenuEvent::Item(item) if item.menu == choose.menu => items.push(item),
                _ => {}
            }
        }
        items.reverse();
        items
    }

    /// The `goto`s that jump on the value a `choose` (at index `choose_event`
    /// of `menu_events`) stores: `goto ${var}` or `goto prefix${var}suffix`,
    /// from the choose's line up to the next `choose` into the same setting.
    pub fn gotos_for_choose(&self, choose_event: usize) -> Vec<&GotoFact> {
        let MenuEvent::Choose(choose) = &self.menu_events[choose_event] else {
            return Vec::new();
        };
        let Some(gotos) = choose.var.and_then(|var| self.template_gotos.get(&var)) else {
            return Vec::new();
        };
        let end = self.choose_ends.get(&(choose_event as u32)).copied();
        let first = gotos.partition_point(|&g| self.gotos[g as usize].line < choose.line);
        gotos[first..]
            .iter()
            .map(|&g| &self.gotos[g as usize])
            .take_while(|g| end.is_none_or(|e| g.line < e))
            .collect()
    }

    /// The recorded calls with one of `names` (all in [`RECORDED_CALLS`]), in
    /// order: the names are looked up once, not compared call by call.
    pub fn calls_named<'a>(
        &'a self,
        names: &[&str],
    ) -> impl Iterator<Item = &'a CallFact> + Clone + 'a {
        debug_assert!(names.iter().all(|n| RECORDED_CALLS.contains(n)));
        debug_assert!(RECORDED_CALLS.len() <= 64);
        let kinds = RECORDED_CALLS
            .iter()
            .enumerate()
            .filter(|(_, name)| names.contains(name))
            .fold(0u64, |kinds, (i, _)| kinds | 1 << i);
        self.calls.iter().filter(move |c| kinds >> c.kind & 1 != 0)
    }

    /// [`FileModel::items_for_choose`] without allocating: the items in order.
    pub fn choose_items(&self, choose_event: usize) -> impl Iterator<Item = &ItemFact> + Clone {
        let (menu, start) = match &self.menu_events[choose_event] {
            MenuEvent::Choose(choose) => {
                let menu = choose.menu;
                // Where the menu was last (re)created or destroyed.
                let start = self.menu_events[..choose_event]
                    .iter()
                    .rposition(|event| match event {
                        MenuEvent::Menu { name, .. } => *name == menu,
                        MenuEvent::Choose(c) => c.menu == menu && !c.keep,
                        MenuEvent::Item(_) => false,
                    })
                    .map_or(0, |i| i + 1);
                (menu, start)
            }
            // Nothing: an empty range.
            _ => (None, choose_event),
        };
        self.menu_events[start..choose_event]
            .iter()
            .filter_map(move |event| match event {
                MenuEvent::Item(item) if item.menu == menu => Some(item),
                _ => None,
            })
    }

    /// [`FileModel::gotos_for_choose`] without allocating.
    pub fn choose_gotos(&self, choose_event: usize) -> impl Iterator<Item = &GotoFact> + Clone {
        let found = match &self.menu_events[choose_event] {
            MenuEvent::Choose(choose) => choose
                .var
                .and_then(|var| self.template_gotos.get(&var))
                .map(|gotos| {
                    let end = self.choose_ends.get(&(choose_event as u32)).copied();
                    let first =
                        gotos.partition_point(|&g| self.gotos[g as usize].line < choose.line);
                    (&gotos[first..], end)
                }),
            _ => None,
        };
        let (gotos, end) = found.unwrap_or((&[], None));
        gotos
            .iter()
            .map(|&g| &self.gotos[g as usize])
            .take_while(move |g| end.is_none_or(|e| g.line < e))
    }

    /// The name `prefix` + `value` + `suffix` (a template `goto` target with
    /// its setting holding `value`), if that name occurs in the script at
    /// all. `scratch` is reused for the joined text.
    pub fn joined_name(
        &self,
        prefix: Sym,
        value: Sym,
        suffix: Sym,
        scratch: &mut Vec<u8>,
    ) -> Option<Sym> {
        let (p, s) = (self.names.resolve(prefix), self.names.resolve(suffix));
        if p.is_empty() && s.is_empty() {
            return Some(value);
        }
        scratch.clear();
        scratch.extend_from_slice(p);
        scratch.extend_from_slice(self.names.resolve(value));
        scratch.extend_from_slice(s);
        self.names.get(scratch)
    }

    /// Whether every line of `lines` can fall through to the next one, so the
    /// line after the range is reachable from its start without a jump.
    pub fn falls_through(&self, lines: std::ops::Range<u32>) -> bool {
        let at = |i: u32| self.stops.get(i as usize).copied().unwrap_or(u32::MAX);
        lines.is_empty() || at(lines.start) == at(lines.end)
    }

    /// The recorded calls on the lines of `lines` (calls are in line order).
    pub fn calls_in(&self, lines: std::ops::RangeInclusive<u32>) -> &[CallFact] {
        let start = self.calls.partition_point(|c| c.line < *lines.start());
        let end = self.calls.partition_point(|c| c.line <= *lines.end());
        &self.calls[start..end.max(start)]
    }

    /// The `goto`s on the lines of `lines` (gotos are in line order).
    pub fn gotos_in(&self, lines: std::ops::RangeInclusive<u32>) -> &[GotoFact] {
        let start = self.gotos.partition_point(|g| g.line < *lines.start());
        let end = self.gotos.partition_point(|g| g.line <= *lines.end());
        &self.gotos[start..end.max(start)]
    }
}

/// How many facts of each list a model holds, to make room for more.
#[derive(Clone, Copy, Default)]
struct FactCounts {
    names: usize,
    labels: usize,
    lines: usize,
    gotos: usize,
    menu_events: usize,
    images: usize,
    initrd_args: usize,
    calls: usize,
    call_args: usize,
    set_values: usize,
    uri_refs: usize,
}

impl FactCounts {
    fn of(m: &FileModel) -> FactCounts {
        FactCounts {
            names: m.names.len(),
            labels: m.labels.len(),
            lines: m.lines.len(),
            gotos: m.gotos.len(),
            menu_events: m.menu_events.len(),
            images: m.images.len(),
            initrd_args: m.initrd_args.len(),
            calls: m.calls.len(),
            call_args: m.call_args.len(),
            set_values: m.set_values.len(),
            uri_refs: m.uri_refs.len(),
        }
    }

    fn zip(self, other: FactCounts, f: impl Fn(usize, usize) -> usize) -> FactCounts {
        FactCounts {
            names: f(self.names, other.names),
            labels: f(self.labels, other.labels),
            lines: f(self.lines, other.lines),
            gotos: f(self.gotos, other.gotos),
            menu_events: f(self.menu_events, other.menu_events),
            images: f(self.images, other.images),
            initrd_args: f(self.initrd_args, other.initrd_args),
            calls: f(self.calls, other.calls),
            call_args: f(self.call_args, other.call_args),
            set_values: f(self.set_values, other.set_values),
            uri_refs: f(self.uri_refs, other.uri_refs),
        }
    }

    fn plus(self, other: FactCounts) -> FactCounts {
        self.zip(other, |a, b| a + b)
    }

    fn times(self, k: usize) -> FactCounts {
        self.zip(self, |a, _| a * k)
    }
}

/// Builds a [`FileModel`] line by line.
#[derive(Clone, Default)]
pub struct ModelBuilder {
    model: FileModel,
    line_no: u32,
}

/// The image name iPXE derives from a URI: the basename of its path, when literal.
pub fn uri_basename<'a>(word: &'a Word, src: &'a [u8]) -> Option<&'a [u8]> {
    let text = word.text(src);
    let end = text
        .iter()
        .position(|&b| b == b'?' || b == b'#')
        .unwrap_or(text.len());
    let path = &text[..end];
    let start = path.iter().rposition(|&b| b == b'/').map_or(0, |p| p + 1);
    // The basename must not contain (or follow the start of) a reference.
    if word.refs.iter().any(|r| r.range.end as usize > start) {
        return None;
    }
    let name = &path[start..];
    (!name.is_empty()).then_some(name)
}

impl ModelBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder sized for `src`: per-line facts are most of a huge script's
    /// model, and growing them by doubling would hold up to twice as much.
    pub fn for_source(src: &[u8]) -> Self {
        let lines = memchr::memchr_iter(b'\n', src).count() + 1;
        let mut builder = Self::default();
        builder.model.lines.reserve_exact(lines);
        builder
    }

    /// Adds one line; returns the bindings of its commands for the caller's own checks.
    pub fn line(&mut self, line: &Line, src: &[u8]) -> Vec<Bound> {
        let mut bounds = Vec::new();
        self.line_into(line, src, &mut bounds);
        bounds
    }

    /// [`ModelBuilder::line`] into `bounds` (cleared first), so that a
    /// caller reading line after line reuses one vector.
    pub fn line_into(&mut self, line: &Line, src: &[u8], bounds: &mut Vec<Bound>) {
        bounds.clear();
        bounds.extend(line.commands.iter().map(|c| bind(c, src)));
        self.line_with(line, bounds, src);
    }

    /// Adds one line whose commands are already bound.
    pub fn line_with(&mut self, line: &Line, bounds: &[Bound], src: &[u8]) {
        let line_no = self.line_no;
        self.line_no += 1;
        let m = &mut self.model;
        let label = match (line.label_name(src), line.label_name_span()) {
            (Some(name), Some(span)) => {
                let name = m.names.intern(name);
                let index = m.labels.len() as u32;
                m.labels.push(LabelFact {
                    name,
                    span,
                    line: line_no,
                });
                m.first_label.insert_first(name, index);
                Some(index)
            }
            _ => None,
        };
        let flow = line_flow(line, bounds);
        m.lines.push(LineFacts::new(
            line.content_span(),
            label,
            line.non_empty_commands().next().and_then(Command::span),
            flow,
        ));
        // Which failures abort the script; only worked out for lines with
        // recorded calls or images.
        let recorded = bounds.iter().any(|b| {
            b.spec.is_some_and(|s| {
                let r = recorded(s);
                r.call.is_some() || r.image.is_some()
            })
        });
        let ends = if recorded {
            failing_ends(line, bounds)
        } else {
            Default::default()
        };
        // Whether a later command runs after a failure (`||` or `;` follows);
        // only `goto` needs it.
        let gotos = bounds
            .iter()
            .any(|b| b.spec.is_some_and(|s| s.name == "goto"));
        let mut handled: SmallVec<[bool; 8]> = SmallVec::new();
        if gotos {
            handled.resize(line.commands.len(), false);
        }
        for i in (0..handled.len().saturating_sub(1)).rev() {
            let next = line.commands[i + 1].connector.map(|c| c.0);
            handled[i] = handled[i + 1] || matches!(next, Some(Connector::Or | Connector::Seq));
        }
        // The ends are in command order: a cursor finds each one (a search
        // per command would be quadratic on a line of thousands of `&&`).
        let mut ends = ends.iter().peekable();
        for (index, (command, bound)) in line.commands.iter().zip(bounds).enumerate() {
            let unhandled = ends.next_if(|e| e.command as usize == index).copied();
            let handled = handled.get(index).copied().unwrap_or(false);
            self.command(command, bound, src, line_no, flow, unhandled, handled);
        }
    }

    fn command(
        &mut self,
        command: &Command,
        bound: &Bound,
        src: &[u8],
        line: u32,
        flow: LineFlow,
        unhandled: Option<FailingEnd>,
        handled: bool,
    ) {
        let m = &mut self.model;
        // Reads: every static reference in every word.
        for word in &command.words {
            let text = word.text(src);
            for r in &word.refs {
                if let Some(name) = r.name(text) {
                    if name == b"platform" {
                        m.reads_platform = true;
                    }
                    let sym = m.names.intern(name);
                    let span = word.ref_span(r);
                    m.reads
                        .entry(sym)
                        .and_modify(|f| f.count += 1)
                        .or_insert(ReadFact {
                            first: span,
                            count: 1,
                        });
                } else if r.dynamic {
                    let (prefix, suffix) =
                        computed_name_ends(&text[r.inner.start as usize..r.inner.end as usize]);
                    let read = (m.names.intern(prefix), m.names.intern(suffix));
                    m.computed_reads.push(read);
                }
            }
        }
        let Some(spec) = bound.spec else { return };
        if bound.problem.is_some() {
            return;
        }
        let name = spec.name.as_str();
        let role = recorded(spec);
        if let Some(kind) = role.call {
            let args = Slice::push_all(
                &mut m.call_args,
                bound.positional_words(command).map(|w| w.span),
            );
            m.calls.push(CallFact {
                kind,
                line,
                connector: command.connector.map(|c| c.0),
                span: command.span().unwrap_or_default(),
                args,
                unhandled,
            });
        }
        // `show name` reads the setting it names.
        if name == "show" {
            for word in bound.setting_name_words(command) {
                let Some(text) = word_literal(word, src) else {
                    continue;
                };
                let parts = split_setting_name(text);
                let sym = m
                    .names
                    .intern(&text[parts.name.start as usize..parts.name.end as usize]);
                m.reads
                    .entry(sym)
                    .and_modify(|f| f.count += 1)
                    .or_insert(ReadFact {
                        first: word.span,
                        count: 1,
                    });
            }
        }
        // Writes, as the constants module defines them.
        setting_writes(command, bound, src, |write| {
            let sym = m.names.intern(write.name);
            let fact = m
                .writes
                .entry(sym)
                .or_insert_with(|| WriteFact::new(write.span));
            fact.kinds.push((write.kind, write.span));
            if let Ok(words) = write.value {
                let names = &mut m.names;
                let words = Slice::push_all(
                    &mut m.set_values,
                    words.iter().map(|w| names.intern(w.text(src))),
                );
                fact.values.push((write.span, words));
            }
        });
        // URIs whose scheme depends on a setting.
        if command.words.iter().any(|w| !w.refs.is_empty()) {
            let san = matches!(name, "sanboot" | "sanhook");
            for (word, range) in bound.uris(command) {
                if let Some(uri) = uri_ref(word, range, src, san) {
                    m.uri_refs.push(uri);
                }
            }
        }
        match name {
            "goto" => {
                if let Some(word) = bound.positional(command, 0) {
                    let target = goto_target(&mut m.names, word, src);
                    m.gotos.push(GotoFact {
                        target,
                        span: word.span,
                        line,
                        handled,
                    });
                }
            }
            "menu" => {
                let menu = bound
                    .option_value(command, src, "name")
                    .map(|n| m.names.intern(n));
                m.menu_events.push(MenuEvent::Menu {
                    name: menu,
                    span: command.span().unwrap_or_default(),
                    line,
                });
            }
            "item" => {
                let menu = bound
                    .option_value(command, src, "menu")
                    .or_else(|| bound.option_value(command, src, "form"))
                    .map(|n| m.names.intern(n));
                let gap = bound.has_flag("gap");
                let first = bound.positional(command, 0).filter(|_| !gap);
                let key_word = bound.option("key").and_then(|o| o.value.as_ref());
                m.menu_events.push(MenuEvent::Item(ItemFact {
                    menu,
                    name: first
                        .and_then(|w| word_literal(w, src))
                        .map(|n| m.names.intern(n)),
                    name_span: first.map(|w| w.span),
                    key: bound
                        .option_value(command, src, "key")
                        .map(|k| m.names.intern(k)),
                    key_span: key_word.map(|v| command.words[v.word()].span),
                    gap: gap || first.is_none(),
                    is_default: bound.has_flag("default"),
                    span: command.span().unwrap_or_default(),
                    line,
                }));
            }
            "choose" => {
                let menu = bound
                    .option_value(command, src, "menu")
                    .map(|n| m.names.intern(n));
                let var_word = bound.positional(command, 0);
                let var = var_word.and_then(|w| word_literal(w, src)).map(|t| {
                    let parts = split_setting_name(t);
                    m.names
                        .intern(&t[parts.name.start as usize..parts.name.end as usize])
                });
                let default = bound.option("default").and_then(|o| {
                    let span = command.words[o.value.as_ref()?.word()].span;
                    let value = bound.option_value(command, src, "default")?;
                    Some((m.names.intern(value), span))
                });
                let timeout = bound.option("timeout").and_then(|o| {
                    let value = o.value.as_ref()?;
                    let word = &command.words[value.word()];
                    let literal = word
                        .is_literal()
                        .then(|| bound.option_value(command, src, "timeout"))
                        .flatten()
                        .map(|t| m.names.intern(t));
                    // `--timeout=x` keeps the value inside the option's word.
                    let span = match value {
                        OptValue::Inline { range, .. } => word.source_span(range.clone()),
                        OptValue::Next { .. } => word.span,
                    };
                    Some((literal, span))
                });
                m.menu_events.push(MenuEvent::Choose(Box::new(ChooseFact {
                    menu,
                    var,
                    var_span: var_word.map(|w| w.span),
                    default,
                    timeout,
                    keep: bound.has_flag("keep"),
                    span: command.span().unwrap_or_default(),
                    line,
                    flow,
                })));
            }
            _ => {
                let Some(kind) = role.image else {
                    return;
                };
                let Some(uri) = bound.positional(command, 0) else {
                    return;
                };
                let registered = match bound.option_value(command, src, "name") {
                    Some(n)
                        if bound
                            .option("name")
                            .and_then(|o| o.value.as_ref())
                            .is_some_and(|v| command.words[v.word()].is_literal()) =>
                    {
                        Some(n)
                    }
                    Some(_) => None,
                    None if kind == ImageFactKind::Imgargs => word_literal(uri, src),
                    None => uri_basename(uri, src),
                };
                let registered = registered.map(|n| m.names.intern(n));
                let names = &mut m.names;
                let initrd_args = Slice::push_all(
                    &mut m.initrd_args,
                    bound.positional_words(command).skip(1).filter_map(|w| {
                        let text = word_literal(w, src)?;
                        let value = text.strip_prefix(b"initrd=")?;
                        Some((names.intern(value), w.span))
                    }),
                );
                m.images.push(ImageFact {
                    kind,
                    name: registered,
                    span: uri.span,
                    initrd_args,
                    line,
                    unhandled: unhandled.is_some(),
                });
            }
        }
    }

    /// Makes room for the facts of `others`, to be appended next (joining
    /// many pieces would otherwise grow every list and table many times).
    pub fn reserve_for<'a>(&mut self, others: impl Iterator<Item = &'a ModelBuilder> + Clone) {
        let more = others.fold(FactCounts::default(), |sum, o| {
            sum.plus(FactCounts::of(&o.model))
        });
        self.reserve(more);
    }

    /// Makes room for `times` as many facts as this builder holds, less
    /// its lines (which [`ModelBuilder::for_source`] sized already): for
    /// the first piece of a file, to receive the others, before they are
    /// read. Room that stays unused is never touched, so it costs no memory.
    pub fn reserve_scaled(&mut self, times: usize) {
        let mut more = FactCounts::of(&self.model).times(times.saturating_sub(1));
        more.lines = 0;
        self.reserve(more);
    }

    fn reserve(&mut self, more: FactCounts) {
        let m = &mut self.model;
        m.names.reserve(more.names);
        m.first_label.reserve(m.names.len() + more.names);
        m.labels.reserve(more.labels);
        m.lines.reserve(more.lines);
        m.gotos.reserve(more.gotos);
        m.menu_events.reserve(more.menu_events);
        m.images.reserve(more.images);
        m.initrd_args.reserve(more.initrd_args);
        m.calls.reserve(more.calls);
        m.call_args.reserve(more.call_args);
        m.set_values.reserve(more.set_values);
        m.uri_refs.reserve(more.uri_refs);
    }

    /// Adds the facts of the lines that follow this builder's, gathered by
    /// another builder from a piece of the file that starts `shift` bytes in
    /// (a linter may read a file in pieces, in parallel or from a cache).
    /// Names are re-interned, line numbers and spans moved; the result is
    /// what one builder would have gathered over both.
    pub fn append(&mut self, other: ModelBuilder, shift: u32) {
        // Each list of `other` is freed as soon as it is copied, so joining
        // the pieces of a huge file holds little more than the result.
        let o = other.model;
        let m = &mut self.model;
        let syms: Vec<Sym> = o.names.iter().map(|name| m.names.intern(name)).collect();
        let sym = |s: Sym| syms[s.index()];
        let opt = |s: Option<Sym>| s.map(sym);
        let at = |span: Span| span.shifted(shift);
        let at_opt = |span: Option<Span>| span.map(at);
        let line_base = self.line_no;
        let label_base = m.labels.len() as u32;
        let moved = |slice: Slice, base: usize| Slice {
            start: slice.start + base as u32,
            len: slice.len,
        };

        for (name, index) in o.first_label.iter() {
            m.first_label.insert_first(sym(name), index + label_base);
        }
        m.labels.extend(o.labels.into_iter().map(|l| LabelFact {
            name: sym(l.name),
            span: at(l.span),
            line: l.line + line_base,
        }));
        m.lines.extend(o.lines.into_iter().map(|l| {
            LineFacts::new(
                at(l.span),
                l.label().map(|i| i + label_base),
                at_opt(l.first_command()),
                l.flow,
            )
        }));
        m.gotos.extend(o.gotos.into_iter().map(|g| GotoFact {
            target: match g.target {
                GotoTarget::Literal(name) => GotoTarget::Literal(sym(name)),
                GotoTarget::Template {
                    var,
                    prefix,
                    suffix,
                } => GotoTarget::Template {
                    var: sym(var),
                    prefix: sym(prefix),
                    suffix: sym(suffix),
                },
                GotoTarget::Dynamic => GotoTarget::Dynamic,
            },
            span: at(g.span),
            line: g.line + line_base,
            handled: g.handled,
        }));
        m.menu_events
            .extend(o.menu_events.into_iter().map(|event| match event {
                MenuEvent::Menu { name, span, line } => MenuEvent::Menu {
                    name: opt(name),
                    span: at(span),
                    line: line + line_base,
                },
                MenuEvent::Item(item) => MenuEvent::Item(ItemFact {
                    menu: opt(item.menu),
                    name: opt(item.name),
                    name_span: at_opt(item.name_span),
                    key: opt(item.key),
                    key_span: at_opt(item.key_span),
                    span: at(item.span),
                    line: item.line + line_base,
                    ..item
                }),
                MenuEvent::Choose(choose) => MenuEvent::Choose(Box::new(ChooseFact {
                    menu: opt(choose.menu),
                    var: opt(choose.var),
                    var_span: at_opt(choose.var_span),
                    default: choose.default.map(|(d, span)| (sym(d), at(span))),
                    timeout: choose.timeout.map(|(t, span)| (opt(t), at(span))),
                    span: at(choose.span),
                    line: choose.line + line_base,
                    ..*choose
                })),
            }));
        let values_base = m.set_values.len();
        m.set_values.extend(o.set_values.into_iter().map(sym));
        for (name, write) in o.writes {
            let fact = m
                .writes
                .entry(sym(name))
                .or_insert_with(|| WriteFact::new(at(write.first)));
            fact.kinds
                .extend(write.kinds.into_iter().map(|(kind, span)| (kind, at(span))));
            fact.values.extend(
                write
                    .values
                    .into_iter()
                    .map(|(span, words)| (at(span), moved(words, values_base))),
            );
        }
        m.uri_refs.extend(o.uri_refs.into_iter().map(|uri| UriRef {
            start: uri.start + shift,
            ..uri
        }));
        for (name, read) in o.reads {
            m.reads
                .entry(sym(name))
                .and_modify(|f| f.count += read.count)
                .or_insert(ReadFact {
                    first: at(read.first),
                    count: read.count,
                });
        }
        let initrd_base = m.initrd_args.len();
        m.initrd_args.extend(
            o.initrd_args
                .into_iter()
                .map(|(name, span)| (sym(name), at(span))),
        );
        m.images.extend(o.images.into_iter().map(|image| ImageFact {
            name: opt(image.name),
            span: at(image.span),
            initrd_args: moved(image.initrd_args, initrd_base),
            line: image.line + line_base,
            ..image
        }));
        let args_base = m.call_args.len();
        m.call_args.extend(o.call_args.into_iter().map(at));
        m.calls.extend(o.calls.into_iter().map(|call| CallFact {
            span: at(call.span),
            args: moved(call.args, args_base),
            line: call.line + line_base,
            ..call
        }));
        m.reads_platform |= o.reads_platform;
        m.computed_reads.extend(
            o.computed_reads
                .into_iter()
                .map(|(prefix, suffix)| (sym(prefix), sym(suffix))),
        );
        self.line_no += other.line_no;
    }

    pub fn finish(mut self) -> FileModel {
        let m = &mut self.model;
        // Indexes that keep whole-script checks linear.
        let mut next: HashMap<Sym, u32> = HashMap::default();
        for (index, event) in m.menu_events.iter().enumerate().rev() {
            if let MenuEvent::Choose(choose) = event {
                let Some(var) = choose.var else { continue };
                if let Some(&end) = next.get(&var) {
                    m.choose_ends.insert(index as u32, end);
                }
                next.insert(var, choose.line);
            }
        }
        for (index, goto) in m.gotos.iter().enumerate() {
            if let GotoTarget::Template { var, .. } = goto.target {
                m.template_gotos.entry(var).or_default().push(index as u32);
            }
        }
        m.stops.reserve_exact(m.lines.len() + 1);
        m.stops.push(0);
        let mut stops = 0;
        for line in &m.lines {
            stops += u32::from(!line.flow.falls_through);
            m.stops.push(stops);
        }
        self.model
    }
}

/// A [`UriRef`] for a URI (`range` of `word`'s text, or all of it) whose
/// scheme depends on its first reference.
fn uri_ref(word: &Word, range: Option<Range<u32>>, src: &[u8], san: bool) -> Option<UriRef> {
    // Spans of a word joined by a continuation are not its text.
    if word.joined.is_some() {
        return None;
    }
    let text = word.text(src);
    let range = range.unwrap_or(0..text.len() as u32);
    // The first reference iPXE expands; it has no references inside.
    let first = word.refs.first()?;
    if first.range.start < range.start || first.range.end > range.end {
        return None;
    }
    let prefix = &text[range.start as usize..first.range.start as usize];
    if !prefix.iter().all(|&b| is_scheme_byte(b)) {
        return None;
    }
    // What `UriRef::text` will read must be the word: words hold no
    // whitespace, but one may end at a byte that ends the line (a NUL).
    if src
        .get(word.span.end as usize)
        .is_some_and(|&b| !is_space(b))
    {
        return None;
    }
    Some(UriRef {
        start: word.span.start + range.start,
        san,
    })
}

/// The literal ends of a computed reference's name, from the text between
/// its `${` and `}`: `menu-` and `` for `menu-${i}`. A block (`net${i}/mac`)
/// or a type (`${x}:hex`) is cut off, as `parse_setting_name` would split
/// them, so only the setting name is matched.
fn computed_name_ends(inner: &[u8]) -> (&[u8], &[u8]) {
    let first = find_ref_start(inner).unwrap_or(inner.len());
    let last = inner
        .iter()
        .rposition(|&b| b == b'}')
        .map_or(first, |p| p + 1);
    let mut prefix = &inner[..first];
    let mut suffix = &inner[last.max(first)..];
    if let Some(slash) = suffix.iter().rposition(|&b| b == b'/') {
        // The computed part was the block: the name is what follows.
        prefix = b"";
        suffix = &suffix[slash + 1..];
    } else if let Some(slash) = prefix.iter().rposition(|&b| b == b'/') {
        prefix = &prefix[slash + 1..];
    }
    if let Some(colon) = prefix.iter().position(|&b| b == b':') {
        // The computed part was the type: the name is the prefix's start.
        return (&prefix[..colon], b"");
    }
    if let Some(colon) = suffix.iter().position(|&b| b == b':') {
        suffix = &suffix[..colon];
    }
    (prefix, suffix)
}

fn find_ref_start(text: &[u8]) -> Option<usize> {
    text.windows(2).position(|w| w == b"${")
}

fn goto_target(names: &mut Interner, word: &Word, src: &[u8]) -> GotoTarget {
    let text = word.text(src);
    match word.refs.as_slice() {
        [] => GotoTarget::Literal(names.intern(text)),
        [r] => match r.name(text) {
            Some(var) if r.block(text).is_none() && r.ty(text).is_none() => GotoTarget::Template {
                var: names.intern(var),
                prefix: names.intern(&text[..r.range.start as usize]),
                suffix: names.intern(&text[r.range.end as usize..]),
            },
            _ => GotoTarget::Dynamic,
        },
        _ => GotoTarget::Dynamic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ipxe_syntax::Lines;

    fn model(src: &str) -> FileModel {
        let mut b = ModelBuilder::new();
        for line in Lines::new(src.as_bytes()) {
            b.line(&line, src.as_bytes());
        }
        b.finish()
    }

    #[test]
    fn labels_gotos_and_menus() {
        let m = model(
            "#!ipxe\n:start\nmenu Pick\nitem --key d debian Debian\nitem --gap --\nitem ubuntu Ubuntu\nchoose --default debian --timeout 5000 target || goto start\ngoto ${target}\n:debian\n",
        );
        assert_eq!(m.labels.len(), 2);
        assert!(m.label_defined(b"debian"));
        assert!(!m.label_defined(b"ubuntu"));
        assert_eq!(m.gotos.len(), 2);
        assert!(!m.gotos[0].handled && !m.gotos[1].handled);
        let fallbacks =
            model("#!ipxe\ngoto ${menu} || chain ${menu}.ipxe\ngoto x ; echo y\ngoto z\n");
        let handled: Vec<bool> = fallbacks.gotos.iter().map(|g| g.handled).collect();
        assert_eq!(handled, [true, true, false]);
        let GotoTarget::Template { var, .. } = &m.gotos[1].target else {
            panic!("template goto")
        };
        assert_eq!(m.names.resolve(*var), b"target");
        let choose = m
            .menu_events
            .iter()
            .position(|e| matches!(e, MenuEvent::Choose(_)))
            .unwrap();
        let items: Vec<_> = m
            .items_for_choose(choose)
            .iter()
            .filter(|i| !i.gap)
            .map(|i| m.text(i.name).unwrap())
            .collect();
        assert_eq!(items, [&b"debian"[..], b"ubuntu"]);
    }

    #[test]
    fn gotos_follow_their_choose() {
        let m = model(
            "#!ipxe\nmenu\nitem a A\nchoose x || exit\ngoto os_${x}\nmenu\nitem b B\nchoose x || exit\ngoto ${x}\ngoto ${y}\n",
        );
        let chooses: Vec<usize> = (0..m.menu_events.len())
            .filter(|&i| matches!(m.menu_events[i], MenuEvent::Choose(_)))
            .collect();
        let lines =
            |i: usize| -> Vec<u32> { m.gotos_for_choose(i).iter().map(|g| g.line).collect() };
        assert_eq!(lines(chooses[0]), [4]);
        assert_eq!(lines(chooses[1]), [8]);
    }

    #[test]
    fn ranges_of_calls_and_gotos() {
        let m = model("#!ipxe\n:a\nisset ${x} || goto a\necho\niseq a b || goto b\n:b\n");
        let names = |c: &[CallFact]| c.iter().map(|c| c.name()).collect::<Vec<_>>();
        assert_eq!(names(m.calls_in(2..=2)), ["isset", "goto"]);
        assert_eq!(names(m.calls_in(3..=4)), ["iseq", "goto"]);
        assert!(m.calls_in(5..=9).is_empty());
        assert_eq!(m.gotos_in(0..=9).len(), 2);
        assert_eq!(m.gotos_in(3..=3).len(), 0);
        let m = model("#!ipxe\necho a\ngoto x\necho b\n:x\n");
        assert!(m.falls_through(0..2) && m.falls_through(3..5) && m.falls_through(2..2));
        assert!(!m.falls_through(1..3));
    }

    #[test]
    fn writes_and_reads() {
        let m = model(
            "#!ipxe\nset n 0\nset i:int32 0\ninc i\nread name\necho ${n} ${unknown} ${net0/mac}\nshow shown\n",
        );
        let write = |n: &[u8]| {
            m.writes
                .get(&m.names.get(n).unwrap())
                .map(|w| w.kinds.iter().map(|k| k.0).collect::<Vec<_>>())
        };
        assert_eq!(write(b"n"), Some(vec![WriteKind::SetString]));
        assert_eq!(write(b"i"), Some(vec![WriteKind::SetTyped, WriteKind::Inc]));
        assert_eq!(write(b"name"), Some(vec![WriteKind::Other]));
        for read in [&b"n"[..], b"unknown", b"mac", b"shown"] {
            assert!(
                m.reads.contains_key(&m.names.get(read).unwrap()),
                "{read:?}"
            );
        }
    }

    #[test]
    fn constant_sets_and_uris_from_settings() {
        let src = "#!ipxe\nset base http://h/x y\nset net0/ip 10.0.0.1\nset n:int32 5\nset gone\nclear base\nchain ${base}/menu.ipxe\nkernel http${s}://h/k\nkernel /k/${base}\nimgfetch --name rd ${net0/ip}/rd\nsanboot ${a} ${b:string}\nconsole --picture=${bg} ||\nchoose --timeout=${t} x\n";
        let m = model(src);
        let write = |n: &[u8]| &m.writes[&m.names.get(n).unwrap()];
        let base = write(b"base");
        assert_eq!(
            base.kinds.iter().map(|k| k.0).collect::<Vec<_>>(),
            [WriteKind::SetString, WriteKind::Clear]
        );
        let words: Vec<&[u8]> = m
            .set_value_words(base.values[0].1)
            .iter()
            .map(|&w| m.names.resolve(w))
            .collect();
        assert_eq!(words, [&b"http://h/x"[..], b"y"]);
        // Stored in a block, typed, deleted: no constant value.
        for name in [&b"ip"[..], b"n", b"gone"] {
            assert!(write(name).values.is_empty(), "{name:?}");
        }
        assert!(!m.writes.contains_key(&m.names.get(b"s").unwrap()));
        let uris: Vec<(&[u8], bool)> = m
            .uri_refs
            .iter()
            .map(|u| (u.first_ref(src.as_bytes()).1, u.san))
            .collect();
        assert_eq!(
            uris,
            [
                (&b"base"[..], false),
                (b"s", false),
                (b"net0/ip", false),
                (b"a", true),
                (b"b:string", true),
                (b"bg", false),
            ]
        );
        assert_eq!(m.uri_refs[5].text(src.as_bytes()), b"${bg}");
        assert_eq!(m.uri_refs[1].text(src.as_bytes()), b"http${s}://h/k");
        assert_eq!(m.uri_refs[1].first_ref(src.as_bytes()), (4, &b"s"[..]));
        let MenuEvent::Choose(choose) = &m.menu_events[0] else {
            panic!("a choose")
        };
        let timeout = choose.timeout.map(|t| t.1.slice(src.as_bytes()));
        assert_eq!(timeout, Some(&b"${t}"[..]), "the value only");
    }

    #[test]
    fn calls_keep_tests_and_ways_out() {
        let m =
            model("#!ipxe\n:retry\ndhcp || goto retry\niseq ${n} 5 && exit\nboot\necho not kept\n");
        let calls: Vec<_> = m
            .calls
            .iter()
            .map(|c| {
                (
                    c.name(),
                    c.line,
                    c.connector,
                    m.args_of(c).len(),
                    c.unhandled.is_some(),
                )
            })
            .collect();
        assert_eq!(
            calls,
            [
                ("dhcp", 2, None, 0, false),
                ("goto", 2, Some(Connector::Or), 1, false),
                ("iseq", 3, None, 2, true),
                ("exit", 3, Some(Connector::And), 0, false),
                ("boot", 4, None, 0, true),
            ]
        );
    }

    /// Building over pieces and appending gives the model of the whole.
    #[test]
    fn computed_reads_keep_the_literal_ends_of_the_name() {
        let m = model(
            "#!ipxe\necho ${menu-${i}} ${${x}} ${net${i}/mac} ${pre${a}mid${b}post:hex} ${x:${t}}\n",
        );
        let ends: Vec<(String, String)> = m
            .computed_reads
            .iter()
            .map(|&(p, s)| (show(m.names.resolve(p)), show(m.names.resolve(s))))
            .collect();
        let want = [
            ("menu-", ""),
            ("", ""),
            ("", "mac"),
            ("pre", "post"),
            ("x", ""),
        ];
        assert_eq!(
            ends,
            want.map(|(p, s)| (p.to_string(), s.to_string())).to_vec()
        );
    }

    fn show(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    #[test]
    fn appended_pieces_equal_the_whole() {
        let src = "#!ipxe\n:start\nset base http://x\nset base  http://x\nset t:string 5 s\nclear gone\nsanboot ${base}/disk ${t}\nconsole --picture=${base}/bg.png\nmenu\nitem --key a one One\nitem two Two\nchoose --default one --timeout 3000 t || goto start\ngoto os_${t}\n:os_one\nkernel ${base}/k initrd=rd quiet\ninitrd --name rd ${base}/rd\nboot || goto start\n:os_two\nmenu\nitem one Again\nchoose t && goto os_${t}\nisset ${base} || goto start\nset n:int32 0\ninc n\necho ${platform} ${menu-${t}} ${${t}}\n:start\nexit\n";
        let bytes = src.as_bytes();
        let whole = model(src);
        let lines: Vec<Line> = Lines::new(bytes).collect();
        for split in 0..=lines.len() {
            // Each piece is read on its own, as the linter does, then shifted.
            let cut = lines
                .get(split)
                .map_or(bytes.len(), |l| l.span.start as usize);
            let mut first = ModelBuilder::new();
            for line in Lines::new(&bytes[..cut]) {
                first.line(&line, &bytes[..cut]);
            }
            let rest = &bytes[cut..];
            let mut second = ModelBuilder::new();
            for line in Lines::new(rest) {
                second.line(&line, rest);
            }
            first.append(second, cut as u32);
            let merged = first.finish();
            // Symbols may be numbered differently: compare through the names.
            assert_eq!(describe(&merged), describe(&whole), "split at line {split}");
        }
    }

    fn describe(m: &FileModel) -> String {
        let name = |s: Sym| String::from_utf8_lossy(m.names.resolve(s)).into_owned();
        let opt = |s: Option<Sym>| s.map(name);
        let mut out = String::new();
        for l in &m.labels {
            out += &format!(
                "label {} {:?} {} first={}\n",
                name(l.name),
                l.span,
                l.line,
                m.first_label[&l.name]
            );
        }
        for l in &m.lines {
            out += &format!(
                "line {:?} {:?} {:?} {:?}\n",
                l.span,
                l.label(),
                l.first_command(),
                l.flow
            );
        }
        for g in &m.gotos {
            let target = match g.target {
                GotoTarget::Literal(s) => name(s),
                GotoTarget::Template {
                    var,
                    prefix,
                    suffix,
                } => format!("{}${{{}}}{}", name(prefix), name(var), name(suffix)),
                GotoTarget::Dynamic => "dynamic".into(),
            };
            out += &format!("goto {target} {:?} {} {}\n", g.span, g.line, g.handled);
        }
        for e in &m.menu_events {
            out += &match e {
                MenuEvent::Menu {
                    name: n,
                    span,
                    line,
                } => format!("menu {:?} {span:?} {line}\n", opt(*n)),
                MenuEvent::Item(i) => format!(
                    "item {:?} {:?} {:?} {:?} {}\n",
                    opt(i.menu),
                    opt(i.name),
                    opt(i.key),
                    i.span,
                    i.line
                ),
                MenuEvent::Choose(c) => format!(
                    "choose {:?} {:?} {:?} {:?} {}\n",
                    opt(c.menu),
                    opt(c.var),
                    c.default.map(|(d, s)| (name(d), s)),
                    c.timeout.map(|(t, s)| (opt(t), s)),
                    c.line
                ),
            };
        }
        let mut writes: Vec<String> = m
            .writes
            .iter()
            .map(|(s, w)| {
                let values: Vec<_> = w
                    .values
                    .iter()
                    .map(|&(span, words)| {
                        let words: Vec<String> =
                            m.set_value_words(words).iter().map(|&w| name(w)).collect();
                        (span, words)
                    })
                    .collect();
                format!(
                    "write {} {:?} {:?} {values:?}\n",
                    name(*s),
                    w.first,
                    w.kinds
                )
            })
            .collect();
        writes.sort();
        let mut reads: Vec<String> = m
            .reads
            .iter()
            .map(|(s, r)| format!("read {} {:?} {}\n", name(*s), r.first, r.count))
            .collect();
        reads.sort();
        out += &writes.concat();
        out += &reads.concat();
        for i in &m.images {
            let args: Vec<_> = m
                .initrd_args_of(i)
                .iter()
                .map(|(n, s)| (name(*n), *s))
                .collect();
            out += &format!(
                "image {:?} {:?} {:?} {args:?} {} {}\n",
                i.kind,
                opt(i.name),
                i.span,
                i.line,
                i.unhandled
            );
        }
        for c in &m.calls {
            out += &format!(
                "call {} {} {:?} {:?} {:?} {:?}\n",
                c.name(),
                c.line,
                c.connector,
                c.span,
                m.args_of(c),
                c.unhandled
            );
        }
        for u in &m.uri_refs {
            out += &format!("uri {} {}\n", u.start, u.san);
        }
        let mut ends: Vec<_> = m.choose_ends.iter().collect();
        ends.sort();
        out += &format!(
            "platform {} ends {ends:?} stops {:?}\n",
            m.reads_platform, m.stops
        );
        for &(prefix, suffix) in &m.computed_reads {
            out += &format!(
                "computed {:?} {:?}\n",
                String::from_utf8_lossy(m.names.resolve(prefix)),
                String::from_utf8_lossy(m.names.resolve(suffix))
            );
        }
        out
    }

    #[test]
    fn image_names() {
        let m = model(
            "#!ipxe\ninitrd ${base}/initrd.img?x=1\ninitrd --name rd ${base}/${file}\nkernel ${base}/vmlinuz initrd=initrd.img quiet\n",
        );
        let names: Vec<_> = m.images.iter().map(|i| m.text(i.name)).collect();
        assert_eq!(
            names,
            [Some(&b"initrd.img"[..]), Some(b"rd"), Some(b"vmlinuz")]
        );
        let args = m.initrd_args_of(&m.images[2]);
        assert_eq!(args.len(), 1);
        assert_eq!(m.names.resolve(args[0].0), b"initrd.img");
    }
}
