//! Rendering: a pure function of the review state into a frame.

use crate::model::checklist::InForce;
use crate::model::results::{SignOffState, Status, format_timestamp};
use crate::render::text::{escape_controls, escape_controls_multiline};
use crate::tui::app::{App, Focus, FormKind, Level, Mode, Saved};
use crate::tui::keymap;
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
/// From this width the list shows questions in full.
pub const WIDE: u16 = 120;

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
    let mut title: Line<'a> = title.into();
    if focused && !theme.color {
        // Without colour the focused pane is marked in its title.
        title.spans.insert(0, Span::styled(theme.pointer(), theme.title()));
    }
    let b = Block::new().borders(Borders::ALL).border_set(theme.border()).title(title);
    if focused { b.border_style(theme.focus_border()) } else { b }
}

/// `text` wrapped to `width` columns, the first line after `first`, the others after
/// `rest` (a hanging indent): an evidence link under its number, a question beside its mark.
fn wrap_hanging(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let options = textwrap::Options::new(width.max(first.width() + 1).max(rest.width() + 1))
        .initial_indent(first)
        .subsequent_indent(rest);
    textwrap::wrap(text, options).into_iter().map(|l| l.into_owned()).collect()
}

/// `text` as spans, the words of `query` (lower-case) in it highlighted.
fn highlighted(text: String, query: &[String], style: Style, hit: Style) -> Vec<Span<'static>> {
    let lower = text.to_lowercase();
    if query.is_empty() || lower.len() != text.len() {
        return vec![Span::styled(text, style)];
    }
    // Which bytes are in a match.
    let mut marked = vec![false; text.len()];
    for word in query.iter().filter(|w| !w.is_empty()) {
        for (at, _) in lower.match_indices(word.as_str()) {
            marked[at..at + word.len()].iter_mut().for_each(|m| *m = true);
        }
    }
    let mut spans = Vec::new();
    let mut start = 0;
    for (at, _) in text.char_indices().skip(1).chain([(text.len(), ' ')]) {
        if at == text.len() || marked[at] != marked[start] {
            let piece = text[start..at].to_string();
            spans.push(Span::styled(piece, if marked[start] { hit } else { style }));
            start = at;
        }
    }
    spans
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

/// The screen's rows: the header, the body, the status line and the key hints; `None`, and
/// the screen says so, when the terminal is smaller than the layout works in.
pub fn screen_rows(frame: &mut Frame) -> Option<[Rect; 4]> {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        render_too_small(area, frame);
        return None;
    }
    Some(area.layout(&Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])))
}

fn render_screen(app: &App, theme: &Theme, frame: &mut Frame) {
    let Some([header, body, status, hints]) = screen_rows(frame) else { return };
    render_header(app, theme, header, frame);
    match &app.mode {
        Mode::Scope(i)
        | Mode::Help { scope: Some(i), .. }
        | Mode::ConfirmEdit { scope: Some(i), .. }
        | Mode::ConfirmScope { index: i, .. }
        | Mode::Policy { scope: Some(i), .. } => render_scope(app, theme, *i, body, frame),
        _ => render_review(app, theme, body, frame),
    }
    // A warning or error too long for the status line takes the hints' line too: a reason
    // (a wrong passphrase, a full disk) is not cut off.
    let long = matches!(&app.message, Some((Level::Warn | Level::Error, m))
        if escape_controls(m).width() > status.width as usize && matches!(app.saved, Saved::Yes));
    if long {
        render_status(app, theme, status.union(hints), frame);
    } else {
        render_status(app, theme, status, frame);
        render_hints(app, theme, hints, frame);
    }
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
            // Removing evidence: the form shows the list it asks about (it covers the details).
            let listed: Vec<String> = match form.kind {
                FormKind::RemoveEvidence => app.results().answers[form.item]
                    .evidence
                    .iter()
                    .enumerate()
                    .map(|(k, e)| fit(&format!("{}. {}", k + 1, escape_controls(e)), 60, theme))
                    .collect(),
                _ => Vec::new(),
            };
            let extra = if listed.is_empty() { 0 } else { listed.len() as u16 + 1 };
            let r = popup(body, 64, form.fields.len() as u16 * 2 + 4 + extra);
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
            // As many of the listed items as fit, leaving room for the field.
            let room = inner.height.saturating_sub(form.fields.len() as u16 * 2 + 2) as usize;
            for line in listed.iter().take(room) {
                frame.render_widget(Line::raw(line.clone()), Rect { y, height: 1, ..inner });
                y += 1;
            }
            if !listed.is_empty() {
                y += 1;
            }
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
        Mode::ConfirmSign { role, scroll } => render_confirm(app, theme, role, *scroll, body, frame),
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
        Mode::Policy { cursor, .. } => render_policy(app, theme, *cursor, body, frame),
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

/// Where an overlay of `width` x `height` goes in `area`: centred, or the whole width when
/// it would leave only a sliver of the screen beneath at its sides.
fn popup(area: Rect, width: u16, height: u16) -> Rect {
    let width = if area.width.saturating_sub(width) < 12 { area.width } else { width };
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
        // Said first, on the left (below): at 80 columns the right side can be cut.
    } else if app.signed_by.is_some() {
        right.push(Span::raw(sep));
        right.push(Span::styled("viewing", theme.title()));
    }
    let right_width: usize = right.iter().map(Span::width).sum();
    let period = format!(" {}", app.results().period);
    let label = " privcheck ";
    let room = (area.width as usize).saturating_sub(right_width + period.width());
    let label = if room >= label.width() + 8 { label } else { " " };
    let (label, style) = if app.read_only.is_some() { (" READ-ONLY ", theme.warn()) } else { (label, theme.title()) };
    let product = fit(&escape_controls(&app.results().product), room.saturating_sub(label.width()), theme);
    let mut spans = vec![Span::styled(label, style), Span::raw(product), Span::raw(period)];
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
        return typed_or_message(typing, app.message.as_ref(), theme, area, frame);
    };
    frame.render_widget(line, area);
}

