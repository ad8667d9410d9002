//! What a sign-off is worth: the one rule, used by `verify`, `report`, `diff`, the exports
//! and the review.
//!
//! A sign-off is worth something only while the content it signed is unchanged (its
//! digest matches) and its SSH signature was checked. The model does not check signatures
//! (that takes `sign`, and a signer list): the app does, and hands the verdict in as a
//! [`Signature`]; [`SignOffStatus::of`] then decides.

use crate::model::results::{SignOff, SignOffState};
use serde::Serialize;

/// What checking one sign-off's SSH signature found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "signature")]
pub enum Signature {
    /// The sign-off carries no signature.
    Absent,
    /// Nobody checked it.
    NotChecked,
    /// It verifies and was made by the key the sign-off names, but no signer list was in
    /// force: nothing says this key may sign as this person.
    Unverified { key: String },
    /// It verifies, and the signer list in force allows its key for this signer and role.
    Verified { key: String },
    /// It does not verify, was made by another key than the one named, or its signer is not
    /// allowed; `reason` says which, for people.
    Bad { reason: String },
}

impl Signature {
    /// The verdict for a sign-off nobody checked: absent or not checked.
    pub fn unchecked(s: &SignOff) -> Signature {
        if s.signature.is_some() { Signature::NotChecked } else { Signature::Absent }
    }
}

/// What a sign-off is worth, from best to worst; a file's overall state is its worst
/// sign-off's, or [`SignOffStatus::None`] without any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignOffStatus {
    /// Its digest matches the content and its signature was checked against a signer list.
    Valid,
    /// Its digest matches and it is signed, but who signed was not checked against a signer
    /// list.
    Unverified,
    /// Its digest matches, but it carries no SSH signature.
    Unsigned,
    /// The content changed after it was made.
    Void,
    /// Its digest matches, but its signature does not verify or its signer is not allowed.
    Invalid,
    /// Only as a file's overall state: no sign-off at all.
    None,
}

impl SignOffStatus {
    /// The rule: void when the content changed since; else what the signature check found.
    pub fn of(state: &SignOffState, signature: &Signature) -> SignOffStatus {
        match (state, signature) {
            (SignOffState::Void { .. }, _) => SignOffStatus::Void,
            (SignOffState::Current, Signature::Absent) => SignOffStatus::Unsigned,
            (SignOffState::Current, Signature::NotChecked | Signature::Unverified { .. }) => SignOffStatus::Unverified,
            (SignOffState::Current, Signature::Verified { .. }) => SignOffStatus::Valid,
            (SignOffState::Current, Signature::Bad { .. }) => SignOffStatus::Invalid,
        }
    }

    /// The word used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            SignOffStatus::Valid => "valid",
            SignOffStatus::Unverified => "unverified",
            SignOffStatus::Unsigned => "unsigned",
            SignOffStatus::Void => "void",
            SignOffStatus::Invalid => "invalid",
            SignOffStatus::None => "none",
        }
    }

    /// A longer explanation for people.
    pub fn explain(self) -> &'static str {
        match self {
            SignOffStatus::Valid => "valid (signature checked against the allowed signers)",
            SignOffStatus::Unverified => "unverified (signed, but the signer was not checked against allowed signers)",
            SignOffStatus::Unsigned => "unsigned (no SSH signature)",
            SignOffStatus::Void => "void (the answers changed after it was made)",
            SignOffStatus::Invalid => "invalid (its SSH signature does not verify or its signer is not allowed)",
            SignOffStatus::None => "not signed off",
        }
    }
}

/// The worst of `statuses`, or [`SignOffStatus::None`] when there are none.
pub fn overall(statuses: &[SignOffStatus]) -> SignOffStatus {
    statuses.iter().copied().max().unwrap_or(SignOffStatus::None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule() {
        let void = SignOffState::Void { signed: "a".into(), now: "b".into() };
        let current = SignOffState::Current;
        let key = || "SHA256:k".to_string();
        assert_eq!(SignOffStatus::of(&void, &Signature::Verified { key: key() }), SignOffStatus::Void);
        assert_eq!(SignOffStatus::of(&current, &Signature::Verified { key: key() }), SignOffStatus::Valid);
        assert_eq!(SignOffStatus::of(&current, &Signature::Unverified { key: key() }), SignOffStatus::Unverified);
        assert_eq!(SignOffStatus::of(&current, &Signature::NotChecked), SignOffStatus::Unverified);
        assert_eq!(SignOffStatus::of(&current, &Signature::Absent), SignOffStatus::Unsigned);
        assert_eq!(SignOffStatus::of(&current, &Signature::Bad { reason: "x".into() }), SignOffStatus::Invalid);
        assert_eq!(overall(&[]), SignOffStatus::None);
        assert_eq!(overall(&[SignOffStatus::Valid, SignOffStatus::Void]), SignOffStatus::Void);
    }
}
