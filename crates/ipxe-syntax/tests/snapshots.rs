//! Snapshots of the tree for tricky lines and for our examples.

use ipxe_syntax::{dump, parse};

fn tree(src: &[u8]) -> String {
    dump(&parse(src), src)
}

macro_rules! tricky {
    ($($name:ident: $src:expr;)*) => {$(
        #[test]
        fn $name() {
            insta::assert_snapshot!(tree($src));
        }
    )*};
}

tricky! {
    operators_glued_to_words: b"#!ipxe\ndhcp||goto x\necho a; b\nchain x ||goto fail\n";
    operators_as_tokens: b"#!ipxe\ndhcp || goto retry && echo ok ; echo done ||\n";
    hash_mid_token_and_comment: b"#!ipxe\necho a#b c # the rest ; echo no\nset c #fff\n";
    nested_expansions: b"#!ipxe\necho ${net${idx}/mac:hexhyp} ${${name}} ${net0.dhcp/ip} $x $${y} ${}\n";
    unclosed_expansion_and_stray_brace: b"#!ipxe\necho ${a b} ${unterminated }x\n";
    double_dash_ends_options: b"#!ipxe\necho -- -n text\nkernel vmlinuz -n x --\n";
    empty_commands: b"#!ipxe\n\n   \n; ;\ndhcp || || goto x\n";
    crlf_lines: b"#!ipxe\r\necho a\r\n:label\r\n";
    continuation_lines: b"#!ipxe\nkernel vmlinuz\\\nquiet \\\n  splash\necho join\\\r\ned\n";
    continuation_at_eof: b"#!ipxe\necho never \\\n";
    continuation_through_empty_line: b"#!ipxe\necho one\\\\\n\ntwo\necho a\\\\\n\r\nb\necho c\\\n\nd\n";
    labels: b"#!ipxe\n:start\n  :indented echo landed\n:\n:my label\n|| :notlabel\n";
    nul_byte: b"#!ipxe\necho a\0b c\necho next\n";
    bom_signature: b"\xEF\xBB\xBF#!ipxe\necho hi\n";
    gpxe_signature: b"#!gpxe\necho old\n";
    invalid_utf8: b"#!ipxe\necho \xff\xfe ok\n";
}

#[test]
fn examples() {
    let files = ipxe_test_support::own_scripts();
    let examples: Vec<_> = files
        .iter()
        .filter(|(name, _)| name.starts_with("examples/"))
        .collect();
    assert!(
        examples.len() >= 5,
        "examples/ holds the five scenario scripts"
    );
    for (name, src) in examples {
        let snapshot = name.replace(['/', '.'], "_");
        insta::assert_snapshot!(snapshot, tree(src));
    }
}
