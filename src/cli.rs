//! The command line, as clap derive types only: what the user typed, before any interpretation.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  dateline index corpus/                         build or update the index in ./index
  dateline search Niger                          top passages about Niger
  dateline search '\"Bazoum\"' --since 2023-07     the exact word, from July 2023 on
  dateline search 'coup OR junta' --on 2023 --format csv --output coup.csv
  dateline timeline Wagner Bazoum --by month --plot niger.svg
  dateline show 2023/2023-07-28-tchiani-named-leader.txt --highlight Tchiani
  dateline info

Exit status: 0 when something was found or done, 1 when a search or timeline found nothing,
2 on an error.";

/// Full-text search for news archives: index article folders, search passages by relevance and date.
#[derive(Debug, Parser)]
#[command(name = "dateline", version, after_long_help = EXAMPLES, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index article files (new or changed ones replace their old passages).
    Index(IndexArgs),
    /// Search passages by relevance, with date filters and exports.
    Search(SearchArgs),
    /// Count matching articles per day, week, month or year, as a chart or a table.
    Timeline(TimelineArgs),
    /// The names and words most over-represented in the articles matching a query.
    Related(RelatedArgs),
    /// Run a list of queries (one per line, or a CSV's `query` column): counts, dates and the top
    /// article of each, as CSV, JSON or JSON Lines.
    Batch(BatchArgs),
    /// Print a whole article, rebuilt from the index.
    Show(ShowArgs),
    /// Describe an index: counts, dates, size, roots.
    Info(InfoArgs),
    /// Check the index: every file's checksum, every segment, the file state. Exit status 0 when
    /// sound, 1 when damage was found.
    Verify(VerifyArgs),
    /// Serve a web page and a JSON API over the index (search, timeline, articles, exports).
    Serve(ServeArgs),
    /// Send the index to a Quickwit cluster (later pushes send only what changed), to search it
    /// there with --engine.
    Push(PushArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    Man,
}

/// The index location, shared by every command.
#[derive(Debug, Args)]
pub struct IndexLocation {
    /// Index directory [default: index, or $DATELINE_INDEX].
    #[arg(long, value_name = "DIR", env = "DATELINE_INDEX")]
    pub index: Option<PathBuf>,
}

/// The search engine of the read commands: the local index, or a Quickwit index.
#[derive(Debug, Args)]
pub struct EngineArg {
    /// Search a Quickwit index that `dateline push` filled, instead of the local index:
    /// quickwit://HOST:PORT/INDEX_ID.
    #[arg(long, value_name = "URL", env = "DATELINE_ENGINE")]
    pub engine: Option<String>,
}

