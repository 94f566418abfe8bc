//! ## What it does
//! Reports an image that a command boots or selects (`chain`, `boot`,
//! `imgexec`, `kernel`, `imgselect`, `imgload`) when its file name says what
//! kind of program it is and the target build has no image type that can run
//! that kind:
//!
//! | file name | image type | stock builds that have it |
//! |---|---|---|
//! | `*.efi`, `*.efi.signed` | EFI (`IMAGE_EFI`) | EFI only |
//! | `*.pxe`, `*.kpxe`, `*.kkpxe`, `*.kkkpxe`, `*.0`, `*.com`, `*.n12` | PXE (`IMAGE_PXE`) | BIOS only |
//! | `*.c32` (COM32), `*.cbt` (COMBOOT) | `IMAGE_COMBOOT` | none |
//! | `*.lkrn`, `memdisk`, `memtest*.0` | bzImage (`IMAGE_BZIMAGE`) | BIOS only |
//!
//! With `--target`, a missing type is an error. Without it, the script is
//! checked against the stock BIOS (i386) and EFI (x86_64) builds: a warning
//! when neither can run the image, info when only one cannot (a script that
//! branches on `${platform}` may never run the line there). A platform test
//! on the same line narrows the builds: `chain snponly.efi` after
//! `iseq ${platform} efi &&` is judged in EFI builds only, the command after
//! `iseq ${platform} pcbios && chain undionly.kpxe ||` in the others (and the
//! same for `${buildarch}`); where the only build left lacks the type, the
//! finding is a warning.
//!
//! iPXE finds an image's type from its content, not its name, so this rule
//! judges only names that settle the question, and stays quiet otherwise:
//! - Only the images that are run. What `initrd`, `module` and `imgfetch`
//!   load can be anything (an initrd, a Multiboot module, a WIM file).
//! - Only a literal name at the end of the URI's path (the query and
//!   fragment are dropped): `${base}/pxelinux.0` is judged, but
//!   `boot.${ext}` and `${file}` are not, and neither is a bare host name
//!   (`http://boot.example.com`).
//! - A Linux kernel built with the EFI stub is both a bzImage and an EFI
//!   program, so a BIOS build can run it: `.efi` names that look like a
//!   kernel or memtest86+ (`vmlinuz.efi`, `linux.efi`, `bzImage.efi`,
//!   `memtest64.efi`, ...) are not judged, nor is `${name}.efi`. Plain
//!   kernel names (`vmlinuz`, `linux`, `bzImage`) are never judged: with the
//!   EFI stub, EFI builds run them.
//! - `.0` only after a letter (`pxelinux.0`, not `menu-1.0`), and `.com` only
//!   on a one-dot name (`wdsnbp.com`, not `boot.example.com`). iPXE never
//!   takes `.com` for COMBOOT: only `.cbt` names are COMBOOT programs, and
//!   `.com` files in boot menus are PXE programs such as Windows
//!   `wdsnbp.com` and `pxeboot.com`.
//!
//! ## Why is this bad?
//! `chain`, `boot` and `imgexec` run an image only if one of the build's
//! image types recognised it; `kernel`, `imgselect` and `imgload` require the
//! same. A build links only the types its config enables, and some exist on
//! one platform only: EFI programs can run only in EFI builds, PXE programs
//! and bzImage kernels only in BIOS builds. An EFI build given such an image
//! prints `Could not boot: Exec format error` (`Could not select: ...` for
//! `kernel`) and the command fails, which aborts the script unless the line
//! ends in `||`. A BIOS build is worse: it takes any file of up to 609 KiB
//! that no other type recognised for a PXE program, so it starts an EFI
//! program or a COM32 module as raw real-mode code.
//!
//! ## Example
//! ```ipxe
//! #!ipxe
//! chain http://boot.example.com/ipxe/undionly.kpxe
//! ```
//!
//! Use instead: give each platform its own program, and test `${platform}`
//! on the same line (or name the build with `--target`).
//! ```ipxe
//! #!ipxe
//! set ipxe http://boot.example.com/ipxe
//! iseq ${platform} efi && chain ${ipxe}/snponly.efi || chain ${ipxe}/undionly.kpxe || shell
//! ```
//!
//! ## References
//! `image_probe`, `image_exec` and `image_select` in `src/core/image.c` (no
//! type: `ENOEXEC`); `imgsingle_exec` in `src/hci/commands/image_cmd.c` (the
//! `Could not boot`/`Could not select` messages); `src/config/general.h` and
//! `src/config/config.c` (`IMAGE_*`); `pxe_probe` in
//! `src/arch/x86/image/pxe_image.c`; `comboot_identify` and `com32_identify`
//! in `src/arch/x86/image/` (COMBOOT and COM32 go by the name's extension).

