//! Embeds every `checklists/*.toml` file into the binary as the built-in set, in file-name
//! order, so adding a checklist file needs no code change.
//!
//! It also writes the built-in set already parsed, as Rust data (`builtin_set.rs`): parsing
//! 180 KB of TOML at every start was most of the time before the review's first frame.
//! The data is what the checklist lint makes of the files (trimmed texts and all); a test
//! checks that the two are equal. A file this script cannot take as it is (an unknown or
//! missing field, a wrong type) leaves the parsed set out (`None`), and the files are then
//! linted and parsed at run time, as before, which reports the problem.

use std::fmt::Write;
use std::path::Path;
use toml::{Table, Value};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("checklists");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("checklists/ is part of the package")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    let mut out = String::from("&[\n");
    let mut files = Vec::new();
    for name in &names {
        let path = dir.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string()).unwrap();
        files.push((name.clone(), std::fs::read_to_string(&path).expect("a checklist file is readable")));
    }
    out.push(']');
    let out_dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out_dir).join("builtin_checklists.rs"), out).unwrap();
    let parsed = match parsed_set(&files) {
        Some(code) => format!("Some({code})"),
        None => "None".to_string(),
    };
    std::fs::write(Path::new(&out_dir).join("builtin_set.rs"), parsed).unwrap();
}

/// Only these keys, each of the right type: else the run-time lint must see the file.
fn keys_ok(t: &Table, allowed: &[&str]) -> bool {
    t.keys().all(|k| allowed.contains(&k.as_str()))
}

fn string<'a>(t: &'a Table, key: &str) -> Option<&'a str> {
    t.get(key)?.as_str()
}

fn opt_string<'a>(t: &'a Table, key: &str) -> Option<&'a str> {
    match t.get(key) {
        None => Some(""),
        Some(v) => v.as_str(),
    }
}

fn tables<'a>(t: &'a Table, key: &str) -> Option<Vec<&'a Table>> {
    match t.get(key) {
        None => Some(Vec::new()),
        Some(Value::Array(a)) => a.iter().map(Value::as_table).collect(),
        Some(_) => None,
    }
}

fn strings<'a>(t: &'a Table, key: &str) -> Option<Vec<&'a str>> {
    match t.get(key) {
        None => Some(Vec::new()),
        Some(Value::Array(a)) => a.iter().map(Value::as_str).collect(),
        Some(_) => None,
    }
}

fn list(items: &[String]) -> String {
    format!("&[{}]", items.join(", "))
}

fn quoted(items: &[&str], trim: bool) -> String {
    list(&items.iter().map(|s| format!("{:?}", if trim { s.trim() } else { s })).collect::<Vec<_>>())
}

/// The set as a Rust expression of type `&[PreChecklist]` (see `store::checklist_file`).
fn parsed_set(files: &[(String, String)]) -> Option<String> {
    let mut checklists = Vec::new();
    for (name, text) in files {
        let t: Table = toml::from_str(text).ok()?;
        if !keys_ok(&t, &["id", "title", "description", "version", "scope", "items"]) {
            return None;
        }
        let version = t.get("version")?.as_integer()?;
        let version = u32::try_from(version).ok().filter(|v| *v >= 1)?;
        let mut scope = Vec::new();
        for q in tables(&t, "scope")? {
            if !keys_ok(q, &["id", "question", "help"]) {
                return None;
            }
            scope.push(format!(
                "PreScope {{ id: {:?}, question: {:?}, help: {:?} }}",
                string(q, "id")?,
                string(q, "question")?.trim(),
                opt_string(q, "help")?.trim()
            ));
        }
        let mut items = Vec::new();
        for it in tables(&t, "items")? {
            if !keys_ok(it, &["id", "question", "guidance", "severity", "scope", "legal", "cite"]) {
                return None;
            }
            let severity = match string(it, "severity")? {
                "low" => "Low",
                "medium" => "Medium",
                "high" => "High",
                "critical" => "Critical",
                _ => return None,
            };
            let mut cite = Vec::new();
            for c in tables(it, "cite")? {
                if !keys_ok(c, &["document", "effective", "section", "quote"]) {
                    return None;
                }
                cite.push(format!(
                    "PreCite {{ document: {:?}, effective: {:?}, section: {:?}, quote: {:?} }}",
                    string(c, "document")?.trim(),
                    string(c, "effective")?.trim(),
                    string(c, "section")?.trim(),
                    string(c, "quote")?.trim()
                ));
            }
            items.push(format!(
                "PreItem {{ id: {:?}, question: {:?}, guidance: {:?}, severity: Severity::{severity}, scope: {}, legal: {}, cite: {} }}",
                string(it, "id")?,
                string(it, "question")?.trim(),
                string(it, "guidance")?.trim(),
                quoted(&strings(it, "scope")?, false),
                quoted(&strings(it, "legal")?, true),
                list(&cite)
            ));
        }
        checklists.push(format!(
            "PreChecklist {{ file: {name:?}, id: {:?}, title: {:?}, description: {:?}, version: {version}, scope: {}, items: {} }}",
            string(&t, "id")?,
            string(&t, "title")?.trim(),
            string(&t, "description")?.trim(),
            list(&scope),
            list(&items)
        ));
    }
    Some(format!("&[\n{}\n]", checklists.join(",\n")))
}
