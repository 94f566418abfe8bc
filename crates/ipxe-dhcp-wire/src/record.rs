//! The record of what a real DHCP server answered each client kind, as the
//! harness's tests write it (`tests/*_observed.toml`) and as the resolver's
//! and the rules' tests read it: one format, one reader.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::ClientKind;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// `dnsmasq --version` or `dhcpd --version`, e.g. "2.90".
    pub server_version: String,
    pub case: Vec<Case>,
}

/// One client kind against one configuration.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub config: String,
    pub client: String,
    /// Whether the server answered the DHCPDISCOVER at all.
    pub offered: bool,
    /// The boot file the client ends up with ("" for none): the port-4011
    /// answer's after a proxy offer, else the offer's (option 67, else the
    /// `file` field).
    pub file: String,
    /// Where `file` came from: "offer", "port-4011" or "none".
    pub via: String,
    /// The offer's `file` field and option 67, separately. Options keep
    /// every byte (NULs included: dnsmasq NUL-terminates names, and may send
    /// an option twice, which joins into two names).
    pub offer_file_field: String,
    pub offer_option_67: String,
    /// The offer's `sname` field and option 66.
    pub offer_sname: String,
    pub offer_option_66: String,
    /// The offer's `siaddr` (next server).
    pub siaddr: String,
    /// The descriptions in the offer's PXE boot menu (43.9).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pxe_menu: Vec<String>,
}

impl Record {
    /// Reads a record file; the error names the file.
    pub fn read(path: &Path) -> Result<Record, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

impl Case {
    /// The client kind the case names.
    pub fn kind(&self) -> ClientKind {
        ClientKind::from_name(&self.client)
            .unwrap_or_else(|| panic!("unknown client kind `{}` in the record", self.client))
    }

    /// The boot server name the client was told, from `sname` or option 66
    /// (which one depends on whether the client asked for 66), up to the
    /// first NUL.
    pub fn server_name(&self) -> &str {
        let name = if self.offer_sname.is_empty() {
            &self.offer_option_66
        } else {
            &self.offer_sname
        };
        name.split('\0').next().unwrap_or_default()
    }
}
