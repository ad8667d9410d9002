//! The terminal UI of a review. This module is the shell: the only code that touches the
//! terminal, reads events and handles signals. The state lives in [`app`], its
//! transitions in [`update`], the drawing in [`view`].
//!
//! Nothing is lost when the connection drops: every change is saved at once, and a
//! dedicated signal thread (SIGHUP, SIGTERM, SIGINT) writes anything not yet on disk — an
//! answer whose save failed, a note being typed — before the process exits. (crossterm's
//! event reader spins when the terminal goes away, so the main loop cannot be relied on
//! to notice.)

pub mod app;
pub mod browse;
pub mod input;
pub mod keymap;
pub mod theme;
pub mod update;
pub mod view;
pub mod wire;

use crate::app::clock::now;
use crate::app::signoff::{Signer, sign_off};
use crate::error::{Error, Result};
use crate::model::results::Results;
use crate::store::results_file;
use crate::store::writer::{SaveError, Writer};
use app::{App, Focus, Level, Mode, Saved};
use ratatui::crossterm::event::{self, Event};
use ratatui::crossterm::{cursor, execute};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use theme::Theme;
use update::Effect;

/// What the signal thread needs to save the latest state.
struct Shared {
    /// The writer of the results file (holding its lock); `None` when read-only.
    writer: Option<Writer>,
    /// The latest results the UI holds.
    results: Results,
    /// Is `results` not (known to be) on disk?
    dirty: bool,
    /// A note being typed: (item index, text).
    draft: Option<(usize, String)>,
}

impl Shared {
    /// The latest state, with any draft note, as the text of a results file.
    fn text(&self) -> String {
        let mut results = self.results.clone();
        if let Some((i, text)) = &self.draft
            && let Some(a) = results.answers.get_mut(*i)
        {
            a.note = crate::render::text::clean_typed(text).trim_end().to_string();
        }
        results_file::to_toml(&results)
    }

    /// Writes the latest state (with any draft note) if anything is not on disk.
    fn flush(&mut self) -> std::result::Result<(), SaveError> {
        if self.writer.is_none() || (!self.dirty && self.draft.is_none()) {
            return Ok(());
        }
        let text = self.text();
        if let Some(w) = &mut self.writer {
            w.save(&text)?;
        }
        self.dirty = false;
        Ok(())
    }

    /// On the way out (a signal): saves what is not on disk, and when the file cannot take
    /// it (changed underneath, the lock lost), writes it beside.
    fn flush_or_beside(&mut self) {
        if let Err(SaveError::Changed { .. } | SaveError::Lock(_)) = self.flush()
            && let Some(w) = &self.writer
        {
            let _ = w.save_beside(&self.text());
        }
    }
}

/// Who reviews and signs: the reviewer recorded with answers, the signer (or why there is
/// none), and how the signer is described before signing.
pub struct Identity {
    pub reviewer: String,
    pub signer: std::result::Result<Signer, String>,
    pub signer_info: crate::tui::app::SignerInfo,
}

/// Everything the review needs to start.
pub struct Start {
    /// The review; its `reviewer` and `signer` are filled in from `identity`.
    pub app: App,
    /// Works out the identity (it runs git): called once the first frame is drawn.
    pub identity: Box<dyn FnOnce() -> Identity>,
    /// The writer of the results file; `None` when the review is read-only.
    pub writer: Option<Writer>,
    /// A stale lock taken over: whom it belonged to.
    pub stale: Option<String>,
    /// Has the file ever been saved (false for a new review)?
    pub exists: bool,
    /// How things look (symbols and colour, from the environment and `--color`).
    pub theme: Theme,
}

/// The terminal the review draws on: crossterm, through [`wire::WireBackend`], buffered so
/// that a frame leaves in one write.
type Tty = ratatui::Terminal<wire::WireBackend<std::io::BufWriter<std::io::Stdout>>>;

