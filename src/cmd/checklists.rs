//! `privcheck checklists`: the active set at a glance, and where each checklist came from.

use super::Outcome;
use crate::app::Context;
use crate::error::Result;
use crate::render::text::escape_controls;
use std::io::Write;

pub fn run(cx: &Context, out: &mut dyn Write) -> Result<Outcome> {
    let set = cx.checklist_set()?;
    let rows: Vec<[String; 5]> = set
        .checklists
        .iter()
        .map(|c| {
            [
                escape_controls(&c.id),
                escape_controls(&c.title),
                c.version.to_string(),
                c.items.len().to_string(),
                escape_controls(&c.origin.to_string()),
            ]
        })
        .collect();
    let header = ["ID", "TITLE", "VERSION", "ITEMS", "SOURCE"].map(String::from);
    let widths: Vec<usize> = (0..5)
        .map(|i| {
            rows.iter()
                .chain(std::iter::once(&header))
                .map(|r| unicode_width::UnicodeWidthStr::width(r[i].as_str()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |r: &[String; 5]| {
        let mut s = String::new();
        for (i, cell) in r.iter().enumerate() {
            if i + 1 == r.len() {
                s.push_str(cell);
            } else {
                let pad = widths[i] - unicode_width::UnicodeWidthStr::width(cell.as_str());
                s.push_str(cell);
                s.push_str(&" ".repeat(pad + 2));
            }
        }
        s
    };
    let io = crate::error::Error::output;
    writeln!(out, "{}", line(&header)).map_err(io)?;
    for r in &rows {
        writeln!(out, "{}", line(r)).map_err(io)?;
    }
    writeln!(
        out,
        "\n{} checklists, {} items, {} scope questions ({})",
        set.checklists.len(),
        set.item_count(),
        set.scope.len(),
        set.scope.iter().map(|q| q.id.as_str()).collect::<Vec<_>>().join(", ")
    )
    .map_err(io)?;
    // Where the set comes from: the base set, then each added folder.
    let base = match cx.checklist_dir() {
        Some(dir) => escape_controls(&dir.display().to_string()),
        None => "the built-in set".to_string(),
    };
    let added: Vec<String> = cx.added_dirs().iter().map(|d| escape_controls(&d.display().to_string())).collect();
    if added.is_empty() {
        writeln!(out, "from {base}").map_err(io)?;
    } else {
        writeln!(out, "from {base}, with the checklists of {} added", added.join(", ")).map_err(io)?;
    }
    Ok(Outcome::Ok)
}
