//! Two throw-away network namespaces joined by a veth pair.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use super::command::{remaining, run_bounded};
use super::{Result, SERVER_ADDRESS};

const IP_TIMEOUT: Duration = Duration::from_secs(5);

/// The server side holds `SERVER_ADDRESS/24` on `server_if`. The client side
/// has no address, but treats 10.213.0.128/25 as local ("AnyIP"), so a
/// server's unicast reply to an offered address in the pool reaches a UDP
/// socket on port 68 as it would reach a booting NIC. 10.213.0.100 is
/// local too: the address a client got from "another" DHCP server, used to
/// talk to a proxy server's port 4011. Deleted on drop.
pub(crate) struct NetnsPair {
    pub server: String,
    pub client: String,
    pub server_if: String,
    pub client_if: String,
}

impl NetnsPair {
    pub(crate) fn create(deadline: Instant) -> Result<NetnsPair> {
        remove_orphans();
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let pid = std::process::id();
        let pair = NetnsPair {
            server: format!("{PREFIX}{pid}-{n}-s"),
            client: format!("{PREFIX}{pid}-{n}-c"),
            server_if: format!("dw{}s{n}", pid % 100_000),
            client_if: format!("dw{}c{n}", pid % 100_000),
        };
        // From here on, Drop cleans up whatever was made.
        let address = format!("{SERVER_ADDRESS}/24");
        let steps: [&[&str]; 11] = [
            &["netns", "add", &pair.server],
            &["netns", "add", &pair.client],
            &[
                "-n",
                &pair.server,
                "link",
                "add",
                &pair.server_if,
                "type",
                "veth",
                "peer",
                "name",
                &pair.client_if,
                "netns",
                &pair.client,
            ],
            &[
                "-n",
                &pair.server,
                "addr",
                "add",
                &address,
                "dev",
                &pair.server_if,
            ],
            &["-n", &pair.server, "link", "set", &pair.server_if, "up"],
            &["-n", &pair.client, "link", "set", &pair.client_if, "up"],
            &["-n", &pair.client, "link", "set", "lo", "up"],
            // The pool is local on the client side only so replies arrive;
            // it must not answer a server's "is this address free?" ping.
            &[
                "netns",
                "exec",
                &pair.client,
                "sysctl",
                "-qw",
                "net.ipv4.icmp_echo_ignore_all=1",
            ],
            &[
                "-n",
                &pair.client,
                "route",
                "add",
                "local",
                "10.213.0.128/25",
                "dev",
                &pair.client_if,
            ],
            &[
                "-n",
                &pair.client,
                "route",
                "add",
                "local",
                "10.213.0.100/32",
                "dev",
                &pair.client_if,
            ],
            &[
                "-n",
                &pair.client,
                "route",
                "add",
                "10.213.0.0/24",
                "dev",
                &pair.client_if,
            ],
        ];
        for step in steps {
            let limit = IP_TIMEOUT.min(remaining(deadline, "namespace setup")?);
            run_bounded("ip", step, limit)?;
        }
        Ok(pair)
    }
}

const PREFIX: &str = "ipxe-dhcp-wire-";

/// Deletes namespaces an earlier run left behind when it was killed before
/// its guards ran: ours by name, of a process that no longer exists.
fn remove_orphans() {
    let Ok(list) = run_bounded("ip", &["netns", "list"], IP_TIMEOUT) else {
        return;
    };
    for line in list.lines() {
        let Some(name) = line.split_whitespace().next() else {
            continue;
        };
        let Some(pid) = name
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split('-').next())
        else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !std::path::Path::new(&format!("/proc/{pid}")).exists() {
            let _ = run_bounded("ip", &["netns", "del", name], IP_TIMEOUT);
        }
    }
}

impl Drop for NetnsPair {
    fn drop(&mut self) {
        // Deleting a namespace deletes its end of the veth, and so the pair.
        for name in [&self.server, &self.client] {
            let _ = run_bounded("ip", &["netns", "del", name], IP_TIMEOUT);
        }
    }
}