/// Sets up the terminal as `ratatui::try_init` does (raw mode, the alternate screen, a panic
/// hook that restores the terminal), with privcheck's backend.
fn init_terminal() -> std::io::Result<Tty> {
    drop(ratatui::try_init()?);
    // A paste arrives as one event, not as thousands of keys.
    execute!(std::io::stdout(), ratatui::crossterm::event::EnableBracketedPaste)?;
    ratatui::Terminal::new(wire::WireBackend::new(std::io::BufWriter::with_capacity(1 << 16, std::io::stdout())))
}

/// Makes the next frame repaint every cell. (Not `Terminal::clear`, which asks the
/// terminal for the cursor position and waits for the answer: a round trip over SSH, and a
/// two-second stall on terminals that never answer.)
fn redraw_all(terminal: &mut Tty) {
    if let Ok(size) = terminal.size() {
        let _ = terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height));
    }
}

fn restore_terminal() {
    let _ = execute!(std::io::stdout(), ratatui::crossterm::event::DisableBracketedPaste);
    ratatui::restore();
    let _ = execute!(std::io::stdout(), cursor::Show);
}

/// Runs the review until the reviewer quits.
pub fn run(start: Start) -> Result<()> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Error::Terminal(
            "the review needs a terminal (stdin and stdout are not both a TTY); \
             to check results without one, use `privcheck verify FILE` or `privcheck report FILE`"
                .into(),
        ));
    }
    let Start { mut app, identity, writer, stale, exists, theme } = start;
    if let Some(who) = stale {
        app.message = Some((Level::Warn, format!("Took over a stale lock left by {who}.")));
    }
    let shared = Arc::new(Mutex::new(Shared { writer, results: app.results().clone(), dirty: false, draft: None }));
    spawn_signal_thread(Some(Arc::clone(&shared)))?;

    let mut terminal = init_terminal().map_err(|e| Error::Terminal(format!("cannot set up the terminal: {e}")))?;
    // Start crossterm's event source now: it installs its SIGWINCH handler when first
    // polled, and a window resized before that (while git's config is read after the first
    // frame) would be lost, leaving the old size on screen.
    let _ = event::poll(Duration::ZERO);
    let result = session(&mut terminal, &mut app, identity, &shared, exists, &theme, false);
    restore_terminal();
    let unsaved = app.unsaved();
    if let Ok(mut s) = shared.lock() {
        // A last try; the writer (and its lock) goes with the review.
        let _ = s.flush();
        s.writer = None;
    }
    if let (Saved::Failed(e) | Saved::Stopped(e), true) = (&app.saved, unsaved > 0) {
        return Err(Error::Refused(format!(
            "{}: {unsaved} {} could not be saved ({e}); you chose to quit without them",
            crate::render::text::escape_controls(&app.path.display().to_string()),
            view::plural(unsaved, "change", "changes")
        )));
    }
    result
}

/// Shows `app`, read-only, on `terminal` (set up by the caller, `privcheck browse`, which
/// handles signals) until the reader quits it, or presses Esc on the list with nothing to
/// go back from; the terminal stays set up.
fn run_read_only(terminal: &mut Tty, mut app: App, theme: &Theme) -> Result<()> {
    debug_assert!(app.read_only.is_some(), "only a read-only review runs inside another screen");
    let shared =
        Arc::new(Mutex::new(Shared { writer: None, results: app.results().clone(), dirty: false, draft: None }));
    let identity = Box::new(|| Identity {
        reviewer: String::new(),
        signer: Err("read-only".into()),
        signer_info: Default::default(),
    });
    redraw_all(terminal);
    session(terminal, &mut app, identity, &shared, true, theme, true)
}

