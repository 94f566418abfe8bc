//! ## What it does
//! Reports a setting type that iPXE does not have, in an expansion
//! (`${ip:ip4}`) or in a setting name given to a command (`set x:strnig …`).
//!
//! ## Why is this bad?
//! In an expansion, an unknown type makes the whole `${…}` expand to
//! nothing, silently. In a setting name, the command fails with
//! `"x:strnig": invalid setting`, which aborts the script unless the line
//! ends in `||`. The types are `string`, `uristring`, `ipv4`, `ipv6`,
//! `int8`/`int16`/`int32`, `uint8`/`uint16`/`uint32`, `hex`, `hexhyp`,
//! `hexraw`, `base64`, `uuid`, `guid`, `busdevfn` and `dnssl`.
//!
//! ## Example
//! ```ipxe
//! echo My address is ${net0/ip:ip4}
//! set attempts:integer 0
//! ```
//!
//! Use instead:
//! ```ipxe
//! echo My address is ${net0/ip:ipv4}
//! set attempts:int32 0
//! ```
//!
//! ## References
//! `parse_setting_name` and `find_setting_type` in `src/core/settings.c`.

use ipxe_syntax::split_setting_name;

use crate::prelude::*;
use crate::util::suggest;

pub(crate) const RULE: Rule = Rule {
    code: "IPX402",
    name: "unknown-setting-type",
    summary: "a `:type` that iPXE does not have: the expansion is empty or the command fails",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    check: Check::Line(check),
};

fn report(sink: &mut Sink, word: &Word, ty: std::ops::Range<u32>, text: &[u8], message: String) {
    let catalog = Catalog::get();
    let span = word.source_span(ty.clone());
    let ty = show(&text[ty.start as usize..ty.end as usize]);
    let d = sink.report(&RULE, span, message);
    match suggest(&ty, catalog.setting_types.iter().map(|t| t.name.as_str())) {
        Some(close) => {
            d.set_help(format!("did you mean `{close}`?"));
            d.set_fix(
                format!("use `{close}`"),
                Applicability::Unsafe,
                vec![Edit::replace(span, close)],
            );
        }
        None => {
            d.set_help("the types are string, uristring, ipv4, ipv6, int8/16/32, uint8/16/32, hex, hexhyp, hexraw, base64, uuid, guid, busdevfn and dnssl");
        }
    }
}

fn known(ty: &[u8]) -> bool {
    std::str::from_utf8(ty)
        .ok()
        .and_then(|t| Catalog::get().setting_type(t))
        .is_some()
}

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    // A type follows a `:`; most lines have none.
    if !cx.bytes.has(b':') {
        return;
    }
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        for word in &command.words {
            let text = word.text(cx.src);
            for r in &word.refs {
                let Some(parts) = &r.parts else { continue };
                let Some(ty) = parts.ty.clone() else { continue };
                if known(&text[ty.start as usize..ty.end as usize]) {
                    continue;
                }
                let whole = show(&text[r.range.start as usize..r.range.end as usize]);
                let t = show(&text[ty.start as usize..ty.end as usize]);
                report(
                    sink,
                    word,
                    ty,
                    text,
                    format!("iPXE has no setting type `{t}`, so `{whole}` expands to nothing"),
                );
            }
        }
        // Setting names given to commands: `set x:type`, `read x:type`, …
        let Some(spec) = bound.spec.filter(|_| bound.problem.is_none()) else {
            continue;
        };
        for word in bound.setting_name_words(command) {
            let Some(text) = word_literal(word, cx.src) else {
                continue;
            };
            let Some(ty) = split_setting_name(text).ty else {
                continue;
            };
            if known(&text[ty.start as usize..ty.end as usize]) {
                continue;
            }
            let t = show(&text[ty.start as usize..ty.end as usize]);
            report(
                sink,
                word,
                ty,
                text,
                format!(
                    "iPXE has no setting type `{t}`: `{}` fails with `\"{}\": invalid setting` and the script aborts",
                    spec.name,
                    show(text)
                ),
            );
        }
    }
}
