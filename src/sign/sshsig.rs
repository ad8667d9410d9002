//! Checking signatures in-process: decoding the armored SSHSIG text that
//! `ssh-keygen -Y sign` writes and verifying it with the `ssh-key` crate, so a
//! verifier (a CI job) needs no OpenSSH.  Whether the signer is trusted is
//! [`AllowedSigners`]' business; [`verify`] combines the two.
//!
//! The blob is decoded here rather than by `ssh_key::SshSig`, which cannot
//! read a signature made with an SSH certificate.  Its layout is OpenSSH's
//! PROTOCOL.sshsig: `"SSHSIG"`, a version (1), the public key (a plain key or
//! a certificate), the namespace, a reserved string, the hash algorithm and
//! the signature.  As in OpenSSH, a certificate's own CA signature must verify
//! for the signature to be readable at all, and the reserved string is not
//! part of what is verified.

use ssh_key::{Algorithm, HashAlg, PublicKey, Signature, SshSig, public::KeyData};

use super::certificate::Certificate;

use super::allowed_signers::is_c_space;
use super::{AllowedSigners, NAMESPACE, SignError};

pub(super) const ARMOR_BEGIN: &str = "-----BEGIN SSH SIGNATURE-----";
const ARMOR_END: &str = "-----END SSH SIGNATURE-----";

/// The key that made a signature.
#[derive(Debug, Clone)]
pub(super) enum SignerKey {
    /// A plain public key.
    Plain(KeyData),
    /// An SSH certificate; its public key made the signature.
    Certificate(Box<Certificate>),
}

impl SignerKey {
    /// The public key that made the signature (a certificate's own key).
    pub(super) fn key_data(&self) -> &KeyData {
        match self {
            SignerKey::Plain(k) => k,
            SignerKey::Certificate(c) => c.public_key(),
        }
    }
}

/// A decoded (not yet verified) signature.
pub(super) struct Decoded {
    pub(super) signer: SignerKey,
    /// The signature with the signer's plain key, for `ssh-key` to verify.
    sig: SshSig,
}

/// Reads the SSH wire format: big-endian u32s and u32-length strings.
pub(super) struct Reader<'a>(pub(super) &'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = rest;
        Some(head)
    }

    pub(super) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }

    pub(super) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_be_bytes(self.take(8)?.try_into().ok()?))
    }

    pub(super) fn string(&mut self) -> Option<&'a [u8]> {
        let len = usize::try_from(self.u32()?).ok()?;
        self.take(len)
    }
}

fn malformed(detail: impl Into<String>) -> SignError {
    SignError::Malformed(detail.into())
}

/// The binary SSHSIG blob inside the armor.  Like OpenSSH: the header line,
/// base64 (blanks and line breaks anywhere), the footer line; here nothing
/// but blanks may surround them.
fn dearmor(armored: &str) -> Result<Vec<u8>, SignError> {
    let text = armored.trim();
    let Some(body) = text.strip_prefix(ARMOR_BEGIN) else {
        return Err(malformed(format!("it does not start with {ARMOR_BEGIN}")));
    };
    let Some(body) = body.strip_prefix("\r\n").or_else(|| body.strip_prefix('\n')) else {
        return Err(malformed("no line break after the header"));
    };
    let Some(body) = body.strip_suffix(ARMOR_END).and_then(|b| b.strip_suffix('\n')) else {
        return Err(malformed(format!("it does not end with {ARMOR_END}")));
    };
    match base64_decode(body.as_bytes()) {
        Some(blob) if !blob.is_empty() => Ok(blob),
        _ => Err(malformed("its body is not base64")),
    }
}

