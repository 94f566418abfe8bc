//! One line of a dnsmasq configuration, read as dnsmasq's `read_file`
//! (src/option.c) reads it: quotes are removed and hide the characters inside
//! them (a quoted comma does not split), `\" \t \n \e \b \r \\` are escapes
//! inside quotes only, a `#` starts a comment only at the start of the line
//! or after whitespace, and spaces around `=` and `,` are dropped.

use crate::source::{Field, FileId, Loc};

/// A line split into its option name and comma-separated fields.
#[derive(Debug)]
pub(crate) struct LexedLine {
    pub name: Field,
    /// `None` when the line has no `=` (a flag such as `enable-tftp`).
    pub args: Option<Vec<Field>>,
    /// The whole directive, without comment and surrounding spaces.
    pub loc: Loc,
    pub unclosed_quote: Option<Loc>,
}

/// One character after quote processing: its byte, where it came from, and
/// whether a quote hides it from the splitting rules.
#[derive(Clone, Copy)]
struct Char {
    byte: u8,
    at: u32,
    quoted: bool,
}

pub(crate) struct LineCx {
    pub file: FileId,
    /// Offset of the line in its file.
    pub offset: u32,
    pub line: u32,
}

impl LineCx {
    fn loc(&self, start: u32, end: u32) -> Loc {
        Loc {
            file: self.file,
            start: self.offset + start,
            end: self.offset + end,
            line: self.line,
            col: start + 1,
        }
    }
}

