//! Keystrokes for interactive commands, named as on the command line.

use serde::Serialize;

/// A key as iPXE's `getkey` returns it (OLD numbering of special keys,
/// `src/include/ipxe/keys.h`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Key(pub u32);

pub const CR: u32 = 0x0d;
pub const LF: u32 = 0x0a;
pub const ESC: u32 = 0x1b;
pub const CTRL_C: u32 = 0x03;
pub const BACKSPACE: u32 = 0x08;
pub const KEY_UP: u32 = 0x141;
pub const KEY_DOWN: u32 = 0x142;
pub const KEY_RIGHT: u32 = 0x143;
pub const KEY_LEFT: u32 = 0x144;
pub const KEY_END: u32 = 0x146;
pub const KEY_HOME: u32 = 0x148;
pub const KEY_PPAGE: u32 = 0x67e;
pub const KEY_NPAGE: u32 = 0x77e;

/// Named keys and the QEMU `sendkey` name for each (used by the recorder).
pub const NAMED: &[(&str, u32, &str)] = &[
    ("up", KEY_UP, "up"),
    ("down", KEY_DOWN, "down"),
    ("left", KEY_LEFT, "left"),
    ("right", KEY_RIGHT, "right"),
    ("home", KEY_HOME, "home"),
    ("end", KEY_END, "end"),
    ("pgup", KEY_PPAGE, "pgup"),
    ("pgdn", KEY_NPAGE, "pgdn"),
    ("enter", CR, "ret"),
    ("esc", ESC, "esc"),
    ("backspace", BACKSPACE, "backspace"),
    ("ctrl-c", CTRL_C, "ctrl-c"),
    ("ctrl-b", 0x02, "ctrl-b"),
    ("space", b' ' as u32, "spc"),
];

/// Parses `"down down enter"` or `"x"`; unknown multi-letter names are errors.
pub fn parse_keys(text: &str) -> Result<Vec<Key>, String> {
    text.split_whitespace()
        .map(|w| {
            if let Some((_, code, _)) = NAMED.iter().find(|(n, _, _)| *n == w) {
                return Ok(Key(*code));
            }
            let mut chars = w.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if (c as u32) < 0x80 => Ok(Key(c as u32)),
                _ => Err(format!(
                    "unknown key `{w}`: use up, down, left, right, home, end, pgup, pgdn, enter, esc, backspace, ctrl-c, ctrl-b, space, or one character"
                )),
            }
        })
        .collect()
}

/// The QEMU monitor `sendkey` argument for a key word.
pub fn qemu_sendkey(word: &str) -> Option<String> {
    if let Some((_, _, q)) = NAMED.iter().find(|(n, _, _)| *n == word) {
        return Some(q.to_string());
    }
    let mut chars = word.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    Some(match c {
        'a'..='z' | '0'..='9' => c.to_string(),
        'A'..='Z' => format!("shift-{}", c.to_ascii_lowercase()),
        '-' => "minus".into(),
        '.' => "dot".into(),
        '/' => "slash".into(),
        ' ' => "spc".into(),
        '=' => "equal".into(),
        ',' => "comma".into(),
        _ => return None,
    })
}
