//! Output formats. Each takes the same data: the files, their diagnostics and
//! the metadata of the rules involved.

use std::io::Write;

use ariadne::{Color, Config, IndexType, Label, Report, ReportKind, Source};
use serde_json::{Value, json};

use crate::{Diagnostic, LineIndex, Severity, widen_to_chars};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
    Sarif,
    Gcc,
    Github,
}

/// Every output format as users run them: human with and without colour,
/// JSON, SARIF, gcc, GitHub (the `bool` is colour).
pub const EVERY_FORMAT: [(OutputFormat, bool); 6] = [
    (OutputFormat::Human, false),
    (OutputFormat::Human, true),
    (OutputFormat::Json, false),
    (OutputFormat::Sarif, false),
    (OutputFormat::Gcc, false),
    (OutputFormat::Github, false),
];

impl OutputFormat {
    pub fn parse(text: &str) -> Option<OutputFormat> {
        Some(match text {
            "human" | "text" => OutputFormat::Human,
            "json" => OutputFormat::Json,
            "sarif" => OutputFormat::Sarif,
            "gcc" => OutputFormat::Gcc,
            "github" => OutputFormat::Github,
            _ => return None,
        })
    }
}

/// What a renderer needs to know about a rule.
#[derive(Clone, Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub severity: Severity,
    /// Markdown documentation.
    pub doc: &'static str,
}

impl RuleMeta {
    pub fn url(&self) -> String {
        format!(
            "https://github.com/ipxe-tools/ipxe-tools/blob/main/docs/rules.md#{}",
            self.code.to_lowercase()
        )
    }
}

/// One file's findings.
pub struct FileReport<'a> {
    /// The path as the user gave it (or the `--stdin-filename`).
    pub path: &'a str,
    pub src: &'a [u8],
    pub diagnostics: &'a [Diagnostic],
}

/// Renders all reports in one format. `color` only affects the human format.
pub fn render(
    out: &mut dyn Write,
    format: OutputFormat,
    reports: &[FileReport<'_>],
    rules: &[RuleMeta],
    tool_version: &str,
    color: bool,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Human => human(out, reports, rules, color),
        OutputFormat::Json => {
            // One finding at a time: a run with tens of thousands of findings
            // would otherwise hold all of them as JSON trees at once.
            let mut serializer = serde_json::Serializer::pretty(&mut *out);
            serde::Serializer::collect_seq(
                &mut serializer,
                reports.iter().flat_map(|r| json_items(r, rules)),
            )?;
            writeln!(out)
        }
        OutputFormat::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif(reports, rules, tool_version))?;
            writeln!(out)
        }
        OutputFormat::Gcc => line_format(out, reports, |r, d, start, _| {
            format!(
                "{}:{}:{}: {}: {} [{}]",
                r.path,
                start.line,
                start.column,
                d.severity.as_str(),
                d.message,
                d.code
            )
        }),
        OutputFormat::Github => line_format(out, reports, |r, d, start, end| {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            format!(
                "::{level} file={},line={},endLine={},col={},endColumn={},title={}::{}",
                escape_property(r.path),
                start.line,
                end.line,
                start.column,
                end.column,
                escape_property(d.code),
                escape_data(&d.message)
            )
        }),
    }
}

