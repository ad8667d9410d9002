//! The checklist parser and lint on arbitrary bytes: never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use privcheck::model::checklist::Origin;
use privcheck::store::checklist_file::{SourceFile, lint};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let src = SourceFile { origin: Origin::Path("fuzz.toml".into()), text: text.to_string() };
    let _ = lint(&[src], None);
});
