//! What the fuzz targets share: the simulator's bounds for fuzzing, and the
//! checks every rendering of findings must pass.

use ipxe_diagnostics::{Diagnostic, FileReport, LineIndex, OutputFormat, RuleMeta, render};
use ipxe_sim::Limits;

/// Bounds small enough that an input which loops (`goto` back, `chain`
/// itself) reaches one within a millisecond or so, instead of spending the
/// default 200,000 steps; reaching a bound is an outcome, not a failure.
pub fn sim_limits() -> Limits {
    Limits {
        steps: 2_000,
        chain_depth: 4,
        expansion_len: 4 * 1024,
        expansion_steps: 500,
        image_memory: 1024 * 1024,
        settings: 500,
        console_bytes: 64 * 1024,
    }
}

pub use ipxe_diagnostics::{EVERY_FORMAT as FORMATS, cuts_a_character};

/// Checks the span invariant of every finding, then renders them in every
/// format: none may panic, the machine formats must be JSON, and each
/// format must name every finding's code.
pub fn check_and_render(path: &str, src: &[u8], diagnostics: &[Diagnostic], rules: &[RuleMeta]) {
    let index = LineIndex::new(src);
    for d in diagnostics {
        let spans = std::iter::once(d.span)
            .chain(d.related.iter().map(|(span, _)| *span))
            .chain(d.fix.iter().flat_map(|f| f.edits.iter().map(|e| e.span)));
        for span in spans {
            assert!(span.start <= span.end && span.end as usize <= src.len(), "{d:?}");
            for offset in [span.start, span.end] {
                assert!(!cuts_a_character(src, &index, offset), "cuts a character at {offset}: {d:?}");
            }
        }
    }
    let reports = [FileReport { path, src, diagnostics }];
    for (format, color) in FORMATS {
        let mut out = Vec::new();
        render(&mut out, format, &reports, rules, "fuzz", color).expect("writing to memory");
        if matches!(format, OutputFormat::Json | OutputFormat::Sarif) {
            let parsed: Result<serde_json::Value, _> = serde_json::from_slice(&out);
            assert!(parsed.is_ok(), "{format:?} is not JSON: {parsed:?}");
        }
        let text = String::from_utf8_lossy(&out);
        for d in diagnostics {
            assert!(text.contains(d.code), "{format:?} leaves out {}", d.code);
        }
    }
}
