//! Registered images and their types (`src/core/image.c`, the probes in
//! `src/image/*.c`, `src/arch/x86/image/*.c`).

use serde::Serialize;

use crate::net::Guess;

/// What a fetched image turned out to be, decided from its bytes as iPXE's
/// probes do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageKind {
    /// `#!ipxe`/`#!gpxe` + whitespace (`script_probe`).
    Script,
    /// Linux bzImage (`HdrS` at 0x202, `bzimage_probe`).
    Linux,
    /// EFI PE executable (`MZ` + `PE\0\0`).
    Efi,
    /// BIOS only: anything else non-empty below 0x98400 bytes is a PXE NBP.
    Pxe,
    /// No probe accepted it: executing it is "Exec format error".
    Unknown,
}

impl ImageKind {
    /// The type name `imgstat` shows (None when iPXE shows none).
    pub fn ipxe_name(self) -> Option<&'static str> {
        match self {
            ImageKind::Script => Some("script"),
            ImageKind::Linux => Some("bzImage"),
            ImageKind::Efi => Some("EFI"),
            ImageKind::Pxe => Some("PXE-NBP"),
            ImageKind::Unknown => None,
        }
    }

    pub fn executable(self) -> bool {
        self != ImageKind::Unknown
    }

    /// Probe `data` on the given platform.
    pub fn detect(data: &[u8], efi: bool) -> ImageKind {
        if data.len() >= 7
            && (data.starts_with(b"#!ipxe") || data.starts_with(b"#!gpxe"))
            && matches!(data[6], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
        {
            return ImageKind::Script;
        }
        let bzimage = data.len() > 0x206 && &data[0x202..0x206] == b"HdrS";
        if bzimage && !efi {
            return ImageKind::Linux;
        }
        if efi && data.len() > 0x40 && data.starts_with(b"MZ") {
            let off = u32::from_le_bytes([data[0x3c], data[0x3d], data[0x3e], data[0x3f]]) as usize;
            if data.get(off..off + 4) == Some(b"PE\0\0") {
                // An EFI build starts a Linux kernel through its EFI stub.
                return if bzimage {
                    ImageKind::Linux
                } else {
                    ImageKind::Efi
                };
            }
        }
        if !efi && !data.is_empty() && data.len() < 0x98400 {
            return ImageKind::Pxe;
        }
        ImageKind::Unknown
    }
}

/// Synthetic contents for the mock network's `image = "linux" | "efi" | "script"`.
pub fn synthetic(kind: &str) -> Option<Vec<u8>> {
    match kind {
        "linux" => {
            // A bzImage with an EFI stub, as distributions ship them.
            let mut d = vec![0u8; 0x400];
            d[0..2].copy_from_slice(b"MZ");
            d[0x3c] = 0x80;
            d[0x80..0x84].copy_from_slice(b"PE\0\0");
            d[0x1fe] = 0x55;
            d[0x1ff] = 0xaa;
            d[0x202..0x206].copy_from_slice(b"HdrS");
            d[0x206] = 0x0c;
            d[0x207] = 0x02;
            Some(d)
        }
        "efi" => {
            let mut d = vec![0u8; 0x200];
            d[0..2].copy_from_slice(b"MZ");
            d[0x3c] = 0x80;
            d[0x80..0x84].copy_from_slice(b"PE\0\0");
            Some(d)
        }
        "script" => Some(b"#!ipxe\n".to_vec()),
        _ => None,
    }
}

/// What a dry run registers for an assumed URL: synthetic bytes probed as
/// usual, except scripts and data, which have no content at all (an empty
/// image has no type, as in iPXE).
pub fn assumed_contents(guess: Guess, efi: bool) -> (Vec<u8>, ImageKind) {
    let data = match guess {
        Guess::Kernel => synthetic("linux"),
        Guess::Efi => synthetic("efi"),
        // Raw real-mode code: no signature at all.
        Guess::Nbp => Some(vec![0xfa; 0x200]),
        Guess::Script => return (Vec::new(), ImageKind::Script),
        Guess::Data => return (Vec::new(), ImageKind::Unknown),
    }
    .unwrap_or_default();
    let kind = ImageKind::detect(&data, efi);
    (data, kind)
}

/// What iPXE does when told to boot an image of this kind, for the report.
pub fn boot_explanation(kind: &str) -> Option<&'static str> {
    match kind {
        "pxe" => Some(
            "not a Linux bzImage (no \"HdrS\" at 0x202) nor a script, so a BIOS iPXE takes any \
             other file under 609 KiB for a PXE network bootstrap program: it copies it to \
             0000:7c00 and jumps to it with the PXE stack on net0; the command line is only seen \
             by an NBP that asks for it and no initrd is passed on",
        ),
        "efi" => Some(
            "an EFI program: iPXE starts it with LoadImage/StartImage and passes the command \
             line as its load options; the other images are only files it may open",
        ),
        _ => None,
    }
}

#[derive(Clone, Debug)]
pub struct Image {
    pub name: String,
    pub uri: Option<String>,
    pub data: std::rc::Rc<Vec<u8>>,
    pub kind: ImageKind,
    pub cmdline: Option<String>,
    pub selected: bool,
    pub autofree: bool,
    /// Set by `chain --replace` on the running image.
    pub replacement: Option<Box<Image>>,
    /// Unique id, so the running image can be found again.
    pub id: u64,
    /// Came from an assumed URL (a dry run): the bytes are invented.
    pub assumed: bool,
}
