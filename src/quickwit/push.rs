//! `push`: sends a local index to a Quickwit index, and later only what changed.
//!
//! Each push has a generation number (`gen`), larger than any before it. Its documents carry it, and
//! the push ends by ingesting a manifest document (`kind: m`) that names the generations searches
//! may see (`live`) and the article versions they must not see (`stale`: replaced or removed
//! articles, whose delete tasks Quickwit applies minutes later). Until the manifest is in, nothing
//! of the push is visible: a push that is interrupted and run again sends its articles under a new
//! generation, and the documents of the lost one are never shown (and deleted by the next push).
//!
//! What was pushed is remembered per target beside the local index (`quickwit/` in its folder): each
//! article's generation and a hash of what was sent. A later push sends the articles whose hash
//! changed or that are new, and marks removed and replaced ones stale. When that memory is missing
//! or does not match the cluster's manifest (another machine pushed, the Quickwit index was
//! recreated), the push sends everything under a new generation that alone is live.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use tantivy::schema::{TantivyDocument, Value as _};

use super::client::Client;
use super::mapping::{
    self, av, fields as f, index_config, is_dateline_mapping, put_group, timestamp_of, Analyzers,
    Streams, ARTICLE_KIND, MANIFEST_KIND, PASSAGE_KIND,
};
use super::{manifest, quote, Manifest};
use crate::error::{Error, Result};
use crate::index::reader::{headline_and_meta, Reader};
use crate::index::schema::{article_key, source_key};

/// Largest NDJSON request sent (Quickwit takes at most 10 MB).
pub const MAX_REQUEST_BYTES: usize = 9 * 1024 * 1024;

/// What to push where.
#[derive(Debug, Clone)]
pub struct PushOptions {
    pub index_id: String,
    /// Largest request body.
    pub request_bytes: usize,
    /// How long to wait for the pushed documents to be searchable.
    pub settle_timeout: Duration,
    /// How often to ask whether they are.
    pub settle_poll: Duration,
}

impl PushOptions {
    pub fn new(index_id: &str) -> PushOptions {
        PushOptions {
            index_id: index_id.to_string(),
            request_bytes: MAX_REQUEST_BYTES,
            settle_timeout: Duration::from_secs(600),
            settle_poll: Duration::from_millis(500),
        }
    }
}

/// Progress of a push, for a front end to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushEvent {
    /// The local articles to go through, and whether everything is sent (no usable memory of an
    /// earlier push).
    Start { articles: u64, full: bool },
    /// Articles gone through so far (sent or unchanged), and bytes sent.
    Progress { articles: u64, bytes: u64 },
    /// Everything is sent; waiting until Quickwit has made it searchable.
    Settling,
}

/// What a push did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushReport {
    pub index_id: String,
    /// The Quickwit index was created by this push.
    pub created: bool,
    /// Everything was sent (first push, or no usable memory of the last one).
    pub full: bool,
    pub gen: u64,
    pub sent_articles: u64,
    pub sent_passages: u64,
    pub unchanged: u64,
    pub removed: u64,
    pub bytes: u64,
    pub requests: u64,
    pub elapsed: Duration,
}

/// What was pushed to one target, kept beside the local index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct PushMemory {
    url: String,
    index_id: String,
    index_uid: String,
    /// The generation of the last completed push.
    gen: u64,
    /// The largest generation ever started (its documents may be in the index).
    attempted: u64,
    /// Article id -> (generation, hash of what was sent).
    articles: HashMap<String, (u64, String)>,
    /// The local index's commit that was pushed (see [`local_fingerprint`]).
    #[serde(default)]
    local: String,
}

/// What identifies a commit of the local index: its file state and story groups, named by the hash
/// of their content.
pub fn local_fingerprint(reader: &Reader) -> String {
    let meta = &reader.handle.meta;
    format!(
        "{}|{}",
        meta.state_file.as_deref().unwrap_or(""),
        meta.stories_file.as_deref().unwrap_or("")
    )
}

