//! Results in the formats of the compliance tools that read them: NIST OSCAL assessment
//! results ([`oscal`]) and MITRE SAF attestations ([`saf`]).

pub mod oscal;
pub mod saf;
