//! Image commands (`src/hci/commands/image_cmd.c`, `src/usr/imgmgmt.c`,
//! `src/core/image.c`): download, select, execute, arguments, status, free.

use std::rc::Rc as Shared;

use ipxe_catalog::{Catalog, Command};

use super::{Opts, parse, tri};
use crate::engine::{Flow, Halt, Machine, Rc, Stop};
use crate::errno::{ErrFile, Posix, Status};
use crate::image::{Image, ImageKind, assumed_contents, boot_explanation};
use crate::net::Response;
use crate::report::{AssumedUrl, Boot, BootImage, Request};
use crate::uri;

fn scheme_available(m: &Machine, scheme: &str) -> bool {
    let Some(s) = Catalog::get().scheme(scheme) else {
        return false;
    };
    if s.kind != "download" {
        return false;
    }
    if m.head {
        m.profile.has_scheme(s)
    } else {
        let default = s.old_default_in(m.platform());
        m.profile
            .overrides
            .get(&s.macro_name)
            .copied()
            .unwrap_or(default)
    }
}

/// `imgdownload`: fetch a URI and register the image.
pub fn download(m: &mut Machine, text: &str) -> Flow<Result<u64, Status>> {
    let resolved = uri::resolve(m.cwuri.as_deref(), text);
    let scheme = uri::scheme(&resolved).map(str::to_ascii_lowercase);
    if !scheme.as_deref().is_some_and(|s| scheme_available(m, s)) {
        let status = Status::err(Posix::Enotsup, ErrFile::Open);
        let msg = format!("Could not start download: {}\n", m.strerror(status));
        m.print(&msg)?;
        return Ok(Err(status));
    }
    m.print(&format!("{}...", uri::redacted(text)))?;
    let (method, body) = match post_body(m, &resolved) {
        Ok(x) => x,
        Err(status) => {
            let msg = format!(" {}\n", m.strerror(status));
            m.print(&msg)?;
            return Ok(Err(status));
        }
    };
    let url = resolved.split('#').next().unwrap_or("").to_string();
    let response = if super::net0_has_address(m) {
        m.requests.push(Request {
            method: method.to_string(),
            url: url.clone(),
            body: body
                .as_ref()
                .map(|b| String::from_utf8_lossy(b).into_owned()),
        });
        m.net.request(method, &url, body.as_deref())
    } else {
        m.no_address_hint = Some(super::no_address_hint(m));
        Response::Unreachable
    };
    let efi = m.platform() == ipxe_catalog::Platform::Efi;
    let (data, kind, assumed) = match response {
        Response::Ok(data) => {
            let kind = ImageKind::detect(&data, efi);
            (data, kind, false)
        }
        Response::Assumed(guess) => {
            if !m.assumed.iter().any(|a| a.url == url) {
                m.assumed.push(AssumedUrl {
                    url: url.clone(),
                    guess,
                });
            }
            let (data, kind) = assumed_contents(guess, efi);
            (data, kind, true)
        }
        other => {
            let status = match other {
                Response::Status(401) => Status::uniq(Posix::Eacces, ErrFile::Httpcore, 1),
                Response::Status(403) => Status::uniq(Posix::Eperm, ErrFile::Httpcore, 1),
                Response::Status(404) => Status::uniq(Posix::Enoent, ErrFile::Httpcore, 1),
                Response::Status(s) if (400..500).contains(&s) => {
                    Status::uniq(Posix::Eio, ErrFile::Httpcore, 4)
                }
                Response::Status(s) if s >= 500 => Status::uniq(Posix::Eio, ErrFile::Httpcore, 5),
                Response::Status(_) => Status::uniq(Posix::Eio, ErrFile::Httpcore, 1),
                _ => Status::err(Posix::Enetunreach, ErrFile::Tcp),
            };
            let msg = format!(" {}\n", m.strerror(status));
            m.print(&msg)?;
            return Ok(Err(status));
        }
    };
    m.print(" ok\n")?;
    let id = m.new_image_id();
    let image = Image {
        name: uri::basename(&resolved),
        uri: Some(resolved),
        data: Shared::new(data),
        kind,
        cmdline: None,
        selected: false,
        autofree: false,
        replacement: None,
        id,
        assumed,
    };
    m.register(image)?;
    Ok(Ok(id))
}

