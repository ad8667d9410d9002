//! The `privcheck` binary: parse the command line, run, map the outcome to an exit code
//! (0 ok, 1 findings, 2 usage or input errors).

use clap::Parser;
use privcheck::cli::Cli;
use privcheck::cmd::{self, Outcome};
use std::process::ExitCode;

fn main() -> ExitCode {
    // A file-size limit (`ulimit -f`) must fail the write, not kill the process: the UI
    // then says the answer was not saved and keeps it.
    let _ = signal_hook::flag::register(
        signal_hook::consts::SIGXFSZ,
        std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    match cmd::run(cli) {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            // Messages quote files and arguments: never let them drive the terminal.
            eprintln!("privcheck: {}", privcheck::render::text::escape_controls_multiline(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}
