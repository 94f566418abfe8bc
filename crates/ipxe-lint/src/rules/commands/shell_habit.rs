//! ## What it does
//! Reports shell syntax that iPXE does not have: `set name=value`,
//! `set name = value`, `$name` instead of `${name}`, `$(…)` and backticks,
//! and quotes that end up inside a value (`set msg "Hello world"`,
//! `iseq ${x} "a b"`, `chain "http://…"`).
//!
//! ## Why is this bad?
//! iPXE splits words at whitespace and nothing else: there is no quoting, no
//! `$name` expansion, no command substitution, no `name=value` assignment.
//! `set a=b` deletes (or sets) a setting literally named `a=b`;
//! `set msg "Hello world"` stores the quote characters too; `iseq ${x} "a b"`
//! compares three words and fails; `$server` stays the text `$server`.
//! `export` is reported by IPX101 (it is not a command).
//!
//! Quotes in a kernel command line are left alone (Linux reads them), as are
//! `iseq "${a}" "b"` (both sides quoted alike still compare correctly) and
//! quotes inside text that merely contains a quoted word
//! (`echo Type "exit" to leave`). A `$name` inside the path of a URL is left
//! alone too (`https://x.blob.core.windows.net/$web/…` is a real name), as is
//! a word that looks like a password hash (`$6$salt$…`).
//!
//! ## Example
//! ```ipxe
//! set server=boot.example.com
//! chain http://$server/menu.ipxe
//! ```
//!
//! Use instead:
//! ```ipxe
//! set server boot.example.com
//! chain http://${server}/menu.ipxe
//! ```
//!
//! ## Fix safety
//! All fixes are unsafe: they change what is stored, compared or fetched.
//!
//! ## References
//! `split_command` in `src/core/exec.c`; `expand_settings` in
//! `src/core/settings.c`; `set_core_exec` in `src/hci/commands/nvo_cmd.c`.

use crate::prelude::*;

pub(crate) const RULE: Rule = Rule {
    code: "IPX110",
    name: "shell-habit",
    summary: "shell syntax (quotes, `$var`, `a=b`, backticks) that iPXE takes literally",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    check: Check::Line(check),
};

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_quote(b: u8) -> bool {
    b == b'"' || b == b'\''
}

/// `$1$…`, `$6$…`, `$y$…`, `$2b$…`: crypt(3) password hashes, not variables.
fn looks_like_hash(text: &[u8]) -> bool {
    const IDS: &[&[u8]] = &[
        b"$1$", b"$2a$", b"$2b$", b"$2y$", b"$5$", b"$6$", b"$y$", b"$gy$", b"$7$", b"$apr1$",
        b"$argon2",
    ];
    IDS.iter()
        .any(|id| text.windows(id.len()).any(|w| w == *id))
}

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    // Which of the characters the checks look for the line holds at all
    // (every word's text lies within its token bytes).
    // A `$` before `(` or a name; `${` is the usual case.
    let dollar = cx.bytes.has(b'$') && {
        let bytes = crate::util::token_bytes(cx.line, cx.src);
        memchr::memchr_iter(b'$', bytes)
            .any(|at| bytes.get(at + 1).is_some_and(|&b| b == b'(' || is_ident_start(b)))
    };
    let quote = cx.bytes.has(b'"') || cx.bytes.has(b'\'');
    let tick = cx.bytes.has(b'`');
    for (command, bound) in cx.line.commands.iter().zip(cx.bounds) {
        if command.is_empty() {
            continue;
        }
        set_assignment(cx, command, bound, sink);
        if dollar {
            dollar_names(cx, command, sink);
        }
        if quote {
            quotes(cx, command, bound, sink);
        }
        if tick {
            backticks(cx, command, sink);
        }
    }
}

/// `set a=b` and `set a = b`.
fn set_assignment(cx: &LineCx<'_>, command: &Command, bound: &Bound, sink: &mut Sink) {
    if bound.spec.is_none_or(|s| s.name != "set") || bound.problem.is_some() {
        return;
    }
    let Some(name) = bound.positional(command, 0) else {
        return;
    };
    let text = name.text(cx.src);
    let first_ref = name
        .refs
        .iter()
        .map(|r| r.range.start as usize)
        .min()
        .unwrap_or(text.len());
    if let Some(eq) = text[..first_ref]
        .iter()
        .position(|&b| b == b'=')
        .filter(|&e| e > 0)
    {
        let setting = show(&text[..eq]);
        let value = show(&text[eq + 1..]);
        let named = show(text);
        let rest = bound.positionals.len() > 1;
        let effect = if rest {
            format!("sets a setting literally named `{named}`")
        } else {
            format!("deletes a setting literally named `{named}` (no value means delete)")
        };
        let span = name.source_span(eq as u32..eq as u32 + 1);
        let d = sink.report(
            &RULE,
            span,
            format!("`set {named}` does not store `{value}` in `{setting}`: iPXE's `set` takes the name and the value as separate words, so this {effect}"),
        );
        d.set_help(format!("write `set {setting} {value}`"));
        d.set_fix(
            "replace `=` with a space",
            Applicability::Unsafe,
            vec![Edit::replace(span, " ")],
        );
        return;
    }
    if let Some(eq) = bound
        .positional(command, 1)
        .filter(|w| w.text(cx.src) == b"=")
    {
        let setting = show(text);
        let value_words: Vec<String> = bound
            .positional_words(command)
            .skip(2)
            .map(|w| show(w.text(cx.src)))
            .collect();
        let value = value_words.join(" ");
        let d = sink.report(
            &RULE,
            eq.span,
            format!("this `=` is part of the value: `{setting}` is set to `= {value}`"),
        );
        d.set_help(format!("write `set {setting} {value}`"));
        let end = bound
            .positional(command, 2)
            .map_or(eq.span.end, |w| w.span.start);
        d.set_fix(
            "remove the `=`",
            Applicability::Unsafe,
            vec![Edit::delete(Span::new(eq.span.start, end))],
        );
    }
}

