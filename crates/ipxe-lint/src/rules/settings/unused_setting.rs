//! ## What it does
//! Reports a setting that the script `set`s but that nothing reads: no
//! `${name}` in any script of the run, no `show`, `read`, `inc` or form
//! `item` of it, and iPXE itself does not use it.
//!
//! The best-known case gets its own warning: `set menu-timeout 5000` and
//! `set menu-default linux` followed by a `choose` without `--timeout` or
//! `--default`. Popular tutorials do this, but these names mean nothing to
//! iPXE: `choose` only takes its timeout and default as options.
//!
//! These are not reported: settings iPXE reads itself (every predefined
//! setting, such as `net0/ip`, `filename`, `next-server`, `user-class`,
//! `username`, `root-path`, `keep-san`, `initiator-iqn`, `syslog`, and
//! numbered DHCP options like `209`); settings read by any file linted in
//! the same run (chained scripts share settings); settings that a
//! reference with a computed name may read (`${menu-${i}}`, `${${x}}`);
//! `set`s whose name is itself computed (`set ${x} …`), into a block
//! (`set net0/x …`) or without a value (which deletes the setting).
//!
//! Other than the known trap, nothing is reported for scripts that chain or
//! run another script outside the run (`chain ${base-url}/next.ipxe` when
//! `next.ipxe` is not linted with them, or a computed URL), directly or
//! through the scripts of the run they are linked to: that script may read
//! the setting, and there is no way to tell. A script is told from a
//! kernel or binary by its file name (`vmlinuz`, `*.efi`, `*.kpxe`,
//! `wimboot`… run no script that could read settings).
//!
//! The known trap is a warning; the general case is info, since the script
//! may be chained by one that reads the setting after it returns.
//!
//! ## Why is this bad?
//! A setting nobody reads does nothing. Either the `set` is dead code, or
//! the script expects it to take effect: `menu-timeout` does not make the
//! menu time out, the menu waits forever, and the machine never boots
//! unattended; `menu-default` does not preselect an item, the first one is.
//! Often the reading side is misspelt (`set base-url …`, `${baseurl}`).
//!
//! ## Example
//! ```ipxe
//! set menu-timeout 5000
//! set menu-default linux
//! menu Boot
//! item linux Linux
//! item shell Shell
//! choose target && goto ${target}
//! ```
//!
//! Use instead:
//! ```ipxe
//! choose --timeout ${menu-timeout} --default ${menu-default} target && goto ${target}
//! ```
//!
//! ## Fix safety
//! The fix passes the settings to the menu's only `choose`
//! (`choose --timeout ${menu-timeout} …`). It is unsafe: the menu then
//! times out and preselects an item, which is the intent but changes what
//! the script does.
//!
//! ## References
//! `choose_exec` in `src/hci/commands/dynui_cmd.c` (the timeout and default
//! come only from options); `expand_settings` in `src/core/settings.c`;
//! the `__setting` table (`src/include/ipxe/settings.h`) and `fetch_setting`
//! in `src/core/settings.c` for the settings iPXE reads itself.

use std::path::Path;

use rustc_hash::FxHashSet;

use ipxe_semantics::{ChooseFact, FileModel, ImageFactKind, MenuEvent, Sym, WriteKind};

use crate::prelude::*;
use crate::rule::ProjectFacts;
use crate::util::numeric_tag;

pub(crate) const RULE: Rule = Rule {
    code: "IPX407",
    name: "unused-setting",
    summary: "a setting that is `set` but never read, by the scripts or by iPXE",
    severity: Severity::Warning,
    fix: FixAvailability::Sometimes,
    check: Check::File(check),
};

/// Names that tutorials set for `choose`, which does not read them; with
/// the option each should have been.
const MENU_TRAPS: &[(&str, &str)] = &[("menu-timeout", "timeout"), ("menu-default", "default")];