/// `##params` / `##params=name`: the request becomes a form POST.
fn post_body(m: &Machine, resolved: &str) -> Result<(&'static str, Option<Vec<u8>>), Status> {
    let Some(frag) = uri::fragment(resolved) else {
        return Ok(("GET", None));
    };
    let Some(rest) = frag.strip_prefix("#params") else {
        return Ok(("GET", None));
    };
    let name = rest.strip_prefix('=');
    let list = m.param_lists.iter().find(|p| p.name.as_deref() == name);
    let Some(list) = list else {
        return Err(Status::err(Posix::Enoent, ErrFile::Uri));
    };
    let body = list
        .params
        .iter()
        .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    Ok(("POST", Some(body.into_bytes())))
}

fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn index_of(m: &Machine, id: u64) -> Option<usize> {
    m.images.iter().position(|i| i.id == id)
}

/// `imgacquire`: an image of exactly that name, else a download.
fn acquire(m: &mut Machine, text: &str) -> Flow<Result<u64, Status>> {
    if let Some(i) = m.images.iter().find(|i| i.name == text) {
        return Ok(Ok(i.id));
    }
    download(m, text)
}

/// Applies `--name`, arguments and `--autofree` (the common part of `imgsingle_exec`).
fn apply_common(m: &mut Machine, id: u64, o: &Opts, clear_args: bool) {
    let Some(i) = index_of(m, id) else { return };
    let img = &mut m.images[i];
    if clear_args {
        img.cmdline = None;
    }
    if let Some(name) = o.value("name") {
        img.name = name.to_string();
    }
    if o.args.len() > 1 {
        img.cmdline = Some(o.args[1..].join(" "));
    }
    if o.has("autofree") {
        img.autofree = true;
    }
}

pub fn fetch(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let id = tri!(download(m, &o.args[0])?);
    apply_common(m, id, &o, false);
    Ok(Ok(()))
}

pub fn select(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let id = tri!(acquire(m, &o.args[0])?);
    apply_common(m, id, &o, false);
    for img in &mut m.images {
        img.selected = false;
    }
    let Some(i) = index_of(m, id) else {
        return Ok(Ok(()));
    };
    if !m.images[i].kind.executable() {
        let status = Status::err(Posix::Enoexec, ErrFile::Image);
        let msg = format!("Could not select: {}\n", m.strerror(status));
        m.print(&msg)?;
        return Ok(Err(status));
    }
    m.images[i].selected = true;
    Ok(Ok(()))
}

pub fn exec(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let id = match o.args.first() {
        Some(text) => tri!(acquire(m, text)?),
        None => match m.images.iter().find(|i| i.selected) {
            Some(i) => i.id,
            None => {
                m.print("No image selected\n")?;
                return Ok(Ok(()));
            }
        },
    };
    apply_common(m, id, &o, false);
    let rc = if o.has("replace") {
        replace(m, id)
    } else {
        image_exec(m, id)?
    };
    if let Err(status) = rc {
        let msg = format!("Could not boot: {}\n", m.strerror(status));
        m.print(&msg)?;
    }
    Ok(rc)
}

fn replace(m: &mut Machine, id: u64) -> Rc {
    let Some(&current) = m.executing.last() else {
        return Err(Status::err(Posix::Enotty, ErrFile::Image));
    };
    let Some(i) = index_of(m, id) else {
        return Err(Status::err(Posix::Enoent, ErrFile::Image));
    };
    if !m.images[i].kind.executable() {
        return Err(Status::err(Posix::Enoexec, ErrFile::Image));
    }
    m.replacements.retain(|(c, _)| *c != current);
    m.replacements.push((current, id));
    m.stop = Stop::Sequence;
    Ok(())
}

