//! Checking signatures in-process: decoding the armored SSHSIG text that
//! `ssh-keygen -Y sign` writes and verifying it with the `ssh-key` crate, so a
//! verifier (a CI job) needs no OpenSSH.  Whether the signer is trusted is
//! [`AllowedSigners`]' business; [`verify`] combines the two.

use ssh_key::{HashAlg, PublicKey, SshSig, public::KeyData};

use super::allowed_signers::is_c_space;
use super::{AllowedSigners, NAMESPACE, SignError};

pub(super) const ARMOR_BEGIN: &str = "-----BEGIN SSH SIGNATURE-----";

pub(super) fn parse_armor(armored: &str) -> Result<SshSig, SignError> {
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

/// OpenSSH's `b64_pton`, which reads both the armored signature and the keys
/// in allowed_signers: standard base64, blanks (C `isspace`) allowed anywhere,
/// `=` padding required when the data does not end on a 3-byte boundary and
/// nothing but blanks after it, and the unused bits before the padding zero.
pub(super) fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u8> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        })
    };
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 3);
    let (mut state, mut partial) = (0, 0u8);
    let mut rest = s.iter().copied();
    let mut padded = false;
    for c in rest.by_ref() {
        if is_c_space(c) {
            continue;
        }
        if c == b'=' {
            padded = true;
            break;
        }
        let v = value(c)?;
        match state {
            0 => partial = v << 2,
            1 => {
                out.push(partial | v >> 4);
                partial = (v & 0x0f) << 4;
            }
            2 => {
                out.push(partial | v >> 2);
                partial = (v & 0x03) << 6;
            }
            _ => {
                out.push(partial | v);
                partial = 0;
            }
        }
        state = (state + 1) % 4;
    }
    if !padded {
        return (state == 0).then_some(out);
    }
    match state {
        2 => {
            // One byte of data: a second `=` must follow (blanks between).
            if rest.by_ref().find(|&c| !is_c_space(c)) != Some(b'=') {
                return None;
            }
        }
        3 => {}
        _ => return None,
    }
    (rest.all(is_c_space) && partial == 0).then_some(out)
}

pub(super) fn fingerprint(key: &KeyData) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::sign;
    use crate::sign::test_support::*;
    use std::process::{Command, Stdio};

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

    /// ECDSA P-521 needs the `ssh-key` crate's `p521` feature; without it every
    /// P-521 signature was reported as not matching its data.  Several messages,
    /// so that signature values with leading zero bytes (about one in 128) are
    /// likely to come up in one of the directions.
    #[test]
    fn ecdsa_p521_signatures_verify_both_ways() {
        let dir = tmp();
        let key = keygen(dir.path(), "ec521", &["-t", "ecdsa", "-b", "521"], "");
        assert!(pub_line(&key).starts_with("ecdsa-sha2-nistp521 "), "{}", pub_line(&key));
        let allowed = format!("erin@example.com {}\n", pub_line(&key));
        let signers = AllowedSigners::parse(&allowed, "a").expect("parse");
        let listed =
            String::from_utf8_lossy(&run(Command::new("ssh-keygen").arg("-lf").arg(pub_path(&key))).stdout).to_string();
        for i in 0..6 {
            let msg = format!("p521 message {i}\n").into_bytes();
            // Made by ssh-keygen directly, verified here.
            let theirs = keygen_sign(dir.path(), &key, NAMESPACE, &msg);
            let fp = verify(&msg, &theirs, &signers, "erin@example.com", NOW).expect("ssh-keygen's P-521 signature");
            assert!(listed.contains(&fp), "{listed} vs {fp}");
            assert!(matches!(verify_signature(b"other data", &theirs), Err(SignError::Mismatch { .. })));
            // Made by privcheck's sign(), verified by ssh-keygen -Y verify and here.
            let ours = sign(&key, &msg).expect("sign with P-521");
            assert!(keygen_verify(dir.path(), &allowed, "erin@example.com", &ours, &msg, &[]), "ssh-keygen rejected");
            assert_eq!(verify_signature(&msg, &ours).expect("verify here"), fp);
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
}
