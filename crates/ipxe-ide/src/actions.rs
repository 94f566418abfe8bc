//! Code actions: the linter's fixes, and "disable this rule here".

use ipxe_diagnostics::{Applicability, Diagnostic, Edit, Span};

use crate::Analysis;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeAction {
    pub title: String,
    pub edits: Vec<Edit>,
    /// A safe fix: the editor may apply it on "fix all"/"quick fix" directly.
    pub preferred: bool,
    /// Index (into the diagnostics given) of the diagnostic it addresses.
    pub diagnostic: usize,
    /// `quickfix` for fixes and suppressions.
    pub is_quickfix: bool,
}

/// Actions for the diagnostics overlapping `range`.
/// The range is widened to whole logical lines, so that a cursor anywhere on
/// a line gets that line's actions.
pub fn code_actions(a: &Analysis, diagnostics: &[Diagnostic], range: Span) -> Vec<CodeAction> {
    let mut out = Vec::new();
    let lines = &a.parsed.lines;
    let range = match (a.line_at(range.start), a.line_at(range.end)) {
        (Some(s), Some(e)) => Span::new(lines[s].span.start, lines[e].content_span().end),
        _ => range,
    };
    for (i, d) in diagnostics.iter().enumerate() {
        let overlaps = d.span.start <= range.end && range.start <= d.span.end;
        if !overlaps {
            continue;
        }
        if let Some(fix) = &d.fix {
            let note = match fix.applicability {
                Applicability::Safe => "",
                Applicability::Unsafe => " (may change behaviour)",
                Applicability::DisplayOnly => " (suggestion)",
            };
            if fix.applicability != Applicability::DisplayOnly || !fix.edits.is_empty() {
                out.push(CodeAction {
                    title: format!("{}: {}{note}", d.code, fix.title),
                    edits: fix.edits.clone(),
                    preferred: fix.applicability == Applicability::Safe,
                    diagnostic: i,
                    is_quickfix: true,
                });
            }
        }
        if let Some((title, edit)) = disable_rule_edit(a, d) {
            out.push(CodeAction {
                title,
                edits: vec![edit],
                preferred: false,
                diagnostic: i,
                is_quickfix: true,
            });
        }
    }
    out
}

/// The `#ipxelint disable=CODE` line to insert above a diagnostic's line.
/// None on the first line (nothing may come before the `#!ipxe` signature).
pub fn disable_rule_edit(a: &Analysis, d: &Diagnostic) -> Option<(String, Edit)> {
    let line_no = a.line_at(d.span.start)?;
    if line_no == 0 {
        return None;
    }
    let lines = &a.parsed.lines;
    let line = &lines[line_no];
    let src = &a.src;
    let text = line.span.slice(src);
    let indent: Vec<u8> = text
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .copied()
        .collect();
    let crlf = line.content_span().slice(src).ends_with(b"\r");
    let mut insert = indent;
    insert.extend_from_slice(format!("#ipxelint disable={}", d.code).as_bytes());
    insert.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
    // Before the first command of the file, a directive applies to the whole file.
    let command_before = lines[..line_no]
        .iter()
        .any(|l| l.non_empty_commands().next().is_some());
    let title = if command_before {
        format!("Disable {} for this line", d.code)
    } else {
        format!("Disable {} for this file", d.code)
    };
    Some((title, Edit::insert(line.span.start, insert)))
}
