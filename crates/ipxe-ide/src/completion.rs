//! Completion: command names, a command's options, labels after `goto`,
//! setting names inside `${` (built-in and set by the script), and `:type`
//! suffixes.

use std::collections::BTreeSet;

use ipxe_catalog::{ArgRole, Catalog, OptArg};
use ipxe_diagnostics::Span;
use ipxe_syntax::TokenKind;

use crate::Analysis;
use crate::index::{Role, SymbolKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Command,
    Option,
    Label,
    Setting,
    SettingType,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    /// The text to replace with `label`.
    pub replace: Span,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

pub fn completions(a: &Analysis, offset: u32) -> Vec<CompletionItem> {
    let src = &a.src;
    let offset = offset.min(src.len() as u32);
    let Some(line_no) = a.line_at(offset) else {
        return commands(Span::new(offset, offset), b"");
    };
    let line = &a.parsed.lines[line_no];
    if let Some(c) = line.comment {
        if line.token_span(c).start < offset {
            return Vec::new();
        }
    }
    let mut pstart = offset;
    while pstart > line.span.start && !is_space(src[pstart as usize - 1]) {
        pstart -= 1;
    }
    let prefix = &src[pstart as usize..offset as usize];

    // Inside `${…`: setting names or types.
    if let Some(open) = prefix.windows(2).rposition(|w| w == b"${") {
        let inner_start = open + 2;
        let inner = &prefix[inner_start..];
        if !inner.contains(&b'}') {
            if let Some(colon) = inner.iter().rposition(|&b| b == b':') {
                let at = pstart + (inner_start + colon + 1) as u32;
                return setting_types(Span::new(at, offset));
            }
            let name_start = inner.iter().rposition(|&b| b == b'/').map_or(0, |p| p + 1);
            let at = pstart + (inner_start + name_start) as u32;
            return settings(a, Span::new(at, offset));
        }
    }

    // The words of the current command before the cursor.
    let mut before: Vec<&[u8]> = Vec::new();
    for t in &line.tokens {
        if t.span.end > pstart {
            break;
        }
        match t.kind {
            TokenKind::Operator | TokenKind::Label => before.clear(),
            TokenKind::Word => before.push(t.span.slice(src)),
            _ => {}
        }
    }
    let replace = Span::new(pstart, offset);
    let Some(name) = before.first() else {
        if prefix.starts_with(b":") || prefix.starts_with(b"#") {
            return Vec::new();
        }
        return commands(replace, prefix);
    };
    let Some(spec) = std::str::from_utf8(name)
        .ok()
        .and_then(|n| Catalog::get().command(n))
    else {
        return Vec::new();
    };
    let args = &before[1..];
    let only_options = args.iter().all(|w| w.starts_with(b"-")) && !args.contains(&&b"--"[..]);
    if prefix.starts_with(b"-") && spec.parses_options && only_options {
        return spec
            .options
            .iter()
            .map(|o| CompletionItem {
                label: format!("--{}", o.long),
                kind: CompletionKind::Option,
                detail: Some(match o.arg {
                    OptArg::None => format!("-{}", o.short),
                    _ => format!("-{} <{}>", o.short, o.long),
                }),
                documentation: Some(o.summary.clone()),
                replace,
            })
            .collect();
    }
    // Count positionals before the cursor (options with a separate value
    // are approximated by the catalogue's `arg` flag).
    let mut positional = 0usize;
    let mut expect_value = false;
    for w in args {
        if expect_value {
            expect_value = false;
            continue;
        }
        if positional == 0 && w.starts_with(b"-") && *w != b"--" {
            let long = w
                .strip_prefix(b"--")
                .map(|l| l.split(|&b| b == b'=').next());
            let takes = match long {
                Some(Some(l)) => spec
                    .options
                    .iter()
                    .find(|o| o.long.as_bytes() == l)
                    .is_some_and(|o| o.arg == OptArg::Required && !w.contains(&b'=')),
                _ => {
                    w.len() == 2
                        && spec
                            .option_short(w[1] as char)
                            .is_some_and(|o| o.arg == OptArg::Required)
                }
            };
            expect_value = takes;
            continue;
        }
        positional += 1;
    }
    if expect_value {
        return Vec::new();
    }
    match spec.arg_role(positional).map(|r| r.role) {
        Some(ArgRole::Label) => labels(a, replace),
        Some(ArgRole::SettingName) => settings(a, replace),
        _ => Vec::new(),
    }
}

fn commands(replace: Span, prefix: &[u8]) -> Vec<CompletionItem> {
    Catalog::get()
        .commands
        .iter()
        .filter(|c| c.name.as_bytes().starts_with(prefix) || prefix.is_empty())
        .map(|c| CompletionItem {
            label: c.name.clone(),
            kind: CompletionKind::Command,
            detail: Some(c.summary.clone()),
            documentation: Some(format!("```text\n{}```", c.usage())),
            replace,
        })
        .collect()
}

fn labels(a: &Analysis, replace: Span) -> Vec<CompletionItem> {
    let mut seen = BTreeSet::new();
    a.index
        .occurrences
        .iter()
        .filter(|o| o.kind == SymbolKind::Label && o.role == Role::Def && o.via_item.is_none())
        .filter(|o| seen.insert(o.name.clone()))
        .map(|o| CompletionItem {
            label: String::from_utf8_lossy(&o.name).into_owned(),
            kind: CompletionKind::Label,
            detail: Some(format!("label on line {}", o.line + 1)),
            documentation: None,
            replace,
        })
        .collect()
}

fn settings(a: &Analysis, replace: Span) -> Vec<CompletionItem> {
    let mut items = Vec::new();
    let mut seen = BTreeSet::new();
    for o in &a.index.occurrences {
        if o.kind == SymbolKind::Setting && o.role == Role::Def && seen.insert(o.name.clone()) {
            items.push(CompletionItem {
                label: String::from_utf8_lossy(&o.name).into_owned(),
                kind: CompletionKind::Setting,
                detail: Some(format!("set on line {}", o.line + 1)),
                documentation: None,
                replace,
            });
        }
    }
    for s in &Catalog::get().settings {
        if seen.insert(s.name.as_bytes().to_vec()) {
            items.push(CompletionItem {
                label: s.name.clone(),
                kind: CompletionKind::Setting,
                detail: Some(format!("{} ({})", s.ty, s.scope)),
                documentation: Some(s.summary.clone()),
                replace,
            });
        }
    }
    items
}

fn setting_types(replace: Span) -> Vec<CompletionItem> {
    Catalog::get()
        .setting_types
        .iter()
        .map(|t| CompletionItem {
            label: t.name.clone(),
            kind: CompletionKind::SettingType,
            detail: Some(t.format.clone()),
            documentation: Some(t.summary.clone()),
            replace,
        })
        .collect()
}
