//! Deciding who may sign: OpenSSH's `allowed_signers` format (see
//! `man ssh-keygen`, ALLOWED SIGNERS), the file `ssh-keygen -Y verify` and
//! git's `gpg.ssh.allowedSignersFile` read.  The `ssh-key` crate does not parse
//! it, so this module does, by following what OpenSSH's `sshsig.c` does line by
//! line rather than the man page: a shared file written for ssh-keygen must
//! mean the same thing here.
//!
//! * Each line is `principals [options] key [comment]`; blank lines and lines
//!   whose first non-blank is `#` are skipped.  The file is read as bytes and
//!   a line ends at a newline (or a NUL, as in C).
//! * `principals` is the first field, split off as OpenSSH's `strdelimw`
//!   does: it ends at a blank or a double quote, and a quote starts a quoted
//!   part that runs to the next quote (`"a@x, b@y"`).  It is a
//!   comma-separated pattern list (`*` and `?` wildcards on bytes, `!`
//!   negates, case-sensitive).
//! * The key is tried first; only when the rest of the line does not start
//!   with a key is its first field read as options: `cert-authority`,
//!   `namespaces="list"`, `valid-after="time"`, `valid-before="time"` (names
//!   case-insensitive, values double-quoted, empty options between commas
//!   ignored, anything else refused).  Times are `YYYYMMDD[HHMM[SS]]`, read as
//!   glibc's `strptime` and `mktime`/`timegm` read them for ssh-keygen: local
//!   time taken as standard (winter) time, or UTC with a `Z`/`UTC` suffix.
//! * A key is `type base64`, where the type must be one OpenSSH names
//!   (`rsa-sha2-256` and `rsa-sha2-512` are RSA too) and match the key data.
//!
//! A line that cannot be used is skipped, as ssh-keygen skips it, and kept as
//! a [`Warning`] naming the file and line; when a signature is refused, the
//! skipped lines that may have been meant for its principal are named too.

use std::fmt;
use std::io::{self, Read};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

use jiff::tz::TimeZone;
use ssh_key::{EcdsaCurve, PublicKey, public::KeyData};

use super::certificate::Certificate;

use super::sshsig::{SignerKey, base64_decode, fingerprint};
use super::{CertProblem, NAMESPACE, Refusal, SignError};

/// The largest allowed_signers file [`AllowedSigners::load`] reads: 1 MiB,
/// room for several thousand keys.
pub const MAX_ALLOWED_SIGNERS_BYTES: u64 = 1024 * 1024;

/// Why `meta` is not something to read as a file; None for a regular file.
fn not_a_file(meta: &std::fs::Metadata) -> Option<io::Error> {
    let t = meta.file_type();
    let what = if t.is_file() {
        return None;
    } else if t.is_dir() {
        return Some(io::Error::new(io::ErrorKind::IsADirectory, "it is a directory, not a file"));
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    };
    Some(io::Error::new(io::ErrorKind::InvalidInput, format!("it is {what}, not a regular file")))
}

fn too_large() -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("it is larger than {MAX_ALLOWED_SIGNERS_BYTES} bytes (1 MiB), the most privcheck reads"),
    )
}

/// The bytes of the regular file at `path`, at most
/// [`MAX_ALLOWED_SIGNERS_BYTES`].
fn read_bounded(path: &Path) -> io::Result<Vec<u8>> {
    if let Some(e) = not_a_file(&std::fs::metadata(path)?) {
        return Err(e);
    }
    // Non-blocking, in case a FIFO was put there since.
    let file = std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)?;
    let meta = file.metadata()?;
    if let Some(e) = not_a_file(&meta) {
        return Err(e);
    }
    if meta.len() > MAX_ALLOWED_SIGNERS_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(MAX_ALLOWED_SIGNERS_BYTES + 1).read_to_end(&mut bytes)?;
    // It may have grown since.
    if bytes.len() as u64 > MAX_ALLOWED_SIGNERS_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// A line of an allowed_signers file that was skipped because privcheck (like
/// ssh-keygen) cannot use it: a malformed key, an unknown option, a bad time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The origin given to [`AllowedSigners::parse`] (usually the file name).
    pub origin: String,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with the line.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}; the line is skipped", self.origin, self.line, self.message)
    }
}

/// The key on a line: a plain public key, or (rarely) a whole certificate,
/// which then matches only a signature made with that same certificate.
#[derive(Debug, Clone)]
enum LineKey {
    Plain(KeyData),
    Certificate(Box<Certificate>),
}

impl LineKey {
    /// The plain key (a certificate's own public key).
    fn plain(&self) -> &KeyData {
        match self {
            LineKey::Plain(k) => k,
            LineKey::Certificate(c) => c.public_key(),
        }
    }
}

/// One parsed line of an allowed_signers file.
#[derive(Debug, Clone)]
struct Entry {
    line: usize,
    principals: Vec<u8>,
    cert_authority: bool,
    namespaces: Option<Vec<u8>>,
    valid_after: Option<i64>,
    valid_before: Option<i64>,
    key: LineKey,
}

/// A parsed allowed_signers file: which keys may sign for which principals.
#[derive(Debug, Clone)]
pub struct AllowedSigners {
    origin: String,
    entries: Vec<Entry>,
    warnings: Vec<Warning>,
    /// For each warning, the principals field of its line when it could be
    /// read (None: the line may be meant for anyone).
    skipped_principals: Vec<Option<Vec<u8>>>,
}

impl AllowedSigners {
    /// Parse allowed_signers text.  `origin` (usually the file name) is used
    /// in messages, as `origin:line`.  Lines that cannot be used are skipped
    /// and listed in [`AllowedSigners::warnings`]; this does not fail (the
    /// `Result` is kept for callers that read files).
    pub fn parse(text: &str, origin: &str) -> Result<Self, SignError> {
        Ok(Self::parse_bytes(text.as_bytes(), origin, &TimeZone::system()))
    }

