//! iPXE error numbers and their text, as `strerror` prints them.
//!
//! An iPXE error is `(POSIX code << 24) | ERRFILE | (uniquifier << 8) | platform
//! byte` (`src/include/errno.h`, `src/include/ipxe/errfile.h`); only the low byte
//! differs per platform (a PXE status on BIOS, a compressed EFI status on EFI).
//! `strerror` (`src/hci/strerror.c`) prints a text only for the errors in the
//! linked error tables, matching the exact number first and then the generic
//! POSIX entry; everything else prints as `Error 0x…`.

use ipxe_catalog::Platform;

/// The POSIX part of an iPXE error (`EINFO_*` in `src/include/errno.h`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Posix {
    Eacces,
    Ecanceled,
    Econnrefused,
    Econnreset,
    Einval,
    Eio,
    Enetunreach,
    Enodev,
    Enoent,
    Enoexec,
    Enomem,
    Enospc,
    Enotconn,
    Enotsup,
    Enotty,
    Eperm,
    Erange,
    Etimedout,
}

impl Posix {
    fn code(self) -> u32 {
        match self {
            Posix::Eacces => 0x02,
            Posix::Ecanceled => 0x0b,
            Posix::Econnrefused => 0x0e,
            Posix::Econnreset => 0x0f,
            Posix::Einval => 0x1c,
            Posix::Eio => 0x1d,
            Posix::Enetunreach => 0x28,
            Posix::Enodev => 0x2c,
            Posix::Enoent => 0x2d,
            Posix::Enoexec => 0x2e,
            Posix::Enomem => 0x31,
            Posix::Enospc => 0x34,
            Posix::Enotconn => 0x38,
            Posix::Enotsup => 0x3c,
            Posix::Enotty => 0x3d,
            Posix::Eperm => 0x41,
            Posix::Erange => 0x46,
            Posix::Etimedout => 0x4c,
        }
    }

    /// PXE status codes used as the low byte on BIOS
    /// (`src/arch/x86/include/ipxe/errno/pcbios.h`).
    fn pcbios_byte(self) -> u32 {
        match self {
            Posix::Eacces | Posix::Eperm => 0x3c,
            Posix::Ecanceled => 0xa0,
            Posix::Econnrefused => 0x38,
            Posix::Econnreset | Posix::Eio => 0x39,
            Posix::Einval => 0x02,
            Posix::Enetunreach => 0x11,
            Posix::Enodev | Posix::Enoent => 0x3b,
            Posix::Enoexec | Posix::Enotconn | Posix::Enotty | Posix::Erange => 0x01,
            Posix::Enomem | Posix::Enospc => 0x06,
            Posix::Enotsup => 0x03,
            Posix::Etimedout => 0x35,
        }
    }

    /// Compressed EFI status used as the low byte on EFI (`src/include/ipxe/errno/efi.h`).
    fn efi_byte(self) -> u32 {
        match self {
            Posix::Enoexec => 0x81,
            Posix::Einval => 0x82,
            Posix::Enotty | Posix::Enotsup => 0x83,
            Posix::Erange => 0x85,
            Posix::Enoent | Posix::Enodev => 0x8e,
            Posix::Etimedout => 0x92,
            Posix::Ecanceled => 0x95,
            Posix::Eacces | Posix::Eperm => 0x8f,
            Posix::Enomem | Posix::Enospc => 0x89,
            _ => 0x87,
        }
    }

    /// The text of the common error table; `None` when iPXE has no text linked.
    fn text(self) -> Option<&'static str> {
        Some(match self {
            Posix::Eacces => "Permission denied",
            Posix::Ecanceled => "Operation canceled",
            Posix::Econnreset => "Connection reset",
            Posix::Einval => "Invalid argument",
            Posix::Eio => "Input/output error",
            Posix::Enetunreach => "Network unreachable",
            Posix::Enodev => "No such device",
            Posix::Enoent => "No such file or directory",
            Posix::Enoexec => "Exec format error",
            Posix::Enomem => "Not enough space",
            Posix::Enospc => "No space left on device",
            Posix::Enotconn => "The socket is not connected",
            Posix::Enotsup => "Operation not supported",
            Posix::Eperm => "Operation not permitted",
            Posix::Erange => "Result too large",
            Posix::Etimedout => "Connection timed out",
            Posix::Econnrefused | Posix::Enotty => return None,
        })
    }
}

