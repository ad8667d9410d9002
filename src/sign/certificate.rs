//! Reading OpenSSH certificates (PROTOCOL.certkeys) ourselves: the `ssh-key`
//! crate (0.6) refuses any certificate valid "forever" (`valid before` =
//! 2^64-1, what `ssh-keygen -s` writes without `-V`), and cannot decode a
//! signature made with one.  As OpenSSH's `cert_parse` does, a certificate is
//! only read when the signature of its CA over it verifies; whether that CA
//! is trusted is for allowed_signers to say.

use ssh_key::{PublicKey, Signature, public::KeyData};

use super::sshsig::{Reader, base64_encode, verify_raw};

/// An SSH certificate whose CA signature verifies.
#[derive(Debug, Clone)]
pub(super) struct Certificate {
    /// The whole certificate, as on the wire.
    blob: Vec<u8>,
    algorithm: String,
    public_key: KeyData,
    serial: u64,
    user: bool,
    key_id: Vec<u8>,
    principals: Vec<Vec<u8>>,
    valid_after: u64,
    valid_before: u64,
    signature_key: KeyData,
}

/// (certificate type, the plain key type it certifies, number of key fields),
/// for the certificate types OpenSSH reads.
const CERT_TYPES: &[(&str, &str, usize)] = &[
    ("ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519", 1),
    ("sk-ssh-ed25519-cert-v01@openssh.com", "sk-ssh-ed25519@openssh.com", 2),
    ("ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp256", 2),
    ("ecdsa-sha2-nistp384-cert-v01@openssh.com", "ecdsa-sha2-nistp384", 2),
    ("ecdsa-sha2-nistp521-cert-v01@openssh.com", "ecdsa-sha2-nistp521", 2),
    ("sk-ecdsa-sha2-nistp256-cert-v01@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", 3),
    ("ssh-rsa-cert-v01@openssh.com", "ssh-rsa", 2),
    ("rsa-sha2-256-cert-v01@openssh.com", "ssh-rsa", 2),
    ("rsa-sha2-512-cert-v01@openssh.com", "ssh-rsa", 2),
    ("ssh-dss-cert-v01@openssh.com", "ssh-dss", 4),
];

/// OpenSSH's limit on the principals of one certificate.
const MAX_PRINCIPALS: usize = 256;

