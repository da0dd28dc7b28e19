//! Binary-only glue: one small module per subcommand, turning typed arguments into library requests and
//! library results into printed output.

mod batch;
mod index;
mod info;
mod push;
mod related;
mod search;
mod serve;
mod show;
mod timeline;
mod verify;

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;
use dateline::error::IoOp;
use dateline::output::Color;
use dateline::text::dates::{DateBound, DateProblem};
use dateline::Error;

use crate::cli::{Cli, ColorArg, Command, DateArgs, IndexLocation};

/// The index directory used when neither `--index` nor `DATELINE_INDEX` is given.
pub const DEFAULT_INDEX: &str = "index";
/// The corpus indexed when none is named.
pub const DEFAULT_CORPUS: &str = "corpus";

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Index(args) => index::run(args),
        Command::Search(args) => search::run(args),
        Command::Show(args) => show::run(args),
        Command::Timeline(args) => timeline::run(args),
        Command::Batch(args) => batch::run(args),
        Command::Related(args) => related::run(args),
        Command::Info(args) => info::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Push(args) => push::run(args),
        Command::Completions(args) => {
            let mut out = io::stdout().lock();
            clap_complete::generate(args.shell, &mut Cli::command(), "dateline", &mut out);
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut out = io::stdout().lock();
            clap_mangen::Man::new(Cli::command()).render(&mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

impl IndexLocation {
    /// The index directory, and whether it is the default one (which `search` may build on the fly).
    pub fn resolve(&self) -> (PathBuf, bool) {
        match &self.index {
            Some(p) => (p.clone(), false),
            None => (PathBuf::from(DEFAULT_INDEX), true),
        }
    }
}

impl DateArgs {
    /// The date range the flags name; errors name the flag and the value.
    pub fn range(&self) -> dateline::Result<dateline::text::dates::DateRange> {
        dateline::text::dates::parse_range(
            self.since.as_deref(),
            self.until.as_deref(),
            self.on.as_deref(),
        )
    }
}

/// Opens the index for reading; the default index is first built from `corpus/` when it is missing.
pub fn open_reader(location: &IndexLocation) -> anyhow::Result<dateline::index::Reader> {
    let (dir, is_default) = location.resolve();
    if is_default && !dateline::index::index_exists(&dir) && PathBuf::from(DEFAULT_CORPUS).is_dir()
    {
        eprintln!(
            "dateline: no index at '{}' yet: building it from '{DEFAULT_CORPUS}/' first",
            dir.display()
        );
        let request = dateline::index::IndexRequest::new(
            vec![PathBuf::from(DEFAULT_CORPUS)],
            index::default_threads(),
        );
        let report = index::build(&dir, &request, false)?;
        eprintln!("{}", index::summary(&report));
    }
    Ok(dateline::index::Reader::open(&dir)?)
}

/// The Quickwit index `--engine` (or `DATELINE_ENGINE`) names, opened; `None` for the local index.
/// The local index at `fuzzy_from` (for the commands whose queries may hold fuzzy words), when it is
/// what was pushed there, is kept to expand them.
pub fn open_cluster(
    engine: &crate::cli::EngineArg,
    fuzzy_from: Option<&IndexLocation>,
) -> anyhow::Result<Option<dateline::quickwit::Cluster>> {
    match engine.engine.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(spec) => {
            let spec = dateline::quickwit::EngineSpec::parse(spec)?;
            let mut cluster = dateline::quickwit::Cluster::open(&spec)?;
            let Some(location) = fuzzy_from else {
                return Ok(Some(cluster));
            };
            let (dir, _) = location.resolve();
            if dateline::index::index_exists(&dir) {
                if let Ok(reader) = dateline::index::Reader::open(&dir) {
                    cluster.attach_local(&reader, &dir);
                }
            }
            Ok(Some(cluster))
        }
    }
}

/// A note on stderr for each lower-case `or`, `and` or `not` between words (once for all the queries):
/// operators are upper case.
pub fn note_lowercase_operators<'q>(queries: impl IntoIterator<Item = &'q str>) {
    let mut seen: Vec<String> = Vec::new();
    for query in queries {
        for op in dateline::search::parse::lowercase_operators(query) {
            if !seen.contains(&op) {
                seen.push(op);
            }
        }
    }
    for op in seen {
        let advice = match op.to_lowercase().as_str() {
            "or" => "write OR to match either word",
            "and" => "words side by side must all match already",
            _ => "write NOT word or -word to leave a word out",
        };
        eprintln!("dateline: note: lower-case '{op}' is not an operator ({advice})");
    }
}

/// Tells on stderr that the index holds nothing (rather than that nothing matches).
pub fn say_index_is_empty(reader: &dateline::index::Reader) {
    let dir = reader.handle.path.display();
    eprintln!(
        "dateline: the index at '{dir}' is empty (hint: add articles with `dateline index CORPUS --index {dir}`)"
    );
}

/// Colour on when asked, or automatically when writing to a terminal that accepts it.
pub fn resolve_color(arg: ColorArg, to_terminal: bool) -> Color {
    let auto = to_terminal
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb");
    match arg {
        ColorArg::Always => Color::Always,
        ColorArg::Never => Color::Never,
        ColorArg::Auto if auto => Color::Always,
        ColorArg::Auto => Color::Never,
    }
}

pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

/// The exit status of a failed command: 130 for a run stopped by Ctrl-C (as shells report SIGINT), 2
/// otherwise.
pub fn exit_status(err: &anyhow::Error) -> u8 {
    match err.downcast_ref::<Error>() {
        Some(Error::Interrupted) => 130,
        _ => 2,
    }
}

