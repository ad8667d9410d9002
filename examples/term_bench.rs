//! The whole-process and terminal measurements of privcheck, beside `dialog --checklist`,
//! printed as Markdown tables (README, "Performance"):
//!
//!     cargo run --release --example term_bench
//!
//! It builds the release binary, generates its inputs in a temporary directory (checklist
//! sets of 100 to 10,000 items, 1,000 signed results files) and runs the real programs on
//! a pseudo-terminal (portable-pty) whose output feeds a vt100 parser, as the pty tests do:
//!
//! - startup: from spawning the program to the last byte of its first frame (the frame is
//!   checked on the screen; the program then waits for a key, silent);
//! - keystrokes: the bytes written for each key, against the screen cells that actually
//!   changed (the vt100 screen before and after), and any full-screen clear;
//! - scale: `verify`, `report`, `sign --no-sign` (a load and an atomic save) on growing
//!   inputs, wall time and peak RSS (`/usr/bin/time`, Debian's `time` package);
//! - the same startup and keystroke figures for `dialog --checklist` (Debian's `dialog`)
//!   on the built-in item questions.
//!
//! `--runs N` repeats each timing N times (default 11) and reports the median; `--bin PATH`
//! measures another privcheck binary (an older build, to compare) instead of building;
//! `--keep` keeps the generated inputs.
//! Benchmarks, not tests: nothing here asserts a time.

#[path = "../benches/support/gen.rs"]
mod generated;

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use privcheck::model::checklist::ChecklistSet;
use privcheck::model::results::Results;
use privcheck::store::{checklist_file, results_file};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// The pseudo-terminal
// ---------------------------------------------------------------------------------------

/// What the program wrote, as the reader thread saw it.
struct Output {
    parser: vt100::Parser,
    bytes: Vec<u8>,
    /// When the last bytes arrived.
    last: Option<Instant>,
}

struct Term {
    _master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    out: Arc<Mutex<Output>>,
}

fn nz(n: u16) -> std::num::NonZero<u16> {
    std::num::NonZero::new(n.max(1)).unwrap()
}

/// The environment every program runs in: a clean one, like the pty tests'.
struct Env {
    home: PathBuf,
}

