//! Which config macros a script needs, read from the catalogue: a command's
//! `macro` (and its `extra_macro`s) when a target's build lacks the command,
//! and a URI scheme's macro when a target's build cannot open it.
//!
//! Nothing here names a command or a scheme: every mapping comes from
//! `ipxe-catalog`, so a command added there is handled here too.

use ipxe_catalog::{ArgRole, Catalog, ValueKind};
use ipxe_semantics::{BuildProfile, OptValue, bind};
use ipxe_syntax::{Lines, Word};

/// One macro the scripts need, with the first place that needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NeededMacro {
    pub name: String,
    /// Config header that defines it (`general.h`, `console.h`, `crypto.h`…).
    pub header: String,
    /// Embedded file (its image name) and 1-based line of the first use.
    pub file: String,
    pub line: usize,
    /// What the script wrote: a command name (`ping`) or a scheme (`https://`).
    pub what: String,
    /// The targets whose build lacks the feature.
    pub lacking: Vec<String>,
}

impl NeededMacro {
    /// "PING_CMD (boot.ipxe line 12: `ping`)".
    pub fn reason(&self) -> String {
        format!("{} line {}: `{}`", self.file, self.line, self.what)
    }
}

/// The macros the scripts need on `profiles` (each already carrying the
/// user's own `--enable`/`--disable` and config/local overrides), in order of
/// first use.
pub fn needed_macros(scripts: &[(String, &[u8])], profiles: &[BuildProfile]) -> Vec<NeededMacro> {
    let mut out: Vec<NeededMacro> = Vec::new();
    for (file, src) in scripts {
        let mut line_no = 1usize;
        let mut counted = 0usize;
        for line in Lines::new(src) {
            let start = line.span.start as usize;
            line_no += src[counted..start].iter().filter(|&&b| b == b'\n').count();
            counted = start;
            for command in line.non_empty_commands() {
                let bound = bind(command, src);
                let Some(spec) = bound.spec else { continue };
                // The command itself.
                if let Some(name) = &spec.macro_name {
                    let lacking: Vec<&BuildProfile> = profiles
                        .iter()
                        .filter(|p| !p.has_command(spec) && arch_fits(spec, p))
                        .collect();
                    if !lacking.is_empty() {
                        let header = spec.header.clone().unwrap_or_else(|| "general.h".into());
                        let mut macros = vec![(name.clone(), header)];
                        macros.extend(
                            spec.extra_macros
                                .iter()
                                .map(|m| (m.name.clone(), m.header.clone())),
                        );
                        for (name, header) in macros {
                            add(&mut out, name, header, file, line_no, &spec.name, &lacking);
                        }
                    }
                }
                // URIs in its arguments.
                if bound.problem.is_some() {
                    continue;
                }
                let san = matches!(spec.name.as_str(), "sanboot" | "sanhook");
                let mut uris: Vec<(&Word, usize)> = Vec::new();
                for (n, &index) in bound.positionals.iter().enumerate() {
                    if matches!(
                        spec.arg_role(n).map(|a| a.role),
                        Some(ArgRole::Uri | ArgRole::UriOrImage)
                    ) {
                        uris.push((&command.words[index], 0));
                    }
                }
                for option in &bound.options {
                    if option.spec.kind != ValueKind::Uri {
                        continue;
                    }
                    match &option.value {
                        Some(OptValue::Next { word }) => uris.push((&command.words[*word], 0)),
                        Some(OptValue::Inline { word, range }) => {
                            uris.push((&command.words[*word], range.start as usize))
                        }
                        None => {}
                    }
                }
                for (word, from) in uris {
                    let Some((scheme_name, shown)) = literal_scheme(word, src, from) else {
                        continue;
                    };
                    let Some(scheme) = Catalog::get().scheme(&scheme_name) else {
                        continue;
                    };
                    if scheme.macro_name.is_empty() {
                        continue;
                    }
                    let fits = match scheme.kind.as_str() {
                        "download" => true,
                        "san" => san,
                        _ => false,
                    };
                    if !fits {
                        continue;
                    }
                    let header = scheme.header.clone().unwrap_or_else(|| "general.h".into());
                    let lacking: Vec<&BuildProfile> =
                        profiles.iter().filter(|p| !p.has_scheme(scheme)).collect();
                    if !lacking.is_empty() {
                        let (name, header) = (scheme.macro_name.clone(), header.clone());
                        add(&mut out, name, header, file, line_no, &shown, &lacking);
                    }
                    // HTTP(S) as a SAN root path also needs the HTTP block device.
                    if let (true, Some(san_macro)) = (san, &scheme.san_macro) {
                        let lacking: Vec<&BuildProfile> = profiles
                            .iter()
                            .filter(|p| p.overrides.get(san_macro) != Some(&true))
                            .collect();
                        if !lacking.is_empty() {
                            add(
                                &mut out,
                                san_macro.clone(),
                                header,
                                file,
                                line_no,
                                &shown,
                                &lacking,
                            );
                        }
                    }
                }
            }
        }
    }
    out
}

