//! Which iPXE build a script targets, and what that build contains.
//!
//! A stock build's contents come from the catalogue's per-platform defaults;
//! `#define`/`#undef` lines from a `config/local` folder (or a whole
//! `src/config` tree) override them, as iPXE's config headers do.

use std::path::{Path, PathBuf};

use ipxe_catalog::{Catalog, Command, ImageType, Platform, Scheme};
use rustc_hash::FxHashMap;

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error(
        "unknown build target `{0}`: expected bin[-ARCH-PLATFORM]/NAME.FORMAT, e.g. bin/undionly.kpxe or bin-x86_64-efi/ipxe.efi"
    )]
    UnknownTarget(String),
    /// The folder or the format of a target names no iPXE build.
    #[error("unknown build target `{target}`: {reason}")]
    BadTarget { target: String, reason: String },
    #[error("reading config directory {path}: {source}")]
    Config {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// One build configuration: platform, architecture and macro overrides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildProfile {
    pub platform: Platform,
    pub arch: String,
    /// Macros defined (`true`) or undefined (`false`) by local config headers.
    /// Looked up for every command a script runs, hence the fast hash.
    pub overrides: FxHashMap<String, bool>,
    /// How to name this build in messages (`bin/undionly.kpxe`, or `stock BIOS build`).
    pub label: String,
}

impl BuildProfile {
    pub fn stock(platform: Platform, arch: &str) -> BuildProfile {
        let label = match platform {
            Platform::Pcbios => format!("stock BIOS build ({arch})"),
            Platform::Efi => format!("stock EFI build ({arch})"),
            other => format!("stock {} build ({arch})", other.as_str()),
        };
        BuildProfile {
            platform,
            arch: arch.to_string(),
            overrides: FxHashMap::default(),
            label,
        }
    }

    /// The two builds a script runs on when it says nothing else: BIOS and x86_64 EFI.
    pub fn default_pair() -> Vec<BuildProfile> {
        vec![
            BuildProfile::stock(Platform::Pcbios, "i386"),
            BuildProfile::stock(Platform::Efi, "x86_64"),
        ]
    }

    /// From a make target such as `bin/undionly.kpxe` or `bin-arm64-efi/snp.efi`:
    /// a platform folder and `NAME.FORMAT`, with a format that platform builds.
    pub fn from_target(target: &str) -> Result<BuildProfile, ProfileError> {
        let unknown = || ProfileError::UnknownTarget(target.to_string());
        let bad = |reason: String| ProfileError::BadTarget {
            target: target.to_string(),
            reason,
        };
        let (dir, file) = target
            .trim_start_matches("./")
            .split_once('/')
            .ok_or_else(unknown)?;
        let Some((name, format)) = file.split_once('.') else {
            return Err(unknown());
        };
        let folder = dir.strip_suffix("-sb").unwrap_or(dir);
        let (platform, arch) = platform_folder(folder).ok_or_else(|| {
            let folders = platform_folders();
            bad(match crate::suggest(folder, folders.iter().map(String::as_str)) {
                Some(close) => format!("no platform folder `{folder}`; did you mean `{close}`?"),
                None => format!(
                    "no platform folder `{folder}`: expected bin or bin-ARCH-PLATFORM, with ARCH one of {} and PLATFORM one of {}",
                    ARCHES.join(", "),
                    Platform::ALL.map(Platform::as_str).join(", ")
                ),
            })
        })?;
        let formats = output_formats(platform);
        let known = !name.is_empty()
            && formats.iter().any(|f| {
                file.strip_suffix(f)
                    .and_then(|stem| stem.strip_suffix('.'))
                    .is_some_and(|stem| !stem.is_empty())
            });
        if !known {
            let platform = platform.as_str();
            return Err(bad(match crate::suggest(format, formats.iter().copied()) {
                Some(close) => {
                    format!(
                        "{platform} builds have no format `.{format}`; did you mean `.{close}`?"
                    )
                }
                None => format!(
                    "{platform} builds have no format `.{format}`: expected one of {}",
                    formats.join(", ")
                ),
            }));
        }
        Ok(BuildProfile {
            platform,
            arch: arch.to_string(),
            overrides: FxHashMap::default(),
            label: target.to_string(),
        })
    }

