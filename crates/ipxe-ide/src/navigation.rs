//! Go to definition, find references, document highlight and rename, for
//! labels and settings.

use ipxe_catalog::Catalog;
use ipxe_diagnostics::{Edit, Span};

use crate::Analysis;
use crate::index::{Occurrence, Role, SymbolKind};

/// Where the symbol under the cursor is defined: the `:label` lines (the
/// first one is the one `goto` uses), or the commands that set the setting.
pub fn goto_definition(a: &Analysis, offset: u32) -> Vec<Span> {
    let Some(o) = a.index.at(offset) else {
        return Vec::new();
    };
    a.index
        .all(o.kind, &o.name)
        .filter(|d| d.role == Role::Def)
        .map(|d| d.span)
        .collect()
}

/// Every naming of the symbol under the cursor.
pub fn references(a: &Analysis, offset: u32, include_declaration: bool) -> Vec<Span> {
    let Some(o) = a.index.at(offset) else {
        return Vec::new();
    };
    a.index
        .all(o.kind, &o.name)
        .filter(|r| include_declaration || r.role == Role::Ref)
        .map(|r| r.span)
        .collect()
}

/// The occurrences to highlight, with whether each is a write/definition.
pub fn highlights(a: &Analysis, offset: u32) -> Vec<(Span, bool)> {
    let Some(o) = a.index.at(offset) else {
        return Vec::new();
    };
    a.index
        .all(o.kind, &o.name)
        .map(|r| (r.span, r.role == Role::Def))
        .collect()
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenameError {
    #[error("nothing to rename here: put the cursor on a label or a setting name")]
    NothingHere,
    #[error("`{0}` is a setting iPXE defines; renaming it would change what it means")]
    BuiltinSetting(String),
    #[error("invalid name `{name}`: {why}")]
    InvalidName { name: String, why: &'static str },
    #[error(
        "menu item `{item}` reaches this label through `goto {prefix}${{…}}{suffix}`; the new name must keep that prefix and suffix"
    )]
    Template {
        item: String,
        prefix: String,
        suffix: String,
    },
}

/// The span to rename and the current name, or why it can't be renamed.
pub fn prepare_rename(a: &Analysis, offset: u32) -> Result<(Span, String), RenameError> {
    let o = a.index.at(offset).ok_or(RenameError::NothingHere)?;
    check_renamable(o)?;
    Ok((
        o.span,
        String::from_utf8_lossy(o.span.slice(&a.src)).into_owned(),
    ))
}

fn check_renamable(o: &Occurrence) -> Result<(), RenameError> {
    if o.kind == SymbolKind::Setting {
        let name = String::from_utf8_lossy(&o.name).into_owned();
        if Catalog::get().setting(&name).is_some() {
            return Err(RenameError::BuiltinSetting(name));
        }
    }
    Ok(())
}

fn validate(kind: SymbolKind, new_name: &str) -> Result<(), RenameError> {
    let bad = |why| {
        Err(RenameError::InvalidName {
            name: new_name.to_string(),
            why,
        })
    };
    if new_name.is_empty() {
        return bad("names can't be empty here");
    }
    if new_name
        .bytes()
        .any(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c' | 0))
    {
        return bad("iPXE splits words on whitespace");
    }
    if new_name.starts_with('#') {
        return bad("a word starting with `#` starts a comment");
    }
    if new_name.starts_with('-') {
        return bad("a word starting with `-` is read as an option");
    }
    if matches!(new_name, "||" | "&&" | ";") {
        return bad("that is an operator");
    }
    if new_name.contains("${") || new_name.ends_with('\\') {
        return bad("it would be expanded or continue the line");
    }
    if kind == SymbolKind::Setting && new_name.contains(['/', ':', '{', '}', '$', '=']) {
        return bad("setting names can't contain `/ : { } $ =`");
    }
    Ok(())
}

/// The edits that rename the symbol under the cursor everywhere in the file.
pub fn rename(a: &Analysis, offset: u32, new_name: &str) -> Result<Vec<Edit>, RenameError> {
    let o = a.index.at(offset).ok_or(RenameError::NothingHere)?;
    check_renamable(o)?;
    validate(o.kind, new_name)?;
    let mut edits = Vec::new();
    for r in a.index.all(o.kind, &o.name) {
        let text = match &r.via_item {
            Some((prefix, suffix)) => {
                let stripped = new_name
                    .as_bytes()
                    .strip_prefix(prefix.as_slice())
                    .and_then(|s| s.strip_suffix(suffix.as_slice()))
                    .filter(|s| !s.is_empty() && !s.starts_with(b"-"));
                match stripped {
                    Some(s) => s.to_vec(),
                    None => {
                        return Err(RenameError::Template {
                            item: String::from_utf8_lossy(r.span.slice(&a.src)).into_owned(),
                            prefix: String::from_utf8_lossy(prefix).into_owned(),
                            suffix: String::from_utf8_lossy(suffix).into_owned(),
                        });
                    }
                }
            }
            None => new_name.as_bytes().to_vec(),
        };
        let edit = Edit::replace(r.span, text);
        if !edits.contains(&edit) {
            edits.push(edit);
        }
    }
    Ok(edits)
}
