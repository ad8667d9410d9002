//! SSH signatures for privcheck: creating and checking them, and reading
//! `allowed_signers` files.
//!
//! privcheck signs its reports the way git signs commits with an SSH key: with
//! `ssh-keygen -Y sign`, which writes an armored "SSHSIG" signature.  Signing
//! goes through `ssh-keygen` itself because that is the only way to get
//! ssh-agent, passphrase-protected keys and hardware (FIDO) keys for free, and
//! it is what the user's git already does.  Verifying happens in-process with
//! the `ssh-key` crate, so a verifier needs no OpenSSH at all.
//!
//! Deciding *who* may sign is done with an `allowed_signers` file, the same
//! file `ssh-keygen -Y verify` and git's `gpg.ssh.allowedSignersFile` read.
//! The `ssh-key` crate does not parse that format, so this module does, and
//! follows OpenSSH's rules (see `man ssh-keygen`, ALLOWED SIGNERS):
//!
//! * each line is `principals [options] keytype base64key [comment]`; blank
//!   lines and lines starting with `#` are skipped;
//! * `principals` is a comma-separated pattern list (`*` and `?` wildcards,
//!   `!` negates), matched case-sensitively; it may be double-quoted;
//! * options are `cert-authority`, `namespaces="list"`, `valid-after="time"`
//!   and `valid-before="time"` (option names are case-insensitive, values
//!   must be double-quoted as ssh-keygen requires, times are
//!   `YYYYMMDD[HHMM[SS]]` in local time, or UTC with a `Z`/`UTC` suffix).
//!
//! Differences from ssh-keygen, on purpose:
//!
//! * the whole file is parsed up front and any malformed line is an error
//!   naming `file:line`; ssh-keygen only notices bad lines whose principals
//!   match the identity it is checking;
//! * `cert-authority` lines are parsed but never match: privcheck's
//!   signatures are made by plain keys, and the `ssh-key` crate cannot decode
//!   certificate signatures (a signature made with a certificate is reported as
//!   malformed, saying so).

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ssh_key::{Algorithm, HashAlg, PublicKey, SshSig, public::KeyData};

/// The SSHSIG namespace privcheck signs and verifies in.  A signature made for
/// another namespace (for example git's `git`) is never accepted.
pub const NAMESPACE: &str = "privcheck";

