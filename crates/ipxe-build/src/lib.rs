//! The builder behind `ipxebuild`: builds iPXE targets with embedded scripts,
//! the config macros those scripts need, and a manifest of what was built.
//!
//! It works in two steps. [`plan`] reads everything (the tree, the scripts,
//! the catalogue, the lint) and decides the exact `make` argv and config
//! header lines, without writing anything; `--dry-run` prints it. [`execute`]
//! then builds in a **build-private copy** of `src/` (kept between runs in a
//! cache folder, so later builds are incremental) and copies the outputs and
//! a manifest to the output folder. The user's tree is only ever read.
//!
//! Why a copy and not the user's tree: iPXE's Makefile writes into `src/`
//! on every build — `bin*/` objects and `.xxx.list` files, an empty
//! `config/local/<hdr>.h` for every header that lacks one, and it touches
//! `config/named.h` whenever `CONFIG=` changes — so no in-tree build can
//! leave the tree as it was, and write-and-restore of `config/local/` would
//! race with a SIGINT and with the user's own edits.

mod error;
mod features;
mod run;
mod sha256;
mod sync;
mod tree;

use std::path::{Path, PathBuf};

use ipxe_diagnostics::{Diagnostic, Severity};
use ipxe_semantics::BuildProfile;

pub use error::BuildError;
pub use features::{NeededMacro, catalog_header, needed_macros};
pub use run::{Outcome, OutputFile, execute};
pub use sha256::sha256_hex;
pub use sync::{SyncStats, sync_tree};
pub use tree::{Tree, check_make_path, default_build_dir};

/// The tool's version, recorded in manifests.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Name of the manifest written next to the outputs.
pub const MANIFEST_NAME: &str = "ipxebuild-manifest.json";

/// Everything the user asked for.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The repository root or its `src/` folder.
    pub src: PathBuf,
    pub targets: Vec<String>,
    /// Files to embed, in order; the first is the script iPXE runs.
    pub embed: Vec<PathBuf>,
    pub out: PathBuf,
    /// Where the build copy lives; default: [`default_build_dir`].
    pub build_dir: Option<PathBuf>,
    /// `NAME`, `NAME=VALUE` or `HEADER:NAME[=VALUE]`.
    pub enable: Vec<String>,
    /// `NAME` or `HEADER:NAME`.
    pub disable: Vec<String>,
    pub auto_features: bool,
    /// Build even when the lint finds errors.
    pub force: bool,
    pub trust: Vec<PathBuf>,
    pub cert: Vec<PathBuf>,
    pub privkey: Option<PathBuf>,
    /// `obj[:level[:default]],…`
    pub debug: Option<String>,
    /// A named configuration (`CONFIG=`).
    pub config: Option<String>,
    /// Cross-compiler prefix (`CROSS=`).
    pub cross: Option<String>,
    /// Parallel jobs; default: the CPU count.
    pub jobs: Option<usize>,
    /// The make program; default `make`.
    pub make: Option<PathBuf>,
    /// Show make's output as it runs (it always goes to the log).
    pub verbose: bool,
}

/// Why a macro line is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// `--enable` / `--disable`.
    User,
    /// `--auto-features`: the script needs it.
    Auto(NeededMacro),
}

/// One `#define` or `#undef` the build adds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Define {
    pub name: String,
    pub value: Option<String>,
    pub header: String,
    /// `#define` (true) or `#undef` (false).
    pub enable: bool,
    pub origin: Origin,
}

impl Define {
    /// The header lines, exactly as written.
    pub fn lines(&self) -> Vec<String> {
        let why = match &self.origin {
            Origin::User if self.enable => "--enable".to_string(),
            Origin::User => "--disable".to_string(),
            Origin::Auto(m) => format!("--auto-features: {}", m.reason().replace("*/", "* /")),
        };
        match (&self.value, self.enable) {
            (_, false) => vec![format!("#undef {}\t/* {why} */", self.name)],
            (None, true) => vec![format!("#define {}\t/* {why} */", self.name)],
            (Some(v), true) => vec![
                format!("#undef {}", self.name),
                format!("#define {} {v}\t/* {why} */", self.name),
            ],
        }
    }
}

/// A file to embed.
#[derive(Clone, Debug)]
pub struct Embedded {
    /// As the user named it.
    pub source: PathBuf,
    /// The image name iPXE gives it (the file name).
    pub name: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
    /// Linted and read for features (starts with `#!` or is named `*.ipxe`).
    pub is_script: bool,
}

