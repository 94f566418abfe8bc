//! `--fix` and `--diff`: apply fixes until none is left.

use std::io::Write;

use anyhow::{Context, Result};
use ipxe_diagnostics::{Applicability, Diagnostic, Edit, Fix, apply_edits};
use ipxe_lint::{Config, LintOptions};

use crate::files::Input;

/// A file's text before and after fixing.
pub struct Fixed {
    pub display: String,
    pub path: Option<std::path::PathBuf>,
    pub before: Vec<u8>,
    pub after: Vec<u8>,
}

impl Fixed {
    pub fn changed(&self) -> bool {
        self.before != self.after
    }
}

/// Rounds of fixing are bounded: each round re-lints, since one fix can make another moot.
const MAX_ROUNDS: usize = 10;

/// Whether `--fix` applies this fix: safe ones always, unsafe ones with `--unsafe-fixes`.
pub fn applies(fix: &Fix, unsafe_fixes: bool) -> bool {
    match fix.applicability {
        Applicability::Safe => true,
        Applicability::Unsafe => unsafe_fixes,
        Applicability::DisplayOnly => false,
    }
}

/// Applies fixes round after round, re-linting in between, and returns the
/// files and how many fixes were applied.
pub fn apply_fixes(
    inputs: &mut [Input],
    options: &LintOptions,
    config: Option<&Config>,
    diagnostics: &mut Vec<Vec<Diagnostic>>,
    unsafe_fixes: bool,
    lint: impl Fn(&[Input], &LintOptions, Option<&Config>) -> Vec<Vec<Diagnostic>>,
) -> (Vec<Fixed>, usize) {
    let before: Vec<Vec<u8>> = inputs.iter().map(|i| i.src.clone()).collect();
    let mut applied = 0;
    for _ in 0..MAX_ROUNDS {
        let mut any = false;
        for (input, found) in inputs.iter_mut().zip(diagnostics.iter()) {
            let fixes = found
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .filter(|f| applies(f, unsafe_fixes));
            let (edits, count) = compatible_edits(fixes);
            if edits.is_empty() {
                continue;
            }
            let (fixed, _) = apply_edits(&input.src, &edits);
            if fixed != input.src {
                input.src = fixed;
                applied += count;
                any = true;
            }
        }
        if !any {
            break;
        }
        *diagnostics = lint(inputs, options, config);
    }
    let files = inputs
        .iter()
        .zip(before)
        .map(|(i, before)| Fixed {
            display: i.display.clone(),
            path: i.path.clone(),
            before,
            after: i.src.clone(),
        })
        .collect();
    (files, applied)
}

/// The edits of the fixes that can be applied together, whole: a fix with an
/// edit that overlaps one already taken waits for the next round (applying
/// part of a fix could leave a script that means something else).
fn compatible_edits<'a>(fixes: impl Iterator<Item = &'a Fix>) -> (Vec<&'a Edit>, usize) {
    let mut fixes: Vec<&Fix> = fixes.filter(|f| !f.edits.is_empty()).collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.span.start).min());
    // Spans taken so far, sorted and disjoint, so only neighbours can clash.
    let mut taken: Vec<(u32, u32)> = Vec::new();
    let clash = |taken: &[(u32, u32)], e: &Edit| {
        let (start, end) = (e.span.start, e.span.end);
        let at = taken.partition_point(|&(s, _)| s < start);
        let near = taken[at.saturating_sub(1)..(at + 1).min(taken.len())].iter();
        near.chain(taken.get(at + 1))
            .any(|&(s, t)| (s < end && start < t) || (s == start && (s == t || start == end)))
    };
    let mut edits = Vec::new();
    let mut count = 0;
    for fix in fixes {
        if fix.edits.iter().any(|e| clash(&taken, e)) {
            continue;
        }
        for e in &fix.edits {
            let at = taken.partition_point(|&(s, _)| s < e.span.start);
            taken.insert(at, (e.span.start, e.span.end));
            edits.push(e);
        }
        count += 1;
    }
    (edits, count)
}

pub fn write_back(fixed: &[Fixed]) -> Result<()> {
    for f in fixed.iter().filter(|f| f.changed()) {
        match &f.path {
            Some(path) => {
                // Write to a sibling temporary file and rename, so a failure never leaves half a file.
                let tmp = path.with_extension("ipxelint-tmp");
                std::fs::write(&tmp, &f.after)
                    .with_context(|| format!("writing {}", tmp.display()))?;
                std::fs::rename(&tmp, path)
                    .with_context(|| format!("replacing {}", path.display()))?;
            }
            None => std::io::stdout().write_all(&f.after)?,
        }
    }
    Ok(())
}

pub fn print_diffs(out: &mut impl Write, fixed: &[Fixed]) -> Result<()> {
    for f in fixed.iter().filter(|f| f.changed()) {
        let before = String::from_utf8_lossy(&f.before);
        let after = String::from_utf8_lossy(&f.after);
        let diff = similar::TextDiff::from_lines(before.as_ref(), after.as_ref());
        write!(
            out,
            "{}",
            diff.unified_diff()
                .header(&format!("a/{}", f.display), &format!("b/{}", f.display))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ipxe_diagnostics::Span;

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix {
            title: String::new(),
            edits,
            applicability: Applicability::Safe,
        }
    }

    #[test]
    fn fixes_apply_whole_or_not_at_all() {
        let fixes = [
            fix(vec![
                Edit::replace(Span::new(0, 2), "x"),
                Edit::insert(9, "!"),
            ]),
            // Overlaps the first fix's first edit: its other edit must not apply alone.
            fix(vec![Edit::insert(5, "y"), Edit::delete(Span::new(1, 3))]),
            fix(vec![Edit::insert(9, "?")]),
            fix(vec![Edit::delete(Span::new(4, 5))]),
        ];
        let (edits, count) = compatible_edits(fixes.iter());
        assert_eq!(count, 2);
        let (out, _) = apply_edits(b"abcdefghij", &edits);
        assert_eq!(out, b"xcdfghi!j");
    }
}
