//! The mocked network: what each URL returns. Everything the engine fetches
//! goes through [`Network`], so tests and the CLI decide what exists.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::image::synthetic;

/// The answer to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Response {
    /// 2xx with a body.
    Ok(Vec<u8>),
    /// Any other HTTP status.
    Status(u16),
    /// The host cannot be reached at all (connection refused / no route).
    Unreachable,
    /// Nothing is known about this URL (a dry run without `--net`/`--root`):
    /// it is assumed to exist and to hold what its name suggests.
    Assumed(Guess),
}

/// What an assumed URL is taken to hold, judged from its file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Guess {
    /// A Linux bzImage (the default for anything not named otherwise).
    Kernel,
    /// An EFI program (`*.efi`).
    Efi,
    /// A BIOS PXE network bootstrap program (`*.kpxe`, `*.pxe`, `*.0`, `*.com`).
    Nbp,
    /// An iPXE script, whose content is unknown (`*.ipxe`, `*.php`, …, or no file name).
    Script,
    /// Data such as an initrd (`initrd*`, `*.gz`, `*.img`, `*.cpio`, `*.iso`, …).
    Data,
}

impl Guess {
    /// Judges a URL by its last path segment (query and fragment ignored).
    pub fn from_url(url: &str) -> Guess {
        let path = url.split(['?', '#']).next().unwrap_or("");
        let after_host = match path.split_once("://") {
            Some((_, rest)) => rest.split_once('/').map_or("", |(_, p)| p),
            None => path,
        };
        let name = after_host
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if name.is_empty() {
            return Guess::Script;
        }
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        match ext {
            "ipxe" | "php" | "cgi" | "pl" | "py" | "sh" | "txt" | "cfg" | "conf" => Guess::Script,
            "efi" => Guess::Efi,
            "kpxe" | "kkpxe" | "pxe" | "0" | "com" => Guess::Nbp,
            "gz" | "img" | "cpio" | "xz" | "zst" | "lz4" | "lzma" | "bz2" | "squashfs" | "sfs"
            | "iso" | "tar" | "wim" | "sdi" | "bcd" => Guess::Data,
            _ if name.starts_with("initrd") || name.starts_with("initramfs") => Guess::Data,
            _ if matches!(name.as_str(), "menu" | "boot" | "script") => Guess::Script,
            _ => Guess::Kernel,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Guess::Kernel => "kernel",
            Guess::Efi => "efi",
            Guess::Nbp => "nbp",
            Guess::Script => "script",
            Guess::Data => "data",
        }
    }
}

/// The network of a dry run: every URL exists and holds what its name
/// suggests ([`Guess`]); the engine lists each such URL in the report.
#[derive(Clone, Copy, Debug, Default)]
pub struct AssumeAll;

impl Network for AssumeAll {
    fn request(&mut self, _method: &str, url: &str, _body: Option<&[u8]>) -> Response {
        Response::Assumed(Guess::from_url(url))
    }
}

/// The network as the simulator sees it.
pub trait Network {
    /// `method` is `GET` or `POST` (with `body`).
    fn request(&mut self, method: &str, url: &str, body: Option<&[u8]>) -> Response;
}

#[derive(Debug, thiserror::Error)]
pub enum NetError {
    #[error("reading {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("parsing {path}: {source}")]
    Toml {
        path: PathBuf,
        source: Box<toml::de::Error>,
    },
    #[error("{path}: [[http]] entry {index} needs exactly one of `url` or `prefix`")]
    Match { path: PathBuf, index: usize },
    #[error("{path}: [[http]] entry {index}: unknown image kind `{kind}` (linux, efi, script)")]
    ImageKind {
        path: PathBuf,
        index: usize,
        kind: String,
    },
}

/// The `--net FILE` TOML.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NetFile {
    /// Settings stored before the script runs (`platform`/`buildarch` pick the build).
    #[serde(default)]
    pub settings: BTreeMap<String, toml::Value>,
    /// What `dhcp`/`ifconf` configures on net0.
    #[serde(default)]
    pub dhcp: BTreeMap<String, toml::Value>,
    #[serde(default)]
    pub http: Vec<HttpEntry>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpEntry {
    pub url: Option<String>,
    pub prefix: Option<String>,
    pub status: Option<u16>,
    pub body: Option<String>,
    pub dir: Option<String>,
    pub image: Option<String>,
}

/// One rule of the mock network.
#[derive(Clone, Debug)]
pub enum Rule {
    Exact { url: String, reply: Reply },
    Prefix { prefix: String, reply: Reply },
}

#[derive(Clone, Debug)]
pub enum Reply {
    Fixed {
        status: u16,
        body: Vec<u8>,
    },
    /// Serve files under this directory (the rest of the URL is the path).
    Dir(PathBuf),
}

/// A table of rules; the first match wins and anything else is a 404.
#[derive(Clone, Debug, Default)]
pub struct MockNet {
    pub rules: Vec<Rule>,
}

