//! The linter reads files in pieces (in parallel for big files, from a cache
//! in an editor). Whatever the cuts, the findings must be those of reading
//! the whole file at once.

use ipxe_lint::{Diagnostic, LintCache, LintOptions, SourceInput, lint_files, lint_files_cached};

fn input<'a>(path: &str, src: &'a [u8]) -> [SourceInput<'a>; 1] {
    [SourceInput {
        path: path.to_string(),
        src,
        ignore: Vec::new(),
    }]
}

fn lint(path: &str, src: &[u8]) -> Vec<Diagnostic> {
    lint_files(&input(path, src), &LintOptions::default()).remove(0)
}

fn lint_cached(path: &str, src: &[u8], cache: &mut LintCache) -> Vec<Diagnostic> {
    lint_files_cached(&input(path, src), &LintOptions::default(), cache).remove(0)
}

/// Real scripts, ours, and every rule's fixtures (which trigger every rule
/// and carry suppression comments).
fn scripts() -> Vec<(String, Vec<u8>)> {
    let mut all = ipxe_test_support::shared_corpus();
    all.extend(ipxe_test_support::own_scripts());
    let fixtures = ipxe_test_support::repo_root().join("crates/ipxe-lint/tests/fixtures");
    all.extend(ipxe_test_support::ipxe_files(&fixtures));
    assert!(all.len() > 400, "{} scripts", all.len());
    all
}

#[test]
fn one_piece_per_line_gives_the_whole_files_findings() {
    // Cut at every line where a cut is allowed: the most joins possible.
    let mut cache = LintCache::with_pieces(1, 0);
    let mut cut = 0;
    for (name, src) in scripts() {
        let got = lint_cached(&name, &src, &mut cache);
        assert_eq!(got, lint(&name, &src), "{name}");
        cut += usize::from(cache.last_read > 1);
    }
    assert!(cut > 300, "only {cut} files were cut into pieces");
}

/// A big script made of every fixture and real script, back to back.
fn big_script() -> Vec<u8> {
    let mut src = b"#!ipxe\n".to_vec();
    for (_, file) in scripts() {
        src.extend_from_slice(&file);
        if !src.ends_with(b"\n") {
            src.push(b'\n');
        }
    }
    src
}

#[test]
fn parallel_and_cached_reads_of_a_big_file_agree() {
    let src = big_script();
    assert!(src.len() > 512 * 1024, "{} bytes", src.len());
    let whole = lint("big.ipxe", &src);
    assert!(whole.len() > 1000, "{} findings", whole.len());
    let mut one_piece = LintCache::with_pieces(usize::MAX, 0);
    assert_eq!(lint_cached("big.ipxe", &src, &mut one_piece), whole);
    assert_eq!(one_piece.last_read, 1);
    let mut fine = LintCache::default();
    assert_eq!(lint_cached("big.ipxe", &src, &mut fine), whole);
    assert!(fine.last_read > 50, "{} pieces", fine.last_read);
}

#[test]
fn an_edit_rereads_only_the_pieces_it_touches() {
    // 200 KB of it: enough for dozens of pieces, small enough to lint whole
    // after every keystroke in a debug build.
    let mut src = big_script();
    src.truncate(200 * 1024);
    let mut cache = LintCache::default();
    lint_cached("big.ipxe", &src, &mut cache);
    assert_eq!(cache.last_reused, 0);
    // Type into the middle of the file, a character at a time, as in an editor.
    let middle = src.len() / 2;
    let at = middle + src[middle..].iter().position(|&b| b == b'\n').unwrap();
    for (i, &typed) in b"\ngoto x || ${y".iter().enumerate() {
        src.insert(at + i, typed);
        let got = lint_cached("big.ipxe", &src, &mut cache);
        assert_eq!(got, lint("big.ipxe", &src), "after typing {i} characters");
        let reread = cache.last_read - cache.last_reused;
        assert!(
            reread <= 3,
            "{reread} of {} pieces read again",
            cache.last_read
        );
    }
    // Changed options invalidate everything.
    let options = LintOptions {
        ignore: vec!["IPX1".into()],
        ..LintOptions::default()
    };
    lint_files_cached(&input("big.ipxe", &src), &options, &mut cache);
    assert_eq!(cache.last_reused, 0);
}
