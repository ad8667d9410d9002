//! `privcheck completions SHELL` and `privcheck man`: generated from the command-line
//! definition (`cli.rs`), so they never drift from it.

use super::Outcome;
use crate::error::{Error, Result};
use std::io::Write;

pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<Outcome> {
    let mut cmd = crate::cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "privcheck", &mut buf);
    out.write_all(&buf).map_err(Error::output)?;
    Ok(Outcome::Ok)
}

pub fn man(out: &mut dyn Write) -> Result<Outcome> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(crate::cli::command()).render(&mut buf).map_err(Error::output)?;
    out.write_all(&buf).map_err(Error::output)?;
    Ok(Outcome::Ok)
}
