//! `--fix` and `--diff`: apply safe fixes until none is left.

use std::io::Write;

use anyhow::{Context, Result};
use ipxe_diagnostics::{Applicability, Diagnostic, Edit, apply_edits};
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

pub fn apply_safe_fixes(
    inputs: &mut [Input],
    options: &LintOptions,
    config: Option<&Config>,
    diagnostics: &mut Vec<Vec<Diagnostic>>,
    lint: impl Fn(&[Input], &LintOptions, Option<&Config>) -> Vec<Vec<Diagnostic>>,
) -> Vec<Fixed> {
    let before: Vec<Vec<u8>> = inputs.iter().map(|i| i.src.clone()).collect();
    for _ in 0..MAX_ROUNDS {
        let mut any = false;
        for (input, found) in inputs.iter_mut().zip(diagnostics.iter()) {
            let edits: Vec<&Edit> = found
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .filter(|f| f.applicability == Applicability::Safe)
                .flat_map(|f| f.edits.iter())
                .collect();
            if edits.is_empty() {
                continue;
            }
            let (fixed, applied) = apply_edits(&input.src, &edits);
            if applied > 0 && fixed != input.src {
                input.src = fixed;
                any = true;
            }
        }
        *diagnostics = lint(inputs, options, config);
        if !any {
            break;
        }
    }
    inputs
        .iter()
        .zip(before)
        .map(|(i, before)| Fixed {
            display: i.display.clone(),
            path: i.path.clone(),
            before,
            after: i.src.clone(),
        })
        .collect()
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
