//! ## What it does
//! Reports a URI whose scheme the target build cannot open, in the words
//! iPXE downloads or boots from: the image of `kernel`, `initrd`, `chain`,
//! `imgfetch`, `module`, `imgexec`, `imgselect`, `imgload`, `imgargs`,
//! `imgverify`, `imgset`, `certstore`, the digest commands, `console
//! --picture`…, and the root paths of `sanboot`/`sanhook`. Stock BIOS builds
//! lack `https://`; no stock build has `ftp://`, `nfs://` or `x-slam://`;
//! `file:` exists only in EFI builds. A scheme that no iPXE build has at all
//! (`htps://`, `localhost:8080/…`) is reported too, as an error.
//!
//! With `--target`, a missing scheme is an error. Without it, the script is
//! checked against the stock BIOS (i386) and EFI (x86_64) builds: a warning
//! when neither has the scheme, info when only one lacks it.
//!
//! A URI whose scheme comes from a setting (`${base}/vmlinuz`,
//! `${proto}://h/x`, `http${s}://h/x`) is judged by the value the scripts
//! set it to, when that is a constant: one `set` value for the whole run
//! (the files linted together share settings, as chained scripts do),
//! whose own references are constants too. The finding names the setting
//! and the `set`. A setting that `read`, `choose` or another command
//! writes, that is set to different values, cleared, stored in a block or
//! with a type, or that iPXE or DHCP fills in (`${next-server}`) is known
//! only at run time, and such URIs are not judged.
//!
//! ## Why is this bad?
//! iPXE opens a URI with the opener registered for its scheme, and a build
//! links only the protocols its config enables. Without one, iPXE prints
//! `Could not start download: Operation not supported` (`sanboot`: `Could
//! not open SAN device: Operation not supported`) and the command fails,
//! which aborts the script unless the line ends in `||`.
//!
//! ## Example
//! ```ipxe
//! #!ipxe
//! chain https://boot.example.com/menu.ipxe
//! ```
//!
//! ```ipxe
//! #!ipxe
//! set base https://boot.example.com
//! chain ${base}/menu.ipxe
//! ```
//!
//! Use instead (for a BIOS build without `DOWNLOAD_PROTO_HTTPS`), or build
//! iPXE with `#define DOWNLOAD_PROTO_HTTPS` in `config/local/general.h`:
//! ```ipxe
//! #!ipxe
//! chain http://boot.example.com/menu.ipxe
//! ```
//!
//! ## References
//! `parse_uri` in `src/core/uri.c` (what a scheme is), `expand_settings` in
//! `src/core/settings.c` (how `${…}` is replaced), `xfer_open_uri` and
//! `xfer_uri_opener` in `src/core/open.c` (unknown scheme: `ENOTSUP`),
//! `imgdownload` in `src/usr/imgmgmt.c`, `uriboot` in `src/usr/autoboot.c`,
//! `src/config/general.h` (`DOWNLOAD_PROTO_*`, `SANBOOT_PROTO_*`).

use rustc_hash::FxHashMap;

use ipxe_catalog::Scheme;
use ipxe_semantics::constants::{Expander, is_scheme_byte, scheme_end};
use ipxe_semantics::{BuildProfile, UriRef};
use ipxe_syntax::split_setting_name;

use crate::Diagnostic;
use crate::prelude::*;
use crate::rule::SetNotes;
use crate::util::{missing_in, shorten, suggest};

pub(crate) const RULE: Rule = Rule {
    code: "IPX602",
    name: "scheme-not-in-build",
    summary: "a URI scheme that the target iPXE build cannot open",
    severity: Severity::Error,
    fix: FixAvailability::None,
    check: Check::LineAndFile(check, check_settings),
};

/// The literal URIs of one line.
fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    // A scheme ends at a `:`: a line without one names no scheme.
    if !cx.bytes.has(b':') {
        return;
    }
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        let Some(spec) = bound.spec else { continue };
        if bound.problem.is_some() {
            continue;
        }
        let san = matches!(spec.name.as_str(), "sanboot" | "sanhook");
        for (word, range) in bound.uris(command) {
            check_word(cx, sink, word, range, san);
        }
    }
}

