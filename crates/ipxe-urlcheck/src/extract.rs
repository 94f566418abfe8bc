//! Which URLs the scripts would fetch, and which are known before run time.
//!
//! What is known is what `ipxe_semantics::constants` says: settings that all
//! inputs together (chained scripts share the settings tree) set to exactly
//! one constant value. A URL that depends on anything else is reported as
//! unchecked, with the reason, never guessed.

use std::collections::HashMap;

use ipxe_semantics::constants::expand::Unknown;
use ipxe_semantics::constants::{Expander, SettingValues, scheme_end, setting_writes};
use ipxe_semantics::{Bound, bind, uri_basename, word_literal};
use ipxe_syntax::{Command, Lines, Span, Word};

use url::Url;

use crate::UrlInput;

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
        url: Url,
        /// User info was removed from it.
        had_credentials: bool,
    },
    /// Known only at run time, or not checkable; the reason.
    Unchecked(String),
}

/// Parses every input, gathers the settings, and returns each URL word.
/// Two streaming passes (settings and image names, then URLs), so no file's
/// whole tree is ever held in memory.
pub(crate) fn find(inputs: &[UrlInput<'_>]) -> Vec<Occurrence> {
    let mut values = SettingValues::new();
    let mut images: HashMap<Vec<u8>, Vec<(usize, Span)>> = HashMap::new();
    for (file, input) in inputs.iter().enumerate() {
        for line in Lines::new(input.src) {
            for command in &line.commands {
                let bound = bind(command, input.src);
                setting_writes(command, &bound, input.src, |write| {
                    values.add(file, write, input.src);
                });
                if let Some((name, span)) = registered_image(command, &bound, input.src) {
                    images.entry(name).or_default().push((file, span));
                }
            }
        }
    }

    let mut settings = values.expander();
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
fn target(settings: &mut Expander<'_>, word: &Word, src: &[u8]) -> Option<Target> {
    let unchecked = |s: String| Some(Target::Unchecked(s));
    let value = match settings.expand(word.text(src)) {
        Ok(v) => v,
        Err(Unknown::Runtime { name, why }) => {
            return unchecked(format!("it depends on `${{{name}}}`, {why}"));
        }
        Err(Unknown::TooComplex) => {
            return unchecked("expanding its settings goes beyond ipxelint's limits".into());
        }
    };
    let Some(end) = scheme_end(&value) else {
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
    let mut url = match Url::parse(text) {
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
