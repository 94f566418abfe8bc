//! "Did you mean" suggestions: the nearest of some names by edit distance.

/// The closest candidate within a small edit (Levenshtein) distance, for
/// "did you mean" suggestions.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word: Vec<char> = word.chars().collect();
    let limit = if word.len() <= 3 {
        1
    } else {
        word.len().div_ceil(3)
    };
    let mut rows = (Vec::new(), Vec::new());
    let mut best: Option<(usize, &str)> = None;
    // Scripts with thousands of labels ask this for every unknown one: skip
    // candidates whose length alone puts them too far, and stop a
    // comparison as soon as it cannot get within the limit.
    for candidate in candidates {
        if candidate.chars().count().abs_diff(word.len()) > limit {
            continue;
        }
        let Some(distance) = distance_within(&word, candidate, limit, &mut rows) else {
            continue;
        };
        if best.is_none_or(|b| (distance, candidate) < b) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The edit distance between `a` and `b` if it is at most `limit`.
fn distance_within(
    a: &[char],
    b: &str,
    limit: usize,
    (prev, cur): &mut (Vec<usize>, Vec<usize>),
) -> Option<usize> {
    prev.clear();
    prev.extend(0..=a.len());
    for (j, cb) in b.chars().enumerate() {
        cur.clear();
        cur.push(j + 1);
        for (i, ca) in a.iter().enumerate() {
            let cost = usize::from(*ca != cb);
            cur.push((prev[i] + cost).min(prev[i + 1] + 1).min(cur[i] + 1));
        }
        if cur.iter().min().is_some_and(|&m| m > limit) {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    let distance = prev[a.len()];
    (distance <= limit).then_some(distance)
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
        // Ties go to the smallest candidate, whatever the order.
        assert_eq!(suggest("ab", ["ac", "aa"]), Some("aa"));
    }

    /// The plain dynamic programme, to check the pruned one against.
    fn edit_distance(a: &str, b: &str) -> usize {
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

    proptest::proptest! {
        #[test]
        fn pruned_distance_agrees(a in "[abé]{0,8}", b in "[abé]{0,8}", limit in 0usize..5) {
            let chars: Vec<char> = a.chars().collect();
            let full = edit_distance(&a, &b);
            let pruned = distance_within(&chars, &b, limit, &mut (Vec::new(), Vec::new()));
            proptest::prop_assert_eq!(pruned, (full <= limit).then_some(full));
        }
    }
}
