//! The review's state: what the reviewer sees and where they are. No terminal here.

use crate::model::checklist::{ChecklistSet, Item, Severity};
use crate::model::results::{Progress, Results, SignOff, SignOffState, Status};
use crate::tui::input::Editor;
use jiff::civil::Date;
use std::cell::OnceCell;
use std::path::PathBuf;

/// Which items the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    #[default]
    All,
    Unanswered,
    Failed,
    /// Items needing attention: unreviewed, carried and not confirmed, stale, incomplete.
    Attention,
}

impl Filter {
    pub fn next(self) -> Filter {
        match self {
            Filter::All => Filter::Unanswered,
            Filter::Unanswered => Filter::Failed,
            Filter::Failed => Filter::Attention,
            Filter::Attention => Filter::All,
        }
    }

    /// The filter's message: "Showing failed items."
    pub fn showing(self) -> &'static str {
        match self {
            Filter::All => "Showing all items.",
            Filter::Unanswered => "Showing unanswered items.",
            Filter::Failed => "Showing failed items.",
            Filter::Attention => "Showing items that need attention.",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Unanswered => "unanswered",
            Filter::Failed => "failed",
            Filter::Attention => "needs attention",
        }
    }
}

/// Which pane has the keyboard in the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Items,
    Detail,
}

/// The small forms that pop up over the review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    /// Owner, due date, ticket of a failed item.
    Remediation,
    /// Why an item is not applicable.
    Reason,
    /// A new evidence reference.
    AddEvidence,
    /// Which evidence reference to remove (its number).
    RemoveEvidence,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub input: Editor,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    /// The item the form edits (index in checklist order).
    pub item: usize,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// The form opened with a status change (f, n): Esc undoes that change too.
    pub revert: bool,
}

/// Who signs, as the sign-off dialog shows it (the role is the dialog's own).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignerInfo {
    pub name: String,
    pub email: String,
    /// The key and where it was found, "none: the sign-off will be unsigned", or why
    /// nobody can sign ("cannot sign: no email ...").
    pub key: String,
}

/// What the keyboard is doing.
#[derive(Debug)]
pub enum Mode {
    /// Answering the scope questions; the index of the current one.
    Scope(usize),
    Review,
    /// Editing the note of an item.
    Note {
        item: usize,
        editor: Box<Editor>,
    },
    Form(Form),
    /// Typing a search; the query before it started, restored by Esc.
    Search {
        input: Box<Editor>,
        before: String,
    },
    /// Confirming a sign-off with this role; how far the summary above the signer is
    /// scrolled.
    ConfirmSign {
        role: String,
        scroll: u16,
    },
    /// Why the review cannot be signed off yet; scroll offset.
    Blockers(u16),
    /// The key list: scroll offset, and the scope question to go back to when it was
    /// opened from the scope screen (`None`: back to the review).
    Help {
        scroll: u16,
        scope: Option<usize>,
    },
    /// A signed review, about to be changed: the key that would change it, replayed on y,
    /// and the scope question on screen, if that is where it was pressed.
    ConfirmEdit {
        pending: ratatui::crossterm::event::KeyEvent,
        scope: Option<usize>,
    },
    /// Scope question `index` about to be answered no, making `count` answered items not
    /// applicable.
    ConfirmScope {
        index: usize,
        count: usize,
    },
    /// Choosing the policy version in force: the highlighted document (in the order of
    /// [`ChecklistSet::policy_versions`]), and the scope question to go back to.
    Policy {
        cursor: usize,
        scope: Option<usize>,
    },
    /// Confirming every unchanged carried answer of an area: how many.
    ConfirmArea {
        area: usize,
        count: usize,
    },
    /// The file changed on disk under the review: reload and re-apply, or write beside.
    Changed,
    /// Quitting with answers that are not on disk: write them elsewhere, or quit anyway.
    Unsaved,
}

/// How a status message reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warn,
    Error,
}

