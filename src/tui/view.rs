//! Rendering: a pure function of the review state into a frame.

use crate::model::results::{SignOffState, Status, format_timestamp};
use crate::render::text::{escape_controls, escape_controls_multiline};
use crate::tui::app::{App, Focus, FormKind, Level, Mode, Saved};
use crate::tui::keymap::{self, Screen};
use crate::tui::theme::{Theme, ascii_fallback};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The smallest terminal the layout works in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// Cuts `s` to `width` columns, ending with an ellipsis when cut.
pub fn fit(s: &str, width: usize, theme: &Theme) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let ell = theme.ellipsis();
    let room = width.saturating_sub(ell.width());
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw > room {
            break;
        }
        out.push(c);
        w += cw;
    }
    if width >= ell.width() {
        out.push_str(ell);
    }
    out
}

fn block<'a>(title: impl Into<Line<'a>>, theme: &Theme, focused: bool) -> Block<'a> {
    let b = Block::new().borders(Borders::ALL).border_set(theme.border()).title(title);
    if focused { b.border_style(theme.focus_border()) } else { b }
}

/// Draws the screen. In the ASCII theme every cell ends up ASCII: characters from the
/// checklists, notes or names that are not (`§`, curly quotes) get an ASCII stand-in.
pub fn render(app: &App, theme: &Theme, frame: &mut Frame) {
    render_screen(app, theme, frame);
    if theme.ascii {
        for cell in &mut frame.buffer_mut().content {
            if !cell.symbol().is_ascii() {
                let ascii = ascii_fallback(cell.symbol());
                cell.set_symbol(ascii);
            }
        }
    }
}

