//! Every place a label or a setting is named, for navigation and rename.

use ipxe_catalog::ValueKind;
use ipxe_semantics::{Bound, FileModel, GotoTarget, MenuEvent, word_literal};
use ipxe_syntax::{Parsed, Span, split_setting_name};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    Label,
    Setting,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// `:label`, or a write of a setting (`set`, `read`, `choose`, …).
    Def,
    /// `goto label`, or a read of a setting (`${x}`, `show x`, …).
    Ref,
}

/// One naming of a symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub kind: SymbolKind,
    /// The symbol's full name (for a label named through a menu item, the label).
    pub name: Vec<u8>,
    /// The bytes to edit on rename.
    pub span: Span,
    pub role: Role,
    /// A menu item name or `choose --default` value that becomes the label
    /// through `goto prefix${var}suffix`: the text around it.
    pub via_item: Option<(Vec<u8>, Vec<u8>)>,
    /// The 0-based logical line.
    pub line: u32,
    /// For a `set name value…` with literal values: the value stored.
    pub value: Option<Vec<u8>>,
    /// The setting write is typed (`set x:int32 …`, `inc`, `read`…), so its value is not the text.
    pub opaque: bool,
}

#[derive(Clone, Debug, Default)]
pub struct SymbolIndex {
    pub occurrences: Vec<Occurrence>,
}