/// Draws the status line in `area`: what is being typed after `/` (the cursor in it), else
/// the message in its level's style (wrapped when `area` has more than one line), else
/// nothing.
pub fn typed_or_message(
    typing: Option<&crate::tui::input::Editor>,
    message: Option<&(Level, String)>,
    theme: &Theme,
    area: Rect,
    frame: &mut Frame,
) {
    let width = area.width as usize;
    let line = if let Some(input) = typing {
        let (shown, col) = input.view(width.saturating_sub(1));
        frame.set_cursor_position((area.x + 1 + col as u16, area.y));
        Line::from(vec![Span::styled("/", theme.title()), Span::raw(shown)])
    } else if let Some((level, msg)) = message {
        let style = match level {
            Level::Info => Style::new(),
            Level::Warn => theme.warn(),
            Level::Error => theme.error(),
        };
        if area.height > 1 {
            let text = Paragraph::new(Line::styled(escape_controls(msg), style)).wrap(Wrap { trim: true });
            frame.render_widget(text, area);
            return;
        }
        Line::styled(fit(&escape_controls(msg), width, theme), style)
    } else {
        Line::raw("")
    };
    frame.render_widget(line, area);
}

fn render_hints(app: &App, theme: &Theme, area: Rect, frame: &mut Frame) {
    let hints = match &app.mode {
        Mode::Scope(_) => "y yes  n no  ↑↓ move  PgDn help  Enter review  ? help  q quit",
        Mode::Note { .. } => "type the note  Enter new line  Esc keep and close",
        Mode::Form(_) => "Tab next field  Enter save  Esc cancel",
        Mode::Search { .. } => "type to search  Enter keep  Esc cancel",
        Mode::ConfirmSign { .. } => "y sign  r change role  ↑↓ scroll  Esc cancel",
        Mode::Blockers(_) | Mode::Help { .. } => "↑↓ scroll  any other key closes",
        Mode::Changed => "r reload and re-apply  w write beside  Esc keep reviewing",
        Mode::ConfirmArea { .. } | Mode::ConfirmScope { .. } => "y yes  any other key no",
        Mode::ConfirmEdit { .. } => "y edit  any other key keeps viewing",
        Mode::Policy { .. } => "↑↓ move  Enter record it  Esc decide later  q quit",
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
    let mut lines = vec![
        Line::from(vec![
            Span::raw("Product: "),
            Span::styled(escape_controls(&app.results().product), theme.title()),
            Span::raw(format!(", period {}", app.results().period)),
        ]),
        Line::from("Answer each question; items that do not apply become \"not applicable\"."),
    ];
    if !app.set.policy_versions().is_empty() {
        let version = match app.results().policy.as_deref() {
            Some(file) => Span::styled(escape_controls(file), theme.title()),
            None => Span::styled("not recorded", theme.warn()),
        };
        lines.push(Line::from(vec![Span::raw("Policy version in force: "), version, Span::raw(" (v changes it)")]));
    }
    lines.push(Line::from(""));
    let width = inner.width as usize;
    let questions: Vec<Line> = app
        .set
        .scope
        .iter()
        .enumerate()
        .map(|(k, q)| {
            let answer = match app.results().scope.get(&q.id) {
                Some(true) => Span::styled("[yes]", theme.status(Status::Pass)),
                Some(false) => Span::styled("[no] ", theme.status(Status::NotApplicable)),
                None => Span::styled("[ ? ]", theme.status(Status::Unreviewed)),
            };
            let pointer = if k == current { theme.pointer() } else { " " };
            let text = fit(&escape_controls(&q.question), width.saturating_sub(9), theme);
            let style = if k == current { theme.selected() } else { Style::new() };
            Line::from(vec![Span::raw(format!("{pointer} ")), answer, Span::raw(" "), Span::styled(text, style)])
        })
        .collect();
    // The current question's whole text and help, below the list.
    let mut help = Vec::new();
    if let Some(q) = app.set.scope.get(current) {
        help.push(Line::from(""));
        help.push(Line::styled(escape_controls(&q.question), theme.heading()));
        for l in escape_controls_multiline(&reflow(&q.help)).lines() {
            help.push(Line::from(l.to_string()));
        }
    }
    let help = Paragraph::new(help).wrap(Wrap { trim: false });
    let help_height = help.line_count(inner.width);
    // The list gets what the header and the help leave (at least five rows), scrolled so
    // the current question shows; the help gets the rest and says when it goes on.
    let rows = (inner.height as usize).saturating_sub(lines.len());
    let list_rows = rows.saturating_sub(help_height).max(5.min(questions.len())).min(questions.len());
    let n = questions.len();
    let first = scroll_to(current, n, list_rows);
    let end = (first + list_rows).min(n);
    let mut window: Vec<Line> = questions.into_iter().skip(first).take(end - first).collect();
    let (up, down) = if theme.ascii { ("Up", "Down") } else { ("↑", "↓") };
    if first > 0 && window.len() > 2 {
        window[0] = Line::styled(format!("  ... {} more above ({up} moves)", first + 1), theme.dim());
    }
    if end < n && window.len() > 2 {
        let last = window.len() - 1;
        window[last] = Line::styled(format!("  ... {} more below ({down} moves)", n - end + 1), theme.dim());
    }
    lines.extend(window);
    let used = lines.len() as u16;
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    let rest = Rect { y: inner.y + used, height: inner.height.saturating_sub(used), ..inner };
    let scroll = app.scope_help_scroll.min(help_height.saturating_sub(rest.height as usize) as u16);
    let mut b = Block::new();
    if help_height > rest.height as usize + usize::from(scroll) {
        let more = if theme.ascii { " more below (PgDn) " } else { " more below (PgDn) ↓ " };
        b = b.title_bottom(Line::styled(more, theme.dim()).right_aligned());
    }
    frame.render_widget(help.block(b).scroll((scroll, 0)), rest);
}

fn render_review(app: &App, theme: &Theme, area: Rect, frame: &mut Frame) {
    // From 120 columns the list grows with the terminal and its questions wrap in full.
    let left_w = if area.width >= WIDE { area.width / 2 } else { (area.width * 2 / 5).clamp(28, 48) };
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
        let mut t = format!(" {}", app.filter_label());
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
    let width = inner.width as usize;
    let wide = area.width >= WIDE / 2;
    let query = app.search_words();
    let id_width = if app.show_ids { (width / 3).clamp(10, 36) } else { 0 };
    // Each item's rows: one, or its whole question wrapped when the list is wide.
    let rows = |i: usize| -> Vec<Line<'static>> {
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
        let selected = i == app.selected;
        let text_style = if selected { theme.selected() } else { Style::new() };
        let mut head = format!("{} {}{mark} ", theme.glyph(a.status), theme.word(a.status));
        let status_width = head.width();
        if app.show_ids {
            let id = fit(&escape_controls(&item.id), id_width, theme);
            head.push_str(&format!("{id}{} ", " ".repeat(id_width.saturating_sub(id.width()))));
        }
        let room = width.saturating_sub(head.width());
        let question = escape_controls(&item.question);
        let texts: Vec<String> = if wide {
            textwrap::wrap(&question, room.max(1)).into_iter().map(|l| l.into_owned()).collect()
        } else {
            vec![fit(&question, room, theme)]
        };
        let hit = text_style.add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        texts
            .into_iter()
            .enumerate()
            .map(|(k, text)| {
                let mut spans = if k == 0 {
                    let (status, id) = head.split_at(status_width.min(head.len()));
                    vec![
                        Span::styled(
                            status.to_string(),
                            if selected { theme.selected() } else { theme.status(a.status) },
                        ),
                        Span::styled(id.to_string(), if selected { theme.selected() } else { theme.dim() }),
                    ]
                } else {
                    vec![Span::styled(" ".repeat(head.width()), text_style)]
                };
                spans.extend(highlighted(text, &query, text_style, hit));
                let mut line = Line::from(spans);
                if selected {
                    let pad = width.saturating_sub(line.width());
                    line.spans.push(Span::styled(" ".repeat(pad), text_style));
                }
                line
            })
            .collect()
    };
    let pos = visible.iter().position(|&i| i == app.selected).unwrap_or(0);
    let lines: Vec<Line> = if wide {
        // Start far enough back that the selected item shows whole, near the middle, and
        // the list fills the pane when it can. Every item takes a row at least, so only the
        // `height` items either side of the selected one can show: only those are wrapped.
        let lo = pos.saturating_sub(height);
        let blocks: Vec<Vec<Line>> =
            visible[lo..(pos + height + 1).min(visible.len())].iter().map(|&i| rows(i)).collect();
        let pos = pos - lo;
        let target = height.saturating_sub(blocks[pos].len()) / 2;
        let (mut first, mut above) = (pos, 0);
        while first > 0 && above + blocks[first - 1].len() <= target {
            first -= 1;
            above += blocks[first].len();
        }
        let mut shown: usize = blocks[first..].iter().map(Vec::len).sum();
        while first > 0 && shown + blocks[first - 1].len() <= height {
            first -= 1;
            shown += blocks[first].len();
        }
        blocks.into_iter().skip(first).flatten().take(height).collect()
    } else {
        let first = scroll_to(pos, visible.len(), height);
        visible.iter().skip(first).take(height).flat_map(|&i| rows(i)).collect()
    };
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
    // The whole id when it fits beside the severity (and the focus mark).
    let sep = if theme.ascii { "-" } else { "·" };
    // Corners, spaces, the separator and the focus mark: 8 columns beside the two words.
    let room = (area.width as usize).saturating_sub(item.severity.as_str().len() + 8);
    let title = format!(" {} {sep} {} ", fit(&escape_controls(&item.id), room, theme), item.severity);
    let mut b = block(title, theme, app.focus == Focus::Detail);
    let inner = b.inner(area);

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
    if let Some(in_force) = app.results().in_force(&app.set, item) {
        let (text, style) = match &in_force {
            InForce::Says(cites) => {
                let mut sections: Vec<&str> = cites.iter().map(|c| c.section.as_str()).collect();
                sections.dedup();
                (format!("The version in force says this under {}.", sections.join("; ")), theme.dim())
            }
            InForce::Silent => {
                let line = in_force.line();
                let mut chars = line.chars();
                let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
                (format!("{first}{}.", chars.as_str()), theme.warn())
            }
        };
        push_text(&mut lines, &text, style);
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
        // A long link wraps under its number, never leaving the number alone on a line.
        let number = format!(" {}. ", k + 1);
        for l in wrap_hanging(&escape_controls(e), inner.width as usize, &number, &" ".repeat(number.len())) {
            lines.push(Line::from(l));
        }
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
    let text = Paragraph::new(lines).wrap(Wrap { trim: false });
    if text.line_count(inner.width) > usize::from(app.detail_scroll) + usize::from(inner.height) {
        b = b.title_bottom(more_below(theme));
    }
    frame.render_widget(b, area);
    frame.render_widget(text.scroll((app.detail_scroll, 0)), inner);
}

/// The marker at the foot of a pane or overlay with more text below.
fn more_below(theme: &Theme) -> &'static str {
    if theme.ascii { " more below (Down) " } else { " more below ↓ " }
}