/// Checklist prose (guidance, scope help, quotes) is hard-wrapped in its file; those line
/// breaks are not meant for the screen, where they would leave ragged fragments. Joins
/// them, keeping blank lines (paragraphs) and list items (`- `, `* `): a list item goes on
/// with its indented lines, and an unindented line after it starts a new line.
fn reflow(text: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut join = false;
    let mut in_item = false;
    for line in text.lines() {
        let t = line.trim();
        let item = t.starts_with("- ") || t.starts_with("* ");
        let indented = line.starts_with([' ', '\t']);
        if t.is_empty() {
            if lines.last().is_some_and(|l| !l.is_empty()) {
                lines.push(String::new());
            }
            join = false;
        } else if let Some(last) = lines.last_mut().filter(|_| join && !item && (indented || !in_item)) {
            last.push(' ');
            last.push_str(t);
        } else {
            lines.push(t.to_string());
            join = true;
            in_item = item;
        }
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

fn render_screen(app: &App, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        render_too_small(area, frame);
        return;
    }
    let [header, body, status, hints] = area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ]));
    render_header(app, theme, header, frame);
    match &app.mode {
        Mode::Scope(i)
        | Mode::Help { scope: Some(i), .. }
        | Mode::ConfirmEdit { scope: Some(i), .. }
        | Mode::ConfirmScope { index: i, .. } => render_scope(app, theme, *i, body, frame),
        _ => render_review(app, theme, body, frame),
    }
    render_status(app, theme, status, frame);
    render_hints(app, theme, hints, frame);
    match &app.mode {
        Mode::Note { editor, item } => {
            let r = popup(body, 72, 14);
            frame.render_widget(Clear, r);
            let title = format!(" Note: {} (Esc keeps it) ", fit(&app.item(*item).id, 40, theme));
            let b = block(title, theme, true);
            let inner = b.inner(r);
            frame.render_widget(b, r);
            frame.render_widget(editor.widget(), inner);
        }
        Mode::Form(form) => {
            let r = popup(body, 64, form.fields.len() as u16 * 2 + 4);
            frame.render_widget(Clear, r);
            let title = match form.kind {
                FormKind::Remediation => " Remediation (Enter saves, Esc cancels) ",
                FormKind::Reason => " Why not applicable? (Enter saves) ",
                FormKind::AddEvidence => " Add evidence (Enter adds) ",
                FormKind::RemoveEvidence => " Remove evidence (Enter removes) ",
            };
            let b = block(title, theme, true);
            let inner = b.inner(r);
            frame.render_widget(b, r);
            let mut y = inner.y;
            for (k, field) in form.fields.iter().enumerate() {
                let focused = k == form.focus;
                let label = Line::from(Span::styled(
                    format!("{}{}", if focused { theme.pointer() } else { " " }, field.label),
                    if focused { theme.title() } else { Style::new() },
                ));
                frame.render_widget(label, Rect { y, height: 1, ..inner });
                let width = inner.width.saturating_sub(2) as usize;
                let (shown, col) = field.input.view(width);
                let input_area = Rect { x: inner.x + 1, y: y + 1, width: inner.width.saturating_sub(1), height: 1 };
                frame.render_widget(
                    Paragraph::new(shown).style(Style::new().add_modifier(Modifier::UNDERLINED)),
                    input_area,
                );
                if focused {
                    frame.set_cursor_position((input_area.x + col as u16, input_area.y));
                }
                y += 2;
            }
            if let Some(e) = &form.error {
                frame.render_widget(
                    Line::styled(fit(e, inner.width as usize, theme), theme.error()),
                    Rect { y, height: 1, ..inner },
                );
            }
        }
        Mode::ConfirmSign { role } => render_confirm(app, theme, role, body, frame),
        Mode::Blockers(scroll) => render_blockers(app, theme, *scroll, body, frame),
        Mode::Help { scroll, .. } => render_help(theme, *scroll, body, frame),
        Mode::ConfirmArea { area, count } => {
            let title = escape_controls(&app.set.checklists[*area].title);
            let what = plural(*count, "answer", "answers");
            render_question(
                theme,
                " Confirm carried answers ",
                vec![
                    Line::from(format!(
                        "Confirm {count} carried {what} of {title} as {}?",
                        plural(*count, "it is", "they are")
                    )),
                    Line::from("Each keeps its status, note, evidence and remediation, and is recorded as yours, now."),
                    Line::from("Items that changed since last quarter are not among them: answer those again."),
                    Line::from(""),
                    Line::styled("y confirms, any other key keeps them to confirm one by one", theme.title()),
                ],
                body,
                frame,
            );
        }
        Mode::ConfirmEdit { .. } => {
            let who = escape_controls(app.signed_by.as_deref().unwrap_or("its signers"));
            render_question(
                theme,
                " Signed review ",
                vec![
                    Line::from(format!("This review is signed by {who}.")),
                    Line::from("Changing an answer voids the sign-off: it must be signed again."),
                    Line::from("(z undoes changes; undoing them all gives the sign-off back.)"),
                    Line::from(""),
                    Line::styled("y to edit, any other key to keep viewing", theme.title()),
                ],
                body,
                frame,
            );
        }
        Mode::ConfirmScope { index, count } => {
            let q = &app.set.scope[*index];
            let what = plural(*count, "item that needs it is", "items that need it are");
            render_question(
                theme,
                " Scope: no ",
                vec![
                    Line::from(format!("Answer no to {}?", escape_controls(&q.id))),
                    Line::from(format!(
                        "{count} answered {what} then not applicable, and {} answers are set aside (z undoes this).",
                        plural(*count, "its", "their")
                    )),
                    Line::from(""),
                    Line::styled("y answers no, any other key keeps the scope as it was", theme.title()),
                ],
                body,
                frame,
            );
        }
        Mode::Changed => render_choice(app, theme, ChoiceKind::Changed, body, frame),
        Mode::Unsaved => render_choice(app, theme, ChoiceKind::Unsaved, body, frame),
        Mode::Scope(_) | Mode::Review | Mode::Search { .. } => {}
    }
}

fn popup(area: Rect, width: u16, height: u16) -> Rect {
    area.centered(Constraint::Length(width.min(area.width)), Constraint::Length(height.min(area.height)))
}

