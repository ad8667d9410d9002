//! `privcheck browse`: the roll-up in the terminal. One row per product (the roll-up's
//! rows: the latest period of each by default), sortable by fails, overdue remediations
//! and completion, filtered with `/`; the failures by item across teams, and one item's
//! failing teams with their remediations. Enter on a team opens its review read-only in
//! the review UI ([`super::run_read_only`]); quitting it comes back here.
//!
//! As the review: the state ([`Browse`]), its transitions ([`handle_key`]) and the drawing
//! ([`render`]) are pure; [`run`] is the shell that touches the terminal.

use super::app::Level;
use super::input::Editor;
use super::keymap::{self, Action, Screen};
use super::theme::{Theme, ascii_fallback};
use super::view::{fit, plural, screen_rows, typed_or_message};
use crate::error::{Error, Result};
use crate::model::results::Status;
use crate::render::report::rollup::{Failed, FailureRow, RollupRow};
use crate::render::report::{RemediationView, VerifyResult};
use crate::render::text::escape_controls;
use ratatui::Frame;
use ratatui::crossterm::event::{self, Event, KeyEvent};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use std::time::Duration;
use unicode_width::UnicodeWidthStr;

/// One product's row: the roll-up's, and its failed items.
#[derive(Debug, Clone)]
pub struct Team {
    pub row: RollupRow,
    pub failed: Vec<Failed>,
}

/// The order of the products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// By product, then period (the roll-up's order).
    #[default]
    Product,
    /// The most failed items first.
    Fails,
    /// The most overdue remediations first.
    Overdue,
    /// The least complete first.
    Completion,
}

impl Sort {
    pub fn label(self) -> &'static str {
        match self {
            Sort::Product => "product",
            Sort::Fails => "fails",
            Sort::Overdue => "overdue",
            Sort::Completion => "completion",
        }
    }
}

/// Which list is on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// One row per product.
    Products,
    /// The items failed somewhere, the most often failed first.
    Items,
    /// The teams that fail one item (its id), with their remediations.
    Item(String),
}

impl View {
    /// Each view's own filter and selection.
    fn slot(&self) -> usize {
        match self {
            View::Products => 0,
            View::Items => 1,
            View::Item(_) => 2,
        }
    }
}

/// What the keyboard is doing besides moving in a list.
pub enum Mode {
    List,
    /// Typing a filter; `before` is the filter to go back to on Esc.
    Filter {
        input: Box<Editor>,
        before: String,
    },
    Help,
}

/// The whole state of the browser.
pub struct Browse {
    /// The products, in the roll-up's order.
    pub teams: Vec<Team>,
    /// The failures by item.
    pub failures: Vec<FailureRow>,
    /// What is browsed (the paths given), for the header.
    pub source: String,
    /// Which periods the rows are: `latest`, `all` or one period.
    pub periods: String,
    /// Files read but not shown (older periods), unreadable, and skipped.
    pub not_shown: usize,
    pub unreadable: usize,
    pub skipped: usize,
    pub sort: Sort,
    pub view: View,
    pub mode: Mode,
    /// The filter of each view.
    pub filters: [String; 3],
    /// The selected row of each view, in its visible rows.
    pub selected: [usize; 3],
    pub message: Option<(Level, String)>,
    pub quit: bool,
    /// While the files are being read: how many are read, of how many.
    pub loading: Option<(usize, usize)>,
    /// The rows a page moves (set by the last frame drawn).
    page: std::cell::Cell<usize>,
}

/// What the shell does after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open this team's (index in [`Browse::teams`]) review, read-only.
    Open(usize),
    Redraw,
    Quit,
}

/// Does `text` contain `filter`, ignoring case?
fn matches(filter: &str, texts: &[&str]) -> bool {
    let f = filter.to_lowercase();
    f.is_empty() || texts.iter().any(|t| t.to_lowercase().contains(&f))
}

impl Browse {
    pub fn new(teams: Vec<Team>, failures: Vec<FailureRow>, source: String, periods: String) -> Browse {
        Browse {
            teams,
            failures,
            source,
            periods,
            not_shown: 0,
            unreadable: 0,
            skipped: 0,
            sort: Sort::Product,
            view: View::Products,
            mode: Mode::List,
            filters: Default::default(),
            selected: [0; 3],
            message: None,
            quit: false,
            loading: None,
            page: std::cell::Cell::new(10),
        }
    }

