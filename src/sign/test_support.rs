//! What the signing tests share: keys made with the real ssh-keygen, a
//! private ssh-agent, and ssh-keygen's own verdict to compare with.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ssh_key::PublicKey;

use super::{NAMESPACE, Refusal, SignError, sign};

pub(super) const NOW: i64 = 1_750_000_000; // 2025-06-15

pub(super) fn run(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().expect("run command");
    assert!(out.status.success(), "{cmd:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// Generate a key with ssh-keygen; returns the private key path.
pub(super) fn keygen(dir: &Path, name: &str, args: &[&str], passphrase: &str) -> PathBuf {
    let path = dir.join(name);
    run(Command::new("ssh-keygen")
        .args(args)
        .args(["-q", "-C", name, "-N", passphrase, "-f"])
        .arg(&path)
        .stdin(Stdio::null()));
    path
}

pub(super) fn pub_path(key: &Path) -> PathBuf {
    let mut s = key.as_os_str().to_owned();
    s.push(".pub");
    PathBuf::from(s)
}

pub(super) fn pub_line(key: &Path) -> String {
    fs::read_to_string(pub_path(key)).expect("read .pub").trim().to_string()
}

pub(super) fn public_key(key: &Path) -> PublicKey {
    PublicKey::read_openssh_file(&pub_path(key)).expect("parse .pub")
}

/// Sign with ssh-keygen directly (not through this module).
pub(super) fn keygen_sign(dir: &Path, key: &Path, namespace: &str, message: &[u8]) -> String {
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
pub(super) fn keygen_verify(
    dir: &Path,
    allowed: &str,
    principal: &str,
    sig: &str,
    message: &[u8],
    extra: &[&str],
) -> bool {
    keygen_verify_with(dir, allowed.as_bytes(), principal, sig, message, extra, &[])
}

/// [`keygen_verify`] with allowed_signers as raw bytes and extra environment
/// variables for ssh-keygen (such as `TZ`).
pub(super) fn keygen_verify_with(
    dir: &Path,
    allowed: &[u8],
    principal: &str,
    sig: &str,
    message: &[u8],
    extra: &[&str],
    env: &[(&str, &str)],
) -> bool {
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
        .envs(env.iter().copied())
        .stdin(fs::File::open(&msg_path).expect("open msg"))
        .output()
        .expect("run ssh-keygen -Y verify");
    out.status.success()
}

pub(super) fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

pub(super) fn not_allowed(err: SignError) -> Refusal {
    match err {
        SignError::NotAllowed { reason, .. } => *reason,
        other => panic!("expected NotAllowed, got {other:?}"),
    }
}
/// A private ssh-agent on a socket in a temp dir, killed on drop.
pub(super) struct Agent {
    pub(super) child: Child,
    pub(super) sock: PathBuf,
}

impl Agent {
    pub(super) fn start(dir: &Path) -> Agent {
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
pub(super) fn ssh_add(dir: &Path, agent: &Agent, key: &Path, passphrase: &str) {
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

pub(super) fn with_agent(agent: &Agent) -> impl FnOnce(&mut Command) + '_ {
    move |cmd: &mut Command| {
        cmd.env("SSH_AUTH_SOCK", &agent.sock).env("SSH_ASKPASS_REQUIRE", "never");
    }
}
pub(super) struct Fixture {
    pub(super) dir: tempfile::TempDir,
    pub(super) key: PathBuf,
    pub(super) msg: &'static [u8],
    pub(super) sig: String,
}

pub(super) fn fixture() -> Fixture {
    let dir = tmp();
    let key = keygen(dir.path(), "ed", &["-t", "ed25519"], "");
    let msg: &'static [u8] = b"the original report";
    let sig = sign(&key, msg).expect("sign");
    Fixture { dir, key, msg, sig }
}

/// Certify `user`'s public key with the CA key `ca` (`ssh-keygen -s ca
/// ARGS`, e.g. `-I id -n ann@example.com -V from:to`); returns the
/// certificate file `DIR/NAME-cert.pub`.  Unless `name` is the key's own
/// name, the key pair is first copied to `DIR/NAME` (ssh-keygen looks for the
/// private key beside the certificate).
pub(super) fn certify(dir: &Path, ca: &Path, user: &Path, name: &str, args: &[&str]) -> PathBuf {
    let private = dir.join(name);
    let public = pub_path(&private);
    if private != user {
        fs::copy(user, &private).expect("copy key");
        fs::copy(pub_path(user), &public).expect("copy .pub");
    }
    run(Command::new("ssh-keygen").args(["-q", "-s"]).arg(ca).args(args).arg(&public).stdin(Stdio::null()));
    dir.join(format!("{name}-cert.pub"))
}

/// The binary blob inside an armored signature.
pub(super) fn blob_of(armored: &str) -> Vec<u8> {
    let body: String = armored.lines().filter(|l| !l.starts_with("-----")).collect();
    super::sshsig::base64_decode(body.as_bytes()).expect("base64")
}

/// Armor a binary SSHSIG blob as ssh-keygen does (base64 in 70-column lines).
pub(super) fn armor(blob: &[u8]) -> String {
    let b64 = super::sshsig::base64_encode(blob);
    let lines: Vec<&str> = b64.as_bytes().chunks(70).map(|l| std::str::from_utf8(l).expect("ascii")).collect();
    format!("-----BEGIN SSH SIGNATURE-----\n{}\n-----END SSH SIGNATURE-----\n", lines.join("\n"))
}

/// A unix time as ssh-keygen's `-O verify-time=` wants it (UTC).
pub(super) fn verify_time(t: i64) -> String {
    let stamp = jiff::Timestamp::from_second(t).expect("time").strftime("%Y%m%d%H%M%SZ");
    format!("verify-time={stamp}")
}
