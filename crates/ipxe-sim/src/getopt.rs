//! Run-time option parsing on expanded arguments: a port of iPXE's
//! `getopt_long` (`src/core/getopt.c`) and `parse_options`
//! (`src/core/parseopt.c`), driven by the catalogue's option tables.
//!
//! Options are recognised only before the first positional argument, `--`
//! ends them, an argument taken from the next word must not start with `-`,
//! and `-h`/`--help` is a failure.

use ipxe_catalog::{Command, OptArg, OptionSpec};

use crate::errno::{ErrFile, Posix, Status};

/// The result of parsing one command's options.
pub struct Parsed<'a> {
    /// Options in the order given, with their arguments.
    pub options: Vec<(&'a OptionSpec, Option<String>)>,
    /// Positional arguments.
    pub args: Vec<String>,
}

/// The options of `cmd` that the modelled version knows.
pub fn known_options(cmd: &Command, head: bool) -> Vec<&OptionSpec> {
    cmd.options
        .iter()
        .filter(|o| head || !o.not_in_old)
        .collect()
}

/// `print_usage`: the exact usage text for the modelled version.
pub fn usage(cmd: &Command, argv0: &str, head: bool) -> String {
    let site = if head {
        "https://ipxe.org"
    } else {
        "http://ipxe.org"
    };
    cmd.usage_with(argv0, known_options(cmd, head), site)
}

/// Parses `argv` (argv[0] is the command name). Messages go to `out`; each
/// option is handed to `on_option` as soon as it is read, as iPXE parses
/// option values inside the getopt loop.
pub fn parse_options<'a>(
    cmd: &'a Command,
    argv: &[String],
    head: bool,
    out: &mut String,
    mut on_option: impl FnMut(&'a OptionSpec, Option<&str>, &mut String) -> Result<(), Status>,
) -> Result<Parsed<'a>, Status> {
    let opts: Vec<&OptionSpec> = known_options(cmd, head);
    let mut parsed = Parsed {
        options: Vec::new(),
        args: Vec::new(),
    };
    let mut optind = 1;
    let mut nextchar = 0usize;
    let argv0 = argv[0].as_str();

    // The argument for an option that may take the next word.
    let next_arg = |optind: &mut usize| -> Option<String> {
        let a = argv.get(*optind)?;
        if a.starts_with('-') {
            return None;
        }
        *optind += 1;
        Some(a.clone())
    };

    enum Found<'a> {
        Opt(&'a OptionSpec, Option<String>),
        Help,
        Unknown,
        Missing,
    }

    loop {
        let Some(word) = argv.get(optind) else { break };
        let bytes = word.as_bytes();
        if bytes.first() != Some(&b'-') {
            break;
        }
        let found: Found;
        if bytes.get(1) == Some(&b'-') {
            let text = &word[2..];
            if text.is_empty() {
                optind += 1;
                break;
            }
            let mut result = None;
            for (long, has_arg, spec) in opts
                .iter()
                .map(|o| (o.long.as_str(), o.arg, Some(*o)))
                .chain(std::iter::once(("help", OptArg::None, None)))
            {
                let Some(rest) = text.strip_prefix(long) else {
                    continue;
                };
                let mut argument = if let Some(v) = rest.strip_prefix('=') {
                    Some(v.to_string())
                } else if rest.is_empty() {
                    None
                } else {
                    continue;
                };
                optind += 1;
                if has_arg != OptArg::None && argument.is_none() {
                    argument = next_arg(&mut optind);
                }
                if has_arg == OptArg::Required && argument.is_none() {
                    out.push_str(&format!("Option \"{long}\" requires an argument\n"));
                    result = Some(Found::Missing);
                } else if has_arg == OptArg::None && argument.is_some() {
                    out.push_str(&format!("Option \"{long}\" takes no argument\n"));
                    result = Some(Found::Missing);
                } else {
                    result = Some(match spec {
                        Some(s) => Found::Opt(s, argument),
                        None => Found::Help,
                    });
                }
                break;
            }
            found = match result {
                Some(f) => f,
                None => {
                    out.push_str(&format!("Unrecognised option \"--{text}\"\n"));
                    Found::Unknown
                }
            };
        } else {
            if nextchar < 1 {
                nextchar = 1;
            }
            let rest = &bytes[nextchar.min(bytes.len())..];
            let c = rest.first().copied();
            let spec = c.and_then(|c| {
                opts.iter()
                    .find(|o| o.short as u32 == c as u32)
                    .map(|o| (Some(*o), o.arg))
                    .or((c == b'h').then_some((None, OptArg::None)))
            });
            match spec {
                None => {
                    let shown = c.map(|c| (c as char).to_string()).unwrap_or_default();
                    out.push_str(&format!("Unrecognised option \"-{shown}\"\n"));
                    found = Found::Unknown;
                }
                Some((spec, has_arg)) => {
                    let short = c.unwrap_or(b'?') as char;
                    let after = &rest[1..];
                    nextchar += 1;
                    let mut argument = None;
                    if !after.is_empty() {
                        if has_arg != OptArg::None {
                            argument = Some(String::from_utf8_lossy(after).into_owned());
                            optind += 1;
                            nextchar = 0;
                        }
                    } else {
                        optind += 1;
                        nextchar = 0;
                    }
                    if has_arg != OptArg::None && argument.is_none() {
                        argument = next_arg(&mut optind);
                    }
                    if has_arg == OptArg::Required && argument.is_none() {
                        out.push_str(&format!("Option \"{short}\" requires an argument\n"));
                        found = Found::Missing;
                    } else {
                        found = match spec {
                            Some(s) => Found::Opt(s, argument),
                            None => Found::Help,
                        };
                    }
                }
            }
        }
        match found {
            Found::Opt(spec, value) => {
                on_option(spec, value.as_deref(), out)?;
                parsed.options.push((spec, value));
            }
            Found::Help => {
                out.push_str(&usage(cmd, argv0, head));
                return Err(Status::uniq(Posix::Ecanceled, ErrFile::Parseopt, 1));
            }
            Found::Unknown => {
                out.push_str(&usage(cmd, argv0, head));
                return Err(Status::uniq(Posix::Einval, ErrFile::Parseopt, 2));
            }
            Found::Missing => {
                out.push_str(&usage(cmd, argv0, head));
                return Err(Status::uniq(Posix::Einval, ErrFile::Parseopt, 3));
            }
        }
    }
    parsed.args = argv[optind.min(argv.len())..].to_vec();
    let n = parsed.args.len();
    if n < cmd.min_args || n > cmd.max_args {
        out.push_str(&usage(cmd, argv0, head));
        return Err(Status::err(Posix::Erange, ErrFile::Parseopt));
    }
    Ok(parsed)
}

