//! The file formats as written, one module per format.

pub mod checklist;