fn check(cx: &FileCx<'_>, sink: &mut Sink) {
    let model = cx.model;
    let catalog = Catalog::get();
    // The cheap tests first: most `set`s are of names this file reads.
    let unread: Vec<(Sym, Span, usize)> = model
        .writes_in_order()
        .into_iter()
        .filter_map(|(sym, write)| {
            let name = model.names.resolve(sym);
            let first = write.values.first()?.0;
            let predefined = std::str::from_utf8(name)
                .ok()
                .and_then(|n| catalog.setting(n))
                .is_some();
            let unread = !(name.is_empty()
                || model.reads.contains_key(&sym)
                || predefined
                || numeric_tag(name));
            unread.then_some((sym, first, write.values.len()))
        })
        .collect();
    if unread.is_empty() {
        return;
    }
    let run = cx.project.shared(RULE.code, || RunReads::new(cx.project));
    let chains_out = cx
        .project
        .file_of(model)
        .is_none_or(|file| run.chains_out[file]);
    for (sym, span, times) in unread {
        if run.reads(model.names.resolve(sym)) {
            continue;
        }
        let name = model.names.resolve(sym);
        let times = match times {
            1 => String::new(),
            n => format!(" (set {n} times)"),
        };
        if let Some(&(_, option)) = MENU_TRAPS.iter().find(|(n, _)| n.as_bytes() == name) {
            if menu_trap(cx, sink, span, name, option, &times) {
                continue;
            }
        }
        if chains_out {
            continue;
        }
        let shown = show(name);
        sink.report_with(
            &RULE,
            Severity::Info,
            span,
            format!("`{shown}` is set but never read: no script of the run reads `${{{shown}}}`, and iPXE does not use it{times}"),
        )
        .set_help(format!(
            "remove the `set`, fix the name where it is read, or lint this script together with the one that reads `{shown}`"
        ));
    }
}

/// What the files of the run read, worked out once per run.
struct RunReads {
    /// Setting names some file reads: a `${name}`, a `show`, a command that
    /// reads the setting before writing it (`read` offers the current value,
    /// `inc` adds to it; other commands that write a setting, such as
    /// `pciscan`, may read it too), or a form item that edits it.
    names: FxHashSet<Vec<u8>>,
    /// The literal ends of references with a computed name
    /// ([`FileModel::computed_reads`]).
    computed: FxHashSet<(Vec<u8>, Vec<u8>)>,
    /// By file: whether the file, or a file of the run linked to it by
    /// chaining, runs a script outside the run.
    chains_out: Vec<bool>,
}

impl RunReads {
    fn new(project: &ProjectFacts<'_>) -> RunReads {
        let mut names = FxHashSet::default();
        let mut computed = FxHashSet::default();
        for file in &project.files {
            let model = file.model;
            let name = |sym: Sym| model.names.resolve(sym).to_vec();
            names.extend(model.reads.keys().map(|&sym| name(sym)));
            names.extend(
                model
                    .writes
                    .iter()
                    .filter(|(_, w)| {
                        w.kinds
                            .iter()
                            .any(|(kind, _)| matches!(kind, WriteKind::Inc | WriteKind::Other))
                    })
                    .map(|(&sym, _)| name(sym)),
            );
            names.extend(model.menu_events.iter().filter_map(|e| match e {
                MenuEvent::Item(item) => item.name.map(name),
                _ => None,
            }));
            computed.extend(
                model
                    .computed_reads
                    .iter()
                    .map(|&(prefix, suffix)| (name(prefix), name(suffix))),
            );
        }
        RunReads {
            names,
            computed,
            chains_out: chains_out(project),
        }
    }

    /// Whether some file of the run may read the setting `name`.
    fn reads(&self, name: &[u8]) -> bool {
        self.names.contains(name)
            || self.computed.iter().any(|(prefix, suffix)| {
                name.len() >= prefix.len() + suffix.len()
                    && name.starts_with(prefix)
                    && name.ends_with(suffix)
            })
    }
}