use ipxe_catalog::Platform;
use ipxe_semantics::{BuildProfile, ImageFactKind};

use crate::prelude::*;
use crate::util::{missing_in, shorten};

pub(crate) const RULE: Rule = Rule {
    code: "IPX603",
    name: "image-type-not-in-build",
    summary: "an image whose type the target iPXE build cannot run",
    severity: Severity::Error,
    fix: FixAvailability::None,
    check: Check::Commands(
        |c| {
            matches!(
                ImageFactKind::of_command(c),
                Some(ImageFactKind::Exec | ImageFactKind::Kernel)
            )
        },
        check,
    ),
};

/// What a file name says about the image.
struct Kind {
    /// The catalogue's name for the image type.
    catalog: &'static str,
    /// How messages name the type (iPXE's own names).
    shown: &'static str,
    /// The only platform whose builds can have the type.
    home: Platform,
}

const EFI: Kind = Kind {
    catalog: "efi",
    shown: "EFI",
    home: Platform::Efi,
};
const PXE: Kind = Kind {
    catalog: "pxe",
    shown: "PXE",
    home: Platform::Pcbios,
};
const COM32: Kind = Kind {
    catalog: "comboot",
    shown: "COM32",
    home: Platform::Pcbios,
};
const COMBOOT: Kind = Kind {
    catalog: "comboot",
    shown: "COMBOOT",
    home: Platform::Pcbios,
};
const BZIMAGE: Kind = Kind {
    catalog: "bzimage",
    shown: "bzImage",
    home: Platform::Pcbios,
};

/// The largest file `pxe_probe` takes for a PXE program: base memory above 0x7c00.
const PXE_MAX_KIB: u32 = (0xa0000 - 0x7c00) / 1024;

fn check(cx: &LineCx<'_>, sink: &mut Sink) {
    for (i, (command, bound)) in cx.line.commands.iter().zip(cx.bounds).enumerate() {
        // Most lines run no image: rule them out by the command alone.
        let Some(spec) = bound.spec else { continue };
        let verb = match ImageFactKind::of_command(spec) {
            Some(ImageFactKind::Exec) => "boot",
            Some(ImageFactKind::Kernel) => "select",
            _ => continue,
        };
        if bound.problem.is_some() {
            continue;
        }
        let Some(&index) = bound.positionals.first() else {
            continue;
        };
        check_word(cx, sink, i, &command.words[index], verb);
    }
}

