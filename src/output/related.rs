//! `related` output: a table on a terminal, JSON, CSV.

use std::io::{self, Write};

use super::csv::defuse;
use super::sanitize_for_terminal;
use super::wire::{RelatedWire, RELATED_COLUMNS};
use crate::analysis::related::{Related, RelatedTerm};

/// The names and words as two tables, then the top names of each bucket.
pub fn write_related_text(w: &mut dyn Write, query: &str, r: &Related) -> io::Result<()> {
    let query = sanitize_for_terminal(query);
    let read = if r.sampled < r.stories {
        format!(
            "a sample of {} of the {} matching stories",
            r.sampled, r.stories
        )
    } else {
        format!(
            "{} matching stor{}",
            r.stories,
            if r.stories == 1 { "y" } else { "ies" }
        )
    };
    writeln!(
        w,
        "Mentioned with {query}: {read}, against {} articles",
        r.background
    )?;
    for (title, terms) in [("Names", &r.names), ("Words", &r.words)] {
        writeln!(w)?;
        if terms.is_empty() {
            writeln!(w, "{title}: none stands out")?;
            continue;
        }
        table(w, title, terms, r.sampled)?;
    }
    if !r.buckets.is_empty() {
        writeln!(w)?;
        writeln!(w, "Names by bucket (stories read in it):")?;
        let width = r.buckets.iter().map(|b| b.label.len()).max().unwrap_or(4);
        for b in &r.buckets {
            let names: Vec<String> = b
                .names
                .iter()
                .map(|t| sanitize_for_terminal(&t.text))
                .collect();
            let names = if names.is_empty() {
                "-".to_string()
            } else {
                names.join(", ")
            };
            writeln!(w, "{:<width$} ({:>3})  {names}", b.label, b.stories)?;
        }
    }
    w.flush()
}

fn table(w: &mut dyn Write, title: &str, terms: &[RelatedTerm], sampled: u64) -> io::Result<()> {
    let texts: Vec<String> = terms
        .iter()
        .map(|t| sanitize_for_terminal(&t.text))
        .collect();
    let width = texts
        .iter()
        .map(|t| t.chars().count())
        .max()
        .unwrap_or(0)
        .max(title.len());
    writeln!(w, "{title:<width$}  in matches   in archive   score")?;
    for (t, text) in terms.iter().zip(&texts) {
        let pad = width - text.chars().count();
        let share = 100.0 * t.in_matches as f64 / sampled.max(1) as f64;
        writeln!(
            w,
            "{text}{}  {:>5} {:>4.0}%   {:>10}   {:.3}",
            " ".repeat(pad),
            t.in_matches,
            share,
            t.in_archive,
            t.score
        )?;
    }
    Ok(())
}

/// `related --format json`.
pub fn write_related_json(w: &mut dyn Write, query: &str, r: &Related, by: bool) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &RelatedWire::new(query, r, by))?;
    writeln!(w)?;
    w.flush()
}

/// `related --format csv`: the whole range's names and words, then each bucket's names.
pub fn write_related_csv(w: &mut dyn Write, r: &Related) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let failed = |e: csv::Error| io::Error::other(e.to_string());
    out.write_record(RELATED_COLUMNS).map_err(failed)?;
    let rows = r
        .names
        .iter()
        .enumerate()
        .map(|(i, t)| ("", "name", i, t))
        .chain(r.words.iter().enumerate().map(|(i, t)| ("", "word", i, t)))
        .chain(r.buckets.iter().flat_map(|b| {
            b.names
                .iter()
                .enumerate()
                .map(move |(i, t)| (b.label.as_str(), "name", i, t))
        }));
    for (bucket, kind, i, t) in rows {
        out.write_record([
            bucket.to_string(),
            kind.to_string(),
            (i + 1).to_string(),
            defuse(&t.text).into_owned(),
            t.in_matches.to_string(),
            t.in_archive.to_string(),
            t.score.to_string(),
        ])
        .map_err(failed)?;
    }
    out.flush()
}