fn arch_fits(spec: &ipxe_catalog::Command, profile: &BuildProfile) -> bool {
    spec.arches
        .as_ref()
        .is_none_or(|a| a.iter().any(|x| x == &profile.arch))
}

fn add(
    out: &mut Vec<NeededMacro>,
    name: String,
    header: String,
    file: &str,
    line: usize,
    what: &str,
    lacking: &[&BuildProfile],
) {
    let labels = lacking.iter().map(|p| p.label.clone());
    if let Some(existing) = out.iter_mut().find(|m| m.name == name) {
        for label in labels {
            if !existing.lacking.contains(&label) {
                existing.lacking.push(label);
            }
        }
        return;
    }
    out.push(NeededMacro {
        name,
        header,
        file: file.to_string(),
        line,
        what: what.to_string(),
        lacking: labels.collect(),
    });
}

/// The scheme at the literal start of a word (from byte `from` of its
/// logical text), read as `parse_uri` does: letters, `-` and `_` up to a `:`.
/// Returns the name and how the script wrote it (`https://`, `data:`).
fn literal_scheme(word: &Word, src: &[u8], from: usize) -> Option<(String, String)> {
    let text = word.text(src);
    let known_end = word
        .refs
        .iter()
        .map(|r| r.range.start as usize)
        .min()
        .unwrap_or(text.len())
        .min(text.len());
    let value = text.get(from..known_end)?;
    let colon = value
        .iter()
        .position(|&b| !(b.is_ascii_alphabetic() || b == b'-' || b == b'_'))?;
    if colon == 0 || value[colon] != b':' {
        return None;
    }
    let name = String::from_utf8_lossy(&value[..colon]).into_owned();
    let shown = if value.get(colon + 1..colon + 3) == Some(b"//") {
        format!("{name}://")
    } else {
        format!("{name}:")
    };
    Some((name, shown))
}