fn check_word(cx: &LineCx<'_>, sink: &mut Sink, at: usize, word: &Word, verb: &str) {
    if word.unclosed.is_some() {
        return;
    }
    let text = word.text(cx.src);
    let Some(file) = file_name(word, text) else {
        return;
    };
    let Some(kind) = kind_of(&text[file.tail..file.end], file.whole) else {
        return;
    };
    let Some(image_type) = Catalog::get().image_type(kind.catalog) else {
        return;
    };
    // Only the builds the line runs in: `iseq ${platform} efi && chain x.efi`
    // never runs in a BIOS build.
    let guard = Guard::of(cx, at);
    let guarded: Vec<BuildProfile>;
    let profiles = match &guard {
        None => cx.profiles,
        Some(guard) => {
            guarded = cx
                .profiles
                .iter()
                .filter(|p| guard.admits(p))
                .cloned()
                .collect();
            &guarded
        }
    };
    let Some(missing) = missing_in(profiles, cx.explicit_target, |p| {
        p.has_image_type(image_type)
    }) else {
        return;
    };
    // A BIOS build with the PXE type takes what nothing else recognised for a
    // PXE program (when it is small enough).
    let caught = missing
        .lacking
        .iter()
        .filter(|p| p.has_image_type_named("pxe"))
        .count();
    let failure = if caught == missing.lacking.len() {
        format!(
            "iPXE runs it as a raw PXE program or prints `Could not {verb}: Exec format error`"
        )
    } else {
        format!("iPXE prints `Could not {verb}: Exec format error`")
    };
    let foreign = missing.lacking.iter().any(|p| p.platform != kind.home);
    let home_off = missing.lacking.iter().any(|p| p.platform == kind.home);
    let home = match kind.home {
        Platform::Pcbios => "BIOS",
        Platform::Efi => "EFI",
        other => other.as_str(),
    };
    let enable = format!(
        "{} in config/local/{}",
        image_type.macro_name,
        image_type.header.as_deref().unwrap_or("general.h")
    );
    let remedy = match (foreign, home_off) {
        (true, true) => format!(
            "{} images run only in {home} builds, with {enable}",
            kind.shown
        ),
        (true, false) => format!("{} images run only in {home} builds", kind.shown),
        _ => format!("enable {enable}"),
    };
    let message = format!(
        "`{}` needs the {} image type, which is not in {}: {failure}; {remedy}",
        shorten(&show(&text[file.start..file.end]), 64),
        kind.shown,
        missing.builds
    );
    let mut help = Vec::new();
    if caught > 0 {
        help.push(format!(
            "a BIOS build takes any file of up to {PXE_MAX_KIB} KiB that no other image type recognises for a PXE program, and starts it as raw real-mode code"
        ));
    }
    if !cx.explicit_target && missing.lacking.len() < profiles.len() {
        help.push(
            "if this line only runs on the other platform (after a `${platform}` check), ignore this; name the build with --target to check it alone".to_string(),
        );
    }
    let span = word.source_span(file.start as u32..file.end as u32);
    let d = sink.report_with(&RULE, missing.severity, span, message);
    if !help.is_empty() {
        d.set_help(help.join("; "));
    }
}

/// A platform test on the same line that decides whether a command runs:
/// `iseq ${platform} efi && X` runs `X` only in EFI builds, and the `Y` of
/// `iseq ${platform} pcbios && X || Y` (or `iseq ${platform} pcbios || Y`)
/// is meant for the other builds. `${buildarch}` tests work the same way.
struct Guard<'a> {
    /// Tests that must hold (`setting`, `value`), and whether they are negated.
    tests: Vec<(&'a [u8], &'a [u8], bool)>,
}

impl<'a> Guard<'a> {
    fn of(cx: &LineCx<'a>, at: usize) -> Option<Guard<'a>> {
        let commands = &cx.line.commands;
        let connector = |i: usize| commands[i].connector.map(|c| c.0);
        let mut tests = Vec::new();
        match connector(at) {
            // `T1 && T2 && X`: every test of the `&&` chain before `X` holds
            // (read back over `iseq`s only, so a long line stays linear).
            Some(Connector::And) => {
                let mut i = at;
                while i > 0 && connector(i) == Some(Connector::And) {
                    i -= 1;
                    if cx.bounds[i].spec.is_none_or(|s| s.name != "iseq") {
                        break;
                    }
                    if let Some((setting, value)) = platform_test(cx, i) {
                        tests.push((setting, value, false));
                    }
                }
            }
            // `T || X` and `T && A || X`: `X` is the other branch of test `T`.
            Some(Connector::Or) => {
                let test = match connector(at - 1) {
                    Some(Connector::And) if at >= 2 => at - 2,
                    Some(Connector::And) => return None,
                    _ => at - 1,
                };
                if matches!(connector(test), None | Some(Connector::Seq))
                    && let Some((setting, value)) = platform_test(cx, test)
                {
                    tests.push((setting, value, true));
                }
            }
            _ => {}
        }
        (!tests.is_empty()).then_some(Guard { tests })
    }

    fn admits(&self, profile: &BuildProfile) -> bool {
        self.tests.iter().all(|&(setting, value, negated)| {
            let actual = if setting == b"platform" {
                profile.platform.as_str()
            } else {
                profile.arch.as_str()
            };
            (actual.as_bytes() == value) != negated
        })
    }
}

/// `iseq ${platform} efi` (either way round) as (`platform`, `efi`); the same
/// for `${buildarch}`.
fn platform_test<'a>(cx: &LineCx<'a>, i: usize) -> Option<(&'a [u8], &'a [u8])> {
    let bound = &cx.bounds[i];
    if bound.spec?.name != "iseq" || bound.problem.is_some() || bound.positionals.len() != 2 {
        return None;
    }
    let words = &cx.line.commands[i].words;
    let a = words[bound.positionals[0]].text(cx.src);
    let b = words[bound.positionals[1]].text(cx.src);
    let setting = |t: &'a [u8]| {
        [&b"platform"[..], b"buildarch"]
            .into_iter()
            .find(|name| t.strip_prefix(b"${").and_then(|t| t.strip_suffix(b"}")) == Some(*name))
    };
    let literal = |t: &[u8]| !t.contains(&b'$');
    match (setting(a), setting(b)) {
        (Some(name), None) if literal(b) => Some((name, b)),
        (None, Some(name)) if literal(a) => Some((name, a)),
        _ => None,
    }
}

