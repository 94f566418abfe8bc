//! Which URLs the scripts would fetch, and which are known before run time.
//!
//! A setting counts as known when the scripts (all inputs together: chained
//! scripts share the settings tree) set it with `set` to exactly one value,
//! whose own references are known in turn. Anything written by `read`,
//! `choose`, `login`, digests' `--set`…, set to several different values,
//! cleared, stored in a block or with a type, or supplied by iPXE or DHCP
//! (`${next-server}`, `${platform}`, `${net0/mac}`) is a run-time value, and a
//! URL that uses it is reported as unchecked, never guessed.

use std::collections::HashMap;

use ipxe_catalog::{ArgRole, Catalog, ValueKind};
use ipxe_semantics::{Bound, bind, uri_basename, word_literal};
use ipxe_syntax::{Command, Lines, Span, Word, split_setting_name};

use crate::UrlInput;
use crate::expand::{Unknown, expand_within};

/// Commands whose first argument iPXE downloads (or opens as a SAN device).
const FETCHERS: &[&str] = &[
    "kernel",
    "initrd",
    "chain",
    "imgfetch",
    "module",
    "imgselect",
    "imgexec",
    "imgload",
    "boot",
    "sanboot",
    "sanhook",
];

/// Commands that use an already registered image of that name instead of downloading.
const ACQUIRERS: &[&str] = &["kernel", "chain", "imgselect", "imgexec", "imgload", "boot"];

/// One URL word of one command.
#[derive(Clone, Debug)]
pub(crate) struct Occurrence {
    pub file: usize,
    pub span: Span,
    pub command: String,
    /// The word as written.
    pub raw: String,
    pub target: Target,
}

#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// An http(s) URL to probe.
    Url {
        /// The URL as requested: no user info, no fragment.
        url: reqwest::Url,
        /// User info was removed from it.
        had_credentials: bool,
    },
    /// Known only at run time, or not checkable; the reason.
    Unchecked(String),
}

/// How one setting name is written across the scripts.
#[derive(Default)]
struct Writes {
    /// Distinct `set` values, as their words.
    values: Vec<Vec<Vec<u8>>>,
    /// Why the setting is a run-time value, if it is.
    runtime: Option<String>,
}

#[derive(Clone)]
enum Memo {
    InProgress,
    Done(Result<Vec<u8>, Unknown>),
}

struct Settings {
    writes: HashMap<Vec<u8>, Writes>,
    memo: HashMap<Vec<u8>, Memo>,
    depth: usize,
    /// Bytes of expansion work left for the whole run.
    budget: usize,
}

/// Expansion work allowed per run: far beyond real scripts, small enough
/// that a hostile one finishes in about a second.
const EXPANSION_BUDGET: usize = 256 * 1024 * 1024;

const MAX_DEPTH: usize = 64;

impl Settings {
    fn runtime(&mut self, name: &[u8], why: String) {
        let w = self.writes.entry(name.to_vec()).or_default();
        w.runtime.get_or_insert(why);
    }

    /// The value of a reference's inner text (`name`, `block/name`, `name:type`).
    fn lookup(&mut self, inner: &[u8]) -> Result<Vec<u8>, Unknown> {
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
        let name = range(&parts.name).to_vec();
        if name.is_empty() {
            // `${}` always expands to nothing.
            return Ok(Vec::new());
        }
        match self.memo.get(&name) {
            Some(Memo::Done(result)) => return result.clone(),
            Some(Memo::InProgress) => return Err(runtime("whose value refers to itself")),
            None => {}
        }
        if self.depth >= MAX_DEPTH {
            return Err(Unknown::TooComplex);
        }
        self.memo.insert(name.clone(), Memo::InProgress);
        self.depth += 1;
        let result = self.value_of(&name, &shown);
        self.depth -= 1;
        self.memo.insert(name, Memo::Done(result.clone()));
        result
    }