    /// Takes the rows of `read` (the files read), keeping what the reader did meanwhile:
    /// the sort, the view, the filters.
    pub fn fill(&mut self, read: Browse) {
        self.teams = read.teams;
        self.failures = read.failures;
        self.periods = read.periods;
        self.not_shown = read.not_shown;
        self.unreadable = read.unreadable;
        self.skipped = read.skipped;
        if read.message.is_some() {
            self.message = read.message;
        }
        self.loading = None;
    }

    /// The filter of the list on screen.
    pub fn filter(&self) -> &str {
        &self.filters[self.view.slot()]
    }

    /// The products shown: indices in `teams`, filtered and sorted.
    pub fn products(&self) -> Vec<usize> {
        let f = &self.filters[0];
        let mut v: Vec<usize> = (0..self.teams.len())
            .filter(|&i| {
                let r = &self.teams[i].row;
                matches(f, &[&r.product, &r.period])
            })
            .collect();
        let key = |i: &usize| {
            let r = &self.teams[*i].row;
            match self.sort {
                Sort::Product => 0,
                Sort::Fails => usize::MAX - r.fail,
                Sort::Overdue => usize::MAX - r.overdue,
                Sort::Completion => r.percent,
            }
        };
        // Stable: within equal keys, the roll-up's order (product, then period).
        v.sort_by_key(key);
        v
    }

    /// The items shown: indices in `failures`.
    pub fn items(&self) -> Vec<usize> {
        let f = &self.filters[1];
        (0..self.failures.len())
            .filter(|&i| matches(f, &[&self.failures[i].item, &self.failures[i].question]))
            .collect()
    }

    /// The teams failing `item` shown: (index in `teams`, its failure), in the products'
    /// order.
    pub fn failing(&self, item: &str) -> Vec<(usize, &Failed)> {
        let f = &self.filters[2];
        let mut v: Vec<(usize, &Failed)> = (0..self.teams.len())
            .filter_map(|i| self.teams[i].failed.iter().find(|x| &*x.item == item).map(|x| (i, x)))
            .filter(|(i, _)| {
                let r = &self.teams[*i].row;
                matches(f, &[&r.product, &r.period])
            })
            .collect();
        v.sort_by(|a, b| overdue_first(a.1.remediation.as_ref(), b.1.remediation.as_ref()));
        v
    }

    /// How many rows the list on screen has.
    fn len(&self) -> usize {
        match &self.view {
            View::Products => self.products().len(),
            View::Items => self.items().len(),
            View::Item(id) => self.failing(id).len(),
        }
    }

    fn selected_mut(&mut self) -> &mut usize {
        &mut self.selected[self.view.slot()]
    }

    /// The selected row of the list on screen, kept within it.
    pub fn selection(&self) -> usize {
        self.selected[self.view.slot()].min(self.len().saturating_sub(1))
    }
}

/// Overdue remediations first, then by due date (none last).
fn overdue_first(a: Option<&RemediationView>, b: Option<&RemediationView>) -> std::cmp::Ordering {
    let key = |r: Option<&RemediationView>| {
        (!r.is_some_and(|r| r.overdue), r.and_then(|r| r.due.clone()).unwrap_or_else(|| "9999".into()))
    };
    key(a).cmp(&key(b))
}

/// Handles one key press.
pub fn handle_key(b: &mut Browse, key: KeyEvent) -> Option<Effect> {
    b.message = None;
    match &mut b.mode {
        Mode::Help => {
            if keymap::action(Screen::Overlay, key) == Some(Action::Quit) {
                b.quit = true;
                return Some(Effect::Quit);
            }
            b.mode = Mode::List;
            None
        }
        Mode::Filter { input, before } => {
            match keymap::action(Screen::Search, key) {
                Some(Action::Keep) => b.mode = Mode::List,
                Some(Action::Cancel) => {
                    let before = std::mem::take(before);
                    b.filters[b.view.slot()] = before;
                    b.mode = Mode::List;
                }
                Some(Action::Quit) => {
                    b.quit = true;
                    return Some(Effect::Quit);
                }
                _ => {
                    input.handle(key);
                    let text = input.text();
                    b.filters[b.view.slot()] = text;
                    *b.selected_mut() = 0;
                }
            }
            None
        }
        Mode::List => list_key(b, key),
    }
}

fn sort_by(b: &mut Browse, sort: Sort) {
    b.sort = sort;
    b.selected[0] = 0;
    b.view = View::Products;
    b.message = Some((Level::Info, format!("Sorted by {}.", sort.label())));
}