fn render_too_small(area: Rect, frame: &mut Frame) {
    let msg = format!("terminal too small (needs {MIN_WIDTH}x{MIN_HEIGHT}, is {}x{})", area.width, area.height);
    let text = Text::from(vec![Line::from(msg), Line::from("enlarge it, or press q to quit")]);
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
}

fn render_header(app: &App, theme: &Theme, area: Rect, frame: &mut Frame) {
    let p = app.results().progress();
    let states = app.signoff_states();
    let sign = if states.is_empty() {
        Span::raw("not signed")
    } else if states.iter().any(|(_, s)| matches!(s, SignOffState::Void { .. })) {
        Span::styled("sign-off VOID", theme.warn())
    } else {
        let roles: Vec<&str> = states.iter().map(|(s, _)| s.role.as_str()).collect();
        Span::styled(format!("signed ({})", roles.join(", ")), theme.status(Status::Pass))
    };
    let sep = if theme.ascii { " | " } else { " │ " };
    // The counts and the sign-off state always show; the product name gets what is left.
    let mut right = vec![
        Span::raw(sep),
        Span::styled(format!("{}/{}", p.answered(), p.total), theme.title()),
        Span::raw(" answered"),
    ];
    if p.to_confirm > 0 {
        right.push(Span::raw(sep));
        right.push(Span::styled(format!("{} to confirm", p.to_confirm), theme.warn()));
    }
    right.extend([
        Span::raw(sep),
        Span::styled(format!("{} fail", p.fail), if p.fail > 0 { theme.status(Status::Fail) } else { Style::new() }),
        Span::raw(sep),
        sign,
    ]);
    if app.read_only.is_some() {
        right.push(Span::raw(sep));
        right.push(Span::styled("READ-ONLY", theme.warn()));
    } else if app.signed_by.is_some() {
        right.push(Span::raw(sep));
        right.push(Span::styled("viewing", theme.title()));
    }
    let right_width: usize = right.iter().map(Span::width).sum();
    let period = format!(" {}", app.results().period);
    let label = " privcheck ";
    let room = (area.width as usize).saturating_sub(right_width + period.width());
    let label = if room >= label.width() + 8 { label } else { " " };
    let product = fit(&escape_controls(&app.results().product), room.saturating_sub(label.width()), theme);
    let mut spans = vec![Span::styled(label, theme.title()), Span::raw(product), Span::raw(period)];
    spans.extend(right);
    frame.render_widget(Line::from(spans).style(Style::new().add_modifier(Modifier::REVERSED)), area);
}

fn render_status(app: &App, theme: &Theme, area: Rect, frame: &mut Frame) {
    let width = area.width as usize;
    let line = if let Saved::Failed(e) = &app.saved {
        Line::styled(
            fit(&escape_controls(&format!("NOT SAVED ({e}); answers kept in memory, retrying")), width, theme),
            theme.error(),
        )
    } else if let (Saved::Stopped(why), Mode::Review | Mode::Scope(_), None | Some((Level::Info, _))) =
        (&app.saved, &app.mode, &app.message)
    {
        let n = app.unsaved();
        Line::styled(
            fit(
                &escape_controls(&format!(
                    "NOT SAVED: {why}. {n} {} kept in memory; the next change asks what to do.",
                    plural(n, "change", "changes")
                )),
                width,
                theme,
            ),
            theme.error(),
        )
    } else {
        let typing = if let Mode::Search { input, .. } = &app.mode { Some(&**input) } else { None };
        typed_or_message(typing, app.message.as_ref(), theme, area, frame)
    };
    frame.render_widget(line, area);
}