/// Reads the scheme as `parse_uri` does (see [`scheme_end`]), in the part
/// of the URI before its first `${…}`: the rest is known only at run time
/// (or from a setting: see [`check_settings`]).
fn check_word(
    cx: &LineCx<'_>,
    sink: &mut Sink,
    word: &Word,
    range: Option<std::ops::Range<u32>>,
    san: bool,
) {
    let text = word.text(cx.src);
    let (start, end) = range.map_or((0, text.len()), |r| (r.start as usize, r.end as usize));
    let known_end = word
        .refs
        .iter()
        .map(|r| r.range.start as usize)
        .min()
        .unwrap_or(end)
        .min(end);
    let value = &text[start..known_end];
    let Some(colon) = scheme_end(value).filter(|&c| c > 0) else {
        return;
    };
    let Some(problem) = problem(cx.profiles, cx.explicit_target, value, colon, san) else {
        return;
    };
    let span = word.source_span(start as u32..(start + colon + 1) as u32);
    problem.report(sink, span, problem.message.clone());
}

/// Why a build cannot open a URI, for a finding.
struct Problem {
    severity: Severity,
    message: String,
    help: Option<String>,
}

impl Problem {
    fn report<'s>(&self, sink: &'s mut Sink, span: Span, message: String) -> &'s mut Diagnostic {
        let d = sink.report_with(&RULE, self.severity, span, message);
        if let Some(help) = &self.help {
            d.set_help(help.clone());
        }
        d
    }
}

/// What is wrong with the scheme `uri[..colon]` on the run's builds, if
/// anything (`uri` need only go on a little past the colon).
fn problem(
    profiles: &[BuildProfile],
    explicit_target: bool,
    uri: &[u8],
    colon: usize,
    san: bool,
) -> Option<Problem> {
    // Letters, `-` and `_` only, so always UTF-8.
    let name = std::str::from_utf8(&uri[..colon]).unwrap_or_default();
    // Built only for a finding: this runs for every URI of the script.
    let shown = || {
        if uri.get(colon + 1..colon + 3) == Some(b"//") {
            format!("{name}://")
        } else {
            format!("{name}:")
        }
    };
    let catalog = Catalog::get();
    let Some(scheme) = catalog.scheme(name) else {
        let names = catalog
            .schemes
            .iter()
            .filter(|s| s.kind != "socket")
            .map(|s| s.name.as_str());
        return Some(Problem {
            severity: Severity::Error,
            message: format!(
                "no iPXE build has the URI scheme `{}`: iPXE prints `{}: Operation not supported`",
                shown(),
                if san { "Could not open SAN device" } else { "Could not start download" }
            ),
            help: suggest(&name.to_ascii_lowercase(), names)
                .map(|close| format!("did you mean `{close}`?")),
        });
    };
    let needs_san_http = match (san, scheme.kind.as_str()) {
        // HTTP(S) as a SAN root path also needs the HTTP block device.
        (true, "download") if scheme.san_macro.is_some() => true,
        (false, "download") | (true, "san") => false,
        // A SAN scheme given to a download command (or the reverse) fails in
        // other ways; other rules may say so.
        _ => return None,
    };
    let has = |p: &BuildProfile| p.has_scheme(scheme) && (!needs_san_http || san_http_on(scheme, p));
    let missing = missing_in(profiles, explicit_target, has)?;
    let shown = shown();
    let failure = if san {
        "Could not open SAN device: Operation not supported"
    } else {
        "Could not start download: Operation not supported"
    };
    let mut macros = Vec::new();
    let header = scheme.header.as_deref().unwrap_or("general.h");
    if !scheme.macro_name.is_empty() && missing.lacking.iter().any(|p| !p.has_scheme(scheme)) {
        macros.push(format!("{} in config/local/{header}", scheme.macro_name));
    }
    if san
        && let Some(san_macro) = &scheme.san_macro
        && missing.lacking.iter().any(|p| !san_http_on(scheme, p))
    {
        macros.push(format!("{san_macro} in config/local/{header}"));
    }
    let mut message = format!(
        "`{shown}` is not in {}: iPXE prints `{failure}`",
        missing.builds
    );
    if !macros.is_empty() {
        message.push_str(&format!("; enable {}", macros.join(" and ")));
    }
    let help = if let Some(requires) = &scheme.requires {
        Some(format!("`{shown}` also needs a subsystem: {requires}"))
    } else if name.eq_ignore_ascii_case("https") && !explicit_target {
        Some("a BIOS build needs `#define DOWNLOAD_PROTO_HTTPS`; or serve this over `http://`".into())
    } else {
        None
    };
    Some(Problem {
        severity: missing.severity,
        message,
        help,
    })
}

