//! Small helpers shared by rules.

use ipxe_syntax::{Command, Word};

/// Bytes as text for messages.
pub fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub use ipxe_semantics::suggest;

/// Commands whose arguments are text to show, which may begin with `-`
/// (so an option-looking word there is probably text, not an option).
pub fn prints_text(spec: &ipxe_catalog::Command) -> bool {
    spec.name == "item"
        || spec
            .args
            .first()
            .is_some_and(|a| a.role == ipxe_catalog::ArgRole::Text)
}

/// The source bytes from the line's first token to its last: every token
/// lies inside, so one fast scan of it can rule out a byte for the whole line.
pub fn token_bytes<'a>(line: &ipxe_syntax::Line, src: &'a [u8]) -> &'a [u8] {
    match (line.tokens.first(), line.tokens.last()) {
        (Some(first), Some(last)) => &src[first.span.start as usize..last.span.end as usize],
        _ => &[],
    }
}

/// Whether `bytes` holds any of `needles`. Lines and words are short, where
/// `memchr` falls back to a byte loop: this tests 8 bytes at a time with the
/// "has a zero byte" bit trick, which is exact.
#[inline]
pub fn has_any<const N: usize>(bytes: &[u8], needles: [u8; N]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let v = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        for n in needles {
            let x = v ^ (ONES * u64::from(n));
            if x.wrapping_sub(ONES) & !x & HIGHS != 0 {
                return true;
            }
        }
    }
    chunks.remainder().iter().any(|b| needles.contains(b))
}

/// The literal name of a command, if any.
pub fn command_name<'a>(command: &'a Command, src: &'a [u8]) -> Option<&'a [u8]> {
    let word: &Word = command.words.first()?;
    word.is_literal().then(|| word.text(src))
}

/// The target builds that lack a feature, and how sure a finding about it is.
pub struct MissingIn<'a> {
    /// Error for a build the user named; for the implicit default pair, a
    /// warning when no build has the feature and info when some do.
    pub severity: ipxe_diagnostics::Severity,
    /// How to name the lacking builds in a message (`bin/undionly.kpxe`,
    /// `stock BIOS builds`, `stock iPXE builds (BIOS or EFI)`).
    pub builds: String,
    pub lacking: Vec<&'a ipxe_semantics::BuildProfile>,
}

