//! `menu item choose` (`src/hci/commands/menu_cmd.c`, `src/hci/tui/menu_ui.c`,
//! `src/hci/jumpscroll.c`), including how the menu is drawn on the screen.

use ipxe_catalog::Command;

use super::{parse, tri};
use crate::engine::{Flow, Halt, Machine, Menu, MenuItem, Rc};
use crate::errno::{ErrFile, Posix, Status};
use crate::getopt::{parse_integer, parse_key};
use crate::keys;
use crate::report::ChooseRecord;
use crate::screen::{COLS, ROWS};

const TITLE_ROW: usize = 1;
const MENU_ROW: usize = 3;
const MENU_COL: usize = 1;
const MENU_ROWS: usize = ROWS - 2 - MENU_ROW;
const MENU_COLS: usize = COLS - 2;
const MENU_PAD: usize = 2;

fn find_menu(m: &Machine, name: Option<&str>) -> Option<usize> {
    m.menus.iter().position(|menu| menu.name.as_deref() == name)
}

/// `parse_menu`: the named menu, or the unnamed one.
fn parse_menu(m: &mut Machine, name: Option<&str>) -> Flow<Result<usize, Status>> {
    if let Some(i) = find_menu(m, name) {
        return Ok(Ok(i));
    }
    let msg = match name {
        Some(n) => format!("\"{n}\": no such menu\n"),
        None => "No default menu\n".to_string(),
    };
    m.print(&msg)?;
    Ok(Err(Status::err(Posix::Enoent, ErrFile::Parseopt)))
}

pub fn menu(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let name = o.value("name").map(str::to_string);
    m.menus.retain(|menu| menu.name != name);
    if !o.has("delete") {
        m.menus.push(Menu {
            name,
            title: o.args.join(" "),
            items: Vec::new(),
        });
    }
    Ok(Ok(()))
}

pub fn item(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let gap = o.has("gap");
    let mut args = o.args.iter();
    let label = if gap { None } else { args.next().cloned() };
    let text = args.cloned().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    let shortcut = match o.value("key") {
        Some(k) => tri!(parse_key(k, m.head, &mut out)),
        None => 0,
    };
    let idx = tri!(parse_menu(m, o.value("menu"))?);
    m.menus[idx].items.push(MenuItem {
        label,
        text,
        shortcut,
        is_default: o.has("default"),
    });
    Ok(Ok(()))
}

/// The menu's on-screen state (`struct menu_ui`).
struct Ui {
    current: usize,
    first: usize,
    count: usize,
}

impl Ui {
    fn jump_scroll(&mut self) -> bool {
        if self.current >= self.first && self.current - self.first < MENU_ROWS {
            return false;
        }
        while self.first < self.current {
            self.first += MENU_ROWS;
        }
        while self.first > self.current {
            self.first -= MENU_ROWS;
        }
        true
    }

    fn key_move(&self, key: u32) -> isize {
        let (first, current, rows, count) = (
            self.first as isize,
            self.current as isize,
            MENU_ROWS as isize,
            self.count as isize,
        );
        match key {
            keys::KEY_UP => -1,
            keys::KEY_DOWN => 1,
            keys::KEY_PPAGE => first - current - 1,
            keys::KEY_NPAGE => first - current + rows,
            keys::KEY_HOME => -count,
            keys::KEY_END => count,
            _ => 0,
        }
    }

    fn jump_move(&mut self, mv: isize) -> isize {
        let cur = self.current as isize + mv;
        let last = self.count as isize - 1;
        if cur < 0 {
            self.current = 0;
            1
        } else if cur > last {
            self.current = last as usize;
            -1
        } else {
            self.current = cur as usize;
            if mv > 0 { 1 } else { -1 }
        }
    }
}

fn draw_item(m: &mut Machine, menu: &Menu, ui: &Ui, index: usize, timeout_ms: u64) {
    let row = MENU_ROW + index - ui.first;
    match menu.items.get(index) {
        Some(item) => {
            let mut buf = vec![b' '; MENU_COLS];
            let text = item.text.as_bytes();
            let len = text.len().min(MENU_COLS - 2 * MENU_PAD);
            buf[MENU_PAD..MENU_PAD + len].copy_from_slice(&text[..len]);
            if index == ui.current && timeout_ms != 0 {
                let t = format!("({})", timeout_ms.div_ceil(1000));
                let at = MENU_COLS - MENU_PAD - t.len();
                buf[at..at + t.len()].copy_from_slice(t.as_bytes());
            }
            m.console.screen.draw(row, MENU_COL, &buf);
        }
        None => {
            let blank = vec![b' '; COLS - MENU_COL];
            m.console.screen.draw(row, MENU_COL, &blank);
        }
    }
}

fn draw_items(m: &mut Machine, menu: &Menu, ui: &Ui) {
    let more_above = if ui.first == 0 { "   " } else { "..." };
    let more_below = if ui.first + MENU_ROWS >= ui.count {
        "   "
    } else {
        "..."
    };
    m.console
        .screen
        .draw(MENU_ROW - 1, MENU_COL + MENU_PAD, more_above.as_bytes());
    m.console.screen.draw(
        MENU_ROW + MENU_ROWS,
        MENU_COL + MENU_PAD,
        more_below.as_bytes(),
    );
    for i in 0..MENU_ROWS {
        draw_item(m, menu, ui, ui.first + i, 0);
    }
}

enum Answer {
    Chosen,
    Cancelled,
}

