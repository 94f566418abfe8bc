//! Small helpers shared by rules.

use ipxe_syntax::{Command, Word};

/// Bytes as text for messages.
pub fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate within a small distance.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    let limit = if len <= 3 { 1 } else { len.div_ceil(3) };
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// The literal name of a command, if any.
pub fn command_name<'a>(command: &'a Command, src: &'a [u8]) -> Option<&'a [u8]> {
    let word: &Word = command.words.first()?;
    word.is_literal().then(|| word.text(src))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(suggest("isseq", ["iseq", "isset", "echo"]), Some("iseq"));
        assert_eq!(suggest("kernal", ["kernel", "initrd"]), Some("kernel"));
        assert_eq!(suggest("frobnicate", ["kernel", "initrd"]), None);
        assert_eq!(suggest("retyr", ["retry", "menu"]), Some("retry"));
    }
}