/// The date filter, shared by `search` and `timeline`.
#[derive(Debug, Args)]
pub struct DateArgs {
    /// Only matches dated on or after this day, month or year (YYYY, YYYY-MM or YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only matches dated on or before this day, month or year (inclusive: 2023-07 ends on July 31).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only matches dated within this day, month or year.
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_long_help = "\
The first corpus folder of an index gives plain ids (paths below the folder, e.g. 1987-03/12.txt);
each further folder gives ids prefixed with its folder name and a colon (e.g. wires:2023/07/x.txt).
The index remembers the folders, so ids stay the same on every run.

Indexing is incremental: only new and changed files are read again (size and modification time first,
then a content hash), and articles whose files are gone are removed unless --keep-missing is given.")]
pub struct IndexArgs {
    /// Corpus folders to index [default: the folders the index was built from; ./corpus for a new
    /// index].
    #[arg(value_name = "CORPUS")]
    pub corpus: Vec<PathBuf>,
    #[command(flatten)]
    pub location: IndexLocation,
    /// Read every file in this format, whatever its name [default: by the name: .txt or none text,
    /// .jsonl/.ndjson/.json JSON Lines, .html/.htm a web page, .warc/.warc.gz a web archive].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormatArg>,
    /// A JSON Lines field to read a part of the article from, before the usual names: text, title,
    /// date, id, url, source or authors (e.g. --field text=article_body); repeatable.
    #[arg(long = "field", value_name = "PART=NAME", value_parser = parse_field)]
    pub fields: Vec<(String, String)>,
    /// Start from an empty index (the old one stays searchable until the new one is committed).
    #[arg(long)]
    pub rebuild: bool,
    /// Keep the articles of files that are gone from the corpus (by default they are removed).
    #[arg(long)]
    pub keep_missing: bool,
    /// Parser threads and index writer threads [default: number of cores, at most 8].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub threads: Option<u16>,
    /// Memory for each writer thread, in MiB (at least 15); when it is full a segment is written out.
    #[arg(long, value_name = "MIB", default_value_t = 64, value_parser = clap::value_parser!(u16).range(15..=4096))]
    pub memory: u16,
    /// No progress bar and no summary line (warnings are still printed).
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
#[command(after_long_help = "\
Query language (a query holds for a whole article; --within passage: for one passage):
  niger coup            articles holding both words (any form: coup, coups), anywhere
  niger OR mali         either word
  niger -mali           niger, and mali nowhere in the article (also: NOT mali)
  \"Bazoum\"              the exact word, any case, no other forms
  \"west africa\"         the phrase (a phrase never runs across paragraphs)
  \"junta niger\"~3       both words within 3 positions, in one passage
  (coup OR junta) niger parentheses group
  Tiani~                Tiani, or words one edit away (two for words of 8+ letters): Tchiani
  Abdourahmane~2        within two edits; exact matches rank first
  Tchian*               words starting with Tchian
  '-coup niger'         a query may start with '-' (-n, -f, -o stay flags)

Dates: --since/--until/--on take YYYY, YYYY-MM or YYYY-MM-DD; --until 2023-07 includes July 31.")]
pub struct SearchArgs {
    /// The query (several words are joined with spaces).
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub location: IndexLocation,
    #[command(flatten)]
    pub engine: EngineArg,
    #[command(flatten)]
    pub dates: DateArgs,
    /// Number of hits to print.
    #[arg(
        short = 'n',
        long = "limit",
        value_name = "N",
        default_value_t = 10,
        conflicts_with = "all"
    )]
    pub limit: usize,
    /// Print every hit (for exports).
    #[arg(long)]
    pub all: bool,
    /// Most passages per article (0: no limit, passages ranked on their own).
    #[arg(long, value_name = "K", default_value_t = 1)]
    pub per_article: usize,
    /// Order of the hits.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    pub sort: SortArg,
    /// Only articles from this source (a name as `info` lists it, any case); repeatable.
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Make every unquoted word fuzzy, as if written word~ (exact matches still rank first).
    #[arg(long)]
    pub fuzzy: bool,
    /// Copies of one story (a wire story re-sent, corrected, printed twice): collapsed under the
    /// best-ranked copy ("+N copies"), or each shown as a hit of its own.
    #[arg(long, value_enum, default_value_t = CopiesArg::Collapse)]
    pub copies: CopiesArg,
    /// Whether every word must match, or any (articles holding more of them rank higher).
    #[arg(long = "match", value_enum, default_value_t = MatchArg::All)]
    pub match_mode: MatchArg,
    /// Where the words must stand together: anywhere in one article, or in one passage.
    #[arg(long, value_enum, default_value_t = WithinArg::Article)]
    pub within: WithinArg,
    /// Output format [default: from the --output file's extension (.csv, .tsv, .json, .jsonl,
    /// .ndjson, .md), else text].
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<SearchFormat>,
    /// Write the output to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Colour matches in text output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

#[derive(Debug, Args)]
#[command(after_long_help = "\
Each QUERY is one series (same query language as `search`): timeline Wagner Bazoum compares two.
A story (an article and its copies: a wire story re-sent, corrected, printed twice) counts once per
bucket, however many of its copies and passages match (--count articles counts every copy); undated
articles are counted apart. Buckets run without gaps over --since/--until, or over the span of the matches.

Examples:
  dateline timeline Niger
  dateline timeline Wagner '\"Bazoum\"' --by month --since 2023 --plot niger.svg
  dateline timeline coup --by year --format csv")]
pub struct TimelineArgs {
    /// One or more queries, one series each.
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub queries: Vec<String>,
    #[command(flatten)]
    pub location: IndexLocation,
    #[command(flatten)]
    pub engine: EngineArg,
    /// Bucket size [default: chosen so that there are at most about 60 buckets].
    #[arg(long, value_enum)]
    pub by: Option<ByArg>,
    #[command(flatten)]
    pub dates: DateArgs,
    /// Whether every word must match, or any.
    #[arg(long = "match", value_enum, default_value_t = MatchArg::All)]
    pub match_mode: MatchArg,
    /// Where the words must stand together: anywhere in one article, or in one passage.
    #[arg(long, value_enum, default_value_t = WithinArg::Article)]
    pub within: WithinArg,
    /// Only articles from this source (a name as `info` lists it, any case); repeatable.
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// One series per source of the query's matches (the --top ones, the rest as "other").
    #[arg(long, value_enum, value_name = "BY")]
    pub split: Option<SplitArg>,
    /// Matching articles as a share of all articles in each bucket (of the --source sources, when
    /// given): the chart, CSV and JSON add it (a bucket without any article is empty, not 0%).
    #[arg(long)]
    pub share: bool,
    /// With --split: how many sources get a series of their own.
    #[arg(long, value_name = "N", default_value_t = 5, requires = "split")]
    pub top: usize,
    /// What the chart and the shares count: stories (the copies of a wire story, re-sent or printed
    /// twice, once per bucket) or every article. CSV and JSON give both.
    #[arg(long, value_enum, default_value_t = CountArg::Stories)]
    pub count: CountArg,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = TimelineFormat::Text)]
    pub format: TimelineFormat,
    /// Also draw the chart to this file (.svg or .png).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    /// Width of the text chart in columns [default: the terminal's, or 80].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,
    /// Colour the text chart.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

