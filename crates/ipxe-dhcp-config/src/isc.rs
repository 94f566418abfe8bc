//! The PXE subset of an ISC dhcpd configuration (`dhcpd.conf(5)`,
//! `dhcp-eval(5)`), read without ever failing: statements, blocks
//! (`subnet`, `shared-network`, `host`, `group`, `pool`, `class`), `if` /
//! `elsif` / `else`, with the place of every token.
//!
//! The resolver follows dhcpd's scoping: statements run in order inside
//! their scope, a later `filename` replaces an earlier one, and a more
//! specific scope wins (host, then class, then pool, subnet, shared
//! network, global). It evaluates `exists`, `=`/`!=` on options,
//! `substring`, `and`/`or`/`not` and parentheses, for the options a PXE
//! client or iPXE sends (60, 77, 93, 175 and iPXE's sub-options).

use crate::resolve::ClientRequest;
use crate::source::{FileId, Loc, Source};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub quoted: bool,
    pub loc: Loc,
}

#[derive(Clone, Debug)]
pub enum Stmt {
    /// `words…;`
    Simple { words: Vec<Token>, loc: Loc },
    /// `head… { body }`
    Block {
        head: Vec<Token>,
        body: Vec<Stmt>,
        loc: Loc,
    },
    /// `if E { } elsif E { } else { }`: a branch without a condition is `else`.
    If {
        branches: Vec<(Option<Vec<Token>>, Vec<Stmt>)>,
        loc: Loc,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IscProblem {
    pub loc: Loc,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct IscConfig {
    pub source: Source,
    pub statements: Vec<Stmt>,
    pub problems: Vec<IscProblem>,
}

fn lex(text: &[u8], file: FileId) -> Vec<Token> {
    let mut tokens = Vec::new();
    let (mut i, mut line, mut line_start) = (0usize, 1u32, 0usize);
    let loc = |s: usize, e: usize, line: u32, ls: usize| Loc {
        file,
        start: s as u32,
        end: e as u32,
        line,
        col: (s - ls) as u32 + 1,
    };
    while i < text.len() {
        let b = text[i];
        if b == b'\n' {
            line += 1;
            line_start = i + 1;
            i += 1;
        } else if b.is_ascii_whitespace() {
            i += 1;
        } else if b == b'#' {
            while i < text.len() && text[i] != b'\n' {
                i += 1;
            }
        } else if b == b'"' {
            let start = i;
            let (l, ls) = (line, line_start);
            let mut value = Vec::new();
            i += 1;
            while i < text.len() && text[i] != b'"' {
                if text[i] == b'\\' && i + 1 < text.len() {
                    i += 1;
                }
                if text[i] == b'\n' {
                    line += 1;
                    line_start = i + 1;
                }
                value.push(text[i]);
                i += 1;
            }
            i = (i + 1).min(text.len());
            tokens.push(Token {
                text: String::from_utf8_lossy(&value).into_owned(),
                quoted: true,
                loc: loc(start, i, l, ls),
            });
        } else if b"{};,()".contains(&b) || (b == b'=' || b == b'!' || b == b'~') {
            let start = i;
            i += 1;
            if (b == b'!' || b == b'~' || b == b'=')
                && i < text.len()
                && (text[i] == b'=' || text[i] == b'~')
            {
                i += 1;
            }
            tokens.push(Token {
                text: String::from_utf8_lossy(&text[start..i]).into_owned(),
                quoted: false,
                loc: loc(start, i, line, line_start),
            });
        } else {
            let start = i;
            while i < text.len()
                && !text[i].is_ascii_whitespace()
                && !b"{};,()\"#=!~".contains(&text[i])
            {
                i += 1;
            }
            tokens.push(Token {
                text: String::from_utf8_lossy(&text[start..i]).into_owned(),
                quoted: false,
                loc: loc(start, i, line, line_start),
            });
        }
    }
    tokens
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
    problems: Vec<IscProblem>,
    depth: u32,
    /// The last `statements` call at the top level stopped at a `}`.
    closed_top: bool,
}

/// Blocks nest at most this deep; deeper text is skipped as a problem.
const MAX_DEPTH: u32 = 64;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn is(&self, text: &str) -> bool {
        self.peek().is_some_and(|t| !t.quoted && t.text == text)
    }

    fn span(&self, from: usize) -> Loc {
        let first = self.tokens[from].loc;
        let last = self.tokens[self.at.saturating_sub(1).max(from)].loc;
        Loc {
            end: last.end.max(first.end),
            ..first
        }
    }

    /// Statements up to a `}` (consumed) or the end.
    fn statements(&mut self) -> Vec<Stmt> {
        let mut out = Vec::new();
        while let Some(t) = self.peek() {
            if !t.quoted && t.text == "}" {
                self.at += 1;
                self.closed_top = self.depth == 0;
                return out;
            }
            if let Some(s) = self.statement() {
                out.push(s);
            }
        }
        self.closed_top = false;
        if self.depth > 0
            && let Some(last) = self.tokens.last()
        {
            self.problems.push(IscProblem {
                loc: last.loc,
                message: "missing `}` at the end of the file".into(),
            });
        }
        out
    }

    fn block_body(&mut self) -> Vec<Stmt> {
        self.at += 1; // `{`
        if self.depth >= MAX_DEPTH {
            let loc = self.tokens[self.at - 1].loc;
            self.problems.push(IscProblem {
                loc,
                message: format!(
                    "blocks nest deeper than {MAX_DEPTH}; the rest of this one is skipped"
                ),
            });
            let mut open = 1;
            while let Some(t) = self.peek().cloned() {
                self.at += 1;
                match (t.quoted, t.text.as_str()) {
                    (false, "{") => open += 1,
                    (false, "}") => {
                        open -= 1;
                        if open == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
            return Vec::new();
        }
        self.depth += 1;
        let body = self.statements();
        self.depth -= 1;
        body
    }

    fn statement(&mut self) -> Option<Stmt> {
        let from = self.at;
        if self.is("if") {
            let mut branches = Vec::new();
            self.at += 1;
            loop {
                let cond = self.words_until_brace();
                if !self.is("{") {
                    self.problem(from, "`if` without `{`");
                    return None;
                }
                let body = self.block_body();
                branches.push((Some(cond), body));
                if self.is("elsif") {
                    self.at += 1;
                    continue;
                }
                if self.is("else") {
                    self.at += 1;
                    if self.is("if") {
                        self.at += 1;
                        continue;
                    }
                    if self.is("{") {
                        let body = self.block_body();
                        branches.push((None, body));
                    } else {
                        self.problem(from, "`else` without `{`");
                    }
                }
                break;
            }
            return Some(Stmt::If {
                branches,
                loc: self.span(from),
            });
        }
        let mut words = Vec::new();
        while let Some(t) = self.peek().cloned() {
            if !t.quoted && t.text == ";" {
                self.at += 1;
                return Some(Stmt::Simple {
                    loc: self.span(from),
                    words,
                });
            }
            if !t.quoted && t.text == "{" {
                let body = self.block_body();
                return Some(Stmt::Block {
                    loc: self.span(from),
                    head: words,
                    body,
                });
            }
            if !t.quoted && t.text == "}" {
                self.problem(from, "statement without `;`");
                return (!words.is_empty()).then(|| Stmt::Simple {
                    loc: self.span(from),
                    words,
                });
            }
            words.push(t);
            self.at += 1;
        }
        self.problem(from, "statement without `;` at the end of the file");
        (!words.is_empty()).then(|| Stmt::Simple {
            loc: self.span(from),
            words,
        })
    }

    fn words_until_brace(&mut self) -> Vec<Token> {
        let mut words = Vec::new();
        while let Some(t) = self.peek() {
            if !t.quoted && (t.text == "{" || t.text == "}" || t.text == ";") {
                break;
            }
            words.push(t.clone());
            self.at += 1;
        }
        words
    }

    fn problem(&mut self, from: usize, message: &str) {
        let loc = self.tokens.get(from).map(|t| t.loc).unwrap_or(Loc {
            file: FileId(0),
            start: 0,
            end: 0,
            line: 1,
            col: 1,
        });
        self.problems.push(IscProblem {
            loc,
            message: message.into(),
        });
    }
}

impl IscConfig {
    /// Reads dhcpd.conf text; never fails.
    pub fn parse(path: &str, text: &[u8]) -> IscConfig {
        let tokens = lex(text, FileId(0));
        let mut parser = Parser {
            tokens,
            at: 0,
            problems: Vec::new(),
            depth: 0,
            closed_top: false,
        };
        let mut statements = Vec::new();
        loop {
            statements.extend(parser.statements());
            if parser.at >= parser.tokens.len() {
                // `statements` also stops after a `}`: one with no block open.
                let stray = parser.at > 0
                    && parser.tokens[parser.at - 1].text == "}"
                    && !parser.tokens[parser.at - 1].quoted
                    && parser.closed_top;
                if stray {
                    let loc = parser.tokens[parser.at - 1].loc;
                    parser.problems.push(IscProblem {
                        loc,
                        message: "`}` with no block open".into(),
                    });
                }
                break;
            }
            let loc = parser.tokens[parser.at - 1].loc;
            parser.problems.push(IscProblem {
                loc,
                message: "`}` with no block open".into(),
            });
        }
        IscConfig {
            source: Source {
                path: path.into(),
                text: text.to_vec(),
                included_from: None,
            },
            statements,
            problems: parser.problems,
        }
    }
}

/// What dhcpd answers a client: the boot file and next server, with the
/// statement that set each, and the classes the client fell in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IscAnswer {
    pub filename: Option<(String, Loc)>,
    pub next_server: Option<(String, Loc)>,
    pub classes: Vec<String>,
}

/// Scopes from least to most specific; a later scope's value wins
/// (`ack_lease` in dhcpd's server/dhcp.c runs them in this order).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Scope {
    Global,
    Subnet,
    Class,
}

#[derive(Default)]
struct Found {
    filename: Option<(Scope, String, Loc)>,
    next_server: Option<(Scope, String, Loc)>,
}

impl Found {
    fn set(slot: &mut Option<(Scope, String, Loc)>, scope: Scope, value: &Token) {
        if slot.as_ref().is_none_or(|(s, _, _)| *s <= scope) {
            *slot = Some((scope, value.text.clone(), value.loc));
        }
    }
}

/// Option names and codes: dhcpd's built-ins that matter here, plus every
/// `option NAME code N = …;` the file defines (space-qualified for `ipxe.`).
fn option_codes(statements: &[Stmt], out: &mut Vec<(String, u16)>) {
    for s in statements {
        match s {
            Stmt::Simple { words, .. } => {
                if let [opt, name, code, n, ..] = &words[..]
                    && opt.text == "option"
                    && code.text == "code"
                    && let Ok(n) = n.text.parse::<u16>()
                {
                    out.push((name.text.clone(), n));
                }
            }
            Stmt::Block { body, .. } => option_codes(body, out),
            Stmt::If { branches, .. } => {
                for (_, body) in branches {
                    option_codes(body, out);
                }
            }
        }
    }
}

struct Eval<'a> {
    client: &'a ClientRequest,
    codes: Vec<(String, u16)>,
}

#[derive(Clone, Debug, PartialEq)]
enum Value {
    Bool(bool),
    Data(Option<Vec<u8>>),
    Num(u64),
}

impl Eval<'_> {
    fn code(&self, name: &str) -> Option<u16> {
        let builtin = match name {
            "vendor-class-identifier" => Some(60),
            "dhcp-client-identifier" => Some(61),
            "user-class" => Some(77),
            "client-system" | "pxe-system-type" | "client-architecture" => Some(93),
            _ => None,
        };
        self.codes
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|&(_, c)| c)
            .or(builtin)
    }

