//! SSH signatures for privcheck: creating and checking them, and reading
//! `allowed_signers` files.
//!
//! privcheck signs its reports the way git signs commits with an SSH key: with
//! `ssh-keygen -Y sign`, which writes an armored "SSHSIG" signature.  Signing
//! goes through `ssh-keygen` itself because that is the only way to get
//! ssh-agent, passphrase-protected keys and hardware (FIDO) keys for free, and
//! it is what the user's git already does (`keygen.rs`); which key, and which
//! program (git's `gpg.ssh.program`), come from git's config as git reads it
//! (`key_source.rs`).  Verifying happens in-process (`sshsig.rs`, with the
//! `ssh-key` crate), so a verifier needs no OpenSSH at all.
//!
//! Deciding *who* may sign is done with an `allowed_signers` file, the same
//! file `ssh-keygen -Y verify` and git's `gpg.ssh.allowedSignersFile` read.
//! The `ssh-key` crate does not parse that format, so this module does, the
//! way OpenSSH's own code does (see `allowed_signers.rs`): a line privcheck
//! cannot use is skipped with a [`Warning`], as ssh-keygen skips it, and does
//! not stop the other lines from working.
//!
//! Signatures made with an SSH certificate are verified too: a
//! `cert-authority` line trusts the CA that signed the certificate, under
//! OpenSSH's rules (see [`CertProblem`]).

mod allowed_signers;
mod certificate;
mod key_source;
mod keygen;
mod sshsig;
#[cfg(test)]
mod test_support;

use std::fmt;
use std::io;
use std::path::PathBuf;

pub use allowed_signers::{AllowedSigners, MAX_ALLOWED_SIGNERS_BYTES, Warning};
pub use key_source::{KeySource, find_key_in};
pub use keygen::sign;
pub use sshsig::{CertificateInfo, SignatureInfo, signature_info, signature_key, verify, verify_signature};

/// The SSHSIG namespace privcheck signs and verifies in.  A signature made for
/// another namespace (for example git's `git`) is never accepted.
pub const NAMESPACE: &str = "privcheck";

/// Why signing, verifying or reading an allowed_signers file failed.
#[derive(Debug)]
pub enum SignError {
    /// Reading a file or starting a program failed.
    Io {
        /// What was being done, e.g. "reading allowed signers file x".
        what: String,
        /// The underlying error.
        source: io::Error,
    },
    /// `ssh-keygen -Y sign` ran but produced no signature.
    Keygen {
        /// The program that was run: `ssh-keygen`, or git's `gpg.ssh.program`.
        program: String,
        /// The key file passed with `-f`.
        key: PathBuf,
        /// What went wrong (exit status, unexpected output).
        detail: String,
    },
    /// The armored signature text could not be decoded.
    Malformed(String),
    /// The signature was made for another namespace than [`NAMESPACE`].
    Namespace {
        /// The namespace the signature was made for.
        found: String,
    },
    /// The signature does not match the message: the message was changed
    /// after signing, or the signature belongs to other data.
    Mismatch {
        /// Fingerprint of the key named in the signature.
        fingerprint: String,
    },
    /// The signature is valid but its key is not allowed to sign for the
    /// principal.
    NotAllowed {
        /// The principal (identity) that was checked.
        principal: String,
        /// Fingerprint of the signing key.
        fingerprint: String,
        /// Why the allowed_signers file refuses it.
        reason: Box<Refusal>,
        /// Lines of the file that were skipped (see
        /// [`AllowedSigners::warnings`]) and may have been meant for this
        /// principal: their principals match it, or could not be read.
        skipped: Vec<Warning>,
    },
}

/// Why an allowed_signers file does not allow a key for a principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No line's principals pattern matches the principal.
    NoPrincipal {
        /// Origin of the allowed_signers file.
        origin: String,
    },
    /// Lines exist for the principal, but none lists this key.
    KeyNotListed {
        /// Origin of the allowed_signers file.
        origin: String,
        /// Lines that match the principal (with other keys).
        lines: Vec<usize>,
        /// Those of `lines` that are `cert-authority` lines, which match
        /// only signatures made with a certificate their key signed.
        cert_authority_lines: Vec<usize>,
        /// For a signature made with a certificate: the fingerprint of the
        /// CA key that signed it.
        certificate_ca: Option<String>,
    },
    /// A `cert-authority` line lists the CA that signed the signer's
    /// certificate, but the certificate does not allow signing as the
    /// principal at the time checked (OpenSSH's rules).
    Certificate {
        /// Origin of the allowed_signers file.
        origin: String,
        /// Line number.
        line: usize,
        /// What is wrong with the certificate.
        problem: CertProblem,
    },
    /// The line lists the key, but its `namespaces=` option excludes
    /// [`NAMESPACE`].
    Namespace {
        /// Origin of the allowed_signers file.
        origin: String,
        /// Line number.
        line: usize,
        /// The `namespaces=` pattern list.
        namespaces: String,
    },
    /// The line lists the key, but only from `valid-after` on.
    NotYetValid {
        /// Origin of the allowed_signers file.
        origin: String,
        /// Line number.
        line: usize,
        /// The `valid-after` time, unix seconds.
        valid_after: i64,
        /// The time checked, unix seconds.
        at: i64,
    },
    /// The line lists the key, but only until `valid-before`.
    Expired {
        /// Origin of the allowed_signers file.
        origin: String,
        /// Line number.
        line: usize,
        /// The `valid-before` time, unix seconds.
        valid_before: i64,
        /// The time checked, unix seconds.
        at: i64,
    },
}

