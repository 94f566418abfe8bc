//! Incremental sync: random edit sequences applied with UTF-16 ranges agree
//! with a simple reference that works on characters.

use ipxe_lsp::convert::{PosIndex, apply_change};
use lsp_types::{Position, Range};
use proptest::prelude::*;

/// The reference: the text as chars, lines split at `\n`, `\r\n` and lone `\r`.
fn reference_offset(chars: &[char], pos: Position) -> usize {
    let mut starts = vec![0usize];
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\n' || (chars[i] == '\r' && chars.get(i + 1) != Some(&'\n')) {
            starts.push(i + 1);
        }
        i += 1;
    }
    let line = pos.line as usize;
    if line >= starts.len() {
        return chars.len();
    }
    let start = starts[line];
    let mut end = starts.get(line + 1).copied().unwrap_or(chars.len());
    if end > start && chars[end - 1] == '\n' {
        end -= 1;
    }
    if end > start && chars[end - 1] == '\r' {
        end -= 1;
    }
    let mut units = 0u32;
    for (k, c) in chars[start..end].iter().enumerate() {
        let w = c.len_utf16() as u32;
        if units + w > pos.character {
            return start + k;
        }
        units += w;
    }
    end
}

fn reference_apply(text: &str, range: Range, new_text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let a = reference_offset(&chars, range.start);
    let b = reference_offset(&chars, range.end);
    let (a, b) = (a.min(b), a.max(b));
    chars.splice(a..b, new_text.chars());
    chars.into_iter().collect()
}

fn text_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("a"),
            Just("é"),
            Just("😀"),
            Just("\n"),
            Just("\r"),
            Just("\r\n"),
            Just(" "),
            Just("${x}"),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

fn edit_strategy() -> impl Strategy<Value = (u32, u32, u32, u32, String)> {
    (0u32..8, 0u32..12, 0u32..8, 0u32..12, text_strategy())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn ranged_edits_match_the_reference(
        start in text_strategy(),
        edits in proptest::collection::vec(edit_strategy(), 1..8),
    ) {
        let mut ours = start.clone();
        let mut index = PosIndex::new(&ours);
        let mut reference = start;
        for (l1, c1, l2, c2, text) in edits {
            let range = Range {
                start: Position { line: l1, character: c1 },
                end: Position { line: l2, character: c2 },
            };
            apply_change(&mut ours, &mut index, Some(range), &text);
            reference = reference_apply(&reference, range, &text);
            prop_assert_eq!(&ours, &reference);
            // The index kept up to date equals one built afresh.
            let fresh = PosIndex::new(&ours);
            prop_assert_eq!(format!("{index:?}"), format!("{fresh:?}"));
        }
    }
}
