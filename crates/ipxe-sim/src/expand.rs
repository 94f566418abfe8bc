//! `${…}` expansion: a port of iPXE's `expand_settings` (`src/core/settings.c`).
//!
//! Repeatedly: scan the whole string from the start, remember the last `${`,
//! stop at the first `}` after one; replace that innermost `${name}` with the
//! looked-up value (empty when unset or invalid) and start again from the
//! beginning. Values are rescanned, so a value can build new references and a
//! self-referencing value never ends — hence the budget.

/// Limits for one expansion.
#[derive(Clone, Copy, Debug)]
pub struct ExpandBudget {
    /// Replacements allowed for one word.
    pub max_steps: usize,
    /// Longest intermediate string, in bytes.
    pub max_len: usize,
}

/// Why an expansion was cut short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpandLimit {
    Steps,
    Length,
}

/// Expands `raw`, calling `lookup` with the text between `${` and `}`.
pub fn expand(
    raw: &[u8],
    budget: ExpandBudget,
    mut lookup: impl FnMut(&[u8]) -> Option<Vec<u8>>,
) -> Result<Vec<u8>, ExpandLimit> {
    let mut s = raw.to_vec();
    let mut steps = 0;
    loop {
        let mut start = None;
        let mut end = None;
        let mut i = 0;
        while i < s.len() {
            if s[i] == b'$' && s.get(i + 1) == Some(&b'{') {
                start = Some(i);
            }
            if start.is_some() && s[i] == b'}' {
                end = Some(i);
                break;
            }
            i += 1;
        }
        let (Some(start), Some(end)) = (start, end) else {
            return Ok(s);
        };
        steps += 1;
        if steps > budget.max_steps {
            return Err(ExpandLimit::Steps);
        }
        let value = lookup(&s[start + 2..end]).unwrap_or_default();
        let mut next = Vec::with_capacity(start + value.len() + s.len() - end);
        next.extend_from_slice(&s[..start]);
        next.extend_from_slice(&value);
        next.extend_from_slice(&s[end + 1..]);
        if next.len() > budget.max_len {
            return Err(ExpandLimit::Length);
        }
        s = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const B: ExpandBudget = ExpandBudget {
        max_steps: 1000,
        max_len: 1 << 16,
    };

    fn run(raw: &str, vars: &[(&str, &str)]) -> String {
        let out = expand(raw.as_bytes(), B, |name| {
            vars.iter()
                .find(|(k, _)| k.as_bytes() == name)
                .map(|(_, v)| v.as_bytes().to_vec())
        })
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn innermost_first_and_rescanned() {
        assert_eq!(run("${${x}}", &[("x", "y"), ("y", "deep")]), "deep");
        assert_eq!(
            run(
                "${dollar}${brace}x}",
                &[("dollar", "$"), ("brace", "{"), ("x", "X")]
            ),
            "X"
        );
        assert_eq!(run("$${x}", &[("x", "1")]), "$1");
        assert_eq!(run("${ unterminated", &[]), "${ unterminated");
        assert_eq!(run("a}b", &[]), "a}b");
        assert_eq!(run("${}", &[]), "");
    }

    #[test]
    fn self_reference_hits_the_budget() {
        let r = expand(b"${x}", B, |_| Some(b"${x}".to_vec()));
        assert_eq!(r, Err(ExpandLimit::Steps));
        let r = expand(b"${x}", B, |_| {
            Some(format!("${{x}}{}", "a".repeat(1000)).into_bytes())
        });
        assert_eq!(r, Err(ExpandLimit::Length));
    }
}
