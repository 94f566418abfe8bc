//! Just enough of iPXE's URI handling (`src/core/uri.c`): resolving a
//! relative reference against the current working URI, the basename that
//! names a downloaded image, and the redacted form shown on progress lines.

/// The scheme of an absolute URI (`http` for `http://x/y`), if any.
pub fn scheme(uri: &str) -> Option<&str> {
    let colon = uri.find(':')?;
    let s = &uri[..colon];
    let ok = !s.is_empty()
        && s.as_bytes()[0].is_ascii_alphabetic()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
    ok.then_some(s)
}

fn split_authority(uri: &str) -> (&str, &str) {
    // "scheme://host" + "/path?query"
    if let Some(s) = scheme(uri) {
        let rest = &uri[s.len() + 1..];
        if let Some(after) = rest.strip_prefix("//") {
            let end = after.find(['/', '?', '#']).unwrap_or(after.len());
            let cut = s.len() + 3 + end;
            return (&uri[..cut], &uri[cut..]);
        }
        return (&uri[..s.len() + 1], rest);
    }
    ("", uri)
}

/// `resolve_uri(base, relative)` for the cases scripts use.
pub fn resolve(base: Option<&str>, rel: &str) -> String {
    if scheme(rel).is_some() {
        return rel.to_string();
    }
    let Some(base) = base else {
        return rel.to_string();
    };
    let (authority, base_path) = split_authority(base);
    let base_path = base_path.split(['?', '#']).next().unwrap_or("");
    if rel.starts_with("//") {
        let s = scheme(base).unwrap_or("");
        return format!("{s}:{rel}");
    }
    if rel.starts_with('/') {
        return format!("{authority}{}", normalise(rel));
    }
    if rel.is_empty() {
        return base.to_string();
    }
    let dir = match base_path.rfind('/') {
        Some(i) => &base_path[..=i],
        None => "/",
    };
    format!("{authority}{}", normalise(&format!("{dir}{rel}")))
}

/// Removes `.` and `..` path segments (RFC 3986 §5.2.4), keeping any query.
fn normalise(path: &str) -> String {
    let (p, q) = match path.find(['?', '#']) {
        Some(i) => (&path[..i], &path[i..]),
        None => (path, ""),
    };
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = p.split('/').collect();
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("{}{q}", out.join("/"))
}

/// The image name iPXE derives: the basename of the URI's path.
pub fn basename(uri: &str) -> String {
    let (_, path) = split_authority(uri);
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.rsplit('/').next().unwrap_or("").to_string()
}

/// The URI as the progress line shows it: no user, password, query or fragment.
pub fn redacted(uri: &str) -> String {
    let (authority, path) = split_authority(uri);
    let authority = match authority.find('@') {
        Some(at) => {
            let s = scheme(authority).map(|s| s.len() + 3).unwrap_or(0);
            format!("{}{}", &authority[..s], &authority[at + 1..])
        }
        None => authority.to_string(),
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    format!("{authority}{path}")
}

/// The query part, if any (used for `##params`).
pub fn fragment(uri: &str) -> Option<&str> {
    uri.find('#').map(|i| &uri[i + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolving() {
        let b = Some("http://srv/dir/a.ipxe");
        assert_eq!(resolve(b, "other.ipxe"), "http://srv/dir/other.ipxe");
        assert_eq!(resolve(b, "/x"), "http://srv/x");
        assert_eq!(resolve(b, "../y"), "http://srv/y");
        assert_eq!(resolve(None, "y"), "y");
        assert_eq!(
            resolve(Some("tftp://10.0.2.2/"), "y.ipxe"),
            "tftp://10.0.2.2/y.ipxe"
        );
        assert_eq!(basename("http://h/a/b.img?x=1"), "b.img");
        assert_eq!(redacted("http://u:p@h/a?q"), "http://h/a");
    }
}
