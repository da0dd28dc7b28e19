//! `dateline show`: a whole article from the index, optionally with a query's words marked.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use dateline::index::Reader;
use dateline::output::{write_article_json, write_article_markdown, write_article_text};
use dateline::search::highlight::marked_article;

use super::{resolve_color, stdout_is_terminal};
use crate::cli::{ShowArgs, ShowFormat};

pub fn run(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let highlight = args.highlight.as_deref();
    let (article, highlights) = match super::open_cluster(&args.engine, None)? {
        Some(cluster) => cluster.marked_article(&args.article, highlight)?,
        None => {
            let (dir, _) = args.location.resolve();
            marked_article(&Reader::open(&dir)?, &args.article, highlight)?
        }
    };
    let ranges = highlights.as_deref().unwrap_or(&[]);
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        ShowFormat::Text => {
            let color = resolve_color(args.color, stdout_is_terminal());
            write_article_text(&mut out, &article, ranges, color)?;
        }
        ShowFormat::Json => write_article_json(&mut out, &article, highlights.as_deref())?,
        ShowFormat::Markdown => write_article_markdown(&mut out, &article, ranges)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