/// Whether the answers on screen are on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Everything is on disk (or nothing was answered yet in a new file).
    Yes,
    /// The last save failed (disk full, read-only); the answers are kept in memory and
    /// saving is retried.
    Failed(String),
    /// Saving stopped: the file on disk is no longer the one this review read (or its lock
    /// was lost). Nothing is written over it until the reviewer chooses: reload it and
    /// re-apply their changes, or write theirs beside it.
    Stopped(String),
}

/// A change to the results in progress ([`App::edit`]); dropping it brings the review's
/// caches up to date.
pub struct Edit<'a> {
    app: &'a mut App,
}

impl std::ops::Deref for Edit<'_> {
    type Target = Results;
    fn deref(&self) -> &Results {
        &self.app.results
    }
}

impl std::ops::DerefMut for Edit<'_> {
    fn deref_mut(&mut self) -> &mut Results {
        &mut self.app.results
    }
}

impl Drop for Edit<'_> {
    fn drop(&mut self) {
        self.app.results_changed();
    }
}

/// The whole state of a review.
pub struct App {
    pub set: ChecklistSet,
    /// The review's results: read with [`App::results`], changed only through
    /// [`App::edit`], which keeps what is worked out from them right.
    results: Results,
    pub path: PathBuf,
    /// `Some(holder)` when another process holds the lock: nothing can be changed.
    /// `Some(why)` when nothing can be changed: another process holds the lock ("NAME is
    /// editing this file"), or the review was opened with `--read-only`.
    pub read_only: Option<String>,
    /// Index of the selected item in checklist order.
    pub selected: usize,
    pub focus: Focus,
    pub detail_scroll: u16,
    /// How far the scope screen's help of the current question is scrolled (PgDn).
    pub scope_help_scroll: u16,
    pub mode: Mode,
    pub filter: Filter,
    /// Only items of this severity (combined with the filter and the search).
    pub severity: Option<Severity>,
    /// The list shows each item's id before its question (`i`).
    pub show_ids: bool,
    pub search: String,
    pub message: Option<(Level, String)>,
    pub saved: Saved,
    /// The reviewer recorded with answers.
    pub reviewer: String,
    /// Who will sign and with which key, as shown before signing.
    pub signer: SignerInfo,
    pub today: Date,
    /// First item index of each checklist, plus the total at the end.
    starts: Vec<usize>,
    pub quit: bool,
    /// `results.content_digest()`, once needed, until the results change
    /// ([`App::results_changed`]): the header shows the sign-offs' state on every frame.
    content_digest: OnceCell<String>,
    /// The content as it was before each change, newest last: `z` goes back one step
    /// (exactly: times and sign-offs included).
    undo: Vec<Results>,
    /// Set while a key is handled: the first change it makes is remembered for undo (one
    /// step per key, however many answers it changes).
    undo_armed: bool,
    /// `Some(who)` while a signed review is only being looked at: the first change asks
    /// first ("This review is signed by WHO").
    pub signed_by: Option<String>,
    /// The results as the file on disk holds them, as far as the review knows (last read or
    /// saved): what "unsaved" is counted against and changes are re-applied from.
    disk: Results,
    /// Each item's digest under the results' schema, once needed (the set does not change
    /// during a review).
    item_digests: Vec<OnceCell<String>>,
    /// The schema `item_digests` were worked out for.
    digests_schema: u32,
}