/// Decode an armored signature (without verifying it).
pub(super) fn decode(armored: &str) -> Result<Decoded, SignError> {
    let blob = dearmor(armored)?;
    let mut r = Reader(&blob);
    if r.take(6) != Some(b"SSHSIG") {
        return Err(malformed("it is not an SSHSIG signature"));
    }
    let truncated = || malformed("it is truncated");
    let version = r.u32().ok_or_else(truncated)?;
    if version > 1 {
        return Err(malformed(format!("signature version {version} is not supported")));
    }
    let key = r.string().ok_or_else(truncated)?;
    let namespace = r.string().ok_or_else(truncated)?;
    let _reserved = r.string().ok_or_else(truncated)?;
    let hash = r.string().ok_or_else(truncated)?;
    let signature_raw = r.string().ok_or_else(truncated)?;
    if !r.0.is_empty() {
        return Err(malformed("trailing data after the signature"));
    }
    let namespace = std::str::from_utf8(namespace).map_err(|_| malformed("its namespace is not text"))?;
    let hash = std::str::from_utf8(hash)
        .ok()
        .and_then(|h| HashAlg::new(h).ok())
        .ok_or_else(|| malformed(format!("unsupported hash algorithm {:?}", String::from_utf8_lossy(hash))))?;
    let algorithm = Reader(key).string().unwrap_or_default();
    let signer = if Certificate::is_certificate_type(algorithm) {
        // OpenSSH will not read a certificate whose CA signature is bad.
        let cert = Certificate::from_bytes(key).map_err(|e| malformed(format!("its certificate: {e}")))?;
        SignerKey::Certificate(Box::new(cert))
    } else {
        let key = PublicKey::from_bytes(key).map_err(|e| malformed(format!("its public key cannot be read: {e}")))?;
        match key.key_data() {
            KeyData::Dsa(_) => return Err(malformed("it was made with a DSA key, which privcheck cannot verify")),
            KeyData::Other(_) => {
                return Err(malformed(format!("unknown key type {:?}", String::from_utf8_lossy(algorithm))));
            }
            k => SignerKey::Plain(k.clone()),
        }
    };
    let signature = Signature::try_from(signature_raw).map_err(|e| malformed(format!("bad signature value: {e}")))?;
    // Nothing may follow the signature value inside its string.
    if Vec::<u8>::try_from(signature.clone()).ok().as_deref() != Some(signature_raw) {
        return Err(malformed("trailing data in the signature value"));
    }
    let sig = SshSig::new(signer.key_data().clone(), namespace, hash, signature)
        .map_err(|e| malformed(format!("bad signature: {e}")))?;
    Ok(Decoded { signer, sig })
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

/// Standard base64 with padding, on one line.
pub(super) fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= chunk.len() { char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]) } else { '=' });
        }
    }
    out
}

pub(super) fn fingerprint(key: &KeyData) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// What a signature says about the key that made it (decoded, not checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureInfo {
    /// SHA256 fingerprint of the key that made the signature; for a
    /// certificate, of the certificate's own public key (as `ssh-keygen -l`
    /// prints it for the `-cert.pub` file).
    pub fingerprint: String,
    /// That key as an OpenSSH public key line, `keytype base64` (no comment),
    /// as in `~/.ssh/id_*.pub`.
    pub public_key: String,
    /// Set when the signature was made with an SSH certificate.
    pub certificate: Option<CertificateInfo>,
}

/// The parts of an SSH certificate a reader of a sign-off cares about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// The certificate as an OpenSSH line (`...-cert-v01@openssh.com base64`).
    pub line: String,
    /// Fingerprint of the CA key that signed the certificate.
    pub ca_fingerprint: String,
    /// The key identity (`ssh-keygen -s -I`).
    pub key_id: String,
    /// The serial number.
    pub serial: u64,
    /// The principals it is valid for (`-n`).
    pub principals: Vec<String>,
    /// Valid from (unix seconds, inclusive).
    pub valid_after: u64,
    /// Valid until (unix seconds, exclusive; `u64::MAX` for "forever").
    pub valid_before: u64,
    /// True for a user certificate, false for a host certificate.
    pub user: bool,
}

fn openssh_line(key: &KeyData) -> Result<String, SignError> {
    PublicKey::from(key.clone()).to_openssh().map_err(|e| malformed(format!("cannot encode its public key: {e}")))
}

/// Describe the key that made an armored signature (without checking it).
pub fn signature_info(armored: &str) -> Result<SignatureInfo, SignError> {
    let decoded = decode(armored)?;
    let key = decoded.signer.key_data();
    let certificate = match &decoded.signer {
        SignerKey::Plain(_) => None,
        SignerKey::Certificate(c) => Some(CertificateInfo {
            line: c.to_openssh(),
            ca_fingerprint: fingerprint(c.signature_key()),
            key_id: String::from_utf8_lossy(c.key_id()).into_owned(),
            serial: c.serial(),
            principals: c.valid_principals().iter().map(|p| String::from_utf8_lossy(p).into_owned()).collect(),
            valid_after: c.valid_after(),
            valid_before: c.valid_before(),
            user: c.is_user(),
        }),
    };
    Ok(SignatureInfo { fingerprint: fingerprint(key), public_key: openssh_line(key)?, certificate })
}