    /// [`AllowedSigners::parse`] of raw bytes (a file need not be UTF-8), with
    /// local times in `tz`.
    fn parse_bytes(bytes: &[u8], origin: &str, tz: &TimeZone) -> Self {
        let mut signers = AllowedSigners {
            origin: origin.to_string(),
            entries: vec![],
            warnings: vec![],
            skipped_principals: vec![],
        };
        for (index, raw) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
            let line = index + 1;
            // C strings end at a NUL: so does the line ssh-keygen sees.
            let raw = raw.iter().position(|&b| b == 0).map_or(raw, |nul| &raw[..nul]);
            match parse_line(raw, tz) {
                Ok(None) => {}
                Ok(Some(parsed)) => signers.entries.push(Entry {
                    line,
                    principals: parsed.principals,
                    cert_authority: parsed.options.cert_authority,
                    namespaces: parsed.options.namespaces,
                    valid_after: parsed.options.valid_after,
                    valid_before: parsed.options.valid_before,
                    key: parsed.key,
                }),
                Err(bad) => {
                    signers.warnings.push(Warning { origin: origin.to_string(), line, message: bad.message });
                    signers.skipped_principals.push(bad.principals);
                }
            }
        }
        signers
    }

    /// Read and parse an allowed_signers file; its path is the origin in
    /// messages.  Only a regular file (or a symlink to one) of at most
    /// [`MAX_ALLOWED_SIGNERS_BYTES`] is read: a directory, a FIFO, a device
    /// such as /dev/zero or a larger file is an error, at once (the file is
    /// opened without blocking and checked again once open).
    pub fn load(path: &Path) -> Result<Self, SignError> {
        let bytes = read_bounded(path).map_err(|source| SignError::Io {
            what: format!("reading allowed signers file {}", path.display()),
            source,
        })?;
        Ok(Self::parse_bytes(&bytes, &path.display().to_string(), &TimeZone::system()))
    }

    /// Number of usable key lines (comments, blank and skipped lines not
    /// counted).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the file lists no usable keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The lines that were skipped, in file order.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Is `public_key` allowed to sign as `principal` (an email address) in
    /// namespace [`NAMESPACE`] at time `at` (unix seconds)?
    ///
    /// A line applies when its principals pattern list matches `principal`
    /// (wildcards such as `*@example.com`, comma-separated lists, `!`
    /// negation, as ssh-keygen) and its key is `public_key`; its
    /// `namespaces="a,b"` option must then match [`NAMESPACE`], and `at` must
    /// lie within `valid-after`/`valid-before` (both inclusive).
    ///
    /// As in ssh-keygen, every line is tried and one that passes all checks
    /// is enough.  When none does, the error explains the most specific
    /// reason: no line for the principal, key not listed for it, or (for the
    /// first line that lists the key) namespace not permitted or outside the
    /// validity interval; and it names the skipped lines that may have been
    /// meant for the principal.  `cert-authority` lines never match a plain
    /// key.
    pub fn allows(&self, principal: &str, public_key: &PublicKey, at: i64) -> Result<(), SignError> {
        self.allows_signer(principal, &SignerKey::Plain(public_key.key_data().clone()), at)
    }

    /// [`AllowedSigners::allows`] for the key that made a signature, which
    /// may be a certificate.  As OpenSSH's `check_allowed_keys_line`: a plain
    /// line matches only the same plain key (or the same whole certificate);
    /// a `cert-authority` line matches a certificate signed by its key, which
    /// must then be a user certificate, valid at `at`, listing `principal`.
    pub(super) fn allows_signer(&self, principal: &str, signer: &SignerKey, at: i64) -> Result<(), SignError> {
        let mut principal_lines = Vec::new();
        let mut ca_lines = Vec::new();
        let mut first_refusal: Option<Refusal> = None;
        for entry in &self.entries {
            if !match_pattern_list(principal.as_bytes(), &entry.principals) {
                continue;
            }
            principal_lines.push(entry.line);
            let matched = match (entry.cert_authority, signer) {
                // As OpenSSH's sshkey_equal: a plain key never equals a certificate.
                (false, SignerKey::Plain(k)) => matches!(&entry.key, LineKey::Plain(l) if l == k),
                (false, SignerKey::Certificate(c)) => {
                    matches!(&entry.key, LineKey::Certificate(l) if same_certificate(l, c))
                }
                (true, SignerKey::Plain(_)) => {
                    ca_lines.push(entry.line);
                    false
                }
                (true, SignerKey::Certificate(c)) => {
                    ca_lines.push(entry.line);
                    if entry.key.plain() != c.signature_key() {
                        false
                    } else if let Err(problem) = check_certificate(c, principal, at) {
                        first_refusal.get_or_insert(Refusal::Certificate {
                            origin: self.origin.clone(),
                            line: entry.line,
                            problem,
                        });
                        false
                    } else {
                        true
                    }
                }
            };
            if !matched {
                continue;
            }
            match self.refusal(entry, at) {
                None => return Ok(()),
                Some(r) => {
                    first_refusal.get_or_insert(r);
                }
            }
        }
        let reason = match first_refusal {
            Some(r) => r,
            None if principal_lines.is_empty() => Refusal::NoPrincipal { origin: self.origin.clone() },
            None => Refusal::KeyNotListed {
                origin: self.origin.clone(),
                lines: principal_lines,
                cert_authority_lines: ca_lines,
                certificate_ca: match signer {
                    SignerKey::Plain(_) => None,
                    SignerKey::Certificate(c) => Some(fingerprint(c.signature_key())),
                },
            },
        };
        Err(SignError::NotAllowed {
            principal: principal.to_string(),
            fingerprint: fingerprint(signer.key_data()),
            reason: Box::new(reason),
            skipped: self.skipped_for(principal),
        })
    }

    /// The skipped lines that may have been meant for `principal`: those
    /// whose principals match it, or could not be read.
    fn skipped_for(&self, principal: &str) -> Vec<Warning> {
        self.warnings
            .iter()
            .zip(&self.skipped_principals)
            .filter(|(_, p)| p.as_ref().is_none_or(|p| match_pattern_list(principal.as_bytes(), p)))
            .map(|(w, _)| w.clone())
            .collect()
    }

    /// Why `entry`, which lists the key, does not allow it now; None when it
    /// does.
    fn refusal(&self, entry: &Entry, at: i64) -> Option<Refusal> {
        if let Some(ns) = &entry.namespaces
            && !match_pattern_list(NAMESPACE.as_bytes(), ns)
        {
            return Some(Refusal::Namespace {
                origin: self.origin.clone(),
                line: entry.line,
                namespaces: String::from_utf8_lossy(ns).into_owned(),
            });
        }
        if let Some(valid_after) = entry.valid_after
            && at < valid_after
        {
            return Some(Refusal::NotYetValid { origin: self.origin.clone(), line: entry.line, valid_after, at });
        }
        if let Some(valid_before) = entry.valid_before
            && at > valid_before
        {
            return Some(Refusal::Expired { origin: self.origin.clone(), line: entry.line, valid_before, at });
        }
        None
    }
}

/// The same certificate, byte for byte (OpenSSH's `cert_compare`).
fn same_certificate(a: &Certificate, b: &Certificate) -> bool {
    a.to_bytes() == b.to_bytes()
}

/// OpenSSH's `sshkey_cert_check_authority(cert, want_host = 0,
/// wildcard_pattern = 0, verify_time, principal)` as `ssh-keygen -Y verify`
/// calls it: a user certificate, `valid_after <= at < valid_before`, with
/// principals, one of which is `principal` exactly.
fn check_certificate(cert: &Certificate, principal: &str, at: i64) -> Result<(), CertProblem> {
    if !cert.is_user() {
        return Err(CertProblem::NotUserCertificate);
    }
    let when = i128::from(at);
    if when < i128::from(cert.valid_after()) {
        return Err(CertProblem::NotYetValid { valid_after: cert.valid_after(), at });
    }
    if when >= i128::from(cert.valid_before()) {
        return Err(CertProblem::Expired { valid_before: cert.valid_before(), at });
    }
    let principals = cert.valid_principals();
    if principals.is_empty() {
        return Err(CertProblem::NoPrincipals);
    }
    if !principals.iter().any(|p| p == principal.as_bytes()) {
        let principals = principals.iter().map(|p| String::from_utf8_lossy(p).into_owned()).collect();
        return Err(CertProblem::PrincipalNotListed { principals });
    }
    Ok(())
}

/// What a usable line says.
struct Parsed {
    principals: Vec<u8>,
    options: Options,
    key: LineKey,
}

/// Why a line is skipped, and its principals when they could be read.
struct Bad {
    principals: Option<Vec<u8>>,
    message: String,
}

#[derive(Default)]
struct Options {
    cert_authority: bool,
    namespaces: Option<Vec<u8>>,
    valid_after: Option<i64>,
    valid_before: Option<i64>,
}

/// The blanks of OpenSSH's `WHITESPACE` (field separators of `strdelimw`).
fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// C's `isspace` in the C locale (what `b64_pton` and `strptime` skip).
pub(super) fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn skip_blanks(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    &s[n..]
}

fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// OpenSSH's `strdelimw`: the first field of `s` and what follows it (past
/// blanks), or None when a quote is not closed.  The field ends at a blank or
/// a double quote; a quote is dropped and the field then runs to the next
/// quote (which is dropped too), and what follows that quote starts the next
/// field even without a blank.  The rest is None when nothing follows the
/// field at all.
fn strdelimw(s: &[u8]) -> Option<(Vec<u8>, Option<&[u8]>)> {
    let after = |rest: &'_ [u8]| -> usize { rest.iter().take_while(|&&b| is_whitespace(b)).count() };
    let Some(p) = s.iter().position(|&b| is_whitespace(b) || b == b'"') else {
        return Some((s.to_vec(), None));
    };
    if s[p] == b'"' {
        let close = p + 1 + s[p + 1..].iter().position(|&b| b == b'"')?;
        let mut field = s[..p].to_vec();
        field.extend_from_slice(&s[p + 1..close]);
        let rest = &s[close + 1..];
        return Some((field, Some(&rest[after(rest)..])));
    }
    let rest = &s[p + 1..];
    Some((s[..p].to_vec(), Some(&rest[after(rest)..])))
}

/// OpenSSH's `sshkey_advance_past_options`: the length of the options field
/// (up to the first blank outside double quotes; `\"` does not count), or
/// None when a quote is not closed.
fn options_len(s: &[u8]) -> Option<usize> {
    let mut quoted = false;
    let mut i = 0;
    while i < s.len() && (quoted || (s[i] != b' ' && s[i] != b'\t')) {
        if s[i] == b'\\' && s.get(i + 1) == Some(&b'"') {
            i += 1;
        } else if s[i] == b'"' {
            quoted = !quoted;
        }
        i += 1;
    }
    (!(i == s.len() && quoted)).then_some(i)
}

/// Which key a type name on a line stands for: OpenSSH's key implementation
/// names (not its short names such as `ED25519`, which `sshkey_read` does not
/// accept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Ed25519,
    SkEd25519,
    Ecdsa(EcdsaCurveId),
    SkEcdsa,
    Dsa,
    Rsa,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EcdsaCurveId {
    P256,
    P384,
    P521,
}

