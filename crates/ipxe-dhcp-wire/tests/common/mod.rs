//! Shared by the real-server tests: the record of what a server answered,
//! and checking or rewriting it.

#![allow(dead_code)] // each test file uses its own part

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ipxe_dhcp_wire::ClientKind;
use ipxe_dhcp_wire::harness::Observation;
use ipxe_dhcp_wire::options::code;

pub use ipxe_dhcp_wire::record::{Case, Record};

pub fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The configurations under `tests/<dir>/`, by name, sorted.
pub fn config_names(dir: &str) -> Vec<String> {
    let dir = crate_dir().join("tests").join(dir);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "conf"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

pub fn config_text(dir: &str, name: &str) -> String {
    let path = crate_dir().join(format!("tests/{dir}/{name}.conf"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

pub fn read_record(path: &Path) -> Record {
    Record::read(path).unwrap_or_else(|e| panic!("{e}"))
}

pub fn text(bytes: Option<&[u8]>) -> String {
    let bytes = bytes.unwrap_or_default();
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

pub fn raw(bytes: Option<&[u8]>) -> String {
    String::from_utf8_lossy(bytes.unwrap_or_default()).into_owned()
}

pub fn case(config: &str, o: &Observation) -> Case {
    let offer = o.offer.as_ref();
    let file = o.boot_file().unwrap_or_default();
    let via = match (&o.boot_server_reply, &file) {
        (_, f) if f.is_empty() => "none",
        (Some(_), _) => "port-4011",
        (None, _) => "offer",
    };
    Case {
        config: config.to_owned(),
        client: o.client.name().to_owned(),
        offered: offer.is_some(),
        file: file.clone(),
        via: via.to_owned(),
        offer_file_field: text(offer.and_then(|p| p.file_field())),
        offer_option_67: raw(offer.and_then(|p| p.options.get(code::BOOTFILE_NAME))),
        offer_sname: text(offer.and_then(|p| p.sname_field())),
        offer_option_66: raw(offer.and_then(|p| p.options.get(code::TFTP_SERVER_NAME))),
        siaddr: offer.map(|p| p.siaddr.to_string()).unwrap_or_default(),
        pxe_menu: offer
            .and_then(|p| p.options.pxe_vendor())
            .and_then(Result::ok)
            .map(|vendor| {
                vendor
                    .boot_menu
                    .iter()
                    .map(|entry| String::from_utf8_lossy(&entry.description).into_owned())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The boot file each client kind ends up with, by client name.
pub fn files(observations: &[Observation]) -> Vec<(&'static str, String)> {
    observations
        .iter()
        .map(|o| (o.client.name(), o.boot_file().unwrap_or_default()))
        .collect()
}

pub fn file_of(observations: &[Observation], client: ClientKind) -> String {
    observations
        .iter()
        .find(|o| o.client == client)
        .and_then(Observation::boot_file)
        .unwrap_or_default()
}

/// Measures every configuration in `tests/<configs>/` with `observe` and
/// compares with the record at `tests/<record>`, or rewrites the record
/// when `UPDATE_OBSERVED` is set.
pub fn check_record(
    configs: &str,
    record: &str,
    version: String,
    observe: impl Fn(&str) -> Vec<Observation>,
) {
    let path = crate_dir().join("tests").join(record);
    let mut measured = Record {
        server_version: version.clone(),
        case: Vec::new(),
    };
    for config in config_names(configs) {
        for o in observe(&config) {
            measured.case.push(case(&config, &o));
        }
    }
    if std::env::var_os("UPDATE_OBSERVED").is_some() {
        let text = toml::to_string(&measured).expect("serialising the record");
        let header = format!(
            "# What a real server answered each client kind (ipxe-dhcp-wire's harness),\n\
             # for the configurations in tests/{configs}/.\n\
             # Rewritten by `UPDATE_OBSERVED=1 cargo test -p ipxe-dhcp-wire --test <server> -- --include-ignored`.\n\n"
        );
        std::fs::write(&path, format!("{header}{text}")).expect("writing the record");
        return;
    }
    let recorded = read_record(&path);
    assert_eq!(
        recorded.server_version, version,
        "the record was made with another server version; compare, then regenerate with UPDATE_OBSERVED=1"
    );
    for (was, now) in recorded.case.iter().zip(&measured.case) {
        assert_eq!(was, now, "{} / {} changed", now.config, now.client);
    }
    assert_eq!(recorded.case.len(), measured.case.len());
}

/// The record lists every configuration and client kind exactly once.
pub fn check_record_covers(configs: &str, record: &str) {
    let record = read_record(&crate_dir().join("tests").join(record));
    assert!(!record.server_version.is_empty());
    let recorded: BTreeSet<(String, String)> = record
        .case
        .iter()
        .map(|c| (c.config.clone(), c.client.clone()))
        .collect();
    assert_eq!(
        recorded.len(),
        record.case.len(),
        "a case is recorded twice"
    );
    let expected: BTreeSet<(String, String)> = config_names(configs)
        .into_iter()
        .flat_map(|config| {
            ClientKind::ALL
                .into_iter()
                .map(move |kind| (config.clone(), kind.name().to_owned()))
        })
        .collect();
    assert_eq!(
        recorded, expected,
        "configurations and record disagree; regenerate with UPDATE_OBSERVED=1"
    );
    for case in &record.case {
        assert_eq!(case.via == "none", case.file.is_empty(), "{case:?}");
        assert!(case.offered || case.file.is_empty(), "{case:?}");
    }
}