/// Whether the local index in `index_dir`, as `reader` has it, is what the last push to `url`'s
/// `index_id` sent (its push generation `gen` being the cluster's).
pub fn pushed_as_is(
    reader: &Reader,
    index_dir: &Path,
    url: &str,
    index_id: &str,
    gen: u64,
) -> bool {
    load_memory(&memory_path(index_dir, url, index_id)).is_some_and(|m| {
        m.gen == gen && !m.local.is_empty() && m.local == local_fingerprint(reader)
    })
}

/// The folder of push memories in an index folder.
pub fn memory_dir(index_dir: &Path) -> PathBuf {
    index_dir.join("quickwit")
}

fn memory_path(index_dir: &Path, url: &str, index_id: &str) -> PathBuf {
    let name: String = format!("{url}_{index_id}")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    memory_dir(index_dir).join(format!("{name}.json"))
}

fn load_memory(path: &Path) -> Option<PushMemory> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

fn save_memory(path: &Path, memory: &PushMemory) -> Result<()> {
    let io = |source| Error::PushState {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension("json.tmp");
    let text = serde_json::to_string(memory).map_err(Error::Metadata)?;
    std::fs::write(&tmp, text).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// Creates the Quickwit index when it is absent; returns its uid and whether it was created. An
/// index of that name that dateline did not make is an error.
fn ensure_index(client: &Client, index_id: &str) -> Result<(String, bool)> {
    match client.get(&format!("/api/v1/indexes/{index_id}")) {
        Ok(meta) => {
            if !is_dateline_mapping(&meta) {
                return Err(Error::ForeignClusterIndex {
                    url: client.base().to_string(),
                    index_id: index_id.to_string(),
                });
            }
            Ok((uid_of(&meta), false))
        }
        Err(Error::ClusterIndexMissing { .. }) => {
            let answer = client.post_json("/api/v1/indexes", &index_config(index_id))?;
            Ok((uid_of(&answer), true))
        }
        Err(e) => Err(e),
    }
}

fn uid_of(meta: &Value) -> String {
    meta.get("index_uid")
        .and_then(|u| match u {
            Value::String(s) => Some(s.clone()),
            other => (!other.is_null()).then(|| other.to_string()),
        })
        .unwrap_or_default()
}

/// The largest generation of any document in the index (0 when empty).
fn max_gen(client: &Client, index_id: &str) -> Result<u64> {
    let answer = client.post_json(
        &format!("/api/v1/{index_id}/search"),
        &json!({"query": "*", "max_hits": 0, "aggs": {"g": {"max": {"field": f::GEN}}}}),
    )?;
    super::whole(client, &answer)?;
    Ok(answer
        .pointer("/aggregations/g/value")
        .and_then(Value::as_f64)
        .map_or(0, |v| v.max(0.0) as u64))
}

/// How many documents match `query`.
pub(super) fn count(client: &Client, index_id: &str, query: &str) -> Result<u64> {
    let answer = client.post_json(
        &format!("/api/v1/{index_id}/search"),
        &json!({"query": query, "max_hits": 0}),
    )?;
    super::whole(client, &answer)?;
    answer
        .get("num_hits")
        .and_then(Value::as_u64)
        .ok_or_else(|| bad_answer(client, "no num_hits in a search answer"))
}

pub(super) fn bad_answer(client: &Client, what: &str) -> Error {
    Error::Cluster {
        url: client.base().to_string(),
        detail: format!("unexpected answer: {what}"),
    }
}

/// Sends NDJSON lines in requests under the size limit.
struct Sender<'a> {
    client: &'a Client,
    path: String,
    limit: usize,
    body: String,
    lines: u64,
    bytes: u64,
    requests: u64,
}

impl Sender<'_> {
    fn add(&mut self, line: &str) -> Result<()> {
        if !self.body.is_empty() && self.body.len() + line.len() + 1 > self.limit {
            self.flush("auto")?;
        }
        self.body.push_str(line);
        self.body.push('\n');
        self.lines += 1;
        Ok(())
    }

    fn flush(&mut self, commit: &str) -> Result<()> {
        if self.body.is_empty() {
            return Ok(());
        }
        let answer = self
            .client
            .post_ndjson(&format!("{}?commit={commit}", self.path), &self.body)?;
        let rejected = answer
            .get("num_rejected_docs")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if rejected > 0 {
            return Err(Error::Cluster {
                url: self.client.base().to_string(),
                detail: format!("{rejected} documents were rejected at ingest"),
            });
        }
        self.bytes += self.body.len() as u64;
        self.requests += 1;
        self.body.clear();
        Ok(())
    }
}