/// (name, family, is a certificate) for every key type OpenSSH reads.
const KEY_TYPES: &[(&str, Family, bool)] = &[
    ("ssh-ed25519", Family::Ed25519, false),
    ("ssh-ed25519-cert-v01@openssh.com", Family::Ed25519, true),
    ("sk-ssh-ed25519@openssh.com", Family::SkEd25519, false),
    ("sk-ssh-ed25519-cert-v01@openssh.com", Family::SkEd25519, true),
    ("ecdsa-sha2-nistp256", Family::Ecdsa(EcdsaCurveId::P256), false),
    ("ecdsa-sha2-nistp256-cert-v01@openssh.com", Family::Ecdsa(EcdsaCurveId::P256), true),
    ("ecdsa-sha2-nistp384", Family::Ecdsa(EcdsaCurveId::P384), false),
    ("ecdsa-sha2-nistp384-cert-v01@openssh.com", Family::Ecdsa(EcdsaCurveId::P384), true),
    ("ecdsa-sha2-nistp521", Family::Ecdsa(EcdsaCurveId::P521), false),
    ("ecdsa-sha2-nistp521-cert-v01@openssh.com", Family::Ecdsa(EcdsaCurveId::P521), true),
    ("sk-ecdsa-sha2-nistp256@openssh.com", Family::SkEcdsa, false),
    ("sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", Family::SkEcdsa, true),
    ("webauthn-sk-ecdsa-sha2-nistp256@openssh.com", Family::SkEcdsa, false),
    ("ssh-dss", Family::Dsa, false),
    ("ssh-dss-cert-v01@openssh.com", Family::Dsa, true),
    ("ssh-rsa", Family::Rsa, false),
    ("ssh-rsa-cert-v01@openssh.com", Family::Rsa, true),
    ("rsa-sha2-256", Family::Rsa, false),
    ("rsa-sha2-256-cert-v01@openssh.com", Family::Rsa, true),
    ("rsa-sha2-512", Family::Rsa, false),
    ("rsa-sha2-512-cert-v01@openssh.com", Family::Rsa, true),
];

fn family(key: &KeyData) -> Option<Family> {
    Some(match key {
        KeyData::Ed25519(_) => Family::Ed25519,
        KeyData::SkEd25519(_) => Family::SkEd25519,
        KeyData::Ecdsa(k) => Family::Ecdsa(match k.curve() {
            EcdsaCurve::NistP256 => EcdsaCurveId::P256,
            EcdsaCurve::NistP384 => EcdsaCurveId::P384,
            EcdsaCurve::NistP521 => EcdsaCurveId::P521,
        }),
        KeyData::SkEcdsaSha2NistP256(_) => Family::SkEcdsa,
        KeyData::Dsa(_) => Family::Dsa,
        KeyData::Rsa(_) => Family::Rsa,
        _ => return None,
    })
}

/// Does this field look like the start of a key (so that it cannot be an
/// options field that OpenSSH would accept)?
fn looks_like_key_type(field: &[u8]) -> bool {
    ["ssh-", "ecdsa-", "sk-", "rsa-", "webauthn-"].iter().any(|p| field.starts_with(p.as_bytes()))
}

/// OpenSSH's `sshkey_read`: a key `type base64` at the start of `s`.
fn read_key(s: &[u8]) -> Result<LineKey, String> {
    let type_len = s.iter().position(|&b| b == b' ' || b == b'\t');
    let type_end = type_len.unwrap_or(s.len());
    let name = &s[..type_end];
    let shown = show(&s[..s[..type_end].iter().position(|&b| is_whitespace(b)).unwrap_or(type_end)]);
    let Some(&(_, want, cert)) = KEY_TYPES.iter().find(|(n, ..)| n.as_bytes() == name) else {
        return Err(if type_len.is_none() && looks_like_key_type(name) {
            format!("missing base64 key data after key type \"{shown}\"")
        } else {
            format!("unknown key type \"{shown}\"")
        });
    };
    let rest = skip_blanks(&s[type_end..]);
    if rest.is_empty() {
        return Err(format!("missing base64 key data after key type \"{shown}\""));
    }
    let b64 = &rest[..rest.iter().position(|&b| b == b' ' || b == b'\t').unwrap_or(rest.len())];
    let blob = base64_decode(b64).ok_or_else(|| format!("invalid {shown} public key: the key data is not base64"))?;
    let invalid = |e: ssh_key::Error| format!("invalid {shown} public key: {e}");
    let (key, plain) = if cert {
        let c = Certificate::from_bytes(&blob).map_err(|e| format!("invalid {shown} certificate: {e}"))?;
        let plain = c.public_key().clone();
        (LineKey::Certificate(Box::new(c)), plain)
    } else {
        let k = PublicKey::from_bytes(&blob).map_err(invalid)?.key_data().clone();
        (LineKey::Plain(k.clone()), k)
    };
    match family(&plain) {
        Some(f) if f == want => Ok(key),
        _ => Err(format!("invalid {shown} public key: the key data is a {} key", plain.algorithm())),
    }
}

/// If `s` starts with `name` (ASCII case-insensitively), the rest.
fn strip_prefix_ci<'a>(s: &'a [u8], name: &str) -> Option<&'a [u8]> {
    let head = s.get(..name.len())?;
    head.eq_ignore_ascii_case(name.as_bytes()).then(|| &s[name.len()..])
}

/// OpenSSH's `opt_dequote`: a double-quoted value at the start of `s` (`\"`
/// stands for a quote); the value and the rest after the closing quote.
fn dequote<'a>(s: &'a [u8], name: &str) -> Result<(Vec<u8>, &'a [u8]), String> {
    let Some(body) = s.strip_prefix(b"\"") else {
        return Err(format!("option {name}: the value must be double-quoted, e.g. {name}=\"...\""));
    };
    let mut value = Vec::new();
    let mut i = 0;
    while i < body.len() && body[i] != b'"' {
        if body[i] == b'\\' && body.get(i + 1) == Some(&b'"') {
            i += 1;
        }
        value.push(body[i]);
        i += 1;
    }
    if i == body.len() {
        return Err(format!("option {name}: missing closing quote"));
    }
    Ok((value, &body[i + 1..]))
}

fn time_option(s: &[u8], name: &str, tz: &TimeZone) -> Result<(i64, usize), String> {
    let (value, rest) = dequote(s, name)?;
    let t = parse_time_in(&value, tz)
        .ok_or_else(|| format!("{name}: invalid time \"{}\" (use YYYYMMDD[HHMM[SS]][Z])", show(&value)))?;
    Ok((t, s.len() - rest.len()))
}

/// OpenSSH's `sshsigopt_parse` of the options field `s`.
fn parse_options(mut s: &[u8], tz: &TimeZone) -> Result<Options, String> {
    let mut opts = Options::default();
    while !s.is_empty() {
        let before = s.len();
        if let Some(rest) = strip_prefix_ci(s, "cert-authority") {
            opts.cert_authority = true;
            s = rest;
        } else if let Some(rest) = strip_prefix_ci(s, "namespaces=") {
            if opts.namespaces.is_some() {
                return Err("more than one namespaces option".to_string());
            }
            let (value, rest) = dequote(rest, "namespaces")?;
            opts.namespaces = Some(value);
            s = rest;
        } else if let Some(rest) = strip_prefix_ci(s, "valid-after=") {
            if opts.valid_after.is_some() {
                return Err("more than one valid-after option".to_string());
            }
            let (t, used) = time_option(rest, "valid-after", tz)?;
            opts.valid_after = Some(t);
            s = &rest[used..];
        } else if let Some(rest) = strip_prefix_ci(s, "valid-before=") {
            if opts.valid_before.is_some() {
                return Err("more than one valid-before option".to_string());
            }
            let (t, used) = time_option(rest, "valid-before", tz)?;
            opts.valid_before = Some(t);
            s = &rest[used..];
        }
        if s.is_empty() {
            break;
        }
        // Between options: a comma (an empty option, ",,", is allowed).
        match s.strip_prefix(b",") {
            Some([]) => return Err("options end with a comma".to_string()),
            Some(rest) => s = rest,
            None if s.len() == before => {
                let name = &s[..s.iter().position(|&b| b == b',' || b == b'=').unwrap_or(s.len())];
                return Err(format!(
                    "unknown option \"{}\" (ssh-keygen knows cert-authority, namespaces, valid-after and valid-before)",
                    show(name)
                ));
            }
            None => return Err(format!("unexpected \"{}\" after an option", show(s))),
        }
    }
    if let (Some(after), Some(before)) = (opts.valid_after, opts.valid_before)
        && before <= after
    {
        return Err("valid-before is not after valid-after".to_string());
    }
    Ok(opts)
}