/// What a setting's value says about the scheme of a URI that starts with
/// it (`${base}/…`): worked out once per setting (and kind of URI).
#[derive(Clone, Copy)]
enum Lead {
    /// Nothing to report: the value is unknown, names no scheme, or one
    /// every build has.
    Quiet,
    /// The value holds the whole scheme, and a build lacks it.
    Lacking,
    /// The scheme goes on past the value (`${proto}://…`): read each URI.
    Open,
}

/// URIs whose scheme comes from settings the run sets to constants.
fn check_settings(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    if model.uri_refs.is_empty() {
        return;
    }
    let mut expander = cx.project.setting_values().expander();
    let mut notes = SetNotes::default();
    let mut leads: FxHashMap<(&[u8], bool), Lead> = FxHashMap::default();
    // URIs come in runs of the same setting: skip even the table then.
    let mut last: Option<((&[u8], bool), Lead)> = None;
    for uri in &model.uri_refs {
        let (prefix, inner) = uri.first_ref(cx.src);
        let lead = if prefix > 0 {
            Lead::Open
        } else {
            let key = (inner, uri.san);
            match last {
                Some((k, lead)) if k == key => lead,
                _ => {
                    let lead = *leads
                        .entry(key)
                        .or_insert_with(|| lead_of(cx, &mut expander, inner, uri.san));
                    last = Some((key, lead));
                    lead
                }
            }
        };
        match lead {
            Lead::Quiet => {}
            Lead::Lacking | Lead::Open => report(cx, sink, &mut expander, &mut notes, uri),
        }
    }
}

/// What the value of `${inner}` decides, at the very start of a URI.
fn lead_of(cx: &FileCx<'_>, expander: &mut Expander<'_>, inner: &[u8], san: bool) -> Lead {
    let Ok(value) = expander.lookup(inner) else {
        return Lead::Quiet;
    };
    match value.iter().position(|&b| !is_scheme_byte(b)) {
        // A `$` may start a reference that the rest of the URI closes.
        None => Lead::Open,
        Some(i) if value[i] == b'$' => Lead::Open,
        Some(i) if value[i] != b':' || i == 0 => Lead::Quiet,
        Some(colon) => match problem(cx.profiles, cx.explicit_target, &value, colon, san) {
            Some(_) => Lead::Lacking,
            None => Lead::Quiet,
        },
    }
}