/// Reports `set menu-timeout` (or `menu-default`) in a file whose menus
/// never take it: a `choose` without the option. Whether it did.
fn menu_trap(
    cx: &FileCx<'_>,
    sink: &mut Sink,
    span: Span,
    name: &[u8],
    option: &str,
    times: &str,
) -> bool {
    let chooses: Vec<&ChooseFact> = cx
        .model
        .menu_events
        .iter()
        .filter_map(|e| match e {
            MenuEvent::Choose(c) => Some(&**c),
            _ => None,
        })
        .collect();
    let lacking = |c: &&ChooseFact| match option {
        "timeout" => c.timeout.is_none(),
        _ => c.default.is_none(),
    };
    let Some(bare) = chooses.iter().copied().find(lacking) else {
        return false;
    };
    let shown = show(name);
    let effect = match option {
        "timeout" => "the menu never times out and waits for a key forever",
        _ => "the first item is preselected instead",
    };
    // The help passes every trap setting the file sets to the menu.
    let passed: Vec<String> = MENU_TRAPS
        .iter()
        .filter(|(n, _)| {
            cx.model
                .names
                .get(n.as_bytes())
                .and_then(|s| cx.model.writes.get(&s))
                .is_some_and(|w| !w.values.is_empty())
        })
        .map(|(n, o)| format!("--{o} ${{{n}}}"))
        .collect();
    let target = cx
        .model
        .text(bare.var)
        .map_or_else(|| "target".to_string(), show);
    let line = line_of(cx.src, bare.span.start);
    let d = sink.report(
        &RULE,
        span,
        format!("`{shown}` means nothing to iPXE and nothing reads it{times}: `choose` takes its {option} only as `--{option}`, so with the `choose` on line {line} {effect}"),
    );
    d.set_help(format!(
        "pass it to the menu: `choose {} {target}`",
        passed.join(" ")
    ));
    d.add_related(bare.span, format!("this `choose` has no `--{option}`"));
    // Only one menu to pass it to: otherwise which one is meant is a guess.
    if chooses.len() == 1 {
        let at = bare.span.start + "choose".len() as u32;
        d.set_fix(
            format!("pass it as `--{option} ${{{shown}}}`"),
            Applicability::Unsafe,
            vec![Edit::insert(at, format!(" --{option} ${{{shown}}}"))],
        );
    }
    true
}

/// The 1-based line of byte `at`.
fn line_of(src: &[u8], at: u32) -> usize {
    memchr::memchr_iter(b'\n', &src[..(at as usize).min(src.len())]).count() + 1
}

/// Where a `chain`, `imgexec`, `boot`, `kernel`… leads.
enum Target {
    /// A file of the run (its index).
    Run(usize),
    /// A kernel or another binary: no script runs, nothing reads settings.
    Binary,
    /// A script outside the run, or one whose name is computed.
    Outside,
}

/// By file: whether the file, or a file of the run linked to it by
/// chaining (in either direction, since settings outlive the script that
/// set them), runs a script outside the run, which may read any setting.
fn chains_out(project: &ProjectFacts<'_>) -> Vec<bool> {
    let files = &project.files;
    let names: Vec<Option<&[u8]>> = files
        .iter()
        .map(|f| Path::new(f.path).file_name().map(|n| n.as_encoded_bytes()))
        .collect();
    // Links among the run's files, both ways.
    let mut links: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
    let mut outside = vec![false; files.len()];
    for (i, file) in files.iter().enumerate() {
        for target in targets(file.model, file.src, &names) {
            match target {
                Target::Run(j) => {
                    links[i].push(j);
                    links[j].push(i);
                }
                Target::Binary => {}
                Target::Outside => outside[i] = true,
            }
        }
    }
    // Each group of linked files chains out if one of them does.
    let mut group = vec![usize::MAX; files.len()];
    let mut groups_out = Vec::new();
    for start in 0..files.len() {
        if group[start] != usize::MAX {
            continue;
        }
        let id = groups_out.len();
        let mut out = false;
        let mut stack = vec![start];
        group[start] = id;
        while let Some(i) = stack.pop() {
            out |= outside[i];
            for &j in &links[i] {
                if group[j] == usize::MAX {
                    group[j] = id;
                    stack.push(j);
                }
            }
        }
        groups_out.push(out);
    }
    group.into_iter().map(|id| groups_out[id]).collect()
}

