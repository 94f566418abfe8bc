//! The differential test: for every configuration and client kind that
//! ipxe-dhcp-wire's harness ran against a real dnsmasq
//! (`crates/ipxe-dhcp-wire/tests/dnsmasq_observed.toml`), the resolver must
//! give the answer dnsmasq gave. The client's request is built from the
//! DHCPDISCOVER bytes its wire model sends (tests/support). Runs without
//! root or dnsmasq: it reads the record.

mod support;

use std::collections::BTreeMap;

use ipxe_dhcp_config::{Answer, DnsmasqConfig, Kind, resolve};
use ipxe_dhcp_wire::record::Case;
use support::{config_text, read_record, request_for, table};

/// What the record and the resolver are compared on.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    offered: bool,
    /// The file the client ends up with ("" for none).
    file: String,
    /// "offer", "port-4011" (proxy DHCP: the boot server's answer) or "none".
    via: String,
    /// The boot server name (`sname` or option 66), "" for none.
    server_name: String,
    /// The boot server address (`siaddr`), when the configuration names one.
    server_address: Option<String>,
}

fn recorded(case: &Case, resolved: &Outcome) -> Outcome {
    Outcome {
        offered: case.offered,
        file: case.file.clone(),
        via: case.via.clone(),
        server_name: case.server_name().to_owned(),
        // dnsmasq puts its own address in `siaddr` when no `dhcp-boot`
        // names a server; compare only what the configuration decides.
        server_address: resolved
            .server_address
            .as_ref()
            .map(|_| case.siaddr.clone()),
    }
}

fn resolved(config: &DnsmasqConfig, answer: &Answer) -> Outcome {
    let file = answer
        .boot_file
        .as_ref()
        .map(|d| d.value.clone())
        .unwrap_or_default();
    let via = match (file.is_empty(), answer.proxy) {
        (true, _) => "none",
        (false, true) => "port-4011",
        (false, false) => "offer",
    };
    let server_name = answer
        .boot_file
        .as_ref()
        .and_then(|d| match &config.directives[d.from].kind {
            Kind::Boot { server_name, .. } => server_name.as_ref().map(|f| f.text.clone()),
            _ => None,
        })
        .unwrap_or_default();
    Outcome {
        offered: !answer.silent,
        file,
        via: via.to_owned(),
        server_name,
        server_address: answer.boot_server.as_ref().map(|d| d.value.clone()),
    }
}

/// Per configuration: (cases matched, cases), and one line per field that
/// differs.
fn compare(record: &str, configs: &str) -> (BTreeMap<String, (usize, usize)>, Vec<String>) {
    let record = read_record(record);
    let mut tally: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut mismatches = Vec::new();
    for case in &record.case {
        let text = config_text(configs, &case.config);
        let config = DnsmasqConfig::parse_str(&format!("{}.conf", case.config), &text);
        assert!(
            config.problems.is_empty(),
            "{}: the parser reports problems dnsmasq did not have: {:?}",
            case.config,
            config.problems
        );
        let answer = resolve(&config, &request_for(case.kind()));
        let ours = resolved(&config, &answer);
        let theirs = recorded(case, &ours);
        let entry = tally.entry(case.config.clone()).or_default();
        entry.1 += 1;
        if ours == theirs {
            entry.0 += 1;
            continue;
        }
        let fields = [
            (
                "offered",
                theirs.offered.to_string(),
                ours.offered.to_string(),
            ),
            ("file", theirs.file, ours.file),
            ("via", theirs.via, ours.via),
            ("server name", theirs.server_name, ours.server_name),
            (
                "server address",
                format!("{:?}", theirs.server_address),
                format!("{:?}", ours.server_address),
            ),
        ];
        for (field, want, got) in fields {
            if want != got {
                mismatches.push(format!(
                    "{:<31} {:<14} {:<15} {:<32} {}",
                    case.config, case.client, field, want, got
                ));
            }
        }
    }
    (tally, mismatches)
}

#[test]
fn the_resolver_answers_every_recorded_client_as_dnsmasq_did() {
    let (tally, mismatches) = compare("dnsmasq_observed.toml", "dnsmasq_configs");
    let configs = support::wire_tests_dir().join("dnsmasq_configs");
    let on_disk = std::fs::read_dir(&configs)
        .unwrap_or_else(|e| panic!("reading {}: {e}", configs.display()))
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "conf"))
        })
        .count();
    assert_eq!(
        tally.len(),
        on_disk,
        "every recorded configuration is compared"
    );
    assert!(
        tally.values().all(|&(_, t)| t == 7),
        "seven client kinds each: {tally:?}"
    );
    println!("{}", table(&tally));
    assert!(
        mismatches.is_empty(),
        "the resolver disagrees with dnsmasq 2.90 on {} field(s):\n\
         {:<31} {:<14} {:<15} {:<32} resolver\n{}\n\n{}",
        mismatches.len(),
        "configuration",
        "client",
        "field",
        "dnsmasq",
        mismatches.join("\n"),
        table(&tally)
    );
}

#[test]
fn the_bridge_reads_what_each_client_model_sends() {
    use ipxe_dhcp_wire::ClientKind;
    for kind in ClientKind::ALL {
        let request = request_for(kind);
        assert_eq!(request.arch, Some(kind.architecture()), "{kind}");
        assert_eq!(
            request.vendor_class.as_deref(),
            Some(kind.vendor_class().as_bytes()),
            "{kind}"
        );
        assert_eq!(request.is_ipxe(), kind.is_ipxe(), "{kind}");
        // Option 97 (client UUID) is sent by every model and kept as sent.
        assert!(
            request.option(97).is_some_and(|uuid| uuid.len() == 17),
            "{kind}"
        );
    }
    let ipxe = request_for(ClientKind::BiosIpxe);
    assert_eq!(ipxe.user_class.as_deref(), Some(&b"iPXE"[..]));
    assert!(ipxe.ipxe_options.as_ref().is_some_and(|o| !o.is_empty()));
    let http = request_for(ClientKind::EfiX64Http);
    assert!(http.vendor_class.unwrap().starts_with(b"HTTPClient"));
    assert_eq!(http.user_class, None);
}
