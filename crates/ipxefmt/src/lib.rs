//! `ipxefmt [--check] [--diff] [--indent N] PATH…`: a thin front end over `ipxe-fmt`.
//! The binary parses the arguments and calls [`run`]; the fuzz harness
//! (`fuzz/`) calls it in-process.
//!
//! A directory stands for the scripts in it, found as `ipxelint` finds them
//! (`ipxe-files`). Exit status: 0 when everything is (now) formatted, 1 when
//! `--check` or `--diff` found a file that would change, 2 on an error (a
//! file or directory that can't be read or written; the others are still
//! processed).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Parser;
use ipxe_fmt::{FormatOptions, format};

#[derive(Parser, Debug)]
#[command(name = "ipxefmt", version, about = "Format iPXE scripts")]
pub struct Args {
    /// Files or directories to format in place. A directory stands for its
    /// `*.ipxe` files and files that start with `#!ipxe`, in all its
    /// subdirectories but hidden ones, `target` and `node_modules`. `-` reads
    /// stdin and writes stdout.
    #[arg(required = true, value_name = "PATH")]
    pub files: Vec<PathBuf>,
    /// Don't write; exit 1 if any file would change.
    #[arg(long)]
    pub check: bool,
    /// Don't write; print a unified diff of the changes (exit 1 if any).
    #[arg(long)]
    pub diff: bool,
    /// Indent commands under labels by N spaces (default: from .ipxefmt.toml, else 0).
    #[arg(long, value_name = "N", value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=ipxe_fmt::MAX_INDENT as u64))]
    pub indent: Option<usize>,
}

/// Formats every file of `args`, writing what the binary prints to `stdout`
/// and `stderr`; returns the exit status.
pub fn run(args: &Args, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let mut errored = false;
    let mut changed = false;
    let mut files = Vec::new();
    for path in &args.files {
        if path != Path::new("-") && path.is_dir() {
            match ipxe_files::scripts_in(path) {
                Ok(found) => files.extend(found),
                Err(e) => {
                    let _ = writeln!(stderr, "ipxefmt: {e}");
                    errored = true;
                }
            }
        } else {
            files.push(path.clone());
        }
    }
    for file in &files {
        match run_file(args, file, stdout) {
            Ok(c) => changed |= c,
            Err(e) => {
                if is_broken_pipe(&e) {
                    return 0;
                }
                let _ = writeln!(stderr, "ipxefmt: {e:#}");
                errored = true;
            }
        }
    }
    if errored {
        2
    } else if changed && (args.check || args.diff) {
        1
    } else {
        0
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn options_for(args: &Args, file: &Path) -> Result<FormatOptions> {
    let mut options = match FormatOptions::find(file) {
        Some(config) => FormatOptions::load(&config)?,
        None => FormatOptions::default(),
    };
    if let Some(indent) = args.indent {
        options.indent = indent;
    }
    Ok(options)
}

/// Formats one file; returns whether it changed (or would change).
fn run_file(args: &Args, file: &Path, stdout: &mut dyn Write) -> Result<bool> {
    let stdin = file == Path::new("-");
    let src = if stdin {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("reading stdin")?;
        buf
    } else {
        std::fs::read(file).with_context(|| format!("reading {}", file.display()))?
    };
    let options = options_for(args, if stdin { Path::new(".") } else { file })?;
    let out = format(&src, &options);
    let changed = out != src;
    let name = file.display().to_string();
    if args.diff {
        if changed {
            let old = String::from_utf8_lossy(&src);
            let new = String::from_utf8_lossy(&out);
            let diff = similar::TextDiff::from_lines(old.as_ref(), new.as_ref());
            let text = diff
                .unified_diff()
                .header(&name, &format!("{name} (formatted)"))
                .to_string();
            stdout
                .write_all(text.as_bytes())
                .context("writing the diff")?;
        }
    } else if args.check {
        if changed {
            writeln!(stdout, "would reformat {name}").context("writing stdout")?;
        }
    } else if stdin {
        stdout.write_all(&out).context("writing stdout")?;
    } else if changed {
        std::fs::write(file, &out).with_context(|| format!("writing {}", file.display()))?;
    }
    Ok(changed)
}
