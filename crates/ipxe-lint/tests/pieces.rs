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

/// Our own scripts and every rule's fixtures (which trigger every rule and
/// carry suppression comments).
fn own_scripts() -> Vec<(String, Vec<u8>)> {
    let mut all = ipxe_test_support::own_scripts();
    let fixtures = ipxe_test_support::repo_root().join("crates/ipxe-lint/tests/fixtures");
    all.extend(ipxe_test_support::ipxe_files(&fixtures));
    assert!(all.len() > 100, "{} scripts", all.len());
    all
}

/// Real scripts too.
fn all_scripts() -> Vec<(String, Vec<u8>)> {
    let mut all = ipxe_test_support::shared_corpus();
    all.extend(own_scripts());
    all
}

/// Cuts each script at every line where a cut is allowed (the most joins
/// possible) and returns how many were cut at all.
fn check_one_piece_per_line(scripts: Vec<(String, Vec<u8>)>) -> usize {
    let mut cache = LintCache::with_pieces(1, 0);
    let mut cut = 0;
    for (name, src) in scripts {
        let got = lint_cached(&name, &src, &mut cache);
        assert_eq!(got, lint(&name, &src), "{name}");
        cut += usize::from(cache.last_read > 1);
    }
    cut
}

#[test]
fn one_piece_per_line_gives_the_whole_files_findings() {
    let cut = check_one_piece_per_line(own_scripts());
    assert!(cut > 80, "only {cut} files were cut into pieces");
}

#[test]
#[ignore = "needs the real-world corpus: ../shared/corpus beside the checkout, or IPXE_SHARED_CORPUS"]
fn one_piece_per_line_gives_the_whole_files_findings_on_the_corpus() {
    let cut = check_one_piece_per_line(all_scripts());
    assert!(cut > 300, "only {cut} files were cut into pieces");
}

/// A big script (over 512 KB): the given scripts back to back, then as many
/// distinct generated lines as it takes (repeating the scripts instead would
/// give pieces that a cache finds again inside the same file).
fn big_script(scripts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut src = b"#!ipxe\n".to_vec();
    for (_, file) in scripts {
        src.extend_from_slice(file);
        if !src.ends_with(b"\n") {
            src.push(b'\n');
        }
    }
    let mut i = 0;
    while src.len() <= 512 * 1024 {
        let line = format!(
            ":filler{i}\nchain ${{base{i}}}/x{i} || goto filler{}\n",
            i / 2
        );
        src.extend_from_slice(line.as_bytes());
        i += 1;
    }
    src
}

fn check_parallel_and_cached_reads_agree(src: &[u8]) {
    let whole = lint("big.ipxe", src);
    assert!(whole.len() > 1000, "{} findings", whole.len());
    let mut one_piece = LintCache::with_pieces(usize::MAX, 0);
    assert_eq!(lint_cached("big.ipxe", src, &mut one_piece), whole);
    assert_eq!(one_piece.last_read, 1);
    let mut fine = LintCache::default();
    assert_eq!(lint_cached("big.ipxe", src, &mut fine), whole);
    assert!(fine.last_read > 50, "{} pieces", fine.last_read);
}

#[test]
fn parallel_and_cached_reads_of_a_big_file_agree() {
    check_parallel_and_cached_reads_agree(&big_script(&own_scripts()));
}

#[test]
#[ignore = "needs the real-world corpus: ../shared/corpus beside the checkout, or IPXE_SHARED_CORPUS"]
fn parallel_and_cached_reads_of_a_big_corpus_file_agree() {
    check_parallel_and_cached_reads_agree(&big_script(&all_scripts()));
}

#[test]
fn an_edit_rereads_only_the_pieces_it_touches() {
    // 200 KB of it: enough for dozens of pieces, small enough to lint whole
    // after every keystroke in a debug build.
    let mut src = big_script(&own_scripts());
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