impl SymbolIndex {
    pub fn build(src: &[u8], parsed: &Parsed, bounds: &[Vec<Bound>], model: &FileModel) -> Self {
        let mut occ = Vec::new();
        for (line_no, line) in parsed.lines.iter().enumerate() {
            let line_no = line_no as u32;
            if let (Some(name), Some(span)) = (line.label_name(src), line.label_name_span()) {
                occ.push(Occurrence {
                    kind: SymbolKind::Label,
                    name: name.to_vec(),
                    span,
                    role: Role::Def,
                    via_item: None,
                    line: line_no,
                    value: None,
                    opaque: false,
                });
            }
            let Some(line_bounds) = bounds.get(line_no as usize) else {
                continue;
            };
            for (command, bound) in line.commands.iter().zip(line_bounds) {
                // Reads: `${name}` in any word.
                for word in &command.words {
                    let text = word.text(src);
                    for r in &word.refs {
                        let Some(parts) = &r.parts else { continue };
                        occ.push(Occurrence {
                            kind: SymbolKind::Setting,
                            name: text[parts.name.start as usize..parts.name.end as usize].to_vec(),
                            span: word.source_span(parts.name.clone()),
                            role: Role::Ref,
                            via_item: None,
                            line: line_no,
                            value: None,
                            opaque: false,
                        });
                    }
                }
                let Some(spec) = bound.spec else { continue };
                let cmd = spec.name.as_str();
                for word in bound.setting_name_words(command) {
                    let Some(text) = word_literal(word, src) else {
                        continue;
                    };
                    let parts = split_setting_name(text);
                    let role = if matches!(cmd, "show" | "clear") {
                        Role::Ref
                    } else {
                        Role::Def
                    };
                    let value = (cmd == "set" && parts.ty.is_none())
                        .then(|| {
                            let values: Vec<&[u8]> = bound
                                .positional_words(command)
                                .skip(1)
                                .map(|w| word_literal(w, src))
                                .collect::<Option<_>>()?;
                            Some(values.join(&b' '))
                        })
                        .flatten();
                    occ.push(Occurrence {
                        kind: SymbolKind::Setting,
                        name: text[parts.name.start as usize..parts.name.end as usize].to_vec(),
                        span: word.source_span(parts.name.clone()),
                        role,
                        via_item: None,
                        line: line_no,
                        opaque: role == Role::Def && value.is_none(),
                        value,
                    });
                }
                for option in &bound.options {
                    if option.spec.kind != ValueKind::Setting {
                        continue;
                    }
                    let Some(value) = &option.value else { continue };
                    let word = &command.words[value.word()];
                    let Some(text) = word_literal(word, src) else {
                        continue;
                    };
                    let (base, range) = match value {
                        ipxe_semantics::OptValue::Inline { range, .. } => {
                            (range.start, &text[range.start as usize..range.end as usize])
                        }
                        ipxe_semantics::OptValue::Next { .. } => (0, text),
                    };
                    let parts = split_setting_name(range);
                    occ.push(Occurrence {
                        kind: SymbolKind::Setting,
                        name: range[parts.name.start as usize..parts.name.end as usize].to_vec(),
                        span: word.source_span(base + parts.name.start..base + parts.name.end),
                        role: Role::Def,
                        via_item: None,
                        line: line_no,
                        value: None,
                        opaque: true,
                    });
                }
            }
        }
        // Label references: literal gotos.
        for goto in &model.gotos {
            if let GotoTarget::Literal(sym) = goto.target {
                occ.push(Occurrence {
                    kind: SymbolKind::Label,
                    name: model.names.resolve(sym).to_vec(),
                    span: goto.span,
                    role: Role::Ref,
                    via_item: None,
                    line: goto.line,
                    value: None,
                    opaque: false,
                });
            }
        }
        // Menu items and choose defaults that lead to labels.
        let mut seen_items: std::collections::HashSet<(Span, Vec<u8>)> =
            std::collections::HashSet::new();
        for (i, event) in model.menu_events.iter().enumerate() {
            let MenuEvent::Choose(choose) = event else {
                continue;
            };
            let mut templates: Vec<(Vec<u8>, Vec<u8>)> = model
                .gotos_for_choose(i)
                .iter()
                .filter_map(|g| match &g.target {
                    GotoTarget::Template { prefix, suffix, .. } => Some((
                        model.names.resolve(*prefix).to_vec(),
                        model.names.resolve(*suffix).to_vec(),
                    )),
                    _ => None,
                })
                .collect();
            templates.dedup();
            let mut names: Vec<(&[u8], Span, u32)> = model
                .items_for_choose(i)
                .iter()
                .filter(|item| !item.gap)
                .filter_map(|item| Some((model.text(item.name)?, item.name_span?, item.line)))
                .collect();
            if let Some((value, span)) = &choose.default {
                names.push((model.names.resolve(*value), *span, choose.line));
            }
            for (name, span, line) in names {
                let candidates: Vec<(Vec<u8>, Vec<u8>)> = if templates.is_empty() {
                    // No goto uses the choice: items named like labels still lead there.
                    if model.label_defined(name) {
                        vec![(Vec::new(), Vec::new())]
                    } else {
                        Vec::new()
                    }
                } else {
                    templates.clone()
                };
                for (prefix, suffix) in candidates {
                    let label = [prefix.as_slice(), name, suffix.as_slice()].concat();
                    if !model.label_defined(&label) {
                        continue;
                    }
                    let o = Occurrence {
                        kind: SymbolKind::Label,
                        name: label,
                        span,
                        role: Role::Ref,
                        via_item: Some((prefix, suffix)),
                        line,
                        value: None,
                        opaque: false,
                    };
                    if seen_items.insert((o.span, o.name.clone())) {
                        occ.push(o);
                    }
                }
            }
        }
        occ.sort_by_key(|o| (o.span.start, o.span.end));
        SymbolIndex { occurrences: occ }
    }

    /// The occurrence under the cursor: one containing it, else one ending at it.
    pub fn at(&self, offset: u32) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .find(|o| o.span.contains(offset))
            .or_else(|| self.occurrences.iter().find(|o| o.span.end == offset))
    }

    /// Every occurrence of a symbol, in source order.
    pub fn all<'a>(
        &'a self,
        kind: SymbolKind,
        name: &'a [u8],
    ) -> impl Iterator<Item = &'a Occurrence> + 'a {
        self.occurrences
            .iter()
            .filter(move |o| o.kind == kind && o.name == name)
    }
}
