//! Helpers shared by the integration tests, in one place:
//!
//! - [`bin`]: the privcheck binary run in an isolated home, its output, fixture paths;
//! - [`results`]: results built with the library (a complete review of a checklist set);
//! - [`keys`]: SSH keys made by ssh-keygen, identities, allowed_signers files, signing;
//! - [`teams`]: several teams' results files, for the report and export tests;
//! - [`git`]: real git repositories, with the built privcheck on PATH;
//! - [`fixed`]: a fixed clock and key events, for the UI tests that need no terminal;
//! - [`pty`]: the real binary on a pseudo-terminal, read by a vt100 parser.
//!
//! `use crate::support::*` brings in the first three (what every test of the binary uses)
//! and the module names; the others are used by path.
#![allow(dead_code)]

pub mod bin;
pub mod fixed;
pub mod git;
pub mod keys;
pub mod pty;
pub mod results;
pub mod teams;

pub use bin::*;
pub use keys::*;
pub use results::*;
