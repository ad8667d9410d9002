//! A pseudo-terminal harness: runs the real binary on a pty, feeds a vt100 parser with
//! what it writes, sends keys, waits for text on the screen.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Term {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote.
    pub bytes: Arc<Mutex<Vec<u8>>>,
    /// Set by the reader thread when the pty is closed: every byte has been read.
    closed: Arc<AtomicBool>,
}

fn nz(n: u16) -> std::num::NonZero<u16> {
    std::num::NonZero::new(n.max(1)).unwrap()
}

pub const TIMEOUT: Duration = Duration::from_secs(15);

/// How often the screen and the child are looked at while waiting.
const POLL: Duration = Duration::from_millis(5);

impl Term {
    /// Starts privcheck with `args` in `dir`, HOME=`home`, on a `cols`x`rows` terminal.
    pub fn start(home: &Path, dir: &Path, args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Term {
        Term::start_program(Path::new(env!("CARGO_BIN_EXE_privcheck")), args, home, dir, env, cols, rows)
    }

    /// Starts `program` (privcheck, or a wrapper that runs it) the same way.
    pub fn start_program(
        program: &Path,
        args: &[&str],
        home: &Path,
        dir: &Path,
        env: &[(&str, &str)],
        cols: u16,
        rows: u16,
    ) -> Term {
        let pair =
            native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("openpty");
        let mut cmd = CommandBuilder::new(program);
        cmd.env_clear();
        cmd.env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd.env("HOME", home);
        cmd.env("XDG_CONFIG_HOME", home.join(".config"));
        cmd.env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"));
        cmd.env("GIT_CONFIG_NOSYSTEM", "1");
        cmd.env("USER", "tester");
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "C.UTF-8");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(dir);
        for a in args {
            cmd.arg(a);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn privcheck");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let closed = Arc::new(AtomicBool::new(false));
        let (p, b, c) = (Arc::clone(&parser), Arc::clone(&bytes), Arc::clone(&closed));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => {
                        c.store(true, Ordering::Release);
                        break;
                    }
                    Ok(n) => {
                        p.lock().unwrap().process(&buf[..n]);
                        b.lock().unwrap().extend_from_slice(&buf[..n]);
                    }
                }
            }
        });
        Term { master: pair.master, writer, child, parser, bytes, closed }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn alternate_screen(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    pub fn cursor_hidden(&self) -> bool {
        self.parser.lock().unwrap().screen().hide_cursor()
    }

    /// Waits until the screen shows `text`; panics with the screen after the timeout.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(POLL);
        }
        panic!("timed out waiting for {text:?}; the screen shows:\n{}", self.screen());
    }

    /// Waits until the screen no longer shows `text`.
    pub fn wait_gone(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if !self.screen().contains(text) {
                return;
            }
            std::thread::sleep(POLL);
        }
        panic!("timed out waiting for {text:?} to go; the screen shows:\n{}", self.screen());
    }

    pub fn send(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Sends Esc alone, with a pause so it is not read as the start of a sequence.
    pub fn esc(&mut self) {
        std::thread::sleep(Duration::from_millis(60));
        self.send("\x1b");
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn resize(&mut self, cols: u16, rows: u16) {
        // The parser first, so the frame the program draws for the new size lands on a
        // screen of that size.
        self.parser.lock().unwrap().screen_mut().set_size(nz(rows), nz(cols));
        self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    pub fn signal(&self, sig: &str) {
        let ok =
            std::process::Command::new("kill").arg(format!("-{sig}")).arg(self.pid().to_string()).status().unwrap();
        assert!(ok.success(), "kill -{sig} failed");
    }

    /// Waits for the program to exit; returns its exit code (signal deaths: 128+n is not
    /// reported by portable-pty, so a killed process reports what the platform says).
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        while start.elapsed() < TIMEOUT {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread drain the last bytes: it sees the pty close once
                // every process holding it has exited (a second at most, should a process
                // the program started hold it longer).
                let drained = Instant::now();
                while !self.closed.load(Ordering::Acquire) && drained.elapsed() < Duration::from_secs(1) {
                    std::thread::sleep(Duration::from_millis(1));
                }
                return status;
            }
            std::thread::sleep(POLL);
        }
        panic!("privcheck did not exit; the screen shows:\n{}", self.screen());
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
