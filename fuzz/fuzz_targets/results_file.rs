//! The results-file parser on arbitrary bytes: never panics; whatever parses writes back
//! to text that parses to the same results.
#![no_main]

use libfuzzer_sys::fuzz_target;
use privcheck::store::{checklist_file, results_file};
use std::sync::OnceLock;

static SET: OnceLock<privcheck::model::checklist::ChecklistSet> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let set = SET.get_or_init(checklist_file::builtin);
    if let Ok(r) = results_file::from_toml_for_set(text, "fuzz.toml", set) {
        let again = results_file::to_toml(&r);
        assert_eq!(results_file::from_toml(&again, "fuzz.toml").expect("written results parse"), r);
    }
});
