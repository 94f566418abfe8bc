//! What the conformance harness and the comparison test share: the case
//! directives, the screen the BIOS leaves before iPXE starts, and the
//! documented normalisations applied to both sides before comparing.
//!
//! Normalisations (the only ones):
//! 1. Runs of three or more dots become `...` (iPXE prints one dot per
//!    second of a download or DHCP, which depends on wall-clock time).
//! 2. SeaBIOS's output after iPXE returns (from the row starting
//!    `Booting from Hard Disk...`) is dropped from the real screen, and
//!    trailing blank rows are dropped from both.
//! 3. Screens are compared bottom-aligned: SeaBIOS's lines scroll the top
//!    rows of the real screen away, so only the rows the real screen still
//!    shows are compared.

/// Directives in a case's comments (`#@ keys: …`, `#@ wait: …`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directives {
    /// Keys typed (the simulator gets the same, as `--keys`).
    pub keys: Vec<String>,
    /// The recorder types the keys once the screen shows this text.
    pub wait: Option<String>,
}

pub fn directives(src: &[u8]) -> Directives {
    let mut d = Directives::default();
    for line in String::from_utf8_lossy(src).lines() {
        let Some(rest) = line.trim_start().strip_prefix("#@") else {
            continue;
        };
        let rest = rest.trim();
        if let Some(k) = rest.strip_prefix("keys:") {
            d.keys = k.split_whitespace().map(str::to_string).collect();
        } else if let Some(w) = rest.strip_prefix("wait:") {
            d.wait = Some(w.trim().to_string());
        }
    }
    d
}

/// What SeaBIOS has printed when it starts the `.lkrn`.
pub const SEABIOS_PRELUDE: &str = "SeaBIOS (version 1.16.2-debian-1.16.2-1)\nBooting from ROM...\n";

fn collapse_dots(row: &str) -> String {
    let mut out = String::with_capacity(row.len());
    let mut dots = 0;
    for c in row.chars() {
        if c == '.' {
            dots += 1;
            continue;
        }
        push_dots(&mut out, dots);
        dots = 0;
        out.push(c);
    }
    push_dots(&mut out, dots);
    out
}

fn push_dots(out: &mut String, n: usize) {
    if n >= 3 {
        out.push_str("...");
    } else {
        out.extend(std::iter::repeat_n('.', n));
    }
}

fn trim_blank_tail(mut rows: Vec<String>) -> Vec<String> {
    while rows.last().is_some_and(|r| r.trim().is_empty()) {
        rows.pop();
    }
    rows
}

/// The real screen with SeaBIOS's tail removed and dots collapsed.
pub fn normalise_real(rows: &[String]) -> Vec<String> {
    // The tail may be caught half-printed ("Booting from Ha").
    const TAIL: &str = "Booting from Hard Disk...";
    let start = rows
        .iter()
        .position(|r| r.starts_with("Features:"))
        .map_or(0, |i| i + 1);
    let end = rows[start..]
        .iter()
        .position(|r| {
            (!r.is_empty() && TAIL.starts_with(r.as_str()))
                || r.starts_with(TAIL)
                || r.starts_with("No bootable device")
        })
        .map_or(rows.len(), |i| start + i);
    trim_blank_tail(rows[..end].iter().map(|r| collapse_dots(r)).collect())
}

pub fn normalise_sim(rows: &[String]) -> Vec<String> {
    trim_blank_tail(rows.iter().map(|r| collapse_dots(r)).collect())
}

/// Bottom-aligned comparison; `None` when equal, else a readable diff.
pub fn compare_screens(real: &[String], sim: &[String]) -> Option<String> {
    let real = normalise_real(real);
    let sim = normalise_sim(sim);
    let n = real.len();
    let sim_tail: Vec<String> = if sim.len() >= n {
        sim[sim.len() - n..].to_vec()
    } else {
        let mut v = vec![String::new(); n - sim.len()];
        v.extend(sim.iter().cloned());
        v
    };
    if sim_tail == real {
        return None;
    }
    let mut diff = String::new();
    for (i, (r, s)) in real.iter().zip(&sim_tail).enumerate() {
        let mark = if r == s { ' ' } else { '!' };
        diff.push_str(&format!("{mark}{i:2} real: {r}\n{mark}    sim:  {s}\n"));
    }
    Some(diff)
}
