//! ## What it does
//! Reports `iseq` comparing a setting of an unsigned type (`uint8`,
//! `uint16`, `uint32`) with a decimal number.
//!
//! ## Why is this bad?
//! iPXE prints unsigned settings in hexadecimal with a `0x` prefix:
//! `set n:uint8 5` then `${n}` is `0x5`, and `0` is `0x0`. `iseq ${n} 5`
//! compares text, so it is never true. The same holds for the built-in
//! unsigned settings `${errno}`, `${unixtime}`, `${busloc}`, `${san-drive}`,
//! `${uid}` and `${gid}`. Only settings whose type the script shows (a
//! typed `set`, a `:type` in the expansion, or a built-in) are checked.
//!
//! ## Example
//! ```ipxe
//! set tries:uint8 0
//! :retry
//! inc tries
//! iseq ${tries} 5 || goto retry
//! ```
//!
//! Use instead: a signed type (`set tries:int8 0`, printed in decimal), or
//! compare with `${tries:int32}`.
//!
//! ## References
//! `format_uint_setting` and `format_int_setting` in `src/core/settings.c`;
//! `iseq_exec` in `src/core/exec.c`.

use rustc_hash::FxHashMap;

use ipxe_semantics::{FileModel, WriteKind};
use ipxe_syntax::{scan_refs, split_setting_name};

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX406",
    name: "unsigned-setting-compared-as-decimal",
    summary: "`iseq` of an unsigned setting (printed as `0x…`) with a decimal number",
    severity: Severity::Warning,
    fix: FixAvailability::None,
    check: Check::File(check),
};

fn unsigned(ty: &[u8]) -> bool {
    matches!(ty, b"uint8" | b"uint16" | b"uint32")
}

/// The type `${name}` is printed with, when the script shows it.
fn printed_type(
    cx: &FileCx<'_>,
    model: &FileModel,
    name: &[u8],
    explicit: Option<&[u8]>,
) -> Option<Vec<u8>> {
    if let Some(ty) = explicit {
        return Some(ty.to_vec());
    }
    if let Some(s) = std::str::from_utf8(name)
        .ok()
        .and_then(|n| Catalog::get().setting(n))
    {
        return Some(s.ty.as_bytes().to_vec());
    }
    let write = model.writes.get(&model.names.get(name)?)?;
    // Every typed `set` of this name must agree, and nothing else may store it.
    let mut ty: Option<Vec<u8>> = None;
    for (kind, span) in &write.kinds {
        match kind {
            WriteKind::SetTyped => {
                let text = span.slice(cx.src);
                let parts = split_setting_name(text);
                let range = parts.ty?;
                let t = text[range.start as usize..range.end as usize].to_vec();
                if ty.as_ref().is_some_and(|prev| *prev != t) {
                    return None;
                }
                ty = Some(t);
            }
            WriteKind::Inc | WriteKind::Clear => {}
            _ => return None,
        }
    }
    ty
}

fn decimal(text: &[u8]) -> bool {
    !text.is_empty() && text.iter().all(u8::is_ascii_digit)
}

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    let mut types: FxHashMap<(Vec<u8>, Option<Vec<u8>>), Option<Vec<u8>>> = FxHashMap::default();
    for call in model.calls_named(&["iseq"]) {
        let [a, b] = model.args_of(call) else { continue };
        for (value, number) in [(a, b), (b, a)] {
            let number_text = number.slice(cx.src);
            if !decimal(number_text) {
                continue;
            }
            let text = value.slice(cx.src);
            let scan = scan_refs(text);
            let [r] = scan.refs.as_slice() else { continue };
            if r.range != (0..text.len() as u32) {
                continue;
            }
            let (Some(name), ty) = (r.name(text), r.ty(text)) else {
                continue;
            };
            let key = (name.to_vec(), ty.map(<[u8]>::to_vec));
            let printed = types
                .entry(key)
                .or_insert_with(|| printed_type(cx, model, name, ty));
            let Some(printed) = printed.clone() else {
                continue;
            };
            if !unsigned(&printed) {
                continue;
            }
            let n: u64 = show(number_text).parse().unwrap_or(0);
            let shown = show(text);
            sink.report(
                &RULE,
                *value,
                format!(
                    "`{shown}` is a `{}` and prints in hex (`{n:#x}`), so comparing it with `{}` is never true",
                    show(&printed),
                    show(number_text)
                ),
            )
            .set_help(format!(
                "compare with `{n:#x}`, or print it in decimal: `${{{}:int32}}`",
                show(name)
            ));
        }
    }
}
