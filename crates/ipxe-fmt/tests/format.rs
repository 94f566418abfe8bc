//! The formatter keeps every logical line's tokens, is idempotent, and never
//! changes what the simulator does with a script.

use ipxe_fmt::{FormatOptions, format, token_sequence};
use ipxe_sim::{Network, Response, Script, SimConfig, explore};
use proptest::prelude::*;

fn options() -> [FormatOptions; 2] {
    [FormatOptions { indent: 0 }, FormatOptions { indent: 4 }]
}

/// Formatting keeps the tokens of each logical line and the number of lines,
/// and formatting again changes nothing.
fn check_layout(name: &str, src: &[u8]) {
    for options in options() {
        let once = format(src, &options);
        assert_eq!(
            token_sequence(src),
            token_sequence(&once),
            "{name}: tokens changed (indent {})",
            options.indent
        );
        let twice = format(&once, &options);
        assert!(
            once == twice,
            "{name}: not idempotent (indent {}):\n{}\n---\n{}",
            options.indent,
            String::from_utf8_lossy(&once),
            String::from_utf8_lossy(&twice)
        );
    }
}

fn shared_corpus() -> Vec<(String, Vec<u8>)> {
    ipxe_test_support::shared_corpus()
        .into_iter()
        .map(|(n, b)| (format!("shared/{n}"), b))
        .collect()
}

fn check_tokens_and_idempotence(files: &[(String, Vec<u8>)]) {
    for (name, src) in files {
        check_layout(name, src);
    }
}

#[test]
fn own_scripts_keep_tokens_and_are_idempotent() {
    let files = ipxe_test_support::own_scripts();
    assert!(files.len() > 30);
    check_tokens_and_idempotence(&files);
}

#[test]
#[ignore = "needs the real-world corpus: ../shared/corpus beside the checkout, or IPXE_SHARED_CORPUS"]
fn corpus_keeps_tokens_and_is_idempotent() {
    let files = shared_corpus();
    assert!(files.len() > 300);
    check_tokens_and_idempotence(&files);
}

/// Answers every request the same way.
struct Fixed(Option<Vec<u8>>);

impl Network for Fixed {
    fn request(&mut self, _method: &str, _url: &str, _body: Option<&[u8]>) -> Response {
        match &self.0 {
            Some(body) => Response::Ok(body.clone()),
            None => Response::Status(404),
        }
    }
}

/// Small bounds: a retry loop reaches them quickly, the same way both times.
fn config() -> SimConfig {
    let mut cfg = SimConfig::default();
    cfg.limits.steps = 5_000;
    cfg
}

/// Every menu path of a script, in the simulator, as comparable text.
fn simulate(src: &[u8], ok: bool) -> String {
    let cfg = config();
    let mut net = Fixed(ok.then(|| b"not a script, just bytes".to_vec()));
    let script = Script {
        name: "script.ipxe".into(),
        uri: None,
        data: src.to_vec(),
    };
    match explore(&cfg, &mut net, &script, 4, 4) {
        Ok(rows) => serde_json::to_string(&rows).unwrap(),
        Err(e) => format!("error: {e}"),
    }
}

/// The same run, with console, requests and trace, for the straight path.
fn simulate_run(src: &[u8], ok: bool) -> String {
    let cfg = config();
    let mut net = Fixed(ok.then(|| b"not a script, just bytes".to_vec()));
    let script = Script {
        name: "script.ipxe".into(),
        uri: None,
        data: src.to_vec(),
    };
    match ipxe_sim::run(cfg, &mut net, script) {
        Ok(r) => {
            let trace: Vec<(usize, u32)> = r.trace.iter().map(|t| (t.line, t.status)).collect();
            format!(
                "{:?} {} {:?} {:?} {:?} {:?} {:?} {:?}",
                r.outcome,
                r.exit_status,
                r.message,
                r.requests,
                r.console,
                r.boot,
                r.choices,
                trace
            )
        }
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn own_scripts_simulate_the_same_after_formatting() {
    check_same_simulation(ipxe_test_support::own_scripts());
}

#[test]
#[ignore = "needs the real-world corpus: ../shared/corpus beside the checkout, or IPXE_SHARED_CORPUS"]
fn corpus_simulates_the_same_after_formatting() {
    check_same_simulation(shared_corpus());
}

fn check_same_simulation(files: Vec<(String, Vec<u8>)>) {
    for (name, src) in files {
        for options in options() {
            let formatted = format(&src, &options);
            if formatted == src {
                continue;
            }
            for ok in [false, true] {
                assert_eq!(
                    simulate_run(&src, ok),
                    simulate_run(&formatted, ok),
                    "{name}: the simulator's run differs after formatting (indent {}, network ok {ok})",
                    options.indent
                );
                if ok && src.windows(6).any(|w| w == b"choose") {
                    assert_eq!(
                        simulate(&src, ok),
                        simulate(&formatted, ok),
                        "{name}: menu paths differ after formatting (indent {}, network ok {ok})",
                        options.indent
                    );
                }
            }
        }
    }
}

#[test]
fn snapshots() {
    let src = include_bytes!("fixtures/layout.ipxe");
    check_layout("layout.ipxe", src);
    insta::assert_snapshot!(
        "layout_default",
        String::from_utf8(format(src, &FormatOptions::default())).unwrap()
    );
    insta::assert_snapshot!(
        "layout_indent_2",
        String::from_utf8(format(src, &FormatOptions { indent: 2 })).unwrap()
    );
}

/// Scripts made of the pieces that matter: words, operators, comments,
/// labels, continuations, CR, odd whitespace, NUL, references, and `item`
/// lines (whose text column is kept when aligned).
fn script() -> impl Strategy<Value = Vec<u8>> {
    const PIECES: &[&[u8]] = &[
        b"echo",
        b"goto",
        b"x",
        b"${a}",
        b":l",
        b":",
        b"||",
        b"&&",
        b";",
        b"#",
        b"#c",
        b" ",
        b"   ",
        b"\t",
        b"\x0b",
        b"\r",
        b"\n",
        b"\r\n",
        b"\\",
        b"\\\n",
        b"\\\r\n",
        b"\0",
        b"\xff",
        // `item` lines, whose text may be aligned.
        b"\nitem ",
        b"--key",
        b"--gap",
        b"-k",
        b"long-name",
        b"\xc3\xa9",
        b"     ",
    ];
    let piece = proptest::sample::select(PIECES);

    proptest::collection::vec(piece, 0..60).prop_map(|p| {
        let mut v = b"#!ipxe\n".to_vec();
        v.extend(p.concat());
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn random_scripts_keep_tokens_and_are_idempotent(src in script()) {
        for options in options() {
            let once = format(&src, &options);
            prop_assert_eq!(token_sequence(&src), token_sequence(&once));
            prop_assert_eq!(format(&once, &options), once);
        }
    }

    #[test]
    fn random_scripts_simulate_the_same(src in script()) {
        let formatted = format(&src, &FormatOptions { indent: 2 });
        prop_assert_eq!(simulate_run(&src, true), simulate_run(&formatted, true));
    }
}
