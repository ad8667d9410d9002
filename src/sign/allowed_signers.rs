//! Deciding who may sign: OpenSSH's `allowed_signers` format (see
//! `man ssh-keygen`, ALLOWED SIGNERS), the file `ssh-keygen -Y verify` and
//! git's `gpg.ssh.allowedSignersFile` read.  The `ssh-key` crate does not parse
//! it, so this module does, following OpenSSH's rules.

use std::path::Path;

use ssh_key::{Algorithm, PublicKey, public::KeyData};

use super::sshsig::fingerprint;
use super::{NAMESPACE, Refusal, SignError};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::test_support::*;
    use crate::sign::verify;
    use std::fs;

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
}
