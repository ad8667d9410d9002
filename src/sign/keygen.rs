//! Making signatures: privcheck does not hold private keys, it runs
//! `ssh-keygen -Y sign` the way git does, so ssh-agent, passphrase prompts and
//! hardware keys work without privcheck knowing about them.

use std::ffi::OsStr;
use std::io::{self, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use super::sshsig::{ARMOR_BEGIN, decode};
use super::{NAMESPACE, SignError};

/// Sign `message` with ssh-keygen using the key at `key` (private key or .pub with agent). Returns the armored signature text ("-----BEGIN SSH SIGNATURE-----...").
///
/// Runs `ssh-keygen -Y sign -n privcheck -f KEY` with the message on its
/// standard input, as git does.  `key` may be a private key file, a
/// certificate (`-cert.pub`, its private key beside it or in the agent), or a
/// public key file whose private half is loaded in ssh-agent
/// (`SSH_AUTH_SOCK`).
///
/// ssh-keygen's standard error is captured, not shown: on success its
/// chatter ("Signing data on standard input") is dropped; on failure it is
/// the detail of [`SignError::Keygen`], whole (trimmed; callers that print it
/// escape control characters).  A passphrase prompt still reaches the user:
/// ssh-keygen reads passphrases with `readpassphrase`, which prompts and reads
/// on /dev/tty, not on standard error.  Without a terminal, ssh-keygen cannot
/// ask for a passphrase; use the agent.
pub fn sign(key: &Path, message: &[u8]) -> Result<String, SignError> {
    sign_with(key, message, |_| {})
}

/// [`sign`], with a hook to adjust the ssh-keygen command (tests use it to
/// point the child at a private agent without touching this process's
/// environment).
pub(super) fn sign_with(key: &Path, message: &[u8], adjust: impl FnOnce(&mut Command)) -> Result<String, SignError> {
    run_signer(OsStr::new("ssh-keygen"), key, false, message, adjust)
}

/// [`run_signer_captured`] without what the program said on success.
pub(super) fn run_signer(
    program: &OsStr,
    key: &Path,
    agent_only: bool,
    message: &[u8],
    adjust: impl FnOnce(&mut Command),
) -> Result<String, SignError> {
    run_signer_captured(program, key, agent_only, message, adjust).map(|(signature, _)| signature)
}

/// Sign with `program` (ssh-keygen, or what git's `gpg.ssh.program` names,
/// which must take ssh-keygen's arguments): `PROGRAM -Y sign -n privcheck -f
/// KEY [-U]`, the message on standard input.  `agent_only` adds `-U` (the
/// key is in ssh-agent), as git does for a literal key.  Returns the
/// signature and the program's standard error (captured, see [`sign`]).
pub(super) fn run_signer_captured(
    program: &OsStr,
    key: &Path,
    agent_only: bool,
    message: &[u8],
    adjust: impl FnOnce(&mut Command),
) -> Result<(String, String), SignError> {
    let name = program.to_string_lossy().into_owned();
    let keygen_error = |detail: String| SignError::Keygen { program: name.clone(), key: key.to_path_buf(), detail };
    let mut cmd = Command::new(program);
    cmd.args(["-Y", "sign", "-n", NAMESPACE, "-f"]).arg(key);
    if agent_only {
        cmd.arg("-U");
    }
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    adjust(&mut cmd);
    let mut child = cmd.spawn().map_err(|source| SignError::Io {
        what: if source.kind() == io::ErrorKind::NotFound && name == "ssh-keygen" {
            "running ssh-keygen (is OpenSSH installed and on PATH?)".to_string()
        } else {
            format!("running {name}")
        },
        source,
    })?;
    let Some(mut stdin) = child.stdin.take() else {
        return Err(keygen_error(format!("no pipe to {name}'s standard input")));
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
    let output = output.map_err(|source| SignError::Io { what: format!("waiting for {name}"), source })?;
    if !output.status.success() {
        let mut detail = match output.status.code() {
            Some(code) => format!("{name} exited with status {code}"),
            None => format!("{name} was stopped ({})", output.status),
        };
        let said = String::from_utf8_lossy(&output.stderr);
        if !said.trim().is_empty() {
            detail.push_str(": ");
            detail.push_str(said.trim());
        }
        if key.extension().is_some_and(|e| e == "pub") {
            detail.push_str("; a .pub key needs its private half loaded in ssh-agent (ssh-add) and SSH_AUTH_SOCK set");
        }
        return Err(keygen_error(detail));
    }
    match written {
        Ok(Ok(())) => {}
        Ok(Err(source)) => {
            return Err(SignError::Io { what: format!("writing the message to {name}"), source });
        }
        Err(_) => return Err(keygen_error(format!("the thread writing the message to {name} panicked"))),
    }
    let said = String::from_utf8_lossy(&output.stderr).trim().to_string();
    let with_said = |detail: String| if said.is_empty() { detail } else { format!("{detail}; it said: {said}") };
    let text = String::from_utf8(output.stdout)
        .map_err(|_| keygen_error(with_said(format!("{name}'s output is not text"))))?;
    if !text.trim_start().starts_with(ARMOR_BEGIN) {
        return Err(keygen_error(with_said(format!("{name}'s output is not an SSH signature: {text:?}"))));
    }
    // Make sure what we hand out is something we can read back.
    decode(&text)?;
    Ok((text, said))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sign::test_support::*;
    use crate::sign::{AllowedSigners, verify, verify_signature};
    use std::fs;

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

    /// A certificate whose private key is only in ssh-agent (ssh-add loads
    /// the certificate beside the key too) signs through the agent.
    #[test]
    fn certificate_with_its_key_in_the_agent_signs() {
        let dir = tmp();
        let ca = keygen(dir.path(), "ca", &["-t", "ed25519"], "");
        let key = keygen(dir.path(), "user", &["-t", "ed25519"], "pw");
        let cert = certify(dir.path(), &ca, &key, "user", &["-I", "ann", "-n", "ann@example.com"]);
        let agent = Agent::start(dir.path());
        ssh_add(dir.path(), &agent, &key, "pw");
        fs::remove_file(&key).expect("remove the private key");
        let msg = b"certified through the agent";
        let sig = sign_with(&cert, msg, with_agent(&agent)).expect("sign via agent");
        let allowed = format!("*@example.com cert-authority {}\n", pub_line(&ca));
        assert!(keygen_verify(dir.path(), &allowed, "ann@example.com", &sig, msg, &[]));
        let signers = AllowedSigners::parse(&allowed, "a").expect("parse");
        verify(msg, &sig, &signers, "ann@example.com", NOW).expect("verify");
        drop(agent);
    }

    #[test]
    fn missing_key_file_is_an_error_with_ssh_keygens_reason() {
        let dir = tmp();
        let missing = dir.path().join("nope");
        let err = sign(&missing, b"m").expect_err("no key");
        assert!(matches!(err, SignError::Keygen { .. }), "{err:?}");
        // ssh-keygen's own words, whole, in the error (not on our stderr).
        let text = err.to_string();
        assert!(text.contains(&format!("ssh-keygen could not sign with {}", missing.display())), "{text}");
        assert!(text.contains("ssh-keygen exited with status 255: ") && text.contains("nope"), "{text}");
        assert!(text.contains("No such file or directory"), "{text}");
    }

    /// On success, ssh-keygen's chatter is captured (so it does not reach
    /// privcheck's output) and dropped.
    #[test]
    fn ssh_keygens_chatter_is_captured() {
        let dir = tmp();
        let key = keygen(dir.path(), "ed", &["-t", "ed25519"], "");
        let (sig, said) = run_signer_captured(OsStr::new("ssh-keygen"), &key, false, b"m", |_| {}).expect("sign");
        assert!(said.contains("Signing data on standard input"), "{said:?}");
        verify_signature(b"m", &sig).expect("verify");
    }

    /// A failing signer's whole message (several lines, control characters
    /// kept for the caller to escape) is the error's detail.
    #[test]
    fn a_failure_keeps_the_programs_whole_message() {
        let dir = tmp();
        let fake = dir.path().join("fake-keygen");
        fs::write(
            &fake,
            "#!/bin/sh\necho 'Enter passphrase: ' >&2\nprintf 'line one\\nline \\033[31mtwo\\n\\n' >&2\nexit 1\n",
        )
        .expect("write");
        run(Command::new("chmod").arg("755").arg(&fake));
        let key = dir.path().join("k");
        let err = run_signer(fake.as_os_str(), &key, false, b"m", |_| {}).expect_err("fails");
        let SignError::Keygen { program, detail, .. } = &err else { panic!("{err:?}") };
        assert_eq!(program, &fake.display().to_string());
        assert_eq!(
            detail,
            "fake-keygen exited with status 1: Enter passphrase: \nline one\nline \u{1b}[31mtwo"
                .replace("fake-keygen", &fake.display().to_string())
                .as_str()
        );
    }
}
