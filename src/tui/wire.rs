//! The terminal backend: crossterm's, with a `draw` that sends fewer bytes, for reviews
//! over slow SSH links. It draws exactly what crossterm's does (the tests below compare the
//! two on a terminal emulator), differently:
//!
//! - the cursor moves from where it is when that is shorter than an absolute move
//!   (`ESC [ row ; col H`, 6 to 8 bytes): a cursor-forward along the row (`ESC [ n C`), or a
//!   move down a row and back a column (`ESC [ B`, a backspace) for a column of changes;
//! - a change of style is one SGR sequence with only what changed (`ESC [ 27 ; 1 m`),
//!   not one sequence per attribute and both colours;
//! - a frame ends with a reset of the attributes only when it left some set;
//! - the cursor is hidden once, not again after every frame;
//! - the frame is written with one `write` (the writer is buffered, flushed once a frame):
//!   one packet on the wire rather than one per kilobyte.

use ratatui::backend::{Backend, ClearType, IntoCrossterm, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::cursor::{Hide, MoveTo, Show};
use ratatui::crossterm::style::{Colored, Print};
use ratatui::crossterm::terminal::Clear;
use ratatui::crossterm::{execute, queue};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use std::fmt::Write as _;
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

/// The attributes the terminal draws new text with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

impl Pen {
    const RESET: Pen = Pen { fg: Color::Reset, bg: Color::Reset, underline: Color::Reset, modifier: Modifier::empty() };

    fn of(cell: &Cell) -> Pen {
        Pen { fg: cell.fg, bg: cell.bg, underline: cell.underline_color, modifier: cell.modifier }
    }
}

/// Appends the SGR parameters that turn `from` into `to` (as crossterm's backend would
/// emit them, one attribute at a time, but as parameters of one sequence).
fn pen_change(params: &mut String, from: Pen, to: Pen) {
    let mut push = |p: &str| {
        if !p.is_empty() {
            if !params.is_empty() {
                params.push(';');
            }
            params.push_str(p);
        }
    };
    if from.modifier != to.modifier {
        let removed = from.modifier - to.modifier;
        if removed.contains(Modifier::REVERSED) {
            push("27");
        }
        let reset_intensity = removed.contains(Modifier::BOLD) || removed.contains(Modifier::DIM);
        if reset_intensity {
            // Normal intensity clears both bold and dim: put back the one that stays.
            push("22");
            if to.modifier.contains(Modifier::DIM) {
                push("2");
            }
            if to.modifier.contains(Modifier::BOLD) {
                push("1");
            }
        }
        if removed.contains(Modifier::ITALIC) {
            push("23");
        }
        if removed.contains(Modifier::UNDERLINED) {
            push("24");
        }
        if removed.contains(Modifier::CROSSED_OUT) {
            push("29");
        }
        if removed.contains(Modifier::HIDDEN) {
            push("28");
        }
        if removed.contains(Modifier::SLOW_BLINK) || removed.contains(Modifier::RAPID_BLINK) {
            push("25");
        }
        let added = to.modifier - from.modifier;
        if added.contains(Modifier::REVERSED) {
            push("7");
        }
        if added.contains(Modifier::BOLD) && !reset_intensity {
            push("1");
        }
        if added.contains(Modifier::ITALIC) {
            push("3");
        }
        if added.contains(Modifier::UNDERLINED) {
            push("4");
        }
        if added.contains(Modifier::DIM) && !reset_intensity {
            push("2");
        }
        if added.contains(Modifier::CROSSED_OUT) {
            push("9");
        }
        if added.contains(Modifier::HIDDEN) {
            push("8");
        }
        if added.contains(Modifier::SLOW_BLINK) {
            push("5");
        }
        if added.contains(Modifier::RAPID_BLINK) {
            push("6");
        }
    }
    // Colours as crossterm writes them (it honours NO_COLOR by writing nothing).
    if from.fg != to.fg {
        push(&Colored::ForegroundColor(to.fg.into_crossterm()).to_string());
    }
    if from.bg != to.bg {
        push(&Colored::BackgroundColor(to.bg.into_crossterm()).to_string());
    }
    if from.underline != to.underline {
        push(&Colored::UnderlineColor(to.underline.into_crossterm()).to_string());
    }
}

/// A ratatui backend over crossterm, like crossterm's own (`CrosstermBackend`), but for
/// `draw`, and for writing nothing but the frame until ratatui flushes it at its end.
pub struct WireBackend<W: Write> {
    writer: W,
    /// Is the cursor hidden (`None`: not known)?
    cursor_hidden: Option<bool>,
    /// The terminal's width, as last asked (ratatui asks before every frame); 0: not known.
    width: std::cell::Cell<u16>,
}

impl<W: Write> WireBackend<W> {
    pub fn new(writer: W) -> WireBackend<W> {
        WireBackend { writer, cursor_hidden: None, width: std::cell::Cell::new(0) }
    }

    /// Draws for a terminal `width` columns wide (for a writer that is no terminal, whose
    /// size cannot be asked).
    pub fn assume_width(&mut self, width: u16) {
        self.width.set(width);
    }

    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.writer
    }
}