    /// An option's bytes as sent; `space.name` looks inside option 175.
    fn option(&self, name: &str) -> Option<Vec<u8>> {
        let code = self.code(name)?;
        if name.contains('.') {
            let payload = self.client.ipxe_options.as_ref()?;
            let mut i = 0;
            while i + 1 < payload.len() {
                let (c, len) = (payload[i] as u16, payload[i + 1] as usize);
                let value = payload.get(i + 2..i + 2 + len)?;
                if c == code {
                    return Some(value.to_vec());
                }
                i += 2 + len;
            }
            return None;
        }
        self.client.option(code)
    }

    fn expr(&self, t: &[Token], at: &mut usize) -> Value {
        let mut left = self.term(t, at);
        while t.get(*at).is_some_and(|w| w.text == "or") {
            *at += 1;
            let right = self.term(t, at);
            left = Value::Bool(truthy(&left) || truthy(&right));
        }
        left
    }

    fn term(&self, t: &[Token], at: &mut usize) -> Value {
        let mut left = self.factor(t, at);
        while t.get(*at).is_some_and(|w| w.text == "and") {
            *at += 1;
            let right = self.factor(t, at);
            left = Value::Bool(truthy(&left) && truthy(&right));
        }
        left
    }

    fn factor(&self, t: &[Token], at: &mut usize) -> Value {
        if t.get(*at).is_some_and(|w| w.text == "not") {
            *at += 1;
            return Value::Bool(!truthy(&self.factor(t, at)));
        }
        let left = self.primary(t, at);
        match t.get(*at).map(|w| w.text.as_str()) {
            Some(op @ ("=" | "!=")) => {
                let negate = op == "!=";
                *at += 1;
                let right = self.primary(t, at);
                match equal(&left, &right) {
                    Some(eq) => Value::Bool(eq != negate),
                    None => Value::Bool(false),
                }
            }
            _ => left,
        }
    }