/// Where each image a file runs leads (`chain`, `imgexec`, `boot NAME`,
/// and `kernel`/`imgselect`, which a later `boot` runs).
fn targets<'a>(
    model: &'a FileModel,
    src: &'a [u8],
    names: &'a [Option<&[u8]>],
) -> impl Iterator<Item = Target> + 'a {
    model
        .images
        .iter()
        .filter(|i| matches!(i.kind, ImageFactKind::Exec | ImageFactKind::Kernel))
        .map(move |image| {
            let uri = image.span.slice(src);
            let end = uri
                .iter()
                .position(|&b| b == b'?' || b == b'#')
                .unwrap_or(uri.len());
            let path = &uri[..end];
            let base = &path[path.iter().rposition(|&b| b == b'/').map_or(0, |p| p + 1)..];
            if base.is_empty() || base.windows(2).any(|w| w == b"${") {
                return Target::Outside;
            }
            // Scripts are often served without their `.ipxe` (`chain boot.cfg`).
            let named = |n: &[u8]| n == base || n.strip_suffix(b".ipxe") == Some(base);
            if let Some(i) = names.iter().position(|n| n.is_some_and(named)) {
                return Target::Run(i);
            }
            if binary(base) {
                Target::Binary
            } else {
                Target::Outside
            }
        })
}

/// Whether a file name is a kernel, boot loader or disk image rather than
/// a script: what it runs cannot read iPXE's settings. A script's
/// extension (`linux.ipxe`, `menu.php`) always makes it a script.
fn binary(base: &[u8]) -> bool {
    let lower = base.to_ascii_lowercase();
    // Names no script has.
    const PREFIXES: &[&[u8]] = &[b"vmlinuz", b"vmlinux", b"bzimage", b"wimboot", b"memdisk"];
    // Names of kernels when they are the whole name (`kernel`, `linux.efi`).
    const STEMS: &[&[u8]] = &[b"linux", b"kernel", b"xen", b"mboot"];
    const EXTENSIONS: &[&[u8]] = &[
        b"efi", b"kpxe", b"kkpxe", b"kkkpxe", b"pxe", b"lkrn", b"0", b"com", b"c32", b"img",
        b"iso", b"gz", b"xz", b"lz", b"lz4", b"lzma", b"zst", b"bin", b"krn", b"sys", b"wim",
        b"exe", b"elf", b"raw", b"usb", b"bz2", b"sdi", b"cpio",
    ];
    const SCRIPTS: &[&[u8]] = &[
        b"ipxe", b"cfg", b"txt", b"php", b"cgi", b"py", b"pl", b"sh", b"asp", b"aspx", b"jsp",
    ];
    let stem = &lower[..lower.iter().position(|&b| b == b'.').unwrap_or(lower.len())];
    let extension = lower.iter().rposition(|&b| b == b'.').map(|p| &lower[p + 1..]);
    if extension.is_some_and(|e| SCRIPTS.contains(&e)) {
        return false;
    }
    PREFIXES.iter().any(|p| stem.starts_with(p))
        || STEMS.contains(&stem)
        || extension.is_some_and(|e| EXTENSIONS.contains(&e))
}

#[cfg(test)]
mod tests {
    fn run(files: &[&str]) -> Vec<Vec<String>> {
        crate::util::run_findings("IPX407", files, &[])
            .into_iter()
            .map(|f| f.into_iter().map(|(m, _)| m).collect())
            .collect()
    }

    const TRAP: &str = "#!ipxe\nset menu-timeout 5000\nset menu-default linux\nmenu Boot\nitem linux Linux\nchoose target && goto ${target}\n:linux\nchain http://boot.example/x.ipxe\n";

    #[test]
    fn the_menu_trap_is_reported_even_when_the_script_chains_out() {
        let got = run(&[TRAP]);
        assert_eq!(got[0].len(), 2, "{got:?}");
        assert!(got[0][0].starts_with("`menu-timeout` means nothing to iPXE"), "{got:?}");
        assert!(got[0][0].contains("with the `choose` on line 6 the menu never times out"), "{got:?}");
        assert!(got[0][1].contains("the first item is preselected"), "{got:?}");
    }