const ARMOR_BEGIN: &str = "-----BEGIN SSH SIGNATURE-----";

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
    /// A line of an allowed_signers file could not be parsed.
    Syntax {
        /// The file name (or other origin) given to [`AllowedSigners::parse`].
        origin: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        message: String,
    },
    /// The signature is valid but its key is not allowed to sign for the
    /// principal.
    NotAllowed {
        /// The principal (identity) that was checked.
        principal: String,
        /// Fingerprint of the signing key.
        fingerprint: String,
        /// Why the allowed_signers file refuses it.
        reason: Refusal,
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
        /// Those of `lines` that are `cert-authority` lines, which never
        /// match a plain key here.
        cert_authority_lines: Vec<usize>,
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
            Refusal::KeyNotListed { origin, lines, cert_authority_lines } => {
                let plural = if lines.len() == 1 { "" } else { "s" };
                write!(
                    f,
                    "the key is not listed for this principal in {origin} (line{plural} {} list other keys",
                    show_lines(lines)
                )?;
                if !cert_authority_lines.is_empty() {
                    write!(
                        f,
                        "; cert-authority lines ({}) are not supported and never match a plain key",
                        show_lines(cert_authority_lines)
                    )?;
                }
                write!(f, ")")
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
            SignError::Keygen { key, detail } => {
                write!(f, "ssh-keygen could not sign with {}: {detail}", key.display())
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
            SignError::Syntax { origin, line, message } => write!(f, "{origin}:{line}: {message}"),
            SignError::NotAllowed { principal, fingerprint, reason } => {
                write!(f, "key {fingerprint} is not allowed to sign as {principal}: {reason}")
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

// ---------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------

/// Sign `message` with ssh-keygen using the key at `key` (private key or .pub with agent). Returns the armored signature text ("-----BEGIN SSH SIGNATURE-----...").
///
/// Runs `ssh-keygen -Y sign -n privcheck -f KEY` with the message on its
/// standard input, as git does.  `key` may be a private key file, or a public
/// key file whose private half is loaded in ssh-agent (`SSH_AUTH_SOCK`).
/// ssh-keygen's standard error is passed through, so a passphrase prompt (which
/// ssh-keygen writes to /dev/tty) and its own error messages reach the user.
/// Without a terminal, ssh-keygen cannot ask for a passphrase; use the agent.
pub fn sign(key: &Path, message: &[u8]) -> Result<String, SignError> {
    sign_with(key, message, |_| {})
}

/// [`sign`], with a hook to adjust the ssh-keygen command (tests use it to
/// point the child at a private agent without touching this process's
/// environment).
fn sign_with(key: &Path, message: &[u8], adjust: impl FnOnce(&mut Command)) -> Result<String, SignError> {
    let mut cmd = Command::new("ssh-keygen");
    cmd.args(["-Y", "sign", "-n", NAMESPACE, "-f"])
        .arg(key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    adjust(&mut cmd);
    let mut child = cmd.spawn().map_err(|source| SignError::Io {
        what: if source.kind() == io::ErrorKind::NotFound {
            "running ssh-keygen (is OpenSSH installed and on PATH?)".to_string()
        } else {
            "running ssh-keygen".to_string()
        },
        source,
    })?;
    let Some(mut stdin) = child.stdin.take() else {
        return Err(SignError::Keygen {
            key: key.to_path_buf(),
            detail: "no pipe to ssh-keygen's standard input".to_string(),
        });
    };
    // Write the message from a second thread while this one collects the
    // output, so neither side can block the other whatever the sizes.
    let (output, written) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            let result = stdin.write_all(message);
            drop(stdin); // EOF: ssh-keygen signs once it has read everything.
            result
        });
        let output = child.wait_with_output();
        let written = writer.join();
        (output, written)
    });
    let output = output.map_err(|source| SignError::Io { what: "waiting for ssh-keygen".to_string(), source })?;
    if !output.status.success() {
        let mut detail = match output.status.code() {
            Some(code) => format!("ssh-keygen exited with status {code}"),
            None => format!("ssh-keygen was stopped ({})", output.status),
        };
        if key.extension().is_some_and(|e| e == "pub") {
            detail.push_str("; a .pub key needs its private half loaded in ssh-agent (ssh-add) and SSH_AUTH_SOCK set");
        }
        detail.push_str("; its own message, if any, is above");
        return Err(SignError::Keygen { key: key.to_path_buf(), detail });
    }
    match written {
        Ok(Ok(())) => {}
        Ok(Err(source)) => {
            return Err(SignError::Io { what: "writing the message to ssh-keygen".to_string(), source });
        }
        Err(_) => {
            return Err(SignError::Keygen {
                key: key.to_path_buf(),
                detail: "the thread writing the message to ssh-keygen panicked".to_string(),
            });
        }
    }
    let text = String::from_utf8(output.stdout).map_err(|_| SignError::Keygen {
        key: key.to_path_buf(),
        detail: "ssh-keygen's output is not text".to_string(),
    })?;
    if !text.trim_start().starts_with(ARMOR_BEGIN) {
        return Err(SignError::Keygen {
            key: key.to_path_buf(),
            detail: format!("ssh-keygen's output is not an SSH signature: {:?}", text),
        });
    }
    // Make sure what we hand out is something we can read back.
    parse_armor(&text)?;
    Ok(text)
}

// ---------------------------------------------------------------------------
// Verifying
// ---------------------------------------------------------------------------

fn parse_armor(armored: &str) -> Result<SshSig, SignError> {
    let text = armored.trim();
    if !text.starts_with(ARMOR_BEGIN) {
        return Err(SignError::Malformed(format!("it does not start with {ARMOR_BEGIN}")));
    }
    let mut pem = text.to_string();
    pem.push('\n');
    SshSig::from_pem(pem.as_bytes()).map_err(|e| match signature_algorithm(text) {
        Some(alg) if alg.ends_with("-cert-v01@openssh.com") => SignError::Malformed(format!(
            "it was made with an SSH certificate ({alg}), which privcheck does not support; sign with the plain key"
        )),
        _ => SignError::Malformed(e.to_string()),
    })
}

/// The key algorithm named in an armored SSHSIG blob, read without the
/// `ssh-key` crate (which rejects some kinds, e.g. certificates).  Only for
/// error messages.
fn signature_algorithm(armored: &str) -> Option<String> {
    let body: String = armored.lines().filter(|l| !l.starts_with("-----")).collect::<String>();
    let mut bytes = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in body.bytes().take_while(|&c| c != b'=') {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b' ' | b'\t' | b'\r' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // "SSHSIG", u32 version, u32 length of the public key blob, then the
    // blob, which starts with the algorithm name as a u32-length string.
    let rest = bytes.strip_prefix(b"SSHSIG")?.get(8..)?;
    let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    String::from_utf8(rest.get(4..len.checked_add(4)?)?.to_vec()).ok()
}

fn fingerprint(key: &KeyData) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// The fingerprint (SHA256:...) and the OpenSSH public key line of the key that made an armored signature.
///
/// This only decodes the signature; it does not check it.  The public key line
/// is `keytype base64` without a comment, as it would appear in
/// allowed_signers or `~/.ssh/id_*.pub`.
pub fn signature_key(armored: &str) -> Result<(String, String), SignError> {
    let sig = parse_armor(armored)?;
    let key = PublicKey::from(sig.public_key().clone());
    let line = key.to_openssh().map_err(|e| SignError::Malformed(format!("cannot encode its public key: {e}")))?;
    Ok((fingerprint(sig.public_key()), line))
}

/// Verify cryptographically only: namespace must be NAMESPACE, signature must match message. Returns the signer fingerprint.
///
/// This says nothing about whether the signer is trusted; use [`verify`] with
/// an [`AllowedSigners`] for that.
pub fn verify_signature(message: &[u8], armored: &str) -> Result<String, SignError> {
    let sig = parse_armor(armored)?;
    check_signature(message, &sig)
}

fn check_signature(message: &[u8], sig: &SshSig) -> Result<String, SignError> {
    if sig.namespace() != NAMESPACE {
        return Err(SignError::Namespace { found: sig.namespace().to_string() });
    }
    let fp = fingerprint(sig.public_key());
    let key = PublicKey::from(sig.public_key().clone());
    key.verify(NAMESPACE, message, sig).map_err(|_| SignError::Mismatch { fingerprint: fp.clone() })?;
    Ok(fp)
}

/// Verify signature + allowed_signers: verify_signature, then allows(principal, key, at).
///
/// `at` is the time (unix seconds) the `valid-after`/`valid-before` options
/// are checked against, usually now.  Returns the signer's fingerprint.
pub fn verify(
    message: &[u8],
    armored: &str,
    allowed: &AllowedSigners,
    principal: &str,
    at: i64,
) -> Result<String, SignError> {
    let sig = parse_armor(armored)?;
    let fp = check_signature(message, &sig)?;
    let key = PublicKey::from(sig.public_key().clone());
    allowed.allows(principal, &key, at)?;
    Ok(fp)
}

// ---------------------------------------------------------------------------
// allowed_signers
// ---------------------------------------------------------------------------

/// One parsed line of an allowed_signers file.
#[derive(Debug, Clone)]
struct Entry {
    line: usize,
    principals: String,
    cert_authority: bool,
    namespaces: Option<String>,
    valid_after: Option<i64>,
    valid_before: Option<i64>,
    key: KeyData,
}

/// A parsed allowed_signers file: which keys may sign for which principals.
#[derive(Debug, Clone)]
pub struct AllowedSigners {
    origin: String,
    entries: Vec<Entry>,
}

impl AllowedSigners {
    /// Parse allowed_signers text.  `origin` (usually the file name) is used
    /// in messages, as `origin:line`.  Every line is checked; the first bad
    /// one is reported.
    pub fn parse(text: &str, origin: &str) -> Result<Self, SignError> {
        let mut entries = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let syntax = |message: String| SignError::Syntax { origin: origin.to_string(), line, message };
            if let Some(entry) = parse_line(raw, line).map_err(syntax)? {
                entries.push(entry);
            }
        }
        Ok(AllowedSigners { origin: origin.to_string(), entries })
    }

    /// Read and parse an allowed_signers file; its path is the origin in
    /// messages.
    pub fn load(path: &Path) -> Result<Self, SignError> {
        let text = std::fs::read_to_string(path).map_err(|source| SignError::Io {
            what: format!("reading allowed signers file {}", path.display()),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// Number of key lines (comments and blank lines not counted).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the file lists no keys.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
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
    /// validity interval.  `cert-authority` lines never match a plain key.
    pub fn allows(&self, principal: &str, public_key: &PublicKey, at: i64) -> Result<(), SignError> {
        let mut principal_lines = Vec::new();
        let mut ca_lines = Vec::new();
        let mut first_refusal: Option<Refusal> = None;
        for entry in &self.entries {
            if !match_pattern_list(principal, &entry.principals) {
                continue;
            }
            principal_lines.push(entry.line);
            if entry.cert_authority {
                ca_lines.push(entry.line);
                continue;
            }
            if &entry.key != public_key.key_data() {
                continue;
            }
            let refusal = self.refusal(entry, at);
            match refusal {
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
            },
        };
        Err(SignError::NotAllowed {
            principal: principal.to_string(),
            fingerprint: fingerprint(public_key.key_data()),
            reason,
        })
    }

    /// Why `entry`, which lists the key, does not allow it now; None when it
    /// does.
    fn refusal(&self, entry: &Entry, at: i64) -> Option<Refusal> {
        if let Some(ns) = &entry.namespaces
            && !match_pattern_list(NAMESPACE, ns)
        {
            return Some(Refusal::Namespace { origin: self.origin.clone(), line: entry.line, namespaces: ns.clone() });
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

/// Split off the first whitespace-delimited token of `s` (which starts at a
/// non-blank).  A token starting with `"` runs to the closing quote, as in
/// OpenSSH's `strdelimw`.  Returns (token, rest-after-whitespace).
fn split_principals(s: &str) -> Result<(String, &str), String> {
    if let Some(quoted) = s.strip_prefix('"') {
        let Some(end) = quoted.find('"') else {
            return Err("principals: missing closing quote".to_string());
        };
        let rest = &quoted[end + 1..];
        if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
            return Err("principals: unexpected text after closing quote".to_string());
        }
        return Ok((quoted[..end].to_string(), rest.trim_start_matches([' ', '\t'])));
    }
    match s.find([' ', '\t']) {
        Some(i) => Ok((s[..i].to_string(), s[i..].trim_start_matches([' ', '\t']))),
        None => Ok((s.to_string(), "")),
    }
}

/// Split off the options field: up to the first blank outside double quotes
/// (a backslash-escaped quote does not count), like OpenSSH's
/// `sshkey_advance_past_options`.
fn split_options(s: &str) -> Result<(&str, &str), String> {
    let bytes = s.as_bytes();
    let mut quoted = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if bytes.get(i + 1) == Some(&b'"') => i += 1,
            b'"' => quoted = !quoted,
            b' ' | b'\t' if !quoted => break,
            _ => {}
        }
        i += 1;
    }
    if quoted {
        return Err("options: missing closing quote".to_string());
    }
    Ok((&s[..i], s[i..].trim_start_matches([' ', '\t'])))
}

/// Does this field look like a key type rather than an options list?
fn is_key_type(token: &str) -> bool {
    if token.starts_with("ssh-") || token.starts_with("ecdsa-") || token.starts_with("sk-") {
        return true;
    }
    match Algorithm::new(token) {
        Ok(Algorithm::Other(_)) => !token.contains('=') && !token.contains('"'),
        Ok(_) => true,
        Err(_) => false,
    }
}

#[derive(Default)]
struct Options {
    cert_authority: bool,
    namespaces: Option<String>,
    valid_after: Option<i64>,
    valid_before: Option<i64>,
}

/// If `s` starts with `name` (ASCII case-insensitively), the rest.
fn strip_prefix_ci<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let head = s.get(..name.len())?;
    head.eq_ignore_ascii_case(name).then(|| &s[name.len()..])
}

/// Parse a double-quoted option value at the start of `s`; returns the
/// unescaped value and the rest after the closing quote.
fn dequote<'a>(s: &'a str, name: &str) -> Result<(String, &'a str), String> {
    let Some(body) = s.strip_prefix('"') else {
        return Err(format!("option {name}: the value must be double-quoted, e.g. {name}=\"...\""));
    };
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if body[i + 1..].starts_with('"') => {
                value.push('"');
                chars.next();
            }
            '"' => return Ok((value, &body[i + 1..])),
            _ => value.push(c),
        }
    }
    Err(format!("option {name}: missing closing quote"))
}

