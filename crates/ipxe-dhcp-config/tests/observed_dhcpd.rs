//! The differential test for ISC dhcpd: for every configuration and client
//! kind that ipxe-dhcp-wire's harness ran against a real dhcpd
//! (`crates/ipxe-dhcp-wire/tests/dhcpd_observed.toml`), `resolve_isc` must
//! give the file and next server dhcpd gave. Requests are built from the
//! DHCPDISCOVER bytes of each wire client model (tests/support). Runs
//! without root or dhcpd: it reads the record.
//!
//! Not compared: whether dhcpd offered (every recorded case was offered and
//! `IscAnswer` has no "no answer"), and `server-name` (`resolve_isc` does not
//! report it).

mod support;

use std::collections::BTreeMap;

use ipxe_dhcp_config::isc::{IscConfig, resolve_isc};
use support::{config_text, read_record, request_for, table};

#[test]
fn resolve_isc_answers_every_recorded_client_as_dhcpd_did() {
    let record = read_record("dhcpd_observed.toml");
    let mut tally: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut mismatches = Vec::new();
    for case in &record.case {
        // The premise of leaving the offer out of the comparison.
        assert!(
            case.offered,
            "{} / {}: dhcpd did not offer",
            case.config, case.client
        );
        let text = config_text("dhcpd_configs", &case.config);
        let config = IscConfig::parse(&format!("{}.conf", case.config), &text);
        assert!(
            config.problems.is_empty(),
            "{}: the reader reports problems dhcpd did not have: {:?}",
            case.config,
            config.problems
        );
        let answer = resolve_isc(&config, &request_for(case.kind()));
        let file = answer.filename.map(|(f, _)| f).unwrap_or_default();
        let via = if file.is_empty() { "none" } else { "offer" };
        // dhcpd puts `next-server` in `siaddr` (every configuration sets one).
        let next_server = answer.next_server.map(|(s, _)| s).unwrap_or_default();
        let fields = [
            ("file", case.file.as_str(), file.as_str()),
            ("via", case.via.as_str(), via),
            ("next server", case.siaddr.as_str(), next_server.as_str()),
        ];
        let entry = tally.entry(case.config.clone()).or_default();
        entry.1 += 1;
        let before = mismatches.len();
        for (field, want, got) in fields {
            if want != got {
                mismatches.push(format!(
                    "{:<31} {:<14} {:<12} {:<32} {}",
                    case.config, case.client, field, want, got
                ));
            }
        }
        if mismatches.len() == before {
            entry.0 += 1;
        }
    }
    assert!(
        tally.len() >= 6 && tally.values().all(|&(_, t)| t == 7),
        "{tally:?}"
    );
    println!("{}", table(&tally));
    assert!(
        mismatches.is_empty(),
        "resolve_isc disagrees with {} on {} field(s):\n\
         {:<31} {:<14} {:<12} {:<32} resolver\n{}\n\n{}",
        record.server_version,
        mismatches.len(),
        "configuration",
        "client",
        "field",
        "dhcpd",
        mismatches.join("\n"),
        table(&tally)
    );
}
