use std::path::PathBuf;

/// Everything that stops a build, with the path, argv or tool involved.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(
        "{path} is not an iPXE source tree: {missing} not found (give the repository root or its src/ folder)"
    )]
    NotIpxeTree { path: PathBuf, missing: String },
    #[error("unknown build target `{target}`: {reason}")]
    UnknownTarget { target: String, reason: String },
    #[error("no target given: name one with --target, e.g. --target bin/undionly.kpxe")]
    NoTargets,
    #[error("{what} {path} cannot be passed to iPXE's Makefile: {why}")]
    UnusablePath {
        what: &'static str,
        path: PathBuf,
        why: String,
    },
    #[error("two embedded files have the image name `{name}`: {first} and {second}")]
    DuplicateImageName {
        name: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{0}")]
    BadOption(String),
    #[error(
        "unknown config macro `{name}`: it is neither in the catalogue nor mentioned in any src/config/*.h; name its header as HEADER:{name} (e.g. console.h:{name})"
    )]
    UnknownMacro { name: String },
    #[error("`{tool}` not found{needed_for}: install the Debian package `{package}`")]
    MissingTool {
        tool: String,
        package: String,
        needed_for: String,
    },
    #[error(
        "the header <{header}> is missing ({needed_for}): install the Debian package `{package}`"
    )]
    MissingHeader {
        header: String,
        package: String,
        needed_for: String,
    },
    #[error(
        "the lint found {count} error(s) in the embedded script(s) for these targets; fix them or pass --force"
    )]
    LintErrors { count: usize },
    #[error("could not start `{program}`: {error}")]
    MakeNotStarted {
        program: String,
        error: std::io::Error,
    },
    #[error("make failed ({status}); last lines of its output:\n{tail}\nfull log: {log}")]
    MakeFailed {
        status: String,
        tail: String,
        log: PathBuf,
    },
    #[error("make reported success but did not produce {path}")]
    MissingOutput { path: PathBuf },
    #[error(
        "interrupted: make was stopped; the source tree was never modified (build copy: {build_dir})"
    )]
    Interrupted { build_dir: PathBuf },
    #[error("the build directory {path} is in use by ipxebuild process {pid}")]
    BuildDirBusy { path: PathBuf, pid: u32 },
    #[error("{context} {path}: {error}")]
    Io {
        context: &'static str,
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("fetching iPXE: {0}")]
    Fetch(String),
}

impl BuildError {
    pub(crate) fn io(
        context: &'static str,
        path: impl Into<PathBuf>,
    ) -> impl FnOnce(std::io::Error) -> BuildError {
        let path = path.into();
        move |error| BuildError::Io {
            context,
            path,
            error,
        }
    }
}
