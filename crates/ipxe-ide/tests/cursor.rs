//! Cursor fixtures in rust-analyzer/nil style: `$0` marks the cursor and the
//! expected text marks each result span with `<…>`.

use ipxe_ide::{
    Analysis, CompletionKind, DocumentSymbol, Span, code_actions, completions, diagnostics,
    document_symbols, folding_ranges, goto_definition, highlights, hover, prepare_rename,
    references, rename,
};
use ipxe_semantics::BuildProfile;

fn fixture(text: &str) -> (Analysis, u32) {
    let offset = text.find("$0").expect("fixture needs a $0 cursor") as u32;
    let src = text.replacen("$0", "", 1);
    (
        Analysis::new(src.into_bytes(), BuildProfile::default_pair()),
        offset,
    )
}

/// The source with `<` and `>` around each span.
fn marked(src: &[u8], spans: &[Span]) -> String {
    let mut spans = spans.to_vec();
    spans.sort();
    let mut out = String::new();
    let mut cursor = 0usize;
    for s in spans {
        out.push_str(&String::from_utf8_lossy(&src[cursor..s.start as usize]));
        out.push('<');
        out.push_str(&String::from_utf8_lossy(s.slice(src)));
        out.push('>');
        cursor = s.end as usize;
    }
    out.push_str(&String::from_utf8_lossy(&src[cursor..]));
    out
}

fn check_definition(text: &str, expected: &str) {
    let (a, offset) = fixture(text);
    let spans = goto_definition(&a, offset);
    assert_eq!(marked(&a.src, &spans), expected, "fixture: {text}");
}

fn check_references(text: &str, expected: &str) {
    let (a, offset) = fixture(text);
    let spans = references(&a, offset, true);
    assert_eq!(marked(&a.src, &spans), expected, "fixture: {text}");
}

fn check_rename(text: &str, new_name: &str, expected: &str) {
    let (a, offset) = fixture(text);
    let edits = rename(&a, offset, new_name).expect("rename");
    let refs: Vec<&ipxe_ide::Edit> = edits.iter().collect();
    let (out, _) = ipxe_diagnostics::apply_edits(&a.src, &refs);
    assert_eq!(String::from_utf8(out).unwrap(), expected, "fixture: {text}");
}

fn hover_text(text: &str) -> String {
    let (a, offset) = fixture(text);
    hover(&a, offset).map(|h| h.markdown).unwrap_or_default()
}

fn completion_labels(text: &str) -> Vec<(String, CompletionKind)> {
    let (a, offset) = fixture(text);
    completions(&a, offset)
        .into_iter()
        .map(|c| (c.label, c.kind))
        .collect()
}

#[test]
fn definition_of_a_goto_target() {
    check_definition(
        "#!ipxe\ngoto st$0art\n:start\necho\n:start\n",
        "#!ipxe\ngoto start\n:<start>\necho\n:<start>\n",
    );
}

#[test]
fn definition_from_a_menu_item_through_a_goto_template() {
    check_definition(
        "#!ipxe\nmenu Pick\nitem deb$0ian Debian\nchoose os || exit\ngoto os_${os}\n:os_debian\nexit\n",
        "#!ipxe\nmenu Pick\nitem debian Debian\nchoose os || exit\ngoto os_${os}\n:<os_debian>\nexit\n",
    );
}

#[test]
fn definition_from_a_choose_default() {
    check_definition(
        "#!ipxe\nmenu\nitem a A\nchoose --default a$0 x || exit\ngoto ${x}\n:a\n",
        "#!ipxe\nmenu\nitem a A\nchoose --default a x || exit\ngoto ${x}\n:<a>\n",
    );
}

#[test]
fn definition_of_a_setting() {
    check_definition(
        "#!ipxe\nset base http://x\nread base\necho ${ba$0se}/y\n",
        "#!ipxe\nset <base> http://x\nread <base>\necho ${base}/y\n",
    );
}

#[test]
fn references_of_a_label_include_items_and_defaults() {
    check_references(
        "#!ipxe\n:l$0inux\nmenu\nitem linux Linux\nchoose --default linux t || goto linux\ngoto ${t}\n",
        "#!ipxe\n:<linux>\nmenu\nitem <linux> Linux\nchoose --default <linux> t || goto <linux>\ngoto ${t}\n",
    );
}

#[test]
fn references_of_a_setting() {
    check_references(
        "#!ipxe\nset n$0 1\nisset ${n} && echo ${n:int32}\n",
        "#!ipxe\nset <n> 1\nisset ${<n>} && echo ${<n>:int32}\n",
    );
}