/// Where the file name at the end of a URI's path lies in the word.
struct FileName {
    /// The whole name, from the last `/` (or the word's start).
    start: usize,
    /// Its literal end, after the last `${...}` reference.
    tail: usize,
    end: usize,
    /// The whole name is literal (`tail == start`).
    whole: bool,
}

/// The file name at the end of the URI's path (the query and fragment
/// dropped). `None` when the path ends in a reference, names no file
/// (`dir/`) or is a bare host (`http://boot.example.com`).
///
/// Linear in the word: a hostile word may hold thousands of references.
fn file_name(word: &Word, text: &[u8]) -> Option<FileName> {
    // Outermost references, in order; nested ones lie inside them.
    let top = || {
        word.refs
            .iter()
            .filter(|r| r.parent.is_none())
            .map(|r| (r.range.start as usize, r.range.end as usize))
    };
    // The path ends at the first `?` or `#` outside a reference; `tail` is
    // where the literal text it ends in begins.
    let mut refs = top();
    let mut gap = 0;
    let (tail, end) = loop {
        let (next, after) = refs.next().unwrap_or((text.len(), text.len()));
        if let Some(at) = text[gap..next].iter().position(|&b| b == b'?' || b == b'#') {
            break (gap, gap + at);
        }
        if next == text.len() {
            break (gap, text.len());
        }
        gap = after;
    };
    if tail == end {
        return None;
    }
    // The last `/` outside references: in the literal tail, or before it.
    let slash = match text[tail..end].iter().rposition(|&b| b == b'/') {
        Some(at) => Some(tail + at),
        None => {
            let mut gap_end = tail;
            let mut found = None;
            for (start, after) in top().rev().filter(|&(_, after)| after <= tail) {
                if let Some(at) = text[after..gap_end].iter().rposition(|&b| b == b'/') {
                    found = Some(after + at);
                    break;
                }
                gap_end = start;
            }
            found.or_else(|| text[..gap_end].iter().rposition(|&b| b == b'/'))
        }
    };
    // `scheme://host` with nothing after the host names no file.
    if let Some(slash) = slash
        && slash >= 1
        && text[slash - 1] == b'/'
        && text[..slash - 1].ends_with(b":")
    {
        return None;
    }
    let start = slash.map_or(0, |s| s + 1);
    let tail = tail.max(start);
    (tail < end).then_some(FileName {
        start,
        tail,
        end,
        whole: tail == start,
    })
}

/// Which kind of program a literal name (or name tail) says the image is.
fn kind_of(name: &[u8], whole: bool) -> Option<&'static Kind> {
    let is = |a: &[u8], b: &str| a.eq_ignore_ascii_case(b.as_bytes());
    let Some(dot) = name.iter().rposition(|&b| b == b'.') else {
        // syslinux's memdisk exists only as a BIOS kernel.
        return is(name, "memdisk").then_some(&BZIMAGE);
    };
    let (stem, ext) = (&name[..dot], &name[dot + 1..]);
    if ext.len() > 6 {
        return None;
    }
    if is(ext, "efi") {
        return efi_program(stem, whole).then_some(&EFI);
    }
    // Ubuntu's `grubnetx64.efi.signed`, `shimx64.efi.signed`.
    if is(ext, "signed") {
        let inner = stem.iter().rposition(|&b| b == b'.')?;
        return (is(&stem[inner + 1..], "efi") && efi_program(&stem[..inner], whole))
            .then_some(&EFI);
    }
    if ["pxe", "kpxe", "kkpxe", "kkkpxe", "n12"]
        .iter()
        .any(|e| is(ext, e))
    {
        return Some(&PXE);
    }
    if ext == b"0" {
        // After a digit, `.0` is more likely a version (`memtest86-5.01.0`).
        if !stem.last().is_some_and(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        // memtest86+ is handed out as `memtest.0` for PXELINUX: a Linux-boot image.
        return Some(if contains(stem, "memtest") {
            &BZIMAGE
        } else {
            &PXE
        });
    }
    if is(ext, "com") {
        return (!stem.is_empty() && !stem.contains(&b'.')).then_some(&PXE);
    }
    if is(ext, "c32") {
        return Some(&COM32);
    }
    if is(ext, "cbt") {
        return Some(&COMBOOT);
    }
    if is(ext, "lkrn") {
        return Some(&BZIMAGE);
    }
    None
}

