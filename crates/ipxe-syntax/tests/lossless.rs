//! The parser's invariants, checked on real scripts and on random input:
//! tokens cover every byte exactly once, printing gives the input back, and
//! nothing panics.

use ipxe_syntax::{Line, Lines, Parsed, parse};
use proptest::prelude::*;

/// Tokens are contiguous, start at 0 and end at the input's length.
fn assert_lossless(name: &str, src: &[u8], parsed: &Parsed) {
    let mut offset = 0u32;
    for line in &parsed.lines {
        assert_eq!(
            line.span.start, offset,
            "{name}: line starts where the previous ended"
        );
        for token in &line.tokens {
            assert_eq!(
                token.span.start, offset,
                "{name}: gap or overlap before {:?}",
                token
            );
            assert!(
                token.span.end > token.span.start,
                "{name}: empty token {:?}",
                token
            );
            offset = token.span.end;
        }
        assert_eq!(line.span.end, offset, "{name}: line ends at its last token");
    }
    assert_eq!(
        offset as usize,
        src.len(),
        "{name}: tokens cover the whole input"
    );
    assert_eq!(
        parsed.print(src),
        src,
        "{name}: printing gives the input back"
    );
}

/// Files of the real-world corpus that are broken at the syntax level, with
/// the reason. Everything else must parse without a syntax error.
const BROKEN_CORPUS_FILES: &[(&str, &str)] = &[];

#[test]
#[ignore = "needs the real-world corpus: ../shared/corpus beside the checkout, or IPXE_SHARED_CORPUS"]
fn shared_corpus_parses_losslessly_without_syntax_errors() {
    let files = ipxe_test_support::shared_corpus();
    let mut unexpected = Vec::new();
    for (name, src) in &files {
        let parsed = parse(src);
        assert_lossless(name, src, &parsed);
        let listed = BROKEN_CORPUS_FILES.iter().any(|(f, _)| f == name);
        if parsed.errors.is_empty() == listed {
            unexpected.push(format!(
                "{name}: errors {:?}, listed as broken: {listed}",
                parsed.errors
            ));
        }
    }
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
}

#[test]
fn own_corpus_and_examples_parse_losslessly() {
    let files = ipxe_test_support::own_scripts();
    assert!(!files.is_empty(), "corpus/ and examples/ hold scripts");
    for (name, src) in &files {
        assert_lossless(name, src, &parse(src));
    }
}

#[test]
fn hostile_inputs_give_a_tree() {
    let long_line = {
        let mut s = b"#!ipxe\necho ".to_vec();
        s.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
        s.push(b'\n');
        s
    };
    let nested = format!(
        "#!ipxe\necho {}x{}\n",
        "${".repeat(20_000),
        "}".repeat(20_000)
    )
    .into_bytes();
    let unclosed = format!("#!ipxe\necho {}\n", "${".repeat(50_000)).into_bytes();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", b"".to_vec()),
        ("bom", b"\xEF\xBB\xBF#!ipxe\necho hi\n".to_vec()),
        ("nul", b"#!ipxe\necho a\0b c\n".to_vec()),
        ("invalid utf-8", b"#!ipxe\necho \xff\xfe\xc0\n".to_vec()),
        ("cr only", b"#!ipxe\recho a\recho b\r".to_vec()),
        ("lone backslash", b"\\".to_vec()),
        ("backslash cr", b"\\\r".to_vec()),
        ("10 MB line", long_line),
        ("20000 nested", nested),
        ("50000 unclosed", unclosed),
    ];
    for (name, src) in &cases {
        let parsed = parse(src);
        assert_lossless(name, src, &parsed);
    }
}