/// `parse_integer`: base-0 `strtoul` over the whole text.
pub fn parse_integer(text: &str, head: bool, out: &mut String) -> Result<u64, Status> {
    crate::settings::strtoul(text, head).ok_or_else(|| {
        out.push_str(&format!("\"{text}\": invalid integer value\n"));
        Status::uniq(Posix::Einval, ErrFile::Parseopt, 1)
    })
}

/// `parse_key`: one character is itself, anything else an integer key code.
pub fn parse_key(text: &str, head: bool, out: &mut String) -> Result<u32, Status> {
    let mut chars = text.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && (c as u32) < 0x80
    {
        return Ok(c as u32);
    }
    parse_integer(text, head, out).map(|v| v as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ipxe_catalog::Catalog;

    fn run(argv: &[&str]) -> (Result<(Vec<String>, Vec<String>), Status>, String) {
        let cat = Catalog::get();
        let cmd = cat.command(argv[0]).unwrap();
        let argv: Vec<String> = argv.iter().map(|s| s.to_string()).collect();
        let mut out = String::new();
        let r = parse_options(cmd, &argv, false, &mut out, |_, _, _| Ok(())).map(|p| {
            (
                p.options
                    .iter()
                    .map(|(o, v)| format!("{}={}", o.long, v.clone().unwrap_or_default()))
                    .collect(),
                p.args,
            )
        });
        (r, out)
    }

    #[test]
    fn options_stop_at_first_positional() {
        let (r, _) = run(&["kernel", "vmlinuz", "-n", "x"]);
        assert_eq!(r.unwrap().1, ["vmlinuz", "-n", "x"]);
        let (r, _) = run(&["echo", "-n", "--", "-x"]);
        assert_eq!(r.unwrap(), (vec!["n=".to_string()], vec!["-x".to_string()]));
    }

    #[test]
    fn messages() {
        let (r, out) = run(&["echo", "----"]);
        assert!(r.is_err());
        assert!(
            out.starts_with("Unrecognised option \"----\"\nUsage:\n\n  echo [-n|--n]"),
            "{out}"
        );
        let (r, out) = run(&["choose", "--timeout", "-1", "x"]);
        assert!(r.is_err());
        assert!(
            out.starts_with("Option \"timeout\" requires an argument\n"),
            "{out}"
        );
        let (r, _) = run(&["choose", "-t5000", "x"]);
        assert_eq!(r.unwrap().0, ["timeout=5000"]);
    }
}
