//! The client side: a UDP socket on port 68 inside the client namespace.

use std::fs::File;
use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::os::fd::AsRawFd;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::command::{remaining, run_bounded};
use super::netns::NetnsPair;
use super::{CLIENT_ADDRESS, Result, RunOptions, fail};
use crate::client::{ClientIdentity, ClientKind};
use crate::options::MessageType;
use crate::packet::{BOOTREPLY, Packet};

pub(crate) struct Exchange {
    pub client: ClientKind,
    pub identity: ClientIdentity,
    pub offer: Option<Packet>,
    pub ack: Option<Packet>,
    pub boot_server_reply: Option<Packet>,
}

/// Runs every client's exchange, in order, on a thread that has entered the
/// client namespace (network namespaces are per thread, so the rest of the
/// process stays where it was).
pub(crate) fn run_clients(
    ns: &NetnsPair,
    clients: &[ClientKind],
    options: &RunOptions,
    deadline: Instant,
) -> Result<Vec<Exchange>> {
    let netns_path = format!("/run/netns/{}", ns.client);
    let interface = ns.client_if.clone();
    let namespace = ns.client.clone();
    let clients = clients.to_vec();
    let options = options.clone();
    let (done, result) = mpsc::channel();
    std::thread::spawn(move || {
        let outcome = enter_netns(&netns_path)
            .and_then(|()| client_socket(&interface))
            .and_then(|socket| {
                clients
                    .iter()
                    .enumerate()
                    .map(|(n, &kind)| {
                        let identity = ClientIdentity::numbered(n as u32);
                        set_mac(&namespace, &interface, identity.mac, deadline)?;
                        exchange(&socket, kind, identity, &options, deadline)
                    })
                    .collect()
            });
        let _ = done.send(outcome);
    });
    // The thread's own waits end by the deadline; this bounds the join.
    match result.recv_timeout(remaining(deadline, "client exchanges")? + Duration::from_secs(1)) {
        Ok(outcome) => outcome,
        Err(_) => fail("client exchanges did not finish by the run deadline"),
    }
}

/// Gives the client interface the client's MAC: a server that unicasts its
/// reply (no broadcast flag) addresses the frame to `chaddr`.
fn set_mac(namespace: &str, interface: &str, mac: [u8; 6], deadline: Instant) -> Result<()> {
    let mac = mac.map(|b| format!("{b:02x}")).join(":");
    let limit = Duration::from_secs(5).min(remaining(deadline, "setting the client MAC")?);
    let args = [
        "-n", namespace, "link", "set", "dev", interface, "address", &mac,
    ];
    run_bounded("ip", &args, limit).map(drop)
}

fn enter_netns(path: &str) -> Result<()> {
    let file = File::open(path).or_else(|e| fail(format!("opening {path}: {e}")))?;
    // SAFETY: a valid namespace fd; CLONE_NEWNET moves only this thread.
    if unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
        return fail(format!(
            "setns({path}): {}",
            std::io::Error::last_os_error()
        ));
    }
    Ok(())
}

fn client_socket(interface: &str) -> Result<UdpSocket> {
    let socket = UdpSocket::bind(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 68))
        .or_else(|e| fail(format!("binding UDP port 68: {e}")))?;
    socket
        .set_broadcast(true)
        .or_else(|e| fail(format!("SO_BROADCAST: {e}")))?;
    // Without an address, a limited broadcast needs an interface to leave by.
    let name = interface.as_bytes();
    // SAFETY: name is a valid buffer of the given length for the call.
    let rc = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_BINDTODEVICE,
            name.as_ptr().cast(),
            name.len() as libc::socklen_t,
        )
    };
    if rc != 0 {
        return fail(format!(
            "SO_BINDTODEVICE {interface}: {}",
            std::io::Error::last_os_error()
        ));
    }
    Ok(socket)
}