impl App {
    /// The review of `results` against `set`, saved at `path`, with overdue dates judged
    /// as of `today`. Who reviews and signs is set with [`App::with_identity`] (the shell
    /// works it out after the first frame).
    pub fn new(set: ChecklistSet, results: Results, path: PathBuf, today: Date) -> App {
        let mut starts = Vec::with_capacity(set.checklists.len() + 1);
        let mut n = 0;
        for c in &set.checklists {
            starts.push(n);
            n += c.items.len();
        }
        starts.push(n);
        let mode = if results.unanswered_scope(&set).is_empty() { Mode::Review } else { Mode::Scope(0) };
        let mut app = App {
            set,
            undo: Vec::new(),
            undo_armed: false,
            signed_by: None,
            disk: results.clone(),
            results,
            path,
            read_only: None,
            selected: 0,
            focus: Focus::Items,
            detail_scroll: 0,
            scope_help_scroll: 0,
            mode,
            filter: Filter::All,
            severity: None,
            show_ids: false,
            search: String::new(),
            message: None,
            saved: Saved::Yes,
            reviewer: String::new(),
            signer: SignerInfo::default(),
            today,
            starts,
            quit: false,
            content_digest: OnceCell::new(),
            item_digests: Vec::new(),
            digests_schema: 0,
        };
        app.digests_schema = app.results.schema;
        // A signed review opens for looking: the first change asks first.
        if app.results.is_signed() {
            let who: Vec<String> = app.results.signoffs.iter().map(|s| format!("{} as {}", s.name, s.role)).collect();
            let who = who.join(" and ");
            app.message = Some((Level::Info, format!("Signed by {who}: viewing. The first change asks first.")));
            app.signed_by = Some(who);
        }
        app.item_digests = (0..app.item_count()).map(|_| OnceCell::new()).collect();
        if let Mode::Scope(_) = app.mode {
            let first = app.first_unanswered_scope().unwrap_or(0);
            app.mode = Mode::Scope(first);
            // A new review asks first which version of the policy the product publishes.
            if app.results.policy.is_none() && !app.set.policy_versions().is_empty() {
                app.mode = Mode::Policy { cursor: 0, scope: Some(first) };
            }
        }
        app
    }

    /// Makes the review read-only (`why` says why: another process holds the lock, or
    /// `--read-only`, or browse): it opens on the review itself, not on the version chooser
    /// or the scope questions a reader cannot answer.
    pub fn make_read_only(&mut self, why: impl Into<String>) {
        self.read_only = Some(why.into());
        if matches!(self.mode, Mode::Scope(_) | Mode::Policy { .. }) {
            self.mode = Mode::Review;
        }
    }

    /// The reviewer recorded with answers, and how the signer is described before signing.
    pub fn with_identity(mut self, reviewer: impl Into<String>, signer: SignerInfo) -> App {
        self.reviewer = reviewer.into();
        self.signer = signer;
        self
    }

    pub fn item_count(&self) -> usize {
        *self.starts.last().unwrap_or(&0)
    }

    /// The item at index `i` in checklist order.
    pub fn item(&self, i: usize) -> &Item {
        let area = self.area_of(i);
        &self.set.checklists[area].items[i - self.starts[area]]
    }

    pub fn area_of(&self, i: usize) -> usize {
        self.starts.partition_point(|&s| s <= i).saturating_sub(1).min(self.set.checklists.len().saturating_sub(1))
    }

    pub fn area_range(&self, area: usize) -> std::ops::Range<usize> {
        self.starts[area]..self.starts[area + 1]
    }

    pub fn area(&self) -> usize {
        self.area_of(self.selected)
    }

    pub fn first_unanswered_scope(&self) -> Option<usize> {
        self.set.scope.iter().position(|q| !self.results.scope.contains_key(&q.id))
    }

    /// The digest of item `i` ([`Item::digest`]), computed once.
    pub fn item_digest(&self, i: usize) -> &str {
        self.item_digests[i].get_or_init(|| self.results.item_digest(&self.set, self.item(i)))
    }

    /// The results as they are now.
    pub fn results(&self) -> &Results {
        &self.results
    }

    /// How many changes `z` can take back.
    pub const UNDO_DEPTH: usize = 200;

    /// While `on`, the first change to the results is remembered for undo
    /// ([`crate::tui::update::handle_key`] arms it for each key).
    pub fn arm_undo(&mut self, on: bool) {
        self.undo_armed = on;
    }

    /// Remembers the results as they are, before a change, once per armed key.
    fn remember(&mut self) {
        if !self.undo_armed {
            return;
        }
        self.undo_armed = false;
        if self.undo.len() == Self::UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.undo.push(self.results.clone());
    }