    #[test]
    fn a_read_in_another_file_of_the_run_counts() {
        let child = "#!ipxe\nchoose --timeout ${menu-timeout} --default ${menu-default} target\n";
        let got = run(&[TRAP, child]);
        assert!(got.iter().all(Vec::is_empty), "{got:?}");
    }

    #[test]
    fn scripts_outside_the_run_may_read_it() {
        let set = "#!ipxe\nset site-name lab\n";
        assert_eq!(run(&[set])[0].len(), 1);
        for chain in [
            "chain http://x/next.ipxe",
            "chain ${base}/menu.php?mac=${mac}",
            "chain ${next}",
            "imgexec https://boot.netboot.xyz",
        ] {
            let got = run(&[&format!("{set}{chain}\n")]);
            assert!(got[0].is_empty(), "{chain}: {got:?}");
        }
        // A kernel reads no settings.
        let got = run(&[&format!("{set}chain http://x/vmlinuz quiet\nchain wimboot\n")]);
        assert_eq!(got[0].len(), 1, "{got:?}");
        // Through a file of the run that chains out, either way.
        let parent = "#!ipxe\nchain 1.ipxe\nchain http://elsewhere/x.ipxe\n";
        let got = run(&[parent, set]);
        assert!(got[1].is_empty(), "{got:?}");
        let got = run(&[set, "#!ipxe\nchain http://elsewhere/x.ipxe\n"]);
        assert_eq!(got[0].len(), 1, "unlinked files stay apart: {got:?}");
    }

    #[test]
    fn reads_of_every_kind_count() {
        for read in [
            "echo ${x}",
            "echo ${net0/x:hex}",
            "show x",
            "read x",
            "inc x",
            "item --form f x Label",
            "item linux Linux ${x}",
            "menu Boot ${x}",
            "params\nparam --params p k ${x}",
            "echo ${net0/${y${x}}}",
            "echo ${x${i}}",
            "echo ${${i}x}",
            "echo ${${y}}",
            "isset ${x} || goto a",
            "param --params p key ${x}",
            "chain http://h/${x}.ipxe",
            "set y ${x}\necho ${y}",
        ] {
            let got = run(&[&format!("#!ipxe\nset x 1\n{read}\n:a\n")]);
            assert!(got[0].is_empty(), "{read}: {got:?}");
        }
    }

    #[test]
    fn kernels_and_binaries_are_told_from_scripts_by_name() {
        for name in [
            "vmlinuz", "vmlinuz-6.1-amd64", "bzImage", "kernel", "linux", "wimboot",
            "memdisk", "ipxe.efi", "undionly.kpxe", "memtest.0", "initrd.img", "boot.iso",
        ] {
            assert!(super::binary(name.as_bytes()), "{name}");
        }
        for name in [
            "menu.ipxe", "linux.ipxe", "kernel.php", "boot.cfg", "next", "boot.netboot.xyz",
            "linux-menu", "ipxe-menu", "menu",
        ] {
            assert!(!super::binary(name.as_bytes()), "{name}");
        }
    }

    #[test]
    fn computed_reads_hide_only_the_names_they_may_read() {
        let got = run(&["#!ipxe\nset menu-x 1\nset menu 2\nset other 3\necho ${menu-${i}-x} ${m${j}u}\n"]);
        let names: Vec<&str> = got[0].iter().map(|m| m.split('`').nth(1).unwrap()).collect();
        assert_eq!(names, ["menu-x", "other"], "{got:?}");
    }

    #[test]
    fn settings_ipxe_reads_are_not_reported() {
        for set in [
            "set net0/ip 10.0.0.2",
            "set user-class x",
            "set filename x",
            "set keep-san 1",
            "set 209:string pxelinux.cfg",
            "set username u",
            "set ${x} 1",
            "set net0/y 1",
            "set gone",
        ] {
            let got = run(&[&format!("#!ipxe\n{set}\n")]);
            assert!(got[0].is_empty(), "{set}: {got:?}");
        }
    }
}