/// Whether an `.efi` name's stem is surely an EFI-only program: it is fully
/// known and does not look like a Linux kernel or memtest86+, which carry a
/// Linux boot header too and so also run in BIOS builds (as bzImage).
fn efi_program(stem: &[u8], whole: bool) -> bool {
    const DUAL: [&str; 7] = [
        "vmlinu", "linux", "bzimage", "kernel", "memtest", "mt86", "wimboot",
    ];
    whole
        && !stem.is_empty()
        && !DUAL.iter().any(|d| contains(stem, d))
}

/// Whether `text` contains `word`, ignoring ASCII case.
fn contains(text: &[u8], word: &str) -> bool {
    text.windows(word.len())
        .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
}

#[cfg(test)]
mod tests {
    use crate::{LintOptions, lint_source};
    use ipxe_semantics::BuildProfile;

    fn findings(src: &str, targets: &[&str]) -> Vec<(String, String)> {
        crate::util::findings_for("IPX603", src, targets)
    }

    const EFI: &str = "bin-x86_64-efi/ipxe.efi";
    const BIOS: &str = "bin/undionly.kpxe";

    #[test]
    fn bios_program_on_efi_target() {
        let got = findings("#!ipxe\nchain undionly.kpxe\n", &[EFI]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "error");
        assert_eq!(
            got[0].1,
            "`undionly.kpxe` needs the PXE image type, which is not in bin-x86_64-efi/ipxe.efi: iPXE prints `Could not boot: Exec format error`; PXE images run only in BIOS builds"
        );
        assert!(findings("#!ipxe\nchain undionly.kpxe\n", &[BIOS]).is_empty());
    }

