//! DHCPv4 as network-boot clients speak it.
//!
//! - [`Packet`]: BOOTP/DHCP messages, encoded and decoded (fixed header,
//!   `sname`/`file`, option overload, long options). Decoding never panics;
//!   bad input is a [`DecodeError`] with the byte offset.
//! - [`Options`] and typed views of the options a PXE boot depends on (53,
//!   54, 55, 60, 66, 67, 77, 93, 94, 97, 43 with its PXE sub-options, 175,
//!   209, 210).
//! - [`ClientKind`]: what BIOS PXE ROMs, UEFI firmware (PXE and HTTP boot)
//!   and iPXE send, from their sources.
//! - [`harness`] (Linux): run a real dnsmasq in a private network namespace
//!   and ask it, as each client kind, which boot file it gives.

pub mod client;
pub mod error;
pub mod options;
pub mod packet;
pub mod record;

#[cfg(target_os = "linux")]
pub mod harness;

pub use client::{ClientIdentity, ClientKind};
pub use error::{DecodeError, DecodeErrorKind, EncodeError};
pub use options::{
    BootMenuEntry, BootServer, DhcpOption, MessageType, Options, PxeVendorOptions, UserClass,
};
pub use packet::Packet;
