//! `ipxefmt`: see the library ([`ipxefmt::run`]) for what it does.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = ipxefmt::Args::parse();
    let code = ipxefmt::run(
        &args,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(code)
}