#[derive(Debug, Args)]
#[command(after_long_help = "\
FILE holds one query per line (blank lines and lines starting with # are left out), or, when it ends
in .csv, a header row and a `query` column (any other columns are ignored). Use - for standard input.

Each query gives one row: query, articles, passages, stories, first_date, last_date, top_article and
error (a query that cannot run says why there; the others still run). The counts are those `search`
gives for the query. With --hits N, CSV gives one row per hit (the query's columns first), JSON and
JSON Lines a `hits` list per query.

Examples:
  dateline batch names.txt --since 2023 -o found.csv
  dateline batch people.csv --hits 3 --format jsonl")]
pub struct BatchArgs {
    /// The list of queries (- for standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub location: IndexLocation,
    #[command(flatten)]
    pub engine: EngineArg,
    #[command(flatten)]
    pub dates: DateArgs,
    /// Also give each query's top N hits.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub hits: usize,
    /// Only articles from this source (a name as `info` lists it, any case); repeatable.
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Whether every word of a query must match, or any.
    #[arg(long = "match", value_enum, default_value_t = MatchArg::All)]
    pub match_mode: MatchArg,
    /// Output format [default: from the --output file's extension (.csv, .json, .jsonl), else csv].
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<BatchFormat>,
    /// Write the output to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Queries run side by side [default: the number of cores].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Args)]
#[command(after_long_help = "\
Compares the articles matching QUERY (copies of a story once; past 500 stories, a fixed sample)
with every article of the archive, or of --since/--until: names (runs of capitalised words, kept
whole: Mohamed Bazoum, Federal Reserve, ECOWAS) and words are scored by JLH, Elasticsearch's
significant-terms score, which asks for both many matches and a large lift over the archive. The
query's own words are left out.

Examples:
  dateline related Niger
  dateline related '\"Mohamed Bazoum\"' --since 2023 --by month
  dateline related oil -n 20 --format csv")]
pub struct RelatedArgs {
    /// The query (same language as `search`; several words are joined with spaces).
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub location: IndexLocation,
    #[command(flatten)]
    pub dates: DateArgs,
    /// Names and words to list (each).
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Also the top names of each day, week, month or year: what was new when.
    #[arg(long, value_enum)]
    pub by: Option<ByArg>,
    /// Only articles from this source (a name as `info` lists it, any case); repeatable.
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Whether every word must match, or any.
    #[arg(long = "match", value_enum, default_value_t = MatchArg::All)]
    pub match_mode: MatchArg,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = TimelineFormat::Text)]
    pub format: TimelineFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchFormat {
    Csv,
    Json,
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CountArg {
    Stories,
    Articles,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CopiesArg {
    /// One hit per story, its other copies counted and named under it.
    Collapse,
    /// Every copy as a hit of its own.
    Show,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SplitArg {
    /// One series per source.
    Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Day,
    Week,
    Month,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    Text,
    Csv,
    Json,
}

#[derive(Debug, Args)]
#[command(after_long_help = "\
The page and its assets are built into the binary; nothing is loaded from the network. A commit by
`dateline index` while the server runs is seen by the next request.

API: GET /api/search, /api/search.csv, /api/search.jsonl, /api/search.json, /api/timeline,
/api/articles/ID, /api/info, /healthz; described at /api/openapi.json. Search parameters are
the search flags: q, since, until, on, n, offset, per_article, sort, match, within, fuzzy.

Examples:
  dateline serve --open
  dateline serve --bind 0.0.0.0:8080 --token \"$(openssl rand -hex 16)\"")]
pub struct ServeArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    #[command(flatten)]
    pub engine: EngineArg,
    /// Address and port to listen on; any address but the loopback one needs a token.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Open the page in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Every request must carry this token (API: Authorization: Bearer TOKEN; the page asks once).
    #[arg(
        long,
        value_name = "TOKEN",
        env = "DATELINE_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Article id, as printed by `search` (its path below the corpus folder).
    #[arg(value_name = "ARTICLE")]
    pub article: String,
    #[command(flatten)]
    pub location: IndexLocation,
    #[command(flatten)]
    pub engine: EngineArg,
    /// Mark the words of this query in the text.
    #[arg(long, value_name = "QUERY")]
    pub highlight: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
    /// Colour highlighted words in text output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

#[derive(Debug, Args)]
pub struct InfoArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    #[command(flatten)]
    pub engine: EngineArg,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = InfoFormat::Text)]
    pub format: InfoFormat,
}

