//! What the commands and the review UI share, between the pure domain (`model`), the files
//! (`store`), signatures (`sign`) and the shells (`cmd`, `tui`): the user's config and the
//! active checklists ([`context`]), the clock ([`clock`]), git's config ([`git`]), and the
//! sign-off service ([`signoff`]: who signs, with which key, and what is refused).

pub mod clock;
pub mod config;
pub mod context;
pub mod cores;
pub mod git;
pub mod settings;
pub mod signers;
pub mod signoff;

pub use clock::Clock;
pub use context::Context;