    fn primary(&self, t: &[Token], at: &mut usize) -> Value {
        let Some(w) = t.get(*at) else {
            return Value::Data(None);
        };
        *at += 1;
        if w.quoted {
            return Value::Data(Some(w.text.as_bytes().to_vec()));
        }
        match w.text.as_str() {
            "(" => {
                let v = self.expr(t, at);
                if t.get(*at).is_some_and(|w| w.text == ")") {
                    *at += 1;
                }
                v
            }
            "exists" => {
                let name = t.get(*at).map(|w| w.text.clone()).unwrap_or_default();
                *at += 1;
                Value::Bool(self.option(&name).is_some())
            }
            "option" => {
                let name = t.get(*at).map(|w| w.text.clone()).unwrap_or_default();
                *at += 1;
                Value::Data(self.option(&name))
            }
            "substring" | "suffix" => {
                let mut args = Vec::new();
                if t.get(*at).is_some_and(|w| w.text == "(") {
                    *at += 1;
                    loop {
                        args.push(self.expr(t, at));
                        match t.get(*at).map(|w| w.text.as_str()) {
                            Some(",") => *at += 1,
                            Some(")") => {
                                *at += 1;
                                break;
                            }
                            _ => break,
                        }
                    }
                }
                let data = match args.first() {
                    Some(Value::Data(Some(d))) => d.clone(),
                    _ => return Value::Data(None),
                };
                let num = |v: Option<&Value>| match v {
                    Some(Value::Num(n)) => *n as usize,
                    _ => 0,
                };
                Value::Data(Some(if w.text == "substring" {
                    let from = num(args.get(1)).min(data.len());
                    let len = num(args.get(2));
                    // A huge length (a typo, or u64::MAX from a number
                    // too big to parse) reads to the end, as dhcpd does.
                    data[from..from.saturating_add(len).min(data.len())].to_vec()
                } else {
                    let len = num(args.get(1)).min(data.len());
                    data[data.len() - len..].to_vec()
                }))
            }
            text if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
                Value::Num(text.parse().unwrap_or(u64::MAX))
            }
            text if text.contains(':') => {
                let bytes: Option<Vec<u8>> = text
                    .split(':')
                    .map(|p| u8::from_str_radix(p, 16).ok())
                    .collect();
                Value::Data(bytes)
            }
            _ => Value::Data(None),
        }
    }
}