/// The fingerprint (SHA256:...) and the OpenSSH public key line of the key that made an armored signature.
///
/// This only decodes the signature; it does not check it.  The public key line
/// is `keytype base64` without a comment, as it would appear in
/// allowed_signers or `~/.ssh/id_*.pub`.  For a signature made with an SSH
/// certificate, the fingerprint is that of the certificate's own public key
/// and the line is the certificate's (its type ends in
/// `-cert-v01@openssh.com`, which says it is a certificate); see
/// [`signature_info`] for the details.
pub fn signature_key(armored: &str) -> Result<(String, String), SignError> {
    let info = signature_info(armored)?;
    let line = match info.certificate {
        Some(c) => c.line,
        None => info.public_key,
    };
    Ok((info.fingerprint, line))
}

/// Verify cryptographically only: namespace must be NAMESPACE, signature must match message. Returns the signer fingerprint.
///
/// This says nothing about whether the signer is trusted; use [`verify`] with
/// an [`AllowedSigners`] for that.  For a certificate, its CA signature is
/// checked (as OpenSSH checks it when reading one), but not whether the CA is
/// trusted nor whether the certificate is valid now.
pub fn verify_signature(message: &[u8], armored: &str) -> Result<String, SignError> {
    check_signature(message, &decode(armored)?)
}

fn check_signature(message: &[u8], decoded: &Decoded) -> Result<String, SignError> {
    let sig = &decoded.sig;
    if sig.namespace() != NAMESPACE {
        return Err(SignError::Namespace { found: sig.namespace().to_string() });
    }
    let fp = fingerprint(sig.public_key());
    let data = SshSig::signed_data(NAMESPACE, sig.hash_alg(), message).map_err(|e| malformed(e.to_string()))?;
    if !verify_raw(sig.public_key(), &data, sig.signature()) {
        return Err(SignError::Mismatch { fingerprint: fp });
    }
    Ok(fp)
}

/// Does `signature` by `key` cover `data`?  As OpenSSH checks it: through
/// the `ssh-key` crate, except RSA, whose keys OpenSSH takes from 1024 to
/// 16384 bits (`ssh-key` only from 2048 to 4096), with rsa-sha2-256 or
/// rsa-sha2-512, and a signature shorter than the modulus left-padded with
/// zeros.
pub(super) fn verify_raw(key: &KeyData, data: &[u8], signature: &Signature) -> bool {
    use rsa::pkcs1v15::{Signature as RsaSignature, VerifyingKey};
    use rsa::traits::PublicKeyParts;
    use signature::Verifier;
    let KeyData::Rsa(rsa_key) = key else {
        return key.verify(data, signature).is_ok();
    };
    let (Some(n), Some(e)) = (rsa_key.n.as_positive_bytes(), rsa_key.e.as_positive_bytes()) else {
        return false;
    };
    let (n, e) = (rsa::BigUint::from_bytes_be(n), rsa::BigUint::from_bytes_be(e));
    let Ok(public) = rsa::RsaPublicKey::new_with_max_size(n, e, 16_384) else {
        return false;
    };
    if public.n().bits() < 1024 || signature.as_bytes().len() > public.size() {
        return false;
    }
    let mut padded = vec![0u8; public.size() - signature.as_bytes().len()];
    padded.extend_from_slice(signature.as_bytes());
    let Ok(value) = RsaSignature::try_from(padded.as_slice()) else {
        return false;
    };
    match signature.algorithm() {
        Algorithm::Rsa { hash: Some(HashAlg::Sha256) } => {
            VerifyingKey::<sha2::Sha256>::new(public).verify(data, &value).is_ok()
        }
        Algorithm::Rsa { hash: Some(HashAlg::Sha512) } => {
            VerifyingKey::<sha2::Sha512>::new(public).verify(data, &value).is_ok()
        }
        _ => false,
    }
}