fn render_confirm(app: &App, theme: &Theme, role: &str, scroll: u16, body: Rect, frame: &mut Frame) {
    // The summary scrolls; who signs, the role, the key and the question always show.
    let p = app.results().progress();
    let mut summary = vec![Line::from(format!(
        "{} items: {} pass, {} fail, {} not applicable.",
        p.total, p.pass, p.fail, p.not_applicable
    ))];
    let fails: Vec<usize> =
        (0..app.item_count()).filter(|&i| app.results().answers[i].status == Status::Fail).collect();
    if !fails.is_empty() {
        summary.push(Line::styled("Failed, with remediation:", theme.heading()));
        for i in fails {
            let r = app.results().answers[i].remediation.clone().unwrap_or_default();
            let due = r.due.map(|d| d.to_string()).unwrap_or_default();
            let due = if app.overdue(i) { format!("{due} OVERDUE") } else { due };
            summary.push(Line::from(format!(
                " {} {}: {}, due {due}{}",
                theme.glyph(Status::Fail),
                escape_controls(&app.item(i).id),
                escape_controls(&r.owner),
                if r.ticket.is_empty() { String::new() } else { format!(", {}", escape_controls(&r.ticket)) }
            )));
        }
    }
    let who = &app.signer;
    let field = |label: &'static str, value: String| {
        Line::from(vec![Span::styled(format!(" {label:<6} "), theme.heading()), Span::raw(value)])
    };
    let fixed = Paragraph::new(vec![
        Line::from(""),
        field("Name", escape_controls(&who.name)),
        field("Email", escape_controls(&who.email)),
        field("Role", format!("{role} (r changes it)")),
        field("Key", escape_controls(&who.key)),
        Line::from(""),
        Line::styled("Are these answers complete and true for this period?", theme.title()),
        Line::styled(format!("y signs off as {role}, Esc cancels"), theme.title()),
    ])
    .wrap(Wrap { trim: false });
    let width = 76.min(body.width);
    let inner_width = width.saturating_sub(2);
    let fixed_height = fixed.line_count(inner_width) as u16;
    let summary = Paragraph::new(summary).wrap(Wrap { trim: false });
    let summary_height = summary.line_count(inner_width) as u16;
    let height = (summary_height + fixed_height + 2).min(body.height);
    let r = popup(body, width, height);
    frame.render_widget(Clear, r);
    let b = block(format!(" Sign off as {role} "), theme, true);
    let inner = b.inner(r);
    frame.render_widget(b, r);
    let fixed_height = fixed_height.min(inner.height);
    let [top, bottom] = inner.layout(&Layout::vertical([Constraint::Fill(1), Constraint::Length(fixed_height)]));
    if summary_height <= top.height {
        frame.render_widget(summary, top);
    } else {
        // The last row of the summary says what is not shown.
        let [shown, marker] = top.layout(&Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]));
        let scroll = scroll.min(summary_height.saturating_sub(shown.height));
        frame.render_widget(summary.scroll((scroll, 0)), shown);
        let below = summary_height.saturating_sub(scroll + shown.height);
        let (up, down) = if theme.ascii { ("Up", "Down") } else { ("↑", "↓") };
        let text = match (scroll > 0, below > 0) {
            (_, true) => format!("... {below} more {} ({up} {down} scroll)", plural(below.into(), "line", "lines")),
            (true, false) => format!("... {scroll} more above ({up} scrolls)"),
            (false, false) => String::new(),
        };
        frame.render_widget(Line::styled(fit(&text, marker.width as usize, theme), theme.dim()), marker);
    }
    frame.render_widget(fixed, bottom);
}