/// `image_exec`: run a registered image, nesting for scripts.
pub fn image_exec(m: &mut Machine, id: u64) -> Flow<Rc> {
    let Some(i) = index_of(m, id) else {
        return Ok(Err(Status::err(Posix::Enoent, ErrFile::Image)));
    };
    let image = m.images[i].clone();
    let old_cwuri = m.cwuri.clone();
    // OLD switches to the image's URI even when it has none (fixed in 2022).
    if image.uri.is_some() || !m.head {
        m.cwuri = image.uri.clone();
    }
    m.executing.push(id);
    let rc = match image.kind {
        ImageKind::Unknown => Err(Status::err(Posix::Enoexec, ErrFile::Image)),
        ImageKind::Script if image.assumed => {
            let url = image.uri.clone().unwrap_or_else(|| image.name.clone());
            return Err(Halt::UnknownScript(url));
        }
        ImageKind::Script => {
            // A running script is unregistered (`script_exec`).
            m.images.retain(|img| img.id != id);
            let result = m.run_script(&image);
            let replaced = m.replacements.iter().any(|(c, _)| *c == id);
            if !replaced {
                m.images.push(image.clone());
            }
            result?
        }
        kind => return Err(Halt::Boot(Box::new(boot_info(m, &image, kind)))),
    };
    m.executing.pop();
    if image.autofree {
        m.images.retain(|img| img.id != id);
    }
    m.cwuri = old_cwuri;
    if let Some(pos) = m.replacements.iter().position(|(c, _)| *c == id) {
        let (_, next) = m.replacements.remove(pos);
        return image_exec(m, next);
    }
    Ok(rc)
}

fn boot_info(m: &Machine, image: &Image, kind: ImageKind) -> Boot {
    let kind = match kind {
        ImageKind::Linux => "linux",
        ImageKind::Efi => "efi",
        _ => "pxe",
    };
    Boot {
        kind: kind.to_string(),
        explanation: boot_explanation(kind).map(str::to_string),
        kernel: BootImage {
            name: image.name.clone(),
            url: image.uri.clone(),
            cmdline: image.cmdline.clone(),
        },
        initrds: m
            .images
            .iter()
            .filter(|i| i.id != image.id)
            .map(|i| BootImage {
                name: i.name.clone(),
                url: i.uri.clone(),
                cmdline: i.cmdline.clone(),
            })
            .collect(),
    }
}

pub fn args(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let id = tri!(acquire(m, &o.args[0])?);
    apply_common(m, id, &o, true);
    Ok(Ok(()))
}

fn find_named(m: &mut Machine, names: &[String]) -> Flow<Result<Vec<u64>, Status>> {
    if names.is_empty() {
        return Ok(Ok(m.images.iter().map(|i| i.id).collect()));
    }
    let mut ids = Vec::new();
    for n in names {
        match m.images.iter().find(|i| &i.name == n) {
            Some(i) => ids.push(i.id),
            None => {
                m.print(&format!("\"{n}\": no such image\n"))?;
                return Ok(Err(Status::err(Posix::Enoent, ErrFile::ImageCmd)));
            }
        }
    }
    Ok(Ok(ids))
}

pub fn stat(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let ids = tri!(find_named(m, &o.args)?);
    for id in ids {
        let Some(i) = index_of(m, id) else { continue };
        let img = &m.images[i];
        let mut line = format!("{} : {} bytes", img.name, img.data.len());
        if let Some(t) = img.kind.ipxe_name() {
            line.push_str(&format!(" [{t}]"));
        }
        if img.selected {
            line.push_str(" [SELECTED]");
        }
        if img.autofree {
            line.push_str(" [AUTOFREE]");
        }
        if let Some(c) = &img.cmdline {
            line.push_str(&format!(" \"{c}\""));
        }
        line.push('\n');
        m.print(&line)?;
    }
    Ok(Ok(()))
}

pub fn free(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let ids = tri!(find_named(m, &o.args)?);
    m.images.retain(|i| !ids.contains(&i.id));
    Ok(Ok(()))
}