/// `$name` and `$(…)`.
fn dollar_names(cx: &LineCx<'_>, command: &Command, sink: &mut Sink) {
    for word in &command.words {
        let text = word.text(cx.src);
        // Only a `$` before `(` or a name can be reported; `${` is the usual case.
        if !crate::util::has_any(text, [b'$'])
            || !text
                .windows(2)
                .any(|w| w[0] == b'$' && (w[1] == b'(' || is_ident_start(w[1])))
        {
            continue;
        }
        // In a URL, a `$` in the path is a real character (`/$web/`, `/$metadata`).
        let path = text.windows(3).position(|w| w == b"://").map(|scheme| {
            let host_start = scheme + 3;
            let path_start = text[host_start..]
                .iter()
                .position(|&b| b == b'/')
                .map_or(text.len(), |p| host_start + p);
            let query = text[path_start..]
                .iter()
                .position(|&b| b == b'?')
                .map_or(text.len(), |p| path_start + p);
            path_start..query
        });
        // Outermost references do not overlap, so a sorted list answers
        // "is this `$` inside a reference?" by binary search (20,000 nested
        // references stay linear).
        let mut outer: Vec<(usize, usize)> = word
            .refs
            .iter()
            .filter(|r| r.parent.is_none())
            .map(|r| (r.range.start as usize, r.range.end as usize))
            .collect();
        outer.sort_unstable();
        let in_reference = |at: usize| {
            let i = outer.partition_point(|&(start, _)| start <= at);
            i > 0 && at < outer[i - 1].1
        };
        let mut i = 0;
        while i + 1 < text.len() {
            let at = i;
            i += 1;
            if text[at] != b'$' || in_reference(at) {
                continue;
            }
            if path.as_ref().is_some_and(|p| p.contains(&at)) {
                continue;
            }
            let next = text[at + 1];
            if (next == b'(' || is_ident_start(next)) && looks_like_hash(text) {
                // Password hashes (`$6$…`) are not shell variables; checked
                // only here, as it scans the word for every hash prefix.
                break;
            }
            if next == b'(' {
                let span = word.source_span(at as u32..at as u32 + 2);
                sink.report(&RULE, span, "`$(` is literal text: iPXE has no command substitution")
                    .set_help("compute values with iPXE commands that store into settings (`set`, `read`, `choose`…) and use `${name}`");
                return;
            }
            if !is_ident_start(next) {
                continue;
            }
            let end = (at + 1..text.len())
                .find(|&j| !is_ident(text[j]))
                .unwrap_or(text.len());
            let name = show(&text[at + 1..end]);
            let span = word.source_span(at as u32..end as u32);
            let d = sink.report(
                &RULE,
                span,
                format!("`${name}` is literal text: iPXE expands only `${{{name}}}`"),
            );
            d.set_help(format!("write `${{{name}}}`"));
            d.set_fix(
                format!("write `${{{name}}}`"),
                Applicability::Unsafe,
                vec![
                    Edit::insert(span.start + 1, "{"),
                    Edit::insert(span.end, "}"),
                ],
            );
            i = end;
        }
    }
}