fn parse_options(mut s: &str) -> Result<Options, String> {
    let mut opts = Options::default();
    loop {
        if let Some(rest) = strip_prefix_ci(s, "cert-authority").filter(|r| r.is_empty() || r.starts_with(',')) {
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
            let (value, rest) = dequote(rest, "valid-after")?;
            opts.valid_after = Some(
                parse_time(&value)
                    .ok_or_else(|| format!("valid-after: invalid time \"{value}\" (use YYYYMMDD[HHMM[SS]][Z])"))?,
            );
            s = rest;
        } else if let Some(rest) = strip_prefix_ci(s, "valid-before=") {
            if opts.valid_before.is_some() {
                return Err("more than one valid-before option".to_string());
            }
            let (value, rest) = dequote(rest, "valid-before")?;
            opts.valid_before = Some(
                parse_time(&value)
                    .ok_or_else(|| format!("valid-before: invalid time \"{value}\" (use YYYYMMDD[HHMM[SS]][Z])"))?,
            );
            s = rest;
        } else {
            let name = s.split([',', '=']).next().unwrap_or(s);
            return Err(format!(
                "unknown option \"{name}\" (known: cert-authority, namespaces, valid-after, valid-before)"
            ));
        }
        if s.is_empty() {
            break;
        }
        match s.strip_prefix(',') {
            Some("") => return Err("options end with a comma".to_string()),
            Some(rest) => s = rest,
            None => return Err(format!("unexpected \"{s}\" after an option")),
        }
    }
    if let (Some(after), Some(before)) = (opts.valid_after, opts.valid_before)
        && before <= after
    {
        return Err("valid-before is not after valid-after".to_string());
    }
    Ok(opts)
}

