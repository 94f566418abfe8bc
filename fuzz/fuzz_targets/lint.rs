//! Any bytes lint without panicking, and every finding points inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let diagnostics = ipxe_lint::lint_source("fuzz.ipxe", data, &ipxe_lint::LintOptions::default());
    for d in &diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end as usize <= data.len(), "{d:?}");
        if let Some(fix) = &d.fix {
            for edit in &fix.edits {
                assert!(edit.span.end as usize <= data.len(), "{fix:?}");
            }
        }
    }
});