/// A small script language generator: lines of words, operators, labels and
/// comments with random spacing and line endings.
fn script() -> impl Strategy<Value = Vec<u8>> {
    let word = prop_oneof![
        "[a-z]{1,6}",
        "--?[a-z]{1,5}(=[a-z0-9]{1,3})?",
        "\\$\\{[a-z]{1,4}(/[a-z]{1,3})?(:[a-z]{1,4})?\\}",
        "[a-z]{0,3}\\$\\{[a-z]\\$\\{[a-z]\\}\\}",
        Just("||".to_string()),
        Just("&&".to_string()),
        Just(";".to_string()),
        "[\"'|&;\\\\a-z]{1,4}",
    ];
    let space = prop_oneof![Just(" "), Just("  "), Just("\t"), Just(" \\\n ")];
    let line = (
        proptest::option::of("[a-z0-9_.-]{0,8}"),
        proptest::collection::vec((word, space), 0..6),
        proptest::option::of("[ a-z]{0,10}"),
        prop_oneof![Just("\n"), Just("\r\n")],
    )
        .prop_map(|(label, words, comment, eol)| {
            let mut s = String::new();
            if let Some(label) = label {
                s.push(':');
                s.push_str(&label);
                s.push(' ');
            }
            for (w, sp) in words {
                s.push_str(&w);
                s.push_str(sp);
            }
            if let Some(c) = comment {
                s.push_str(" #");
                s.push_str(&c);
            }
            s.push_str(eol);
            s
        });
    proptest::collection::vec(line, 0..12).prop_map(|lines| {
        let mut s = String::from("#!ipxe\n");
        for l in lines {
            s.push_str(&l);
        }
        s.into_bytes()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic_and_round_trip(src in proptest::collection::vec(any::<u8>(), 0..512)) {
        let parsed = parse(&src);
        assert_lossless("random", &src, &parsed);
    }

    /// A file read in pieces cut where `Lines::is_line_start` allows gives
    /// exactly the lines of the whole (the linter reads big files that way).
    #[test]
    fn pieces_cut_at_line_starts_give_the_whole(
        src in prop_oneof![script(), proptest::collection::vec(prop_oneof![Just(b'\n'), Just(b'\\'), Just(b'\r'), Just(0u8), Just(b' '), Just(b'a'), Just(b'$'), Just(b'{'), Just(b'}'), Just(b'#'), Just(b'|')], 0..300)],
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..4),
    ) {
        let whole: Vec<Line> = Lines::new(&src).collect();
        let mut starts: Vec<usize> = cuts
            .iter()
            .map(|c| c.index(src.len() + 1))
            .filter(|&o| o > 0 && o < src.len() && Lines::is_line_start(&src, o))
            .collect();
        starts.sort();
        starts.dedup();
        let mut bounds = vec![0];
        bounds.extend(starts);
        bounds.push(src.len());
        let pieces: Vec<Line> = bounds
            .windows(2)
            .flat_map(|w| Lines::within(&src, w[0]..w[1]).collect::<Vec<_>>())
            .collect();
        prop_assert_eq!(pieces, whole);
    }

    #[test]
    fn random_scripts_round_trip_and_words_match_whitespace_split(src in script()) {
        let parsed = parse(&src);
        assert_lossless("generated", &src, &parsed);
        prop_assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        // Cross-check against a direct reading of iPXE's rules: join continuations,
        // strip one CR, split on whitespace, stop at a token starting with `#`.
        let text = String::from_utf8(src.clone()).unwrap().replace("\\\n", "");
        let mut expected_lines = Vec::new();
        for physical in text.split_terminator('\n') {
            let physical = physical.strip_suffix('\r').unwrap_or(physical);
            let mut tokens: Vec<&str> = Vec::new();
            for t in physical.split([' ', '\t', '\r']).filter(|t| !t.is_empty()) {
                if t.starts_with('#') { break; }
                tokens.push(t);
            }
            if tokens.first().is_some_and(|t| t.starts_with(':')) {
                tokens.remove(0);
            }
            expected_lines.push(tokens.join(" "));
        }
        let actual_lines: Vec<String> = parsed.lines.iter().map(|line| {
            let mut tokens = Vec::new();
            for command in &line.commands {
                if let Some((c, _)) = command.connector { tokens.push(c.as_str().to_string()); }
                for w in &command.words { tokens.push(String::from_utf8(w.text(&src).to_vec()).unwrap()); }
            }
            tokens.join(" ")
        }).collect();
        prop_assert_eq!(actual_lines, expected_lines);
    }
}