/// A config header in the build copy and what it will contain.
#[derive(Clone, Debug)]
pub struct HeaderFile {
    /// Relative to `src/`: `config/local/general.h` or `config/local/NAME/general.h`.
    pub path: String,
    /// The lines the builder adds (after the user's own content of that file).
    pub lines: Vec<String>,
}

/// One target with the features its build will have.
#[derive(Clone, Debug)]
pub struct TargetPlan {
    pub target: String,
    pub profile: BuildProfile,
}

/// Lint findings for one embedded script.
#[derive(Clone, Debug)]
pub struct LintReport {
    pub path: String,
    pub src: Vec<u8>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Everything decided before building; nothing has been written yet.
#[derive(Clone, Debug)]
pub struct Plan {
    pub tree: Tree,
    pub build_dir: PathBuf,
    pub targets: Vec<TargetPlan>,
    pub embedded: Vec<Embedded>,
    pub defines: Vec<Define>,
    pub headers: Vec<HeaderFile>,
    /// `make` and its arguments, run in the build copy's `src/`.
    pub argv: Vec<String>,
    /// The `NAME=VALUE` arguments of `argv`, for the manifest.
    pub variables: Vec<(String, String)>,
    pub lint: Vec<LintReport>,
    pub lint_errors: usize,
    pub out: PathBuf,
}

impl Plan {
    /// The copy of `src/` that make runs in.
    pub fn copy_src(&self) -> PathBuf {
        self.build_dir.join("src")
    }

    /// Where embedded files are staged (paths without spaces or commas).
    pub fn embed_dir(&self) -> PathBuf {
        self.build_dir.join("embed")
    }

    /// The `#define` lines the scripts made necessary.
    pub fn auto_enabled(&self) -> impl Iterator<Item = (&Define, &NeededMacro)> {
        self.defines.iter().filter_map(|d| match &d.origin {
            Origin::Auto(m) => Some((d, m)),
            Origin::User => None,
        })
    }
}

/// Checks a make target and returns its build profile.
pub fn parse_target(target: &str) -> Result<BuildProfile, BuildError> {
    let unknown = |reason: String| BuildError::UnknownTarget {
        target: target.to_string(),
        reason,
    };
    let profile = BuildProfile::from_target(target).map_err(|_| {
        unknown(
            "expected bin[-ARCH-PLATFORM]/NAME.FORMAT, e.g. bin/undionly.kpxe, bin/ipxe.lkrn or bin-x86_64-efi/ipxe.efi".into(),
        )
    })?;
    let file = target.rsplit('/').next().unwrap_or(target);
    let ok = ipxe_semantics::output_formats(profile.platform)
        .iter()
        .any(|f| {
            file.strip_suffix(f)
                .and_then(|stem| stem.strip_suffix('.'))
                .is_some_and(|stem| {
                    !stem.is_empty()
                        && stem
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
                })
        });
    if !ok || target.contains("..") || target.matches('/').count() != 1 {
        return Err(unknown(format!(
            "a {} target is NAME.FORMAT with FORMAT one of {}",
            profile.platform.as_str(),
            ipxe_semantics::output_formats(profile.platform).join(", ")
        )));
    }
    Ok(profile)
}

/// `HEADER:NAME=VALUE` → (header, name, value).
fn split_macro(spec: &str) -> Result<(Option<String>, String, Option<String>), BuildError> {
    let (header, rest) = match spec.split_once(':') {
        Some((h, rest)) => (Some(h.to_string()), rest),
        None => (None, spec),
    };
    let (name, value) = match rest.split_once('=') {
        Some((n, v)) => (n.to_string(), Some(v.to_string())),
        None => (rest.to_string(), None),
    };
    let ident = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let header_ok = header.as_deref().is_none_or(|h| {
        h.ends_with(".h")
            && h.len() > 2
            && h.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c))
    });
    if !ident || !header_ok || value.as_deref().is_some_and(|v| v.contains('\n')) {
        return Err(BuildError::BadOption(format!(
            "`{spec}` is not a config macro: expected NAME, NAME=VALUE or HEADER.h:NAME (e.g. PING_CMD, BANNER_TIMEOUT=0, console.h:CONSOLE_SERIAL)"
        )));
    }
    Ok((header, name, value))
}

fn resolve_header(tree: &Tree, name: &str, given: Option<String>) -> Result<String, BuildError> {
    if let Some(header) = given {
        if !tree.src.join("config").join(&header).is_file() {
            return Err(BuildError::BadOption(format!(
                "there is no src/config/{header} in {}",
                tree.src.display()
            )));
        }
        return Ok(header);
    }
    if let Some(header) = catalog_header(name) {
        return Ok(header);
    }
    tree.header_mentioning(name)?
        .ok_or_else(|| BuildError::UnknownMacro {
            name: name.to_string(),
        })
}

