//! privcheck's integration tests, in one crate (one binary to build and link): a module per
//! subject, the helpers they share in `support/`, and data only in `tests/fixtures/`.
//!
//! Run one subject with its module path, e.g. `cargo test --test it faults::`.

mod support;

mod browse;
mod cli;
mod contract;
mod diff;
mod docs;
mod export;
mod faults;
mod gate;
mod init;
mod lint;
mod merge;
mod new;
mod parsers;
mod paths;
mod pty;
mod report;
mod results_file;
mod sign;
mod tui_render;
mod tui_update;
mod upgrade;
mod verify;
mod writes;
