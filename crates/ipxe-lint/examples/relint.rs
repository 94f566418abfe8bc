//! Lints a file, then types into its middle one character at a time and
//! lints again after each, through a `LintCache` as the language server does.
//! Prints the time per keystroke; run under callgrind for instruction counts.
//!
//! `cargo run --release -p ipxe-lint --example relint -- FILE [KEYSTROKES]`

use std::time::Instant;

use ipxe_lint::{LintCache, LintOptions, SourceInput, lint_files_cached};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: relint FILE [KEYSTROKES]");
    let keystrokes: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let mut src = std::fs::read(&path).expect("read file");
    let options = LintOptions::default();
    let mut cache = LintCache::default();
    let lint = |src: &[u8], cache: &mut LintCache| {
        let input = [SourceInput {
            path: path.clone(),
            src,
            ignore: Vec::new(),
        }];
        lint_files_cached(&input, &options, cache).remove(0).len()
    };
    let findings = lint(&src, &mut cache);
    let middle = src.len() / 2;
    let at = middle + src[middle..].iter().position(|&b| b == b'\n').unwrap_or(0);
    let start = Instant::now();
    for i in 0..keystrokes {
        src.insert(at + i, b'x');
        lint(&src, &mut cache);
    }
    let per = start.elapsed() / keystrokes.max(1) as u32;
    println!(
        "{findings} findings; {keystrokes} keystrokes, {per:?} each; last run read {} of {} pieces",
        cache.last_read - cache.last_reused,
        cache.last_read
    );
}