fn put_string(out: &mut Vec<u8>, s: &[u8]) {
    // Every field here came out of a u32-length string, so it fits.
    out.extend_from_slice(&u32::try_from(s.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(s);
}

impl Certificate {
    /// Does this key blob (or key type name) start with a certificate type?
    pub(super) fn is_certificate_type(algorithm: &[u8]) -> bool {
        CERT_TYPES.iter().any(|(name, ..)| name.as_bytes() == algorithm)
    }

    /// Read a certificate from its wire form and check its CA signature.
    pub(super) fn from_bytes(blob: &[u8]) -> Result<Certificate, String> {
        let truncated = || "the certificate is truncated".to_string();
        let mut r = Reader(blob);
        let algorithm = r.string().ok_or_else(truncated)?;
        let Some(&(name, plain_type, fields)) = CERT_TYPES.iter().find(|(n, ..)| n.as_bytes() == algorithm) else {
            return Err(format!("unknown certificate type {:?}", String::from_utf8_lossy(algorithm)));
        };
        let _nonce = r.string().ok_or_else(truncated)?;
        // The certified key's fields, as a plain key blob.
        let mut plain = Vec::new();
        put_string(&mut plain, plain_type.as_bytes());
        for _ in 0..fields {
            put_string(&mut plain, r.string().ok_or_else(truncated)?);
        }
        let public_key = match PublicKey::from_bytes(&plain).map(|k| k.key_data().clone()) {
            Ok(KeyData::Other(_)) | Err(_) => return Err(format!("the certified {plain_type} key cannot be read")),
            Ok(k) => k,
        };
        let serial = r.u64().ok_or_else(truncated)?;
        let cert_type = r.u32().ok_or_else(truncated)?;
        let key_id = cstring(r.string().ok_or_else(truncated)?)?;
        let mut packed = Reader(r.string().ok_or_else(truncated)?);
        let valid_after = r.u64().ok_or_else(truncated)?;
        let valid_before = r.u64().ok_or_else(truncated)?;
        let critical = r.string().ok_or_else(truncated)?;
        let extensions = r.string().ok_or_else(truncated)?;
        let _reserved = r.string().ok_or_else(truncated)?;
        let ca = r.string().ok_or_else(truncated)?;
        let signed = &blob[..blob.len() - r.0.len()];
        let ca_signature = r.string().ok_or_else(truncated)?;
        if !r.0.is_empty() {
            return Err("trailing data after the certificate".to_string());
        }
        let user = match cert_type {
            1 => true,
            2 => false,
            other => return Err(format!("unknown certificate kind {other}")),
        };
        let mut principals = Vec::new();
        while !packed.0.is_empty() {
            if principals.len() >= MAX_PRINCIPALS {
                return Err(format!("more than {MAX_PRINCIPALS} principals"));
            }
            principals.push(cstring(packed.string().ok_or_else(truncated)?)?);
        }
        // Critical options and extensions: pairs of strings.
        for section in [critical, extensions] {
            let mut s = Reader(section);
            while !s.0.is_empty() {
                s.string().and_then(|_| s.string()).ok_or("malformed certificate options")?;
            }
        }
        let signature_key = match PublicKey::from_bytes(ca).map(|k| k.key_data().clone()) {
            Ok(KeyData::Other(_)) | Err(_) => return Err("its CA key cannot be read".to_string()),
            Ok(k) => k,
        };
        let signature =
            Signature::try_from(ca_signature).map_err(|e| format!("its CA signature cannot be read: {e}"))?;
        if Vec::<u8>::try_from(signature.clone()).ok().as_deref() != Some(ca_signature) {
            return Err("trailing data in its CA signature".to_string());
        }
        if !verify_raw(&signature_key, signed, &signature) {
            return Err("its CA signature does not verify".to_string());
        }
        Ok(Certificate {
            blob: blob.to_vec(),
            algorithm: name.to_string(),
            public_key,
            serial,
            user,
            key_id,
            principals,
            valid_after,
            valid_before,
            signature_key,
        })
    }

    /// The certificate as on the wire (two are the same certificate when
    /// these are equal, as OpenSSH's `cert_compare` says).
    pub(super) fn to_bytes(&self) -> &[u8] {
        &self.blob
    }

    /// The certificate as an OpenSSH line, `type base64`.
    pub(super) fn to_openssh(&self) -> String {
        format!("{} {}", self.algorithm, base64_encode(&self.blob))
    }

    /// The certified public key (which makes the signatures).
    pub(super) fn public_key(&self) -> &KeyData {
        &self.public_key
    }

    /// The CA key that signed the certificate.
    pub(super) fn signature_key(&self) -> &KeyData {
        &self.signature_key
    }

    pub(super) fn serial(&self) -> u64 {
        self.serial
    }

    /// A user certificate (not a host certificate)?
    pub(super) fn is_user(&self) -> bool {
        self.user
    }

    pub(super) fn key_id(&self) -> &[u8] {
        &self.key_id
    }

    pub(super) fn valid_principals(&self) -> &[Vec<u8>] {
        &self.principals
    }

    /// Valid from (unix seconds, inclusive).
    pub(super) fn valid_after(&self) -> u64 {
        self.valid_after
    }

    /// Valid until (unix seconds, exclusive).
    pub(super) fn valid_before(&self) -> u64 {
        self.valid_before
    }
}

/// A string OpenSSH reads as a C string: no NUL inside.
fn cstring(s: &[u8]) -> Result<Vec<u8>, String> {
    if s.contains(&0) {
        return Err("a NUL inside a certificate string".to_string());
    }
    Ok(s.to_vec())
}