#[test]
fn highlight_marks_definitions_as_writes() {
    let (a, offset) = fixture("#!ipxe\n:a$0\ngoto a\n");
    let hl = highlights(&a, offset);
    assert_eq!(hl.len(), 2);
    assert!(hl[0].1 && !hl[1].1);
}

#[test]
fn rename_a_label_everywhere() {
    check_rename(
        "#!ipxe\ngoto la$0bel || exit\n:label\n",
        "done",
        "#!ipxe\ngoto done || exit\n:done\n",
    );
}

#[test]
fn rename_through_a_template_keeps_prefix() {
    check_rename(
        "#!ipxe\nmenu\nitem deb Debian\nchoose os || exit\ngoto os_${os}\n:os_d$0eb\n",
        "os_debian",
        "#!ipxe\nmenu\nitem debian Debian\nchoose os || exit\ngoto os_${os}\n:os_debian\n",
    );
    let (a, offset) =
        fixture("#!ipxe\nmenu\nitem deb Debian\nchoose os || exit\ngoto os_${os}\n:os_d$0eb\n");
    assert!(rename(&a, offset, "debian").is_err());
}

#[test]
fn rename_rejects_meaning_changing_names() {
    let (a, offset) = fixture("#!ipxe\ngoto a$0\n:a\n");
    for bad in ["", "a b", "#x", "-x", "||", "${x}"] {
        assert!(rename(&a, offset, bad).is_err(), "{bad:?}");
    }
}

#[test]
fn prepare_rename_refuses_builtin_settings_and_empty_places() {
    let (a, offset) = fixture("#!ipxe\necho ${ma$0c}\n");
    assert!(prepare_rename(&a, offset).is_err());
    let (a, offset) = fixture("#!ipxe\nec$0ho hi\n");
    assert!(prepare_rename(&a, offset).is_err());
    let (a, offset) = fixture("#!ipxe\nset my$0var 1\n");
    let (span, name) = prepare_rename(&a, offset).unwrap();
    assert_eq!(name, "myvar");
    assert_eq!(span, Span::new(11, 16));
}

#[test]
fn hover_on_a_command_shows_usage_and_availability() {
    let text = hover_text("#!ipxe\nchai$0n --autofree http://x/y\n");
    assert!(text.contains("Usage:"), "{text}");
    assert!(text.contains("chain"), "{text}");
    assert!(text.contains("stock BIOS build"), "{text}");
    let text = hover_text("#!ipxe\nnsloo$0kup x y\n");
    assert!(
        text.contains("**no**"),
        "nslookup is not in stock builds: {text}"
    );
}

#[test]
fn hover_on_an_option() {
    let text = hover_text("#!ipxe\nchain --autof$0ree http://x/y\n");
    assert!(text.contains("--autofree"), "{text}");
}

#[test]
fn hover_on_settings_and_types() {
    let text = hover_text("#!ipxe\necho ${ma$0c}\n");
    assert!(text.contains("setting `mac`"), "{text}");
    assert!(text.contains("Defined by iPXE"), "{text}");
    let text = hover_text("#!ipxe\nset base http://x\necho ${ba$0se}\n");
    assert!(text.contains("Value: `http://x`"), "{text}");
    let text = hover_text("#!ipxe\necho ${ip:ip$0v4}\n");
    assert!(text.contains("setting type `ipv4`"), "{text}");
}

#[test]
fn hover_on_a_suppression_code() {
    let text = hover_text("#!ipxe\n#ipxelint disable=IPX2$001\ngoto x\n");
    assert!(text.contains("IPX201"), "{text}");
}

#[test]
fn complete_commands_at_line_start() {
    let items = completion_labels("#!ipxe\nch$0\n");
    assert!(items.contains(&("chain".into(), CompletionKind::Command)));
    assert!(items.contains(&("choose".into(), CompletionKind::Command)));
    assert!(!items.iter().any(|(l, _)| l == "echo"));
    let items = completion_labels("#!ipxe\ndhcp || $0\n");
    assert!(items.iter().any(|(l, _)| l == "echo"));
}

#[test]
fn complete_options() {
    let items = completion_labels("#!ipxe\nchoose --$0\n");
    assert!(items.contains(&("--default".into(), CompletionKind::Option)));
    assert!(items.contains(&("--timeout".into(), CompletionKind::Option)));
}