fn check_debug(debug: &str) -> Result<(), BuildError> {
    let ok = debug.split(',').all(|item| {
        let mut parts = item.split(':');
        let obj = parts.next().unwrap_or("");
        !obj.is_empty()
            && obj.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && parts.clone().count() <= 2
            && parts.all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_hexdigit() || c == 'x'))
    });
    if ok {
        Ok(())
    } else {
        Err(BuildError::BadOption(format!(
            "--debug `{debug}`: expected obj[:level[:default]][,obj…], e.g. dhcp,http:3"
        )))
    }
}

fn is_script(path: &Path, bytes: &[u8]) -> bool {
    bytes.starts_with(b"#!")
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("ipxe") || e.eq_ignore_ascii_case("gpxe"))
}

/// Decides everything without writing anything.
pub fn plan(request: &Request) -> Result<Plan, BuildError> {
    let tree = Tree::locate(&request.src)?;
    if request.targets.is_empty() {
        return Err(BuildError::NoTargets);
    }
    let mut targets = Vec::new();
    for target in &request.targets {
        let target = target.trim_start_matches("./").to_string();
        let profile = parse_target(&target)?;
        if !targets.iter().any(|t: &TargetPlan| t.target == target) {
            targets.push(TargetPlan { target, profile });
        }
    }
    if let Some(config) = &request.config {
        if config.is_empty()
            || !config
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
        {
            return Err(BuildError::BadOption(format!(
                "--config `{config}`: a named configuration is a plain folder name (e.g. qemu)"
            )));
        }
    }
    if let Some(debug) = &request.debug {
        check_debug(debug)?;
    }
    if let Some(cross) = &request.cross {
        if cross.is_empty() || cross.chars().any(|c| c.is_whitespace()) {
            return Err(BuildError::BadOption(format!(
                "--cross `{cross}`: expected a compiler prefix such as aarch64-linux-gnu-"
            )));
        }
    }

    // Embedded files: read now, so the digests describe what is embedded.
    let mut embedded: Vec<Embedded> = Vec::new();
    for path in &request.embed {
        let bytes = std::fs::read(path).map_err(BuildError::io("reading", path))?;
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
            .ok_or_else(|| BuildError::UnusablePath {
                what: "embedded file",
                path: path.clone(),
                why: "it has no UTF-8 file name".into(),
            })?;
        // The image name is the file name; it must survive the Makefile too.
        check_make_path("embedded file", Path::new(&name)).map_err(|_| {
            BuildError::UnusablePath {
                what: "embedded file",
                path: path.clone(),
                why: "its name (which becomes the image name) contains a space, comma or other character the Makefile cannot pass; rename the file".into(),
            }
        })?;
        if let Some(first) = embedded.iter().find(|e| e.name == name) {
            return Err(BuildError::DuplicateImageName {
                name,
                first: first.source.clone(),
                second: path.clone(),
            });
        }
        embedded.push(Embedded {
            source: path.clone(),
            sha256: sha256_hex(&bytes),
            is_script: is_script(path, &bytes),
            name,
            bytes,
        });
    }

    let build_dir = match &request.build_dir {
        Some(dir) => absolute(dir)?,
        None => default_build_dir(&tree),
    };
    check_make_path("build directory", &build_dir)?;
    let mut trust = Vec::new();
    for (what, path) in request
        .trust
        .iter()
        .map(|p| ("--trust certificate", p))
        .chain(request.cert.iter().map(|p| ("--cert certificate", p)))
        .chain(request.privkey.iter().map(|p| ("--privkey key", p)))
    {
        let abs = path
            .canonicalize()
            .map_err(BuildError::io("reading", path))?;
        let what: &'static str = what;
        check_make_path(what, &abs)?;
        trust.push((what, abs));
    }

    // The user's macros.
    let mut defines: Vec<Define> = Vec::new();
    for (spec, enable) in request
        .enable
        .iter()
        .map(|s| (s, true))
        .chain(request.disable.iter().map(|s| (s, false)))
    {
        let (header, name, value) = split_macro(spec)?;
        if !enable && value.is_some() {
            return Err(BuildError::BadOption(format!(
                "--disable `{spec}`: a disabled macro has no value"
            )));
        }
        let header = resolve_header(&tree, &name, header)?;
        defines.retain(|d| d.name != name);
        defines.push(Define {
            name,
            value,
            header,
            enable,
            origin: Origin::User,
        });
    }

    // Each target's feature set: stock, then the tree's own config folders,
    // then the user's macros.
    for t in &mut targets {
        let config = tree.src.join("config");
        if let Some(name) = &request.config {
            if config.join(name).is_dir() {
                t.profile
                    .apply_config_dir(&config.join(name))
                    .map_err(|e| BuildError::BadOption(e.to_string()))?;
            }
        }
        for dir in std::iter::once(config.join("local"))
            .chain(request.config.iter().map(|n| config.join("local").join(n)))
        {
            if dir.is_dir() {
                t.profile
                    .apply_config_dir(&dir)
                    .map_err(|e| BuildError::BadOption(e.to_string()))?;
            }
        }
        for d in &defines {
            t.profile.overrides.insert(d.name.clone(), d.enable);
        }
    }

    let scripts: Vec<(String, &[u8])> = embedded
        .iter()
        .filter(|e| e.is_script)
        .map(|e| (e.name.clone(), e.bytes.as_slice()))
        .collect();
    if request.auto_features {
        let profiles: Vec<BuildProfile> = targets.iter().map(|t| t.profile.clone()).collect();
        for needed in needed_macros(&scripts, &profiles) {
            // A user's --disable wins over what the script wants.
            if defines.iter().any(|d| d.name == needed.name) {
                continue;
            }
            for t in &mut targets {
                t.profile.overrides.insert(needed.name.clone(), true);
            }
            defines.push(Define {
                name: needed.name.clone(),
                value: None,
                header: needed.header.clone(),
                enable: true,
                origin: Origin::Auto(needed),
            });
        }
    }

    // Lint against every target's final feature set.
    let inputs: Vec<ipxe_lint::SourceInput<'_>> = embedded
        .iter()
        .filter(|e| e.is_script)
        .map(|e| ipxe_lint::SourceInput {
            path: e.source.display().to_string(),
            src: &e.bytes,
            ignore: Vec::new(),
        })
        .collect();
    let options = ipxe_lint::LintOptions {
        profiles: targets.iter().map(|t| t.profile.clone()).collect(),
        explicit_target: true,
        ..Default::default()
    };
    let results = ipxe_lint::lint_files(&inputs, &options);
    let mut lint = Vec::new();
    let mut lint_errors = 0;
    for (input, diagnostics) in inputs.iter().zip(results) {
        lint_errors += diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        lint.push(LintReport {
            path: input.path.clone(),
            src: input.src.to_vec(),
            diagnostics,
        });
    }

    // Header files: our lines go into the last header iPXE includes.
    let local_dir = match &request.config {
        Some(name) => format!("config/local/{name}"),
        None => "config/local".to_string(),
    };
    let mut headers: Vec<HeaderFile> = Vec::new();
    for d in &defines {
        let path = format!("{local_dir}/{}", d.header);
        match headers.iter_mut().find(|h| h.path == path) {
            Some(h) => h.lines.extend(d.lines()),
            None => headers.push(HeaderFile {
                path,
                lines: d.lines(),
            }),
        }
    }

    // The make command line.
    let jobs = request.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    });
    let make = request
        .make
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "make".into());
    let mut variables: Vec<(String, String)> = Vec::new();
    if !embedded.is_empty() {
        let embed_dir = build_dir.join("embed");
        let list: Vec<String> = embedded
            .iter()
            .map(|e| embed_dir.join(&e.name).display().to_string())
            .collect();
        variables.push(("EMBED".into(), list.join(",")));
    }
    let joined = |what: &str| {
        trust
            .iter()
            .filter(|(w, _)| *w == what)
            .map(|(_, p)| p.display().to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    for (var, what) in [
        ("TRUST", "--trust certificate"),
        ("CERT", "--cert certificate"),
        ("PRIVKEY", "--privkey key"),
    ] {
        let value = joined(what);
        if !value.is_empty() {
            variables.push((var.into(), value));
        }
    }
    if let Some(debug) = &request.debug {
        variables.push(("DEBUG".into(), debug.clone()));
    }
    if let Some(config) = &request.config {
        variables.push(("CONFIG".into(), config.clone()));
    }
    if let Some(cross) = &request.cross {
        variables.push(("CROSS".into(), cross.clone()));
    }
    // The copy has no ../.git, so give the Makefile the commit it would have
    // read from there: the binary then reports the same version.
    if let Some(commit) = &tree.commit {
        variables.push(("GITVERSION".into(), commit.clone()));
    }
    let mut argv = vec![make, format!("-j{jobs}")];
    argv.extend(variables.iter().map(|(k, v)| format!("{k}={v}")));
    argv.extend(targets.iter().map(|t| t.target.clone()));

    Ok(Plan {
        tree,
        build_dir,
        targets,
        embedded,
        defines,
        headers,
        argv,
        variables,
        lint,
        lint_errors,
        out: absolute(&request.out)?,
    })
}

fn absolute(path: &Path) -> Result<PathBuf, BuildError> {
    std::path::absolute(path).map_err(BuildError::io("resolving", path))
}

/// Quotes an argv for display (the build itself never goes through a shell).
pub fn shell_quote(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/._-+=,:@%".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Clones (or updates) iPXE from `url` into `dir` and checks out `rev`
/// (a tag, branch or commit), detached. Returns the checkout's root.
pub fn fetch_source(url: &str, rev: &str, dir: &Path) -> Result<PathBuf, BuildError> {
    if rev.is_empty() || rev.starts_with('-') || rev.chars().any(char::is_whitespace) {
        return Err(BuildError::BadOption(format!(
            "--fetch `{rev}`: not a git revision"
        )));
    }
    let git = |args: &[&str], cwd: Option<&Path>| -> Result<(), BuildError> {
        let mut command = std::process::Command::new("git");
        if let Some(cwd) = cwd {
            command.arg("-C").arg(cwd);
        }
        let out = command.args(args).output().map_err(|e| {
            BuildError::Fetch(format!(
                "running git: {e} (install the Debian package `git`)"
            ))
        })?;
        if out.status.success() {
            Ok(())
        } else {
            Err(BuildError::Fetch(format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )))
        }
    };
    if dir.join(".git").is_dir() {
        git(&["fetch", "--quiet", "--tags", "origin"], Some(dir))?;
    } else {
        if let Some(parent) = dir.parent() {
            std::fs::create_dir_all(parent).map_err(BuildError::io("creating", parent))?;
        }
        let dir_text = dir.to_string_lossy();
        git(&["clone", "--quiet", "--no-checkout", url, &dir_text], None)?;
    }
    let remote = format!("origin/{rev}");
    git(&["checkout", "--quiet", "--detach", rev], Some(dir))
        .or_else(|_| git(&["checkout", "--quiet", "--detach", &remote], Some(dir)))?;
    Ok(dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert!(parse_target("bin/undionly.kpxe").is_ok());
        assert!(parse_target("bin/ipxe.lkrn").is_ok());
        assert!(parse_target("bin-x86_64-efi/ipxe.efi").is_ok());
        assert!(parse_target("bin-x86_64-efi/snponly.efi").is_ok());
        assert!(parse_target("bin-x86_64-linux/tap.linux").is_ok());
        assert!(parse_target("bin/rtl8139--intel.rom").is_ok());
        for bad in [
            "bin/undionly",
            "bin/undionly.efi",
            "bin-x86_64-efi/ipxe.kpxe",
            "undionly.kpxe",
            "bin-foo/ipxe.efi",
            "bin/../x.kpxe",
            "bin/a/b.kpxe",
        ] {
            assert!(parse_target(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn macro_specs() {
        assert_eq!(
            split_macro("PING_CMD").unwrap(),
            (None, "PING_CMD".into(), None)
        );
        assert_eq!(
            split_macro("console.h:CONSOLE_SERIAL").unwrap(),
            (Some("console.h".into()), "CONSOLE_SERIAL".into(), None)
        );
        assert_eq!(
            split_macro("BANNER_TIMEOUT=0").unwrap(),
            (None, "BANNER_TIMEOUT".into(), Some("0".into()))
        );
        assert!(split_macro("1X").is_err());
        assert!(split_macro("A B").is_err());
        assert!(split_macro("x:Y").is_err());
    }

    #[test]
    fn define_lines() {
        let d = Define {
            name: "BANNER_TIMEOUT".into(),
            value: Some("0".into()),
            header: "general.h".into(),
            enable: true,
            origin: Origin::User,
        };
        assert_eq!(
            d.lines(),
            vec![
                "#undef BANNER_TIMEOUT",
                "#define BANNER_TIMEOUT 0\t/* --enable */"
            ]
        );
    }

    #[test]
    fn debug_values() {
        assert!(check_debug("dhcp,http:3,tftp:1:1").is_ok());
        assert!(check_debug("dhcp http").is_err());
        assert!(check_debug("").is_err());
        assert!(check_debug("x:1:2:3").is_err());
    }

    #[test]
    fn paths_for_make() {
        assert!(check_make_path("x", Path::new("/tmp/a/boot.ipxe")).is_ok());
        let e = check_make_path("embedded file", Path::new("/tmp/my dir/boot.ipxe"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/tmp/my dir/boot.ipxe") && e.contains("a space"),
            "{e}"
        );
        let e = check_make_path("x", Path::new("/tmp/a,b"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("a comma"), "{e}");
    }
}