/// The review's loop: draws, reads a key, acts on it, until the review quits. With
/// `esc_leaves`, Esc on the list with no filter quits too (back to whoever opened it).
fn session(
    terminal: &mut Tty,
    app: &mut App,
    identity: Box<dyn FnOnce() -> Identity>,
    shared: &Arc<Mutex<Shared>>,
    mut exists: bool,
    theme: &Theme,
    esc_leaves: bool,
) -> Result<()> {
    let mut identity = Some(identity);
    let mut signer = Err(String::new());
    let exists = &mut exists;
    loop {
        terminal.draw(|f| view::render(app, theme, f)).map_err(|e| Error::Terminal(format!("cannot draw: {e}")))?;
        if app.quit {
            return Ok(());
        }
        if let Some(pending) = identity.take() {
            let id = pending();
            app.reviewer = id.reviewer;
            app.signer = id.signer_info;
            signer = id.signer;
        }
        // Wake up now and then to retry a failed save.
        let wait =
            if matches!(app.saved, Saved::Failed(_)) { Duration::from_secs(2) } else { Duration::from_secs(3600) };
        if !event::poll(wait).map_err(|e| Error::Terminal(format!("cannot read the terminal: {e}")))? {
            save(app, shared, exists);
            continue;
        }
        let ev = event::read().map_err(|e| Error::Terminal(format!("cannot read the terminal: {e}")))?;
        let effect = match &ev {
            Event::Paste(text) => update::handle_paste(app, text),
            Event::Key(key) => {
                let Some(key) = ev.as_key_press_event().or(Some(*key)).filter(|k| k.is_press()) else { continue };
                if esc_leaves
                    && key.code == event::KeyCode::Esc
                    && matches!(app.mode, Mode::Review)
                    && app.focus == Focus::Items
                    && !app.filtering()
                {
                    app.quit = true;
                    continue;
                }
                update::handle_key(app, key, now())
            }
            _ => continue,
        };
        if let Mode::Note { item, editor } = &app.mode
            && let Ok(mut s) = shared.lock()
        {
            s.draft = Some((*item, editor.text()));
        }
        match effect {
            Some(Effect::Save) => save(app, shared, exists),
            Some(Effect::Reload) => reload(app, shared, exists),
            Some(Effect::WriteBeside) => write_beside(app, shared),
            Some(Effect::Sign { role }) => {
                sign(app, &mut signer, &role, terminal);
                save(app, shared, exists);
            }
            Some(Effect::Redraw) => redraw_all(terminal),
            Some(Effect::Quit) | None => {}
        }
    }
}

/// Saves the results now; on failure keeps them in memory and says so. When the file on
/// disk is not the one the review read (or the lock was lost), saving stops and the reviewer
/// is asked what to do; nothing is written over it.
fn save(app: &mut App, shared: &Arc<Mutex<Shared>>, exists: &mut bool) {
    if app.read_only.is_some() {
        return;
    }
    let Ok(mut s) = shared.lock() else { return };
    s.results = app.results().clone();
    s.dirty = true;
    if !matches!(app.mode, Mode::Note { .. }) {
        s.draft = None;
    }
    match s.flush() {
        Ok(()) => {
            if !*exists {
                *exists = true;
                app.message = Some((Level::Info, format!("Created {}.", app.path.display())));
            }
            app.saved_now();
        }
        Err(e @ (SaveError::Changed { .. } | SaveError::Lock(_))) => {
            app.saved = Saved::Stopped(e.to_string());
            if !matches!(app.mode, Mode::Note { .. } | Mode::Form(_)) {
                app.mode = Mode::Changed;
            }
        }
        Err(SaveError::Io(e)) => app.saved = Saved::Failed(e.to_string()),
    }
}

