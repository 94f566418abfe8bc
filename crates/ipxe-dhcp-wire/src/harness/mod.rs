//! Asks a real DHCP server what it answers each kind of boot client.
//!
//! A run creates two network namespaces joined by a veth pair (addresses in
//! 10.213.0.0/24 exist only there), starts `dnsmasq` in the server one with
//! the given configuration, and sends each client kind's DHCPDISCOVER (then
//! DHCPREQUEST) from a UDP socket in the client one. Every wait has a
//! timeout, the whole run has a deadline, dnsmasq is stopped by PID and the
//! namespaces are deleted even when something fails.
//!
//! Needs root, iproute2 (`ip`) and dnsmasq.

mod command;
mod exchange;
mod netns;
mod server;

use std::fmt;
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use crate::client::{ClientIdentity, ClientKind};
use crate::packet::Packet;

pub use command::run_bounded;
pub use server::{dhcpd_version, dnsmasq_version};

/// The address the client side uses after a proxy offer.
pub const CLIENT_ADDRESS: Ipv4Addr = Ipv4Addr::new(10, 213, 0, 100);
/// The server's address inside the private namespace.
pub const SERVER_ADDRESS: Ipv4Addr = Ipv4Addr::new(10, 213, 0, 1);
/// A `dhcp-range` line for configurations: the pool the client side can
/// receive unicast replies on.
pub const DHCP_RANGE_LINE: &str = "dhcp-range=10.213.0.150,10.213.0.250,255.255.255.0,1h";
/// A `dhcp-range` line for proxy DHCP on the private subnet.
pub const PROXY_RANGE_LINE: &str = "dhcp-range=10.213.0.0,proxy,255.255.255.0";

#[derive(Debug)]
pub struct HarnessError(pub String);

impl fmt::Display for HarnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HarnessError {}

pub type Result<T> = std::result::Result<T, HarnessError>;

pub(crate) fn fail<T>(message: impl Into<String>) -> Result<T> {
    Err(HarnessError(message.into()))
}

/// Limits for one run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// The whole run, setup to teardown.
    pub deadline: Duration,
    /// One wait for one reply.
    pub reply_timeout: Duration,
    /// DISCOVERs sent before giving up on a client (servers may ignore it).
    pub attempts: u32,
    /// Also send a DHCPREQUEST for an offer with an address, and record the
    /// ACK.
    pub request: bool,
    /// After a proxy offer (no address) to a PXE client, also ask the boot
    /// server on port 4011, as PXE clients do, and record its answer.
    pub boot_server: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            deadline: Duration::from_secs(60),
            reply_timeout: Duration::from_millis(1500),
            attempts: 2,
            request: true,
            boot_server: true,
        }
    }
}

/// What the server answered one client.
#[derive(Clone, Debug)]
pub struct Observation {
    pub client: ClientKind,
    pub identity: ClientIdentity,
    /// The DHCPOFFER (or proxy offer), if any came.
    pub offer: Option<Packet>,
    /// The reply to our DHCPREQUEST (ACK or NAK), if one was sent and came.
    pub ack: Option<Packet>,
    /// The proxy server's answer on port 4011 (see
    /// [`RunOptions::boot_server`]), if asked and answered.
    pub boot_server_reply: Option<Packet>,
    /// The server's log lines about this client (dnsmasq's `--log-dhcp`
    /// lines with its xid; dhcpd's lines with its MAC).
    pub log: Vec<String>,
}

impl Observation {
    /// The boot file the offer gives (option 67, else `file`), as text.
    pub fn offered_boot_file(&self) -> Option<String> {
        text(self.offer.as_ref()?.boot_file()?)
    }

    /// The boot file the client ends up with: the port-4011 answer's when
    /// there is one, else the offer's.
    pub fn boot_file(&self) -> Option<String> {
        match &self.boot_server_reply {
            Some(reply) => text(reply.boot_file()?),
            None => self.offered_boot_file(),
        }
    }
}

fn text(bytes: &[u8]) -> Option<String> {
    Some(String::from_utf8_lossy(bytes).into_owned())
}

/// Panics, saying what is missing, unless this process can run the dnsmasq
/// harness: root, `ip` and `dnsmasq`. Tests call it so they never pass by
/// skipping.
pub fn require_environment() {
    require_root_and_ip();
    if let Err(error) = run_bounded("dnsmasq", &["--version"], Duration::from_secs(5)) {
        panic!("the harness needs `dnsmasq` (apt-get install dnsmasq): {error}");
    }
}

/// As [`require_environment`], for ISC dhcpd (`isc-dhcp-server`).
pub fn require_dhcpd_environment() {
    require_root_and_ip();
    if let Err(error) = dhcpd_version() {
        panic!("the harness needs `dhcpd` (apt-get install isc-dhcp-server): {error}");
    }
}

fn require_root_and_ip() {
    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    assert_eq!(
        euid, 0,
        "the harness needs root (it creates network namespaces); run the test as root"
    );
    if let Err(error) = run_bounded("ip", &["-V"], Duration::from_secs(5)) {
        panic!("the harness needs `ip` (apt-get install iproute2): {error}");
    }
}

/// Runs dnsmasq with `config` (dnsmasq.conf lines; use [`DHCP_RANGE_LINE`]
/// or [`PROXY_RANGE_LINE`] for the range) and observes what it answers each
/// of `clients`, in order, client `i` with [`ClientIdentity::numbered`]`(i)`.
pub fn observe_dnsmasq(
    config: &str,
    clients: &[ClientKind],
    options: &RunOptions,
) -> Result<Vec<Observation>> {
    observe(server::dnsmasq, config, clients, options)
}

/// Runs ISC dhcpd with `config` (a dhcpd.conf; it needs a `subnet
/// 10.213.0.0 netmask 255.255.255.0 { … }` with a range in
/// 10.213.0.128/25) and observes what it answers each of `clients`, as
/// [`observe_dnsmasq`] does.
pub fn observe_dhcpd(
    config: &str,
    clients: &[ClientKind],
    options: &RunOptions,
) -> Result<Vec<Observation>> {
    observe(server::dhcpd, config, clients, options)
}

fn observe(
    spec: for<'a> fn(&netns::NetnsPair, &'a str) -> server::ServerSpec<'a>,
    config: &str,
    clients: &[ClientKind],
    options: &RunOptions,
) -> Result<Vec<Observation>> {
    let deadline = Instant::now() + options.deadline;
    let namespaces = netns::NetnsPair::create(deadline)?;
    let server = server::ServerProcess::start(&namespaces, spec(&namespaces, config), deadline)?;
    let exchanges = exchange::run_clients(&namespaces, clients, options, deadline);
    let log = server.stop();
    drop(namespaces);
    let exchanges = exchanges?;
    Ok(exchanges
        .into_iter()
        .map(|exchange| {
            let exchange::Exchange {
                client,
                identity,
                offer,
                ack,
                boot_server_reply,
            } = exchange;
            // dnsmasq starts its lines with the xid; dhcpd names the MAC.
            let xid = identity.xid.to_string();
            let mac = identity.mac.map(|b| format!("{b:02x}")).join(":");
            let log = log
                .iter()
                .filter(|line| {
                    line.split_whitespace().any(|word| word == xid) || line.contains(&mac)
                })
                .cloned()
                .collect();
            Observation {
                client,
                identity,
                offer,
                ack,
                boot_server_reply,
                log,
            }
        })
        .collect())
}