fn exchange(
    socket: &UdpSocket,
    kind: ClientKind,
    identity: ClientIdentity,
    options: &RunOptions,
    deadline: Instant,
) -> Result<Exchange> {
    let discover = kind.discover(&identity);
    let mut offer = None;
    for _ in 0..options.attempts.max(1) {
        offer = send_and_wait(socket, &discover, &[MessageType::Offer], options, deadline)?;
        if offer.is_some() {
            break;
        }
    }
    let mut ack = None;
    if let Some(offer) = &offer
        && options.request
        && !offer.yiaddr.is_unspecified()
    {
        let request = kind.request(&identity, offer);
        ack = send_and_wait(
            socket,
            &request,
            &[MessageType::Ack, MessageType::Nak],
            options,
            deadline,
        )?;
    }
    let mut boot_server_reply = None;
    if let Some(offer) = &offer
        && options.boot_server
        && offer.yiaddr.is_unspecified()
        && kind.vendor_class().starts_with("PXEClient")
    {
        let server = offer.options.server_identifier().unwrap_or(offer.siaddr);
        let request = kind.boot_server_request(&identity, offer, CLIENT_ADDRESS);
        boot_server_reply = ask_boot_server(&request, server, options, deadline)?;
    }
    Ok(Exchange {
        client: kind,
        identity,
        offer,
        ack,
        boot_server_reply,
    })
}

/// Sends `request` from the client's address to `server`:4011 and waits
/// for the ACK.
fn ask_boot_server(
    request: &Packet,
    server: Ipv4Addr,
    options: &RunOptions,
    deadline: Instant,
) -> Result<Option<Packet>> {
    let socket = UdpSocket::bind(SocketAddrV4::new(CLIENT_ADDRESS, 0))
        .or_else(|e| fail(format!("binding {CLIENT_ADDRESS}: {e}")))?;
    socket
        .send_to(&request.encode(), SocketAddrV4::new(server, 4011))
        .or_else(|e| fail(format!("sending to {server}:4011: {e}")))?;
    receive_reply(&socket, request.xid, &[MessageType::Ack], options, deadline)
}

/// Broadcasts `packet` to port 67 and returns the first reply to its xid of
/// one of the `wanted` types, or `None` after `reply_timeout`.
fn send_and_wait(
    socket: &UdpSocket,
    packet: &Packet,
    wanted: &[MessageType],
    options: &RunOptions,
    deadline: Instant,
) -> Result<Option<Packet>> {
    socket
        .send_to(&packet.encode(), SocketAddrV4::new(Ipv4Addr::BROADCAST, 67))
        .or_else(|e| fail(format!("sending to 255.255.255.255:67: {e}")))?;
    receive_reply(socket, packet.xid, wanted, options, deadline)
}

/// The first reply to `xid` of one of the `wanted` types, or `None` after
/// `reply_timeout`.
fn receive_reply(
    socket: &UdpSocket,
    xid: u32,
    wanted: &[MessageType],
    options: &RunOptions,
    deadline: Instant,
) -> Result<Option<Packet>> {
    let until = Instant::now() + options.reply_timeout.min(remaining(deadline, "a reply")?);
    let mut buffer = vec![0u8; 65536];
    loop {
        let Some(left) = until
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
        else {
            return Ok(None);
        };
        socket
            .set_read_timeout(Some(left))
            .or_else(|e| fail(format!("setting receive timeout: {e}")))?;
        let len = match socket.recv_from(&mut buffer) {
            Ok((len, _)) => len,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Ok(None);
            }
            Err(e) => return fail(format!("receiving a reply: {e}")),
        };
        // Anything else on the wire (our own broadcast, other xids) is skipped.
        let Ok(reply) = Packet::decode(&buffer[..len]) else {
            continue;
        };
        if reply.op == BOOTREPLY
            && reply.xid == xid
            && reply
                .options
                .message_type()
                .is_some_and(|t| wanted.contains(&t))
        {
            return Ok(Some(reply));
        }
    }
}
