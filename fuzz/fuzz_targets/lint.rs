//! Any bytes lint without panicking; every finding's spans lie in the input
//! and keep characters whole; and every output format users run (human with
//! and without colour, JSON, SARIF, gcc, GitHub) renders the findings.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let diagnostics = ipxe_lint::lint_source("fuzz.ipxe", data, &ipxe_lint::LintOptions::default());
    ipxe_tools_fuzz::check_and_render("fuzz.ipxe", data, &diagnostics, &ipxe_lint::rule_metas());
});