/// The header that defines `name`, from the catalogue (commands, their extra
/// macros, schemes, image types).
pub fn catalog_header(name: &str) -> Option<String> {
    let catalog = Catalog::get();
    for command in &catalog.commands {
        if command.macro_name.as_deref() == Some(name) {
            return Some(command.header.clone().unwrap_or_else(|| "general.h".into()));
        }
        if let Some(m) = command.extra_macros.iter().find(|m| m.name == name) {
            return Some(m.header.clone());
        }
    }
    for scheme in &catalog.schemes {
        if scheme.macro_name == name || scheme.san_macro.as_deref() == Some(name) {
            return Some(scheme.header.clone().unwrap_or_else(|| "general.h".into()));
        }
    }
    for image in &catalog.image_types {
        if image.macro_name == name {
            return Some(image.header.clone().unwrap_or_else(|| "general.h".into()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needed(script: &str, target: &str) -> Vec<NeededMacro> {
        let profile = BuildProfile::from_target(target).unwrap();
        needed_macros(&[("boot.ipxe".into(), script.as_bytes())], &[profile])
    }

    fn names(script: &str, target: &str) -> Vec<String> {
        needed(script, target).into_iter().map(|m| m.name).collect()
    }

    #[test]
    fn each_mapping_the_issue_names() {
        let bios = "bin/undionly.kpxe";
        let cases: &[(&str, &[&str])] = &[
            (
                "chain https://boot.example.com/menu.ipxe",
                &["DOWNLOAD_PROTO_HTTPS"],
            ),
            ("ping --count 1 10.0.0.1", &["PING_CMD"]),
            ("nslookup ip boot.example.com", &["NSLOOKUP_CMD"]),
            ("params", &["PARAM_CMD"]),
            ("param mac ${net0/mac}", &["PARAM_CMD"]),
            ("ntp pool.ntp.org", &["NTP_CMD"]),
            ("console --x 1024 --y 768", &["CONSOLE_CMD"]),
            ("imgverify boot.ipxe boot.ipxe.sig", &["IMAGE_TRUST_CMD"]),
            ("imgtrust", &["IMAGE_TRUST_CMD"]),
            (
                "kernel nfs://10.0.0.1/export/vmlinuz",
                &["DOWNLOAD_PROTO_NFS"],
            ),
        ];
        for (line, expected) in cases {
            let script = format!("#!ipxe\n{line}\n");
            assert_eq!(names(&script, bios), *expected, "{line}");
        }
    }

    #[test]
    fn reason_names_file_line_and_word() {
        let m = needed(
            "#!ipxe\ndhcp\n\nping --count 1 10.0.0.1\n",
            "bin/undionly.kpxe",
        );
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].header, "general.h");
        assert_eq!(m[0].reason(), "boot.ipxe line 4: `ping`");
        assert_eq!(m[0].lacking, vec!["bin/undionly.kpxe".to_string()]);
    }

    #[test]
    fn stock_features_are_not_enabled() {
        // EFI builds have HTTPS and params; BIOS builds have http.
        assert!(
            names(
                "#!ipxe\nparams\nchain https://x/y\n",
                "bin-x86_64-efi/ipxe.efi"
            )
            .is_empty()
        );
        assert!(names("#!ipxe\nchain http://x/y\nset a 1\n", "bin/undionly.kpxe").is_empty());
    }

    #[test]
    fn user_overrides_count_as_present() {
        let mut profile = BuildProfile::from_target("bin/undionly.kpxe").unwrap();
        profile.overrides.insert("PING_CMD".into(), true);
        let m = needed_macros(&[("a.ipxe".into(), b"#!ipxe\nping 1.2.3.4\n")], &[profile]);
        assert!(m.is_empty());
    }

    #[test]
    fn dynamic_schemes_are_not_guessed() {
        assert!(names("#!ipxe\nchain ${proto}://x/y\n", "bin/undionly.kpxe").is_empty());
    }

    #[test]
    fn extra_macros_come_along() {
        let m = names("#!ipxe\nmd4sum boot.ipxe\n", "bin/undionly.kpxe");
        assert!(m.contains(&"CRYPTO_DIGEST_MD4".to_string()), "{m:?}");
    }

    #[test]
    fn catalogue_headers() {
        assert_eq!(catalog_header("PING_CMD").as_deref(), Some("general.h"));
        assert_eq!(
            catalog_header("DOWNLOAD_PROTO_HTTPS").as_deref(),
            Some("general.h")
        );
        assert_eq!(
            catalog_header("CRYPTO_DIGEST_MD4").as_deref(),
            Some("crypto.h")
        );
        assert_eq!(catalog_header("NO_SUCH_MACRO"), None);
    }
}
