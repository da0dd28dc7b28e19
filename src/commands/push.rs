//! `dateline push --to quickwit URL`: the local index sent to a Quickwit index, with a progress bar
//! on a terminal and a summary line.

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use anyhow::bail;
use dateline::quickwit::client::DEFAULT_BACKOFF;
use dateline::quickwit::push::{push, PushEvent, PushOptions};
use dateline::quickwit::{check_index_id, Client};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::PushArgs;

pub fn run(args: PushArgs) -> anyhow::Result<ExitCode> {
    let [engine, url] = args.to.as_slice() else {
        bail!("--to takes an engine and an address (hint: --to quickwit http://127.0.0.1:7280)");
    };
    if !engine.eq_ignore_ascii_case("quickwit") {
        bail!("cannot push to '{engine}': quickwit is the one engine dateline pushes to (hint: --to quickwit {url})");
    }
    check_index_id(&args.index_id)?;
    let client = Client::new(url)?.with_retries(args.retries, DEFAULT_BACKOFF);
    let (dir, _) = args.location.resolve();
    let reader = dateline::index::Reader::open(&dir)?;
    let bar = if io::stderr().is_terminal() {
        ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    let options = PushOptions::new(&args.index_id);
    let report = push(&reader, &dir, &client, &options, |event| match event {
        PushEvent::Start { articles, full } => {
            bar.set_length(articles);
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{bar:30}] {pos}/{len} articles {msg} ({per_sec}, ETA {eta})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            if !full {
                bar.set_message("(changed ones sent)");
            }
        }
        PushEvent::Progress { articles, bytes } => {
            bar.set_position(articles);
            bar.set_message(format!("{:.1} MB sent", bytes as f64 / 1e6));
        }
        PushEvent::Settling => {
            bar.set_message("waiting until Quickwit has made them searchable");
        }
    })?;
    bar.finish_and_clear();
    let secs = report.elapsed.as_secs_f64();
    if !report.full && report.sent_articles == 0 && report.removed == 0 && report.requests == 0 {
        eprintln!(
            "dateline: nothing to push to {}/{}: its {} articles are as sent ({secs:.1} s)",
            client.base(),
            report.index_id,
            report.unchanged
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mb = report.bytes as f64 / 1e6;
    let what = if report.full {
        "every article"
    } else {
        "the changes"
    };
    eprintln!(
        "dateline: pushed {what} to {}/{}: {} articles ({} passages) sent, {} unchanged, {} removed; \
         {mb:.1} MB in {} request{}, {secs:.1} s ({:.1} MB/s){}",
        client.base(),
        report.index_id,
        report.sent_articles,
        report.sent_passages,
        report.unchanged,
        report.removed,
        report.requests,
        if report.requests == 1 { "" } else { "s" },
        if secs > 0.0 { mb / secs } else { 0.0 },
        if report.created {
            " (index created)"
        } else {
            ""
        },
    );
    eprintln!(
        "dateline: search it with --engine quickwit://{}/{}",
        client.base().trim_start_matches("http://"),
        report.index_id
    );
    Ok(ExitCode::SUCCESS)
}
