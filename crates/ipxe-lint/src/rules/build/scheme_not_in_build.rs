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
//! Only the literal start of a word is read: `${base}/vmlinuz` is not
//! judged, since its scheme is known only at run time.
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
//! Use instead (for a BIOS build without `DOWNLOAD_PROTO_HTTPS`), or build
//! iPXE with `#define DOWNLOAD_PROTO_HTTPS` in `config/local/general.h`:
//! ```ipxe
//! #!ipxe
//! chain http://boot.example.com/menu.ipxe
//! ```
//!
//! ## References
//! `parse_uri` in `src/core/uri.c` (what a scheme is), `xfer_open_uri` and
//! `xfer_uri_opener` in `src/core/open.c` (unknown scheme: `ENOTSUP`),
//! `imgdownload` in `src/usr/imgmgmt.c`, `uriboot` in `src/usr/autoboot.c`,
//! `src/config/general.h` (`DOWNLOAD_PROTO_*`, `SANBOOT_PROTO_*`).

use ipxe_catalog::Scheme;
use ipxe_semantics::BuildProfile;

use crate::prelude::*;
use crate::util::{missing_in, suggest};

pub(crate) const RULE: Rule = Rule {
    code: "IPX602",
    name: "scheme-not-in-build",
    summary: "a URI scheme that the target iPXE build cannot open",
    severity: Severity::Error,
    fix: FixAvailability::None,
    check: Check::Line(check),
};

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
        for (n, &index) in bound.positionals.iter().enumerate() {
            let role = spec.arg_role(n).map(|a| a.role);
            if matches!(role, Some(ArgRole::Uri | ArgRole::UriOrImage)) {
                check_word(cx, sink, &command.words[index], san);
            }
        }
        for option in bound
            .options
            .iter()
            .filter(|o| o.spec.kind == ValueKind::Uri)
        {
            match &option.value {
                Some(OptValue::Next { word }) => {
                    check_word(cx, sink, &command.words[*word], false);
                }
                // An inline value (`--picture=x`) starts inside the option's word.
                Some(OptValue::Inline { word, range }) => {
                    check_inline(cx, sink, &command.words[*word], range.clone());
                }
                None => {}
            }
        }
    }
}

fn check_word(cx: &LineCx<'_>, sink: &mut Sink, word: &Word, san: bool) {
    let text = word.text(cx.src);
    check_range(cx, sink, word, text, 0, text.len(), san);
}

fn check_inline(cx: &LineCx<'_>, sink: &mut Sink, word: &Word, range: std::ops::Range<u32>) {
    let text = word.text(cx.src);
    check_range(
        cx,
        sink,
        word,
        text,
        range.start as usize,
        range.end as usize,
        false,
    );
}

/// Reads the scheme as `parse_uri` does: letters, `-` and `_` up to a `:`.
fn check_range(
    cx: &LineCx<'_>,
    sink: &mut Sink,
    word: &Word,
    text: &[u8],
    start: usize,
    end: usize,
    san: bool,
) {
    // Only the part before the first `${…}` is known.
    let known_end = word
        .refs
        .iter()
        .map(|r| r.range.start as usize)
        .min()
        .unwrap_or(end)
        .min(end);
    let value = &text[start..known_end];
    let Some(colon) = value
        .iter()
        .position(|&b| !(b.is_ascii_alphabetic() || b == b'-' || b == b'_'))
        .filter(|&i| value[i] == b':')
    else {
        return;
    };
    if colon == 0 {
        return;
    }
    // Letters, `-` and `_` only, so always UTF-8.
    let name = std::str::from_utf8(&value[..colon]).unwrap_or_default();
    let span = || word.source_span(start as u32..(start + colon + 1) as u32);
    // Built only for a finding: this runs for every URI of the script.
    let shown = || {
        if value.get(colon + 1..colon + 3) == Some(b"//") {
            format!("{name}://")
        } else {
            format!("{name}:")
        }
    };
    let catalog = Catalog::get();
    let Some(scheme) = catalog.scheme(name) else {
        let shown = shown();
        let span = span();
        let d = sink.report_with(
            &RULE,
            Severity::Error,
            span,
            format!(
                "no iPXE build has the URI scheme `{shown}`: iPXE prints `{}: Operation not supported`",
                if san { "Could not open SAN device" } else { "Could not start download" }
            ),
        );
        let names = catalog
            .schemes
            .iter()
            .filter(|s| s.kind != "socket")
            .map(|s| s.name.as_str());
        if let Some(close) = suggest(&name.to_ascii_lowercase(), names) {
            d.set_help(format!("did you mean `{close}`?"));
        }
        return;
    };
    let needs_san_http = match (san, scheme.kind.as_str()) {
        // HTTP(S) as a SAN root path also needs the HTTP block device.
        (true, "download") if scheme.san_macro.is_some() => true,
        (false, "download") | (true, "san") => false,
        // A SAN scheme given to a download command (or the reverse) fails in
        // other ways; other rules may say so.
        _ => return,
    };
    let has = |p: &BuildProfile| p.has_scheme(scheme) && (!needs_san_http || san_http_on(scheme, p));
    let Some(missing) = missing_in(cx.profiles, cx.explicit_target, has) else {
        return;
    };
    let shown = shown();
    let span = span();
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
    let d = sink.report_with(&RULE, missing.severity, span, message);
    if let Some(requires) = &scheme.requires {
        d.set_help(format!("`{shown}` also needs a subsystem: {requires}"));
    } else if name.eq_ignore_ascii_case("https") && !cx.explicit_target {
        d.set_help(
            "a BIOS build needs `#define DOWNLOAD_PROTO_HTTPS`; or serve this over `http://`",
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