/// `menu_loop` driven by the queued keys.
fn key_loop(m: &mut Machine, menu: &Menu, ui: &mut Ui) -> Answer {
    loop {
        let Some(key) = m.keys.pop_front() else {
            let name = menu.items[ui.current].label.clone().unwrap_or_default();
            m.note(format!(
                "keys ran out in menu \"{}\": took the highlighted item {name}",
                menu.title
            ));
            return Answer::Chosen;
        };
        let mut mv = ui.key_move(key.0);
        let mut chosen = false;
        match key.0 {
            keys::ESC | keys::CTRL_C => return Answer::Cancelled,
            keys::CR | keys::LF => chosen = true,
            k => {
                // OLD's shortcut scan: the index skips earlier matches, so
                // duplicate keys land on the wrong item (fixed upstream 2026).
                let mut i = 0;
                for item in &menu.items {
                    if !(item.shortcut != 0 && item.shortcut == k) {
                        i += 1;
                        continue;
                    }
                    ui.current = i;
                    if item.label.is_some() {
                        chosen = true;
                    } else {
                        mv = 1;
                    }
                }
            }
        }
        while mv != 0 {
            mv = ui.jump_move(mv);
            if menu.items[ui.current].label.is_some() {
                break;
            }
        }
        ui.jump_scroll();
        if chosen {
            return Answer::Chosen;
        }
    }
}

pub fn choose(m: &mut Machine, cmd: &Command, argv: &[String]) -> Flow<Rc> {
    let o = tri!(parse(m, cmd, argv)?);
    let mut out = String::new();
    let timeout_ms = match o.value("timeout") {
        Some(t) => tri!(parse_integer(t, m.head, &mut out)),
        None => 0,
    };
    let setting = o.args[0].clone();
    let name = match m.settings.parse_name(&setting, true) {
        Ok(n) => n,
        Err(_) => {
            m.print(&format!("\"{setting}\": invalid setting\n"))?;
            return Ok(Err(Status::err(Posix::Enodev, ErrFile::Settings)));
        }
    };
    let idx = tri!(parse_menu(m, o.value("menu"))?);
    let menu = m.menus[idx].clone();
    if !o.has("keep") {
        m.menus.remove(idx);
    }
    let result = show_menu(m, &menu, timeout_ms, o.value("default"))?;
    let chosen = match result {
        Ok(i) => i,
        Err(status) => return Ok(Err(status)),
    };
    let label = menu.items[chosen].label.clone().unwrap_or_default();
    if let Err(status) = m.settings.store_text(&name, &label) {
        let msg = format!(
            "Could not store \"{}\": {}\n",
            name.name,
            m.strerror(status)
        );
        m.print(&msg)?;
        return Ok(Err(status));
    }
    Ok(Ok(()))
}

/// `show_menu`: returns the chosen item's index.
fn show_menu(
    m: &mut Machine,
    menu: &Menu,
    timeout_ms: u64,
    select: Option<&str>,
) -> Flow<Result<usize, Status>> {
    let mut ui = Ui {
        current: 0,
        first: 0,
        count: menu.items.len(),
    };
    let mut labelled = 0;
    for (i, item) in menu.items.iter().enumerate() {
        if let Some(label) = &item.label {
            if labelled == 0 {
                ui.current = i;
            }
            labelled += 1;
            match select {
                Some(s) if s == label => ui.current = i,
                None if item.is_default => ui.current = i,
                _ => {}
            }
        }
    }
    let names: Vec<String> = menu.items.iter().filter_map(|i| i.label.clone()).collect();
    if labelled == 0 {
        return Ok(Err(Status::err(Posix::Enoent, ErrFile::MenuUi)));
    }
    ui.jump_scroll();
    // Draw as `show_menu` does: clear, centred bold title, items, highlight.
    m.console.screen.erase();
    let title: String = menu.title.chars().take(MENU_COLS).collect();
    let col = COLS.saturating_sub(title.len()) / 2;
    m.console.screen.draw(TITLE_ROW, col, title.as_bytes());
    draw_items(m, menu, &ui);
    let record_title = menu.title.clone();

    let answer = if let Some(wanted) = m.selects.pop_front() {
        match menu
            .items
            .iter()
            .position(|i| i.label.as_deref() == Some(wanted.as_str()))
        {
            Some(i) => {
                ui.current = i;
                ui.jump_scroll();
                Answer::Chosen
            }
            None if wanted == crate::ESC_ANSWER => Answer::Cancelled,
            None => {
                return Err(Halt::BadAnswer(format!(
                    "--select {wanted}: menu \"{}\" has no item \"{wanted}\" (items: {})",
                    menu.title,
                    names.join(", ")
                )));
            }
        }
    } else if !m.keys.is_empty() {
        key_loop(m, menu, &mut ui)
    } else if m.cfg.stop_at_unanswered_choose {
        return Err(Halt::Unanswered(menu.title.clone(), names));
    } else if timeout_ms > 0 {
        m.wait_ms(timeout_ms);
        Answer::Chosen
    } else {
        let name = menu.items[ui.current].label.clone().unwrap_or_default();
        m.note(format!(
            "choose in menu \"{}\" has no answer and no timeout: took {name}",
            menu.title
        ));
        Answer::Chosen
    };
    if ui.jump_scroll() {
        draw_items(m, menu, &ui);
    }
    draw_item(m, menu, &ui, ui.current, 0);
    // endwin() and the console's exit leave a blank screen with the cursor
    // on the bottom row (observed on the Debian build).
    m.console.screen.erase();
    m.console.screen.move_to(ROWS - 1, 0);
    let chosen = match answer {
        Answer::Chosen => Some(ui.current),
        Answer::Cancelled => None,
    };
    m.choices.push(ChooseRecord {
        title: record_title,
        items: names,
        chosen: chosen.and_then(|i| menu.items[i].label.clone()),
    });
    Ok(match chosen {
        Some(i) => Ok(i),
        None => Err(Status::err(Posix::Ecanceled, ErrFile::MenuUi)),
    })
}
