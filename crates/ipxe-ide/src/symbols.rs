//! Document symbols (labels, and menus with their items, nested) and folding
//! ranges (one per label block).

use ipxe_diagnostics::Span;
use ipxe_semantics::MenuEvent;

use crate::Analysis;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentSymbolKind {
    Label,
    Menu,
    Item,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentSymbol {
    pub name: String,
    pub detail: Option<String>,
    pub kind: DocumentSymbolKind,
    /// The whole block.
    pub span: Span,
    /// The name to select (inside `span`).
    pub selection: Span,
    pub children: Vec<DocumentSymbol>,
}

/// A foldable region: from the line holding `span.start` to the line holding `span.end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fold {
    pub span: Span,
}

/// Label blocks as (line of the label, last non-blank line before the next label).
fn label_blocks(a: &Analysis) -> Vec<(usize, usize)> {
    let lines = &a.parsed.lines;
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].label.is_some())
        .collect();
    let mut blocks = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let next = starts.get(n + 1).copied().unwrap_or(lines.len());
        let mut end = next.saturating_sub(1).max(start);
        while end > start && is_blank(a, end) {
            end -= 1;
        }
        blocks.push((start, end));
    }
    blocks
}

fn is_blank(a: &Analysis, line: usize) -> bool {
    let l = &a.parsed.lines[line];
    l.label.is_none() && l.comment.is_none() && l.non_empty_commands().next().is_none()
}

pub fn folding_ranges(a: &Analysis) -> Vec<Fold> {
    let lines = &a.parsed.lines;
    label_blocks(a)
        .into_iter()
        .filter(|(s, e)| e > s)
        .map(|(s, e)| Fold {
            span: Span::new(lines[s].span.start, lines[e].content_span().end),
        })
        .collect()
}

pub fn document_symbols(a: &Analysis) -> Vec<DocumentSymbol> {
    let src = &a.src;
    let lines = &a.parsed.lines;
    let mut menus = Vec::new();
    let events = &a.model.menu_events;
    for (i, event) in events.iter().enumerate() {
        let MenuEvent::Menu { name, span, line } = event else {
            continue;
        };
        let title: Vec<String> = a
            .bounds
            .get(*line as usize)
            .and_then(|b| {
                let l = &lines[*line as usize];
                let (cmd, bound) = l
                    .commands
                    .iter()
                    .zip(b)
                    .find(|(c, _)| c.span().is_some_and(|s| s.cover(*span) == s))?;
                Some(
                    bound
                        .positional_words(cmd)
                        .map(|w| String::from_utf8_lossy(w.text(src)).into_owned())
                        .collect(),
                )
            })
            .unwrap_or_default();
        let menu_name =
            name.map(|n| String::from_utf8_lossy(a.model.names.resolve(n)).into_owned());
        let mut children = Vec::new();
        let mut whole = *span;
        for later in &events[i + 1..] {
            match later {
                MenuEvent::Menu { name: n, .. } if n == name => break,
                MenuEvent::Item(item) if item.menu == *name => {
                    whole = whole.cover(item.span);
                    if item.gap {
                        continue;
                    }
                    let Some(item_name) = a.model.text(item.name) else {
                        continue;
                    };
                    let text = item_text(a, item.line as usize, item.span);
                    children.push(DocumentSymbol {
                        name: String::from_utf8_lossy(item_name).into_owned(),
                        detail: (!text.is_empty()).then_some(text),
                        kind: DocumentSymbolKind::Item,
                        span: item.span,
                        selection: item.name_span.unwrap_or(item.span),
                        children: Vec::new(),
                    });
                }
                _ => {}
            }
        }
        let display = match (&menu_name, title.is_empty()) {
            (Some(n), _) => n.clone(),
            (None, false) => title.join(" "),
            (None, true) => "menu".to_string(),
        };
        menus.push(DocumentSymbol {
            name: display,
            detail: (!title.is_empty()).then(|| title.join(" ")),
            kind: DocumentSymbolKind::Menu,
            span: whole,
            selection: *span,
            children,
        });
    }
    let mut out = Vec::new();
    let blocks = label_blocks(a);
    let mut menus = menus.into_iter().peekable();
    // Menus before the first label stay at the top level.
    let first = blocks
        .first()
        .map_or(u32::MAX, |(s, _)| lines[*s].span.start);
    while let Some(m) = menus.next_if(|m| m.span.start < first) {
        out.push(m);
    }
    for (s, e) in blocks {
        let line = &lines[s];
        let span = Span::new(line.span.start, lines[e].content_span().end);
        let label = line.label.as_ref().map_or(span, |w| w.span);
        let name = line
            .label_name(src)
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_default();
        let mut children = Vec::new();
        let end = lines.get(e + 1).map_or(u32::MAX, |l| l.span.start);
        while let Some(m) = menus.next_if(|m| m.span.start < end) {
            children.push(m);
        }
        out.push(DocumentSymbol {
            name: format!(":{name}"),
            detail: None,
            kind: DocumentSymbolKind::Label,
            span: span.cover(children.iter().fold(span, |acc, c| acc.cover(c.span))),
            selection: label,
            children,
        });
    }
    out.extend(menus);
    out
}

/// The item's text (its words after the name), for the symbol's detail.
fn item_text(a: &Analysis, line: usize, span: Span) -> String {
    let src = &a.src;
    let Some(l) = a.parsed.lines.get(line) else {
        return String::new();
    };
    let Some(bounds) = a.bounds.get(line) else {
        return String::new();
    };
    for (cmd, bound) in l.commands.iter().zip(bounds) {
        if cmd.span() == Some(span) {
            return bound
                .positional_words(cmd)
                .skip(1)
                .map(|w| String::from_utf8_lossy(w.text(src)).into_owned())
                .collect::<Vec<_>>()
                .join(" ");
        }
    }
    String::new()
}
