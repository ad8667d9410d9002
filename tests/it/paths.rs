//! Results paths that privcheck must refuse clearly: a symbolic link, a directory, a
//! missing directory. It never follows a link when it replaces a file.

use crate::support::*;

#[test]
fn a_symlinked_results_file_is_refused_and_its_target_untouched() {
    let home = tempfile::tempdir().unwrap();
    let (file, _) = signed_file(home.path());
    let before = std::fs::read(&file).unwrap();
    let link = home.path().join("link.toml");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    for args in [vec!["review"], vec!["sign"]] {
        let o = privcheck(home.path()).args(&args).arg(&link).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", output(&o));
        assert!(stderr(&o).contains("link.toml") && stderr(&o).contains("symbolic link"), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(std::fs::read(&file).unwrap(), before);
}

#[test]
fn a_directory_as_results_file_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("results.toml");
    std::fs::create_dir(&dir).unwrap();
    let o = privcheck(home.path()).arg("review").arg(&dir).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
    let o = privcheck(home.path()).arg("verify").arg(&dir).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).contains("results.toml"), "{}", output(&o));
}

#[test]
fn new_into_a_missing_directory_says_where() {
    let home = tempfile::tempdir().unwrap();
    let (file, _) = signed_file(home.path());
    let o = privcheck(home.path()).args(["new", "-o", "no/such/dir/next.toml", "--from"]).arg(&file).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/dir/next.toml"), "{}", stderr(&o));
}

#[test]
fn a_broken_results_file_is_never_overwritten() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("r.toml");
    let broken = "schema = 1\nproduct = \"x\"\nperiod = \"2026-Q4\"\n[[answers]]\nitem = \n";
    std::fs::write(&file, broken).unwrap();
    for args in [vec!["review"], vec!["sign"]] {
        let o = privcheck(home.path()).args(&args).arg(&file).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("r.toml:5:"), "{args:?}: {}", stderr(&o));
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), broken);
}