    /// Takes back the last change: the results exactly as they were before it. Returns what
    /// came back, in words, and selects the item when it was one.
    pub fn undo(&mut self) -> Option<String> {
        let before = self.undo.pop()?;
        let after = std::mem::replace(&mut self.results, before);
        self.results_changed();
        Some(self.came_back(&after))
    }

    /// How many changes `z` can take back.
    pub fn undo_steps(&self) -> usize {
        self.undo.len()
    }

    /// Forgets the undo history (after a sign-off or a reload: what it held is no longer
    /// what the file was).
    pub fn forget_undo(&mut self) {
        self.undo.clear();
    }

    /// What differs between the results now and `other`, said as what is back: "ID is back
    /// to pass", "3 answers are back as they were", "scope Q is back to unanswered".
    fn came_back(&mut self, other: &Results) -> String {
        let changed: Vec<usize> = (0..self.results.answers.len())
            .filter(|&i| other.answers.get(i) != Some(&self.results.answers[i]))
            .collect();
        let mut parts = Vec::new();
        match changed.as_slice() {
            [] => {}
            [i] => {
                let a = &self.results.answers[*i];
                let carried = if a.to_confirm() { ", to confirm" } else { "" };
                parts.push(format!(
                    "{} is back to {}{carried}",
                    crate::render::text::escape_controls(&self.item(*i).id),
                    a.status.label()
                ));
                self.selected = *i;
            }
            many => parts.push(format!("{} answers are back as they were", many.len())),
        }
        for q in &self.set.scope {
            let (now, then) = (self.results.scope.get(&q.id), other.scope.get(&q.id));
            if now != then {
                let word = match now {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "unanswered",
                };
                parts.push(format!("scope {} is back to {word}", q.id));
            }
        }
        if self.results.policy != other.policy {
            parts.push("the policy version is back as it was".into());
        }
        if parts.is_empty() { "nothing changed".into() } else { parts.join("; ") }
    }

    /// The shell saved the results as they are now.
    pub fn saved_now(&mut self) {
        self.disk = self.results.clone();
        self.saved = Saved::Yes;
    }

    /// The answers were written beside the results file: nothing is lost by quitting now.
    /// (Saving to the results file itself stays stopped.) A quit that was waiting goes on.
    pub fn written_beside(&mut self) {
        self.disk = self.results.clone();
        if matches!(self.mode, Mode::Unsaved) {
            self.mode = Mode::Review;
            self.quit = true;
        }
    }

    /// How many answers (and scope answers) differ from what the file on disk holds.
    pub fn unsaved(&self) -> usize {
        let answers = self.results.answers.iter().zip(&self.disk.answers).filter(|(a, b)| a != b).count();
        let extra = self.results.answers.len().abs_diff(self.disk.answers.len());
        let scope = self.results.scope.iter().filter(|(k, v)| self.disk.scope.get(*k) != Some(v)).count()
            + self.disk.scope.keys().filter(|k| !self.results.scope.contains_key(*k)).count();
        let policy = usize::from(self.results.policy != self.disk.policy);
        let signoffs = usize::from(self.results.signoffs != self.disk.signoffs);
        answers + extra + scope + policy + signoffs
    }

    /// The file on disk changed to `theirs`: the review takes it, with the reviewer's own
    /// changes since the last save applied on top (each changed answer, scope answer and
    /// the policy version; their sign-offs are kept only where they still match). Returns
    /// how many changes were applied.
    pub fn reload(&mut self, mut theirs: Results) -> usize {
        theirs.align(&self.set);
        let mut applied = 0;
        for (i, (mine, base)) in self.results.answers.iter().zip(&self.disk.answers).enumerate() {
            if mine != base
                && let Some(slot) = theirs.answers.get_mut(i)
                && slot.item == mine.item
            {
                *slot = mine.clone();
                applied += 1;
            }
        }
        for (k, v) in &self.results.scope {
            if self.disk.scope.get(k) != Some(v) {
                theirs.scope.insert(k.clone(), *v);
                applied += 1;
            }
        }
        if self.results.policy != self.disk.policy {
            theirs.policy = self.results.policy.clone();
            applied += 1;
        }
        self.disk = theirs.clone();
        self.disk.align(&self.set);
        self.results = theirs;
        self.results_changed();
        self.forget_undo();
        applied
    }

