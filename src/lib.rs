//! privcheck: walk a reviewer through a privacy policy's obligations as checklists, and
//! keep the answers as signed, deterministic TOML that CI can verify.
//!
//! The library holds everything; the binary (`src/main.rs`) only parses the command line
//! and maps outcomes to exit codes. See `README.md` for the user's view.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod error;
pub mod model;
pub mod report;
pub mod sign;
pub mod store;
pub mod text;
pub mod tui;
pub mod verify;
