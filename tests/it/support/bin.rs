//! The privcheck binary as a user runs it, isolated from the user's config and git
//! identity; what it printed; the paths of the fixtures (data only, in tests/fixtures/).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The privcheck binary, isolated from the user's config and git identity.
pub fn privcheck(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_privcheck"));
    isolate(&mut c, home, std::env::var_os("PATH").unwrap_or_default());
    c
}

/// Runs `c` with only `path` as PATH, `home` as HOME (and its working folder), no global or
/// system git config, a fixed user and a UTF-8 locale.
pub fn isolate(c: &mut Command, home: &Path, path: std::ffi::OsString) {
    c.env_clear()
        .env("PATH", path)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("USER", "tester")
        .env("LANG", "C.UTF-8")
        .current_dir(home);
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// The published policy texts, in the shared folder beside the project. CI always has
/// them; a test that needs them fails, rather than passing without checking, when they
/// are absent.
pub fn policies_dir() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/policies");
    assert!(
        p.is_dir(),
        "the published policy texts are not in ../shared/policies beside the project ({}): this test checks \
         the built-in quotes against them; put the shared folder there (CI always has it)",
        p.display()
    );
    p
}

/// `privcheck sign FILE ARGS...` in `home`.
pub fn sign(home: &Path, file: &Path, args: &[&str]) -> Output {
    privcheck(home).arg("sign").arg(file).args(args).output().unwrap()
}

/// `privcheck verify FILES... ARGS...` in `home`.
pub fn verify(home: &Path, files: &[&Path], args: &[&str]) -> Output {
    privcheck(home).arg("verify").args(files).args(args).output().unwrap()
}

/// Everything the binary printed, for messages.
pub fn output(o: &Output) -> String {
    format!("exit {:?}\n--- stdout\n{}--- stderr\n{}", o.status.code(), stdout(o), stderr(o))
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
