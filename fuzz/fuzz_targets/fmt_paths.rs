//! `ipxefmt` as users run it, in-process (`ipxefmt::run`): fuzzed content
//! in a file and in a file of a subdirectory, a fuzzed `.ipxefmt.toml`
//! beside them, and the subdirectory given as a path (ipxefmt walks it). Nothing panics; a formatted file is what
//! `ipxe_fmt::format` gives; formatting again changes nothing, and
//! `--check` and `--diff` then find nothing.
#![no_main]

use std::path::{Path, PathBuf};

use ipxe_fmt::FormatOptions;
use ipxefmt::{Args, run};
use libfuzzer_sys::fuzz_target;

/// The input's first line is the config file (when it starts with `#cfg`);
/// the rest is the script.
fn split(data: &[u8]) -> (Option<&[u8]>, &[u8]) {
    match data.strip_prefix(b"#cfg") {
        Some(rest) => {
            let end = rest.iter().position(|&b| b == b'\n').map_or(rest.len(), |p| p + 1);
            (Some(&rest[..end]), &rest[end..])
        }
        None => (None, data),
    }
}

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ipxe-fuzz-fmt-paths-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).expect("a temporary directory");
    dir
}

fn ipxefmt(files: &[&Path], check: bool, diff: bool) -> (u8, String, String) {
    let args = Args { files: files.iter().map(|p| p.to_path_buf()).collect(), check, diff, indent: None };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(&args, &mut out, &mut err);
    (code, String::from_utf8_lossy(&out).into_owned(), String::from_utf8_lossy(&err).into_owned())
}

fuzz_target!(|data: &[u8]| {
    let (config, script) = split(data);
    let dir = dir();
    let top = dir.join("boot.ipxe");
    let nested = dir.join("sub").join("menu.ipxe");
    std::fs::write(&top, script).unwrap();
    std::fs::write(&nested, script).unwrap();
    let config_path = dir.join(".ipxefmt.toml");
    if let Some(config) = config {
        std::fs::write(&config_path, config).unwrap();
    }
    let options = match config {
        Some(_) => FormatOptions::load(&config_path).ok(),
        None => Some(FormatOptions::default()),
    };
    let sub = dir.join("sub");
    let (code, _, err) = ipxefmt(&[&top, &sub], false, false);
    match &options {
        Some(options) => {
            assert_eq!(code, 0, "{err}");
            let want = ipxe_fmt::format(script, options);
            for file in [&top, &nested] {
                assert_eq!(std::fs::read(file).unwrap(), want, "{}", file.display());
            }
            let (code, out, err) = ipxefmt(&[&top, &nested], true, false);
            assert_eq!((code, out.as_str()), (0, ""), "--check after formatting: {err}");
            let (code, out, err) = ipxefmt(&[&top, &nested], false, true);
            assert_eq!((code, out.as_str()), (0, ""), "--diff after formatting: {err}");
            let (code, _, err) = ipxefmt(&[&top, &nested], false, false);
            assert_eq!(code, 0, "{err}");
            assert_eq!(std::fs::read(&top).unwrap(), want, "idempotent");
        }
        None => {
            // A config that doesn't load: each file is an error, and untouched.
            assert_eq!(code, 2, "{err}");
            assert!(err.contains(".ipxefmt.toml"), "{err}");
            assert_eq!(std::fs::read(&top).unwrap(), script);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
});
