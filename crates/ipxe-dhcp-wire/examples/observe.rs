//! Prints what a real dnsmasq answers every client kind for a configuration.
//!
//! usage (root): cargo run -p ipxe-dhcp-wire --example observe -- [--dhcpd] CONFIG.conf
//! The file's lines are used as they are; add `dhcp-range=…` for the
//! private subnet 10.213.0.0/24 (see the crate README).

use ipxe_dhcp_wire::ClientKind;
use ipxe_dhcp_wire::harness::{
    RunOptions, observe_dhcpd, observe_dnsmasq, require_dhcpd_environment, require_environment,
};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let dhcpd = args.first().is_some_and(|a| a == "--dhcpd");
    if dhcpd {
        args.remove(0);
    }
    let path = args.first().expect("usage: observe [--dhcpd] CONFIG.conf");
    let config = std::fs::read_to_string(path).expect("reading the configuration");
    let observations = if dhcpd {
        require_dhcpd_environment();
        observe_dhcpd(&config, &ClientKind::ALL, &RunOptions::default())
    } else {
        require_environment();
        observe_dnsmasq(&config, &ClientKind::ALL, &RunOptions::default())
    }
    .unwrap_or_else(|e| panic!("{e}"));
    for o in observations {
        println!("== {}", o.client);
        match &o.offer {
            None => println!("   no offer"),
            Some(offer) => {
                println!(
                    "   offer: yiaddr {} siaddr {} boot file {:?} sname {:?} options {:?}",
                    offer.yiaddr,
                    offer.siaddr,
                    o.offered_boot_file(),
                    offer.sname_field().map(String::from_utf8_lossy),
                    offer.options.iter().map(|o| o.code).collect::<Vec<_>>()
                );
            }
        }
        if let Some(ack) = &o.ack {
            println!(
                "   ack: {:?} boot file {:?}",
                ack.options.message_type(),
                ack.boot_file().map(String::from_utf8_lossy)
            );
        }
        if let Some(reply) = &o.boot_server_reply {
            println!(
                "   port 4011: boot file {:?} siaddr {}",
                reply.boot_file().map(String::from_utf8_lossy),
                reply.siaddr
            );
        }
        for line in &o.log {
            println!("   | {line}");
        }
    }
}