impl<W: Write> Backend for WireBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut out = String::new();
        let mut pen = Pen::RESET;
        let width = self.width.get();
        // Where the terminal's cursor is, when known for sure.
        let mut cursor: Option<(u16, u16)> = None;
        let mut params = String::new();
        let mut relative = String::new();
        for (x, y, cell) in content {
            move_to(&mut out, &mut relative, cursor, x, y, width > 0);
            let to = Pen::of(cell);
            if to != pen {
                params.clear();
                pen_change(&mut params, pen, to);
                if !params.is_empty() {
                    let _ = write!(out, "\x1b[{params}m");
                }
                pen = to;
            }
            let symbol = cell.symbol();
            out.push_str(symbol);
            // Only after a symbol of width one is the next cell's position certain (as
            // for crossterm's backend, which moves the cursor after any other); not after
            // the last column either, where terminals differ on where the cursor is.
            let next = x.saturating_add(1);
            cursor = (symbol.width() == 1 && (width == 0 || next < width)).then_some((next, y));
        }
        // Leave the terminal drawing plain text, as the next frame assumes: a full reset,
        // shorter than any partial one (and it also clears what a terminal that does not
        // know underline colours made of their parameters).
        if pen != Pen::RESET {
            out.push_str("\x1b[0m");
        }
        self.writer.write_all(out.as_bytes())
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        for _ in 0..n {
            queue!(self.writer, Print("\n"))?;
        }
        self.writer.flush()
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_hidden != Some(true) {
            queue!(self.writer, Hide)?;
            self.cursor_hidden = Some(true);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_hidden != Some(false) {
            queue!(self.writer, Show)?;
            self.cursor_hidden = Some(false);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        ratatui::crossterm::cursor::position().map(|(x, y)| Position { x, y })
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let Position { x, y } = position.into();
        queue!(self.writer, MoveTo(x, y))
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        use ratatui::crossterm::terminal::ClearType as C;
        execute!(
            self.writer,
            Clear(match clear_type {
                ClearType::All => C::All,
                ClearType::AfterCursor => C::FromCursorDown,
                ClearType::BeforeCursor => C::FromCursorUp,
                ClearType::CurrentLine => C::CurrentLine,
                ClearType::UntilNewLine => C::UntilNewLine,
            })
        )
    }

    fn size(&self) -> io::Result<Size> {
        let (width, height) = ratatui::crossterm::terminal::size()?;
        self.width.set(width);
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let w = ratatui::crossterm::terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size { width: w.columns, height: w.rows },
            pixels: Size { width: w.width, height: w.height },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// Moves the cursor from `cursor` (`None`: not known) to (`x`, `y`), the cheapest way: an
/// absolute move, or from the cursor, when it is known, with a cursor-forward on its row or,
/// when `rows` (the cursor is known never to be past the last column), a move up or down
/// and then along the row (cursor forward, backspaces, cursor back, or a carriage return
/// and forward). `relative` is scratch space.
fn move_to(out: &mut String, relative: &mut String, cursor: Option<(u16, u16)>, x: u16, y: u16, rows: bool) {
    let absolute = 4 + digits(y + 1) + digits(x + 1);
    if let Some((cx, cy)) = cursor {
        if (cx, cy) == (x, y) {
            return;
        }
        relative.clear();
        let known = if cy == y && cx < x {
            csi(relative, x - cx, 'C');
            true
        } else if cy != y && rows {
            if y > cy {
                csi(relative, y - cy, 'B');
            } else {
                csi(relative, cy - y, 'A');
            }
            along_row(relative, cx, x);
            true
        } else {
            false
        };
        if known && relative.len() < absolute as usize {
            out.push_str(relative);
            return;
        }
    }
    let _ = write!(out, "\x1b[{};{}H", y + 1, x + 1);
}

/// `ESC [ n L` (`ESC [ L` for one).
fn csi(out: &mut String, n: u16, letter: char) {
    if n == 1 {
        let _ = write!(out, "\x1b[{letter}");
    } else {
        let _ = write!(out, "\x1b[{n}{letter}");
    }
}

/// The cheapest move from column `from` to column `to` on the cursor's row.
fn along_row(out: &mut String, from: u16, to: u16) {
    let cost = |n: u16| if n == 1 { 3 } else { 3 + digits(n) as usize };
    if to > from {
        csi(out, to - from, 'C');
    } else if to < from {
        let back = from - to;
        // Backspaces (one byte each), cursor back, or a carriage return and forward.
        let by_cr = 1 + if to == 0 { 0 } else { cost(to) };
        if (back as usize) <= cost(back).min(by_cr) {
            out.extend(std::iter::repeat_n('\x08', back as usize));
        } else if cost(back) <= by_cr {
            csi(out, back, 'D');
        } else {
            out.push('\r');
            if to > 0 {
                csi(out, to, 'C');
            }
        }
    }
}

/// The number of decimal digits of `n`.
fn digits(n: u16) -> u16 {
    match n {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        1000..=9999 => 4,
        _ => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::CrosstermBackend;
    use ratatui::layout::Rect;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// A writer whose bytes the test can take.
    #[derive(Clone, Default)]
    struct Shared(Rc<RefCell<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    use ratatui::style::Style;
    use ratatui::{Terminal, TerminalOptions, Viewport};

    /// A small deterministic random source (xorshift).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    const SYMBOLS: [&str; 12] = ["a", "b", " ", "│", "─", "✓", "…", "漢", "é", "|", "x", "§"];
    const COLORS: [Color; 6] =
        [Color::Reset, Color::Red, Color::Cyan, Color::Indexed(208), Color::Rgb(1, 2, 3), Color::Gray];
    const MODIFIERS: [Modifier; 8] = [
        Modifier::BOLD,
        Modifier::DIM,
        Modifier::ITALIC,
        Modifier::UNDERLINED,
        Modifier::REVERSED,
        Modifier::CROSSED_OUT,
        Modifier::SLOW_BLINK,
        Modifier::HIDDEN,
    ];

    /// A random style. (No underline colour: vt100, like xterm, does not know SGR 58 and
    /// takes its parameters for attributes; privcheck never sets one.)
    fn style(rng: &mut Rng) -> Style {
        let mut m = Modifier::empty();
        for k in MODIFIERS {
            if rng.below(4) == 0 {
                m |= k;
            }
        }
        Style::new().fg(COLORS[rng.below(6) as usize]).bg(COLORS[rng.below(6) as usize]).add_modifier(m)
    }

    /// What a terminal shows: every cell's text and looks, and the cursor.
    fn screen(p: &vt100::Parser) -> Vec<String> {
        let s = p.screen();
        let (rows, cols) = s.size();
        let mut v = Vec::new();
        for r in 0..rows.get() {
            for c in 0..cols.get() {
                let cell = s.cell(r, c).unwrap();
                v.push(format!(
                    "{r},{c}:{:?} {:?} {:?} {}{}{}{}{}",
                    cell.contents(),
                    cell.fgcolor(),
                    cell.bgcolor(),
                    cell.bold(),
                    cell.dim(),
                    cell.italic(),
                    cell.underline(),
                    cell.inverse()
                ));
            }
        }
        v.push(format!("cursor {:?} hidden {}", s.cursor_position(), s.hide_cursor()));
        v
    }

    fn terminal<B: Backend>(backend: B, w: u16, h: u16) -> Terminal<B> {
        Terminal::with_options(backend, TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, w, h)) })
            .unwrap_or_else(|_| panic!("terminal"))
    }

    /// Random frames, each a random change of the last (runs of cells, wide characters,
    /// styles, a cursor or not), drawn through both backends: the screens are the same.
    #[test]
    fn draws_what_crossterms_backend_draws() {
        draws_the_same(true);
    }

    #[test]
    fn draws_what_crossterms_backend_draws_on_a_terminal_of_unknown_width() {
        draws_the_same(false);
    }

    fn draws_the_same(assume_width: bool) {
        let (w, h) = (40u16, 12u16);
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let reference_out = Shared::default();
        let mut reference = terminal(CrosstermBackend::new(reference_out.clone()), w, h);
        let mut backend = WireBackend::new(Vec::<u8>::new());
        if assume_width {
            backend.assume_width(w);
        }
        let mut wire = terminal(backend, w, h);
        let nz = |n: u16| std::num::NonZero::new(n).unwrap();
        let mut a = vt100::Parser::new(nz(h), nz(w), 0);
        let mut b = vt100::Parser::new(nz(h), nz(w), 0);
        let mut cells: Vec<(u16, u16, &str, Style)> = Vec::new();
        let (mut ref_bytes, mut wire_bytes) = (0, 0);
        for frame in 0..400 {
            // Change a few runs of cells.
            for _ in 0..rng.below(6) + 1 {
                let (x, y) = (rng.below(w as u64) as u16, rng.below(h as u64) as u16);
                let st = style(&mut rng);
                for k in 0..rng.below(12) {
                    let sym = SYMBOLS[rng.below(SYMBOLS.len() as u64) as usize];
                    let st = if rng.below(5) == 0 { style(&mut rng) } else { st };
                    cells.push((x + k as u16, y, sym, st));
                }
            }
            let cursor = (rng.below(3) == 0).then(|| (rng.below(w as u64) as u16, rng.below(h as u64) as u16));
            let draw = |f: &mut ratatui::Frame| {
                let area = f.area();
                for &(x, y, sym, st) in &cells {
                    if x < area.width && y < area.height {
                        f.buffer_mut().set_stringn(x, y, sym, 2, st);
                    }
                }
                if let Some(c) = cursor {
                    f.set_cursor_position(c);
                }
            };
            reference.draw(draw).unwrap();
            wire.draw(draw).unwrap();
            let ra = std::mem::take(&mut *reference_out.0.borrow_mut());
            let rb = std::mem::take(wire.backend_mut().writer_mut());
            ref_bytes += ra.len();
            wire_bytes += rb.len();
            a.process(&ra);
            b.process(&rb);
            let (sa, sb) = (screen(&a), screen(&b));
            let differ: Vec<(&String, &String)> = sa.iter().zip(&sb).filter(|(x, y)| x != y).take(5).collect();
            assert!(
                differ.is_empty(),
                "frame {frame}: crossterm's backend, then this one: {differ:#?}\n{:?}",
                String::from_utf8_lossy(&rb)
            );
            if frame % 50 == 49 {
                cells.clear();
            }
        }
        assert!(wire_bytes < ref_bytes, "{wire_bytes} bytes, crossterm's backend {ref_bytes}");
    }
}