/// The chooser of the policy version in force: each version the checklists cite, newest
/// first, with what it covers; the one recorded marked.
fn render_policy(app: &App, theme: &Theme, cursor: usize, body: Rect, frame: &mut Frame) {
    let mut lines = vec![
        Line::from("The checklists test the promises of the version your product shows its users."),
        Line::from(""),
    ];
    for (k, d) in app.set.policy_versions().iter().enumerate() {
        let pointer = if k == cursor { theme.pointer() } else { " " };
        let recorded = if app.results().policy.as_deref() == Some(d.file.as_str()) { " (recorded)" } else { "" };
        let style = if k == cursor { theme.selected() } else { Style::new() };
        lines.push(Line::from(vec![
            Span::raw(format!("{pointer} ")),
            Span::styled(format!("{:<10} {}{recorded}", d.effective, escape_controls(&d.title)), style),
        ]));
        if let Some(a) = &d.applies_to {
            let width = 80.min(body.width).saturating_sub(2) as usize;
            let indent = " ".repeat(13);
            for l in wrap_hanging(&escape_controls(&reflow(a)), width, &format!("{indent}covers "), &indent) {
                lines.push(Line::styled(l, theme.dim()));
            }
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::styled("Enter records the highlighted version; Esc decides later", theme.title()));
    render_question(theme, " Which version of the policy does the product publish? ", lines, body, frame);
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
        b = b.title_bottom(more_below(theme));
    }
    let inner = b.inner(r);
    frame.render_widget(b, r);
    frame.render_widget(text.scroll((scroll, 0)), inner);
}

fn render_help(theme: &Theme, scroll: u16, body: Rect, frame: &mut Frame) {
    let mut lines = Vec::new();
    for screen in keymap::review_screens() {
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
