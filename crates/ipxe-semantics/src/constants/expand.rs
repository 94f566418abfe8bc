//! `${…}` expansion as iPXE's `expand_settings` (`src/core/settings.c`) does
//! it, over the values a script sets to constants.
//!
//! iPXE repeatedly takes the first `}` that follows a `${`, pairs it with the
//! last `${` before it (so the innermost reference goes first), replaces that
//! reference with the setting's formatted value (or nothing), and starts again
//! from the beginning of the new string, so expanded text can form new
//! references. Here an unset or run-time reference stops the expansion with a
//! reason instead of becoming empty: a URL is either known exactly or not
//! checked.

/// Why a value is not known before run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unknown {
    /// `${name}` depends on something only known at run time.
    Runtime { name: String, why: String },
    /// The expansion grew beyond the limits (hostile or runaway input).
    TooComplex,
}

/// Gives the value of a reference's inner text.
pub type Lookup<'a> = dyn FnMut(&[u8]) -> Result<Vec<u8>, Unknown> + 'a;

/// Upper bounds, so a hostile script cannot make expansion slow or huge.
pub const MAX_LEN: usize = 8 * 1024;
pub const MAX_STEPS: usize = 1024;

/// Expands `text` with `lookup` giving the value of each reference's inner
/// text (`name`, `block/name`, `name:type`).
pub fn expand(text: &[u8], lookup: &mut Lookup<'_>) -> Result<Vec<u8>, Unknown> {
    let mut unlimited = usize::MAX;
    expand_within(text, lookup, &mut unlimited)
}

/// [`expand`], spending at most `budget` bytes of scanning and copying
/// (shared by a whole run, so many hostile words cannot add up to hours).
pub fn expand_within(
    text: &[u8],
    lookup: &mut Lookup<'_>,
    budget: &mut usize,
) -> Result<Vec<u8>, Unknown> {
    if text.len() > MAX_LEN {
        return Err(Unknown::TooComplex);
    }
    let mut s = text.to_vec();
    for _ in 0..MAX_STEPS {
        *budget = budget.checked_sub(s.len() + 1).ok_or(Unknown::TooComplex)?;
        let Some((start, close)) = innermost(&s) else {
            return Ok(s);
        };
        let value = lookup(&s[start + 2..close])?;
        let mut next = Vec::with_capacity(s.len() + value.len());
        next.extend_from_slice(&s[..start]);
        next.extend_from_slice(&value);
        next.extend_from_slice(&s[close + 1..]);
        if next.len() > MAX_LEN {
            return Err(Unknown::TooComplex);
        }
        s = next;
    }
    Err(Unknown::TooComplex)
}

/// The `${` … `}` pair iPXE expands next: the first `}` that follows some
/// `${`, and the last `${` before it.
fn innermost(s: &[u8]) -> Option<(usize, usize)> {
    let mut open = None;
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'$' if s.get(i + 1) == Some(&b'{') => {
                open = Some(i);
                i += 2;
                continue;
            }
            b'}' if open.is_some() => return open.map(|o| (o, i)),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn run(text: &str, values: &[(&str, &str)]) -> Result<String, Unknown> {
        let map: HashMap<&[u8], &[u8]> = values
            .iter()
            .map(|(k, v)| (k.as_bytes(), v.as_bytes()))
            .collect();
        expand(text.as_bytes(), &mut |name| {
            map.get(name)
                .map(|v| v.to_vec())
                .ok_or_else(|| Unknown::Runtime {
                    name: String::from_utf8_lossy(name).into_owned(),
                    why: "unset".into(),
                })
        })
        .map(|v| String::from_utf8(v).unwrap())
    }

    #[test]
    fn plain_and_nested() {
        assert_eq!(run("${a}/x", &[("a", "http://h")]).unwrap(), "http://h/x");
        assert_eq!(run("${${n}}", &[("n", "a"), ("a", "v")]).unwrap(), "v");
        assert_eq!(run("${}", &[("", "")]).unwrap(), "");
    }

    #[test]
    fn expanded_text_is_rescanned() {
        // dollar=`$`, brace=`{`: `${dollar}${brace}x}` becomes `${x}`, then x's value.
        let values = [("dollar", "$"), ("brace", "{"), ("x", "X")];
        assert_eq!(run("${dollar}${brace}x}", &values).unwrap(), "X");
    }

    #[test]
    fn literal_leftovers_stay() {
        assert_eq!(run("a}b$c ${ x", &[]).unwrap(), "a}b$c ${ x");
        assert_eq!(run("$${x}", &[("x", "1")]).unwrap(), "$1");
    }

    #[test]
    fn unset_is_unknown_not_empty() {
        assert!(matches!(run("${a}/x", &[]), Err(Unknown::Runtime { .. })));
    }

    #[test]
    fn runaway_growth_is_bounded() {
        // A value that re-creates its own reference forever.
        let values = [("x", "${x}${x}")];
        assert_eq!(run("${x}", &values), Err(Unknown::TooComplex));
    }
}