/// One allowed_signers line (with its newline, if any), as OpenSSH's
/// `parse_principals_key_and_options` reads it.  Ok(None) for blank and
/// comment lines.
fn parse_line(raw: &[u8], tz: &TimeZone) -> Result<Option<Parsed>, Bad> {
    let text = &raw[raw.iter().take_while(|&&b| is_whitespace(b)).count()..];
    if text.is_empty() || text[0] == b'#' {
        return Ok(None);
    }
    let Some((principals, rest)) = strdelimw(text) else {
        return Err(Bad { principals: None, message: "principals: missing closing quote".to_string() });
    };
    let bad = |message: String| Bad { principals: Some(principals.clone()), message };
    let Some(rest) = rest.filter(|r| !r.is_empty()) else {
        return Err(bad("missing key after the principals".to_string()));
    };
    if principals.is_empty() {
        return Err(bad("empty principals".to_string()));
    }
    let (options, key) = match read_key(rest) {
        Ok(key) => (Options::default(), key),
        // A key type first: there are no options, the key is broken.
        Err(e) if looks_like_key_type(rest) => return Err(bad(e)),
        Err(_) => {
            let len = options_len(rest).ok_or_else(|| bad("options: missing closing quote".to_string()))?;
            let key_text = skip_blanks(rest.get(len + 1..).unwrap_or_default());
            if len == rest.len() || key_text.iter().all(|&b| is_whitespace(b)) {
                return Err(bad("missing key after the options".to_string()));
            }
            let options = parse_options(&rest[..len], tz).map_err(&bad)?;
            (options, read_key(key_text).map_err(&bad)?)
        }
    };
    Ok(Some(Parsed { principals, options, key }))
}

/// Parse an allowed_signers time in the system time zone; see
/// [`parse_time_in`].
#[cfg(test)]
fn parse_time(s: &str) -> Option<i64> {
    parse_time_in(s.as_bytes(), &TimeZone::system())
}

/// An allowed_signers time, read exactly as ssh-keygen's
/// `parse_absolute_time` reads it with glibc: `YYYYMMDD`, `YYYYMMDDHHMM` or
/// `YYYYMMDDHHMMSS`, each field as `strptime` reads a number (blanks before
/// it, up to its width, in range: day 1-31 whatever the month, seconds up to
/// 61), the overflow carried as `timegm`/`mktime` carry it (20200230 is
/// 2020-03-01).  With a `Z` or `UTC` suffix (any case) the time is UTC;
/// otherwise it is local time in `tz` taken as standard time, as `mktime`
/// takes it when told "no DST" (so in summer it lies an hour later than the
/// wall clock).  Returns unix seconds; None for an invalid time, one before
/// 1970 or exactly 0 (which ssh-keygen treats as unset).
fn parse_time_in(s: &[u8], tz: &TimeZone) -> Option<i64> {
    let (len, utc) = if s.len() > 1 && s[s.len() - 1].eq_ignore_ascii_case(&b'z') {
        (s.len() - 1, true)
    } else if s.len() > 3 && s[s.len() - 3..].eq_ignore_ascii_case(b"UTC") {
        (s.len() - 3, true)
    } else {
        (s.len(), false)
    };
    // parse_absolute_time rewrites the digits as "YYYY-MM-DDTHH:MM:SS" for
    // strptime; each field comes from a fixed slice of the input.
    let slots: &[(std::ops::Range<usize>, i64, i64)] = match len {
        8 => &[(0..4, 0, 9999), (4..6, 1, 12), (6..8, 1, 31)],
        12 => &[(0..4, 0, 9999), (4..6, 1, 12), (6..8, 1, 31), (8..10, 0, 23), (10..12, 0, 59)],
        14 => &[(0..4, 0, 9999), (4..6, 1, 12), (6..8, 1, 31), (8..10, 0, 23), (10..12, 0, 59), (12..14, 0, 61)],
        _ => return None,
    };
    let mut fields = [0i64, 1, 1, 0, 0, 0];
    for (i, (range, from, to)) in slots.iter().enumerate() {
        fields[i] = strptime_number(&s[range.clone()], *from, *to)?;
    }
    let [year, month, day, hour, minute, second] = fields;
    let wall = (days_from_civil(year, month) + day - 1) * 86_400 + hour * 3_600 + minute * 60 + second;
    let t = if utc { wall } else { mktime_standard(wall, tz) };
    (t > 0).then_some(t)
}

/// glibc `strptime`'s `get_number` on one field slice: blanks, then up to
/// `field.len()` digits (stopping early once another digit would pass `to`),
/// within `from..=to`, and nothing after.
fn strptime_number(field: &[u8], from: i64, to: i64) -> Option<i64> {
    let digits = &field[field.iter().take_while(|&&b| is_c_space(b)).count()..];
    let width = field.len();
    let mut value = 0i64;
    let mut used = 0;
    while used < digits.len() && digits[used].is_ascii_digit() && used < width {
        if used > 0 && value * 10 > to {
            break;
        }
        value = value * 10 + i64::from(digits[used] - b'0');
        used += 1;
    }
    (used > 0 && used == digits.len() && (from..=to).contains(&value)).then_some(value)
}

