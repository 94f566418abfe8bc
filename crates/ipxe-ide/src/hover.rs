//! Hover: command usage and availability, options, settings and their types,
//! labels, and the rule behind an `#ipxelint disable=` code.

use ipxe_catalog::{Catalog, OptArg};
use ipxe_diagnostics::Span;
use ipxe_semantics::OptValue;

use crate::Analysis;
use crate::index::{Role, SymbolKind};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverResult {
    /// What the hover is about.
    pub span: Span,
    /// Markdown.
    pub markdown: String,
}

pub fn hover(a: &Analysis, offset: u32) -> Option<HoverResult> {
    let src = &a.src;
    let line_no = a.line_at(offset)?;
    let line = &a.parsed.lines[line_no];
    // `#ipxelint disable=CODE`
    if let Some(c) = line.comment {
        let span = line.token_span(c);
        if span.contains(offset) {
            return rule_hover(src, span, offset);
        }
    }
    let bounds = a.bounds.get(line_no)?;
    for (command, bound) in line.commands.iter().zip(bounds) {
        for (wi, word) in command.words.iter().enumerate() {
            if !(word.span.contains(offset) || word.span.end == offset) {
                continue;
            }
            let text = word.text(src);
            // A `:type` inside `${…}`.
            for r in &word.refs {
                let Some(ty) = r.parts.as_ref().and_then(|p| p.ty.clone()) else {
                    continue;
                };
                let span = word.source_span(ty.clone());
                if span.contains(offset) {
                    let name = String::from_utf8_lossy(&text[ty.start as usize..ty.end as usize]);
                    let md = match Catalog::get().setting_type(&name) {
                        Some(t) => format!(
                            "**setting type `{}`**\n\n{}\n\nPrinted as: {}",
                            t.name, t.summary, t.format
                        ),
                        None => format!("**`{name}`** is not a setting type iPXE knows"),
                    };
                    return Some(HoverResult { span, markdown: md });
                }
            }
            if let Some(o) = a.index.at(offset) {
                if word.span.cover(o.span) == word.span {
                    return Some(symbol_hover(a, o.kind, &o.name, o.span));
                }
            }
            let spec = bound.spec?;
            if wi == 0 {
                return Some(HoverResult {
                    span: word.span,
                    markdown: command_hover(a, spec),
                });
            }
            if let Some(opt) = bound.options.iter().find(|o| o.word == wi) {
                let s = opt.spec;
                let arg = match s.arg {
                    OptArg::None => String::new(),
                    OptArg::Required => format!(" <{}>", s.long),
                    OptArg::Optional => format!(" [<{}>]", s.long),
                };
                return Some(HoverResult {
                    span: word.span,
                    markdown: format!(
                        "**`-{}` / `--{}{}`** (option of `{}`)\n\n{}",
                        s.short, s.long, arg, spec.name, s.summary
                    ),
                });
            }
            if let Some(opt) = bound
                .options
                .iter()
                .find(|o| matches!(&o.value, Some(OptValue::Next { word }) if *word == wi))
            {
                return Some(HoverResult {
                    span: word.span,
                    markdown: format!(
                        "value of `--{}` ({:?}): {}",
                        opt.spec.long, opt.spec.kind, opt.spec.summary
                    ),
                });
            }
            if let Some(n) = bound.positionals.iter().position(|&p| p == wi) {
                if let Some(arg) = spec.arg_role(n) {
                    return Some(HoverResult {
                        span: word.span,
                        markdown: format!(
                            "argument `{}` of `{}` ({:?})",
                            arg.name, spec.name, arg.role
                        ),
                    });
                }
            }
            return None;
        }
    }
    if let Some(o) = a.index.at(offset) {
        return Some(symbol_hover(a, o.kind, &o.name, o.span));
    }
    None
}