fn truthy(v: &Value) -> bool {
    matches!(v, Value::Bool(true))
}

/// dhcpd's `=`: data against data by bytes; a number against an option's
/// bytes as a big-endian integer; a missing option is never equal.
fn equal(a: &Value, b: &Value) -> Option<bool> {
    let as_num = |d: &[u8]| (d.len() <= 8).then(|| d.iter().fold(0u64, |n, &b| n << 8 | b as u64));
    match (a, b) {
        (Value::Data(Some(x)), Value::Data(Some(y))) => Some(x == y),
        (Value::Data(Some(d)), Value::Num(n)) | (Value::Num(n), Value::Data(Some(d))) => {
            Some(as_num(d)? == *n)
        }
        (Value::Num(x), Value::Num(y)) => Some(x == y),
        (Value::Bool(x), Value::Bool(y)) => Some(x == y),
        _ => None,
    }
}

/// Answers `client` from the first `subnet` in the file (dhcpd picks by the
/// relay or interface address, which we do not model) and the classes it
/// matches. Hosts are not matched (that needs the MAC address).
pub fn resolve_isc(config: &IscConfig, client: &ClientRequest) -> IscAnswer {
    let mut codes = Vec::new();
    option_codes(&config.statements, &mut codes);
    let eval = Eval { client, codes };
    let mut answer = IscAnswer::default();
    let mut found = Found::default();
    let mut class_bodies = Vec::new();
    collect_classes(
        &config.statements,
        &eval,
        &mut answer.classes,
        &mut class_bodies,
    );
    let mut subnet_seen = false;
    run(
        &config.statements,
        Scope::Global,
        &eval,
        &mut found,
        &mut subnet_seen,
    );
    for body in class_bodies {
        run(body, Scope::Class, &eval, &mut found, &mut subnet_seen);
    }
    answer.filename = found.filename.map(|(_, v, l)| (v, l));
    answer.next_server = found.next_server.map(|(_, v, l)| (v, l));
    answer
}