/// Days from 1970-01-01 to the first of `month` in `year` (proleptic
/// Gregorian), as `timegm` counts them.
fn days_from_civil(year: i64, month: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// glibc's `mktime` of a wall-clock time (as seconds counted as if it were
/// UTC) with `tm_isdst = 0`, the way ssh-keygen calls it: find the instant
/// showing that wall time; if it falls in DST (or none does), use instead the
/// UTC offset of the nearest instant that is not in DST (probing as glibc probes: steps of
/// 601200 s each way, up to 229222800 s).
fn mktime_standard(wall: i64, tz: &TimeZone) -> i64 {
    let info = |t: i64| {
        let ts = jiff::Timestamp::from_second(
            t.clamp(jiff::Timestamp::MIN.as_second() + 86_400, jiff::Timestamp::MAX.as_second() - 86_400),
        )
        .unwrap_or(jiff::Timestamp::UNIX_EPOCH);
        let info = tz.to_offset_info(ts);
        (i64::from(info.offset().seconds()), info.dst().is_dst())
    };
    let mut t = wall - info(wall).0;
    for _ in 0..6 {
        let next = wall - info(t).0;
        if next == t {
            break;
        }
        t = next;
    }
    let (offset, dst) = info(t);
    if !dst && t + offset == wall {
        return t;
    }
    // In DST, or no instant shows this wall time (the hour skipped in spring):
    // the offset of the nearest standard-time instant.
    const STRIDE: i64 = 601_200;
    const BOUND: i64 = 457_243_200 / 2 + STRIDE;
    let mut delta = STRIDE;
    while delta < BOUND {
        for probe in [t - delta, t + delta] {
            let (offset, dst) = info(probe);
            if !dst {
                return wall - offset;
            }
        }
        delta += STRIDE;
    }
    t
}

/// OpenSSH's `match_pattern`: `*` matches any run of bytes, `?` any one byte;
/// everything else literally, case-sensitively.
fn match_pattern(s: &[u8], p: &[u8]) -> bool {
    let (mut si, mut pi) = (0, 0);
    // Position after the last '*' in the pattern and the string position it
    // is currently matched up to, for backtracking.
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi] == s[si]) {
            si += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            pi += 1;
            star = Some((pi, si));
        } else if let Some((sp, ss)) = star {
            pi = sp;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// OpenSSH's `match_pattern_list` (case-sensitive): true when some
/// comma-separated pattern matches and no `!`-negated one does.  As there, a
/// pattern of 1023 bytes or more ends the list with "no match", and a trailing
/// comma adds no empty pattern.  A string with a NUL byte (which OpenSSH could
/// not be asked about) never matches.
fn match_pattern_list(s: &[u8], list: &[u8]) -> bool {
    if s.contains(&0) {
        return false;
    }
    let mut positive = false;
    let mut i = 0;
    while i < list.len() {
        let negated = list[i] == b'!';
        if negated {
            i += 1;
        }
        let len = list[i..].iter().take_while(|&&b| b != b',').count();
        if len >= 1023 {
            return false;
        }
        let pattern = &list[i..i + len];
        i += len + 1;
        if match_pattern(s, pattern) {
            if negated {
                return false;
            }
            positive = true;
        }
    }
    positive
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::test_support::*;
    use crate::sign::verify;
    use std::fs;
    use std::process::Command;

    #[test]
    fn key_not_listed_is_rejected() {
        let f = fixture();
        let other = keygen(f.dir.path(), "other", &["-t", "ed25519"], "");
        let allowed = format!("a@x {}\n*@x {}\n", pub_line(&other), pub_line(&other));
        let signers = AllowedSigners::parse(&allowed, "allowed_signers").expect("parse");
        let err = verify(f.msg, &f.sig, &signers, "a@x", NOW).expect_err("unlisted");
        let text = err.to_string();
        assert_eq!(
            not_allowed(err),
            Refusal::KeyNotListed {
                origin: "allowed_signers".into(),
                lines: vec![1, 2],
                cert_authority_lines: vec![],
                certificate_ca: None,
            }
        );
        assert!(text.contains("not listed") && text.contains("allowed_signers"), "{text}");
        assert!(!keygen_verify(f.dir.path(), &allowed, "a@x", &f.sig, f.msg, &[]));
    }

    #[test]
    fn principal_mismatch_is_rejected() {
        let f = fixture();
        let allowed = format!("alice@example.com {}\n", pub_line(&f.key));
        let signers = AllowedSigners::parse(&allowed, "as").expect("parse");
        let err = verify(f.msg, &f.sig, &signers, "mallory@example.com", NOW).expect_err("who");
        assert!(err.to_string().contains("mallory@example.com"), "{err}");
        assert_eq!(not_allowed(err), Refusal::NoPrincipal { origin: "as".into() });
        assert!(!keygen_verify(f.dir.path(), &allowed, "mallory@example.com", &f.sig, f.msg, &[]));
    }

    #[test]
    fn namespaces_option_excluding_privcheck_is_rejected() {
        let f = fixture();
        let allowed = format!("a@x namespaces=\"git,file\" {}\n", pub_line(&f.key));
        let signers = AllowedSigners::parse(&allowed, "as").expect("parse");
        let err = verify(f.msg, &f.sig, &signers, "a@x", NOW).expect_err("namespace");
        assert!(err.to_string().contains("as:1"), "{err}");
        assert!(matches!(not_allowed(err), Refusal::Namespace { line: 1, .. }));
        assert!(!keygen_verify(f.dir.path(), &allowed, "a@x", &f.sig, f.msg, &[]));

        // Listing privcheck (also by pattern) allows it, for both.
        for ns in ["git,privcheck", "priv*", "*,!git"] {
            let allowed = format!("a@x namespaces=\"{ns}\" {}\n", pub_line(&f.key));
            let signers = AllowedSigners::parse(&allowed, "as").expect("parse");
            verify(f.msg, &f.sig, &signers, "a@x", NOW).expect(ns);
            assert!(keygen_verify(f.dir.path(), &allowed, "a@x", &f.sig, f.msg, &[]), "{ns}");
        }
        let allowed = format!("a@x namespaces=\"*,!privcheck\" {}\n", pub_line(&f.key));
        let signers = AllowedSigners::parse(&allowed, "as").expect("parse");
        assert!(verify(f.msg, &f.sig, &signers, "a@x", NOW).is_err());
    }

    #[test]
    fn validity_window_is_enforced() {
        let f = fixture();
        let key = pub_line(&f.key);
        let past = format!("a@x valid-before=\"20200101Z\" {key}\n");
        let signers = AllowedSigners::parse(&past, "as").expect("parse");
        let err = verify(f.msg, &f.sig, &signers, "a@x", NOW).expect_err("expired");
        assert!(err.to_string().contains("2020-01-01T00:00:00Z"), "{err}");
        assert!(matches!(not_allowed(err), Refusal::Expired { line: 1, .. }));
        assert!(!keygen_verify(f.dir.path(), &past, "a@x", &f.sig, f.msg, &[]));

        let future = format!("a@x valid-after=\"21000101Z\" {key}\n");
        let signers = AllowedSigners::parse(&future, "as").expect("parse");
        let err = verify(f.msg, &f.sig, &signers, "a@x", NOW).expect_err("not yet");
        assert!(matches!(not_allowed(err), Refusal::NotYetValid { line: 1, .. }));
        assert!(!keygen_verify(f.dir.path(), &future, "a@x", &f.sig, f.msg, &[]));

        let window = format!("a@x valid-after=\"20250101Z\",valid-before=\"20250701000000Z\" {key}\n");
        let signers = AllowedSigners::parse(&window, "as").expect("parse");
        verify(f.msg, &f.sig, &signers, "a@x", NOW).expect("inside");
        let t = |s: &str| parse_time(s).expect("time");
        // Boundaries are inclusive, as in ssh-keygen.
        verify(f.msg, &f.sig, &signers, "a@x", t("20250101Z")).expect("at valid-after");
        verify(f.msg, &f.sig, &signers, "a@x", t("20250701Z")).expect("at valid-before");
        assert!(verify(f.msg, &f.sig, &signers, "a@x", t("20250701Z") + 1).is_err());
        assert!(verify(f.msg, &f.sig, &signers, "a@x", t("20250101Z") - 1).is_err());
        for (at, want) in [("20250601Z", true), ("20250801Z", false), ("20241201Z", false)] {
            assert_eq!(
                keygen_verify(f.dir.path(), &window, "a@x", &f.sig, f.msg, &["-O", &format!("verify-time={at}")]),
                want,
                "ssh-keygen at {at}"
            );
            assert_eq!(verify(f.msg, &f.sig, &signers, "a@x", t(at)).is_ok(), want, "here at {at}");
        }
    }

    #[test]
    fn a_later_line_can_allow_what_an_earlier_refuses() {
        let f = fixture();
        let key = pub_line(&f.key);
        let allowed = format!("a@x namespaces=\"git\" {key}\na@x valid-before=\"20200101Z\" {key}\n*@x {key}\n");
        let signers = AllowedSigners::parse(&allowed, "as").expect("parse");
        verify(f.msg, &f.sig, &signers, "a@x", NOW).expect("third line");
        assert!(keygen_verify(f.dir.path(), &allowed, "a@x", &f.sig, f.msg, &[]));
        // Without the third line, the first refusal is reported.
        let two: String = allowed.lines().take(2).map(|l| format!("{l}\n")).collect();
        let signers = AllowedSigners::parse(&two, "as").expect("parse");
        let err = verify(f.msg, &f.sig, &signers, "a@x", NOW).expect_err("refused");
        assert!(matches!(not_allowed(err), Refusal::Namespace { line: 1, .. }));
    }

    #[test]
    fn allows_checks_a_key_without_a_signature() {
        let dir = tmp();
        let a = keygen(dir.path(), "a", &["-t", "ed25519"], "");
        let b = keygen(dir.path(), "b", &["-t", "ecdsa"], "");
        let text = format!("alice@x {}\nbob@x,!bob@x {}\n", pub_line(&a), pub_line(&b));
        let signers = AllowedSigners::parse(&text, "as").expect("parse");
        signers.allows("alice@x", &public_key(&a), NOW).expect("alice");
        let err = signers.allows("alice@x", &public_key(&b), NOW).expect_err("b for alice");
        assert!(matches!(not_allowed(err), Refusal::KeyNotListed { .. }));
        // Negation wins over a positive match in the same list.
        let err = signers.allows("bob@x", &public_key(&b), NOW).expect_err("negated");
        assert!(matches!(not_allowed(err), Refusal::NoPrincipal { .. }));
    }

    #[test]
    fn cert_authority_lines_do_not_match_plain_keys() {
        let f = fixture();
        let allowed = format!("*@x cert-authority {}\n", pub_line(&f.key));
        let signers = AllowedSigners::parse(&allowed, "as").expect("parse");
        let err = verify(f.msg, &f.sig, &signers, "a@x", NOW).expect_err("ca");
        assert!(err.to_string().contains("cert-authority"), "{err}");
        assert!(matches!(
            not_allowed(err),
            Refusal::KeyNotListed { cert_authority_lines, .. } if cert_authority_lines == vec![1]
        ));
        assert!(!keygen_verify(f.dir.path(), &allowed, "a@x", &f.sig, f.msg, &[]));
    }

    /// Signatures made with certificates, against cert-authority and other
    /// lines, at various times: each verdict here is ssh-keygen's, which is
    /// asked too.
    #[test]
    fn certificates_are_checked_as_ssh_keygen_checks_them() {
        let dir = tmp();
        let d = dir.path();
        let ca = keygen(d, "ca", &["-t", "ed25519"], "");
        let other_ca = keygen(d, "other-ca", &["-t", "ecdsa"], "");
        let user = keygen(d, "user", &["-t", "ed25519"], "");
        let validity = ["-V", "20250101Z:20260101Z"];
        let ann = ["-I", "ann-id", "-n", "ann@example.com"];
        let good = certify(d, &ca, &user, "good", &[&ann[..], &validity].concat());
        let host = certify(d, &ca, &user, "host", &[&["-h"][..], &ann, &validity].concat());
        let nobody = certify(d, &ca, &user, "nobody", &["-I", "x", "-V", "20250101Z:20260101Z"]);
        let wildcard = certify(d, &ca, &user, "wildcard", &["-I", "x", "-n", "*@example.com"]);
        let two = certify(d, &ca, &user, "two", &["-I", "x", "-n", "bob@example.com,ann@example.com"]);
        let forever = certify(d, &ca, &user, "forever", &ann);
        let by_other = certify(d, &other_ca, &user, "by-other", &[&ann[..], &validity].concat());
        let cert_line = fs::read_to_string(&good).expect("cert").trim().to_string();
        let (ca_key, other_key, user_key) = (pub_line(&ca), pub_line(&other_ca), pub_line(&user));
        let ca_line = format!("*@example.com cert-authority {ca_key}");
        let t = |s: &str| parse_time(s).expect("time");
        let msg = b"signed with a certificate";
        let sigs: Vec<(&str, String)> = [
            ("good", &good),
            ("host", &host),
            ("nobody", &nobody),
            ("wildcard", &wildcard),
            ("two", &two),
            ("forever", &forever),
            ("by-other", &by_other),
        ]
        .into_iter()
        .map(|(name, cert)| (name, keygen_sign(d, cert, NAMESPACE, msg)))
        .collect();
        let sig = |name: &str| &sigs.iter().find(|(n, _)| *n == name).expect("cert").1;
        let rows: Vec<(&str, String, &str, i64, bool)> = vec![
            ("good", ca_line.clone(), "ann@example.com", NOW, true),
            ("good", ca_line.clone(), "bob@example.com", NOW, false),
            ("good", ca_line.clone(), "ann@example.com", t("20241231235959Z"), false),
            ("good", ca_line.clone(), "ann@example.com", t("20250101Z"), true),
            ("good", ca_line.clone(), "ann@example.com", t("20260101Z") - 1, true),
            ("good", ca_line.clone(), "ann@example.com", t("20260101Z"), false),
            ("good", format!("ann@example.com cert-authority {other_key}"), "ann@example.com", NOW, false),
            ("good", format!("ann@example.com {ca_key}"), "ann@example.com", NOW, false),
            ("good", format!("ann@example.com {user_key}"), "ann@example.com", NOW, false),
            ("good", format!("ann@example.com {cert_line}"), "ann@example.com", NOW, true),
            ("good", format!("bob@example.com {cert_line}"), "bob@example.com", NOW, true),
            ("good", format!("bob@example.com cert-authority {ca_key}"), "ann@example.com", NOW, false),
            (
                "good",
                format!("*@example.com cert-authority,namespaces=\"git\" {ca_key}"),
                "ann@example.com",
                NOW,
                false,
            ),
            (
                "good",
                format!("*@example.com cert-authority,valid-before=\"20250301Z\" {ca_key}"),
                "ann@example.com",
                NOW,
                false,
            ),
            ("host", ca_line.clone(), "ann@example.com", NOW, false),
            ("nobody", ca_line.clone(), "ann@example.com", NOW, false),
            ("wildcard", ca_line.clone(), "ann@example.com", NOW, false),
            ("two", ca_line.clone(), "ann@example.com", NOW, true),
            ("forever", ca_line.clone(), "ann@example.com", NOW, true),
            ("forever", ca_line.clone(), "ann@example.com", t("99991230Z"), true),
            ("by-other", ca_line.clone(), "ann@example.com", NOW, false),
            ("by-other", format!("{ca_line}\n*@example.com cert-authority {other_key}"), "ann@example.com", NOW, true),
        ];
        for (cert, line, principal, at, want) in rows {
            let allowed = format!("{line}\n");
            let signers = AllowedSigners::parse(&allowed, "as").expect("parse");
            assert!(signers.warnings().is_empty(), "{line}: {:?}", signers.warnings());
            let here = verify(msg, sig(cert), &signers, principal, at);
            let there = keygen_verify(d, &allowed, principal, sig(cert), msg, &["-O", &verify_time(at)]);
            assert_eq!(there, want, "ssh-keygen: {cert} / {line} / {principal} at {at}");
            assert_eq!(here.is_ok(), want, "here: {cert} / {line} / {principal} at {at}: {here:?}");
        }

        // The refusals say why.
        let signers = AllowedSigners::parse(&ca_line, "as").expect("parse");
        let refusal = |cert: &str, principal: &str, at: i64| {
            not_allowed(verify(msg, sig(cert), &signers, principal, at).expect_err("refused"))
        };
        let problem = |r: Refusal| match r {
            Refusal::Certificate { line: 1, problem, .. } => problem,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            problem(refusal("good", "bob@example.com", NOW)),
            CertProblem::PrincipalNotListed { principals: vec!["ann@example.com".into()] }
        );
        assert_eq!(
            problem(refusal("good", "ann@example.com", t("20260101Z"))),
            CertProblem::Expired { valid_before: 1_767_225_600, at: t("20260101Z") }
        );
        assert!(matches!(problem(refusal("good", "ann@example.com", 1)), CertProblem::NotYetValid { .. }));
        assert_eq!(problem(refusal("host", "ann@example.com", NOW)), CertProblem::NotUserCertificate);
        assert_eq!(problem(refusal("nobody", "ann@example.com", NOW)), CertProblem::NoPrincipals);
        let err = verify(msg, sig("by-other"), &signers, "ann@example.com", NOW).expect_err("other CA");
        assert!(err.to_string().contains("neither the certificate nor its CA key"), "{err}");
        assert!(matches!(not_allowed(err), Refusal::KeyNotListed { certificate_ca: Some(_), .. }));
        let err = verify(msg, sig("good"), &signers, "bob@example.com", NOW).expect_err("bob");
        assert!(
            err.to_string()
                .contains("as:1 trusts the certificate's CA, but the certificate is only for ann@example.com"),
            "{err}"
        );
    }

    #[test]
    fn principal_patterns_agree_with_ssh_keygen() {
        let f = fixture();
        let key = pub_line(&f.key);
        let long = "x".repeat(1030);
        let cases = [
            ("*@example.com", "alice@example.com"),
            ("*@example.com", "alice@example.org"),
            ("*@example.com", "Alice@EXAMPLE.com"),
            ("alice@example.com,bob@example.com", "bob@example.com"),
            ("alice@example.com,bob@example.com", "carol@example.com"),
            ("*@example.com,!mallory@example.com", "mallory@example.com"),
            ("*@example.com,!mallory@example.com", "eve@example.com"),
            ("!mallory@example.com", "eve@example.com"),
            ("a?ice@example.com", "alice@example.com"),
            ("a?ice@example.com", "aice@example.com"),
            ("*", "anyone"),
            ("\"alice@example.com,*@test\"", "x@test"),
            // `?` stands for one byte, not one character: é is two.
            ("?@x", "é@x"),
            ("??@x", "é@x"),
            ("é@x", "é@x"),
            // A trailing comma adds no empty pattern.
            ("a@x,", "a@x"),
            // A pattern of 1023 bytes or more ends the list with "no match",
            // even after a pattern that matched.
            (&format!("a@x,{long}"), "a@x"),
            (&format!("{},a@x", "x".repeat(1022)), "a@x"),
        ];
        for (pattern, principal) in cases {
            let allowed = format!("{pattern} {key}\n");
            let signers = AllowedSigners::parse(&allowed, "as").expect("parse");
            let here = verify(f.msg, &f.sig, &signers, principal, NOW).is_ok();
            let there = keygen_verify(f.dir.path(), &allowed, principal, &f.sig, f.msg, &[]);
            assert_eq!(here, there, "pattern {pattern} principal {principal}");
        }
        assert!(match_pattern(b"alice@example.com", b"*@*.com"));
        assert!(match_pattern(b"aXbXc", b"a*b*c"));
        assert!(!match_pattern(b"aXbX", b"a*b*c"));
        assert!(match_pattern(b"", b"*"));
        assert!(!match_pattern(b"", b"?"));
        assert!(!match_pattern_list(b"a@x\0", b"*"));
    }

    #[test]
    fn parse_accepts_the_man_page_forms() {
        let f = fixture();
        let key = pub_line(&f.key);
        let text = format!(
            "# comment\n\n   \n  # indented comment\n\
             user1@example.com,user2@example.com {key}\n\
             *@example.com CERT-AUTHORITY {key}\n\
             user2@example.com namespaces=\"file\" {key}\n\
             u3@x\tnamespaces=\"a b\",Valid-After=\"20200101\",valid-before=\"203001011200\" {key}\r\n\
             u4@x valid-after=\"20200101123456Z\" {key}\n\
             u5@x valid-after=\"20200101UTC\" {key} trailing comment words\n"
        );
        let signers = AllowedSigners::parse(&text, "as").expect("parse");
        assert_eq!(signers.len(), 6);
        assert!(signers.warnings().is_empty(), "{:?}", signers.warnings());
        assert!(signers.entries[1].cert_authority);
        assert_eq!(signers.entries[3].namespaces.as_deref(), Some(&b"a b"[..]));
        assert_eq!(signers.entries[4].valid_after, Some(parse_time("20200101123456Z").expect("t")));
        assert!(AllowedSigners::parse("", "empty").expect("empty").is_empty());
    }

    /// A line that cannot be used is skipped with a warning naming the file
    /// and line; the other lines keep working, and ssh-keygen agrees on both.
    #[test]
    fn unusable_lines_are_skipped_with_a_warning_as_ssh_keygen_skips_them() {
        let f = fixture();
        let key = pub_line(&f.key);
        let (kt, b64) = key.split_once(' ').expect("type");
        let b64 = b64.split(' ').next().expect("b64");
        let bad = [
            ("a@x", "missing key"),
            ("a@x ssh-ed25519", "missing base64"),
            (&format!("a@x ssh-ed25519 {}", &b64[..20]), "invalid ssh-ed25519"),
            (&format!("a@x ssh-rsa {b64}"), "invalid ssh-rsa public key: the key data is a ssh-ed25519 key"),
            (&format!("a@x {kt} !!!notbase64"), "not base64"),
            (&format!("a@x ED25519 {b64}"), "unknown option \"ED25519\""),
            (&format!("a@x bogus-option {key}"), "unknown option \"bogus-option\""),
            (&format!("a@x no-touch-required {key}"), "unknown option \"no-touch-required\""),
            (&format!("a@x verify-required {key}"), "unknown option \"verify-required\""),
            (&format!("a@x cert-authority,no-touch-required {key}"), "unknown option \"no-touch-required\""),
            (&format!("a@x namespaces=\"privcheck\"y {key}"), "unexpected \"y\" after an option"),
            (&format!("a@x namespaces=git {key}"), "double-quoted"),
            (&format!("a@x namespaces=\"git {key}"), "missing closing quote"),
            (&format!("a@x valid-before=\"2020\" {key}"), "invalid time"),
            (&format!("a@x valid-before=\"20201301\" {key}"), "invalid time"),
            (&format!("a@x valid-after=\"20300101\",valid-before=\"20200101\" {key}"), "not after"),
            (&format!("a@x namespaces=\"a\",namespaces=\"b\" {key}"), "more than one"),
            (&format!("a@x namespaces=\"privcheck\", {key}"), "end with a comma"),
            ("a@x cert-authority", "missing key"),
            (&format!("\"a@x {key}"), "missing closing quote"),
        ];
        for (line, want) in bad {
            let text = format!("# header\nok@x {key}\n\n{line}\nok2@x {key}\n");
            let signers = AllowedSigners::parse(&text, "/etc/allowed_signers").expect(line);
            assert_eq!(signers.len(), 2, "{line}");
            let [warning] = signers.warnings() else { panic!("{line}: {:?}", signers.warnings()) };
            assert_eq!((warning.origin.as_str(), warning.line), ("/etc/allowed_signers", 4), "{line}");
            assert!(warning.message.contains(want), "{line}: {warning} lacks {want}");
            assert!(warning.to_string().starts_with("/etc/allowed_signers:4: "), "{warning}");
            assert!(warning.to_string().ends_with("; the line is skipped"), "{warning}");
            // The lines before and after still work, here and in ssh-keygen.
            for ok in ["ok@x", "ok2@x"] {
                verify(f.msg, &f.sig, &signers, ok, NOW).unwrap_or_else(|e| panic!("{line}: {ok}: {e}"));
                assert!(keygen_verify(f.dir.path(), &text, ok, &f.sig, f.msg, &[]), "{line}: ssh-keygen {ok}");
            }
            // The skipped line allows nothing, and the refusal names it.
            let err = verify(f.msg, &f.sig, &signers, "a@x", NOW).expect_err(line);
            assert!(
                matches!(&err, SignError::NotAllowed { skipped, .. } if skipped.as_slice() == std::slice::from_ref(warning)),
                "{err:?}"
            );
            let shown = err.to_string();
            assert!(
                shown.contains("; skipped, as ssh-keygen skips it: /etc/allowed_signers:4: ") && shown.contains(want),
                "{shown}"
            );
            assert!(!keygen_verify(f.dir.path(), &text, "a@x", &f.sig, f.msg, &[]), "{line}: ssh-keygen accepts");
        }
        // A skipped line for someone else is not mentioned.
        let text = format!("b@x no-touch-required {key}\n");
        let signers = AllowedSigners::parse(&text, "as").expect("parse");
        let err = verify(f.msg, &f.sig, &signers, "a@x", NOW).expect_err("a@x");
        assert!(matches!(&err, SignError::NotAllowed { skipped, .. } if skipped.is_empty()), "{err:?}");
        assert!(!err.to_string().contains("skipped"), "{err}");
    }

    /// Forms where privcheck used to disagree with ssh-keygen (each row was
    /// checked against the real ssh-keygen -Y verify before the fix, and is
    /// again here), and forms around them.
    #[test]
    fn allowed_signers_forms_agree_with_ssh_keygen() {
        let f = fixture();
        let key = pub_line(&f.key);
        let (kt, b64) = key.split_once(' ').expect("type");
        let b64 = b64.split(' ').next().expect("b64");
        let rsa = keygen(f.dir.path(), "rsa", &["-t", "rsa", "-b", "2048"], "");
        let rsa_sig = keygen_sign(f.dir.path(), &rsa, NAMESPACE, f.msg);
        let rsa_b64 = pub_line(&rsa).split(' ').nth(1).expect("b64").to_string();
        let at = jiff::Timestamp::from_second(NOW).expect("now").strftime("%Y%m%d%H%M%SZ").to_string();
        let verify_time = format!("verify-time={at}");
        let rows: Vec<(Vec<u8>, &str, bool, &str)> = vec![
            (format!("a@x {kt}\t{b64}").into(), "ed", true, "tab between key type and key"),
            (format!("a@x {kt} {b64}\tcomment").into(), "ed", true, "tab before the comment"),
            (format!("a@x\tnamespaces=\"privcheck\"\t{key}").into(), "ed", true, "tabs around options"),
            (format!("a@x rsa-sha2-512 {rsa_b64}").into(), "rsa", true, "rsa-sha2-512 names an RSA key"),
            (format!("a@x rsa-sha2-256 {rsa_b64}").into(), "rsa", true, "rsa-sha2-256 names an RSA key"),
            (format!("a@x RSA {rsa_b64}").into(), "rsa", false, "short names are not key types"),
            (
                format!("a@x namespaces=\"privcheck\",,valid-after=\"20200101\" {key}").into(),
                "ed",
                true,
                "empty option",
            ),
            (format!("a@x ,namespaces=\"privcheck\" {key}").into(), "ed", true, "leading comma"),
            (format!("\"a@x\"namespaces=\"privcheck\" {key}").into(), "ed", true, "options right after a quote"),
            (format!("\"b@y,a@x\" {key}").into(), "ed", true, "quoted list"),
            (format!("\"b@y a@x\" {key}").into(), "ed", false, "a blank inside quotes is part of the pattern"),
            (format!("a\"@\"x {key}").into(), "ed", false, "a quote inside the principals splits them"),
            (format!("a@x valid-before=\"20300230\" {key}").into(), "ed", true, "day 30 of February carries over"),
            (format!("a@x valid-after=\"2020 1 1\" {key}").into(), "ed", true, "strptime skips blanks in a field"),
            (format!("a@x valid-after=\"20200101000061\" {key}").into(), "ed", true, "second 61"),
            (format!("a@x valid-before=\"20250615150640Z\" {key}").into(), "ed", true, "valid-before is inclusive"),
            (format!("a@x valid-before=\"20250615150639Z\" {key}").into(), "ed", false, "one second too late"),
            (format!("a@x {kt} {}\u{b}{}", &b64[..20], &b64[20..]).into(), "ed", true, "vertical tab inside base64"),
            (format!("a@x {kt} {b64}=").into(), "ed", false, "extra padding"),
            (format!("a@x {key}\r").into(), "ed", true, "CRLF"),
            ([format!("a@x {key} caf").as_bytes(), b"\xe9 latin-1 comment"].concat(), "ed", true, "non-UTF-8 comment"),
            ([format!("a@x {key}").as_bytes(), b"\0 after a NUL"].concat(), "ed", true, "NUL ends the line"),
            ([b"a@x\0", key.as_bytes()].concat(), "ed", false, "NUL in the principals"),
        ];
        for (line, which, want, what) in rows {
            let (sig, text) = if which == "rsa" { (&rsa_sig, line) } else { (&f.sig, line) };
            let mut file = text.clone();
            file.push(b'\n');
            let signers = AllowedSigners::parse_bytes(&file, "as", &TimeZone::system());
            let here = verify(f.msg, sig, &signers, "a@x", NOW).is_ok();
            let there = keygen_verify_with(f.dir.path(), &file, "a@x", sig, f.msg, &["-O", &verify_time], &[]);
            assert_eq!(there, want, "{what}: ssh-keygen");
            assert_eq!(here, want, "{what}: here ({:?})", signers.warnings());
        }
    }

    #[test]
    fn load_reads_file_and_names_it() {
        let f = fixture();
        let path = f.dir.path().join("allowed_signers");
        let err = AllowedSigners::load(&path).expect_err("missing");
        assert!(err.to_string().contains("allowed_signers"), "{err}");
        fs::write(&path, "a@x ssh-ed25519\n").expect("write");
        let signers = AllowedSigners::load(&path).expect("a bad line is not an error");
        assert!(signers.is_empty());
        let [w] = signers.warnings() else { panic!("{:?}", signers.warnings()) };
        assert!(w.to_string().starts_with(&format!("{}:1: ", path.display())), "{w}");
        // Not UTF-8 (a Latin-1 comment): read as bytes, as ssh-keygen does.
        fs::write(&path, [format!("a@x {} Jos", pub_line(&f.key)).as_bytes(), b"\xe9\n"].concat()).expect("write");
        let signers = AllowedSigners::load(&path).expect("latin-1");
        verify(f.msg, &f.sig, &signers, "a@x", NOW).expect("verify");
    }

    /// load in a thread, failing the test instead of hanging when it blocks.
    fn load_within_seconds(path: &Path) -> Result<AllowedSigners, SignError> {
        let (tx, rx) = std::sync::mpsc::channel();
        let path = path.to_path_buf();
        std::thread::spawn(move || tx.send(AllowedSigners::load(&path)));
        rx.recv_timeout(std::time::Duration::from_secs(10)).expect("load blocked")
    }

    #[test]
    fn load_reads_only_a_bounded_regular_file() {
        let f = fixture();
        let d = f.dir.path();
        let refused = |path: &Path, want: &str| {
            let err = load_within_seconds(path).expect_err(want);
            let text = err.to_string();
            assert!(text.starts_with(&format!("reading allowed signers file {}: ", path.display())), "{text}");
            assert!(text.contains(want), "{text} lacks {want}");
        };
        refused(Path::new("/dev/zero"), "it is a character device, not a regular file");
        refused(Path::new("/dev/null"), "character device");
        refused(d, "it is a directory");
        let fifo = d.join("fifo");
        run(Command::new("mkfifo").arg(&fifo));
        refused(&fifo, "it is a FIFO (named pipe), not a regular file");
        let to_zero = d.join("to-zero");
        std::os::unix::fs::symlink("/dev/zero", &to_zero).expect("symlink");
        refused(&to_zero, "character device");

        // Up to the limit, read (through a symlink too); one byte more, refused.
        let line = format!("a@x {}\n", pub_line(&f.key));
        let pad = MAX_ALLOWED_SIGNERS_BYTES as usize - line.len();
        let full = format!("{line}{}\n", "#".repeat(pad - 1));
        assert_eq!(full.len() as u64, MAX_ALLOWED_SIGNERS_BYTES);
        let path = d.join("allowed_signers");
        fs::write(&path, &full).expect("write");
        let link = d.join("link");
        std::os::unix::fs::symlink(&path, &link).expect("symlink");
        for p in [&path, &link] {
            let signers = load_within_seconds(p).expect("at the limit");
            verify(f.msg, &f.sig, &signers, "a@x", NOW).expect("verify");
        }
        fs::write(&path, format!("{full}#")).expect("write");
        refused(&path, "larger than 1048576 bytes (1 MiB)");
    }

    #[test]
    fn times_parse_like_ssh_keygen() {
        assert_eq!(parse_time("19700102Z"), Some(86_400));
        assert_eq!(parse_time("202001011230Z"), Some(1_577_881_800));
        assert_eq!(parse_time("20200101123005z"), Some(1_577_881_805));
        assert_eq!(parse_time("20200101123005UTC"), Some(1_577_881_805));
        assert_eq!(parse_time("19700101Z"), None); // 0 is "unset" to ssh-keygen
        assert_eq!(parse_time("20200230Z"), parse_time("20200301Z"));
        assert_eq!(parse_time("20200101000060Z"), parse_time("20200101000100Z"));
        for bad in ["", "Z", "2020010", "202001011", "20201301", "2020010112", "2020O101", "é2020101", "20200132"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        // Without Z: local time, i.e. within a day of the UTC reading.
        let local = parse_time("20200601").expect("local");
        let utc = parse_time("20200601Z").expect("utc");
        assert!((local - utc).abs() <= 86_400);
    }

    /// Each time is checked against ssh-keygen itself: with
    /// `valid-after="T"`, ssh-keygen must accept at the instant parsed here and
    /// refuse one second before; a time refused here must be refused there at
    /// any instant.  In UTC and in a zone with DST, where ssh-keygen reads a
    /// summer time as winter time (an hour after the wall clock).
    #[test]
    fn times_agree_with_ssh_keygen_in_utc_and_with_dst() {
        let f = fixture();
        let key = pub_line(&f.key);
        let values = [
            "20200101Z",
            "20200230Z",
            "20200231",
            "2020 1 1",
            "20200101000060Z",
            "20200101000061",
            "20200101235960",
            "20250601",
            "20251201",
            "20250330023000",
            "20251026023000",
            "20250615120000",
            "20200101utc",
            "99991230Z",
            "19691231Z",
            "20200132",
            "20200100",
            "2020-1-01",
            "+2020101",
            "20200101240000",
            "1970 1 2Z",
        ];
        let stamp = |t: i64| jiff::Timestamp::from_second(t).expect("t").strftime("%Y%m%d%H%M%SZ").to_string();
        for zone in ["UTC", "Europe/Berlin"] {
            let tz = TimeZone::get(zone).expect("zone");
            let env = [("TZ", zone)];
            for value in values {
                let allowed = format!("a@x valid-after=\"{value}\" {key}\n");
                let there = |at: &str| {
                    let opt = format!("verify-time={at}");
                    keygen_verify_with(f.dir.path(), allowed.as_bytes(), "a@x", &f.sig, f.msg, &["-O", &opt], &env)
                };
                match parse_time_in(value.as_bytes(), &tz) {
                    Some(t) => {
                        assert!(there(&stamp(t)), "{zone} {value}: ssh-keygen refuses at {}", stamp(t));
                        assert!(!there(&stamp(t - 1)), "{zone} {value}: ssh-keygen accepts at {}", stamp(t - 1));
                    }
                    None => assert!(!there("99990101Z"), "{zone} {value}: ssh-keygen accepts it"),
                }
            }
        }
        // The summer case really is an hour off the wall clock in Berlin.
        let berlin = TimeZone::get("Europe/Berlin").expect("zone");
        assert_eq!(parse_time_in(b"20250601", &berlin), parse_time_in(b"20250531230000Z", &berlin));
        assert_eq!(parse_time_in(b"20251201", &berlin), parse_time_in(b"20251130230000Z", &berlin));
    }
}