fn value_text(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl NetFile {
    pub fn load(path: &Path) -> Result<NetFile, NetError> {
        let text = std::fs::read_to_string(path).map_err(|source| NetError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| NetError::Toml {
            path: path.to_path_buf(),
            source: Box::new(source),
        })
    }

    pub fn settings_text(&self) -> Vec<(String, String)> {
        self.settings
            .iter()
            .map(|(k, v)| (k.clone(), value_text(v)))
            .collect()
    }

    pub fn dhcp_text(&self) -> Vec<(String, String)> {
        self.dhcp
            .iter()
            .map(|(k, v)| (k.clone(), value_text(v)))
            .collect()
    }

    /// The HTTP rules, with `dir` relative to `base` (the TOML file's folder).
    pub fn rules(&self, source: &Path, base: &Path) -> Result<Vec<Rule>, NetError> {
        let mut rules = Vec::new();
        for (index, e) in self.http.iter().enumerate() {
            let reply = if let Some(dir) = &e.dir {
                Reply::Dir(base.join(dir))
            } else {
                let body = match (&e.image, &e.body) {
                    (Some(kind), _) => synthetic(kind).ok_or_else(|| NetError::ImageKind {
                        path: source.to_path_buf(),
                        index,
                        kind: kind.clone(),
                    })?,
                    (None, Some(b)) => b.clone().into_bytes(),
                    (None, None) => Vec::new(),
                };
                Reply::Fixed {
                    status: e.status.unwrap_or(200),
                    body,
                }
            };
            rules.push(match (&e.url, &e.prefix) {
                (Some(url), None) => Rule::Exact {
                    url: url.clone(),
                    reply,
                },
                (None, Some(prefix)) => Rule::Prefix {
                    prefix: prefix.clone(),
                    reply,
                },
                _ => {
                    return Err(NetError::Match {
                        path: source.to_path_buf(),
                        index,
                    });
                }
            });
        }
        Ok(rules)
    }
}

impl MockNet {
    pub fn new(rules: Vec<Rule>) -> MockNet {
        MockNet { rules }
    }

    /// `--root URL=DIR`: serve a directory under a URL prefix. Roots are
    /// consulted before the TOML rules (a real web root beats a catch-all).
    pub fn add_root(&mut self, prefix: &str, dir: &Path) {
        let roots = self
            .rules
            .iter()
            .take_while(|r| {
                matches!(
                    r,
                    Rule::Prefix {
                        reply: Reply::Dir(_),
                        ..
                    }
                )
            })
            .count();
        self.rules.insert(
            roots,
            Rule::Prefix {
                prefix: prefix.to_string(),
                reply: Reply::Dir(dir.to_path_buf()),
            },
        );
    }

    fn serve(reply: &Reply, rest: &str) -> Response {
        match reply {
            Reply::Fixed { status, body } if (200..300).contains(status) => {
                Response::Ok(body.clone())
            }
            Reply::Fixed { status, .. } => Response::Status(*status),
            Reply::Dir(dir) => {
                let path = rest.split(['?', '#']).next().unwrap_or("");
                // Never leave the directory.
                if path.split('/').any(|s| s == "..") {
                    return Response::Status(403);
                }
                match std::fs::read(dir.join(path.trim_start_matches('/'))) {
                    Ok(data) => Response::Ok(data),
                    Err(_) => Response::Status(404),
                }
            }
        }
    }
}

impl Network for MockNet {
    fn request(&mut self, _method: &str, url: &str, _body: Option<&[u8]>) -> Response {
        for rule in &self.rules {
            match rule {
                Rule::Exact { url: u, reply } if u == url => return MockNet::serve(reply, ""),
                Rule::Prefix { prefix, reply } if url.starts_with(prefix.as_str()) => {
                    return MockNet::serve(reply, &url[prefix.len()..]);
                }
                _ => {}
            }
        }
        Response::Status(404)
    }
}

#[cfg(test)]
mod tests {
    use super::Guess;

    #[test]
    fn assumed_urls_are_judged_by_their_file_name() {
        for (url, guess) in [
            ("http://s/images/debian/12/vmlinuz", Guess::Kernel),
            ("http://s/memtest64.bin", Guess::Kernel),
            ("http://s/ipxe.lkrn", Guess::Kernel),
            ("http://s/debian/12/initrd.gz", Guess::Data),
            ("http://s/ubuntu/initrd", Guess::Data),
            ("http://s/casper/initrd.img?x=1", Guess::Data),
            ("http://s/boot.ipxe", Guess::Script),
            ("http://s/boot.php?mac=${mac}", Guess::Script),
            ("http://boot.netboot.xyz", Guess::Script),
            ("http://s/menus/", Guess::Script),
            ("http://s/menu", Guess::Script),
            ("http://s/grubx64.efi", Guess::Efi),
            ("tftp://s/undionly.kpxe", Guess::Nbp),
            ("tftp://s/pxelinux.0", Guess::Nbp),
        ] {
            assert_eq!(Guess::from_url(url), guess, "{url}");
        }
    }
}