/// The status line in `area`: what is being typed after `/` (the cursor in it), else the
/// message in its level's style, else nothing.
pub fn typed_or_message(
    typing: Option<&crate::tui::input::Editor>,
    message: Option<&(Level, String)>,
    theme: &Theme,
    area: Rect,
    frame: &mut Frame,
) -> Line<'static> {
    let width = area.width as usize;
    if let Some(input) = typing {
        let (shown, col) = input.view(width.saturating_sub(1));
        frame.set_cursor_position((area.x + 1 + col as u16, area.y));
        Line::from(vec![Span::styled("/", theme.title()), Span::raw(shown)])
    } else if let Some((level, msg)) = message {
        let style = match level {
            Level::Info => Style::new(),
            Level::Warn => theme.warn(),
            Level::Error => theme.error(),
        };
        Line::styled(fit(&escape_controls(msg), width, theme), style)
    } else {
        Line::raw("")
    }
}

fn render_hints(app: &App, theme: &Theme, area: Rect, frame: &mut Frame) {
    let hints = match &app.mode {
        Mode::Scope(_) => "y yes  n no  ↑↓ move  Enter review  ? help  q quit",
        Mode::Note { .. } => "type the note  Enter new line  Esc keep and close",
        Mode::Form(_) => "Tab next field  Enter save  Esc cancel",
        Mode::Search { .. } => "type to search  Enter keep  Esc cancel",
        Mode::ConfirmSign { .. } => "y sign  r change role  Esc cancel",
        Mode::Blockers(_) | Mode::Help { .. } => "↑↓ scroll  any other key closes",
        Mode::Changed => "r reload and re-apply  w write beside  Esc keep reviewing",
        Mode::ConfirmArea { .. } | Mode::ConfirmScope { .. } => "y yes  any other key no",
        Mode::ConfirmEdit { .. } => "y edit  any other key keeps viewing",
        Mode::Unsaved => "w write them beside  q quit without them  Esc keep reviewing",
        Mode::Review => "p/f/n/u answer  e note  a evidence  / search  v view  S sign  ? help  q quit",
    };
    let hints = if theme.ascii { hints.replace('↑', "^").replace('↓', "v") } else { hints.to_string() };
    frame.render_widget(Line::styled(fit(&hints, area.width as usize, theme), theme.dim()), area);
}