/// Goes up a list: one item's teams to the items, the items to the products.
fn up(b: &mut Browse) -> bool {
    b.view = match b.view {
        View::Item(_) => View::Items,
        View::Items => View::Products,
        View::Products => return false,
    };
    true
}

fn list_key(b: &mut Browse, key: KeyEvent) -> Option<Effect> {
    let n = b.len();
    let at = b.selection();
    let page = b.page.get().max(1);
    let Some(act) = keymap::action(Screen::Browse, key) else {
        b.message = Some((Level::Info, "? shows the keys.".into()));
        return None;
    };
    match act {
        Action::Down => *b.selected_mut() = (at + 1).min(n.saturating_sub(1)),
        Action::Up => *b.selected_mut() = at.saturating_sub(1),
        Action::Top => *b.selected_mut() = 0,
        Action::Bottom => *b.selected_mut() = n.saturating_sub(1),
        Action::PageDown => *b.selected_mut() = (at + page).min(n.saturating_sub(1)),
        Action::PageUp => *b.selected_mut() = at.saturating_sub(page),
        Action::Open if n == 0 => b.message = Some((Level::Info, "Nothing to open: no row matches.".into())),
        Action::Open => match b.view.clone() {
            View::Products => return Some(Effect::Open(b.products()[at])),
            View::Items => {
                let id = b.failures[b.items()[at]].item.clone();
                b.view = View::Item(id);
                b.filters[2].clear();
                b.selected[2] = 0;
            }
            View::Item(id) => return Some(Effect::Open(b.failing(&id)[at].0)),
        },
        Action::SortFails => sort_by(b, Sort::Fails),
        Action::SortOverdue => sort_by(b, Sort::Overdue),
        Action::SortCompletion => sort_by(b, Sort::Completion),
        Action::SortProduct => sort_by(b, Sort::Product),
        Action::Items => {
            b.view = if b.view == View::Products { View::Items } else { View::Products };
        }
        Action::Search => {
            let before = b.filter().to_string();
            b.mode = Mode::Filter { input: Box::new(Editor::line(&before)), before };
        }
        Action::Back if !b.filter().is_empty() => {
            b.filters[b.view.slot()].clear();
            b.message = Some((Level::Info, "Filter cleared.".into()));
        }
        Action::Back | Action::Cancel => {
            // From the products there is no list above: q quits, Esc says so.
            let top = !up(b);
            if top && act == Action::Cancel {
                b.quit = true;
                return Some(Effect::Quit);
            }
            if top {
                b.message = Some((Level::Info, "q quits.".into()));
            }
        }
        Action::Help => b.mode = Mode::Help,
        Action::Redraw => return Some(Effect::Redraw),
        Action::Quit => {
            b.quit = true;
            return Some(Effect::Quit);
        }
        _ => {}
    }
    None
}

/// Draws the browser. In the ASCII theme every cell ends up ASCII.
pub fn render(b: &Browse, theme: &Theme, frame: &mut Frame) {
    draw(b, theme, frame);
    if theme.ascii {
        for cell in frame.buffer_mut().content.iter_mut().filter(|c| !c.symbol().is_ascii()) {
            let ascii = ascii_fallback(cell.symbol());
            cell.set_symbol(ascii);
        }
    }
}

fn draw(b: &Browse, theme: &Theme, frame: &mut Frame) {
    let Some([header, body, status, hints]) = screen_rows(frame) else { return };
    draw_header(b, theme, header, frame);
    let title = match &b.view {
        View::Products => format!(" Products ({}) ", b.products().len()),
        View::Items => format!(" Failures by item ({}) ", b.items().len()),
        View::Item(id) => {
            let question = b.failures.iter().find(|f| f.item == *id).map(|f| f.question.as_str()).unwrap_or("");
            let text = if question.is_empty() { id.clone() } else { format!("{id}: {question}") };
            format!(" {} ", fit(&escape_controls(&text), body.width.saturating_sub(24) as usize, theme))
        }
    };
    let title = match b.filter() {
        "" => title,
        f => format!("{title}filter: {} ", fit(&escape_controls(f), 20, theme)),
    };
    let block =
        Block::new().borders(Borders::ALL).border_set(theme.border()).border_style(theme.focus_border()).title(title);
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let (head, rows) = match &b.view {
        View::Products => products(b, theme, inner.width as usize),
        View::Items => items(b, theme, inner.width as usize),
        View::Item(id) => item(b, id, theme, inner.width as usize),
    };
    draw_list(b, theme, head, rows, inner, frame);
    draw_status(b, theme, status, frame);
    let keys = match (&b.mode, &b.view) {
        (Mode::Filter { .. }, _) => "type to filter  Enter keep  Esc cancel",
        (Mode::Help, _) => "any key closes",
        (_, View::Products) => "Enter open read-only  / filter  f o c p sort  i by item  ? help  q quit",
        (_, View::Items) => "Enter the teams failing it  / filter  i products  ? help  q back",
        (_, View::Item(_)) => "Enter open the team's review read-only  / filter  ! overdue  ? help  q back",
    };
    frame.render_widget(Line::styled(fit(keys, hints.width as usize, theme), theme.dim()), hints);
    if let Mode::Help = b.mode {
        draw_help(theme, body, frame);
    }
}