/// Parse an allowed_signers time: `YYYYMMDD`, `YYYYMMDDHHMM` or
/// `YYYYMMDDHHMMSS`, in the system time zone, or in UTC when followed by `Z`
/// or `UTC`.  Returns unix seconds.
fn parse_time(s: &str) -> Option<i64> {
    let (digits, utc) = if let Some(d) = s.strip_suffix(['Z', 'z']) {
        (d, true)
    } else if let Some(d) = s
        .len()
        .checked_sub(3)
        .and_then(|n| s.get(n..))
        .filter(|t| t.eq_ignore_ascii_case("UTC"))
        .and_then(|_| s.get(..s.len() - 3))
    {
        (d, true)
    } else {
        (s, false)
    };
    if !matches!(digits.len(), 8 | 12 | 14) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<i16> { digits.get(range).and_then(|d| d.parse::<i16>().ok()) };
    let small = |range: std::ops::Range<usize>| -> Option<i8> { num(range).and_then(|n| i8::try_from(n).ok()) };
    let year = num(0..4)?;
    let month = small(4..6)?;
    let day = small(6..8)?;
    let (hour, minute) = if digits.len() >= 12 { (small(8..10)?, small(10..12)?) } else { (0, 0) };
    let second = if digits.len() == 14 { small(12..14)? } else { 0 };
    let dt = jiff::civil::DateTime::new(year, month, day, hour, minute, second, 0).ok()?;
    let tz = if utc { jiff::tz::TimeZone::UTC } else { jiff::tz::TimeZone::system() };
    let t = dt.to_zoned_datetime(tz).ok()?.timestamp().as_second();
    // ssh-keygen treats time 0 as "unset" and rejects it.
    (t > 0).then_some(t)
}

fn parse_line(raw: &str, line: usize) -> Result<Option<Entry>, String> {
    let text = raw.trim_matches([' ', '\t', '\r']);
    if text.is_empty() || text.starts_with('#') {
        return Ok(None);
    }
    let (principals, rest) = split_principals(text)?;
    if principals.is_empty() {
        return Err("empty principals".to_string());
    }
    if rest.is_empty() {
        return Err("missing key after the principals".to_string());
    }
    let first = rest.split([' ', '\t']).next().unwrap_or(rest);
    let (opts, key_text) = if is_key_type(first) {
        (Options::default(), rest)
    } else {
        let (opts_text, key_text) = split_options(rest)?;
        let opts = parse_options(opts_text)?;
        if key_text.is_empty() {
            return Err("missing key after the options".to_string());
        }
        (opts, key_text)
    };
    let key_type = key_text.split([' ', '\t']).next().unwrap_or(key_text);
    if key_text.len() == key_type.len() {
        return Err(format!("missing base64 key data after key type \"{key_type}\""));
    }
    let key = PublicKey::from_openssh(key_text).map_err(|e| format!("invalid {key_type} public key: {e}"))?;
    Ok(Some(Entry {
        line,
        principals,
        cert_authority: opts.cert_authority,
        namespaces: opts.namespaces,
        valid_after: opts.valid_after,
        valid_before: opts.valid_before,
        key: key.key_data().clone(),
    }))
}

/// OpenSSH's `match_pattern`: `*` matches any run of characters, `?` any one
/// character; everything else literally, case-sensitively.
fn match_pattern(s: &str, pattern: &str) -> bool {
    let s: Vec<char> = s.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    let (mut si, mut pi) = (0, 0);
    // Position after the last '*' in the pattern and the string position it
    // is currently matched up to, for backtracking.
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == s[si]) {
            si += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == '*' {
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
    p[pi..].iter().all(|&c| c == '*')
}

/// OpenSSH's `match_pattern_list` (case-sensitive): true when some
/// comma-separated pattern matches and no `!`-negated one does.
fn match_pattern_list(s: &str, list: &str) -> bool {
    let mut positive = false;
    for pattern in list.split(',') {
        let (negated, pattern) = match pattern.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, pattern),
        };
        if match_pattern(s, pattern) {
            if negated {
                return false;
            }
            positive = true;
        }
    }
    positive
}

// ---------------------------------------------------------------------------
// Finding the signing key
// ---------------------------------------------------------------------------

/// A key to sign with, and where it came from.
#[derive(Debug)]
pub struct KeySource {
    /// The file to pass to ssh-keygen's `-f`: a private key, or a public key
    /// whose private half is in ssh-agent.
    pub path: PathBuf,
    /// Where the key was found: "--key", "git user.signingkey" or
    /// "~/.ssh/id_ed25519".
    pub origin: String,
    /// For a literal key from git config: the temporary file holding it,
    /// deleted when this is dropped.
    _literal: Option<tempfile::NamedTempFile>,
}

/// Find the signing key: explicit (from --key or config) first, then git's `user.signingkey` when `git config gpg.format` is `ssh` (run `git config --get`; a value starting with "key::" or "ssh-" is a literal public key: write it to a temp file so ssh-keygen can use it with the agent; `~/` expands), then ~/.ssh/id_ed25519 if it exists. None when nothing is found.
///
/// git is run in the current directory, so a repository's own config counts.
/// Not supported: git's `gpg.ssh.defaultKeyCommand` and `~user/` paths.
pub fn find_key(explicit: Option<&Path>) -> Option<KeySource> {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from);
    find_key_with(explicit, home.as_deref(), &|name| git_config_get(Command::new("git"), name))
}