/// Whether the error is a write to a closed pipe (`dateline search x | head`), which is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The words of a query given as several arguments, joined with spaces. Trimmed: a word starting
/// with `-` arrives with a leading space (see `cli`).
pub fn joined_query(words: &[String]) -> String {
    words.iter().map(|q| q.trim()).collect::<Vec<_>>().join(" ")
}

/// One line for the user: the error, and a hint on what to do about it.
pub fn describe(err: &anyhow::Error) -> String {
    let Some(lib) = err.downcast_ref::<Error>() else {
        let text = format!("{err:#}");
        // A message that brings its own hint needs no other.
        if text.contains("(hint: ") {
            return text;
        }
        return format!("{text} (hint: check that the path exists and is writable)");
    };
    let message = match lib {
        // The library names the bound; the command line names its flag.
        Error::BadDate {
            bound,
            value,
            problem,
        } => format!(
            "invalid date for {} '{value}': {problem}",
            date_flag(*bound)
        ),
        Error::EmptyDateRange { since, until } => {
            format!("--since {since} is after --until {until}")
        }
        other => other.to_string(),
    };
    let hint = match lib {
        Error::MissingIndex(dir) => format!(
            "build it first with `dateline index CORPUS --index {}`",
            dir.display()
        ),
        Error::SchemaVersion { path, .. } => format!(
            "run `dateline index CORPUS --rebuild --index {}` to rebuild it for this version",
            path.display()
        ),
        Error::ForeignIndex(_) => "name another directory with --index".to_string(),
        Error::Locked(_) => "wait for the other `dateline index` run to finish".to_string(),
        Error::Corpus { path, .. } if path.is_file() => format!(
            "name the folder that holds it ({}); every article file, dump and archive in it is read",
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."))
                .display()
        ),
        Error::Corpus { .. } => "name a folder of article files".to_string(),
        Error::QuerySyntax { .. } => {
            "close quotes and parentheses; OR, AND and NOT need words on both sides".to_string()
        }
        Error::QueryLimit(_) => "search for words or \"quoted phrases\"".to_string(),
        Error::OnlyCommonWords { words } => format!(
            "they are in almost every passage; quote them to search them anyway: '\"{}\"'",
            words.join(" ")
        ),
        Error::LeadingWildcard { stem, .. } => {
            format!("search {stem}, or {stem}* for the words that start with it")
        }
        Error::BadDate {
            problem: DateProblem::Shape,
            ..
        } => "years have four digits: 1987, 1987-03 or 1987-03-28 (a time and zone may follow a full \
              date, as in 1987-03-28T10:00Z)"
            .to_string(),
        Error::BadDate {
            problem: DateProblem::NoSuchDay,
            ..
        } => "months run from 01 to 12, and days to the end of their month, as in 1987-02-28"
            .to_string(),
        Error::BadDate {
            problem: DateProblem::OutOfRange,
            ..
        } => "dates from 1678 to 2261 can be searched".to_string(),
        Error::IndexNotFolder(_) => {
            "an index is a folder: name a new or existing folder with --index".to_string()
        }
        Error::EmptyDateRange { .. } => "swap the two dates".to_string(),
        Error::UnknownArticle { suggestions, .. } if !suggestions.is_empty() => {
            format!("did you mean {}?", suggestions.join(", "))
        }
        Error::UnknownArticle { .. } => {
            "ids are paths below the corpus folder, as printed by `dateline search`".to_string()
        }
        Error::Io {
            op: IoOp::WriteIndex | IoOp::WriteFileState | IoOp::WriteStories,
            ..
        } => {
            let what = if lib.is_disk_full() {
                "free disk space or name an index on another disk with --index; "
            } else {
                ""
            };
            format!("{what}the last committed index is unchanged and still searchable")
        }
        Error::Tantivy(_) | Error::Damaged { .. } => {
            "`dateline verify` checks the index for damage; `dateline index CORPUS --rebuild` \
             builds it again"
                .to_string()
        }
        Error::Io { .. } | Error::Metadata(_) | Error::Interrupted => return message,
        Error::BadEngine(_) => {
            "name a Quickwit index as quickwit://HOST:7280/INDEX_ID (the node's REST port)"
                .to_string()
        }
        Error::BadClusterIndexId(_) => "a Quickwit index id is a letter, then 2 to 254 letters, \
             digits, '-', '_' or '.', as in dateline or reuters-1987"
            .to_string(),
        Error::Cluster { url, .. } => {
            format!("check that Quickwit runs there (`curl {url}/api/v1/version`) and see its log")
        }
        Error::ClusterIndexMissing { .. } | Error::ClusterEmpty { .. } => {
            "send an index there first with `dateline push --to quickwit http://HOST:7280 --index-id ID`"
                .to_string()
        }
        Error::ForeignClusterIndex { .. } => {
            "name another index with --index-id, or delete that one in Quickwit".to_string()
        }
        Error::EngineUnsupported(_) => {
            "leave out --engine to search the local index, or push it again with `dateline push` \
             so that its words can stand in for the fuzzy ones"
                .to_string()
        }
        Error::PushState { .. } => "check that the index folder is writable".to_string(),
        Error::Chart { .. } => {
            "check that the path exists and is writable".to_string()
        }
    };
    format!("{message} (hint: {hint})")
}

/// The flag that gives a date bound.
fn date_flag(bound: DateBound) -> &'static str {
    match bound {
        DateBound::Since => "--since",
        DateBound::Until => "--until",
        DateBound::On => "--on",
    }
}
