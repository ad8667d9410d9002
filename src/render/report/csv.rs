//! The roll-up as CSV, for a spreadsheet: one row per file (the roll-up's columns), then
//! one per file that could not be read.
//!
//! RFC 4180 (the `csv` crate): a header row, fields quoted when they hold a comma, a quote
//! or a line break (quotes doubled), CRLF line ends. And safe to open in a spreadsheet: a
//! text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return, which a
//! spreadsheet would run as a formula, is prefixed with `'`; terminal escapes and the
//! characters that hide or reorder text are made visible (`\u{1b}`), line breaks kept.
//! Numbers and the words privcheck writes (`ok`, `valid`, ...) are written as they are.
//!
//! Columns: `product, period, answered, total, percent, to_confirm, fail, overdue, verify,
//! findings, signoff, verified, roles` (space-separated), `by_id, file, error` (why the
//! file could not be read; empty for a row read).

use super::rollup::Rollup;
use crate::render::text::escape_controls_multiline;

/// The header row's names.
pub const COLUMNS: [&str; 16] = [
    "product",
    "period",
    "answered",
    "total",
    "percent",
    "to_confirm",
    "fail",
    "overdue",
    "verify",
    "findings",
    "signoff",
    "verified",
    "roles",
    "by_id",
    "file",
    "error",
];

/// A text cell from a file, safe in a spreadsheet (see the module documentation).
pub fn cell(s: &str) -> String {
    let formula = |s: &str| s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let e = escape_controls_multiline(s);
    if formula(s) || formula(&e) { format!("'{e}") } else { e }
}

/// The roll-up as CSV.
pub fn write(r: &Rollup) -> String {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let io = "writing CSV to memory cannot fail";
    w.write_record(COLUMNS).expect(io);
    for row in &r.rollup {
        let n = |n: usize| n.to_string();
        w.write_record([
            cell(&row.product),
            row.period.clone(),
            n(row.answered),
            n(row.total),
            n(row.percent),
            n(row.to_confirm),
            n(row.fail),
            n(row.overdue),
            row.verify.as_str().to_string(),
            n(row.findings),
            row.signoff.as_str().to_string(),
            row.verified.to_string(),
            cell(&row.roles.join(" ")),
            row.by_id.to_string(),
            cell(&row.file),
            String::new(),
        ])
        .expect(io);
    }
    for u in &r.unreadable {
        let mut record: Vec<String> = vec![String::new(); COLUMNS.len()];
        record[8] = "unreadable".to_string();
        record[14] = cell(&u.file);
        record[15] = cell(&u.describe());
        w.write_record(&record).expect(io);
    }
    String::from_utf8(w.into_inner().expect(io)).expect("the cells are UTF-8")
}

#[cfg(test)]
mod tests {
    use super::super::tests::{results, today};
    use super::super::{Report, build};
    use super::*;

    #[test]
    fn rfc_4180_and_no_formulas() {
        let (s, r) = results();
        let mut evil = r.clone();
        evil.product = "=HYPERLINK(\"http://e\",\"x\"), \"quoted\"\nnext\x1b[31m".into();
        let mut minus = r.clone();
        minus.product = "-2+3".into();
        let files = vec![
            build("a.toml", &r, &s, &[], today()),
            build("e.toml", &evil, &s, &[], today()),
            build("@m.toml", &minus, &s, &[], today()),
        ];
        let report = Report::new(files, today());
        let text = write(&report.rollup);
        let mut lines = text.split("\r\n");
        assert_eq!(
            lines.next().unwrap(),
            "product,period,answered,total,percent,to_confirm,fail,overdue,verify,findings,signoff,verified,roles,by_id,file,error"
        );
        assert_eq!(lines.next().unwrap(), "'-2+3,2026-Q4,3,5,60,1,2,1,not checked,0,void,false,,false,'@m.toml,");
        assert!(text.contains("\r\nCheckout,2026-Q4,3,5,60,1,2,1,not checked,0,unsigned,false,,false,a.toml,\r\n"));
        assert!(
            text.contains("\r\n\"'=HYPERLINK(\"\"http://e\"\",\"\"x\"\"), \"\"quoted\"\"\nnext\\u{1b}[31m\",2026-Q4,"),
            "{text}"
        );
        assert!(text.ends_with("\r\n"));
        assert!(!text.contains('\x1b'));
        // Read back by a CSV reader: the same cells.
        let mut rd = csv::Reader::from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[2][0], "Checkout");
        assert_eq!(&rows[1][0], "'=HYPERLINK(\"http://e\",\"x\"), \"quoted\"\nnext\\u{1b}[31m");
        assert!(rows.iter().all(|r| r.len() == COLUMNS.len()));
    }

    #[test]
    fn formula_starts_are_prefixed() {
        for s in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(cell(s).starts_with('\''), "{s:?} -> {:?}", cell(s));
        }
        assert_eq!(cell("Checkout"), "Checkout");
        assert_eq!(cell("a=b"), "a=b");
    }
}