fn collect_classes<'c>(
    statements: &'c [Stmt],
    eval: &Eval<'_>,
    names: &mut Vec<String>,
    bodies: &mut Vec<&'c [Stmt]>,
) {
    for s in statements {
        if let Stmt::Block { head, body, .. } = s {
            if head.first().is_some_and(|w| w.text == "class") {
                let matched = body.iter().any(|b| match b {
                    Stmt::Simple { words, .. }
                        if words.len() > 2 && words[0].text == "match" && words[1].text == "if" =>
                    {
                        truthy(&eval.expr(&words[2..], &mut 0))
                    }
                    _ => false,
                });
                if matched {
                    names.push(head.get(1).map(|w| w.text.clone()).unwrap_or_default());
                    bodies.push(body);
                }
            } else if head
                .first()
                .is_some_and(|w| w.text == "group" || w.text == "shared-network")
            {
                collect_classes(body, eval, names, bodies);
            }
        }
    }
}

fn run(
    statements: &[Stmt],
    scope: Scope,
    eval: &Eval<'_>,
    found: &mut Found,
    subnet_seen: &mut bool,
) {
    for s in statements {
        match s {
            Stmt::Simple { words, .. } => match &words[..] {
                [w, value, ..] if w.text == "filename" => {
                    Found::set(&mut found.filename, scope, value)
                }
                [w, name, value, ..] if w.text == "option" && name.text == "bootfile-name" => {
                    Found::set(&mut found.filename, scope, value)
                }
                [w, value, ..] if w.text == "next-server" => {
                    Found::set(&mut found.next_server, scope, value)
                }
                _ => {}
            },
            Stmt::If { branches, .. } => {
                for (cond, body) in branches {
                    let taken = match cond {
                        Some(words) => truthy(&eval.expr(words, &mut 0)),
                        None => true,
                    };
                    if taken {
                        run(body, scope, eval, found, subnet_seen);
                        break;
                    }
                }
            }
            Stmt::Block { head, body, .. } => match head.first().map(|w| w.text.as_str()) {
                Some("subnet") if !*subnet_seen => {
                    *subnet_seen = true;
                    run(body, scope.max(Scope::Subnet), eval, found, subnet_seen);
                }
                Some("shared-network" | "group" | "pool") => {
                    run(body, scope, eval, found, subnet_seen)
                }
                _ => {}
            },
        }
    }
}

/// The option 93 values the file's conditions compare with (`option NAME =
/// VALUE` where NAME is option 93), so rules can ask about those
/// architectures.
pub fn tested_archs(config: &IscConfig) -> Vec<u16> {
    let mut codes = Vec::new();
    option_codes(&config.statements, &mut codes);
    let eval = Eval {
        client: &ClientRequest::default(),
        codes,
    };
    let mut archs = Vec::new();
    let mut scan = |words: &[Token]| {
        for w in words.windows(4) {
            if w[0].text == "option"
                && eval.code(&w[1].text) == Some(93)
                && (w[2].text == "=" || w[2].text == "!=")
            {
                let value = &w[3].text;
                let arch = if value.contains(':') {
                    value
                        .split(':')
                        .try_fold(0u32, |n, p| {
                            u8::from_str_radix(p, 16).ok().map(|b| n << 8 | b as u32)
                        })
                        .and_then(|n| u16::try_from(n).ok())
                } else {
                    value.parse().ok()
                };
                if let Some(a) = arch.filter(|a| !archs.contains(a)) {
                    archs.push(a);
                }
            }
        }
    };
    fn walk(statements: &[Stmt], scan: &mut dyn FnMut(&[Token])) {
        for s in statements {
            match s {
                Stmt::Simple { words, .. } => scan(words),
                Stmt::Block { body, .. } => walk(body, scan),
                Stmt::If { branches, .. } => {
                    for (cond, body) in branches {
                        if let Some(c) = cond {
                            scan(c);
                        }
                        walk(body, scan);
                    }
                }
            }
        }
    }
    walk(&config.statements, &mut scan);
    archs
}

/// Every `filename` / `option bootfile-name` value, in file order.
pub fn boot_file_tokens(config: &IscConfig) -> Vec<&Token> {
    fn walk<'c>(statements: &'c [Stmt], out: &mut Vec<&'c Token>) {
        for s in statements {
            match s {
                Stmt::Simple { words, .. } => match &words[..] {
                    [w, value, ..] if w.text == "filename" => out.push(value),
                    [w, name, value, ..] if w.text == "option" && name.text == "bootfile-name" => {
                        out.push(value)
                    }
                    _ => {}
                },
                Stmt::Block { body, .. } => walk(body, out),
                Stmt::If { branches, .. } => {
                    for (_, body) in branches {
                        walk(body, out);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&config.statements, &mut out);
    out
}