    /// Reads `#define X` / `#undef X` lines from the headers in `dir` (a
    /// `config/local` folder or a `src/config` tree, whose `local/` is read last).
    pub fn apply_config_dir(&mut self, dir: &Path) -> Result<(), ProfileError> {
        let mut files = header_files(dir)?;
        let local = dir.join("local");
        if local.is_dir() {
            files.extend(header_files(&local)?);
        }
        for file in files {
            let text = std::fs::read(&file).map_err(|source| ProfileError::Config {
                path: file.clone(),
                source,
            })?;
            for line in String::from_utf8_lossy(&text).lines() {
                let mut words = line.split_whitespace();
                match (words.next(), words.next()) {
                    (Some("#define"), Some(name)) => {
                        self.overrides.insert(name.to_string(), true);
                    }
                    (Some("#undef"), Some(name)) => {
                        self.overrides.insert(name.to_string(), false);
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    fn macro_on(&self, name: &str, default: bool) -> bool {
        self.overrides.get(name).copied().unwrap_or(default)
    }

    /// Whether this build's architecture is one of `arches` (none listed: any).
    fn arch_in(&self, arches: Option<&[String]>) -> bool {
        arches.is_none_or(|a| a.iter().any(|x| x == &self.arch))
    }

    /// Whether this build has the command.
    pub fn has_command(&self, command: &Command) -> bool {
        if command.always_present {
            return true;
        }
        if !self.arch_in(command.arches.as_deref()) {
            return false;
        }
        let default = command.default_in(self.platform, &self.arch);
        // A stock build (no overrides) has exactly its defaults; this runs
        // for every command of a script, once per target build.
        if self.overrides.is_empty() {
            return default;
        }
        match &command.macro_name {
            Some(name) => {
                self.macro_on(name, default)
                    && command
                        .extra_macros
                        .iter()
                        .all(|m| self.macro_on(&m.name, true))
            }
            None => default,
        }
    }

    pub fn has_scheme(&self, scheme: &Scheme) -> bool {
        self.macro_on(&scheme.macro_name, scheme.default_in(self.platform))
    }

    /// Looks a scheme up in the catalogue; unknown schemes are assumed present.
    pub fn has_scheme_named(&self, name: &str) -> bool {
        Catalog::get()
            .scheme(name)
            .is_none_or(|s| self.has_scheme(s))
    }

    /// Whether this build recognises the image type (links its probe).
    pub fn has_image_type(&self, image_type: &ImageType) -> bool {
        if !self.arch_in(image_type.arches.as_deref()) {
            return false;
        }
        let default = image_type.default_in(self.platform, &self.arch);
        if self.overrides.is_empty() {
            return default;
        }
        match image_type.name.as_str() {
            // `config/config_pcbios.c` takes `IMAGE_LKRN` as another name for
            // `IMAGE_BZIMAGE` and links the bzImage type for it.
            "bzimage" if self.platform == Platform::Pcbios => {
                self.macro_on(&image_type.macro_name, default)
                    || self.overrides.get("IMAGE_LKRN") == Some(&true)
            }
            // Only `config/config_sbi.c` links the lkrn type for `IMAGE_LKRN`.
            "lkrn" if self.platform != Platform::Sbi => false,
            _ => self.macro_on(&image_type.macro_name, default),
        }
    }

    /// Looks an image type up in the catalogue (by our name or iPXE's);
    /// unknown types are assumed present.
    pub fn has_image_type_named(&self, name: &str) -> bool {
        Catalog::get()
            .image_type(name)
            .is_none_or(|t| self.has_image_type(t))
    }
}

/// The architectures iPXE builds for (`src/arch/*`), as named in `bin-ARCH-PLATFORM`.
const ARCHES: [&str; 7] = [
    "i386", "x86_64", "arm32", "arm64", "loong64", "riscv32", "riscv64",
];

/// The platform and architecture a build folder (`bin`, `bin-x86_64-efi`, …) stands for.
fn platform_folder(folder: &str) -> Option<(Platform, &str)> {
    match folder {
        "bin" => Some((Platform::Pcbios, "i386")),
        "bin-efi" => Some((Platform::Efi, "i386")),
        _ => {
            let (arch, platform) = folder.strip_prefix("bin-")?.rsplit_once('-')?;
            let arch = ARCHES.into_iter().find(|&a| a == arch)?;
            Some((Platform::from_name(platform)?, arch))
        }
    }
}

/// Every build folder name, for "did you mean" suggestions.
fn platform_folders() -> Vec<String> {
    let mut folders = vec!["bin".to_string()];
    for arch in ARCHES {
        for platform in Platform::ALL {
            folders.push(format!("bin-{arch}-{}", platform.as_str()));
        }
    }
    folders
}

/// Output formats per platform, from `src/arch/x86/Makefile.pcbios`,
/// `src/Makefile.efi`, `src/Makefile.linux` and `src/arch/riscv/Makefile.sbi`.
pub fn output_formats(platform: Platform) -> &'static [&'static str] {
    match platform {
        Platform::Pcbios => &[
            "pxe", "kpxe", "kkpxe", "kkkpxe", "lkrn", "iso", "usb", "dsk", "hd", "rom", "mrom",
            "pcirom", "isarom", "exe", "sdsk", "vhd", "nbi", "raw", "lkr", "zlkrn",
        ],
        Platform::Efi => &["efi", "efidrv", "drv.efi", "efirom", "iso", "usb"],
        Platform::Linux => &["linux"],
        Platform::Sbi => &["sbi", "lkrn"],
    }
}

fn header_files(dir: &Path) -> Result<Vec<PathBuf>, ProfileError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ProfileError::Config {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "h") && p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let p = BuildProfile::from_target("bin/undionly.kpxe").unwrap();
        assert_eq!((p.platform, p.arch.as_str()), (Platform::Pcbios, "i386"));
        let p = BuildProfile::from_target("bin-x86_64-efi/ipxe.efi").unwrap();
        assert_eq!((p.platform, p.arch.as_str()), (Platform::Efi, "x86_64"));
        let p = BuildProfile::from_target("bin-arm64-efi-sb/snp.efi").unwrap();
        assert_eq!((p.platform, p.arch.as_str()), (Platform::Efi, "arm64"));
        assert!(BuildProfile::from_target("bin-foo/x.efi").is_err());
        assert!(BuildProfile::from_target("undionly.kpxe").is_err());
        assert!(BuildProfile::from_target("bin/ipxe.drv.efi").is_err());
        assert!(BuildProfile::from_target("bin-x86_64-efi/ipxe.drv.efi").is_ok());
        let error = |t: &str| BuildProfile::from_target(t).unwrap_err().to_string();
        assert!(error("bin/foo.bar").contains("no format `.bar`: expected one of pxe, kpxe"));
        assert!(error("bin/undionly.kpx").contains("did you mean `.kpxe`?"));
        assert!(error("bin/.kpxe").contains("no format"));
        assert!(error("bin-x86_64-efl/ipxe.efi").contains("did you mean `bin-x86_64-efi`?"));
        assert!(error("bin-x86-64-efi/ipxe.efi").contains("did you mean `bin-x86_64-efi`?"));
    }

    #[test]
    fn stock_contents_and_overrides() {
        let catalog = Catalog::get();
        let bios = BuildProfile::from_target("bin/undionly.kpxe").unwrap();
        let efi = BuildProfile::from_target("bin-x86_64-efi/ipxe.efi").unwrap();
        let params = catalog.command("params").unwrap();
        assert!(!bios.has_command(params));
        assert!(efi.has_command(params));
        assert!(!bios.has_command(catalog.command("ping").unwrap()));
        assert!(!bios.has_scheme_named("https"));
        assert!(efi.has_scheme_named("https"));
        let dir = std::env::temp_dir().join(format!("ipxe-profile-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("general.h"),
            "#define PING_CMD\n#define DOWNLOAD_PROTO_HTTPS\n#undef CPUID_CMD\n",
        )
        .unwrap();
        let mut custom = bios.clone();
        custom.apply_config_dir(&dir).unwrap();
        assert!(custom.has_command(catalog.command("ping").unwrap()));
        assert!(custom.has_scheme_named("https"));
        assert!(!custom.has_command(catalog.command("cpuid").unwrap()));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn stock_image_types() {
        let bios = BuildProfile::from_target("bin/undionly.kpxe").unwrap();
        let efi = BuildProfile::from_target("bin-x86_64-efi/ipxe.efi").unwrap();
        let arm = BuildProfile::from_target("bin-arm64-efi/snp.efi").unwrap();
        // `config/general.h`: PXE, bzImage, ELF and Multiboot only in BIOS
        // builds, EFI only in EFI builds, scripts everywhere, COMBOOT nowhere.
        for name in ["pxe", "bzimage", "elf", "multiboot"] {
            assert!(bios.has_image_type_named(name), "{name}");
            assert!(!efi.has_image_type_named(name), "{name}");
        }
        assert!(!bios.has_image_type_named("efi"));
        assert!(efi.has_image_type_named("efi"));
        assert!(arm.has_image_type_named("EFI"));
        assert!(!arm.has_image_type_named("pxe"));
        assert!(arm.has_image_type_named("gzip"));
        assert!(!efi.has_image_type_named("gzip"));
        for p in [&bios, &efi, &arm] {
            assert!(p.has_image_type_named("script"));
            assert!(!p.has_image_type_named("comboot"));
        }
        // The display names iPXE uses work too.
        assert!(bios.has_image_type_named("PXE-NBP"));
        assert!(!efi.has_image_type_named("bzImage"));
    }

    #[test]
    fn image_type_overrides() {
        let bios = BuildProfile::from_target("bin/undionly.kpxe").unwrap();
        let efi = BuildProfile::from_target("bin-x86_64-efi/ipxe.efi").unwrap();
        let dir = std::env::temp_dir().join(format!("ipxe-image-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("general.h"),
            "#define IMAGE_EFI\n#define IMAGE_COMBOOT\n#undef IMAGE_PXE\n#undef IMAGE_BZIMAGE\n#define IMAGE_LKRN\n",
        )
        .unwrap();
        let mut custom = bios.clone();
        custom.apply_config_dir(&dir).unwrap();
        assert!(custom.has_image_type_named("efi"));
        assert!(custom.has_image_type_named("comboot"));
        assert!(!custom.has_image_type_named("pxe"));
        // `IMAGE_LKRN` links bzImage support on BIOS (config_pcbios.c), and
        // the lkrn type itself only on RISC-V SBI (config_sbi.c).
        assert!(custom.has_image_type_named("bzimage"));
        assert!(!custom.has_image_type_named("lkrn"));
        std::fs::write(
            dir.join("general.h"),
            "#undef IMAGE_EFI\n#define IMAGE_LKRN\n",
        )
        .unwrap();
        let mut custom = efi.clone();
        custom.apply_config_dir(&dir).unwrap();
        assert!(!custom.has_image_type_named("efi"));
        assert!(!custom.has_image_type_named("bzimage"));
        assert!(!custom.has_image_type_named("lkrn"));
        // An architecture the type does not exist on stays without it.
        let mut arm = BuildProfile::from_target("bin-arm64-efi/ipxe.efi").unwrap();
        arm.overrides.insert("IMAGE_PXE".into(), true);
        assert!(!arm.has_image_type_named("pxe"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