#[derive(Debug, Args)]
#[command(after_long_help = "\
Creates the Quickwit index when it is absent (dateline's own analysed words, so that a query
matches the same passages there as here), sends every article as NDJSON in requests under 10 MB,
retrying on 429, 5xx and lost connections, and waits until Quickwit has made them searchable. A
later push to the same target sends only the articles added or changed since, and hides removed and
replaced ones at once (Quickwit deletes them minutes later). An interrupted push is safe to run
again.

Examples:
  dateline push --to quickwit http://127.0.0.1:7280
  dateline push --to quickwit http://10.0.0.5:7280 --index-id reuters --index reuters-index/
  dateline search Niger --engine quickwit://127.0.0.1:7280/dateline")]
pub struct PushArgs {
    /// Where to: `quickwit` and the node's REST address (http://HOST:7280).
    #[arg(long, num_args = 2, value_names = ["ENGINE", "URL"], required = true)]
    pub to: Vec<String>,
    /// The Quickwit index id (a letter, then letters, digits, '-', '_' or '.').
    #[arg(long, value_name = "ID", default_value = "dateline")]
    pub index_id: String,
    /// Tries after a 429, a 5xx or a lost connection before giving up (waits of 0.25 s doubling to
    /// 8 s between them; a busy cluster answers 429 until it has caught up).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub retries: u32,
    #[command(flatten)]
    pub location: IndexLocation,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub location: IndexLocation,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = InfoFormat::Text)]
    pub format: InfoFormat,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write completions for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortArg {
    Relevance,
    Newest,
    Oldest,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    /// `date YYYY-MM-DD` then paragraphs.
    Text,
    /// One article per JSON object, one object per line.
    Jsonl,
    /// A saved web page: its main text.
    Html,
    /// A web archive (WARC, gzipped or not): each HTML response a page.
    Warc,
}