fn render_scope(app: &App, theme: &Theme, current: usize, area: Rect, frame: &mut Frame) {
    let b = block(" Scope: what applies to this product ", theme, true);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let mut lines =
        vec![Line::from("Answer each question; items that do not apply become \"not applicable\"."), Line::from("")];
    let width = inner.width as usize;
    for (k, q) in app.set.scope.iter().enumerate() {
        let answer = match app.results().scope.get(&q.id) {
            Some(true) => Span::styled("[yes]", theme.status(Status::Pass)),
            Some(false) => Span::styled("[no] ", theme.status(Status::NotApplicable)),
            None => Span::styled("[ ? ]", theme.status(Status::Unreviewed)),
        };
        let pointer = if k == current { theme.pointer() } else { " " };
        let text = fit(&escape_controls(&q.question), width.saturating_sub(9), theme);
        let style = if k == current { theme.selected() } else { Style::new() };
        lines.push(Line::from(vec![
            Span::raw(format!("{pointer} ")),
            answer,
            Span::raw(" "),
            Span::styled(text, style),
        ]));
    }
    if let Some(q) = app.set.scope.get(current)
        && !q.help.is_empty()
    {
        lines.push(Line::from(""));
        lines.push(Line::styled(escape_controls(&q.question), theme.heading()));
        for l in escape_controls_multiline(&reflow(&q.help)).lines() {
            lines.push(Line::from(l.to_string()));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn render_review(app: &App, theme: &Theme, area: Rect, frame: &mut Frame) {
    let left_w = (area.width * 2 / 5).clamp(28, 48);
    let [left, right] = area.layout(&Layout::horizontal([Constraint::Length(left_w), Constraint::Fill(1)]));
    let areas_h = (app.set.checklists.len() as u16 + 2).min((area.height / 2).max(5) - 1);
    let [areas, items] = left.layout(&Layout::vertical([Constraint::Length(areas_h), Constraint::Fill(1)]));
    render_areas(app, theme, areas, frame);
    render_items(app, theme, items, frame);
    render_detail(app, theme, right, frame);
}

/// The first row to show so that `selected` is visible in `height` rows.
fn scroll_to(selected: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    selected.saturating_sub(height / 2).min(len - height)
}

fn render_areas(app: &App, theme: &Theme, area: Rect, frame: &mut Frame) {
    let b = block(" Areas ", theme, false);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    let current = app.area();
    let height = inner.height as usize;
    let first = scroll_to(current, app.set.checklists.len(), height);
    let width = inner.width as usize;
    let lines: Vec<Line> = app
        .set
        .checklists
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(k, c)| {
            let p = app.area_progress(k);
            let (answered, total, failed) = (p.answered(), p.total, p.fail);
            let done = if answered == total { theme.glyph(Status::Pass) } else { " " };
            let fails = if failed > 0 { format!(" {}{failed}", theme.glyph(Status::Fail)) } else { String::new() };
            let confirm =
                if p.to_confirm > 0 { format!(" {}{}", theme.carried_mark(), p.to_confirm) } else { String::new() };
            let right = format!("{fails}{confirm} {answered}/{total}");
            let title = fit(&escape_controls(&c.title), width.saturating_sub(right.width() + 2), theme);
            let pad = width.saturating_sub(title.width() + right.width() + 2);
            let style = if k == current { theme.selected() } else { Style::new() };
            Line::styled(format!("{done} {title}{}{right}", " ".repeat(pad)), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn render_items(app: &App, theme: &Theme, area: Rect, frame: &mut Frame) {
    let visible = app.visible();
    let title = if app.filtering() {
        let mut t = format!(" {}", app.filter.label());
        if !app.search.trim().is_empty() {
            t.push_str(&format!(" \"{}\"", escape_controls(app.search.trim())));
        }
        format!("{} ({}) ", fit(&t, area.width.saturating_sub(10) as usize, theme), visible.len())
    } else {
        let c = &app.set.checklists[app.area()];
        format!(" {} ", fit(&escape_controls(&c.title), area.width.saturating_sub(4) as usize, theme))
    };
    let b = block(title, theme, app.focus == Focus::Items);
    let inner = b.inner(area);
    frame.render_widget(b, area);
    if visible.is_empty() {
        frame.render_widget(Paragraph::new("no items match (Esc clears)").style(theme.dim()), inner);
        return;
    }
    let height = inner.height as usize;
    let pos = visible.iter().position(|&i| i == app.selected).unwrap_or(0);
    let first = scroll_to(pos, visible.len(), height);
    let width = inner.width as usize;
    let lines: Vec<Line> = visible
        .iter()
        .skip(first)
        .take(height)
        .map(|&i| {
            let a = &app.results().answers[i];
            let item = app.item(i);
            let mark = if a.carried.as_ref().is_some_and(|c| c.changed) {
                "!"
            } else if a.carried.is_some() {
                theme.carried_mark()
            } else if app.needs_attention(i) && a.status.is_answered() {
                "!"
            } else {
                " "
            };
            let prefix = format!("{} {}{mark}", theme.glyph(a.status), theme.word(a.status));
            let text = fit(&escape_controls(&item.question), width.saturating_sub(prefix.width() + 1), theme);
            let selected = i == app.selected;
            let text_style = if selected { theme.selected() } else { Style::new() };
            let mut line = Line::from(vec![
                Span::styled(prefix, if selected { theme.selected() } else { theme.status(a.status) }),
                Span::styled(" ", text_style),
                Span::styled(text.clone(), text_style),
            ]);
            if selected {
                let pad = width.saturating_sub(line.width());
                line.spans.push(Span::styled(" ".repeat(pad), text_style));
            }
            line
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn push_text(lines: &mut Vec<Line<'static>>, text: &str, style: Style) {
    for l in escape_controls_multiline(text).lines() {
        lines.push(Line::styled(l.to_string(), style));
    }
}

fn render_detail(app: &App, theme: &Theme, area: Rect, frame: &mut Frame) {
    let i = app.selected;
    let item = app.item(i);
    let a = &app.results().answers[i];
    let title = format!(
        " {} {} {} ",
        fit(&escape_controls(&item.id), area.width.saturating_sub(16) as usize, theme),
        if theme.ascii { "-" } else { "·" },
        item.severity
    );
    let b = block(title, theme, app.focus == Focus::Detail);
    let inner = b.inner(area);
    frame.render_widget(b, area);

    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut status =
        vec![Span::styled(format!("{} {}", theme.glyph(a.status), a.status.label()), theme.status(a.status))];
    if a.status.is_answered() {
        let when = a.at.map(|t| format_timestamp(t)[..10].to_string()).unwrap_or_default();
        status.push(Span::styled(format!("  by {} {when}", escape_controls(&a.by)), theme.dim()));
    }
    lines.push(Line::from(status));
    match &a.carried {
        Some(c) if c.changed => lines.push(Line::styled(
            format!("! changed since {} (answered {} there): answer it again", c.from, c.status.label()),
            theme.warn(),
        )),
        Some(c) => lines.push(Line::styled(
            format!("{} carried from {} ({}): c confirms it", theme.carried_mark(), c.from, c.status.label()),
            theme.warn(),
        )),
        None => {}
    }
    if a.status.is_answered() && a.digest != app.item_digest(i) {
        lines.push(Line::styled("! the item changed since this answer: answer it again", theme.warn()));
    }
    match app.results().in_scope(item) {
        Some(false) => lines.push(Line::styled(format!("out of scope ({})", item.scope.join(", ")), theme.dim())),
        None if !item.scope.is_empty() => {
            lines.push(Line::styled(format!("scope not answered ({}): press s", item.scope.join(", ")), theme.dim()))
        }
        _ => {}
    }
    lines.push(Line::from(""));
    push_text(&mut lines, &item.question, theme.title());
    if a.status == Status::Fail {
        lines.push(Line::from(""));
        lines.push(Line::styled("Remediation (r)", theme.heading()));
        match &a.remediation {
            None => lines.push(Line::styled(" missing: owner, due date, ticket", theme.error())),
            Some(r) => {
                let due = match r.due {
                    Some(d) if app.overdue(i) => format!("{d} OVERDUE"),
                    Some(d) => d.to_string(),
                    None => "none".to_string(),
                };
                let owner = if r.owner.is_empty() { "none".to_string() } else { escape_controls(&r.owner) };
                let style = if app.overdue(i) || !r.missing().is_empty() { theme.warn() } else { Style::new() };
                lines.push(Line::styled(format!(" owner {owner}, due {due}"), style));
                if !r.ticket.is_empty() {
                    lines.push(Line::from(format!(" ticket {}", escape_controls(&r.ticket))));
                }
            }
        }
    }
    if a.status == Status::NotApplicable {
        lines.push(Line::from(""));
        lines.push(Line::styled("Reason (R)", theme.heading()));
        if a.reason.is_empty() {
            lines.push(Line::styled(" missing", theme.error()));
        } else {
            push_text(&mut lines, &a.reason, Style::new());
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("Note (e)", theme.heading()));
    if a.note.is_empty() {
        lines.push(Line::styled(" none", theme.dim()));
    } else {
        push_text(&mut lines, &a.note, Style::new());
    }
    lines.push(Line::styled("Evidence (a adds, x removes)", theme.heading()));
    if a.evidence.is_empty() {
        lines.push(Line::styled(" none", theme.dim()));
    }
    for (k, e) in a.evidence.iter().enumerate() {
        lines.push(Line::from(format!(" {}. {}", k + 1, escape_controls(e))));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("Guidance", theme.heading()));
    push_text(&mut lines, &reflow(&item.guidance), Style::new());
    lines.push(Line::from(""));
    lines.push(Line::styled("Policy", theme.heading()));
    for c in &item.cite {
        lines.push(Line::styled(
            format!(
                " {} ({}), {}",
                escape_controls(&c.document),
                escape_controls(&c.effective),
                escape_controls(&c.section)
            ),
            theme.dim(),
        ));
        push_text(&mut lines, &format!("\"{}\"", reflow(&c.quote)), Style::new().add_modifier(Modifier::ITALIC));
    }
    if !item.legal.is_empty() {
        lines.push(Line::from(""));
        lines.push(Line::styled("Legal", theme.heading()));
        for l in &item.legal {
            lines.push(Line::from(format!(" {}", escape_controls(l))));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((app.detail_scroll, 0)), inner);
}

fn render_confirm(app: &App, theme: &Theme, role: &str, body: Rect, frame: &mut Frame) {
    let p = app.results().progress();
    let mut lines = vec![
        Line::from(format!(
            "{} items: {} pass, {} fail, {} not applicable.",
            p.total, p.pass, p.fail, p.not_applicable
        )),
        Line::from(""),
    ];
    let fails: Vec<usize> =
        (0..app.item_count()).filter(|&i| app.results().answers[i].status == Status::Fail).collect();
    if !fails.is_empty() {
        lines.push(Line::styled("Failed, with remediation:", theme.heading()));
        for i in fails {
            let r = app.results().answers[i].remediation.clone().unwrap_or_default();
            let due = r.due.map(|d| d.to_string()).unwrap_or_default();
            let due = if app.overdue(i) { format!("{due} OVERDUE") } else { due };
            lines.push(Line::from(format!(
                " {} {}: {}, due {due}{}",
                theme.glyph(Status::Fail),
                escape_controls(&app.item(i).id),
                escape_controls(&r.owner),
                if r.ticket.is_empty() { String::new() } else { format!(", {}", escape_controls(&r.ticket)) }
            )));
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::styled("Signing as", theme.heading()));
    lines.push(Line::from(format!(" {}", escape_controls(&app.signer))));
    lines.push(Line::from(format!(" role: {role} (r changes it)")));
    lines.push(Line::from(""));
    lines.push(Line::styled("Are these answers complete and true for this period?", theme.title()));
    lines.push(Line::styled("y signs off, Esc cancels", theme.title()));
    // Room for the signer's line to wrap.
    let height = (lines.len() as u16 + 4).min(body.height);
    let r = popup(body, 76, height);
    frame.render_widget(Clear, r);
    let b = block(" Sign off ", theme, true);
    let inner = b.inner(r);
    frame.render_widget(b, r);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

/// `one` or `many`, as `n` says.
pub fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// A yes-or-no question over the body.
fn render_question(theme: &Theme, title: &str, lines: Vec<Line<'_>>, body: Rect, frame: &mut Frame) {
    let width = 80.min(body.width);
    let text = Paragraph::new(lines).wrap(Wrap { trim: false });
    let height = (text.line_count(width.saturating_sub(2)) as u16 + 2).min(body.height);
    let r = popup(body, width, height);
    frame.render_widget(Clear, r);
    let b = block(title.to_string(), theme, true);
    let inner = b.inner(r);
    frame.render_widget(b, r);
    frame.render_widget(text, inner);
}

#[derive(Clone, Copy)]
enum ChoiceKind {
    Changed,
    Unsaved,
}

/// The dialogs that must not lose answers: the file changed on disk, or quitting with
/// answers not on disk. Each says how many answers are at stake and why.
fn render_choice(app: &App, theme: &Theme, kind: ChoiceKind, body: Rect, frame: &mut Frame) {
    let n = app.unsaved();
    let changes = format!("{n} {}", plural(n, "change", "changes"));
    let why = match &app.saved {
        Saved::Failed(e) | Saved::Stopped(e) => e.clone(),
        Saved::Yes => String::new(),
    };
    let name = app.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = app.path.file_stem().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let lines = match kind {
        ChoiceKind::Changed => vec![
            Line::styled(format!("{name} changed on disk under this review."), theme.warn()),
            Line::from(escape_controls(&why)),
            Line::from(""),
            Line::from(format!("Nothing was written over it. Your {changes} since the last save are kept in memory.")),
            Line::from(""),
            Line::from(" r  read it again and re-apply your own changes on top (then save)"),
            Line::from(format!(" w  write your answers beside it, to {stem}.unsaved-N.toml")),
            Line::from(" Esc  keep reviewing (nothing is saved until you choose)"),
        ],
        ChoiceKind::Unsaved => vec![
            Line::styled(format!("{changes} not saved to {name}."), theme.warn()),
            Line::from(escape_controls(&why)),
            Line::from(""),
            Line::from(format!(" w  write them beside it, to {stem}.unsaved-N.toml")),
            Line::from(" q  quit without them (they are lost)"),
            Line::from(" Esc  keep reviewing"),
        ],
    };
    let title = match kind {
        ChoiceKind::Changed => " File changed on disk ",
        ChoiceKind::Unsaved => " Unsaved answers ",
    };
    let r = popup(body, 76, lines.len() as u16 + 4);
    frame.render_widget(Clear, r);
    let b = block(title, theme, true);
    let inner = b.inner(r);
    frame.render_widget(b, r);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn render_blockers(app: &App, theme: &Theme, scroll: u16, body: Rect, frame: &mut Frame) {
    let blockers = app.results().signoff_blockers(&app.set);
    let mut lines = vec![
        Line::styled(format!("Not ready to sign off: {} problems remain.", blockers.len()), theme.warn()),
        Line::from("(v shows the items that need attention)"),
        Line::from(""),
    ];
    for (item, problem) in blockers {
        lines.push(Line::from(format!("{}: {}", escape_controls(&item), escape_controls(&problem.to_string()))));
    }
    render_overlay(theme, " Sign off ", Paragraph::new(lines).wrap(Wrap { trim: false }), scroll, body, frame);
}

/// A scrollable overlay over the whole body (a narrower box would leave the panes' borders
/// beside its own), saying when there is more below.
fn render_overlay(theme: &Theme, title: &str, text: Paragraph<'_>, scroll: u16, body: Rect, frame: &mut Frame) {
    let r = if body.width <= 100 { body } else { popup(body, 90, body.height) };
    frame.render_widget(Clear, r);
    let inner_width = r.width.saturating_sub(2);
    let total = text.line_count(inner_width);
    let mut b = block(title.to_string(), theme, true);
    if total > usize::from(scroll) + usize::from(r.height.saturating_sub(2)) {
        b = b.title_bottom(if theme.ascii { " more below (Down) " } else { " more below ↓ " });
    }
    let inner = b.inner(r);
    frame.render_widget(b, r);
    frame.render_widget(text.scroll((scroll, 0)), inner);
}

fn render_help(theme: &Theme, scroll: u16, body: Rect, frame: &mut Frame) {
    let mut lines = Vec::new();
    for screen in Screen::ALL {
        lines.push(Line::styled(screen.title(), theme.heading()));
        for b in keymap::of(screen) {
            let k = keymap::keys_label(b);
            let k = if theme.ascii {
                k.replace('↑', "Up").replace('↓', "Down").replace('←', "Left").replace('→', "Right")
            } else {
                k
            };
            let what =
                if theme.ascii { b.help.replace('↑', "Up").replace('↓', "Down") } else { b.help.to_string() };
            lines.push(Line::from(format!(" {k:<26} {what}")));
        }
        lines.push(Line::from(""));
    }
    lines.push(Line::from("Every change is saved at once. Status symbols:"));
    for s in Status::ALL {
        lines.push(Line::from(format!(" {} {}  (written \"{}\" in files)", theme.glyph(s), theme.word(s), s.as_str())));
    }
    lines.push(Line::from(format!(
        " {} carried from last quarter, c confirms;  ! needs attention",
        theme.carried_mark()
    )));
    let title = if theme.ascii {
        " Help (Up/Down scroll, any other key closes) "
    } else {
        " Help (↑↓ scroll, any other key closes) "
    };
    render_overlay(theme, title, Paragraph::new(lines), scroll, body, frame);
}