/// The file changed on disk: read it again, re-apply the reviewer's own changes on top,
/// and save.
fn reload(app: &mut App, shared: &Arc<Mutex<Shared>>, exists: &mut bool) {
    let text = {
        let Ok(mut s) = shared.lock() else { return };
        let Some(w) = &mut s.writer else { return };
        match w.read() {
            Ok(text) => text,
            Err(e) => {
                app.message = Some((Level::Error, format!("Cannot read {}: {e}", app.path.display())));
                return;
            }
        }
    };
    let theirs = match text {
        None => app.results().clone(),
        Some(text) => match results_file::from_toml_for_set(&text, &app.path.display().to_string(), &app.set) {
            Ok(r) => r,
            Err(e) => {
                app.message = Some((Level::Error, format!("Cannot reload: {e}; w writes your answers beside it.")));
                app.mode = Mode::Changed;
                return;
            }
        },
    };
    *exists = true;
    let applied = app.reload(theirs);
    save(app, shared, exists);
    if app.saved == Saved::Yes {
        app.message = Some((
            Level::Info,
            format!(
                "Reloaded the file; {applied} {} of yours re-applied on top, and saved.",
                view::plural(applied, "change", "changes")
            ),
        ));
    }
}

/// Writes the answers beside the results file (never over anything).
fn write_beside(app: &mut App, shared: &Arc<Mutex<Shared>>) {
    let Ok(mut s) = shared.lock() else { return };
    s.results = app.results().clone();
    let text = s.text();
    let written = match &s.writer {
        Some(w) => w.save_beside(&text),
        None => crate::store::writer::save_beside(&app.path, &text),
    };
    drop(s);
    match written {
        Ok(path) => {
            app.message = Some((
                Level::Warn,
                format!(
                    "Your answers are in {}; {} was left as it is, and saving to it stays stopped.",
                    path.display(),
                    app.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
                ),
            ));
            app.written_beside();
        }
        Err(e) => app.message = Some((Level::Error, format!("Cannot write beside it: {e}"))),
    }
}

fn sign(app: &mut App, signer: &mut std::result::Result<Signer, String>, role: &str, terminal: &mut Tty) {
    let signer = match signer {
        Ok(s) => s,
        Err(e) => {
            app.message = Some((Level::Error, format!("Cannot sign: {e}")));
            return;
        }
    };
    signer.role = role.to_string();
    // ssh-keygen may ask for a passphrase on the terminal: hand it over.
    let suspend = signer.key.is_some();
    if suspend {
        restore_terminal();
        // The signer's name comes from git's config: escaped, as everything from outside.
        println!(
            "privcheck: signing with ssh-keygen ({})...",
            crate::render::text::escape_controls(&signer.describe())
        );
    }
    let outcome = app.edit_with(|results, set| sign_off(results, set, signer, now()));
    if suspend {
        match init_terminal() {
            Ok(t) => *terminal = t,
            Err(e) => app.message = Some((Level::Error, format!("cannot set up the terminal again: {e}"))),
        }
        redraw_all(terminal);
    }
    if outcome.is_ok() {
        // A sign-off is not taken back with z: the history before it is forgotten.
        app.forget_undo();
    }
    app.message = Some(match outcome {
        Ok(s) => match &s.key {
            Some(k) => (Level::Info, format!("Signed off as {} with {k}.", s.role)),
            None => (Level::Warn, format!("Signed off as {}, UNSIGNED: no SSH key found.", s.role)),
        },
        Err(e) => (Level::Error, e.to_string().replace('\n', " ")),
    });
}

/// On SIGHUP, SIGTERM or SIGINT: saves what `shared` holds (none: nothing to save, as
/// while browsing), restores the terminal and exits.
fn spawn_signal_thread(shared: Option<Arc<Mutex<Shared>>>) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT])
        .map_err(|e| Error::Terminal(format!("cannot install signal handlers: {e}")))?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                // Wait for a save in progress, then write whatever is not on disk yet (beside
                // the file when it cannot take it), and let the lock go.
                if let Some(shared) = &shared {
                    let mut s = shared.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    s.flush_or_beside();
                    s.writer = None;
                }
                // After a hang-up there is no terminal to restore.
                if sig != SIGHUP {
                    restore_terminal();
                }
                std::process::exit(128 + sig);
            }
        })
        .map_err(|e| Error::Terminal(format!("cannot start the signal thread: {e}")))?;
    Ok(())
}