/// Quotes that become part of a value.
fn quotes(cx: &LineCx<'_>, command: &Command, bound: &Bound, sink: &mut Sink) {
    let Some(spec) = bound.spec else { return };
    if bound.problem.is_some() {
        return;
    }
    // Only a word that starts or ends with a quote is ever reported.
    let quote_at_edge = |w: &Word| {
        let t = w.text(cx.src);
        t.first().is_some_and(|&b| is_quote(b)) || t.last().is_some_and(|&b| is_quote(b))
    };
    if !bound.positional_words(command).any(quote_at_edge) {
        return;
    }
    let image_command = matches!(
        spec.args.first().map(|a| a.role),
        Some(ArgRole::Uri | ArgRole::UriOrImage | ArgRole::Image)
    ) && spec.args.get(1).is_some_and(|a| a.role == ArgRole::Text);
    let words: Vec<&Word> = bound.positional_words(command).collect();
    let name = spec.name.as_str();
    // `iseq "${a}" "-1"`: quoting both sides the same way compares correctly.
    let quoted = |w: &Word| {
        let t = w.text(cx.src);
        (t.len() >= 2 && is_quote(t[0]) && t[t.len() - 1] == t[0]).then_some(t[0])
    };
    if name == "iseq"
        && words.len() == 2
        && quoted(words[0]).is_some()
        && quoted(words[0]) == quoted(words[1])
    {
        return;
    }
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        let index = i;
        i += 1;
        // A kernel command line is the kernel's business: Linux reads quotes.
        if image_command && index >= 1 {
            return;
        }
        let role = spec.arg_role(index).map(|a| a.role);
        let text = word.text(cx.src);
        // Joined text (`echo`, `item` text, `set` values): only quotes around all of it count.
        let joined =
            matches!(role, Some(ArgRole::Text | ArgRole::String)) || (name == "set" && index >= 1);
        let compared = matches!(role, Some(ArgRole::SettingValue)) && !joined;
        let Some(&open) = text.first().filter(|&&b| is_quote(b)) else {
            // A stray closing quote on a name or URI is just as literal.
            let stray = text.len() > 1 && text.last().is_some_and(|&b| is_quote(b));
            if stray && !joined && !compared && !text[..text.len() - 1].iter().any(|&b| is_quote(b))
            {
                report_quotes(cx, sink, name, role, word, word, false);
            }
            continue;
        };
        // The word that closes the quote (the opening one itself when it has two).
        let close = (index..words.len()).find(|&j| {
            let t = words[j].text(cx.src);
            let from = usize::from(j == index);
            t.len() > from && t[from..].ends_with(&[open])
        });
        let Some(close) = close else {
            if !joined && !compared && text.len() > 1 {
                report_quotes(cx, sink, name, role, word, word, false);
            }
            continue;
        };
        i = close + 1;
        if joined {
            let first_slot = spec
                .args
                .get(index)
                .is_some_and(|a| index == 0 || spec.args[index - 1].role != a.role);
            if !(first_slot && close + 1 == words.len()) {
                continue;
            }
        }
        report_quotes(cx, sink, name, role, word, words[close], true);
    }
}

fn report_quotes(
    cx: &LineCx<'_>,
    sink: &mut Sink,
    name: &str,
    role: Option<ArgRole>,
    first: &Word,
    last: &Word,
    pair: bool,
) {
    let span = first.span.cover(last.span);
    let shown = show(&cx.src[span.start as usize..span.end as usize]);
    let effect = match role {
        Some(ArgRole::SettingValue) if name == "set" => {
            "the quote characters are stored as part of the value".to_string()
        }
        Some(ArgRole::SettingValue) => "the quote characters are compared too".to_string(),
        Some(ArgRole::Text) => format!("`{name}` shows the quote characters too"),
        Some(ArgRole::Uri | ArgRole::UriOrImage | ArgRole::Image) => {
            "the quotes become part of the URI or image name".to_string()
        }
        Some(ArgRole::Label) => "the quotes become part of the label name".to_string(),
        Some(ArgRole::SettingName) => "the quotes become part of the setting name".to_string(),
        _ => format!("the quotes are part of the argument `{name}` gets"),
    };
    let several = !std::ptr::eq(first, last);
    let extra = if several && matches!(name, "iseq" | "isset") {
        ", and the quoted text is still several arguments"
    } else {
        ""
    };
    let d = sink.report(
        &RULE,
        span,
        format!("quotes are not special in iPXE: in `{shown}` {effect}{extra}"),
    );
    d.set_help("iPXE splits words at whitespace only; write the value without quotes (a value cannot hold two spaces in a row)");
    // Removing the quotes fixes the value, but not a quoted text split into several arguments.
    if pair && !(several && matches!(name, "iseq" | "isset")) {
        d.set_fix(
            "remove the quotes",
            Applicability::Unsafe,
            vec![
                Edit::delete(Span::new(first.span.start, first.span.start + 1)),
                Edit::delete(Span::new(last.span.end - 1, last.span.end)),
            ],
        );
    }
}

/// `` `cmd` ``: command substitution.
fn backticks(cx: &LineCx<'_>, command: &Command, sink: &mut Sink) {
    // Reported only for two backticks or more: find the first two, lazily.
    let mut ticks = command
        .words
        .iter()
        .filter(|w| w.text(cx.src).contains(&b'`'))
        .flat_map(|w| {
            w.text(cx.src)
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'`')
                .map(move |(i, _)| (i, w))
        });
    let Some((at, word)) = ticks.next() else {
        return;
    };
    if ticks.next().is_none() {
        return;
    }
    let span = word.source_span(at as u32..at as u32 + 1);
    sink.report(&RULE, span, "backticks are literal text: iPXE has no command substitution")
        .set_help("compute values with iPXE commands that store into settings (`set`, `read`, `choose`…) and use `${name}`");
}