fn line_format(
    out: &mut dyn Write,
    reports: &[FileReport<'_>],
    line: impl Fn(&FileReport<'_>, &Diagnostic, crate::LineCol, crate::LineCol) -> String,
) -> std::io::Result<()> {
    for report in reports {
        let index = LineIndex::new(report.src);
        for d in report.diagnostics {
            let start = index.line_col(report.src, d.span.start);
            let end = index.line_col(report.src, d.span.end);
            writeln!(out, "{}", line(report, d, start, end))?;
        }
    }
    Ok(())
}

/// GitHub workflow commands: `%`, CR and LF are escaped in data; `:` and `,` too in properties.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Text ariadne can show with byte offsets unchanged: each invalid UTF-8 byte
/// becomes one `?`, and so does each byte of a control character other than
/// LF and tab and of the Unicode line and paragraph separators (ariadne
/// would start a new line at those, and its line numbers would no longer
/// be ours).
fn displayable(src: &[u8]) -> String {
    let mut s = String::with_capacity(src.len());
    for chunk in src.utf8_chunks() {
        for c in chunk.valid().chars() {
            if (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}') {
                for _ in 0..c.len_utf8() {
                    s.push('?');
                }
            } else {
                s.push(c);
            }
        }
        for _ in chunk.invalid() {
            s.push('?');
        }
    }
    s
}

fn human(
    out: &mut dyn Write,
    reports: &[FileReport<'_>],
    rules: &[RuleMeta],
    color: bool,
) -> std::io::Result<()> {
    for report in reports {
        if report.diagnostics.is_empty() {
            continue;
        }
        let text = displayable(report.src);
        let mut cache = (report.path.to_string(), Source::from(text));
        let index = LineIndex::new(report.src);
        let repeats = repeats(report.diagnostics, &index);
        for (d, repeat) in report.diagnostics.iter().zip(&repeats) {
            let more = match repeat {
                Repeat::Of => continue,
                Repeat::First(lines) => Some(more_at(lines)),
                Repeat::Alone => None,
            };
            if let Some(long) = too_long_to_show(&index, report.src, d) {
                compact(out, report, &index, d, long, more.as_deref())?;
                continue;
            }
            let kind = match d.severity {
                Severity::Error => ReportKind::Error,
                Severity::Warning => ReportKind::Warning,
                Severity::Info => ReportKind::Custom("info", Color::Blue),
            };
            let id = report.path.to_string();
            // ariadne panics on a span that ends inside a character or
            // past the text: whatever a rule produced, show whole characters.
            let shown = |span| widen_to_chars(report.src, span).range();
            let range = shown(d.span);
            // The message is the header; the label under the source says
            // something shorter, as rustc's do (ariadne draws no underline
            // for a label without text).
            let mut labels = vec![(
                range.clone(),
                Label::new((id.clone(), range.clone()))
                    .with_message(short_label(d, rules))
                    .with_color(Color::Red),
            )];
            for (span, note) in &d.related {
                let range = shown(*span);
                labels.push((
                    range.clone(),
                    Label::new((id.clone(), range))
                        .with_message(note)
                        .with_color(Color::Cyan),
                ));
            }
            // In source order, so ariadne shows them in one snippet under
            // the header's location instead of starting a second snippet
            // (headed by the same location) for a related place above it.
            labels.sort_by_key(|(range, _)| range.start);
            let mut builder = Report::build(kind, (id.clone(), range))
                .with_config(
                    Config::default()
                        .with_index_type(IndexType::Byte)
                        .with_color(color),
                )
                .with_code(d.code)
                .with_message(&d.message)
                .with_labels(
                    labels
                        .into_iter()
                        .enumerate()
                        .map(|(order, (_, label))| label.with_order(order as i32)),
                );
            if let Some(help) = &d.help {
                builder = builder.with_help(help);
            }
            if let Some(fix) = &d.fix {
                builder = builder.with_note(format!("fix available: {}", fix.title));
            }
            if let Some(more) = more {
                builder = builder.with_note(more);
            }
            let mut buffer = Vec::new();
            builder.finish().write(&mut cache, &mut buffer)?;
            if !color {
                // ariadne colours custom report kinds (our "info") whatever the config says.
                buffer = strip_ansi(&buffer);
            }
            out.write_all(&buffer)?;
        }
    }
    Ok(())
}

/// The label under a finding's source: its message up to the first `: `
/// outside backquotes, double quotes and brackets (messages say what, then
/// why), else the rule's name.
fn short_label<'a>(d: &'a Diagnostic, rules: &'a [RuleMeta]) -> &'a str {
    let (mut backquoted, mut quoted, mut depth) = (false, false, 0usize);
    for (i, c) in d.message.char_indices() {
        match c {
            '`' if !quoted => backquoted = !backquoted,
            '"' if !backquoted => quoted = !quoted,
            '(' | '[' if !backquoted && !quoted => depth += 1,
            ')' | ']' if !backquoted && !quoted => depth = depth.saturating_sub(1),
            ':' if !backquoted && !quoted && depth == 0 && d.message[i + 1..].starts_with(' ') => {
                return &d.message[..i];
            }
            _ => {}
        }
    }
    rules
        .iter()
        .find(|r| r.code == d.code)
        .map_or("here", |r| r.name)
}

/// Where a finding stands among the findings of its file that say exactly
/// the same (code, severity, message, help, fix and related notes).
enum Repeat {
    /// Said once.
    Alone,
    /// The first of several; the 1-based lines of the others.
    First(Vec<u32>),
    /// A repeat: the human output leaves it out.
    Of,
}

/// Groups repeated findings, so that one cause spread over a file (every
/// `https://` URL of a BIOS build) is shown once, with the other lines.
fn repeats(diagnostics: &[Diagnostic], index: &LineIndex) -> Vec<Repeat> {
    type Key<'a> = (
        &'a str,
        Severity,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        Vec<&'a str>,
    );
    let mut first: std::collections::HashMap<Key<'_>, usize> = std::collections::HashMap::new();
    let mut repeats: Vec<Repeat> = Vec::with_capacity(diagnostics.len());
    for (i, d) in diagnostics.iter().enumerate() {
        let key = (
            d.code,
            d.severity,
            d.message.as_str(),
            d.help.as_deref(),
            d.fix.as_ref().map(|f| f.title.as_str()),
            d.related.iter().map(|(_, note)| note.as_str()).collect(),
        );
        let line = index.line_of(d.span.start) as u32 + 1;
        match first.get(&key) {
            Some(&at) => {
                if let Repeat::First(lines) = &mut repeats[at] {
                    lines.push(line);
                } else {
                    repeats[at] = Repeat::First(vec![line]);
                }
                repeats.push(Repeat::Of);
            }
            None => {
                first.insert(key, i);
                repeats.push(Repeat::Alone);
            }
        }
    }
    repeats
}

/// The note on the first of repeated findings: how many more, and where.
fn more_at(lines: &[u32]) -> String {
    /// More line numbers than this are summed up.
    const LISTED: usize = 10;
    let mut distinct = lines.to_vec();
    distinct.dedup();
    let mut list: Vec<String> = distinct.iter().take(LISTED).map(u32::to_string).collect();
    if distinct.len() > LISTED {
        list.push("…".into());
    }
    let (n, s) = (lines.len(), if distinct.len() == 1 { "" } else { "s" });
    format!(
        "and {n} more like this at line{s} {} (the machine-readable formats list each)",
        list.join(", ")
    )
}

/// Source lines longer than this are not printed under a finding: a
/// generated script with thousands of findings on one long line would
/// otherwise print that line once for each.
const MAX_SHOWN_LINE: usize = 2000;

/// The length of the longest line a finding would show, when it is over
/// [`MAX_SHOWN_LINE`].
fn too_long_to_show(index: &LineIndex, src: &[u8], d: &Diagnostic) -> Option<usize> {
    let spans = std::iter::once(d.span).chain(d.related.iter().map(|(span, _)| *span));
    spans
        .flat_map(|span| [span.start, span.end])
        .map(|offset| {
            let line = index.line_of(offset);
            let start = index.line_start(line) as usize;
            let end = if line + 1 < index.line_count() {
                index.line_start(line + 1) as usize
            } else {
                src.len()
            };
            end - start
        })
        .max()
        .filter(|&len| len > MAX_SHOWN_LINE)
}

/// A finding without its source lines: kind, code and message, then where
/// it and its related places are, and its help.
fn compact(
    out: &mut dyn Write,
    report: &FileReport<'_>,
    index: &LineIndex,
    d: &Diagnostic,
    long: usize,
    more: Option<&str>,
) -> std::io::Result<()> {
    let at = |offset: u32| {
        let p = index.line_col(report.src, offset);
        format!("{}:{}:{}", report.path, p.line, p.column)
    };
    // The same header and frame as ariadne's reports.
    let kind = match d.severity {
        Severity::Error => "Error",
        Severity::Warning => "Warning",
        Severity::Info => "info",
    };
    writeln!(out, "[{}] {kind}: {}", d.code, d.message)?;
    writeln!(out, "   ╭─[ {} ]", at(d.span.start))?;
    for (span, note) in &d.related {
        writeln!(out, "   │ {}: {note}", at(span.start))?;
    }
    if let Some(help) = &d.help {
        writeln!(out, "   │ Help: {help}")?;
    }
    if let Some(fix) = &d.fix {
        writeln!(out, "   │ Note: fix available: {}", fix.title)?;
    }
    if let Some(more) = more {
        writeln!(out, "   │ Note: {more}")?;
    }
    writeln!(
        out,
        "   │ Note: the source line ({long} bytes) is too long to show\n───╯"
    )
}

/// Removes ANSI escape sequences (`ESC [ … letter`).
fn strip_ansi(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            i += 2;
            while i < bytes.len() && !bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            i += 1;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn json_items<'a>(
    report: &'a FileReport<'a>,
    rules: &'a [RuleMeta],
) -> impl Iterator<Item = Value> + 'a {
    let index = LineIndex::new(report.src);
    report.diagnostics.iter().map(move |d| {
        let start = index.line_col(report.src, d.span.start);
        let end = index.line_col(report.src, d.span.end);
        let mut item = json!({
            "code": d.code,
            "name": rule_name(rules, d.code),
            "severity": d.severity,
            "message": d.message,
            "file": report.path,
            "line": start.line,
            "column": start.column,
            "end_line": end.line,
            "end_column": end.column,
        });
        if let Some(help) = &d.help {
            item["help"] = json!(help);
        }
        if !d.related.is_empty() {
            item["related"] = d
                .related
                .iter()
                .map(|(span, note)| {
                    let s = index.line_col(report.src, span.start);
                    let t = index.line_col(report.src, span.end);
                    json!({
                        "message": note,
                        "line": s.line,
                        "column": s.column,
                        "end_line": t.line,
                        "end_column": t.column,
                    })
                })
                .collect();
        }
        if let Some(fix) = &d.fix {
            item["fix"] = json!({
                "title": fix.title,
                "applicability": fix.applicability,
                "edits": fix.edits.iter().map(|e| {
                    let s = index.line_col(report.src, e.span.start);
                    let t = index.line_col(report.src, e.span.end);
                    json!({
                        "start": {"line": s.line, "column": s.column, "offset": e.span.start},
                        "end": {"line": t.line, "column": t.column, "offset": e.span.end},
                        "content": String::from_utf8_lossy(&e.content),
                    })
                }).collect::<Vec<_>>(),
            });
        }
        item
    })
}