fn command_hover(a: &Analysis, spec: &ipxe_catalog::Command) -> String {
    let mut md = format!(
        "**{}** — {}\n\n```text\n{}```\n",
        spec.name,
        spec.summary,
        spec.usage()
    );
    if !spec.options.is_empty() {
        md.push_str("\nOptions:\n");
        for o in &spec.options {
            md.push_str(&format!("- `-{}`/`--{}`: {}\n", o.short, o.long, o.summary));
        }
    }
    if !a.profiles.is_empty() {
        md.push_str("\nAvailability:\n");
        for p in &a.profiles {
            let has = p.has_command(spec);
            md.push_str(&format!(
                "- {}: {}\n",
                p.label,
                if has {
                    "yes".to_string()
                } else {
                    match &spec.macro_name {
                        Some(m) => format!("**no** (enable `{m}`)"),
                        None => "**no**".to_string(),
                    }
                }
            ));
        }
    }
    md.push_str(&format!("\n[Documentation]({})", spec.doc_url()));
    md
}

fn symbol_hover(a: &Analysis, kind: SymbolKind, name: &[u8], span: Span) -> HoverResult {
    let shown = String::from_utf8_lossy(name);
    let occ: Vec<_> = a.index.all(kind, name).collect();
    let defs: Vec<_> = occ.iter().filter(|o| o.role == Role::Def).collect();
    let refs = occ.len() - defs.len();
    let lines = |v: &[&&crate::Occurrence]| {
        v.iter()
            .map(|o| (o.line + 1).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let markdown = match kind {
        SymbolKind::Label => match defs.len() {
            0 => format!("**label `:{shown}`** — not defined in this file ({refs} references)"),
            1 => format!(
                "**label `:{shown}`** — defined on line {} ({refs} references)",
                lines(&defs)
            ),
            _ => format!(
                "**label `:{shown}`** — defined on lines {}; `goto` uses the first ({refs} references)",
                lines(&defs)
            ),
        },
        SymbolKind::Setting => {
            let mut md = format!("**setting `{shown}`**");
            if let Some(s) = Catalog::get().setting(&shown) {
                md.push_str(&format!(
                    " (`{}`, {})\n\n{}\n\nDefined by iPXE (scope: {}, since {}).",
                    s.ty, s.scope, s.summary, s.scope, s.since
                ));
            } else if defs.is_empty() {
                md.push_str("\n\nNot set by this script (empty unless set elsewhere).");
            }
            if !defs.is_empty() {
                md.push_str(&format!(
                    "\n\nSet by this script on line(s) {}.",
                    lines(&defs)
                ));
                let values: Vec<_> = defs.iter().map(|d| d.value.as_ref()).collect();
                if Catalog::get().setting(&shown).is_none()
                    && values.iter().all(|v| v.is_some())
                    && values.windows(2).all(|w| w[0] == w[1])
                {
                    if let Some(Some(v)) = values.first() {
                        md.push_str(&format!(
                            "\n\nValue: `{}` (every write stores this text)",
                            String::from_utf8_lossy(v)
                        ));
                    }
                }
            }
            md
        }
    };
    HoverResult { span, markdown }
}

fn rule_hover(src: &[u8], comment: Span, offset: u32) -> Option<HoverResult> {
    let text = comment.slice(src);
    let rel = (offset - comment.start) as usize;
    let is_code = |b: u8| b.is_ascii_alphanumeric();
    let mut start = rel.min(text.len());
    while start > 0 && is_code(text[start - 1]) {
        start -= 1;
    }
    let mut end = rel.min(text.len());
    while end < text.len() && is_code(text[end]) {
        end += 1;
    }
    let word = std::str::from_utf8(&text[start..end]).ok()?;
    if !text.windows(9).any(|w| w == b"ipxelint ") {
        return None;
    }
    let rule = ipxe_lint::rule(word)?;
    Some(HoverResult {
        span: Span::new(comment.start + start as u32, comment.start + end as u32),
        markdown: format!(
            "{}\n\n[Rule documentation]({})",
            rule.explain(),
            rule.meta().url()
        ),
    })
}