#[test]
fn complete_labels_after_goto() {
    let items = completion_labels("#!ipxe\n:one\n:two\ngoto $0\n");
    assert_eq!(
        items,
        [
            ("one".into(), CompletionKind::Label),
            ("two".into(), CompletionKind::Label)
        ]
    );
}

#[test]
fn complete_settings_and_types() {
    let items = completion_labels("#!ipxe\nset mine 1\necho ${$0\n");
    assert_eq!(items[0], ("mine".into(), CompletionKind::Setting));
    assert!(items.contains(&("mac".into(), CompletionKind::Setting)));
    let items = completion_labels("#!ipxe\necho ${x:$0}\n");
    assert!(items.contains(&("ipv4".into(), CompletionKind::SettingType)));
    assert!(completion_labels("#!ipxe\necho # ${$0\n").is_empty());
}

fn outline(symbols: &[DocumentSymbol], depth: usize, out: &mut String) {
    for s in symbols {
        out.push_str(&format!("{}{:?} {}\n", "  ".repeat(depth), s.kind, s.name));
        outline(&s.children, depth + 1, out);
    }
}

#[test]
fn document_symbols_nest_menus_and_items_under_labels() {
    let (a, _) = fixture(
        "#!ipxe\n$0:start\nmenu Boot menu\nitem linux Linux\nitem --gap --\nitem shell Shell\nchoose t && goto ${t}\n:linux\nexit\n:shell\nshell\n",
    );
    let mut out = String::new();
    outline(&document_symbols(&a), 0, &mut out);
    assert_eq!(
        out,
        "Label :start\n  Menu Boot menu\n    Item linux\n    Item shell\nLabel :linux\nLabel :shell\n"
    );
}

#[test]
fn folding_per_label_block() {
    let (a, _) = fixture("#!ipxe\n$0:a\necho 1\necho 2\n\n:b\n:c\necho 3\n");
    let folds: Vec<String> = folding_ranges(&a)
        .iter()
        .map(|f| String::from_utf8_lossy(f.span.slice(&a.src)).into_owned())
        .collect();
    assert_eq!(folds, [":a\necho 1\necho 2", ":c\necho 3"]);
}

#[test]
fn code_actions_offer_fixes_and_suppression() {
    let (a, offset) = fixture("#!ipxe\necho hi$0   \ngoto nowhere\n");
    let setup = ipxe_ide::LintSetup::default();
    let diags = diagnostics("t.ipxe", &a.src, &setup);
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert!(codes.contains(&"IPX009"), "{codes:?}");
    assert!(codes.contains(&"IPX201"), "{codes:?}");
    let actions = code_actions(&a, &diags, Span::new(offset, offset));
    let titles: Vec<&str> = actions.iter().map(|a| a.title.as_str()).collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("IPX009") && !t.contains("may change")),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"Disable IPX009 for this file"),
        "{titles:?}"
    );
    let goto = a.src.windows(4).position(|w| w == b"goto").unwrap() as u32;
    let actions = code_actions(&a, &diags, Span::new(goto, goto));
    let disable = actions
        .iter()
        .find(|a| a.title == "Disable IPX201 for this line")
        .unwrap_or_else(|| panic!("disable action: {actions:?}"));
    let edits: Vec<&ipxe_ide::Edit> = disable.edits.iter().collect();
    let (fixed, _) = ipxe_diagnostics::apply_edits(&a.src, &edits);
    let after = diagnostics("t.ipxe", &fixed, &setup);
    assert!(after.iter().all(|d| d.code != "IPX201"), "{after:?}");
}

#[test]
fn features_survive_arbitrary_offsets() {
    let srcs = [
        "",
        "#!ipxe",
        "#!ipxe\n:\ngoto\nset\n${\n${a:}\nitem\nchoose --default\n\0x\necho a\\",
        "#!ipxe\r\n  :x  echo ${${y}} ||\r\nmenu\nitem --key\n",
    ];
    for src in srcs {
        let a = Analysis::new(src.as_bytes().to_vec(), BuildProfile::default_pair());
        for offset in 0..=src.len() as u32 + 2 {
            let _ = goto_definition(&a, offset);
            let _ = references(&a, offset, true);
            let _ = highlights(&a, offset);
            let _ = hover(&a, offset);
            let _ = completions(&a, offset);
            let _ = prepare_rename(&a, offset);
            let _ = rename(&a, offset, "new");
            let _ = code_actions(&a, &[], Span::new(offset, offset));
        }
        let _ = document_symbols(&a);
        let _ = folding_ranges(&a);
    }
}