/// Source files that raise the errors we reproduce (`ERRFILE_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrFile {
    Exec,
    Parseopt,
    Settings,
    Ipv4,
    Script,
    Image,
    Imgmgmt,
    ImageCmd,
    Httpcore,
    Tcp,
    Open,
    Prompt,
    MenuUi,
    MenuCmd,
    Readline,
    NvoCmd,
    Ifmgmt,
    Netdevice,
    Dhcp,
    Sanboot,
    ParamCmd,
    LoginUi,
    Uri,
}

impl ErrFile {
    fn id(self) -> u32 {
        match self {
            ErrFile::Exec => 0x0002_2000,
            ErrFile::Parseopt => 0x0016_2000,
            ErrFile::Settings => 0x000c_2000,
            ErrFile::Ipv4 => 0x0005_6000,
            ErrFile::Open => 0x0009_2000,
            ErrFile::Script => 0x0002_8000,
            ErrFile::Image => 0x0000_8000,
            ErrFile::Imgmgmt => 0x0005_e000,
            ErrFile::ImageCmd => 0x000a_e000,
            ErrFile::Httpcore => 0x000c_6000,
            ErrFile::Tcp => 0x000a_6000,
            ErrFile::Prompt => 0x0022_e000,
            ErrFile::MenuUi => 0x002c_e000,
            ErrFile::MenuCmd => 0x002d_e000,
            ErrFile::Readline => 0x0032_e000,
            ErrFile::NvoCmd => 0x0023_e000,
            ErrFile::Ifmgmt => 0x000e_e000,
            ErrFile::Netdevice => 0x0008_6000,
            ErrFile::Dhcp => 0x0010_6000,
            ErrFile::Sanboot => 0x0023_2000,
            ErrFile::ParamCmd => 0x0040_e000,
            ErrFile::LoginUi => 0x0017_e000,
            ErrFile::Uri => 0x0000_0000,
        }
    }
}

/// A failure status as a command returns it: an iPXE error, or a positive
/// status from `exit N`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Error {
        posix: Posix,
        file: ErrFile,
        uniq: u8,
    },
    Exit(u32),
}

impl Status {
    pub fn err(posix: Posix, file: ErrFile) -> Status {
        Status::Error {
            posix,
            file,
            uniq: 0,
        }
    }

    pub fn uniq(posix: Posix, file: ErrFile, uniq: u8) -> Status {
        Status::Error { posix, file, uniq }
    }

    /// The number `${errno}` shows and the ipxe.org URL names.
    pub fn number(self, platform: Platform) -> u32 {
        match self {
            Status::Exit(n) => n,
            Status::Error { posix, file, uniq } => {
                let low = match platform {
                    Platform::Efi => posix.efi_byte(),
                    _ => posix.pcbios_byte(),
                };
                (posix.code() << 24) | file.id() | ((uniq as u32) << 8) | low
            }
        }
    }

    fn text(self) -> Option<&'static str> {
        match self {
            Status::Exit(0) => Some("No error"),
            Status::Exit(_) => None,
            // Uniquified errors whose own text is linked (seen on the Debian build).
            Status::Error {
                posix: Posix::Eio,
                file: ErrFile::Httpcore,
                uniq: 4,
            } => Some("HTTP 4xx Client Error"),
            Status::Error {
                posix: Posix::Eio,
                file: ErrFile::Httpcore,
                uniq: 5,
            } => Some("HTTP 5xx Server Error"),
            Status::Error { posix, .. } => posix.text(),
        }
    }

    /// `strerror(rc)` with the error URL of the modelled version.
    pub fn message(self, platform: Platform, url_base: &str) -> String {
        let n = self.number(platform);
        match self.text() {
            Some(text) => format!("{text} ({url_base}{n:08x})"),
            None => format!("Error {n:#010x} ({url_base}{n:08x})"),
        }
    }
}