fn draw_header(b: &Browse, theme: &Theme, area: Rect, frame: &mut Frame) {
    let sep = if theme.ascii { " | " } else { " · " };
    let products = b.teams.iter().map(|t| t.row.product.as_str()).collect::<std::collections::BTreeSet<_>>().len();
    let periods = match b.periods.as_str() {
        "latest" => "latest periods".to_string(),
        "all" => "every period".to_string(),
        p => p.to_string(),
    };
    let mut right = vec![Span::raw(format!("{products} {}", plural(products, "product", "products")))];
    right.push(Span::raw(sep));
    right.push(Span::raw(periods));
    if b.not_shown > 0 {
        right.push(Span::raw(format!(" (+{} older)", b.not_shown)));
    }
    if b.unreadable > 0 {
        right.push(Span::raw(sep));
        right.push(Span::styled(format!("{} unreadable", b.unreadable), theme.error()));
    }
    if b.skipped > 0 {
        right.push(Span::raw(sep));
        right.push(Span::raw(format!("{} skipped", b.skipped)));
    }
    right.push(Span::raw(sep));
    right.push(Span::raw(format!("by {}", b.sort.label())));
    let right_width: usize = right.iter().map(Span::width).sum();
    let label = " privcheck browse ";
    let room = (area.width as usize).saturating_sub(right_width + label.width() + 1);
    let mut spans = vec![Span::styled(label, theme.title()), Span::raw(fit(&escape_controls(&b.source), room, theme))];
    let used: usize = spans.iter().map(Span::width).sum();
    spans.push(Span::raw(" ".repeat((area.width as usize).saturating_sub(used + right_width))));
    spans.extend(right);
    frame.render_widget(Line::from(spans), area);
}

fn draw_status(b: &Browse, theme: &Theme, area: Rect, frame: &mut Frame) {
    let typing = if let Mode::Filter { input, .. } = &b.mode { Some(&**input) } else { None };
    typed_or_message(typing, b.message.as_ref(), theme, area, frame);
}