/// One local article with its passages, as read from the index.
struct LocalArticle {
    id: String,
    date: Option<i64>,
    first: TantivyDocument,
    /// (passage, paragraph, text)
    passages: Vec<(u64, u64, String)>,
}

/// Pushes the index `reader` reads (kept in `index_dir`) to Quickwit.
pub fn push(
    reader: &Reader,
    index_dir: &Path,
    client: &Client,
    options: &PushOptions,
    mut progress: impl FnMut(PushEvent),
) -> Result<PushReport> {
    let started = Instant::now();
    let id = options.index_id.as_str();
    let (uid, created) = ensure_index(client, id)?;
    let path = memory_path(index_dir, client.base(), id);
    let remote = manifest(client, id)?;
    let mut memory = load_memory(&path).filter(|m| m.index_uid == uid && m.index_id == id);
    // A push that ended after its manifest but before its memory was saved left it as `.pending`.
    let pending = path.with_extension("json.pending");
    if let (Some(p), Some(r)) = (load_memory(&pending), &remote) {
        if p.gen == r.gen && p.index_uid == uid {
            memory = Some(p);
        }
    }
    let _ = std::fs::remove_file(&pending);
    let previous = match (&memory, &remote) {
        (Some(m), Some(r)) if m.gen == r.gen => Some(m.clone()),
        _ => None,
    };
    let full = previous.is_none();
    let attempted = memory.as_ref().map_or(0, |m| m.attempted);
    let gen = max_gen(client, id)?
        .max(attempted)
        .max(remote.as_ref().map_or(0, |r| r.gen))
        + 1;
    // Remember the generation before sending any of it.
    let mut next = PushMemory {
        url: client.base().to_string(),
        index_id: id.to_string(),
        index_uid: uid.clone(),
        gen,
        attempted: gen,
        articles: HashMap::new(),
        local: local_fingerprint(reader),
    };
    if let Some(m) = &memory {
        let mut m = m.clone();
        m.attempted = gen;
        save_memory(&path, &m)?;
    } else {
        let mut placeholder = next.clone();
        placeholder.gen = 0;
        save_memory(&path, &placeholder)?;
    }

    let stories = reader.stories();
    let searcher = reader.searcher();
    let fields = *reader.fields();
    let total: u64 = searcher
        .segment_readers()
        .iter()
        .map(|s| u64::from(s.num_docs()))
        .sum();
    progress(PushEvent::Start {
        articles: count_local_articles(reader)?.min(total),
        full,
    });
    let mut sender = Sender {
        client,
        path: format!("/api/v1/{id}/ingest"),
        limit: options.request_bytes.max(64 * 1024),
        body: String::new(),
        lines: 0,
        bytes: 0,
        requests: 0,
    };
    let mut analyzers = Analyzers::default();
    let (mut sent_articles, mut sent_passages, mut unchanged, mut visited) =
        (0u64, 0u64, 0u64, 0u64);
    // Stale versions stay listed until Quickwit has deleted them.
    let mut stale: Vec<String> = match remote.as_ref().filter(|_| !full) {
        Some(r) => still_present(client, id, &r.stale)?,
        None => Vec::new(),
    };
    let mut send = |a: LocalArticle,
                    sender: &mut Sender,
                    next: &mut PushMemory,
                    stale: &mut Vec<String>|
     -> Result<()> {
        let story = match stories.get(stories.of(article_key(&a.id))) {
            Some(s) => s.id.clone(),
            None => a.id.clone(),
        };
        let (headline, meta) = headline_and_meta(&a.first, &fields);
        let mut hasher = blake3::Hasher::new();
        for part in [
            a.id.as_str(),
            &a.date.map(|d| d.to_string()).unwrap_or_default(),
            &headline,
            meta.title.as_deref().unwrap_or("\u{0}"),
            meta.url.as_deref().unwrap_or("\u{0}"),
            meta.source.as_deref().unwrap_or("\u{0}"),
            &meta.authors.join("\u{1}"),
            &story,
        ] {
            hasher.update(part.as_bytes());
            hasher.update(&[0xff]);
        }
        for (p, para, text) in &a.passages {
            hasher.update(&p.to_le_bytes());
            hasher.update(&para.to_le_bytes());
            hasher.update(text.as_bytes());
            hasher.update(&[0xff]);
        }
        hasher.update(&mapping::MAPPING_VERSION.to_le_bytes());
        let hash = hasher.finalize().to_hex().to_string();
        if let Some(prev) = previous.as_ref().and_then(|p| p.articles.get(&a.id)) {
            if prev.1 == hash {
                next.articles.insert(a.id.clone(), prev.clone());
                unchanged += 1;
                return Ok(());
            }
            stale.push(av(&a.id, prev.0));
        }
        let (timestamp, dated) = timestamp_of(a.date);
        let mut common = Map::new();
        common.insert(f::ARTICLE.into(), json!(a.id));
        common.insert(f::AV.into(), json!(av(&a.id, gen)));
        common.insert(f::GEN.into(), json!(gen));
        common.insert(f::KEY.into(), json!(article_key(&a.id)));
        common.insert(f::TIMESTAMP.into(), json!(timestamp));
        common.insert(f::DATED.into(), json!(dated));
        match &meta.title {
            Some(t) => common.insert(f::TITLE.into(), json!(t)),
            None => common.insert(f::HEADLINE.into(), json!(headline)),
        };
        if let Some(u) = &meta.url {
            common.insert(f::URL.into(), json!(u));
        }
        if let Some(s) = &meta.source {
            common.insert(f::SOURCE.into(), json!(s));
            common.insert(f::SOURCE_KEY.into(), json!(source_key(s)));
        }
        if !meta.authors.is_empty() {
            common.insert(f::AUTHORS.into(), json!(meta.authors));
        }
        common.insert(f::STORY.into(), json!(story));
        let (head_stem, head_exact) = analyzers.streams(&headline);
        let mut stems: Vec<Streams> = Vec::with_capacity(a.passages.len());
        let mut exacts: Vec<Streams> = Vec::with_capacity(a.passages.len());
        for (number, paragraph, text) in &a.passages {
            let (s, e) = analyzers.streams(text);
            let mut doc = common.clone();
            doc.insert(f::KIND.into(), json!(PASSAGE_KIND));
            doc.insert(f::PASSAGE.into(), json!(number));
            doc.insert(f::PARAGRAPH.into(), json!(paragraph));
            doc.insert(f::TEXT.into(), json!(text));
            put_group(&mut doc, f::STEM, &s);
            put_group(&mut doc, f::EXACT, &e);
            if *number == 1 {
                put_group(&mut doc, f::HEAD_STEM, &head_stem);
                put_group(&mut doc, f::HEAD_EXACT, &head_exact);
            }
            sender.add(&Value::Object(doc).to_string())?;
            stems.push(s);
            exacts.push(e);
        }
        let mut doc = common;
        doc.insert(f::KIND.into(), json!(ARTICLE_KIND));
        doc.insert(f::PASSAGE.into(), json!(0));
        doc.insert(f::PASSAGES.into(), json!(a.passages.len()));
        put_group(
            &mut doc,
            f::STEM,
            &mapping::join_streams(&stems.iter().collect::<Vec<_>>()),
        );
        put_group(
            &mut doc,
            f::EXACT,
            &mapping::join_streams(&exacts.iter().collect::<Vec<_>>()),
        );
        put_group(&mut doc, f::HEAD_STEM, &head_stem);
        put_group(&mut doc, f::HEAD_EXACT, &head_exact);
        if a.passages.first().is_some_and(|p| p.0 == 1) {
            put_group(&mut doc, f::LEDE_STEM, &stems[0]);
            put_group(&mut doc, f::LEDE_EXACT, &exacts[0]);
        }
        sender.add(&Value::Object(doc).to_string())?;
        sent_articles += 1;
        sent_passages += a.passages.len() as u64;
        next.articles.insert(a.id, (gen, hash));
        Ok(())
    };

    for segment in searcher.segment_readers() {
        let store = segment
            .get_store_reader(64)
            .map_err(tantivy::TantivyError::from)?;
        let mut current: Option<LocalArticle> = None;
        for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
            let doc = doc?;
            let text_of = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let number = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
            let article = text_of(fields.article);
            let passage = number(fields.passage);
            let same = current.as_ref().is_some_and(|c| c.id == article);
            if !same {
                if let Some(done) = current.take() {
                    send(done, &mut sender, &mut next, &mut stale)?;
                    visited += 1;
                    if visited % 256 == 0 {
                        progress(PushEvent::Progress {
                            articles: visited,
                            bytes: sender.bytes,
                        });
                    }
                }
                let date = doc
                    .get_first(fields.date)
                    .and_then(|v| v.as_datetime())
                    .map(|d| d.into_timestamp_secs());
                let text = text_of(fields.text);
                let paragraph = number(fields.paragraph);
                current = Some(LocalArticle {
                    id: article,
                    date,
                    first: doc,
                    passages: vec![(passage, paragraph, text)],
                });
            } else if let Some(c) = current.as_mut() {
                c.passages
                    .push((passage, number(fields.paragraph), text_of(fields.text)));
            }
        }
        if let Some(done) = current.take() {
            send(done, &mut sender, &mut next, &mut stale)?;
            visited += 1;
        }
    }
    let mut removed = 0u64;
    if let Some(prev) = &previous {
        for (article, (g, _)) in &prev.articles {
            if !next.articles.contains_key(article) {
                stale.push(av(article, *g));
                removed += 1;
            }
        }
    }
    sender.flush("force")?;
    progress(PushEvent::Progress {
        articles: visited,
        bytes: sender.bytes,
    });
    let mut report = PushReport {
        index_id: id.to_string(),
        created,
        full,
        gen,
        sent_articles,
        sent_passages,
        unchanged,
        removed,
        bytes: sender.bytes,
        requests: sender.requests,
        elapsed: started.elapsed(),
    };
    // Nothing changed: the cluster stays as the last push left it.
    if let (Some(prev), Some(r)) = (&previous, &remote) {
        if sent_articles == 0 && removed == 0 && stale == r.stale {
            report.gen = prev.gen;
            return Ok(report);
        }
    }
    progress(PushEvent::Settling);
    // Every document of this generation must be searchable before the manifest names it.
    let expected = sent_articles + sent_passages;
    wait_for_count(client, id, &format!("{}:{gen}", f::GEN), expected, options)?;

    let live: Vec<u64> = match (&remote, full) {
        (Some(r), false) => r.live.iter().copied().chain([gen]).collect(),
        _ => vec![gen],
    };
    let sources = reader.source_counts()?;
    let dated: Vec<i64> = reader
        .date_bounds()
        .map(|(a, b)| {
            vec![
                crate::text::dates::day_to_secs(a),
                crate::text::dates::day_to_secs(b),
            ]
        })
        .unwrap_or_default();
    let new_manifest = Manifest {
        gen,
        live,
        stale: stale.clone(),
        articles: next.articles.len() as u64,
        passages: searcher.num_docs(),
        stories: reader.stories().shared().len() as u64,
        copies: reader
            .stories()
            .shared()
            .iter()
            .map(|s| s.members.len() as u64 - 1)
            .sum(),
        first_day: dated.first().copied(),
        last_day: dated.last().copied(),
        top_sources: sources.iter().take(10).cloned().collect(),
        sources: sources.len() as u64,
        pushed_at: time::OffsetDateTime::now_utc().unix_timestamp(),
    };
    let pending_memory = next.clone();
    save_memory(&pending, &pending_memory)?;
    let doc = json!({
        f::KIND: MANIFEST_KIND,
        f::GEN: gen,
        f::AV: av("", gen),
        f::TIMESTAMP: "1970-01-01T00:00:00Z",
        f::DATED: 0,
        f::MAPPING: mapping::MAPPING_VERSION,
        f::MANIFEST: serde_json::to_string(&new_manifest).map_err(Error::Metadata)?,
    });
    sender.add(&doc.to_string())?;
    sender.flush("force")?;
    wait_for_count(
        client,
        id,
        &format!("{}:{} AND {}:{gen}", f::KIND, MANIFEST_KIND, f::GEN),
        1,
        options,
    )?;
    save_memory(&path, &next)?;
    let _ = std::fs::remove_file(&pending);

    // Deletes run late; searches already leave these documents out.
    let gens: Vec<String> = new_manifest
        .live
        .iter()
        .map(|g| format!("{}:{g}", f::GEN))
        .collect();
    let mut deletes = vec![format!(
        "{}:{} AND NOT {}:{gen}",
        f::KIND,
        MANIFEST_KIND,
        f::GEN
    )];
    deletes.push(format!(
        "({k}:{PASSAGE_KIND} OR {k}:{ARTICLE_KIND}) AND NOT ({})",
        gens.join(" OR "),
        k = f::KIND
    ));
    for chunk in stale.chunks(200) {
        let list: Vec<String> = chunk
            .iter()
            .map(|a| format!("{}:{}", f::AV, quote(a)))
            .collect();
        deletes.push(list.join(" OR "));
    }
    for query in deletes {
        client.post_json(
            &format!("/api/v1/{id}/delete-tasks"),
            &json!({"query": query}),
        )?;
    }
    report.bytes = sender.bytes;
    report.requests = sender.requests;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The article versions of `stale` still in the index.