/// The rule's name (`undefined-label`), or null for a code the run does not know.
fn rule_name(rules: &[RuleMeta], code: &str) -> Value {
    rules
        .iter()
        .find(|r| r.code == code)
        .map_or(Value::Null, |r| json!(r.name))
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Relative paths as URI references (forward slashes, spaces and `%` encoded).
fn uri_reference(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    path.replace('%', "%25").replace(' ', "%20")
}

fn sarif(reports: &[FileReport<'_>], rules: &[RuleMeta], version: &str) -> Value {
    let rule_objects: Vec<Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.doc, "markdown": r.doc},
                "helpUri": r.url(),
                "defaultConfiguration": {"level": sarif_level(r.severity)},
            })
        })
        .collect();
    let mut results = Vec::new();
    for report in reports {
        let index = LineIndex::new(report.src);
        for d in report.diagnostics {
            let start = index.line_col(report.src, d.span.start);
            let end = index.line_col(report.src, d.span.end);
            let mut result = json!({
                "ruleId": d.code,
                "level": sarif_level(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri_reference(report.path)},
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column,
                        }
                    }
                }],
            });
            if let Some(i) = rules.iter().position(|r| r.code == d.code) {
                result["ruleIndex"] = json!(i);
            }
            if !d.related.is_empty() {
                result["relatedLocations"] = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, (span, note))| {
                        let s = index.line_col(report.src, span.start);
                        let t = index.line_col(report.src, span.end);
                        json!({
                            "id": id,
                            "message": {"text": note},
                            "physicalLocation": {
                                "artifactLocation": {"uri": uri_reference(report.path)},
                                "region": {
                                    "startLine": s.line,
                                    "startColumn": s.column,
                                    "endLine": t.line,
                                    "endColumn": t.column,
                                }
                            }
                        })
                    })
                    .collect();
            }
            if let Some(fix) = &d.fix {
                result["fixes"] = json!([{
                    "description": {"text": fix.title},
                    "artifactChanges": [{
                        "artifactLocation": {"uri": uri_reference(report.path)},
                        "replacements": fix.edits.iter().map(|e| {
                            let s = index.line_col(report.src, e.span.start);
                            let t = index.line_col(report.src, e.span.end);
                            json!({
                                "deletedRegion": {"startLine": s.line, "startColumn": s.column, "endLine": t.line, "endColumn": t.column},
                                "insertedContent": {"text": String::from_utf8_lossy(&e.content)},
                            })
                        }).collect::<Vec<_>>(),
                    }],
                }]);
            }
            results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ipxelint",
                "version": version,
                "informationUri": "https://github.com/ipxe-tools/ipxe-tools",
                "rules": rule_objects,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Span;

    #[test]
    fn labels_stop_at_the_first_colon_outside_quotes_and_brackets() {
        let label = |message: &str| {
            let d = Diagnostic::new("IPX999", Severity::Warning, Span::new(0, 1), message);
            short_label(&d, &[]).to_string()
        };
        assert_eq!(label("`goto` fails: no label `x`"), "`goto` fails");
        assert_eq!(label("`a: b` is odd: because"), "`a: b` is odd");
        assert_eq!(
            label("unknown option `x` (dnsmasq refuses to start: \"bad option\")"),
            "here"
        );
        assert_eq!(
            label("the file \"a: b\" is missing: see"),
            "the file \"a: b\" is missing"
        );
    }

    fn human_text(src: &[u8], span: Span) -> String {
        let d = Diagnostic::new("IPX999", Severity::Warning, span, "something".to_string());
        let report = FileReport {
            path: "x.ipxe",
            src,
            diagnostics: std::slice::from_ref(&d),
        };
        let mut out = Vec::new();
        render(&mut out, OutputFormat::Human, &[report], &[], "0", false).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn every_format(src: &[u8], diagnostics: &[Diagnostic]) -> Vec<String> {
        let report = FileReport {
            path: "x.ipxe",
            src,
            diagnostics,
        };
        EVERY_FORMAT
            .iter()
            .map(|&(format, color)| {
                let mut out = Vec::new();
                render(
                    &mut out,
                    format,
                    std::slice::from_ref(&report),
                    &[],
                    "0",
                    color,
                )
                .unwrap();
                String::from_utf8(out).unwrap()
            })
            .collect()
    }

    #[test]
    fn spans_inside_characters_and_past_the_end_render() {
        let src = ["#!ipxe\necho -é\u{2028}x\n".as_bytes(), b"\xff"].concat();
        let mut d = Diagnostic::new("IPX999", Severity::Info, Span::new(13, 14), "inside é");
        d.add_related(Span::new(16, 40), "past the end");
        d.add_related(Span::new(30, 20), "reversed");
        d.set_fix(
            "f",
            crate::Applicability::Safe,
            vec![crate::Edit::delete(Span::new(17, 99))],
        );
        let outputs = every_format(&src, &[d]);
        assert!(outputs[0].contains("echo -é"), "{}", outputs[0]);
        // The line separator does not start a line of its own in ariadne:
        // line 2 is shown whole, with one `?` per byte of the separator.
        assert!(outputs[0].contains("x.ipxe:2:7"), "{}", outputs[0]);
        assert!(
            outputs[0].contains(" 2 │ ╭─▶ echo -é???x"),
            "{}",
            outputs[0]
        );
        for out in &outputs[2..] {
            assert!(out.contains("IPX999"), "{out}");
        }
    }

    proptest::proptest! {
        /// Whatever the spans, no format panics.
        #[test]
        fn any_spans_render(
            src in proptest::collection::vec(proptest::sample::select(b"a -\n\r\t\xc3\xa9\xe2\x80\xa8\xf0\x9f\x98\x80\xff\x0b".to_vec()), 0..40),
            spans in proptest::collection::vec((0u32..50, 0u32..50), 1..5),
        ) {
            let mut d = Diagnostic::new("IPX999", Severity::Warning, Span::new(spans[0].0, spans[0].1), "m");
            for &(start, end) in &spans[1..] {
                d.add_related(Span::new(start, end), "r");
            }
            d.set_fix("f", crate::Applicability::Safe, vec![crate::Edit::replace(Span::new(spans[0].1, spans[0].0), "x")]);
            let outputs = every_format(&src, &[d.clone(), d]);
            for out in &outputs {
                proptest::prop_assert!(out.contains("IPX999"), "{}", out);
            }
        }
    }

    fn rule() -> RuleMeta {
        RuleMeta {
            code: "IPX999",
            name: "some-rule",
            summary: "s",
            severity: Severity::Warning,
            doc: "d",
        }
    }

    fn rendered(format: OutputFormat, src: &[u8], diagnostics: &[Diagnostic]) -> String {
        let report = FileReport {
            path: "x.ipxe",
            src,
            diagnostics,
        };
        let mut out = Vec::new();
        render(&mut out, format, &[report], &[rule()], "0", false).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn machine_formats_carry_the_rule_name_and_related_places() {
        let src = b"#!ipxe\n:a\ngoto a\n";
        let d = Diagnostic::new("IPX999", Severity::Warning, Span::new(15, 16), "what: why")
            .with_related(Span::new(8, 9), "defined here");
        let json: Value =
            serde_json::from_str(&rendered(OutputFormat::Json, src, &[d.clone()])).unwrap();
        assert_eq!(json[0]["name"], "some-rule");
        assert_eq!(
            json[0]["related"],
            json!([{"message": "defined here", "line": 2, "column": 2, "end_line": 2, "end_column": 3}])
        );
        let sarif: Value =
            serde_json::from_str(&rendered(OutputFormat::Sarif, src, &[d.clone()])).unwrap();
        let related = &sarif["runs"][0]["results"][0]["relatedLocations"][0];
        assert_eq!(related["message"]["text"], "defined here");
        assert_eq!(related["physicalLocation"]["region"]["startLine"], 2);
        assert_eq!(related["physicalLocation"]["region"]["startColumn"], 2);
        assert_eq!(
            related["physicalLocation"]["artifactLocation"]["uri"],
            "x.ipxe"
        );
        // The human output says the message once, and a shorter label.
        let human = rendered(OutputFormat::Human, src, &[d]);
        assert_eq!(human.matches("what: why").count(), 1, "{human}");
        assert!(
            human.contains("╰── what\n") || human.contains("── what"),
            "{human}"
        );
    }

    #[test]
    fn repeated_findings_are_shown_once_in_the_human_output_only() {
        let src = b"#!ipxe\nkernel https://a\ninitrd https://b\nchain https://c\necho x\n";
        let at = |start| {
            Diagnostic::new(
                "IPX999",
                Severity::Info,
                Span::new(start, start + 5),
                "no https: enable it",
            )
        };
        let other = Diagnostic::new(
            "IPX999",
            Severity::Info,
            Span::new(58, 62),
            "something else",
        );
        let all = [at(14), at(31), at(48), other];
        let human = rendered(OutputFormat::Human, src, &all);
        assert_eq!(human.matches("[IPX999]").count(), 2, "{human}");
        assert!(
            human.contains("and 2 more like this at lines 3, 4"),
            "{human}"
        );
        assert!(human.contains("something else"), "{human}");
        for format in [OutputFormat::Gcc, OutputFormat::Github] {
            assert_eq!(rendered(format, src, &all).lines().count(), 4, "{format:?}");
        }
        let json: Value = serde_json::from_str(&rendered(OutputFormat::Json, src, &all)).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 4);
    }

    #[test]
    fn long_lines_are_not_shown() {
        let long = format!("#!ipxe\necho {}\n", "word ".repeat(1000));
        let text = human_text(long.as_bytes(), Span::new(12, 16));
        assert!(text.contains("[IPX999] Warning: something"), "{text}");
        assert!(text.contains("x.ipxe:2:6"), "{text}");
        assert!(text.contains("too long to show"), "{text}");
        assert!(!text.contains("word word"), "the line was printed");

        let short = "#!ipxe\necho word word\n";
        let text = human_text(short.as_bytes(), Span::new(12, 16));
        assert!(text.contains("echo word word"), "{text}");
        assert!(!text.contains("too long"), "{text}");
    }
}
