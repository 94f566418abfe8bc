//! `textDocument/publishDiagnostics`, sent after every lint of a document.
//!
//! A big document can have thousands of findings, and each keystroke
//! publishes all of them again, although nearly all are unchanged. Each
//! finding's JSON is therefore kept, keyed by its rule, its place and a hash of
//! its texts, and reused
//! when the next publish has the same finding at the same place.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};
use std::str::FromStr;

use ipxe_ide::{Diagnostic, Severity};
use lsp_types as lt;
use rustc_hash::{FxBuildHasher, FxHashMap};

use crate::convert::PosIndex;

/// What the client said it shows of a diagnostic (`initialize`'s
/// `capabilities.textDocument.publishDiagnostics`). Both are off unless the
/// client says so, as the protocol has it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientSupport {
    /// `relatedInformation`: otherwise related notes are written into the message.
    pub related_information: bool,
    /// `codeDescriptionSupport`: the link to the rule's documentation.
    pub code_description: bool,
}

impl ClientSupport {
    pub fn from_initialize(params: &serde_json::Value) -> ClientSupport {
        let publish = &params["capabilities"]["textDocument"]["publishDiagnostics"];
        ClientSupport {
            related_information: publish["relatedInformation"] == true,
            code_description: publish["codeDescriptionSupport"] == true,
        }
    }
}

/// The serialized findings of the last publish of a document.
#[derive(Default)]
pub struct PublishCache {
    fragments: FxHashMap<FragmentKey, Vec<u8>>,
}

/// What a finding's JSON shows: its code and range exactly, its texts (and
/// the ranges of its related notes) through a hash. Two findings of the same
/// rule at the same place whose texts differ but hash alike would share
/// JSON; with 64 bits that does not happen in practice.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct FragmentKey {
    code: &'static str,
    severity: u8,
    range: [u32; 4],
    texts: u64,
}

impl PublishCache {
    /// The whole notification for `diagnostics`, reusing the JSON of the
    /// findings that the last one had too.
    pub fn body(
        &mut self,
        client: ClientSupport,
        uri: &str,
        version: i32,
        text: &str,
        index: &PosIndex,
        diagnostics: &[Diagnostic],
    ) -> Vec<u8> {
        let uri_value = lt::Uri::from_str(uri).ok();
        let mut body = Vec::with_capacity(
            64 + uri.len() + self.fragments.values().map(|f| f.len() + 1).sum::<usize>(),
        );
        body.extend_from_slice(
            b"{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":",
        );
        serde_json::to_writer(&mut body, uri).expect("a string serializes");
        body.extend_from_slice(format!(",\"version\":{version},\"diagnostics\":[").as_bytes());
        let mut fragments = FxHashMap::default();
        fragments.reserve(diagnostics.len());
        let range =
            |span: ipxe_ide::Span| index.range(text, span.start as usize, span.end as usize);
        for (i, d) in diagnostics.iter().enumerate() {
            let key = fragment_key(d, range(d.span), d.related.iter().map(|(s, _)| range(*s)));
            let fragment = self.fragments.remove(&key).unwrap_or_else(|| {
                serde_json::to_vec(&to_lsp_diagnostic(
                    client,
                    uri_value.as_ref(),
                    text,
                    index,
                    d,
                ))
                .expect("a diagnostic serializes")
            });
            if i > 0 {
                body.push(b',');
            }
            body.extend_from_slice(&fragment);
            fragments.insert(key, fragment);
        }
        body.extend_from_slice(b"]}}");
        self.fragments = fragments;
        body
    }
}

fn fragment_key(
    d: &Diagnostic,
    range: lt::Range,
    related: impl Iterator<Item = lt::Range>,
) -> FragmentKey {
    let mut texts = FxBuildHasher.build_hasher();
    d.message.hash(&mut texts);
    d.help.hash(&mut texts);
    for ((_, note), r) in d.related.iter().zip(related) {
        note.hash(&mut texts);
        flat(r).hash(&mut texts);
    }
    FragmentKey {
        code: d.code,
        severity: d.severity as u8,
        range: flat(range),
        texts: texts.finish(),
    }
}

fn flat(r: lt::Range) -> [u32; 4] {
    [r.start.line, r.start.character, r.end.line, r.end.character]
}