fn still_present(client: &Client, index_id: &str, stale: &[String]) -> Result<Vec<String>> {
    let mut present = Vec::new();
    // Passages and articles of a version may be deleted at different times: any of them keeps it.
    for chunk in stale.chunks(50) {
        let list: Vec<String> = chunk
            .iter()
            .map(|a| format!("{}:{}", f::AV, quote(a)))
            .collect();
        let answer = client.post_json(
            &format!("/api/v1/{index_id}/search"),
            &json!({"query": list.join(" OR "), "max_hits": 10_000}),
        )?;
        super::whole(client, &answer)?;
        let hits = answer
            .get("hits")
            .and_then(Value::as_array)
            .ok_or_else(|| bad_answer(client, "no hits in a search answer"))?;
        for hit in hits {
            let article = hit.get(f::ARTICLE).and_then(Value::as_str);
            let g = hit.get(f::GEN).and_then(Value::as_u64);
            if let (Some(article), Some(g)) = (article, g) {
                present.push(av(article, g));
            }
        }
    }
    present.sort();
    present.dedup();
    Ok(present)
}

/// Local articles (first passages).
fn count_local_articles(reader: &Reader) -> Result<u64> {
    let mut n = 0u64;
    for (ord, segment) in reader.searcher().segment_readers().iter().enumerate() {
        let columns = reader.segment_columns(ord as u32)?;
        let alive = segment.alive_bitset();
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            if columns.passages.first(doc) == Some(1) {
                n += 1;
            }
        }
    }
    Ok(n)
}

/// Waits until `query` counts `expected` documents.
fn wait_for_count(
    client: &Client,
    index_id: &str,
    query: &str,
    expected: u64,
    options: &PushOptions,
) -> Result<()> {
    let deadline = Instant::now() + options.settle_timeout;
    loop {
        let n = count(client, index_id, query)?;
        if n >= expected {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(Error::Cluster {
                url: client.base().to_string(),
                detail: format!(
                    "only {n} of the {expected} documents sent became searchable within {} s",
                    options.settle_timeout.as_secs()
                ),
            });
        }
        std::thread::sleep(options.settle_poll);
    }
}