/// A list: its heading and rows, scrolled to keep the selection in view.
fn draw_list(b: &Browse, theme: &Theme, head: Line<'static>, rows: Vec<Line<'static>>, area: Rect, frame: &mut Frame) {
    let height = (area.height as usize).saturating_sub(1);
    b.page.set(height.max(1));
    let mut lines = vec![head.style(theme.heading())];
    if let Some((done, total)) = b.loading {
        lines.push(Line::styled(format!("  Reading the results files: {done} of {total}..."), theme.dim()));
    } else if rows.is_empty() {
        let why = if b.filter().is_empty() { "nothing to show" } else { "no row matches the filter (Esc clears it)" };
        lines.push(Line::styled(format!("  {why}"), theme.dim()));
    }
    let at = b.selection();
    let start = if at >= height { at + 1 - height } else { 0 };
    for (i, row) in rows.into_iter().enumerate().skip(start).take(height) {
        let mut row = row;
        if i == at {
            let mut spans = vec![Span::raw(format!("{} ", theme.pointer()))];
            spans.extend(row.spans.into_iter().skip(1));
            row = Line::from(spans).style(theme.selected());
        }
        lines.push(row);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// `s` cut or padded to `width` columns.
fn cell(s: &str, width: usize, theme: &Theme) -> String {
    let s = fit(s, width, theme);
    let pad = width.saturating_sub(s.width());
    format!("{s}{}", " ".repeat(pad))
}

/// `s` right-aligned in `width` columns.
fn num(s: &str, width: usize) -> String {
    format!("{s:>width$}")
}

/// A row's first columns: the pointer's room, the product and the period.
fn team(r: &RollupRow, product_w: usize, theme: &Theme) -> Vec<Span<'static>> {
    vec![
        Span::raw("  "),
        Span::raw(cell(&escape_controls(&r.product), product_w, theme)),
        Span::raw(" "),
        Span::raw(cell(&r.period, 7, theme)),
        Span::raw(" "),
    ]
}

fn products(b: &Browse, theme: &Theme, width: usize) -> (Line<'static>, Vec<Line<'static>>) {
    // pointer 2, period 7, done 4, fail 4, overdue 4, to confirm 4, verify 12 ("999 findings"),
    // gaps 7; the rest: the product, and the roles signed ("reviewer,approver" fits from 80
    // columns).
    let fixed = 2 + 7 + 4 + 4 + 4 + 4 + 12 + 7;
    let flex = width.saturating_sub(fixed);
    let roles_w = (flex * 2 / 5).max(17).min(flex.saturating_sub(12));
    let product_w = flex.saturating_sub(roles_w);
    let head = Line::from(format!(
        "  {} {} {} {} {} {} {} {}",
        cell("product", product_w, theme),
        cell("period", 7, theme),
        num("done", 4),
        num("fail", 4),
        num("over", 4),
        num("conf", 4),
        cell("verify", 12, theme),
        cell("signed", roles_w, theme),
    ));
    let rows = b
        .products()
        .into_iter()
        .map(|i| {
            let r = &b.teams[i].row;
            let verify = match r.verify {
                VerifyResult::Findings => format!("{} {}", r.findings, plural(r.findings, "finding", "findings")),
                other => other.as_str().to_string(),
            };
            let verify_style = match r.verify {
                VerifyResult::Ok => theme.status(Status::Pass),
                VerifyResult::Findings | VerifyResult::Unreadable => theme.warn(),
                VerifyResult::NotChecked => theme.dim(),
            };
            let signed = if r.roles.is_empty() { r.signoff.as_str().to_string() } else { r.roles.join(",") };
            let red = |n: usize, style: Style| if n > 0 { style } else { Style::new() };
            let mut spans = team(r, product_w, theme);
            spans.extend([
                Span::raw(num(&format!("{}%", r.percent), 4)),
                Span::raw(" "),
                Span::styled(num(&r.fail.to_string(), 4), red(r.fail, theme.status(Status::Fail))),
                Span::raw(" "),
                Span::styled(num(&r.overdue.to_string(), 4), red(r.overdue, theme.error())),
                Span::raw(" "),
                Span::styled(num(&r.to_confirm.to_string(), 4), red(r.to_confirm, theme.warn())),
                Span::raw(" "),
                Span::styled(cell(&verify, 12, theme), verify_style),
                Span::raw(" "),
                Span::styled(
                    cell(&escape_controls(&signed), roles_w, theme),
                    if r.roles.is_empty() { theme.dim() } else { Style::new() },
                ),
            ]);
            Line::from(spans)
        })
        .collect();
    (head, rows)
}

fn items(b: &Browse, theme: &Theme, width: usize) -> (Line<'static>, Vec<Line<'static>>) {
    let fixed = 2 + 9 + 2;
    let id_w = (width.saturating_sub(fixed) / 2).clamp(8, 40);
    let q_w = width.saturating_sub(fixed + id_w);
    let head =
        Line::from(format!("  {} {} {}", num("fail", 9), cell("item", id_w, theme), cell("question", q_w, theme)));
    let rows = b
        .items()
        .into_iter()
        .map(|i| {
            let f = &b.failures[i];
            Line::from(vec![
                Span::raw("  "),
                Span::styled(num(&format!("{} of {}", f.failing, f.of), 9), theme.status(Status::Fail)),
                Span::raw(" "),
                Span::raw(cell(&escape_controls(&f.item), id_w, theme)),
                Span::raw(" "),
                Span::raw(cell(&escape_controls(&f.question), q_w, theme)),
            ])
        })
        .collect();
    (head, rows)
}

fn item(b: &Browse, id: &str, theme: &Theme, width: usize) -> (Line<'static>, Vec<Line<'static>>) {
    // pointer 2, period 7, due 11, gaps 4; the rest: product, owner, ticket.
    let fixed = 2 + 7 + 11 + 4;
    let flex = width.saturating_sub(fixed);
    let (product_w, owner_w) = (flex * 2 / 5, flex * 3 / 10);
    let ticket_w = flex.saturating_sub(product_w + owner_w);
    let head = Line::from(format!(
        "  {} {} {} {} {}",
        cell("product", product_w, theme),
        cell("period", 7, theme),
        cell("owner", owner_w, theme),
        cell("due", 11, theme),
        cell("ticket", ticket_w, theme)
    ));
    let rows = b
        .failing(id)
        .into_iter()
        .map(|(i, f)| {
            let r = &b.teams[i].row;
            let (owner, due, ticket, overdue) = match &f.remediation {
                Some(m) => (m.owner.as_str(), m.due.clone().unwrap_or_default(), m.ticket.as_str(), m.overdue),
                None => ("(no remediation)", String::new(), "", false),
            };
            let due = if overdue { format!("{due}!") } else { due };
            let mut spans = team(r, product_w, theme);
            spans.extend([
                Span::raw(cell(&escape_controls(owner), owner_w, theme)),
                Span::raw(" "),
                Span::styled(cell(&due, 11, theme), if overdue { theme.error() } else { Style::new() }),
                Span::raw(" "),
                Span::raw(cell(&escape_controls(ticket), ticket_w, theme)),
            ]);
            Line::from(spans)
        })
        .collect();
    (head, rows)
}

fn draw_help(theme: &Theme, body: Rect, frame: &mut Frame) {
    let mut lines = Vec::new();
    for screen in [Screen::Browse, Screen::Search] {
        lines.push(Line::styled(screen.title(), theme.heading()));
        for k in keymap::of(screen) {
            lines.push(Line::from(format!(" {:<22} {}", keymap::keys_label(k), k.help)));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from("done: answered and confirmed; conf: carried answers to confirm;"));
    lines.push(Line::from("signed: the roles with a valid sign-off checked against a signer list."));
    frame.render_widget(Clear, body);
    let block = Block::new().borders(Borders::ALL).border_set(theme.border()).title(" Help (any key closes) ");
    let inner = block.inner(body);
    frame.render_widget(block, body);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Where the browser's teams come from.
pub trait Source {
    /// Called before each frame: while the files are being read, says how far in
    /// `b.loading`; once they are, fills `b` in (and clears `b.loading`).
    fn poll(&mut self, b: &mut Browse) -> Result<()>;
    /// The review of a team (an index in [`Browse::teams`]) to show read-only, or why it
    /// cannot be opened.
    fn open(&mut self, team: usize) -> std::result::Result<super::app::App, String>;
}

/// Runs the browser until it quits: its first frame at once, the rows as soon as `source`
/// has them.
pub fn run(mut b: Browse, theme: Theme, source: &mut dyn Source) -> Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Error::Terminal(
            "browse needs a terminal (stdin and stdout are not both a TTY); without one, use `privcheck report DIR`"
                .into(),
        ));
    }
    super::spawn_signal_thread(None)?;
    let mut terminal =
        super::init_terminal().map_err(|e| Error::Terminal(format!("cannot set up the terminal: {e}")))?;
    let _ = event::poll(Duration::ZERO);
    let result = (|| -> Result<()> {
        loop {
            source.poll(&mut b)?;
            terminal.draw(|f| render(&b, &theme, f)).map_err(|e| Error::Terminal(format!("cannot draw: {e}")))?;
            if b.quit {
                return Ok(());
            }
            // While the files are read, the count of those read goes up twice a second.
            let wait = if b.loading.is_some() { Duration::from_millis(500) } else { Duration::from_secs(3600) };
            if !event::poll(wait).map_err(|e| Error::Terminal(format!("cannot read the terminal: {e}")))? {
                continue;
            }
            let ev = event::read().map_err(|e| Error::Terminal(format!("cannot read the terminal: {e}")))?;
            let Event::Key(key) = &ev else {
                continue;
            };
            let Some(key) = ev.as_key_press_event().or(Some(*key)).filter(|k| k.is_press()) else { continue };
            match handle_key(&mut b, key) {
                Some(Effect::Open(i)) => {
                    let product = b.teams[i].row.product.clone();
                    match source.open(i) {
                        Ok(app) => {
                            super::run_read_only(&mut terminal, app, &theme)?;
                            super::redraw_all(&mut terminal);
                            b.message = Some((Level::Info, format!("Back from the review of {product}.")));
                        }
                        Err(why) => b.message = Some((Level::Error, why)),
                    }
                }
                Some(Effect::Redraw) => super::redraw_all(&mut terminal),
                Some(Effect::Quit) | None => {}
            }
        }
    })();
    super::restore_terminal();
    result
}
