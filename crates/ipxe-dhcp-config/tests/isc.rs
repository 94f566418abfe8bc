//! The PXE subset of ISC dhcpd: reading and answering clients.

use ipxe_dhcp_config::ClientRequest;
use ipxe_dhcp_config::isc::{IscConfig, Stmt, resolve_isc};

const CHAINLOAD: &str = r#"
# The chainloading pattern from ipxe.org.
option space ipxe;
option ipxe-encap-opts code 175 = encapsulate ipxe;
option ipxe.bus-id code 177 = string;
option arch code 93 = unsigned integer 16;

subnet 10.0.0.0 netmask 255.255.255.0 {
  range 10.0.0.100 10.0.0.200;
  next-server 10.0.0.1;
  if exists user-class and option user-class = "iPXE" {
    filename "http://10.0.0.1/boot.ipxe";
  } elsif option arch = 00:07 {
    filename "ipxe.efi";
  } else {
    filename "undionly.kpxe";
  }
}
"#;

fn file(text: &str, client: &ClientRequest) -> Option<(String, u32)> {
    let c = IscConfig::parse("dhcpd.conf", text.as_bytes());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    resolve_isc(&c, client)
        .filename
        .map(|(f, loc)| (f, loc.line))
}

#[test]
fn the_chainload_pattern_answers_each_client() {
    assert_eq!(
        file(CHAINLOAD, &ClientRequest::ipxe(0)),
        Some(("http://10.0.0.1/boot.ipxe".into(), 12))
    );
    assert_eq!(
        file(CHAINLOAD, &ClientRequest::pxe_firmware(7)),
        Some(("ipxe.efi".into(), 14))
    );
    assert_eq!(
        file(CHAINLOAD, &ClientRequest::pxe_firmware(0)),
        Some(("undionly.kpxe".into(), 16))
    );
    let c = IscConfig::parse("dhcpd.conf", CHAINLOAD.as_bytes());
    let a = resolve_isc(&c, &ClientRequest::ipxe(0));
    assert_eq!(a.next_server.unwrap().0, "10.0.0.1");
}

#[test]
fn classes_exists_on_ipxe_sub_options_and_numbers() {
    let text = r#"
option space ipxe;
option ipxe.bus-id code 177 = string;
option client-arch code 93 = unsigned integer 16;
filename "global.kpxe";
class "efi64" { match if option client-arch = 7; filename "ipxe.efi"; }
class "ipxe" { match if exists ipxe.bus-id; filename "boot.ipxe"; }
class "pxe" { match if substring (option vendor-class-identifier, 0, 9) = "PXEClient"; }
subnet 10.0.0.0 netmask 255.255.255.0 { filename "subnet.kpxe"; }
"#;
    let c = IscConfig::parse("dhcpd.conf", text.as_bytes());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let a = resolve_isc(&c, &ClientRequest::pxe_firmware(7));
    assert_eq!(a.classes, ["efi64", "pxe"]);
    assert_eq!(a.filename.unwrap().0, "ipxe.efi");
    // A class beats the subnet, which beats the global scope.
    let a = resolve_isc(&c, &ClientRequest::ipxe(0));
    assert_eq!(a.filename.unwrap().0, "boot.ipxe");
    let a = resolve_isc(&c, &ClientRequest::pxe_firmware(0));
    assert_eq!(a.filename.unwrap().0, "subnet.kpxe");
    assert_eq!(
        resolve_isc(&c, &ClientRequest::default())
            .filename
            .unwrap()
            .0,
        "subnet.kpxe"
    );
}

#[test]
fn a_later_filename_in_the_same_scope_wins() {
    let text = "filename \"a\";\nfilename \"b\";\n";
    assert_eq!(
        file(text, &ClientRequest::pxe_firmware(0)),
        Some(("b".into(), 2))
    );
}

#[test]
fn broken_text_gives_problems_and_a_tree() {
    let c = IscConfig::parse(
        "dhcpd.conf",
        b"subnet 1 netmask 2 {\n  filename \"x\"\n}\n}\nhost a {",
    );
    let messages: Vec<(u32, &str)> = c
        .problems
        .iter()
        .map(|p| (p.loc.line, p.message.as_str()))
        .collect();
    assert!(
        messages
            .iter()
            .any(|(l, m)| *l == 2 && m.contains("without `;`")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|(l, m)| *l == 4 && m.contains("no block open")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|(_, m)| m.contains("missing `}`")),
        "{messages:?}"
    );
    assert!(matches!(c.statements[0], Stmt::Block { .. }));
}

/// Found by the `dhcpd` fuzz target: a `substring` length too large for a
/// number overflowed `from + len`. It reads to the end of the data instead.
#[test]
fn a_huge_substring_length_reads_to_the_end() {
    let text = r#"
class "pxeclients" {
  match if substring (option vendor-class-identifier, 1, 99999999999999999999999999) = "XEClient";
  filename "pxelinux.0";
}
"#;
    let c = IscConfig::parse("dhcpd.conf", text.as_bytes());
    let client = ClientRequest::pxe_firmware(0);
    assert_eq!(
        resolve_isc(&c, &client).filename.map(|(f, _)| f),
        None,
        "the rest of the vendor class is not just `XEClient`"
    );
    let text = text.replace("99999999999999999999999999", "18446744073709551615");
    let text = text.replace(r#"= "XEClient""#, r#"= "XEClient:Arch:00000:UNDI:002001""#);
    let c = IscConfig::parse("dhcpd.conf", text.as_bytes());
    assert_eq!(
        resolve_isc(&c, &client).filename.map(|(f, _)| f).as_deref(),
        Some("pxelinux.0")
    );
}
