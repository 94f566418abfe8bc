//! The console: everything iPXE prints, both as a log of lines and as an
//! 80×25 text screen like the BIOS one (so menus, which draw at fixed
//! positions and clear the screen, can be compared with what real iPXE shows).

pub const COLS: usize = 80;
pub const ROWS: usize = 25;

#[derive(Clone, Debug)]
pub struct Screen {
    cells: Vec<[u8; COLS]>,
    row: usize,
    col: usize,
    /// Bytes of an ANSI escape sequence being skipped.
    escape: Option<Vec<u8>>,
}

impl Default for Screen {
    fn default() -> Self {
        Screen {
            cells: vec![[b' '; COLS]; ROWS],
            row: 0,
            col: 0,
            escape: None,
        }
    }
}

impl Screen {
    fn scroll(&mut self) {
        self.cells.remove(0);
        self.cells.push([b' '; COLS]);
        self.row = ROWS - 1;
    }

    fn newline(&mut self) {
        self.col = 0;
        if self.row + 1 >= ROWS {
            self.scroll();
        } else {
            self.row += 1;
        }
    }

    /// Teletype output as the BIOS console does it (ANSI sequences are consumed).
    pub fn put(&mut self, byte: u8) {
        if let Some(seq) = &mut self.escape {
            seq.push(byte);
            let done = (seq.len() == 1 && byte != b'[')
                || (seq.len() > 1 && (0x40..=0x7e).contains(&byte));
            if done {
                let seq = self.escape.take().unwrap_or_default();
                self.apply_escape(&seq);
            }
            return;
        }
        match byte {
            0x1b => self.escape = Some(Vec::new()),
            b'\n' => self.newline(),
            b'\r' => self.col = 0,
            0x08 => self.col = self.col.saturating_sub(1),
            0x07 | 0 => {}
            _ => {
                if self.col >= COLS {
                    self.newline();
                }
                self.cells[self.row][self.col] = byte;
                self.col += 1;
                if self.col >= COLS {
                    self.newline();
                }
            }
        }
    }

    fn apply_escape(&mut self, seq: &[u8]) {
        // Only "clear screen" (ESC [ 2 J) and cursor home matter for the text.
        match seq {
            b"[2J" => self.erase(),
            b"[H" | b"[1;1H" => {
                self.row = 0;
                self.col = 0;
            }
            _ => {}
        }
    }

    pub fn erase(&mut self) {
        for r in &mut self.cells {
            *r = [b' '; COLS];
        }
        self.row = 0;
        self.col = 0;
    }

    pub fn move_to(&mut self, row: usize, col: usize) {
        self.row = row.min(ROWS - 1);
        self.col = col.min(COLS - 1);
    }

    /// Curses-style drawing: no wrapping or scrolling, clipped at the edge.
    pub fn draw(&mut self, row: usize, col: usize, text: &[u8]) {
        if row >= ROWS {
            return;
        }
        for (i, &b) in text.iter().enumerate() {
            if col + i < COLS {
                self.cells[row][col + i] = b;
            }
        }
    }

    pub fn clear_row(&mut self, row: usize) {
        if row < ROWS {
            self.cells[row] = [b' '; COLS];
        }
    }

    /// The rows as text, trailing spaces removed.
    pub fn rows(&self) -> Vec<String> {
        self.cells
            .iter()
            .map(|r| String::from_utf8_lossy(r).trim_end().to_string())
            .collect()
    }
}

/// Everything printed: the log of lines (for JSON and text output) and the screen.
#[derive(Clone, Debug, Default)]
pub struct Console {
    pub lines: Vec<String>,
    current: Vec<u8>,
    /// Position in `current` (backspace and CR move it back).
    cursor: usize,
    pub screen: Screen,
    pub bytes_written: usize,
}

impl Console {
    pub fn print(&mut self, text: &str) {
        self.write(text.as_bytes());
    }

    pub fn write(&mut self, bytes: &[u8]) {
        self.bytes_written += bytes.len();
        let mut in_escape = false;
        for &b in bytes {
            self.screen.put(b);
            if in_escape {
                if (0x40..=0x7e).contains(&b) && b != b'[' {
                    in_escape = false;
                }
                continue;
            }
            match b {
                0x1b => in_escape = true,
                b'\n' => {
                    let line = String::from_utf8_lossy(&self.current).into_owned();
                    self.lines.push(line);
                    self.current.clear();
                    self.cursor = 0;
                }
                b'\r' => self.cursor = 0,
                0x08 => self.cursor = self.cursor.saturating_sub(1),
                _ => {
                    if self.cursor < self.current.len() {
                        self.current[self.cursor] = b;
                    } else {
                        self.current.push(b);
                    }
                    self.cursor += 1;
                }
            }
        }
    }

    /// Drops what a `prompt` erased with backspaces and spaces at the end of the line.
    pub fn trim_erased(&mut self) {
        while self.current.last() == Some(&b' ') && self.current.len() > self.cursor {
            self.current.pop();
        }
    }

    /// All lines, including an unfinished last one.
    pub fn all_lines(&self) -> Vec<String> {
        let mut v = self.lines.clone();
        if !self.current.is_empty() {
            v.push(String::from_utf8_lossy(&self.current).into_owned());
        }
        v
    }
}
