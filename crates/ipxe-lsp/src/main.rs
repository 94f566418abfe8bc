//! `ipxe-lsp [--stdio]`: speaks LSP on stdin/stdout.

/// Parsing makes many small allocations; mimalloc serves them faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--version" | "-V" => {
                println!("ipxe-lsp {}", env!("CARGO_PKG_VERSION"));
                return;
            }
            "--help" | "-h" => {
                println!(
                    "ipxe-lsp {}: language server for iPXE scripts\n\nUsage: ipxe-lsp [--stdio]\n\nSpeaks the Language Server Protocol on stdin/stdout.",
                    env!("CARGO_PKG_VERSION")
                );
                return;
            }
            // Editors pass transport flags; stdio is the only one.
            _ => {}
        }
    }
    std::process::exit(ipxe_lsp::run_stdio());
}