    #[test]
    fn efi_program_on_bios_target() {
        let got = findings("#!ipxe\nchain shell.efi\nkernel tftp://h/EFI/BOOTX64.EFI\n", &[BIOS]);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].0, "error");
        assert_eq!(
            got[0].1,
            "`shell.efi` needs the EFI image type, which is not in bin/undionly.kpxe: iPXE runs it as a raw PXE program or prints `Could not boot: Exec format error`; EFI images run only in EFI builds"
        );
        assert!(got[1].1.contains("`Could not select: Exec format error`"), "{got:?}");
        assert!(findings("#!ipxe\nchain shell.efi\n", &[EFI]).is_empty());
    }

    #[test]
    fn default_pair_gives_infos_and_warnings() {
        let got = findings(
            "#!ipxe\nchain ${base}/ipxe.efi ||\nchain ${base}pxelinux.0 ||\nkernel mboot.c32 -c boot.cfg ||\nkernel memdisk iso raw ||\n",
            &[],
        );
        let severities: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(severities, ["info", "info", "warning", "info"], "{got:?}");
        assert!(
            got[0].1.contains("not in stock BIOS builds"),
            "{got:?}"
        );
        assert!(got[1].1.contains("not in stock EFI builds"), "{got:?}");
        assert!(
            got[2].1.ends_with(
                "not in stock iPXE builds (BIOS or EFI): iPXE prints `Could not select: Exec format error`; COM32 images run only in BIOS builds, with IMAGE_COMBOOT in config/local/general.h"
            ),
            "{got:?}"
        );
        assert!(got[3].1.starts_with("`memdisk` needs the bzImage image type"), "{got:?}");
    }

    #[test]
    fn names_that_do_not_settle_the_type_are_quiet() {
        let src = "#!ipxe
chain menu.ipxe
chain ${base}/boot.${ext}
chain ${file}
chain ${name}.efi
chain http://boot.example.com
chain http://10.0.0.0
chain boot.example.com
chain http://h/boot.php?file=shell.efi
chain http://h/shell.efi/
chain menu-1.0
kernel memtest86-5.01.0
kernel vmlinuz
kernel linux
kernel bzImage
kernel casper/vmlinuz.efi
kernel http://h/memtest64.efi
kernel wimboot
initrd shell.efi
imgfetch undionly.kpxe
module mboot.c32
boot
imgargs undionly.kpxe x
echo chain shell.efi
";
        for target in [EFI, BIOS] {
            assert!(findings(src, &[target]).is_empty(), "{target}: {:?}", findings(src, &[target]));
        }
    }

    #[test]
    fn query_fragment_and_references_before_the_name() {
        let src = "#!ipxe\nchain http://h/${dir}/undionly.kpxe?mac=${net0/mac}##params\nchain ${url}pxelinux.0\nimgexec --replace lpxelinux.0\n";
        let got = findings(src, &[EFI]);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].1.starts_with("`undionly.kpxe` needs"), "{got:?}");
        assert!(got[1].1.starts_with("`${url}pxelinux.0` needs"), "{got:?}");
        assert!(got[2].1.starts_with("`lpxelinux.0` needs"), "{got:?}");
    }

    #[test]
    fn platform_tests_on_the_line_choose_the_builds() {
        let src = "#!ipxe
iseq ${platform} pcbios && chain undionly.kpxe || chain snponly.efi
iseq ${platform} efi || chain undionly.kpxe
iseq efi ${platform} && chain snponly.efi
iseq ${platform} pcbios && kernel memtest.0 || kernel memtest.efi
iseq ${buildarch} x86_64 && chain EFI/BOOT/BOOTX64.EFI
iseq ${buildarch} arm64 && chain EFI/BOOT/BOOTAA64.EFI
iseq ${buildarch} i386 && iseq ${platform} pcbios && chain pxelinux.0
";
        assert!(findings(src, &[]).is_empty(), "{:?}", findings(src, &[]));
        // Where the only build that runs the line lacks the type, it surely fails.
        let got = findings("#!ipxe\niseq ${platform} pcbios && chain shell.efi ||\n", &[]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "warning");
        assert!(got[0].1.contains("not in stock BIOS builds"), "{got:?}");
        // A test of something else does not narrow anything.
        let got = findings("#!ipxe\niseq ${net0/mac} 00:11:22:33:44:55 && chain shell.efi ||\n", &[]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "info");
        // Nor does a test the command does not depend on.
        let got = findings("#!ipxe\niseq ${platform} efi ; chain shell.efi ||\n", &[]);
        assert_eq!(got.len(), 1, "{got:?}");
    }

    #[test]
    fn hostile_words_and_lines_stay_fast() {
        let word = "${a/b}".repeat(50_000);
        let src = format!("#!ipxe\nchain {word}x.efi\nchain {word}/x.efi?{word}\n");
        let got = findings(&src, &[BIOS]);
        assert_eq!(got.len(), 1, "{}", got.len());
        let line = "iseq ${platform} efi && chain x.efi && ".repeat(2_000);
        let src = format!("#!ipxe\n{line}echo\n");
        assert!(findings(&src, &[]).is_empty());
    }

    #[test]
    fn memtest_as_pxelinux_file_is_a_linux_boot_image() {
        let got = findings("#!ipxe\nchain memtest.0\n", &[EFI]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].1.starts_with("`memtest.0` needs the bzImage image type"), "{got:?}");
    }

    #[test]
    fn config_overrides_count() {
        let mut profile = BuildProfile::from_target(BIOS).unwrap();
        profile.overrides.insert("IMAGE_EFI".into(), true);
        let options = LintOptions {
            select: vec!["IPX603".into()],
            profiles: vec![profile],
            explicit_target: true,
            ..LintOptions::default()
        };
        assert!(lint_source("t.ipxe", b"#!ipxe\nchain shell.efi\n", &options).is_empty());

        let mut profile = BuildProfile::from_target(EFI).unwrap();
        profile.overrides.insert("IMAGE_EFI".into(), false);
        let options = LintOptions {
            select: vec!["IPX603".into()],
            profiles: vec![profile],
            explicit_target: true,
            ..LintOptions::default()
        };
        let got = lint_source("t.ipxe", b"#!ipxe\nchain shell.efi\n", &options);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            got[0]
                .message
                .ends_with("; enable IMAGE_EFI in config/local/general.h"),
            "{}",
            got[0].message
        );
    }
}