pub fn to_lsp_diagnostic(
    client: ClientSupport,
    uri_value: Option<&lt::Uri>,
    text: &str,
    index: &PosIndex,
    d: &Diagnostic,
) -> lt::Diagnostic {
    let range = index.range(text, d.span.start as usize, d.span.end as usize);
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    // A client that cannot show related places still gets them, in words.
    if !client.related_information {
        for (span, note) in &d.related {
            let at = index
                .range(text, span.start as usize, span.end as usize)
                .start;
            message.push_str(&format!("\nline {}: {note}", at.line + 1));
        }
    }
    lt::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => lt::DiagnosticSeverity::ERROR,
            Severity::Warning => lt::DiagnosticSeverity::WARNING,
            Severity::Info => lt::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lt::NumberOrString::String(d.code.to_string())),
        code_description: rule_href(d.code)
            .filter(|_| client.code_description)
            .map(|href| lt::CodeDescription { href }),
        source: Some("ipxelint".into()),
        message,
        related_information: uri_value.filter(|_| client.related_information).map(|u| {
            d.related
                .iter()
                .map(|(span, note)| lt::DiagnosticRelatedInformation {
                    location: lt::Location {
                        uri: u.clone(),
                        range: index.range(text, span.start as usize, span.end as usize),
                    },
                    message: note.clone(),
                })
                .collect()
        }),
        tags: None,
        data: None,
    }
}

/// The docs link of a rule, parsed once per code.
fn rule_href(code: &str) -> Option<lt::Uri> {
    thread_local! {
        static CACHE: std::cell::RefCell<HashMap<String, Option<lt::Uri>>> = Default::default();
    }
    CACHE.with(|c| {
        c.borrow_mut()
            .entry(code.to_string())
            .or_insert_with(|| ipxe_ide::rule_url(code).and_then(|h| lt::Uri::from_str(&h).ok()))
            .clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ipxe_ide::Span;

    fn finding(code: &'static str, start: u32, end: u32, message: &str) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, Span::new(start, end), message)
    }

    const ALL: ClientSupport = ClientSupport {
        related_information: true,
        code_description: true,
    };

    /// A client that did not say it shows related places or rule links gets
    /// neither field, and the related notes in the message.
    #[test]
    fn unsupported_fields_are_left_out() {
        let text = "#!ipxe\necho a\necho b\n";
        let index = PosIndex::new(text);
        let mut d = finding("IPX201", 14, 18, "two");
        d.add_related(Span::new(7, 11), "see here");
        let uri = lt::Uri::from_str("file:///t.ipxe").ok();
        let plain = to_lsp_diagnostic(ClientSupport::default(), uri.as_ref(), text, &index, &d);
        assert_eq!(plain.related_information, None);
        assert_eq!(plain.code_description, None);
        assert!(
            plain.message.ends_with("\nline 2: see here"),
            "{}",
            plain.message
        );
        let full = to_lsp_diagnostic(ALL, uri.as_ref(), text, &index, &d);
        assert_eq!(full.related_information.map(|r| r.len()), Some(1));
        assert!(full.code_description.is_some());
        assert!(!full.message.contains("see here"));
        let asked = ClientSupport::from_initialize(&serde_json::json!({"capabilities": {
            "textDocument": {"publishDiagnostics": {"relatedInformation": true}}}}));
        assert_eq!(
            asked,
            ClientSupport {
                related_information: true,
                code_description: false
            }
        );
    }

    /// A reused fragment gives exactly what serializing afresh gives.
    #[test]
    fn reused_fragments_equal_fresh_ones() {
        let uri = "file:///t.ipxe";
        let text = "#!ipxe\necho a\necho b\n";
        let index = PosIndex::new(text);
        let mut first = vec![
            finding("IPX101", 7, 11, "one"),
            finding("IPX102", 14, 18, "two"),
        ];
        first[1].add_related(Span::new(7, 11), "see here");
        let mut cache = PublishCache::default();
        let fresh = cache.body(ALL, uri, 1, text, &index, &first);
        assert_eq!(cache.fragments.len(), 2);
        let json: serde_json::Value = serde_json::from_slice(&fresh).unwrap();
        assert_eq!(json["params"]["diagnostics"].as_array().unwrap().len(), 2);
        assert_eq!(json["params"]["version"], 1);
        // Same findings: same bytes (apart from the version), all reused.
        let again = cache.body(ALL, uri, 2, text, &index, &first);
        assert_eq!(
            String::from_utf8(again)
                .unwrap()
                .replace("\"version\":2", "\"version\":1"),
            String::from_utf8(fresh).unwrap()
        );
        // A finding that moved, or whose related note moved, is serialized again.
        let text2 = "#!ipxe\n\necho a\necho b\n";
        let index2 = PosIndex::new(text2);
        let mut moved = first.clone();
        for d in &mut moved {
            d.shift(1);
        }
        let reused = cache.body(ALL, uri, 3, text2, &index2, &moved);
        let fresh = PublishCache::default().body(ALL, uri, 3, text2, &index2, &moved);
        assert_eq!(reused, fresh);
        let json: serde_json::Value = serde_json::from_slice(&reused).unwrap();
        assert_eq!(
            json["params"]["diagnostics"][0]["range"]["start"]["line"],
            2
        );
        assert_eq!(
            json["params"]["diagnostics"][1]["relatedInformation"][0]["location"]["range"]["start"]
                ["line"],
            2
        );
    }
}