/// Which of `profiles` lack what `has` tests for; `None` when all have it.
pub fn missing_in<'a>(
    profiles: &'a [ipxe_semantics::BuildProfile],
    explicit_target: bool,
    has: impl Fn(&ipxe_semantics::BuildProfile) -> bool,
) -> Option<MissingIn<'a>> {
    use ipxe_diagnostics::Severity;
    // Asked for every command and URI: answer the usual "all have it" without allocating.
    if profiles.iter().all(&has) {
        return None;
    }
    let lacking: Vec<_> = profiles.iter().filter(|p| !has(p)).collect();
    if lacking.is_empty() {
        return None;
    }
    let all = lacking.len() == profiles.len();
    let severity = match (explicit_target, all) {
        (true, _) => Severity::Error,
        (false, true) => Severity::Warning,
        (false, false) => Severity::Info,
    };
    let stock = !explicit_target && lacking.iter().all(|p| p.label.starts_with("stock "));
    let builds = if stock {
        let mut kinds: Vec<&str> = Vec::new();
        for p in &lacking {
            let kind = match p.platform {
                ipxe_catalog::Platform::Pcbios => "BIOS",
                ipxe_catalog::Platform::Efi => "EFI",
                other => other.as_str(),
            };
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        if all && kinds.len() > 1 {
            format!("stock iPXE builds ({})", kinds.join(" or "))
        } else {
            format!("stock {} builds", kinds.join(" or "))
        }
    } else {
        lacking
            .iter()
            .map(|p| p.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    Some(MissingIn {
        severity,
        builds,
        lacking,
    })
}

/// A numeric DHCP option tag used as a setting name: `12`, `175.3`, `0x0c`.
pub fn numeric_tag(name: &[u8]) -> bool {
    !name.is_empty()
        && name.split(|&b| b == b'.').all(|part| {
            let hex = part
                .strip_prefix(b"0x")
                .or_else(|| part.strip_prefix(b"0X"));
            match hex {
                Some(h) => !h.is_empty() && h.iter().all(u8::is_ascii_hexdigit),
                None => !part.is_empty() && part.iter().all(u8::is_ascii_digit),
            }
        })
}

/// A command as written (words joined by single spaces), shortened for messages.
pub fn command_text(command: &Command, src: &[u8]) -> String {
    let words: Vec<String> = command.words.iter().map(|w| show(w.text(src))).collect();
    shorten(&words.join(" "), 48)
}

/// Text cut to about `max` characters, with `…` when cut.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// [`shorten`] that borrows the text when it is short enough.
pub fn shorten_str(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    // Fewer bytes than `max` means fewer characters: no need to count.
    if text.len() <= max || text.chars().count() <= max {
        return text.into();
    }
    shorten(text, max).into()
}

/// Bytes as text for messages, borrowed when they are valid UTF-8 (the
/// usual case, checked faster than [`String::from_utf8_lossy`] does).
pub fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.into(),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The first index at or after which `before` is false (as
/// `slice::partition_point`), searched forward from `hint` by doubling
/// steps when `hint` is not past the answer. Walks that visit positions
/// mostly in order then take a few steps each instead of a binary search
/// over the whole slice, which on a big file misses the cache at every step.
pub fn partition_point_from<T>(slice: &[T], hint: usize, before: impl Fn(&T) -> bool) -> usize {
    let hint = hint.min(slice.len());
    if hint > 0 && !before(&slice[hint - 1]) {
        return slice.partition_point(before);
    }
    let mut step = 1;
    let mut low = hint;
    while low + step <= slice.len() && before(&slice[low + step - 1]) {
        low += step;
        step *= 2;
    }
    let high = (low + step).min(slice.len());
    low + slice[low..high].partition_point(before)
}

/// Options that run only the rule `code`, against `targets` (the default
/// build pair when empty), for rules' unit tests.
#[cfg(test)]
fn test_options(code: &str, targets: &[&str]) -> crate::LintOptions {
    let mut options = crate::LintOptions {
        select: vec![code.into()],
        ..crate::LintOptions::default()
    };
    if !targets.is_empty() {
        options.profiles = targets
            .iter()
            .map(|t| ipxe_semantics::BuildProfile::from_target(t).unwrap())
            .collect();
        options.explicit_target = true;
    }
    options
}

/// Findings of one rule on `src` as (severity, message), against `targets`
/// (the default build pair when empty): for rules' unit tests.
#[cfg(test)]
pub(crate) fn findings_for(code: &str, src: &str, targets: &[&str]) -> Vec<(String, String)> {
    crate::lint_source("t.ipxe", src.as_bytes(), &test_options(code, targets))
        .into_iter()
        .map(|d| (d.severity.as_str().to_string(), d.message))
        .collect()
}

/// Findings of one rule on `files` linted together (named `0.ipxe`,
/// `1.ipxe`…), against `targets`: per file, each message with its related
/// notes. For rules' unit tests.
#[cfg(test)]
pub(crate) fn run_findings(
    code: &str,
    files: &[&str],
    targets: &[&str],
) -> Vec<Vec<(String, Vec<String>)>> {
    let options = test_options(code, targets);
    let inputs: Vec<crate::SourceInput<'_>> = files
        .iter()
        .enumerate()
        .map(|(i, src)| crate::SourceInput {
            path: format!("{i}.ipxe"),
            src: src.as_bytes(),
            ignore: Vec::new(),
        })
        .collect();
    crate::lint_files(&inputs, &options)
        .into_iter()
        .map(|found| {
            found
                .into_iter()
                .map(|d| (d.message, d.related.into_iter().map(|r| r.1).collect()))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_search() {
        let text = b"kernel http://x/vmlinuz initrd=a.img quiet || goto fail";
        for (at, &b) in text.iter().enumerate() {
            assert!(has_any(text, [b]), "{at}");
            assert!(has_any(&text[at..], [b'#', b]), "{at}");
        }
        for b in [b'$', b'\\', b'`', 0, 0x80, 0xff] {
            assert!(!has_any(text, [b]));
        }
        assert!(!has_any(b"", *b"|&;"));
        assert!(has_any(b"0123456789abcdef\xff", [0xff]));
    }

    proptest::proptest! {
        #[test]
        fn forward_search_agrees(mut lines in proptest::collection::vec(0u32..50, 0..40), hint in 0usize..45, at in 0u32..55) {
            lines.sort_unstable();
            proptest::prop_assert_eq!(
                partition_point_from(&lines, hint, |&l| l < at),
                lines.partition_point(|&l| l < at)
            );
        }
    }
}
