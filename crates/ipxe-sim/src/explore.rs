//! `--all`: run the script once per path through its menus.
//!
//! Depth-first: run with a prefix of answers; at the first `choose` with no
//! answer left, branch on each of its items. A menu that comes back on the
//! same path (an "about" page returning to its menu) ends that path, so
//! cyclic menu trees stay finite.

use serde::Serialize;

use crate::net::Network;
use crate::report::{Boot, Outcome};
use crate::{Script, SimConfig, SimError, run};

/// One path: the answers given and where they led.
#[derive(Clone, Debug, Serialize)]
pub struct PathRow {
    pub selections: Vec<String>,
    pub outcome: Outcome,
    pub exit_status: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boot: Option<Boot>,
}

/// Explores every path, up to `max_paths` rows and `max_depth` answers per path.
pub fn explore(
    cfg: &SimConfig,
    net: &mut dyn Network,
    script: &Script,
    max_paths: usize,
    max_depth: usize,
) -> Result<Vec<PathRow>, SimError> {
    let mut rows = Vec::new();
    let mut stack: Vec<Vec<String>> = vec![Vec::new()];
    while let Some(prefix) = stack.pop() {
        if rows.len() >= max_paths {
            rows.push(PathRow {
                selections: prefix,
                outcome: Outcome::Limit,
                exit_status: 0,
                message: Some(format!(
                    "path limit ({max_paths} paths) reached: exploration stopped"
                )),
                boot: None,
            });
            break;
        }
        let mut c = cfg.clone();
        c.selects = prefix.clone();
        c.keys.clear();
        c.stop_at_unanswered_choose = true;
        let report = run(c, net, script.clone())?;
        if report.outcome == Outcome::Unanswered {
            let title = report.message.clone().unwrap_or_default();
            let items = unanswered_items(&report);
            let seen = report
                .choices
                .iter()
                .any(|ch| format!("menu \"{}\" ({})", ch.title, ch.items.join(", ")) == title);
            if seen || prefix.len() >= max_depth {
                rows.push(PathRow {
                    selections: prefix,
                    outcome: Outcome::Unanswered,
                    exit_status: 0,
                    message: Some(if seen {
                        format!("back to {title}")
                    } else {
                        format!("depth limit ({max_depth} answers) at {title}")
                    }),
                    boot: None,
                });
                continue;
            }
            for item in items.into_iter().rev() {
                let mut next = prefix.clone();
                next.push(item);
                stack.push(next);
            }
            continue;
        }
        rows.push(PathRow {
            selections: prefix,
            outcome: report.outcome,
            exit_status: report.exit_status,
            message: report.message,
            boot: report.boot,
        });
    }
    Ok(rows)
}

/// The item names of the unanswered menu, from its message `menu "t" (a, b)`.
fn unanswered_items(report: &crate::Report) -> Vec<String> {
    let msg = report.message.as_deref().unwrap_or("");
    let Some(open) = msg.rfind(" (") else {
        return Vec::new();
    };
    let inner = msg[open + 2..].trim_end_matches(')');
    if inner.is_empty() {
        return Vec::new();
    }
    inner.split(", ").map(str::to_string).collect()
}