impl Term {
    fn start(env: &Env, dir: &Path, program: &Path, args: &[String], cols: u16, rows: u16) -> (Term, Instant) {
        let pair =
            native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("openpty");
        let mut cmd = CommandBuilder::new(program);
        cmd.env_clear();
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd.env("HOME", &env.home);
        cmd.env("XDG_CONFIG_HOME", env.home.join(".config"));
        cmd.env("GIT_CONFIG_GLOBAL", env.home.join(".gitconfig"));
        cmd.env("GIT_CONFIG_NOSYSTEM", "1");
        cmd.env("USER", "tester");
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        cmd.cwd(dir);
        for a in args {
            cmd.arg(a);
        }
        let out = Arc::new(Mutex::new(Output {
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            bytes: Vec::new(),
            last: None,
        }));
        let t0 = Instant::now();
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let o = Arc::clone(&out);
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let now = Instant::now();
                        let mut o = o.lock().unwrap();
                        o.parser.process(&buf[..n]);
                        o.bytes.extend_from_slice(&buf[..n]);
                        o.last = Some(now);
                    }
                }
            }
        });
        (Term { _master: pair.master, writer, child, out }, t0)
    }

    fn len(&self) -> usize {
        self.out.lock().unwrap().bytes.len()
    }

    fn screen_text(&self) -> String {
        self.out.lock().unwrap().parser.screen().contents()
    }

    /// Waits until `ready` holds of the screen; false after `timeout`.
    fn wait_until(&self, timeout: Duration, ready: &dyn Fn(&vt100::Screen) -> bool) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if ready(self.out.lock().unwrap().parser.screen()) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        false
    }

    /// Waits until nothing has arrived for `quiet`; returns when the last bytes came.
    fn wait_quiet(&self, quiet: Duration) -> Option<Instant> {
        loop {
            let last = self.out.lock().unwrap().last;
            match last {
                Some(t) if t.elapsed() >= quiet => return Some(t),
                None if quiet.is_zero() => return None,
                _ => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    /// Every cell of the screen: its text and everything that decides how it looks.
    fn cells(&self) -> Vec<String> {
        let o = self.out.lock().unwrap();
        let s = o.parser.screen();
        let (rows, cols) = s.size();
        let mut v = Vec::with_capacity(rows.get() as usize * cols.get() as usize);
        for r in 0..rows.get() {
            for c in 0..cols.get() {
                let cell = s.cell(r, c).unwrap();
                v.push(format!(
                    "{}|{:?}|{:?}|{}{}{}{}{}",
                    cell.contents(),
                    cell.fgcolor(),
                    cell.bgcolor(),
                    cell.bold() as u8,
                    cell.dim() as u8,
                    cell.italic() as u8,
                    cell.underline() as u8,
                    cell.inverse() as u8
                ));
            }
        }
        v
    }

    fn application_cursor(&self) -> bool {
        self.out.lock().unwrap().parser.screen().application_cursor()
    }

    fn exited(&mut self, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.child.try_wait().unwrap().is_some() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        false
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------
// The programs under test
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Prog {
    Privcheck,
    Dialog,
}

/// One program with its arguments, in a directory, and how to tell its first frame.
struct Subject {
    name: String,
    prog: Prog,
    program: PathBuf,
    args: Vec<String>,
    dir: PathBuf,
    /// Text that the complete first frame shows (its top and its last line).
    ready: Vec<&'static str>,
}

impl Subject {
    fn start(&self, env: &Env, cols: u16, rows: u16) -> (Term, Instant) {
        Term::start(env, &self.dir, &self.program, &self.args, cols, rows)
    }

    fn is_ready(&self, screen: &vt100::Screen) -> bool {
        let text = screen.contents();
        self.ready.iter().all(|r| text.contains(r))
    }

    fn quit(&self, t: &mut Term) {
        if self.prog == Prog::Privcheck {
            t.send(b"q");
            if !t.exited(Duration::from_secs(10)) {
                panic!("{}: did not quit; the screen shows:\n{}", self.name, t.screen_text());
            }
        }
        // dialog: killed when the Term is dropped.
    }
}

const QUIET: Duration = Duration::from_millis(250);

/// From spawning the program to the last byte of its first frame, `runs` times.
fn startup(env: &Env, s: &Subject, runs: usize) -> Vec<Duration> {
    let mut times = Vec::new();
    for _ in 0..runs {
        let (mut t, t0) = s.start(env, 80, 24);
        if !t.wait_until(Duration::from_secs(30), &|scr| s.is_ready(scr)) {
            panic!("{}: no first frame; the screen shows:\n{}", s.name, t.screen_text());
        }
        let last = t.wait_quiet(QUIET).unwrap();
        times.push(last - t0);
        s.quit(&mut t);
    }
    times
}

/// The cost of one key: bytes written, screen cells changed, clears, time to the frame.
struct KeyCost {
    bytes: usize,
    cells: usize,
    clears: usize,
    latency: Duration,
}

fn press(t: &mut Term, key: &[u8]) -> KeyCost {
    let before = t.cells();
    let n0 = t.len();
    let sent = Instant::now();
    t.send(key);
    // Wait for the answer (a key that changes nothing may write nothing at all).
    let start = Instant::now();
    while t.len() == n0 && start.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(1));
    }
    let last = t.wait_quiet(QUIET).unwrap();
    let after = t.cells();
    let written = t.out.lock().unwrap().bytes[n0..].to_vec();
    let cells = before.iter().zip(&after).filter(|(a, b)| a != b).count();
    let clears = count(&written, b"\x1b[2J") + count(&written, b"\x1b[J") + count(&written, b"\x1b[0J");
    KeyCost { bytes: written.len(), cells, clears, latency: last.saturating_duration_since(sent) }
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// A key as the program expects it: privcheck's own keys; dialog's arrows in the cursor
/// mode the program set.
#[derive(Clone, Copy)]
enum Key {
    Down,
    Up,
    Tab,
    Answer,
}

impl Key {
    fn bytes(self, prog: Prog, application_cursor: bool) -> &'static [u8] {
        match (self, prog) {
            (Key::Down, Prog::Privcheck) => b"j",
            (Key::Up, Prog::Privcheck) => b"k",
            (Key::Answer, Prog::Privcheck) => b"p",
            (Key::Down, Prog::Dialog) if application_cursor => b"\x1bOB",
            (Key::Down, Prog::Dialog) => b"\x1b[B",
            (Key::Up, Prog::Dialog) if application_cursor => b"\x1bOA",
            (Key::Up, Prog::Dialog) => b"\x1b[A",
            (Key::Answer, Prog::Dialog) => b" ",
            (Key::Tab, _) => b"\t",
        }
    }

    fn label(self, prog: Prog) -> &'static str {
        match (self, prog) {
            (Key::Down, Prog::Privcheck) => "j (next item)",
            (Key::Up, Prog::Privcheck) => "k (previous item)",
            (Key::Tab, Prog::Privcheck) => "Tab (next area)",
            (Key::Answer, Prog::Privcheck) => "p (pass, next unanswered)",
            (Key::Down, Prog::Dialog) => "Down (next item)",
            (Key::Up, Prog::Dialog) => "Up (previous item)",
            (Key::Tab, Prog::Dialog) => "Tab (list/buttons)",
            (Key::Answer, Prog::Dialog) => "Space (check the item)",
        }
    }
}

struct KeyRow {
    subject: String,
    size: (u16, u16),
    key: String,
    mean_bytes: f64,
    max_bytes: usize,
    mean_cells: f64,
    bytes_per_cell: f64,
    clears: usize,
    median_latency: Duration,
    first_frame_bytes: usize,
}

/// Five presses of each key, in order, on a `cols`x`rows` terminal.
fn keystrokes(env: &Env, s: &Subject, cols: u16, rows: u16) -> Vec<KeyRow> {
    let (mut t, _) = s.start(env, cols, rows);
    if !t.wait_until(Duration::from_secs(30), &|scr| s.is_ready(scr)) {
        panic!("{}: no first frame at {cols}x{rows}; the screen shows:\n{}", s.name, t.screen_text());
    }
    t.wait_quiet(QUIET);
    let first_frame_bytes = t.len();
    let mut rows_out = Vec::new();
    for key in [Key::Down, Key::Up, Key::Tab, Key::Answer] {
        let mut costs = Vec::new();
        for _ in 0..5 {
            let bytes = key.bytes(s.prog, t.application_cursor());
            costs.push(press(&mut t, bytes));
        }
        let bytes: usize = costs.iter().map(|c| c.bytes).sum();
        let cells: usize = costs.iter().map(|c| c.cells).sum();
        let mut lat: Vec<Duration> = costs.iter().map(|c| c.latency).collect();
        rows_out.push(KeyRow {
            subject: s.name.clone(),
            size: (cols, rows),
            key: key.label(s.prog).to_string(),
            mean_bytes: bytes as f64 / costs.len() as f64,
            max_bytes: costs.iter().map(|c| c.bytes).max().unwrap_or(0),
            mean_cells: cells as f64 / costs.len() as f64,
            bytes_per_cell: if cells == 0 { f64::NAN } else { bytes as f64 / cells as f64 },
            clears: costs.iter().map(|c| c.clears).sum(),
            median_latency: median(&mut lat),
            first_frame_bytes,
        });
    }
    s.quit(&mut t);
    rows_out
}

// ---------------------------------------------------------------------------------------
// Whole commands: time and peak memory
// ---------------------------------------------------------------------------------------

struct Run {
    what: String,
    command: String,
    median: Duration,
    min: Duration,
    rss_kb: Option<u64>,
    exit: i32,
}

fn command(env: &Env, dir: &Path, program: &Path, args: &[String]) -> Command {
    let mut c = Command::new(program);
    c.args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &env.home)
        .env("XDG_CONFIG_HOME", env.home.join(".config"))
        .env("GIT_CONFIG_GLOBAL", env.home.join(".gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("USER", "tester")
        .env("LANG", "C.UTF-8")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    c
}

/// Runs a command `runs` times for its wall time, and once more under `/usr/bin/time` for
/// its peak resident memory.
fn measure(env: &Env, dir: &Path, what: &str, shown: &str, program: &Path, args: &[String], runs: usize) -> Run {
    let mut times = Vec::new();
    let mut exit = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let out = command(env, dir, program, args).output().expect("run");
        times.push(start.elapsed());
        exit = out.status.code().unwrap_or(-1);
        if exit == 2 {
            panic!("{what}: exit 2: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
    let rss_kb = peak_rss(env, dir, program, args);
    let min = *times.iter().min().unwrap();
    Run { what: what.to_string(), command: shown.to_string(), median: median(&mut times), min, rss_kb, exit }
}

fn time_bin() -> Option<&'static Path> {
    let p = Path::new("/usr/bin/time");
    p.exists().then_some(p)
}

/// Peak RSS in KiB of one run, from GNU time's `%M`.
fn peak_rss(env: &Env, dir: &Path, program: &Path, args: &[String]) -> Option<u64> {
    let time = time_bin()?;
    let report = dir.join(".peak-rss");
    let mut full = vec!["-f".to_string(), "%M".to_string(), "-o".to_string(), report.display().to_string()];
    full.push(program.display().to_string());
    full.extend(args.iter().cloned());
    command(env, dir, time, &full).output().ok()?;
    let text = std::fs::read_to_string(&report).ok()?;
    std::fs::remove_file(&report).ok();
    text.lines().last()?.trim().parse().ok()
}

/// Peak RSS of an interactive session: the program under `/usr/bin/time` on a pty, the
/// first frame, the keys of the keystroke run, quit.
fn session_rss(env: &Env, s: &Subject) -> Option<u64> {
    let time = time_bin()?;
    let report = s.dir.join(".peak-rss-session");
    let mut args = vec!["-f".to_string(), "%M".to_string(), "-o".to_string(), report.display().to_string()];
    args.push(s.program.display().to_string());
    args.extend(s.args.iter().cloned());
    let (mut t, _) = Term::start(env, &s.dir, time, &args, 80, 24);
    if !t.wait_until(Duration::from_secs(30), &|scr| s.is_ready(scr)) {
        return None;
    }
    for key in [Key::Down, Key::Up, Key::Tab, Key::Answer] {
        for _ in 0..5 {
            let bytes = key.bytes(s.prog, t.application_cursor());
            t.send(bytes);
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    t.wait_quiet(QUIET);
    match s.prog {
        Prog::Privcheck => s.quit(&mut t),
        // dialog: Esc (twice: the first may be taken as the start of a sequence), then
        // wait for time to write its report.
        Prog::Dialog => {
            t.send(b"\x1b");
            std::thread::sleep(Duration::from_millis(100));
            t.send(b"\x1b");
            t.exited(Duration::from_secs(5));
        }
    }
    drop(t);
    let text = std::fs::read_to_string(&report).ok()?;
    std::fs::remove_file(&report).ok();
    text.lines().last()?.trim().parse().ok()
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 { format!("{ms:.2} ms") } else { format!("{ms:.1} ms") }
}

fn mib(kb: Option<u64>) -> String {
    kb.map_or("–".to_string(), |kb| format!("{:.1} MiB", kb as f64 / 1024.0))
}

// ---------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------

fn git(home: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .args(args)
        .env("HOME", home)
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git");
    assert!(ok.success(), "git {args:?}");
}

/// The reviewer: name and email in git's config (privcheck's defaults), an ed25519 key at
/// `~/.ssh/id_ed25519`, and no privcheck config file.
fn make_home(root: &Path) -> (Env, PathBuf) {
    let home = root.join("home");
    let ssh = home.join(".ssh");
    std::fs::create_dir_all(&ssh).unwrap();
    let key = ssh.join("id_ed25519");
    let ok = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "ann@example.com", "-f"])
        .arg(&key)
        .status()
        .expect("ssh-keygen (Debian's openssh-client)");
    assert!(ok.success());
    std::fs::write(home.join(".gitconfig"), "").unwrap();
    git(&home, &["config", "--global", "user.name", "Ann Example"]);
    git(&home, &["config", "--global", "user.email", "ann@example.com"]);
    (Env { home }, key)
}

/// A review under way: the scope answered (as a complete review answers it), no item yet.
fn in_progress(set: &ChecklistSet) -> Results {
    let complete = generated::complete_results(set, "Checkout");
    let mut r = Results::new("Checkout", generated::period(), set);
    r.scope = complete.scope;
    r.apply_scope(set, "privcheck (scope)", jiff::Timestamp::from_second(1_790_000_000).unwrap());
    r
}

/// A complete review of `set`, signed off with the reviewer's key (ssh-keygen).
fn signed(set: &ChecklistSet, product: &str, key: &Path) -> Results {
    let mut r = generated::complete_results(set, product);
    let s = &mut r.signoffs[0];
    let message = s.message(product, generated::period());
    let armored = privcheck::sign::sign(key, &message).expect("ssh-keygen -Y sign");
    let (fingerprint, _) = privcheck::sign::signature_key(&armored).unwrap();
    s.key = Some(fingerprint);
    s.signature = Some(armored);
    r
}

fn dir(root: &Path, name: &str) -> PathBuf {
    let d = root.join(name);
    std::fs::create_dir_all(&d).unwrap();
    d
}

// ---------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------

fn build() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    eprintln!("term_bench: building the release binary...");
    let ok = Command::new(cargo)
        .args(["build", "--release", "--locked", "--bin", "privcheck", "--manifest-path"])
        .arg(&manifest)
        .status()
        .expect("cargo build");
    assert!(ok.success(), "cargo build --release failed");
    // This example runs from TARGET/release/examples/.
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().and_then(Path::parent).unwrap().join("privcheck");
    assert!(bin.exists(), "{} not found", bin.display());
    bin
}

fn read_first_line(path: &str, key: &str) -> String {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| {
            t.lines().find(|l| l.starts_with(key)).map(|l| {
                l[key.len()..].trim_matches(|c: char| c == ':' || c == '=' || c.is_whitespace() || c == '"').to_string()
            })
        })
        .unwrap_or_else(|| "?".into())
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = read_first_line("/proc/cpuinfo", "model name");
    let mem = read_first_line("/proc/meminfo", "MemTotal");
    let mem = mem
        .trim_end_matches(" kB")
        .trim()
        .parse::<f64>()
        .map_or(mem.clone(), |kb| format!("{:.1} GiB", kb / 1024.0 / 1024.0));
    let os = read_first_line("/etc/os-release", "PRETTY_NAME");
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let dialog = Command::new("dialog")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    format!(
        "{cores} cores ({cpu}), {mem} memory, {os}, Linux {}; dialog {}",
        kernel.trim(),
        dialog.as_deref().unwrap_or("not installed")
    )
}

/// How many results files the command measurements use at most (and 10, 100, 1,000).
const FLEET: usize = 10_000;

fn main() {
    let mut runs = 11;
    let mut given_bin = None;
    let mut keep = false;
    let mut only: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).expect("--runs N"),
            // Another build of privcheck (an older commit, say), instead of building this one.
            "--bin" => given_bin = args.next().map(PathBuf::from),
            // Keep the generated inputs (their directory is printed) to look at them.
            "--keep" => keep = true,
            // Only some of the measurements: startup, keys, commands (comma-separated).
            "--only" => only = args.next().expect("--only WHAT").split(',').map(String::from).collect(),
            _ => {
                eprintln!(
                    "usage: cargo run --release --example term_bench [-- --runs N] [--bin PRIVCHECK] [--keep] [--only startup,keys,commands,browse]"
                );
                std::process::exit(2);
            }
        }
    }
    let bin = given_bin.unwrap_or_else(build);
    let wanted = |what: &str| only.is_empty() || only.iter().any(|o| o == what);
    let has_dialog = Command::new("dialog").arg("--version").output().is_ok();
    if !has_dialog {
        eprintln!("term_bench: dialog is not installed (apt-get install dialog): no comparison");
    }
    if time_bin().is_none() {
        eprintln!("term_bench: /usr/bin/time is missing (apt-get install time): no peak memory figures");
    }
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    let root = root.as_path();
    if keep {
        eprintln!("term_bench: keeping the inputs in {}", tmp.keep().display());
    }
    eprintln!("term_bench: generating inputs in {}...", root.display());
    let (env, key) = make_home(root);
    let builtin = checklist_file::builtin();

    // Checklist sets of 100, 1,000 and 10,000 items, on disk for --checklists.
    let sizes = [100usize, 1_000, 10_000];
    let mut gen_sets = Vec::new();
    for &n in &sizes {
        let d = root.join(format!("checklists-{n}"));
        generated::write_checklists(&d, n);
        gen_sets.push((n, d, generated::set(n)));
    }
    let (_, dir10k, set10k) = gen_sets.last().unwrap();

    // Reviews: a new one (no file: the scope questions first) and one under way.
    let new_builtin = dir(root, "new-builtin");
    let new_10k = dir(root, "new-10k");
    let wip_builtin = dir(root, "wip-builtin");
    results_file::save(&wip_builtin.join("privcheck-2026-Q4.toml"), &in_progress(&builtin)).unwrap();
    let wip_10k = dir(root, "wip-10k");
    results_file::save(&wip_10k.join("privcheck-2026-Q4.toml"), &in_progress(set10k)).unwrap();
    let complete_10k = dir(root, "complete-10k");
    results_file::save(&complete_10k.join("privcheck-2026-Q4.toml"), &generated::complete_results(set10k, "Checkout"))
        .unwrap();

    let review = |extra: &[&str]| -> Vec<String> {
        let mut a = vec!["--period".to_string(), "2026-Q4".to_string()];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let checklists_10k = ["--checklists", &dir10k.display().to_string()].map(String::from);
    let with10k = |v: Vec<String>| -> Vec<String> { checklists_10k.iter().cloned().chain(v).collect() };
    let scope_ready = vec!["Scope: what applies", "q quit"];
    // The built-in set declares its policy versions: a new review asks for the one in force first.
    let policy_ready = vec!["Which version of the policy", "Esc decide later"];
    let builtin_items = privcheck::store::checklist_file::builtin().item_count();
    let review_ready = vec!["Areas", "answered", "q quit"];
    let subject = |name: &str, args: Vec<String>, dir: &Path, ready: &Vec<&'static str>| Subject {
        name: name.to_string(),
        prog: Prog::Privcheck,
        program: bin.clone(),
        args,
        dir: dir.to_path_buf(),
        ready: ready.clone(),
    };
    let mut startups = vec![
        subject(
            &format!("privcheck, built-in ({builtin_items} items), new review"),
            review(&[]),
            &new_builtin,
            &policy_ready,
        ),
        subject(
            &format!("privcheck, built-in ({builtin_items} items), review file"),
            review(&[]),
            &wip_builtin,
            &review_ready,
        ),
        subject("privcheck, 10,000 items, new review", with10k(review(&[])), &new_10k, &scope_ready),
        subject("privcheck, 10,000 items, complete review file", with10k(review(&[])), &complete_10k, &review_ready),
    ];
    let dialog_dir = dir(root, "dialog");
    let dialog = has_dialog.then(|| {
        let mut args = vec![
            "--title".to_string(),
            "privcheck".to_string(),
            "--checklist".to_string(),
            format!("Privacy review: the {builtin_items} built-in items"),
            "0".to_string(),
            "0".to_string(),
            "0".to_string(),
        ];
        for (k, item) in builtin.items().enumerate() {
            args.extend([(k + 1).to_string(), item.question.clone(), "off".to_string()]);
        }
        Subject {
            name: format!("dialog --checklist, {builtin_items} items"),
            prog: Prog::Dialog,
            program: PathBuf::from("dialog"),
            args,
            dir: dialog_dir.clone(),
            ready: vec!["Privacy review", "<Cancel>"],
        }
    });
    if let Some(d) = &dialog {
        startups.push(Subject {
            name: d.name.clone(),
            prog: d.prog,
            program: d.program.clone(),
            args: d.args.clone(),
            dir: d.dir.clone(),
            ready: d.ready.clone(),
        });
    }

    // 10,000 results files of the built-in set, each a product's complete, signed review.
    let fleet_size = if wanted("commands") || wanted("browse") { FLEET } else { 0 };
    eprintln!("term_bench: signing {fleet_size} results files...");
    let fleet = dir(root, "fleet");
    let mut fleet_files = Vec::new();
    for k in 0..fleet_size {
        let path = fleet.join(format!("product-{k:05}.toml"));
        results_file::save(&path, &signed(&builtin, &format!("Product {k:05}"), &key)).unwrap();
        fleet_files.push(path);
    }
    let allowed = root.join("allowed_signers");
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let public: Vec<&str> = public.split_whitespace().take(2).collect();
    std::fs::write(&allowed, format!("ann@example.com namespaces=\"privcheck\" {}\n", public.join(" "))).unwrap();
    // Subsets of 10 and 100 files, for the growth.
    let mut fleets = Vec::new();
    for n in [10usize, 100, 1_000, 10_000].into_iter().filter(|&n| n <= fleet_size) {
        let d = if n == FLEET { fleet.clone() } else { dir(root, &format!("fleet-{n}")) };
        if n < FLEET {
            for f in &fleet_files[..n] {
                std::fs::copy(f, d.join(f.file_name().unwrap())).unwrap();
            }
        }
        let files: Vec<String> = (0..n).map(|k| d.join(format!("product-{k:05}.toml")).display().to_string()).collect();
        fleets.push((n, d, files));
    }
    // One complete results file per generated size.
    let mut singles = Vec::new();
    for (n, d, set) in &gen_sets {
        let file = root.join(format!("results-{n}.toml"));
        results_file::save(&file, &generated::complete_results(set, "Checkout")).unwrap();
        singles.push((*n, d.clone(), file));
    }

    // ---- measurements ----
    eprintln!("term_bench: browse...");
    let mut browse_rows = Vec::new();
    for (n, d, _) in fleets.iter().filter(|(n, ..)| *n >= 1_000 && wanted("browse")) {
        let args = ["browse", "--allowed-signers", &allowed.display().to_string(), &d.display().to_string()];
        // The first frame (the files still being read), then the frame with every row.
        let all = format!("{n} products");
        for (what, ready) in [("first frame", "Reading the results files"), ("every row", all.as_str())] {
            let s = subject(
                &format!("{n} files (built-in set, signed, allowed signers checked): {what}"),
                args.iter().map(|a| a.to_string()).collect(),
                root,
                &vec![ready.to_string().leak() as &'static str, "q quit"],
            );
            let mut t = startup(&env, &s, runs.min(5));
            let min = *t.iter().min().unwrap();
            browse_rows.push((s.name.clone(), median(&mut t), min));
        }
    }
    eprintln!("term_bench: startup...");
    // In turns (privcheck, dialog, privcheck, ...), so that drifts of the machine fall on all.
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); startups.len()];
    for _ in 0..if wanted("startup") { runs } else { 0 } {
        for (s, t) in startups.iter().zip(times.iter_mut()) {
            t.extend(startup(&env, s, 1));
        }
    }
    let mut startup_rows = Vec::new();
    for (s, t) in startups.iter().zip(times.iter_mut()).filter(|(_, t)| !t.is_empty()) {
        let min = *t.iter().min().unwrap();
        startup_rows.push((s.name.clone(), median(t), min));
    }

    eprintln!("term_bench: keystrokes...");
    let mut key_rows = Vec::new();
    let mut keyed = vec![
        subject("privcheck, built-in", review(&[]), &wip_builtin, &review_ready),
        subject("privcheck, 10,000 items", with10k(review(&[])), &wip_10k, &review_ready),
    ];
    if let Some(d) = dialog {
        keyed.push(d);
    }
    for s in keyed.iter().filter(|_| wanted("keys")) {
        for (cols, rows) in [(80, 24), (200, 60)] {
            // A fresh review file each time: p answers items.
            if s.prog == Prog::Privcheck {
                let set = if s.args.iter().any(|a| a == "--checklists") { set10k } else { &builtin };
                results_file::save(&s.dir.join("privcheck-2026-Q4.toml"), &in_progress(set)).unwrap();
            }
            key_rows.extend(keystrokes(&env, s, cols, rows));
        }
    }

    eprintln!("term_bench: peak memory of the sessions...");
    let mut session_rows = Vec::new();
    for s in keyed.iter().filter(|_| wanted("keys")) {
        if s.prog == Prog::Privcheck {
            let set = if s.args.iter().any(|a| a == "--checklists") { set10k } else { &builtin };
            results_file::save(&s.dir.join("privcheck-2026-Q4.toml"), &in_progress(set)).unwrap();
        }
        session_rows.push((s.name.clone(), session_rss(&env, s)));
    }

    eprintln!("term_bench: verify, report, sign...");
    let mut scale = Vec::new();
    let pc = |args: &[&str]| -> Vec<String> { args.iter().map(|s| s.to_string()).collect() };
    for (n, d, files) in fleets.iter().filter(|_| wanted("commands")) {
        let mut args =
            pc(&["verify", "--allowed-signers", &allowed.display().to_string(), "--require-role", "reviewer"]);
        args.extend(files.iter().cloned());
        scale.push(measure(
            &env,
            root,
            &format!("verify {n} files (built-in set, signed)"),
            "privcheck verify --allowed-signers F --require-role reviewer DIR/*.toml",
            &bin,
            &args,
            runs.min(7),
        ));
        let _ = d;
    }
    for (n, d, _) in fleets.iter().filter(|_| wanted("commands")) {
        scale.push(measure(
            &env,
            root,
            &format!("report {n} files (built-in set)"),
            "privcheck report DIR",
            &bin,
            &pc(&["report", &d.display().to_string()]),
            runs.min(7),
        ));
    }
    for (n, d, file) in singles.iter().filter(|_| wanted("commands")) {
        scale.push(measure(
            &env,
            root,
            &format!("verify 1 file of {n} items"),
            "privcheck --checklists GEN verify FILE",
            &bin,
            &pc(&["--checklists", &d.display().to_string(), "verify", &file.display().to_string()]),
            runs.min(7),
        ));
    }
    for (n, d, file) in singles.iter().filter(|_| wanted("commands")) {
        scale.push(measure(
            &env,
            root,
            &format!("load + save 1 file of {n} items"),
            "privcheck --checklists GEN sign --no-sign FILE",
            &bin,
            &pc(&["--checklists", &d.display().to_string(), "sign", "--no-sign", &file.display().to_string()]),
            runs.min(7),
        ));
    }

    // ---- the tables ----
    println!("Machine: {}.", machine());
    println!();
    println!("Startup, to the first complete frame on an 80x24 pseudo-terminal (median of {runs} runs):");
    println!();
    println!("| program and input | median | fastest |");
    println!("|---|---:|---:|");
    for (name, med, min) in &startup_rows {
        println!("| {name} | {} | {} |", ms(*med), ms(*min));
    }
    println!();
    println!(
        "privcheck browse, to its first complete frame on an 80x24 pseudo-terminal (median of {} runs):",
        runs.min(5)
    );
    println!();
    println!("| files, frame | median | fastest |");
    println!("|---|---:|---:|");
    for (name, med, min) in &browse_rows {
        println!("| {name} | {} | {} |", ms(*med), ms(*min));
    }
    println!();
    println!("Keystrokes: bytes written per key (5 presses each) against the screen cells that changed:");
    println!();
    println!(
        "| program | terminal | key | bytes, mean | bytes, max | cells changed, mean | bytes per changed cell | full clears | key to frame, median |"
    );
    println!("|---|---|---|---:|---:|---:|---:|---:|---:|");
    for r in &key_rows {
        println!(
            "| {} | {}x{} | {} | {:.0} | {} | {:.0} | {:.2} | {} | {} |",
            r.subject,
            r.size.0,
            r.size.1,
            r.key,
            r.mean_bytes,
            r.max_bytes,
            r.mean_cells,
            r.bytes_per_cell,
            r.clears,
            ms(r.median_latency)
        );
    }
    println!();
    println!("First frame, bytes: {}", {
        let mut seen = Vec::new();
        for r in &key_rows {
            let s = format!("{} {}x{}: {}", r.subject, r.size.0, r.size.1, r.first_frame_bytes);
            if !seen.contains(&s) {
                seen.push(s);
            }
        }
        seen.join("; ")
    });
    println!();
    println!("Peak memory (RSS) of an interactive session (first frame, the keys above, quit):");
    println!();
    println!("| program | peak RSS |");
    println!("|---|---:|");
    for (name, rss) in &session_rows {
        println!("| {name} | {} |", mib(*rss));
    }
    println!();
    println!("Whole commands (median of {} runs; peak RSS of one more run):", runs.min(7));
    println!();
    println!("| what | command | median | fastest | peak RSS | exit |");
    println!("|---|---|---:|---:|---:|---:|");
    for r in &scale {
        println!(
            "| {} | `{}` | {} | {} | {} | {} |",
            r.what,
            r.command,
            ms(r.median),
            ms(r.min),
            mib(r.rss_kb),
            r.exit
        );
    }
}
