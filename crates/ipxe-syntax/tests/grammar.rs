//! The formal grammar (`grammar/ipxe.ebnf`) and the parser agree on the
//! terminals that give a line its shape: the terminals are read from the
//! grammar file and fed to the parser.

use std::path::Path;

use ipxe_syntax::{Signature, TokenKind, check_signature, parse};

fn ebnf() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../grammar/ipxe.ebnf");
    std::fs::read_to_string(path).expect("grammar/ipxe.ebnf")
}

/// The quoted terminals of the production `name = … ;`.
fn terminals(grammar: &str, name: &str) -> Vec<String> {
    let line = grammar
        .lines()
        .find(|l| l.split('=').next().is_some_and(|lhs| lhs.trim() == name))
        .unwrap_or_else(|| panic!("production `{name}` in the grammar"));
    let rhs = line.split_once('=').unwrap().1;
    let rhs = rhs.split("(*").next().unwrap();
    rhs.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn operators_in_the_grammar_are_operators_in_the_parser() {
    let grammar = ebnf();
    for production in ["or-op", "and-op", "seq-op"] {
        let [op] = terminals(&grammar, production)
            .try_into()
            .expect("one terminal");
        let src = format!("#!ipxe\ndhcp {op} echo x\necho a{op}b\n");
        let parsed = parse(src.as_bytes());
        let kinds: Vec<TokenKind> = parsed.lines[1].tokens.iter().map(|t| t.kind).collect();
        assert!(
            kinds.contains(&TokenKind::Operator),
            "{production} `{op}` as a whole token"
        );
        assert!(
            !parsed.lines[2]
                .tokens
                .iter()
                .any(|t| t.kind == TokenKind::Operator),
            "{production} glued is text"
        );
    }
}

#[test]
fn signature_label_and_comment_terminals() {
    let grammar = ebnf();
    for magic in terminals(&grammar, "signature") {
        assert!(
            matches!(
                check_signature(format!("{magic}\n").as_bytes()),
                Signature::Ipxe | Signature::Gpxe
            ),
            "{magic}"
        );
        assert!(
            matches!(check_signature(magic.as_bytes()), Signature::Invalid(_)),
            "{magic} needs whitespace after"
        );
    }
    let [colon] = terminals(&grammar, "label-def")
        .try_into()
        .expect("one terminal");
    let parsed = parse(format!("#!ipxe\n  {colon}start echo x\n").as_bytes());
    assert!(parsed.lines[1].label.is_some());
    let [hash] = terminals(&grammar, "comment-token")
        .try_into()
        .expect("one terminal");
    let parsed = parse(format!("#!ipxe\necho a{hash}b {hash}c || d\n").as_bytes());
    let kinds: Vec<TokenKind> = parsed.lines[1].tokens.iter().map(|t| t.kind).collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == TokenKind::Comment).count(),
        1
    );
    assert!(
        !kinds.contains(&TokenKind::Operator),
        "the comment swallows the operator"
    );
}