/// Reports `uri` if the settings give it a scheme a build lacks.
fn report<'a>(
    cx: &FileCx<'a>,
    sink: &mut Sink,
    expander: &mut Expander<'_>,
    notes: &mut SetNotes<'a>,
    uri: &UriRef,
) {
    let text = uri.text(cx.src);
    let (prefix, inner) = uri.first_ref(cx.src);
    let Ok(value) = expander.lookup(inner) else {
        return;
    };
    // The reference is `${` + inner + `}`; the rest follows unexpanded.
    let lead_end = prefix + inner.len() + 3;
    let mut start = text[..prefix].to_vec();
    start.extend_from_slice(&value);
    start.extend_from_slice(&text[lead_end..]);
    // Everything before the first byte that is no scheme byte is settled:
    // later expansions only change text from a `$` on.
    let (uri_text, colon) = match start.iter().position(|&b| !is_scheme_byte(b)) {
        Some(i) if start[i] == b':' && i > 0 => (start, i),
        Some(i) if start[i] == b'$' => {
            let Ok(full) = expander.expand(text) else {
                return;
            };
            let Some(colon) = scheme_end(&full).filter(|&c| c > 0) else {
                return;
            };
            (full, colon)
        }
        _ => return,
    };
    let Some(problem) = problem(cx.profiles, cx.explicit_target, &uri_text, colon, uri.san) else {
        return;
    };
    let written = shorten(&crate::util::text(text), 80);
    let shown = match expander.expand(text) {
        Ok(full) => format!("`{written}` is `{}`", shorten(&crate::util::text(&full), 80)),
        Err(_) => format!(
            "`{written}` starts with `{}`",
            shorten(&crate::util::text(&uri_text[..colon + 1]), 80)
        ),
    };
    let parts = split_setting_name(inner);
    let name = &inner[parts.name.start as usize..parts.name.end as usize];
    let note = notes.of(cx, name);
    let shown_name = show(name);
    let from = match note {
        Some(note) => format!(" (`set {shown_name}` on {})", note.place),
        None => String::new(),
    };
    let span = Span::new(uri.start, uri.start + lead_end as u32);
    let message = format!("{shown}{from}: {}", problem.message);
    let d = problem.report(sink, span, message);
    if let Some(note) = note.filter(|n| n.here) {
        d.add_related(
            note.site.span,
            format!(
                "`{shown_name}` is set to `{}` here",
                shorten(&crate::util::text(&value), 60)
            ),
        );
    }
}