    /// The results, to change them: when the returned guard goes, what was worked out from
    /// them (the content digest, the item digests of their schema) is worked out again.
    pub fn edit(&mut self) -> Edit<'_> {
        self.remember();
        Edit { app: self }
    }

    /// Changes the results with the checklist set at hand (scope answers, sign-offs); what
    /// was worked out from them is worked out again after.
    pub fn edit_with<R>(&mut self, f: impl FnOnce(&mut Results, &ChecklistSet) -> R) -> R {
        self.remember();
        let r = f(&mut self.results, &self.set);
        self.results_changed();
        r
    }

    /// Forgets what was worked out from the results (the content digest; the item digests
    /// when the schema changed). [`Edit`] calls it.
    fn results_changed(&mut self) {
        self.content_digest.take();
        if self.digests_schema != self.results.schema {
            // The results moved to another schema (Results::upgrade): other item digests.
            self.item_digests.iter_mut().for_each(|d| drop(d.take()));
            self.digests_schema = self.results.schema;
        }
    }

    /// Each sign-off with what it is worth now ([`Results::signoff_states`]), from the
    /// content digest worked out once per change of the results.
    pub fn signoff_states(&self) -> Vec<(&SignOff, SignOffState)> {
        if self.results.signoffs.is_empty() {
            return Vec::new();
        }
        let digest = self.content_digest.get_or_init(|| self.results.content_digest());
        self.results.signoff_states_for(digest)
    }

    /// Does the item need the reviewer's attention (for the "needs attention" filter)?
    pub fn needs_attention(&self, i: usize) -> bool {
        !self.results.answers[i].problems_for_digest(Some(self.item_digest(i))).is_empty()
    }

    /// Is a filter or a search narrowing the list?
    pub fn filtering(&self) -> bool {
        self.filter != Filter::All || self.severity.is_some() || !self.search.trim().is_empty()
    }

    /// What narrows the list, in words: "failed, high", "all, critical".
    pub fn filter_label(&self) -> String {
        match self.severity {
            Some(s) => format!("{}, {s}", self.filter.label()),
            None => self.filter.label().to_string(),
        }
    }

    /// The words of the search, lower-cased: what the list matches and highlights.
    pub fn search_words(&self) -> Vec<String> {
        self.search.split_whitespace().map(str::to_lowercase).collect()
    }

    fn matches(&self, i: usize, query: &[String]) -> bool {
        let a = &self.results.answers[i];
        let ok = match self.filter {
            Filter::All => true,
            Filter::Unanswered => a.status == Status::Unreviewed,
            Filter::Failed => a.status == Status::Fail,
            Filter::Attention => self.needs_attention(i),
        };
        if !ok || self.severity.is_some_and(|s| self.item(i).severity != s) {
            return false;
        }
        if query.is_empty() {
            return true;
        }
        let item = self.item(i);
        let hay = [&item.id, &item.question, &item.guidance, &a.note, &a.reason];
        query.iter().all(|word| {
            hay.iter().any(|h| h.to_lowercase().contains(word.as_str()))
                || a.evidence.iter().any(|e| e.to_lowercase().contains(word.as_str()))
        })
    }

    /// The items the list shows, as indices in checklist order: the current area's items,
    /// or, while filtering, every matching item of every area.
    pub fn visible(&self) -> Vec<usize> {
        if !self.filtering() {
            return self.area_range(self.area()).collect();
        }
        let query = self.search_words();
        (0..self.item_count()).filter(|&i| self.matches(i, &query)).collect()
    }

    /// The counts of one area.
    pub fn area_progress(&self, area: usize) -> Progress {
        Progress::of(&self.results.answers[self.area_range(area)])
    }

    /// Is the remediation of this failed item overdue?
    pub fn overdue(&self, i: usize) -> bool {
        self.results.answers[i].is_overdue(self.today)
    }
}
