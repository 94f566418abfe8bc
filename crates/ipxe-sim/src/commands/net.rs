//! Network interface commands (`src/hci/commands/ifmgmt_cmd.c`,
//! `src/usr/ifmgmt.c`): one NIC, `net0`, configured from the mock's `[dhcp]`.

use ipxe_catalog::Command;

use super::{parse, tri};
use crate::config::StartContext;
use crate::engine::{Flow, Machine, Rc};
use crate::errno::{ErrFile, Posix, Status};
use crate::settings::BlockKind;

/// Checks interface names (`parse_netdev`); none means every device.
fn check_ifaces(m: &mut Machine, names: &[String]) -> Flow<Rc> {
    for n in names {
        let known = n == "net0" || (n == "netX" && m.net_open);
        if !known {
            m.print(&format!("\"{n}\": no such network device\n"))?;
            return Ok(Err(Status::err(Posix::Enodev, ErrFile::Parseopt)));
        }
    }
    Ok(Ok(()))
}

pub fn dhcp(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    tri!(check_ifaces(m, &o.args)?);
    let mac = m.cfg.mac.to_ascii_lowercase();
    m.print(&format!("Configuring (net0 {mac})..."))?;
    m.net_open = true;
    m.settings.net_x = m.net0;
    let line = m.current_line();
    m.net_commands
        .push((argv[0].clone(), line, m.cfg.dhcp_works));
    if !m.cfg.dhcp_works {
        m.wait_ms(15_000);
        let status = Status::err(Posix::Etimedout, ErrFile::Dhcp);
        let msg = format!(" {}\n", m.strerror(status));
        m.print(&msg)?;
        return Ok(Err(status));
    }
    m.print(" ok\n")?;
    configure_net0(m);
    Ok(Ok(()))
}

/// Stores the mock's DHCP answer in `net0.dhcp` and brings the interface up.
pub fn configure_net0(m: &mut Machine) {
    m.net_open = true;
    m.settings.net_x = m.net0;
    let Some(net0) = m.net0 else { return };
    let block = match m.settings.child(net0, "dhcp") {
        Some(b) => {
            m.settings.blocks[b].values.clear();
            b
        }
        None => m.settings.add_block(net0, "dhcp", BlockKind::Dhcp),
    };
    let values = m.cfg.dhcp.clone();
    for (name, value) in &values {
        let parsed = m.settings.parse_name(name, false);
        if let Ok(mut n) = parsed {
            n.block = block;
            let _ = m.settings.store_text(&n, value);
        }
    }
    if let Some((_, ns)) = values.iter().find(|(k, _)| k == "next-server") {
        m.cwuri = Some(format!("tftp://{ns}/"));
    }
}

/// Whether IPv4 traffic can leave through net0: routes exist only for an
/// open device with an address (`ipv4_route` skips closed devices), however
/// the address got there (`dhcp`, `ifconf` or `set net0/ip`).
pub fn net0_has_address(m: &mut Machine) -> bool {
    m.net_open && m.settings.expand_lookup("net0/ip").is_some()
}

/// Why net0 has no address, in terms of what the script did (or did not do).
pub fn no_address_hint(m: &Machine) -> String {
    let embedded = m.cfg.start == StartContext::Embedded;
    let last = |name: &str| m.net_commands.iter().rev().find(|(c, _, _)| c == name);
    if let Some((_, line, _)) = last("ifclose").filter(|_| !m.net_open) {
        return format!(
            "net0 is closed: the script closed it with `ifclose` (line {line}) and never opened it again"
        );
    }
    let configured = m
        .net_commands
        .iter()
        .rev()
        .find(|(c, _, _)| c == "dhcp" || c == "ifconf");
    if let Some((cmd, line, ok)) = configured {
        return if *ok {
            "net0 has no IPv4 address: `dhcp` succeeded but the DHCP answer (the --net file's [dhcp]) has no `ip`".to_string()
        } else {
            format!(
                "net0 has no IPv4 address: `{cmd}` failed at line {line} and the script went on without one"
            )
        };
    }
    if !embedded {
        return "net0 has no IPv4 address: iPXE's DHCP gave none (the --net file's [dhcp] has no `ip`)"
            .to_string();
    }
    let opened = last("ifopen").map(|(_, line, _)| *line);
    let did = match opened {
        Some(line) => format!(
            "this script opens net0 with `ifopen` (line {line}) but never runs `dhcp` or `ifconf` nor sets net0/ip"
        ),
        None => "this script never runs `dhcp` or `ifconf`".to_string(),
    };
    format!(
        "net0 has no IPv4 address: {did}, and it ran embedded (--start embedded: an EMBED= \
         script or .lkrn initrd, where nothing configures the network first); embedded in a \
         real iPXE build it fails here too. Run `dhcp` before the first download, or use \
         --start chained if a DHCP server hands this script to iPXE"
    )
}

pub fn ifopen(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    tri!(check_ifaces(m, &o.args)?);
    let line = m.current_line();
    m.net_commands.push(("ifopen".into(), line, true));
    m.net_open = true;
    m.settings.net_x = m.net0;
    Ok(Ok(()))
}

pub fn ifclose(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    tri!(check_ifaces(m, &o.args)?);
    let line = m.current_line();
    m.net_commands.push(("ifclose".into(), line, true));
    m.net_open = false;
    Ok(Ok(()))
}

pub fn ifstat(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    tri!(check_ifaces(m, &o.args)?);
    let mac = m.cfg.mac.to_ascii_lowercase();
    let state = if m.net_open { "open" } else { "closed" };
    let link = if m.net_open {
        "up"
    } else {
        "down, Unknown (http://ipxe.org/1a086194)"
    };
    m.print(&format!(
        "net0: {mac} using 82540em on 0000:00:03.0 ({state})\n  [Link:{link}, TX:0 TXE:0 RX:0 RXE:0]\n"
    ))?;
    Ok(Ok(()))
}
