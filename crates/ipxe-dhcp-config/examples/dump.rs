//! Prints what the reader makes of a dnsmasq configuration: its problems,
//! and what PXE firmware and iPXE of BIOS and x86-64 EFI would be handed.
//!
//! `cargo run -p ipxe-dhcp-config --example dump -- /etc/dnsmasq.conf`

use std::path::Path;

use ipxe_dhcp_config::{ClientRequest, DnsmasqConfig, Limits, RealFs, resolve};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE");
        std::process::exit(2);
    };
    let config = DnsmasqConfig::read(&RealFs, Path::new(&path), Limits::default());
    println!(
        "{} files, {} directives, {} problems",
        config.sources.len(),
        config.directives.len(),
        config.problems.len()
    );
    for p in &config.problems {
        println!(
            "  {}:{}: {:?}: {}",
            config.source(p.loc.file).path,
            p.loc.line,
            p.kind,
            p.message
        );
    }
    for arch in [0u16, 7] {
        for (who, client) in [
            ("firmware", ClientRequest::pxe_firmware(arch)),
            ("iPXE", ClientRequest::ipxe(arch)),
        ] {
            let answer = resolve(&config, &client);
            let file = answer.boot_file.map(|d| {
                format!(
                    "{} (from {})",
                    d.value,
                    config.place(config.directives[d.from].loc)
                )
            });
            println!(
                "  arch {arch} {who}: {}",
                file.as_deref().unwrap_or("no boot file")
            );
        }
    }
}