/// Reads one line (without its line break). `None` for blank and comment lines.
pub(crate) fn lex_line(raw: &[u8], cx: &LineCx) -> Option<LexedLine> {
    let mut chars: Vec<Char> = Vec::with_capacity(raw.len());
    let mut unclosed_quote = None;
    let mut i = 0;
    let mut white = true;
    while i < raw.len() {
        let b = raw[i];
        if b == b'"' {
            let open = i;
            i += 1;
            let mut closed = false;
            while i < raw.len() {
                let c = raw[i];
                if c == b'"' {
                    closed = true;
                    break;
                }
                if c == b'\\' && i + 1 < raw.len() && b"\"tnebr\\".contains(&raw[i + 1]) {
                    let byte = match raw[i + 1] {
                        b't' => b'\t',
                        b'n' => b'\n',
                        b'b' => 0x08,
                        b'r' => b'\r',
                        b'e' => 0x1b,
                        other => other,
                    };
                    chars.push(Char {
                        byte,
                        at: i as u32,
                        quoted: true,
                    });
                    i += 2;
                    continue;
                }
                chars.push(Char {
                    byte: c,
                    at: i as u32,
                    quoted: true,
                });
                i += 1;
            }
            if !closed {
                unclosed_quote = Some(cx.loc(open as u32, raw.len() as u32));
                break;
            }
            i += 1;
            white = false;
            continue;
        }
        if b.is_ascii_whitespace() || b == 0x0b {
            white = true;
            chars.push(Char {
                byte: b' ',
                at: i as u32,
                quoted: false,
            });
        } else {
            if white && b == b'#' {
                break;
            }
            white = false;
            chars.push(Char {
                byte: b,
                at: i as u32,
                quoted: false,
            });
        }
        i += 1;
    }
    let is_space = |c: &Char| c.byte == b' ' && !c.quoted;
    let first = chars.iter().position(|c| !is_space(c))?;
    let last = chars.iter().rposition(|c| !is_space(c))?;
    let chars = &chars[first..=last];
    let end_of = |c: &Char| {
        // A quoted character ends after its closing quote when it is the last one.
        let mut end = c.at + 1;
        if c.quoted {
            while (end as usize) < raw.len() && raw[end as usize] != b'"' {
                end += 1;
            }
            end = (end + 1).min(raw.len() as u32);
        }
        end
    };
    let start_of = |c: &Char| {
        if c.quoted {
            // Include the opening quote if it is just before.
            let mut s = c.at;
            while s > 0 && raw[s as usize - 1] != b'"' {
                s -= 1;
            }
            s.saturating_sub(1)
        } else {
            c.at
        }
    };
    let loc = cx.loc(start_of(&chars[0]), end_of(&chars[chars.len() - 1]));
    let eq = chars.iter().position(|c| c.byte == b'=' && !c.quoted);
    let (name_chars, rest) = match eq {
        Some(eq) => (&chars[..eq], Some(&chars[eq + 1..])),
        None => (chars, None),
    };
    let field = |part: &[Char], fallback: u32| -> Field {
        let first = part.iter().position(|c| !is_space(c));
        let last = part.iter().rposition(|c| !is_space(c));
        match (first, last) {
            (Some(f), Some(l)) => {
                let part = &part[f..=l];
                let bytes: Vec<u8> = part.iter().map(|c| c.byte).collect();
                Field {
                    text: String::from_utf8_lossy(&bytes).into_owned(),
                    loc: cx.loc(start_of(&part[0]), end_of(&part[part.len() - 1])),
                }
            }
            _ => Field {
                text: String::new(),
                loc: cx.loc(fallback, fallback),
            },
        }
    };
    let name = field(name_chars, loc.start - cx.offset);
    let args = rest.map(|rest| {
        let mut fields = Vec::new();
        let mut from = 0;
        let base = rest.first().map_or(loc.end - cx.offset, |c| c.at);
        for (k, c) in rest.iter().enumerate() {
            if c.byte == b',' && !c.quoted {
                fields.push(field(&rest[from..k], c.at));
                from = k + 1;
            }
        }
        let tail_at = rest.last().map_or(base, |c| c.at + 1);
        fields.push(field(&rest[from..], tail_at));
        fields
    });
    Some(LexedLine {
        name,
        args,
        loc,
        unclosed_quote,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(s: &str) -> Option<(String, Option<Vec<String>>)> {
        let cx = LineCx {
            file: FileId(0),
            offset: 0,
            line: 1,
        };
        lex_line(s.as_bytes(), &cx).map(|l| {
            (
                l.name.text,
                l.args.map(|a| a.into_iter().map(|f| f.text).collect()),
            )
        })
    }

    #[test]
    fn comments_need_whitespace_before_the_hash() {
        assert_eq!(lex("# all comment"), None);
        assert_eq!(lex("   "), None);
        assert_eq!(
            lex("dhcp-boot=pxelinux.0 # the file"),
            Some(("dhcp-boot".into(), Some(vec!["pxelinux.0".into()])))
        );
        assert_eq!(
            lex("dhcp-boot=a#b"),
            Some(("dhcp-boot".into(), Some(vec!["a#b".into()])))
        );
    }

    #[test]
    fn quotes_hide_commas_and_spaces_around_separators_go() {
        assert_eq!(
            lex(r#"pxe-service = x86PC , "Boot, then \"more\"" ,  undionly "#),
            Some((
                "pxe-service".into(),
                Some(vec![
                    "x86PC".into(),
                    "Boot, then \"more\"".into(),
                    "undionly".into()
                ])
            ))
        );
        assert_eq!(lex("enable-tftp"), Some(("enable-tftp".into(), None)));
        assert_eq!(
            lex("dhcp-boot=,x,"),
            Some((
                "dhcp-boot".into(),
                Some(vec!["".into(), "x".into(), "".into()])
            ))
        );
    }

    #[test]
    fn field_locations_cover_their_raw_text() {
        let src = r#"dhcp-boot=tag:ipxe, "http://h/boot.ipxe""#;
        let cx = LineCx {
            file: FileId(0),
            offset: 10,
            line: 3,
        };
        let l = lex_line(src.as_bytes(), &cx).unwrap();
        let args = l.args.unwrap();
        let raw = |f: &Field| &src[(f.loc.start - 10) as usize..(f.loc.end - 10) as usize];
        assert_eq!(raw(&args[0]), "tag:ipxe");
        assert_eq!(raw(&args[1]), "\"http://h/boot.ipxe\"");
        assert_eq!(args[1].loc.col, 21);
        assert_eq!(args[1].loc.line, 3);
    }

    #[test]
    fn an_unclosed_quote_is_reported() {
        let cx = LineCx {
            file: FileId(0),
            offset: 0,
            line: 1,
        };
        let l = lex_line(br#"dhcp-boot="abc"#, &cx).unwrap();
        assert!(l.unclosed_quote.is_some());
    }
}