/// Verify signature + allowed_signers: verify_signature, then allows(principal, key, at).
///
/// `at` is the time (unix seconds) the `valid-after`/`valid-before` options
/// (and a certificate's validity) are checked against.  Returns the signer's
/// fingerprint (for a certificate, of its own public key).
pub fn verify(
    message: &[u8],
    armored: &str,
    allowed: &AllowedSigners,
    principal: &str,
    at: i64,
) -> Result<String, SignError> {
    let decoded = decode(armored)?;
    let fp = check_signature(message, &decoded)?;
    allowed.allows_signer(principal, &decoded.signer, at)?;
    Ok(fp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::sign;
    use crate::sign::test_support::*;
    use std::process::Command;

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

    /// RSA keys of the sizes OpenSSH takes but the `ssh-key` crate alone
    /// does not (under 2048 and over 4096 bits) verify here too, and so do
    /// certificates signed by such an RSA CA; under 1024 bits, OpenSSH refuses.
    #[test]
    fn rsa_keys_of_every_size_openssh_takes_verify() {
        let dir = tmp();
        let d = dir.path();
        for bits in ["1024", "4160"] {
            let key = keygen(d, &format!("rsa{bits}"), &["-t", "rsa", "-b", bits], "");
            let allowed = format!("a@x {}\n", pub_line(&key));
            let signers = AllowedSigners::parse(&allowed, "a").expect("parse");
            let msg = format!("rsa {bits}").into_bytes();
            let theirs = keygen_sign(d, &key, NAMESPACE, &msg);
            verify(&msg, &theirs, &signers, "a@x", NOW).unwrap_or_else(|e| panic!("{bits}: {e}"));
            assert!(matches!(verify_signature(b"other", &theirs), Err(SignError::Mismatch { .. })), "{bits}");
            let ours = sign(&key, &msg).expect("sign");
            assert!(keygen_verify(d, &allowed, "a@x", &ours, &msg, &[]), "{bits}: ssh-keygen");
            verify(&msg, &ours, &signers, "a@x", NOW).unwrap_or_else(|e| panic!("{bits}: {e}"));
            // A certificate signed by this RSA CA.
            let user = keygen(d, &format!("user{bits}"), &["-t", "ed25519"], "");
            let cert = certify(d, &key, &user, &format!("user{bits}"), &["-I", "u", "-n", "a@x"]);
            let sig = sign(&cert, &msg).expect("sign with cert");
            let ca_line = format!("a@x cert-authority {}\n", pub_line(&key));
            let signers = AllowedSigners::parse(&ca_line, "a").expect("parse");
            assert!(keygen_verify(d, &ca_line, "a@x", &sig, &msg, &[]), "{bits}: ssh-keygen, cert");
            verify(&msg, &sig, &signers, "a@x", NOW).unwrap_or_else(|e| panic!("{bits} CA: {e}"));
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
        assert_eq!(signature_info(&sig).expect("info").certificate, None);
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
    fn armor_round_trips_through_the_test_encoder() {
        let f = fixture();
        assert_eq!(armor(&blob_of(&f.sig)), f.sig);
        verify_signature(f.msg, &armor(&blob_of(&f.sig))).expect("re-armored");
    }

    /// Signing with a certificate (the `-cert.pub` file as the key, as git's
    /// user.signingkey would name it): the signature carries the certificate,
    /// is read and checked here, and says who certified whom.
    #[test]
    fn certificate_signatures_are_read_and_checked() {
        let dir = tmp();
        let ca = keygen(dir.path(), "ca", &["-t", "ed25519"], "");
        let user = keygen(dir.path(), "user", &["-t", "ed25519"], "");
        let cert = certify(
            dir.path(),
            &ca,
            &user,
            "user",
            &["-I", "ann-id", "-n", "ann@example.com", "-z", "7", "-V", "20250101Z:20260101Z"],
        );
        let msg = b"signed with a certificate";
        let sig = sign(&cert, msg).expect("sign with the certificate");
        let fp = verify_signature(msg, &sig).expect("verify");
        let listed = String::from_utf8_lossy(&run(Command::new("ssh-keygen").arg("-lf").arg(pub_path(&user))).stdout)
            .to_string();
        assert!(listed.contains(&fp), "{listed} vs {fp}: the fingerprint is the certificate's own key's");
        assert!(matches!(verify_signature(b"other", &sig), Err(SignError::Mismatch { .. })));

        let info = signature_info(&sig).expect("info");
        assert_eq!(info.fingerprint, fp);
        assert_eq!(info.public_key, pub_line(&user).rsplit_once(' ').expect("comment").0);
        let c = info.certificate.expect("a certificate");
        assert_eq!((c.key_id.as_str(), c.serial, c.user), ("ann-id", 7, true));
        assert_eq!(c.principals, ["ann@example.com"]);
        assert_eq!(c.ca_fingerprint, fingerprint(public_key(&ca).key_data()));
        assert_eq!(c.valid_after, 1_735_689_600);
        assert_eq!(c.valid_before, 1_767_225_600);
        assert!(c.line.starts_with("ssh-ed25519-cert-v01@openssh.com "), "{}", c.line);
        let cert_text = std::fs::read_to_string(&cert).expect("cert");
        assert!(cert_text.starts_with(&c.line), "{cert_text} vs {}", c.line);
        let (fp2, line) = signature_key(&sig).expect("signature_key");
        assert_eq!((fp2.as_str(), line), (fp.as_str(), c.line));

        // With the private key file as the key, ssh-keygen signs with the plain
        // key even though the certificate sits beside it; so does privcheck.
        let plain = sign(&user, msg).expect("sign with the key");
        assert_eq!(signature_info(&plain).expect("info").certificate, None);
        assert_eq!(verify_signature(msg, &plain).expect("verify"), fp);
    }

    /// A certificate whose CA signature does not verify makes the signature
    /// unreadable, here as in ssh-keygen, even though the signature itself
    /// (made by the certificate's key) is intact.
    #[test]
    fn a_certificate_with_a_broken_ca_signature_is_malformed() {
        let dir = tmp();
        let ca = keygen(dir.path(), "ca", &["-t", "ed25519"], "");
        let user = keygen(dir.path(), "user", &["-t", "ed25519"], "");
        let cert = certify(dir.path(), &ca, &user, "user", &["-I", "ann-id", "-n", "ann@example.com"]);
        let msg = b"m";
        let sig = sign(&cert, msg).expect("sign");
        let allowed = format!("*@example.com cert-authority {}\n", pub_line(&ca));
        assert!(keygen_verify(dir.path(), &allowed, "ann@example.com", &sig, msg, &[]));
        let mut blob = blob_of(&sig);
        let at = blob.windows(10).position(|w| w == b"\0\0\0\x06ann-id").expect("key id in the blob");
        blob[at + 4] = b'b';
        let forged = armor(&blob);
        let err = verify_signature(msg, &forged).expect_err("forged key id");
        assert!(err.to_string().contains("CA signature does not verify"), "{err}");
        assert!(!keygen_verify(dir.path(), &allowed, "bnn@example.com", &forged, msg, &[]));
    }

    #[test]
    fn blobs_that_are_not_valid_sshsig_are_malformed() {
        let f = fixture();
        let blob = blob_of(&f.sig);
        let mut version2 = blob.clone();
        version2[9] = 2;
        let mut trailing = blob.clone();
        trailing.push(0);
        let mut sha1 = blob.clone();
        let h = sha1.windows(6).rposition(|w| w == b"sha512").expect("hash name");
        sha1[h..h + 6].copy_from_slice(b"sha384");
        for (bad, want) in [
            (&blob[..blob.len() - 1], "truncated"),
            (&version2[..], "version 2"),
            (&trailing[..], "trailing data"),
            (&sha1[..], "hash algorithm"),
            (&b"SSHSIH"[..], "not an SSHSIG"),
        ] {
            let err = verify_signature(f.msg, &armor(bad)).expect_err(want);
            assert!(matches!(err, SignError::Malformed(_)), "{want}: {err:?}");
            assert!(err.to_string().contains(want), "{err} lacks {want}");
        }
        // The reserved string is not verified (as in OpenSSH): a signature
        // stays valid when it changes.
        let mut reserved = blob.clone();
        let ns = reserved.windows(13).position(|w| w == b"\0\0\0\x09privcheck").expect("namespace");
        reserved.splice(ns + 13..ns + 17, *b"\0\0\0\x01");
        reserved.insert(ns + 17, b'r');
        verify_signature(f.msg, &armor(&reserved)).expect("reserved is ignored");
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
