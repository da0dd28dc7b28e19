//! `dateline show`: a whole article from the index, optionally with a query's words marked.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use dateline::index::Reader;
use dateline::output::{write_article_json, write_article_markdown, write_article_text};
use dateline::search::highlight::highlighter_for;

use super::{resolve_color, stdout_is_terminal};
use crate::cli::{ShowArgs, ShowFormat};

pub fn run(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let (article, highlighter) = match super::open_cluster(&args.engine)? {
        Some(cluster) => {
            let article = cluster.article(&args.article)?;
            let highlighter = match &args.highlight {
                Some(q) => Some(dateline::quickwit::search::highlighter(
                    q,
                    &article.paragraphs,
                )?),
                None => None,
            };
            (article, highlighter)
        }
        None => {
            let (dir, _) = args.location.resolve();
            let reader = Reader::open(&dir)?;
            let highlighter = match &args.highlight {
                Some(q) => Some(highlighter_for(&reader, q)?),
                None => None,
            };
            (reader.article(&args.article)?, highlighter)
        }
    };
    let highlights: Option<Vec<Vec<(usize, usize)>>> =
        highlighter.map(|mut h| article.paragraphs.iter().map(|p| h.matches(p)).collect());
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
