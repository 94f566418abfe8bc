//! What a boot file name (or the file itself) says it is.

/// What a client would load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BootFileKind {
    /// An iPXE binary; `efi` tells which firmware runs it.
    Ipxe {
        efi: bool,
    },
    /// Another boot loader (pxelinux, GRUB, shim, Windows).
    Other {
        efi: Option<bool>,
    },
    /// An iPXE script: only iPXE can run it.
    Script,
    Unknown,
}

/// File names of iPXE's BIOS and EFI builds, without extension.
const IPXE_STEMS: &[&str] = &[
    "undionly",
    "ipxe",
    "snponly",
    "snp",
    "ipxe-x86_64",
    "ipxe-arm64",
];

/// The kind of the file a boot file name points at (a plain name or a
/// URL's last path segment). `content` is the file itself when the TFTP root
/// has it; small placeholder files fall back to the name.
pub fn boot_file_kind(name: &str, content: Option<&[u8]>) -> BootFileKind {
    let path = match name.split_once("://") {
        Some((_, rest)) => rest.split(['?', '#']).next().unwrap_or(rest),
        None => name,
    };
    let base = path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    let (stem, ext) = base.rsplit_once('.').unwrap_or((base.as_str(), ""));
    if let Some(bytes) = content.filter(|b| b.len() >= 4096) {
        let pe = bytes.starts_with(b"MZ");
        let ipxe = bytes.windows(4).any(|w| w == b"iPXE");
        if ipxe {
            return BootFileKind::Ipxe { efi: pe };
        }
        if pe {
            return BootFileKind::Other { efi: Some(true) };
        }
    }
    match ext {
        "kpxe" | "kkpxe" | "kkkpxe" => BootFileKind::Ipxe { efi: false },
        "pxe" | "lkrn" if IPXE_STEMS.contains(&stem) => BootFileKind::Ipxe { efi: false },
        "efi" if IPXE_STEMS.contains(&stem) || stem.contains("ipxe") => {
            BootFileKind::Ipxe { efi: true }
        }
        "ipxe" | "php" | "cgi" | "py" | "pl" => BootFileKind::Script,
        "efi" => BootFileKind::Other { efi: Some(true) },
        "0" | "com" | "n12" | "pxe" | "lkrn" => BootFileKind::Other { efi: Some(false) },
        _ if stem == "undionly" => BootFileKind::Ipxe { efi: false },
        _ => BootFileKind::Unknown,
    }
}

/// The URL scheme of a boot file name, if it is a URL.
pub fn url_scheme(name: &str) -> Option<&str> {
    name.split_once("://").map(|(scheme, _)| scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_contents() {
        assert_eq!(
            boot_file_kind("undionly.kpxe", None),
            BootFileKind::Ipxe { efi: false }
        );
        assert_eq!(
            boot_file_kind("/efi/ipxe.efi", None),
            BootFileKind::Ipxe { efi: true }
        );
        assert_eq!(
            boot_file_kind("http://h/x/snponly.efi?x=1", None),
            BootFileKind::Ipxe { efi: true }
        );
        assert_eq!(
            boot_file_kind("http://h/boot.ipxe", None),
            BootFileKind::Script
        );
        assert_eq!(
            boot_file_kind("pxelinux.0", None),
            BootFileKind::Other { efi: Some(false) }
        );
        assert_eq!(
            boot_file_kind("grubx64.efi", None),
            BootFileKind::Other { efi: Some(true) }
        );
        assert_eq!(boot_file_kind("menu", None), BootFileKind::Unknown);
        // A real-looking iPXE EFI binary under another name.
        let mut efi = b"MZ".to_vec();
        efi.resize(8192, 0);
        efi.extend_from_slice(b"iPXE initialising devices");
        assert_eq!(
            boot_file_kind("boot.bin", Some(&efi)),
            BootFileKind::Ipxe { efi: true }
        );
        // A placeholder: the name decides.
        assert_eq!(
            boot_file_kind("undionly.kpxe", Some(b"placeholder")),
            BootFileKind::Ipxe { efi: false }
        );
    }
}