/// `PART=NAME` of `--field`, the part one of the JSON Lines reader's.
fn parse_field(value: &str) -> Result<(String, String), String> {
    let (part, name) = value
        .split_once('=')
        .ok_or_else(|| format!("'{value}' is not PART=NAME (as in text=article_body)"))?;
    let part = part.trim().to_ascii_lowercase();
    if !dateline::ingest::FieldNames::PARTS.contains(&part.as_str()) {
        return Err(format!(
            "'{part}' is not a part: use one of {} (as in text=article_body)",
            dateline::ingest::FieldNames::PARTS.join(", ")
        ));
    }
    if name.trim().is_empty() {
        return Err(format!(
            "no field name after '{part}=' (as in {part}=article_body)"
        ));
    }
    Ok((part, name.trim().to_string()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatchArg {
    All,
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WithinArg {
    /// The words may stand in different passages of one article.
    Article,
    /// Every required word in one passage.
    Passage,
}

impl WithinArg {
    pub fn within(self) -> dateline::search::Within {
        match self {
            WithinArg::Article => dateline::search::Within::Article,
            WithinArg::Passage => dateline::search::Within::Passage,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    Text,
    Json,
    Jsonl,
    Csv,
    Tsv,
    Markdown,
}

impl SearchFormat {
    /// The format a file name asks for by its extension (any case), if it names one.
    pub fn from_extension(path: &std::path::Path) -> Option<SearchFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => SearchFormat::Csv,
            "tsv" | "tab" => SearchFormat::Tsv,
            "json" => SearchFormat::Json,
            "jsonl" | "ndjson" => SearchFormat::Jsonl,
            "md" | "markdown" => SearchFormat::Markdown,
            "txt" | "text" => SearchFormat::Text,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InfoFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// The command line with query words that start with `-` made positional, so that `search '-Mali
/// niger'` and `search -Mali niger` are queries, not unknown flags. After `search` or `timeline` (and
/// before a `--`), an argument is such a word when it starts with one `-` and either holds white space
/// or does not start like a short flag of that command (`-n 5` stays a flag). The word gets a leading
/// space, which clap takes as a value and the query parser skips.
pub fn queries_may_start_with_a_dash(args: Vec<OsString>) -> Vec<OsString> {
    let mut args = args.into_iter();
    let mut out: Vec<OsString> = args.next().into_iter().collect();
    // The subcommand is the first argument that is not a flag (`dateline --help` has none).
    let mut shorts: Option<Vec<char>> = None;
    for arg in args.by_ref() {
        let name = arg.to_str().map(str::to_string);
        out.push(arg);
        match name {
            Some(n) if n.starts_with('-') => continue,
            Some(n) if n == "search" || n == "timeline" => {
                shorts = Cli::command().find_subcommand(&n).map(|sub| {
                    sub.get_arguments()
                        .filter_map(|a| a.get_short())
                        .chain(['h'])
                        .collect()
                });
            }
            _ => {}
        }
        break;
    }
    let Some(shorts) = shorts else {
        out.extend(args);
        return out;
    };
    for arg in args.by_ref() {
        let Some(text) = arg.to_str().map(str::to_string) else {
            out.push(arg);
            continue;
        };
        if text == "--" {
            out.push(arg);
            break;
        }
        let mut chars = text.chars();
        let dash_word = chars.next() == Some('-')
            && chars
                .next()
                .is_some_and(|c| c != '-' && !shorts.contains(&c));
        let dash_phrase =
            text.starts_with('-') && !text.starts_with("--") && text.contains(char::is_whitespace);
        if dash_word || dash_phrase {
            out.push(OsString::from(format!(" {text}")));
        } else {
            out.push(arg);
        }
    }
    out.extend(args);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(args: &[&str]) -> Vec<String> {
        let args = args.iter().map(OsString::from).collect();
        queries_may_start_with_a_dash(args)
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn query_words_may_start_with_a_dash() {
        assert_eq!(
            rewrite(&["dateline", "search", "-Mali niger", "-n", "3"]),
            vec!["dateline", "search", " -Mali niger", "-n", "3"]
        );
        assert_eq!(
            rewrite(&["dateline", "search", "niger", "-Mali", "--format", "json", "-f", "csv"]),
            vec!["dateline", "search", "niger", " -Mali", "--format", "json", "-f", "csv"]
        );
        assert_eq!(
            rewrite(&["dateline", "timeline", "-Mali niger", "-h"]),
            vec!["dateline", "timeline", " -Mali niger", "-h"]
        );
        // Short flags, long flags, `--` and other commands are left alone.
        assert_eq!(
            rewrite(&["dateline", "search", "-n5", "x", "--", "-y"]),
            vec!["dateline", "search", "-n5", "x", "--", "-y"]
        );
        assert_eq!(
            rewrite(&["dateline", "index", "-Q", "-q"]),
            vec!["dateline", "index", "-Q", "-q"]
        );
        // Only the subcommand counts: a corpus folder named `search` is no search.
        assert_eq!(
            rewrite(&["dateline", "index", "search", "-Q"]),
            vec!["dateline", "index", "search", "-Q"]
        );
        assert_eq!(rewrite(&["dateline", "--help"]), vec!["dateline", "--help"]);
    }

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn output_extensions_name_formats() {
        let f = |name: &str| SearchFormat::from_extension(std::path::Path::new(name));
        assert_eq!(f("hits.CSV"), Some(SearchFormat::Csv));
        assert_eq!(f("out/hits.ndjson"), Some(SearchFormat::Jsonl));
        assert_eq!(f("hits.md"), Some(SearchFormat::Markdown));
        assert_eq!(f("hits.tsv"), Some(SearchFormat::Tsv));
        assert_eq!(f("hits.json"), Some(SearchFormat::Json));
        assert_eq!(f("hits.out"), None);
        assert_eq!(f("hits"), None);
    }
}
