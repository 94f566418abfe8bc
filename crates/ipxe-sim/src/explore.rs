//! `--all`: run the script once per path through its menus.
//!
//! Depth-first: run with a prefix of answers; at the first `choose` with no
//! answer left, branch on each of its items. A menu that comes back on the
//! same path (an "about" page returning to its menu) ends that path, so
//! cyclic menu trees stay finite. Each menu also gets a row for pressing Esc
//! there ([`ESC_ANSWER`]), since `choose` then fails and the script goes
//! wherever its `||` sends it (or ends).

use std::collections::VecDeque;

use serde::Serialize;

use crate::net::Network;
use crate::report::{AssumedUrl, Boot, Outcome};
use crate::{ESC_ANSWER, Script, SimConfig, SimError, StartContext, run};

/// One path: the answers given and where they led.
#[derive(Clone, Debug, Serialize)]
pub struct PathRow {
    /// The start context every path ran in (the same for all rows).
    pub start: StartContext,
    pub selections: Vec<String>,
    pub outcome: Outcome,
    pub exit_status: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub boot: Option<Boot>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// URLs this path assumed to exist (a dry run).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assumed: Vec<AssumedUrl>,
}

impl PathRow {
    /// The path pressed Esc at some menu.
    pub fn cancelled(&self) -> bool {
        self.selections.iter().any(|s| s == ESC_ANSWER)
    }
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
    // Esc rows come after every item path, so a path cap cuts them first.
    let mut esc_rows: VecDeque<Vec<String>> = VecDeque::new();
    while let Some(prefix) = stack.pop().or_else(|| esc_rows.pop_front()) {
        if rows.len() >= max_paths {
            rows.push(PathRow {
                start: cfg.start,
                selections: prefix,
                outcome: Outcome::Limit,
                exit_status: 0,
                message: Some(format!(
                    "path limit ({max_paths} paths) reached: exploration stopped"
                )),
                boot: None,
                hint: None,
                assumed: Vec::new(),
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
            // An Esc row ends at the next menu: it shows where Esc leads
            // without exploring that menu again under another prefix.
            let after_esc = prefix.last().is_some_and(|s| s == ESC_ANSWER);
            if seen || after_esc || prefix.len() >= max_depth {
                rows.push(PathRow {
                    start: cfg.start,
                    selections: prefix,
                    outcome: Outcome::Unanswered,
                    exit_status: 0,
                    message: Some(if seen {
                        format!("back to {title}")
                    } else if after_esc {
                        format!("on to {title}")
                    } else {
                        format!("depth limit ({max_depth} answers) at {title}")
                    }),
                    boot: None,
                    hint: None,
                    assumed: report.assumed,
                });
                continue;
            }
            let mut esc = prefix.clone();
            esc.push(ESC_ANSWER.to_string());
            esc_rows.push_back(esc);
            for item in items.into_iter().rev() {
                let mut next = prefix.clone();
                next.push(item);
                stack.push(next);
            }
            continue;
        }
        rows.push(PathRow {
            start: cfg.start,
            selections: prefix,
            outcome: report.outcome,
            exit_status: report.exit_status,
            message: report.message,
            boot: report.boot,
            hint: report.hint,
            assumed: report.assumed,
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
