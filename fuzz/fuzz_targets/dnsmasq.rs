//! Any bytes read as a dnsmasq configuration (including themselves through
//! `conf-file`/`conf-dir`) give places inside their files, and the resolver
//! and every DHCP rule run on the result without panicking.
#![no_main]

use std::path::{Path, PathBuf};

use ipxe_dhcp_config::{ClientRequest, DnsmasqConfig, Limits, MemFs, resolve};
use ipxe_dhcp_lint::{Cx, Selection, TftpRoot, lint};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let fs = MemFs::default()
        .with("/etc/dnsmasq.conf", &text)
        .with("/etc/dnsmasq.d/a.conf", &text)
        .with("/tftp/undionly.kpxe", "placeholder");
    let limits = Limits {
        depth: 4,
        total_bytes: 1 << 20,
        files: 16,
    };
    let config = DnsmasqConfig::read(&fs, Path::new("/etc/dnsmasq.conf"), limits);
    for d in &config.directives {
        let len = config.source(d.loc.file).text.len() as u32;
        for loc in std::iter::once(d.loc).chain(d.args.iter().map(|a| a.loc)) {
            assert!(loc.start <= loc.end && loc.end <= len, "place outside its file");
        }
    }
    for arch in [0, 7, 11] {
        resolve(&config, &ClientRequest::pxe_firmware(arch));
        resolve(&config, &ClientRequest::ipxe(arch));
    }
    let tftp = TftpRoot {
        dir: PathBuf::from("/tftp"),
        fs: &fs,
        given: true,
    };
    let cx = Cx::new(&config, Some(tftp));
    let found = lint(&cx, &Selection::default());
    assert_eq!(found.len(), config.sources.len());
});
