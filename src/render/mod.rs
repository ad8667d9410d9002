//! Every non-interactive output: what `verify`, `diff`, `report` and `export` print, and the
//! one escaping layer all outside text goes through ([`text`]). Pure functions of the model
//! (and of the date passed in): no files, no clock, no terminal.

pub mod color;
pub mod diff;
pub mod export;
pub mod report;
pub mod text;
pub mod verify;