/// Why a certificate signed by a trusted CA does not allow signing, checked
/// as OpenSSH's `sshkey_cert_check_authority` checks it for `ssh-keygen -Y
/// verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertProblem {
    /// It is a host certificate.
    NotUserCertificate,
    /// The time checked is before its validity (`ssh-keygen -s -V`).
    NotYetValid {
        /// Valid from, unix seconds.
        valid_after: u64,
        /// The time checked, unix seconds.
        at: i64,
    },
    /// The time checked is at or after the end of its validity.
    Expired {
        /// Valid until (exclusive), unix seconds.
        valid_before: u64,
        /// The time checked, unix seconds.
        at: i64,
    },
    /// It lists no principals (OpenSSH then refuses it for any).
    NoPrincipals,
    /// The principal is not one of its principals (compared exactly, as
    /// OpenSSH does: no wildcards).
    PrincipalNotListed {
        /// The certificate's principals.
        principals: Vec<String>,
    },
}

fn show_cert_time(t: u64) -> String {
    match i64::try_from(t) {
        Ok(t) => show_time(t),
        Err(_) => "forever".to_string(),
    }
}

impl fmt::Display for CertProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertProblem::NotUserCertificate => write!(f, "is a host certificate, not a user certificate"),
            CertProblem::NotYetValid { valid_after, at } => write!(
                f,
                "is valid only from {} on, but the time checked is {}",
                show_cert_time(*valid_after),
                show_time(*at)
            ),
            CertProblem::Expired { valid_before, at } => write!(
                f,
                "was valid only before {}, but the time checked is {}",
                show_cert_time(*valid_before),
                show_time(*at)
            ),
            CertProblem::NoPrincipals => write!(f, "lists no principals (OpenSSH requires one)"),
            CertProblem::PrincipalNotListed { principals } => {
                write!(f, "is only for {}", principals.join(", "))
            }
        }
    }
}

fn show_time(t: i64) -> String {
    match jiff::Timestamp::from_second(t) {
        Ok(ts) => ts.to_string(),
        Err(_) => format!("{t} (unix seconds)"),
    }
}

fn show_lines(lines: &[usize]) -> String {
    lines.iter().map(|l| l.to_string()).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NoPrincipal { origin } => {
                write!(f, "{origin} has no line for this principal")
            }
            Refusal::KeyNotListed { origin, lines, cert_authority_lines, certificate_ca } => {
                let plural = if lines.len() == 1 { "" } else { "s" };
                match certificate_ca {
                    Some(ca) => write!(
                        f,
                        "neither the certificate nor its CA key {ca} is listed for this principal in {origin} \
                         (line{plural} {} list other keys)",
                        show_lines(lines)
                    ),
                    None => {
                        write!(
                            f,
                            "the key is not listed for this principal in {origin} (line{plural} {} list other keys",
                            show_lines(lines)
                        )?;
                        if !cert_authority_lines.is_empty() {
                            write!(
                                f,
                                "; cert-authority lines ({}) accept only signatures made with a certificate",
                                show_lines(cert_authority_lines)
                            )?;
                        }
                        write!(f, ")")
                    }
                }
            }
            Refusal::Certificate { origin, line, problem } => {
                write!(f, "{origin}:{line} trusts the certificate's CA, but the certificate {problem}")
            }
            Refusal::Namespace { origin, line, namespaces } => {
                write!(f, "{origin}:{line} allows the key only in namespaces \"{namespaces}\", not \"{NAMESPACE}\"")
            }
            Refusal::NotYetValid { origin, line, valid_after, at } => write!(
                f,
                "{origin}:{line} allows the key only from {} on (valid-after), but the time checked is {}",
                show_time(*valid_after),
                show_time(*at)
            ),
            Refusal::Expired { origin, line, valid_before, at } => write!(
                f,
                "{origin}:{line} allows the key only until {} (valid-before), but the time checked is {}",
                show_time(*valid_before),
                show_time(*at)
            ),
        }
    }
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::Io { what, source } => write!(f, "{what}: {source}"),
            SignError::Keygen { program, key, detail } => {
                write!(f, "{program} could not sign with {}: {detail}", key.display())
            }
            SignError::Malformed(detail) => write!(f, "malformed SSH signature: {detail}"),
            SignError::Namespace { found } => write!(
                f,
                "signature was made for namespace \"{found}\", not \"{NAMESPACE}\" (it was not made by privcheck)"
            ),
            SignError::Mismatch { fingerprint } => write!(
                f,
                "signature by {fingerprint} does not match the data: it was changed after signing, or the signature belongs to other data"
            ),
            SignError::NotAllowed { principal, fingerprint, reason, skipped } => {
                write!(f, "key {fingerprint} is not allowed to sign as {principal}: {reason}")?;
                for w in skipped {
                    write!(f, "; skipped, as ssh-keygen skips it: {}:{}: {}", w.origin, w.line, w.message)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for SignError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SignError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