/// `SANBOOT_PROTO_HTTP` is defined in the same `#if !defined(SANBOOT_NULL)`
/// block of `config/general.h` as `SANBOOT_PROTO_ISCSI`, so it has the same
/// stock default.
fn san_http_on(scheme: &Scheme, profile: &BuildProfile) -> bool {
    let Some(san_macro) = &scheme.san_macro else {
        return true;
    };
    let default = Catalog::get()
        .scheme("iscsi")
        .is_some_and(|s| s.default_in(profile.platform));
    profile.overrides.get(san_macro).copied().unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use crate::{LintOptions, lint_source};
    use ipxe_semantics::BuildProfile;

    fn findings(src: &str, targets: &[&str]) -> Vec<(String, String)> {
        crate::util::findings_for("IPX602", src, targets)
    }

    /// The findings of linting `files` together, per file: (message, related notes).
    fn run(files: &[&str]) -> Vec<Vec<(String, Vec<String>)>> {
        crate::util::run_findings("IPX602", files, &["bin/undionly.kpxe"])
    }

    #[test]
    fn constants_set_in_another_file_of_the_run() {
        let got = run(&[
            "#!ipxe\nset base https://boot.example.com\nchain sub.ipxe\n",
            "#!ipxe\nchain ${base}/menu.ipxe ||\nkernel ${base}/vmlinuz ||\n",
        ]);
        assert!(got[0].is_empty(), "{got:?}");
        assert_eq!(got[1].len(), 2, "{got:?}");
        let (message, related) = &got[1][0];
        assert!(
            message.starts_with("`${base}/menu.ipxe` is `https://boot.example.com/menu.ipxe` (`set base` on line 2 of 0.ipxe): `https://` is not in bin/undionly.kpxe"),
            "{message}"
        );
        // The `set` is in another file: no location in this one.
        assert!(related.is_empty(), "{related:?}");
    }

    #[test]
    fn another_value_in_another_file_is_no_constant() {
        let got = run(&[
            "#!ipxe\nset base http://boot.example.com\nchain ${base}/menu.ipxe ||\n",
            "#!ipxe\nset base https://boot.example.com\nchain ${base}/menu.ipxe ||\n",
        ]);
        assert!(got.iter().all(Vec::is_empty), "{got:?}");
        // The same value everywhere is still one constant.
        let got = run(&[
            "#!ipxe\nset base https://boot.example.com\nchain ${base}/menu.ipxe ||\n",
            "#!ipxe\nset base https://boot.example.com\n",
        ]);
        assert_eq!(got[0].len(), 1, "{got:?}");
        assert_eq!(got[0][0].1, ["`base` is set to `https://boot.example.com` here"]);
        // The file's own `set` is named, not the run's first.
        let got = run(&[
            "#!ipxe\nset base https://boot.example.com\n",
            "#!ipxe\n\nset base https://boot.example.com\nchain ${base}/menu.ipxe ||\n",
        ]);
        assert!(got[1][0].0.contains("(`set base` on line 3)"), "{got:?}");
        assert_eq!(got[1][0].1.len(), 1, "{got:?}");
    }

    #[test]
    fn how_values_build_schemes() {
        let got = run(&[concat!(
            "#!ipxe\n",
            // The scheme ends in the value, goes on past it, or starts before it.
            "set full https://h\nchain ${full}/x ||\n",
            "set word https\nchain ${word}://h/x ||\n",
            "set s s\nchain http${s}://h/x ||\n",
            // References the value leaves for the rest of the word to close.
            "set dollar $\nchain ${dollar}{word}://h/x ||\n",
            // Known scheme, unknown rest: still judged.
            "chain ${full}/${net0/mac} ||\n",
            // No scheme, or an empty one.
            "set path /srv\nchain ${path}/https://x ||\nset colon :\nchain ${colon}//h ||\n",
            "chain ${}https://h/x ||\n",
        )]);
        let messages: Vec<&str> = got[0]
            .iter()
            .map(|(m, _)| m.split(" (").next().unwrap())
            .collect();
        assert_eq!(
            messages,
            [
                "`${full}/x` is `https://h/x`",
                "`${word}://h/x` is `https://h/x`",
                "`http${s}://h/x` is `https://h/x`",
                "`${dollar}{word}://h/x` is `https://h/x`",
                "`${full}/${net0/mac}` starts with `https:`",
                "`${}https://h/x` is `https://h/x`: `https://` is not in bin/undionly.kpxe: iPXE prints `Could not start download: Operation not supported`; enable DOWNLOAD_PROTO_HTTPS in config/local/general.h",
            ]
        );
    }

    #[test]
    fn default_pair_gives_warnings_and_infos() {
        let got = findings(
            "#!ipxe\nchain https://h/x ||\nchain nfs://h/x ||\nimgfetch FILE:/x ||\nconsole --picture=https://h/bg.png ||\n",
            &[],
        );
        let severities: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(severities, ["info", "warning", "info", "info"], "{got:?}");
        assert!(
            got[0]
                .1
                .starts_with("`https://` is not in stock BIOS builds"),
            "{got:?}"
        );
        assert!(
            got[1]
                .1
                .starts_with("`nfs://` is not in stock iPXE builds (BIOS or EFI)"),
            "{got:?}"
        );
        assert!(
            got[2].1.starts_with("`FILE:` is not in stock BIOS builds"),
            "{got:?}"
        );
    }

    #[test]
    fn efi_target_has_https_and_file() {
        let src = "#!ipxe\nchain https://h/x\nimgfetch file:/x\nsanboot http://h/disk\n";
        assert!(findings(src, &["bin-x86_64-efi/ipxe.efi"]).is_empty());
    }

    #[test]
    fn san_over_http_needs_the_san_macro() {
        let mut profile = BuildProfile::from_target("bin-x86_64-efi/ipxe.efi").unwrap();
        profile.overrides.insert("SANBOOT_PROTO_HTTP".into(), false);
        let options = LintOptions {
            select: vec!["IPX602".into()],
            profiles: vec![profile],
            explicit_target: true,
            ..LintOptions::default()
        };
        let got = lint_source(
            "t.ipxe",
            b"#!ipxe\nsanboot http://h/disk\nchain http://h/x\n",
            &options,
        );
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0]
                .message
                .ends_with("enable SANBOOT_PROTO_HTTP in config/local/general.h"),
            "{}",
            got[0].message
        );
    }
}
