//! ## What it does
//! Reports a download (`chain`, `imgexec`, `kernel`, `initrd`, `imgfetch`,
//! `module`, `sanboot`) whose failure ends its line, because nothing on the
//! line handles it with `||`.
//!
//! ## Why is this bad?
//! Networks and servers fail. When the download fails the command fails, and
//! iPXE aborts the script on the spot with only the download error on the
//! screen. A top-level (embedded) script then exits iPXE altogether: BIOS
//! moves on to the next boot device. With `|| goto failed` the script can
//! say what happened, retry, or offer a shell. Reported once per script, at
//! the first such download, and only for scripts that handle some other
//! download or configure the network themselves (as top-level scripts do):
//! a chained script that never handles failures leaves them to its caller.
//!
//! ## Example
//! ```ipxe
//! kernel http://boot.example/vmlinuz
//! initrd http://boot.example/initrd.img
//! boot
//! ```
//!
//! Use instead:
//! ```ipxe
//! kernel http://boot.example/vmlinuz || goto failed
//! initrd http://boot.example/initrd.img || goto failed
//! boot || goto failed
//! :failed
//! echo Boot failed; dropping to a shell
//! shell
//! ```
//!
//! ## References
//! `imgexec`/`imgfetch` in `src/usr/imgmgmt.c` and `src/hci/commands/image_cmd.c`;
//! `sanboot_core_exec` in `src/hci/commands/sanboot_cmd.c`; `process_script`
//! in `src/image/script.c`.

use ipxe_semantics::ImageFactKind;

use crate::prelude::*;
use crate::util::shorten;

pub(crate) const RULE: Rule = Rule {
    code: "IPX210",
    name: "unguarded-fetch",
    summary: "a download without `||`: when it fails the script aborts",
    severity: Severity::Info,
    fix: FixAvailability::None,
    check: Check::File(check),
};

/// Downloads recorded as calls; `kernel`, `initrd` and friends are images.
const FETCH_CALLS: &[&str] = &["chain", "imgexec", "sanboot"];

/// The last name of a downloading image command in `text` (a whole word
/// followed by whitespace) and where it starts: one scan back over the words.
fn last_command(text: &[u8]) -> Option<(usize, &str)> {
    let mut end = text.len();
    loop {
        // Skip back over whitespace to the end of the previous word...
        while end > 0 && text[end - 1].is_ascii_whitespace() {
            end -= 1;
        }
        if end == 0 {
            return None;
        }
        // ...then to its start.
        let mut start = end - 1;
        while start > 0 && !text[start - 1].is_ascii_whitespace() {
            start -= 1;
        }
        // The word must be followed by whitespace.
        let word = &text[start..end];
        let name = std::str::from_utf8(word).ok().filter(|w| {
            matches!(
                ImageFactKind::of(w),
                Some(ImageFactKind::Kernel | ImageFactKind::Fetch)
            )
        });
        if let Some(name) = name.filter(|_| end < text.len()) {
            return Some((start, name));
        }
        end = start;
    }
}

/// One download: where, what it is, whether its failure ends the line.
struct Fetch<'a> {
    span: Span,
    line: u32,
    name: &'a str,
    unhandled: bool,
}

/// How many unguarded downloads are shown (the first, then related notes).
const SHOWN: usize = 6;

/// The earliest unguarded downloads, and counts.
#[derive(Default)]
struct Earliest<'a> {
    handles_some: bool,
    unguarded_count: usize,
    /// In source order, at most [`SHOWN`].
    shown: Vec<Fetch<'a>>,
}

impl<'a> Earliest<'a> {
    fn count(&mut self, unhandled: bool) {
        if unhandled {
            self.unguarded_count += 1;
        } else {
            self.handles_some = true;
        }
    }

    fn add(&mut self, fetch: Fetch<'a>) {
        self.count(fetch.unhandled);
        if !fetch.unhandled {
            return;
        }
        let key = |f: &Fetch| (f.line, f.span.start);
        let at = self.shown.partition_point(|f| key(f) <= key(&fetch));
        if at < SHOWN {
            self.shown.insert(at, fetch);
            self.shown.truncate(SHOWN);
        }
    }

    /// Whether a download on `line` comes after all of the shown ones.
    fn full_before(&self, line: u32) -> bool {
        self.shown.len() == SHOWN && self.shown[SHOWN - 1].line < line
    }
}

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    let calls = model
        .calls_named(FETCH_CALLS)
        .filter(|c| !(c.name() == "sanboot" && c.args.is_empty())) // boots a hooked drive
        .map(|c| Fetch {
            span: c.span,
            line: c.line,
            name: c.name(),
            unhandled: c.unhandled.is_some(),
        });
    // One pass, keeping only the earliest unguarded downloads: a huge
    // script has hundreds of thousands.
    let mut earliest = Earliest::default();
    for fetch in calls {
        earliest.add(fetch);
    }
    for image in &model.images {
        if !matches!(image.kind, ImageFactKind::Kernel | ImageFactKind::Fetch) {
            continue;
        }
        // Images come in line order: once six are shown from earlier lines,
        // later ones are only counted (finding the command name costs a scan).
        if image.unhandled && earliest.full_before(image.line) {
            earliest.count(true);
            continue;
        }
        // From the command's name to its URL.
        let line = model.lines[image.line as usize].span;
        let before = &cx.src[line.start as usize..image.span.start as usize];
        let Some((at, name)) = last_command(before) else {
            // The name is not written out (a continuation splits it): the
            // download still counts, but there is nothing to show.
            earliest.count(image.unhandled);
            continue;
        };
        earliest.add(Fetch {
            span: Span::new(line.start + at as u32, image.span.end),
            line: image.line,
            name,
            unhandled: image.unhandled,
        });
    }
    let Earliest {
        handles_some,
        unguarded_count,
        shown,
    } = earliest;
    let Some(first) = shown.first() else {
        return;
    };
    // Stay quiet on scripts that never handle download failures and are
    // chained by another script (whose `||` sees the failure): report when
    // the script handles some other download, or configures the network
    // itself as a top-level (embedded) script does.
    let top_level = model
        .calls_named(&["dhcp", "ifconf", "ifopen"])
        .next()
        .is_some();
    if !handles_some && !top_level {
        return;
    }
    let text = shorten(show(first.span.slice(cx.src)).trim(), 48);
    let what = match first.name {
        "sanboot" => "when the SAN target cannot be reached or booted",
        "chain" | "imgexec" => "when the download (or the program) fails",
        _ => "when the download fails",
    };
    let more = match unguarded_count {
        1 => String::new(),
        2 => " (so does 1 more download in this script)".to_string(),
        n => format!(" (so do {} more downloads in this script)", n - 1),
    };
    let d = sink.report(
        &RULE,
        first.span,
        format!("`{text}` fails {what}, and with no `||` iPXE then aborts the script{more}; a top-level script exits iPXE"),
    );
    for other in shown.iter().skip(1) {
        d.add_related(other.span, "also unguarded");
    }
    d.set_help(format!(
        "handle the failure: `{} … || goto failed` with a `:failed` block that explains and offers a shell",
        first.name
    ));
}