/// `git config --get NAME` with the given git command; None when unset or
/// git is missing.
fn git_config_get(mut git: Command, name: &str) -> Option<String> {
    let out = git.args(["config", "--get", name]).stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let value = String::from_utf8(out.stdout).ok()?;
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn expand_home(path: &str, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

fn find_key_with(
    explicit: Option<&Path>,
    home: Option<&Path>,
    git_config: &dyn Fn(&str) -> Option<String>,
) -> Option<KeySource> {
    if let Some(path) = explicit {
        let path = match path.to_str() {
            Some(s) => expand_home(s, home),
            None => path.to_path_buf(),
        };
        return Some(KeySource { path, origin: "--key".to_string(), _literal: None });
    }
    if git_config("gpg.format").as_deref() == Some("ssh")
        && let Some(value) = git_config("user.signingkey")
    {
        let literal = value.strip_prefix("key::").or_else(|| value.starts_with("ssh-").then_some(value.as_str()));
        match literal {
            // If the temp file cannot be written, fall through to the default key.
            Some(literal) => {
                if let Some(source) = literal_key_file(literal) {
                    return Some(source);
                }
            }
            None => {
                return Some(KeySource {
                    path: expand_home(&value, home),
                    origin: "git user.signingkey".to_string(),
                    _literal: None,
                });
            }
        }
    }
    let default = home?.join(".ssh").join("id_ed25519");
    default.is_file().then(|| KeySource { path: default, origin: "~/.ssh/id_ed25519".to_string(), _literal: None })
}

/// Write a literal public key from git config to a temporary file for
/// ssh-keygen's `-f` (the private half must be in ssh-agent).
fn literal_key_file(literal: &str) -> Option<KeySource> {
    let mut file = tempfile::Builder::new().prefix("privcheck-signing-key-").suffix(".pub").tempfile().ok()?;
    writeln!(file, "{}", literal.trim()).ok()?;
    file.flush().ok()?;
    Some(KeySource { path: file.path().to_path_buf(), origin: "git user.signingkey".to_string(), _literal: Some(file) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::process::Child;
    use std::time::{Duration, Instant};

    const NOW: i64 = 1_750_000_000; // 2025-06-15

    fn run(cmd: &mut Command) -> std::process::Output {
        let out = cmd.output().expect("run command");
        assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        out
    }

    /// Generate a key with ssh-keygen; returns the private key path.
    fn keygen(dir: &Path, name: &str, args: &[&str], passphrase: &str) -> PathBuf {
        let path = dir.join(name);
        run(Command::new("ssh-keygen")
            .args(args)
            .args(["-q", "-C", name, "-N", passphrase, "-f"])
            .arg(&path)
            .stdin(Stdio::null()));
        path
    }

    fn pub_path(key: &Path) -> PathBuf {
        let mut s = key.as_os_str().to_owned();
        s.push(".pub");
        PathBuf::from(s)
    }

    fn pub_line(key: &Path) -> String {
        fs::read_to_string(pub_path(key)).expect("read .pub").trim().to_string()
    }

    fn public_key(key: &Path) -> PublicKey {
        PublicKey::read_openssh_file(&pub_path(key)).expect("parse .pub")
    }

    /// Sign with ssh-keygen directly (not through this module).
    fn keygen_sign(dir: &Path, key: &Path, namespace: &str, message: &[u8]) -> String {
        let msg = dir.join("keygen-msg");
        fs::write(&msg, message).expect("write msg");
        run(Command::new("ssh-keygen")
            .args(["-q", "-Y", "sign", "-n", namespace, "-f"])
            .arg(key)
            .arg(&msg)
            .stdin(Stdio::null()));
        let sig = fs::read_to_string(dir.join("keygen-msg.sig")).expect("read sig");
        fs::remove_file(dir.join("keygen-msg.sig")).expect("rm sig");
        sig
    }

    /// Verify with `ssh-keygen -Y verify`; true when it accepts.
    fn keygen_verify(dir: &Path, allowed: &str, principal: &str, sig: &str, message: &[u8], extra: &[&str]) -> bool {
        let allowed_path = dir.join("keygen-allowed");
        let sig_path = dir.join("keygen-sig");
        let msg_path = dir.join("keygen-vmsg");
        fs::write(&allowed_path, allowed).expect("write allowed");
        fs::write(&sig_path, sig).expect("write sig");
        fs::write(&msg_path, message).expect("write msg");
        let out = Command::new("ssh-keygen")
            .args(["-Y", "verify", "-f"])
            .arg(&allowed_path)
            .args(["-I", principal, "-n", NAMESPACE, "-s"])
            .arg(&sig_path)
            .args(extra)
            .stdin(fs::File::open(&msg_path).expect("open msg"))
            .output()
            .expect("run ssh-keygen -Y verify");
        out.status.success()
    }

    fn tmp() -> tempfile::TempDir {
        tempfile::tempdir().expect("tempdir")
    }

    fn not_allowed(err: SignError) -> Refusal {
        match err {
            SignError::NotAllowed { reason, .. } => reason,
            other => panic!("expected NotAllowed, got {other:?}"),
        }
    }

    #[test]
    fn ed25519_signed_here_verifies_with_ssh_keygen_and_here() {
        let dir = tmp();
        let key = keygen(dir.path(), "ed", &["-t", "ed25519"], "");
        let msg = b"privcheck report\nline two\n";
        let sig = sign(&key, msg).expect("sign");
        assert!(sig.starts_with("-----BEGIN SSH SIGNATURE-----"), "{sig}");
        let allowed = format!("alice@example.com {}\n", pub_line(&key));
        assert!(keygen_verify(dir.path(), &allowed, "alice@example.com", &sig, msg, &[]));
        let signers = AllowedSigners::parse(&allowed, "allowed_signers").expect("parse");
        let fp = verify(msg, &sig, &signers, "alice@example.com", NOW).expect("verify");
        assert!(fp.starts_with("SHA256:"), "{fp}");
        assert_eq!(verify_signature(msg, &sig).expect("verify_signature"), fp);
    }

    #[test]
    fn ecdsa_signed_here_verifies_with_ssh_keygen_and_here() {
        let dir = tmp();
        for bits in ["256", "384"] {
            let key = keygen(dir.path(), &format!("ec{bits}"), &["-t", "ecdsa", "-b", bits], "");
            let msg = format!("ecdsa {bits} message").into_bytes();
            let sig = sign(&key, &msg).expect("sign");
            let allowed = format!("bob@example.com {}\n", pub_line(&key));
            assert!(
                keygen_verify(dir.path(), &allowed, "bob@example.com", &sig, &msg, &[]),
                "ssh-keygen rejected ecdsa-{bits}"
            );
            let signers = AllowedSigners::parse(&allowed, "a").expect("parse");
            verify(&msg, &sig, &signers, "bob@example.com", NOW).expect("verify");
        }
    }

    #[test]
    fn ssh_keygen_signatures_verify_here_including_rsa() {
        let dir = tmp();
        let keys = [
            keygen(dir.path(), "ed", &["-t", "ed25519"], ""),
            keygen(dir.path(), "ec", &["-t", "ecdsa"], ""),
            keygen(dir.path(), "rsa", &["-t", "rsa", "-b", "2048"], ""),
        ];
        for key in &keys {
            let msg = b"signed by ssh-keygen itself";
            let sig = keygen_sign(dir.path(), key, NAMESPACE, msg);
            let allowed = format!("carol@example.com {} comment here\n", pub_line(key));
            let signers = AllowedSigners::parse(&allowed, "a").expect("parse");
            let fp = verify(msg, &sig, &signers, "carol@example.com", NOW)
                .unwrap_or_else(|e| panic!("{}: {e}", key.display()));
            // Same fingerprint as ssh-keygen -l computes.
            let out = run(Command::new("ssh-keygen").arg("-lf").arg(pub_path(key)));
            let listed = String::from_utf8_lossy(&out.stdout).to_string();
            assert!(listed.contains(&fp), "{listed} vs {fp}");
        }
    }

    #[test]
    fn signature_key_reports_fingerprint_and_public_key() {
        let dir = tmp();
        let key = keygen(dir.path(), "ed", &["-t", "ed25519"], "");
        let sig = sign(&key, b"x").expect("sign");
        let (fp, line) = signature_key(&sig).expect("signature_key");
        let pub_text = pub_line(&key);
        let without_comment = pub_text.rsplit_once(' ').expect("comment").0;
        assert_eq!(line, without_comment);
        let out = run(Command::new("ssh-keygen").arg("-lf").arg(pub_path(&key)));
        assert!(String::from_utf8_lossy(&out.stdout).contains(&fp));
        assert!(matches!(signature_key("nonsense"), Err(SignError::Malformed(_))));
        assert_eq!(signature_algorithm(&sig).as_deref(), Some("ssh-ed25519"));
    }

    /// A private ssh-agent on a socket in a temp dir, killed on drop.
    struct Agent {
        child: Child,
        sock: PathBuf,
    }

    impl Agent {
        fn start(dir: &Path) -> Agent {
            let sock = dir.join("agent.sock");
            let child = Command::new("ssh-agent")
                .arg("-D")
                .arg("-a")
                .arg(&sock)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start ssh-agent");
            let agent = Agent { child, sock };
            let deadline = Instant::now() + Duration::from_secs(10);
            while !agent.sock.exists() {
                assert!(Instant::now() < deadline, "ssh-agent socket did not appear");
                std::thread::sleep(Duration::from_millis(20));
            }
            agent
        }
    }

    impl Drop for Agent {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// Load a passphrase-protected key into `agent` non-interactively.
    fn ssh_add(dir: &Path, agent: &Agent, key: &Path, passphrase: &str) {
        let askpass = dir.join("askpass.sh");
        fs::write(&askpass, format!("#!/bin/sh\necho '{passphrase}'\n")).expect("askpass");
        run(Command::new("chmod").arg("700").arg(&askpass));
        run(Command::new("ssh-add")
            .arg(key)
            .env("SSH_AUTH_SOCK", &agent.sock)
            .env("SSH_ASKPASS", &askpass)
            .env("SSH_ASKPASS_REQUIRE", "force")
            .env("DISPLAY", ":0")
            .stdin(Stdio::null()));
    }

    fn with_agent(agent: &Agent) -> impl FnOnce(&mut Command) + '_ {
        move |cmd: &mut Command| {
            cmd.env("SSH_AUTH_SOCK", &agent.sock).env("SSH_ASKPASS_REQUIRE", "never");
        }
    }

    #[test]
    fn passphrase_key_in_agent_signs_via_pub_path() {
        let dir = tmp();
        let key = keygen(dir.path(), "locked", &["-t", "ed25519"], "s3cret pass");
        let agent = Agent::start(dir.path());
        ssh_add(dir.path(), &agent, &key, "s3cret pass");
        let msg = b"agent-signed report";
        let sig = sign_with(&pub_path(&key), msg, with_agent(&agent)).expect("sign via agent");
        let allowed = format!("dave@example.com {}\n", pub_line(&key));
        assert!(keygen_verify(dir.path(), &allowed, "dave@example.com", &sig, msg, &[]));
        let signers = AllowedSigners::parse(&allowed, "a").expect("parse");
        verify(msg, &sig, &signers, "dave@example.com", NOW).expect("verify");

        // A .pub whose private half is neither in the agent nor beside it
        // cannot sign.  (With the private key beside it, ssh-keygen falls back
        // to that file.)
        let other = keygen(dir.path(), "other", &["-t", "ed25519"], "");
        fs::remove_file(&other).expect("remove private half");
        let err = sign_with(&pub_path(&other), msg, with_agent(&agent)).expect_err("no agent key");
        assert!(matches!(err, SignError::Keygen { .. }), "{err:?}");
        assert!(err.to_string().contains("ssh-agent"), "{err}");
        drop(agent);
    }

    #[test]
    fn literal_git_signing_key_signs_with_agent() {
        let dir = tmp();
        let key = keygen(dir.path(), "lit", &["-t", "ed25519"], "pw");
        let agent = Agent::start(dir.path());
        ssh_add(dir.path(), &agent, &key, "pw");
        let literal = format!("key::{}", pub_line(&key));
        let git = |name: &str| match name {
            "gpg.format" => Some("ssh".to_string()),
            "user.signingkey" => Some(literal.clone()),
            _ => None,
        };
        let source = find_key_with(None, Some(dir.path()), &git).expect("found");
        assert_eq!(source.origin, "git user.signingkey");
        let kept = source.path.clone();
        let sig = sign_with(&source.path, b"m", with_agent(&agent)).expect("sign");
        verify_signature(b"m", &sig).expect("verify");
        drop(source);
        assert!(!kept.exists(), "literal key temp file is removed with the KeySource");
    }

    #[test]
    fn missing_key_file_is_an_error() {
        let dir = tmp();
        let err = sign(&dir.path().join("nope"), b"m").expect_err("no key");
        assert!(matches!(err, SignError::Keygen { .. }), "{err:?}");
        assert!(err.to_string().contains("nope"), "{err}");
    }

    struct Fixture {
        dir: tempfile::TempDir,
        key: PathBuf,
        msg: &'static [u8],
        sig: String,
    }

    fn fixture() -> Fixture {
        let dir = tmp();
        let key = keygen(dir.path(), "ed", &["-t", "ed25519"], "");
        let msg: &'static [u8] = b"the original report";
        let sig = sign(&key, msg).expect("sign");
        Fixture { dir, key, msg, sig }
    }

    #[test]
    fn tampered_message_is_rejected() {
        let f = fixture();
        let allowed = format!("a@x {}", pub_line(&f.key));
        let signers = AllowedSigners::parse(&allowed, "a").expect("parse");
        let err = verify(b"the original report!", &f.sig, &signers, "a@x", NOW).expect_err("tampered");
        assert!(matches!(err, SignError::Mismatch { .. }), "{err:?}");
        assert!(!keygen_verify(f.dir.path(), &allowed, "a@x", &f.sig, b"the original report!", &[]));
    }

    #[test]
    fn signature_moved_to_another_message_is_rejected() {
        let f = fixture();
        let other_msg = b"a completely different report";
        let other_sig = sign(&f.key, other_msg).expect("sign");
        verify_signature(other_msg, &other_sig).expect("own message ok");
        let err = verify_signature(other_msg, &f.sig).expect_err("moved");
        assert!(matches!(err, SignError::Mismatch { .. }), "{err:?}");
        let err = verify_signature(f.msg, &other_sig).expect_err("moved back");
        assert!(err.to_string().contains("does not match"), "{err}");
    }

    #[test]
    fn wrong_namespace_is_rejected() {
        let f = fixture();
        let git_sig = keygen_sign(f.dir.path(), &f.key, "git", f.msg);
        let err = verify_signature(f.msg, &git_sig).expect_err("namespace git");
        match &err {
            SignError::Namespace { found } => assert_eq!(found, "git"),
            other => panic!("{other:?}"),
        }
        assert!(err.to_string().contains("\"git\""), "{err}");
    }

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
            Refusal::KeyNotListed { origin: "allowed_signers".into(), lines: vec![1, 2], cert_authority_lines: vec![] }
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

    #[test]
    fn certificate_signatures_are_not_accepted() {
        let dir = tmp();
        let ca = keygen(dir.path(), "ca", &["-t", "ed25519"], "");
        let user = keygen(dir.path(), "user", &["-t", "ed25519"], "");
        run(Command::new("ssh-keygen")
            .args(["-q", "-s"])
            .arg(&ca)
            .args(["-I", "id", "-n", "a@x"])
            .arg(pub_path(&user))
            .stdin(Stdio::null()));
        let cert = dir.path().join("user-cert.pub");
        let msg = b"signed with a certificate";
        let sig = keygen_sign(dir.path(), &cert, NAMESPACE, msg);
        let allowed = format!("*@x cert-authority {}\n", pub_line(&ca));
        // ssh-keygen accepts it...
        assert!(keygen_verify(dir.path(), &allowed, "a@x", &sig, msg, &[]));
        // ...this module does not (documented limitation).
        let signers = AllowedSigners::parse(&allowed, "as").expect("parse");
        let err = verify(msg, &sig, &signers, "a@x", NOW).expect_err("cert");
        assert!(matches!(err, SignError::Malformed(_)), "{err:?}");
        assert!(err.to_string().contains("SSH certificate"), "{err}");
    }

    #[test]
    fn principal_patterns_agree_with_ssh_keygen() {
        let f = fixture();
        let key = pub_line(&f.key);
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
        ];
        for (pattern, principal) in cases {
            let allowed = format!("{pattern} {key}\n");
            let signers = AllowedSigners::parse(&allowed, "as").expect("parse");
            let here = verify(f.msg, &f.sig, &signers, principal, NOW).is_ok();
            let there = keygen_verify(f.dir.path(), &allowed, principal, &f.sig, f.msg, &[]);
            assert_eq!(here, there, "pattern {pattern} principal {principal}");
        }
        assert!(match_pattern("alice@example.com", "*@*.com"));
        assert!(match_pattern("aXbXc", "a*b*c"));
        assert!(!match_pattern("aXbX", "a*b*c"));
        assert!(match_pattern("", "*"));
        assert!(!match_pattern("", "?"));
    }

    #[test]
    fn truncated_or_garbled_armor_is_malformed() {
        let f = fixture();
        let lines: Vec<&str> = f.sig.lines().collect();
        let truncated = lines[..lines.len() - 2].join("\n");
        let no_end = lines[..lines.len() - 1].join("\n");
        let mut garbled_body = f.sig.clone();
        garbled_body.replace_range(40..44, "!!!!");
        // A valid base64 body that is not an SSHSIG blob.
        let not_sshsig = "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n";
        for bad in [
            "",
            "hello",
            truncated.as_str(),
            no_end.as_str(),
            garbled_body.as_str(),
            not_sshsig,
            &f.sig[..f.sig.len() / 2],
        ] {
            let err = verify_signature(f.msg, bad).expect_err("garbled");
            assert!(matches!(err, SignError::Malformed(_)), "{bad:?}: {err:?}");
            assert!(err.to_string().starts_with("malformed SSH signature"), "{err}");
        }
        // A changed signature byte that still decodes is a mismatch.
        let mut flipped: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let body = flipped.len() - 2;
        let last = flipped[body].clone();
        let mut chars: Vec<char> = last.chars().collect();
        let i = chars.len().saturating_sub(4);
        chars[i] = if chars[i] == 'A' { 'B' } else { 'A' };
        flipped[body] = chars.into_iter().collect();
        let flipped = flipped.join("\n");
        let err = verify_signature(f.msg, &flipped).expect_err("flipped");
        assert!(matches!(err, SignError::Mismatch { .. } | SignError::Malformed(_)), "{err:?}");
        // Surrounding whitespace is fine.
        verify_signature(f.msg, &format!("\n  {}\n\n", f.sig.trim())).expect("whitespace");
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
        assert!(signers.entries[1].cert_authority);
        assert_eq!(signers.entries[3].namespaces.as_deref(), Some("a b"));
        assert_eq!(signers.entries[4].valid_after, Some(parse_time("20200101123456Z").expect("t")));
        assert!(AllowedSigners::parse("", "empty").expect("empty").is_empty());
    }

    #[test]
    fn parse_errors_name_origin_and_line() {
        let f = fixture();
        let key = pub_line(&f.key);
        let (kt, b64) = key.split_once(' ').expect("type");
        let b64 = b64.split(' ').next().expect("b64");
        let bad = [
            ("a@x", "missing key"),
            ("a@x ssh-ed25519", "missing base64"),
            (&format!("a@x ssh-ed25519 {}", &b64[..20]), "invalid ssh-ed25519"),
            (&format!("a@x ssh-rsa {b64}"), "invalid ssh-rsa"),
            (&format!("a@x {kt} !!!notbase64"), "invalid"),
            (&format!("a@x bogus-option {key}"), "unknown option \"bogus-option\""),
            (&format!("a@x namespaces=git {key}"), "double-quoted"),
            (&format!("a@x namespaces=\"git {key}"), "missing closing quote"),
            (&format!("a@x valid-before=\"2020\" {key}"), "invalid time"),
            (&format!("a@x valid-before=\"20201301\" {key}"), "invalid time"),
            (&format!("a@x valid-after=\"20300101\",valid-before=\"20200101\" {key}"), "not after"),
            (&format!("a@x namespaces=\"a\",namespaces=\"b\" {key}"), "more than one"),
            (&format!("a@x cert-authority, {key}"), "end with a comma"),
            ("a@x cert-authority", "missing key"),
            (&format!("\"a@x {key}"), "missing closing quote"),
        ];
        for (line, want) in bad {
            let text = format!("# header\nok@x {key}\n\n{line}\nok2@x {key}\n");
            let err = AllowedSigners::parse(&text, "/etc/allowed_signers").expect_err(line);
            let msg = err.to_string();
            assert!(msg.starts_with("/etc/allowed_signers:4: "), "{line}: {msg}");
            assert!(msg.contains(want), "{line}: {msg} lacks {want}");
            assert!(matches!(err, SignError::Syntax { line: 4, .. }));
        }
    }

    #[test]
    fn load_reads_file_and_names_it() {
        let dir = tmp();
        let path = dir.path().join("allowed_signers");
        let err = AllowedSigners::load(&path).expect_err("missing");
        assert!(err.to_string().contains("allowed_signers"), "{err}");
        fs::write(&path, "a@x ssh-ed25519\n").expect("write");
        let err = AllowedSigners::load(&path).expect_err("bad");
        assert!(err.to_string().starts_with(&format!("{}:1:", path.display())), "{err}");
    }

    #[test]
    fn times_parse_like_ssh_keygen() {
        assert_eq!(parse_time("19700102Z"), Some(86_400));
        assert_eq!(parse_time("202001011230Z"), Some(1_577_881_800));
        assert_eq!(parse_time("20200101123005z"), Some(1_577_881_805));
        assert_eq!(parse_time("20200101123005UTC"), Some(1_577_881_805));
        assert_eq!(parse_time("19700101Z"), None); // 0 is "unset" to ssh-keygen
        for bad in ["", "Z", "2020010", "202001011", "20200230", "2020010112", "2020O101", "é2020101"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
        // Without Z: local time, i.e. within a day of the UTC reading.
        let local = parse_time("20200601").expect("local");
        let utc = parse_time("20200601Z").expect("utc");
        assert!((local - utc).abs() <= 86_400);
    }

    #[test]
    fn find_key_order() {
        let dir = tmp();
        let home = dir.path();
        let none = |_: &str| None;
        // Explicit wins, ~/ expands.
        let k = find_key_with(Some(Path::new("~/k")), Some(home), &none).expect("explicit");
        assert_eq!((k.path, k.origin.as_str()), (home.join("k"), "--key"));
        // Nothing configured, no default key.
        assert!(find_key_with(None, Some(home), &none).is_none());
        assert!(find_key_with(None, None, &none).is_none());
        // Default key.
        fs::create_dir(home.join(".ssh")).expect("mkdir");
        fs::write(home.join(".ssh/id_ed25519"), "x").expect("write");
        let k = find_key_with(None, Some(home), &none).expect("default");
        assert_eq!((k.path, k.origin.as_str()), (home.join(".ssh/id_ed25519"), "~/.ssh/id_ed25519"));

        // git config, read by real git from a scratch repository.
        let repo = home.join("repo");
        fs::create_dir(&repo).expect("mkdir");
        let git = |args: &[&str]| -> Command {
            let mut c = Command::new("git");
            c.arg("-C").arg(&repo).args(args).env("GIT_CONFIG_GLOBAL", "/dev/null").env("GIT_CONFIG_NOSYSTEM", "1");
            c
        };
        run(&mut git(&["init", "-q"]));
        let get = |name: &str| git_config_get(git(&[]), name);
        run(&mut git(&["config", "user.signingkey", "~/.ssh/work_key.pub"]));
        // gpg.format unset: git's key is for gpg, not used.
        let k = find_key_with(None, Some(home), &get).expect("default");
        assert_eq!(k.origin, "~/.ssh/id_ed25519");
        run(&mut git(&["config", "gpg.format", "ssh"]));
        let k = find_key_with(None, Some(home), &get).expect("git path");
        assert_eq!((k.path, k.origin.as_str()), (home.join(".ssh/work_key.pub"), "git user.signingkey"));
        // Literal keys, both spellings, go to a temp file.
        let line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILM+rvN+ot98qgEN796jTiQfZfG1KaT0PtFDJ/XFSqti me";
        for value in [format!("key::{line}"), line.to_string()] {
            run(&mut git(&["config", "user.signingkey", &value]));
            let k = find_key_with(None, Some(home), &get).expect("literal");
            assert_eq!(k.origin, "git user.signingkey");
            assert_eq!(fs::read_to_string(&k.path).expect("tmp").trim(), line);
            PublicKey::read_openssh_file(&k.path).expect("parses");
        }
        // Explicit still wins over git.
        let k = find_key_with(Some(Path::new("/k")), Some(home), &get).expect("explicit");
        assert_eq!(k.origin, "--key");
    }
}