    fn value_of(&mut self, name: &[u8], shown: &str) -> Result<Vec<u8>, Unknown> {
        let runtime = |why: String| Unknown::Runtime {
            name: shown.to_string(),
            why,
        };
        let text = String::from_utf8_lossy(name);
        let Some((values, runtime_why)) = self
            .writes
            .get(name)
            .map(|w| (w.values.clone(), w.runtime.clone()))
        else {
            let predefined = Catalog::get().setting(&text).is_some()
                || text.bytes().all(|b| b.is_ascii_digit() || b == b'.');
            return Err(runtime(if predefined {
                "which iPXE or DHCP fills in at run time".into()
            } else {
                "which none of the scripts sets".into()
            }));
        };
        if let Some(why) = runtime_why {
            return Err(runtime(why));
        }
        match values.as_slice() {
            [] => Err(runtime("which none of the scripts sets".into())),
            [words] => {
                let mut value = Vec::new();
                for (i, word) in words.iter().enumerate() {
                    if i > 0 {
                        value.push(b' ');
                    }
                    let start = self.budget;
                    let mut budget = start;
                    let expanded =
                        expand_within(word, &mut |inner| self.lookup(inner), &mut budget);
                    // Nested lookups spent from `self.budget`; add this level's work.
                    self.budget = self.budget.saturating_sub(start - budget);
                    let expanded = expanded?;
                    value.extend_from_slice(&expanded);
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
}

/// Parses every input, gathers the settings, and returns each URL word.
/// Two streaming passes (settings and image names, then URLs), so no file's
/// whole tree is ever held in memory.
pub(crate) fn find(inputs: &[UrlInput<'_>]) -> Vec<Occurrence> {
    let mut settings = Settings {
        writes: HashMap::new(),
        memo: HashMap::new(),
        depth: 0,
        budget: EXPANSION_BUDGET,
    };
    let mut images: HashMap<Vec<u8>, Vec<(usize, Span)>> = HashMap::new();
    for (file, input) in inputs.iter().enumerate() {
        for line in Lines::new(input.src) {
            for command in &line.commands {
                let bound = bind(command, input.src);
                record_writes(&mut settings, command, &bound, input.src);
                if let Some((name, span)) = registered_image(command, &bound, input.src) {
                    images.entry(name).or_default().push((file, span));
                }
            }
        }
    }

    let mut out = Vec::new();
    for (file, input) in inputs.iter().enumerate() {
        for line in Lines::new(input.src) {
            for command in &line.commands {
                let bound = bind(command, input.src);
                let Some(spec) = bound.spec else { continue };
                if bound.problem.is_some() || !FETCHERS.contains(&spec.name.as_str()) {
                    continue;
                }
                let san = spec.name.starts_with("san");
                let words: Vec<&Word> = if san {
                    bound.positional_words(command).collect()
                } else {
                    bound.positional(command, 0).into_iter().collect()
                };
                for word in words {
                    // `chain name` runs an image registered by another command, if any.
                    let registered_elsewhere = |t: &[u8]| {
                        images
                            .get(t)
                            .is_some_and(|sites| sites.iter().any(|&s| s != (file, word.span)))
                    };
                    if ACQUIRERS.contains(&spec.name.as_str())
                        && word_literal(word, input.src).is_some_and(registered_elsewhere)
                    {
                        continue;
                    }
                    if let Some(target) = target(&mut settings, word, input.src) {
                        out.push(Occurrence {
                            file,
                            span: word.span,
                            command: spec.name.clone(),
                            raw: String::from_utf8_lossy(word.text(input.src)).into_owned(),
                            target,
                        });
                    }
                }
            }
        }
    }
    out
}

fn record_writes(settings: &mut Settings, command: &Command, bound: &Bound, src: &[u8]) {
    let Some(spec) = bound.spec else { return };
    if bound.problem.is_some() {
        return;
    }
    let name = spec.name.as_str();
    for (n, word) in bound.positional_words(command).enumerate() {
        if spec.arg_role(n).map(|a| a.role) != Some(ArgRole::SettingName) || name == "show" {
            continue;
        }
        // A name computed at run time could be any setting; such scripts are rare.
        let Some(text) = word_literal(word, src) else {
            continue;
        };
        let parts = split_setting_name(text);
        let setting = &text[parts.name.start as usize..parts.name.end as usize];
        if name != "set" {
            settings.runtime(setting, format!("which `{name}` sets at run time"));
            continue;
        }
        if let Some(block) = &parts.block {
            let block = String::from_utf8_lossy(&text[block.start as usize..block.end as usize]);
            settings.runtime(
                setting,
                format!("which the script stores in the block `{block}`"),
            );
            continue;
        }
        if parts
            .ty
            .as_ref()
            .is_some_and(|t| &text[t.start as usize..t.end as usize] != b"string")
        {
            settings.runtime(setting, "which the script sets with a `:type`".into());
            continue;
        }
        let value: Vec<Vec<u8>> = bound
            .positional_words(command)
            .skip(n + 1)
            .map(|w| w.text(src).to_vec())
            .collect();
        if value.is_empty() {
            settings.runtime(
                setting,
                "which the script also deletes (`set` without a value)".into(),
            );
            continue;
        }
        let writes = settings.writes.entry(setting.to_vec()).or_default();
        if !writes.values.contains(&value) {
            writes.values.push(value);
        }
        break;
    }
    for option in &bound.options {
        if option.spec.kind != ValueKind::Setting {
            continue;
        }
        if let Some(value) = bound.option_value(command, src, &option.spec.long) {
            let parts = split_setting_name(value);
            let setting = &value[parts.name.start as usize..parts.name.end as usize];
            settings.runtime(
                setting,
                format!("which `{name} --{}` sets at run time", option.spec.long),
            );
        }
    }
    if name == "login" {
        for setting in [&b"username"[..], b"password"] {
            settings.runtime(setting, "which `login` asks for at run time".into());
        }
    }
}

/// The name an image gets registered under (`--name`, or the URI's
/// basename), with the span of the URI word that registers it.
fn registered_image(command: &Command, bound: &Bound, src: &[u8]) -> Option<(Vec<u8>, Span)> {
    let spec = bound.spec?;
    if bound.problem.is_some()
        || !FETCHERS.contains(&spec.name.as_str())
        || spec.name.starts_with("san")
    {
        return None;
    }
    let word = bound.positional(command, 0)?;
    if let Some(option) = bound.option("name") {
        let value = option.value.as_ref()?;
        if !command.words[value.word()].is_literal() {
            return None;
        }
        return Some((
            bound.option_value(command, src, "name")?.to_vec(),
            word.span,
        ));
    }
    Some((uri_basename(word, src)?.to_vec(), word.span))
}

/// What a URL word means: an http(s) URL to probe, a reason it cannot be
/// checked, or nothing to check (another scheme).
fn target(settings: &mut Settings, word: &Word, src: &[u8]) -> Option<Target> {
    let unchecked = |s: String| Some(Target::Unchecked(s));
    let start = settings.budget;
    let mut budget = start;
    let expanded = expand_within(
        word.text(src),
        &mut |inner| settings.lookup(inner),
        &mut budget,
    );
    settings.budget = settings.budget.saturating_sub(start - budget);
    let value = match expanded {
        Ok(v) => v,
        Err(Unknown::Runtime { name, why }) => {
            return unchecked(format!("it depends on `${{{name}}}`, {why}"));
        }
        Err(Unknown::TooComplex) => {
            return unchecked("expanding its settings goes beyond ipxelint's limits".into());
        }
    };
    // The scheme as `parse_uri` reads it: letters, `-` and `_` up to a `:`.
    let scheme_end = value
        .iter()
        .position(|&b| !(b.is_ascii_alphabetic() || b == b'-' || b == b'_'))
        .filter(|&i| value[i] == b':');
    let Some(end) = scheme_end else {
        return unchecked(
            "it is a relative URL, which iPXE resolves against the URL of the running script at run time".into(),
        );
    };
    let scheme = &value[..end];
    if !scheme.eq_ignore_ascii_case(b"http") && !scheme.eq_ignore_ascii_case(b"https") {
        return None;
    }
    let Ok(text) = std::str::from_utf8(&value) else {
        return unchecked("the URL is not valid UTF-8".into());
    };
    if text.contains("##params") {
        return unchecked(
            "iPXE sends it as a form submission (`##params`), which a probe cannot reproduce"
                .into(),
        );
    }
    // iPXE drops the fragment before requesting.
    let text = text.split('#').next().unwrap_or(text);
    let mut url = match reqwest::Url::parse(text) {
        Ok(url) => url,
        Err(e) => return unchecked(format!("`{text}` is not a URL ipxelint can parse ({e})")),
    };
    if url.host_str().is_none_or(str::is_empty) {
        return unchecked(format!("`{text}` has no host"));
    }
    let had_credentials = !url.username().is_empty() || url.password().is_some();
    if had_credentials {
        let _ = url.set_username("");
        let _ = url.set_password(None);
    }
    Some(Target::Url {
        url,
        had_credentials,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(files: &[&str]) -> Vec<(String, String)> {
        let inputs: Vec<UrlInput<'_>> = files
            .iter()
            .map(|s| UrlInput {
                path: "t.ipxe",
                src: s.as_bytes(),
            })
            .collect();
        find(&inputs)
            .into_iter()
            .map(|o| {
                let t = match o.target {
                    Target::Url {
                        url,
                        had_credentials,
                    } => {
                        format!("{}{}", url, if had_credentials { " (creds)" } else { "" })
                    }
                    Target::Unchecked(why) => format!("unchecked: {why}"),
                };
                (o.raw, t)
            })
            .collect()
    }

    #[test]
    fn constants_expand_across_files() {
        let got = targets(&[
            "#!ipxe\nset host boot.example.com\nset base http://${host}/os\nkernel ${base}/vmlinuz quiet\n",
            "#!ipxe\ninitrd ${base}/initrd.img\nchain tftp://x/y\nimgfetch https://u:p@h.example/x#frag\n",
        ]);
        assert_eq!(
            got,
            vec![
                (
                    "${base}/vmlinuz".into(),
                    "http://boot.example.com/os/vmlinuz".into()
                ),
                (
                    "${base}/initrd.img".into(),
                    "http://boot.example.com/os/initrd.img".into()
                ),
                (
                    "https://u:p@h.example/x#frag".into(),
                    "https://h.example/x (creds)".into()
                ),
            ]
        );
    }

    #[test]
    fn runtime_values_are_unchecked_with_the_reason() {
        let got = targets(&[
            "#!ipxe\nset a http://one\niseq ${platform} efi && set a http://two ||\nread r\nchain ${a}/x\nchain ${r}/x\nchain http://${next-server}/x\nchain ${nowhere}/x\nchain ${net0/mac}\nchain menu.ipxe\nset s ${s}/x\nchain ${s}\n",
        ]);
        let why: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            why,
            [
                "unchecked: it depends on `${a}`, which the scripts set to 2 different values",
                "unchecked: it depends on `${r}`, which `read` sets at run time",
                "unchecked: it depends on `${next-server}`, which iPXE or DHCP fills in at run time",
                "unchecked: it depends on `${nowhere}`, which none of the scripts sets",
                "unchecked: it depends on `${net0/mac}`, which reads the settings block `net0` at run time",
                "unchecked: it is a relative URL, which iPXE resolves against the URL of the running script at run time",
                "unchecked: it depends on `${s}`, whose value refers to itself",
            ]
        );
    }

    #[test]
    fn registered_image_names_are_not_urls() {
        let got = targets(&[
            "#!ipxe\nimgfetch --name k http://h/vmlinuz\nkernel k\ninitrd http://h/initrd.img\nchain initrd.img\n",
        ]);
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn hostile_settings_stay_bounded() {
        let mut script = String::from("#!ipxe\nset a0 x\n");
        for i in 1..200 {
            script.push_str(&format!("set a{i} ${{a{}}}${{a{}}}\n", i - 1, i - 1));
        }
        script.push_str("chain http://h/${a199}\n");
        let got = targets(&[&script]);
        assert!(got[0].1.starts_with("unchecked"), "{got:?}");
    }
    #[test]
    fn many_hostile_words_share_one_budget() {
        // 2,000 distinct words of 1,000 references each: far too much work
        // to expand one by one, so the run's budget stops it.
        let mut script = String::from("#!ipxe\nset a x\n");
        let refs = "${a}".repeat(1000);
        for i in 0..2_000 {
            script.push_str(&format!("chain http://h/{i}/{refs}\n"));
        }
        let started = std::time::Instant::now();
        let got = targets(&[&script]);
        assert_eq!(got.len(), 2_000);
        assert!(
            got.last().unwrap().1.starts_with("unchecked"),
            "{:?}",
            got.last()
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
    }
}
