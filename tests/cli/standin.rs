//! A small stand-in for a Quickwit node, for the tests of `push` and `--engine quickwit://`: it
//! answers the REST routes dateline uses (index create and get, NDJSON ingest, native and
//! Elasticsearch-compatible search with paging and scroll, terms, max and daily histogram
//! aggregations, delete tasks), evaluates the query strings dateline sends (fields, AND, OR, NOT,
//! `*`, phrases with slop, prefixes), records every request, and can be told to fail.
//!
//! Like Quickwit, it rejects documents without a timestamp or with unknown fields (strict mode),
//! refuses ingest bodies over 10 MB and offsets past 10,000, and applies delete tasks late (only
//! when told to).

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde_json::{json, Map, Value};

/// Documents grouped by a field's value.
type Groups<'d> = BTreeMap<String, (Value, Vec<&'d Map<String, Value>>)>;

#[derive(Default)]
pub struct State {
    pub config: Option<Value>,
    pub docs: Vec<Map<String, Value>>,
    /// (method, path, body)
    pub requests: Vec<(String, String, String)>,
    /// Each delete task, with the number of documents ingested before it: like Quickwit's, a task
    /// applies to the documents that were there when it was made.
    pub delete_tasks: Vec<(String, u64)>,
    ingested: u64,
    /// Statuses to answer the next requests whose path or body contains the key with (status 200: a body
    /// that is not JSON; 206: a search answer with a failed split).
    pub failures: Vec<(String, u16)>,
    scrolls: HashMap<String, Vec<Value>>,
    next_scroll: u64,
}

pub struct StandIn {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

impl StandIn {
    pub fn start() -> StandIn {
        StandIn::start_on("127.0.0.1:0")
    }

    /// A stand-in listening on `addr`.
    pub fn start_on(addr: &str) -> StandIn {
        let listener = TcpListener::bind(addr).expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = shared.clone();
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        StandIn { url, state }
    }

    /// `quickwit://host:port/ID`
    pub fn engine(&self, id: &str) -> String {
        format!("{}/{id}", self.url.replace("http://", "quickwit://"))
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies every delete task so far, as Quickwit's janitor eventually does.
    pub fn apply_deletes(&self) {
        let mut s = self.lock();
        let tasks = std::mem::take(&mut s.delete_tasks);
        for (t, before) in tasks {
            let q = parse(&t);
            s.docs.retain(|d| {
                d.get("__seq")
                    .and_then(Value::as_u64)
                    .is_some_and(|n| n >= before)
                    || score(&q, d).is_none()
            });
        }
    }
}

fn serve(mut stream: TcpStream, state: &Arc<Mutex<State>>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0u8; length];
    let _ = reader.read_exact(&mut body);
    let body = String::from_utf8_lossy(&body).to_string();
    let (status, answer) = {
        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
        s.requests
            .push((method.clone(), target.clone(), body.clone()));
        if std::env::var_os("STANDIN_LOG").is_some() {
            eprintln!("{method} {target} {} bytes", body.len());
        }
        match s
            .failures
            .iter()
            .position(|(k, _)| target.contains(k.as_str()) || body.contains(k.as_str()))
        {
            Some(i) => match s.failures.remove(i) {
                (_, 200) => (200, "<html>a proxy's page</html>".to_string()),
                (_, 206) => (
                    200,
                    json!({"num_hits": 0, "hits": [], "errors": ["split 01ABC: timeout"]})
                        .to_string(),
                ),
                (_, code) => (
                    code,
                    json!({"message": "the stand-in was told to fail"}).to_string(),
                ),
            },
            None => route(&mut s, &method, &target, &body),
        }
    };
    let reason = if status < 300 { "OK" } else { "Error" };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
}

fn route(s: &mut State, method: &str, target: &str, body: &str) -> (u16, String) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let missing = |id: &str| {
        (
            404,
            json!({"message": format!("index `{id}` not found")}).to_string(),
        )
    };
    let index_ok = |s: &State, id: &str| {
        s.config
            .as_ref()
            .is_some_and(|c| c.get("index_id").and_then(Value::as_str) == Some(id))
    };
    match (method, parts.as_slice()) {
        ("GET", ["api", "v1", "indexes", id]) => match &s.config {
            Some(c) if index_ok(s, id) => (
                200,
                json!({"index_uid": format!("{id}:01STANDIN"), "index_config": c}).to_string(),
            ),
            _ => missing(id),
        },
        ("POST", ["api", "v1", "indexes"]) => {
            let config: Value = serde_json::from_str(body).unwrap_or(Value::Null);
            let id = config
                .get("index_id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            s.config = Some(config.clone());
            (
                200,
                json!({"index_uid": format!("{id}:01STANDIN"), "index_config": config}).to_string(),
            )
        }
        ("POST", ["api", "v1", id, "ingest"]) => {
            if !index_ok(s, id) {
                return missing(id);
            }
            // The example program can keep what it was sent, to look at.
            if let Some(path) = std::env::var_os("STANDIN_DUMP") {
                if let Ok(mut f) = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                {
                    let _ = f.write_all(body.as_bytes());
                }
            }
            if body.len() > 10 * 1024 * 1024 {
                return (413, json!({"message": "payload too large"}).to_string());
            }
            let known: Vec<String> = s
                .config
                .as_ref()
                .and_then(|c| c.pointer("/doc_mapping/field_mappings"))
                .and_then(Value::as_array)
                .map(|m| {
                    m.iter()
                        .filter_map(|f| f.get("name")?.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            let (mut ok, mut rejected) = (0u64, 0u64);
            for line in body.lines().filter(|l| !l.trim().is_empty()) {
                match serde_json::from_str::<Value>(line) {
                    Ok(Value::Object(mut d))
                        if d.contains_key("timestamp") && d.keys().all(|k| known.contains(k)) =>
                    {
                        d.insert("__seq".into(), json!(s.ingested));
                        s.ingested += 1;
                        s.docs.push(d);
                        ok += 1;
                    }
                    _ => rejected += 1,
                }
            }
            let _ = query;
            (200, json!({"num_docs_for_processing": ok + rejected, "num_ingested_docs": ok, "num_rejected_docs": rejected}).to_string())
        }
        ("POST", ["api", "v1", id, "delete-tasks"]) => {
            if !index_ok(s, id) {
                return missing(id);
            }
            let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
            let before = s.ingested;
            s.delete_tasks.push((
                v.get("query")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                before,
            ));
            (200, json!({"opstamp": s.delete_tasks.len()}).to_string())
        }
        ("POST", ["api", "v1", id, "search"]) => {
            if !index_ok(s, id) {
                return missing(id);
            }
            let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
            native_search(s, &v)
        }
        ("POST", ["api", "v1", "_elastic", "_search", "scroll"]) => {
            let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
            let id = v
                .get("scroll_id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let Some(rest) = s.scrolls.get_mut(&id) else {
                return (404, json!({"message": "unknown scroll"}).to_string());
            };
            let page: Vec<Value> = rest.drain(..rest.len().min(500)).collect();
            (
                200,
                json!({"_scroll_id": id, "hits": {"total": {"value": 0}, "hits": page}})
                    .to_string(),
            )
        }
        ("POST", ["api", "v1", "_elastic", id, "_search"]) => {
            if !index_ok(s, id) {
                return missing(id);
            }
            let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
            es_search(s, &v, query.contains("scroll="))
        }
        _ => (
            404,
            json!({"message": format!("no route {method} {path}")}).to_string(),
        ),
    }
}

fn ts(d: &Map<String, Value>) -> i64 {
    d.get("timestamp")
        .and_then(Value::as_str)
        .and_then(|t| {
            time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
        })
        .map_or(0, |t| t.unix_timestamp())
}

/// A document as a hit: its stored fields, the timestamp in seconds.
fn stored(d: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    for (k, v) in d {
        let indexed_only = [
            "stem",
            "exact",
            "head_stem",
            "head_exact",
            "lede_stem",
            "lede_exact",
            "av",
            "key",
            "source_key",
        ]
        .iter()
        .any(|f| k == f || k.strip_suffix("_j") == Some(f));
        if !indexed_only && k != "__seq" {
            out.insert(k.clone(), v.clone());
        }
    }
    out.insert("timestamp".into(), json!(ts(d)));
    Value::Object(out)
}

fn native_search(s: &State, v: &Value) -> (u16, String) {
    let q = parse(v.get("query").and_then(Value::as_str).unwrap_or(""));
    let start = v.get("start_timestamp").and_then(Value::as_i64);
    let end = v.get("end_timestamp").and_then(Value::as_i64);
    let mut matched: Vec<(f64, &Map<String, Value>)> = s
        .docs
        .iter()
        .filter(|d| start.is_none_or(|st| ts(d) >= st) && end.is_none_or(|e| ts(d) < e))
        .filter_map(|d| score(&q, d).map(|sc| (sc, d)))
        .collect();
    matched.sort_by(|a, b| b.0.total_cmp(&a.0));
    let max = v.get("max_hits").and_then(Value::as_u64).unwrap_or(20) as usize;
    let hits: Vec<Value> = matched.iter().take(max).map(|(_, d)| stored(d)).collect();
    let mut answer =
        json!({"num_hits": matched.len(), "hits": hits, "elapsed_time_micros": 1, "errors": []});
    if let Some(aggs) = v.get("aggs").and_then(Value::as_object) {
        let docs: Vec<&Map<String, Value>> = matched.iter().map(|(_, d)| *d).collect();
        answer["aggregations"] = aggregate(aggs, &docs);
    }
    (200, answer.to_string())
}

fn aggregate(aggs: &Map<String, Value>, docs: &[&Map<String, Value>]) -> Value {
    let mut out = Map::new();
    for (name, spec) in aggs {
        let sub = spec.get("aggs").and_then(Value::as_object);
        let value = if let Some(m) = spec.get("max") {
            let field = m.get("field").and_then(Value::as_str).unwrap_or("");
            let max = docs
                .iter()
                .filter_map(|d| d.get(field)?.as_f64())
                .fold(None, |a: Option<f64>, x| Some(a.map_or(x, |a| a.max(x))));
            json!({"value": max})
        } else if let Some(t) = spec.get("terms") {
            let field = t.get("field").and_then(Value::as_str).unwrap_or("");
            let size = t.get("size").and_then(Value::as_u64).unwrap_or(10) as usize;
            let mut groups: Groups = BTreeMap::new();
            for d in docs {
                if let Some(k) = d.get(field) {
                    groups
                        .entry(k.to_string())
                        .or_insert_with(|| (k.clone(), Vec::new()))
                        .1
                        .push(d);
                }
            }
            let mut list: Vec<(Value, Vec<&Map<String, Value>>)> = groups.into_values().collect();
            list.sort_by_key(|g| std::cmp::Reverse(g.1.len()));
            let other: usize = list.iter().skip(size).map(|g| g.1.len()).sum();
            let buckets: Vec<Value> = list
                .into_iter()
                .take(size)
                .map(|(k, ds)| {
                    let mut b = json!({"key": k, "doc_count": ds.len()});
                    if let Some(sub) = sub {
                        for (n, v) in aggregate(sub, &ds).as_object().into_iter().flatten() {
                            b[n] = v.clone();
                        }
                    }
                    b
                })
                .collect();
            json!({"buckets": buckets, "sum_other_doc_count": other})
        } else if let Some(h) = spec.get("date_histogram") {
            assert_eq!(
                h.get("fixed_interval").and_then(Value::as_str),
                Some("1d"),
                "only fixed intervals"
            );
            assert!(
                h.get("calendar_interval").is_none(),
                "calendar_interval is unsupported"
            );
            let mut days: BTreeMap<i64, Vec<&Map<String, Value>>> = BTreeMap::new();
            for d in docs {
                days.entry(ts(d).div_euclid(86_400)).or_default().push(d);
            }
            let buckets: Vec<Value> = days
                .into_iter()
                .map(|(day, ds)| {
                    let mut b = json!({"key": (day * 86_400_000) as f64, "doc_count": ds.len()});
                    if let Some(sub) = sub {
                        for (n, v) in aggregate(sub, &ds).as_object().into_iter().flatten() {
                            b[n] = v.clone();
                        }
                    }
                    b
                })
                .collect();
            json!({"buckets": buckets})
        } else {
            json!({})
        };
        out.insert(name.clone(), value);
    }
    Value::Object(out)
}

fn es_search(s: &mut State, v: &Value, scroll: bool) -> (u16, String) {
    let must = v
        .pointer("/query/bool/must")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut q = Q::All;
    let (mut gte, mut lt) = (None, None);
    for m in &must {
        if let Some(text) = m.pointer("/query_string/query").and_then(Value::as_str) {
            q = parse(text);
        }
        if let Some(r) = m.pointer("/range/timestamp") {
            let secs = |k: &str| {
                r.get(k)
                    .and_then(Value::as_str)
                    .and_then(|t| {
                        time::OffsetDateTime::parse(
                            t,
                            &time::format_description::well_known::Rfc3339,
                        )
                        .ok()
                    })
                    .map(|t| t.unix_timestamp())
            };
            gte = secs("gte");
            lt = secs("lt");
        }
    }
    let from = v.get("from").and_then(Value::as_u64).unwrap_or(0) as usize;
    let size = v.get("size").and_then(Value::as_u64).unwrap_or(10) as usize;
    if !scroll && from + size > 10_000 {
        return (
            400,
            json!({"message": "from + size must not exceed 10000"}).to_string(),
        );
    }
    let mut matched: Vec<(f64, &Map<String, Value>)> = s
        .docs
        .iter()
        .filter(|d| gte.is_none_or(|g| ts(d) >= g) && lt.is_none_or(|l| ts(d) < l))
        .filter_map(|d| score(&q, d).map(|sc| (sc, d)))
        .collect();
    let by_time = v
        .pointer("/sort/0/timestamp/order")
        .and_then(Value::as_str)
        .map(str::to_string);
    matched.sort_by(|a, b| match by_time.as_deref() {
        Some("asc") => ts(a.1).cmp(&ts(b.1)).then(b.0.total_cmp(&a.0)),
        Some(_) => ts(b.1).cmp(&ts(a.1)).then(b.0.total_cmp(&a.0)),
        None => b.0.total_cmp(&a.0),
    });
    let total = matched.len();
    let all: Vec<Value> = matched
        .iter()
        .map(|(sc, d)| json!({"_score": sc, "_source": stored(d)}))
        .collect();
    if scroll {
        let mut rest: Vec<Value> = all;
        let page: Vec<Value> = rest.drain(..rest.len().min(size)).collect();
        s.next_scroll += 1;
        let id = format!("scroll-{}", s.next_scroll);
        s.scrolls.insert(id.clone(), rest);
        return (
            200,
            json!({"_scroll_id": id, "hits": {"total": {"value": total}, "hits": page}})
                .to_string(),
        );
    }
    let page: Vec<Value> = all.into_iter().skip(from).take(size).collect();
    (
        200,
        json!({"hits": {"total": {"value": total}, "hits": page}}).to_string(),
    )
}

/// A parsed query.
#[derive(Debug, Clone)]
pub enum Q {
    All,
    Term(String, String),
    Prefix(String, String),
    Phrase(String, Vec<String>, usize),
    Range(String, u64, u64),
    And(Vec<Q>),
    Or(Vec<Q>),
    Not(Box<Q>),
}

fn lex(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' || c == ')' {
            out.push(c.to_string());
            i += 1;
        } else {
            let mut tok = String::new();
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '(' && chars[i] != ')'
            {
                if chars[i] == '[' {
                    while i < chars.len() && chars[i] != ']' {
                        tok.push(chars[i]);
                        i += 1;
                    }
                    tok.push(']');
                    i += 1;
                } else if chars[i] == '"' {
                    tok.push('"');
                    i += 1;
                    while i < chars.len() && chars[i] != '"' {
                        if chars[i] == '\\' && i + 1 < chars.len() {
                            tok.push(chars[i]);
                            i += 1;
                        }
                        tok.push(chars[i]);
                        i += 1;
                    }
                    tok.push('"');
                    i += 1;
                } else {
                    tok.push(chars[i]);
                    i += 1;
                }
            }
            out.push(tok);
        }
    }
    out
}

pub fn parse(text: &str) -> Q {
    let toks = lex(text);
    let mut pos = 0;
    let q = parse_or(&toks, &mut pos);
    assert_eq!(pos, toks.len(), "the stand-in cannot parse {text:?}");
    q
}

fn parse_or(t: &[String], pos: &mut usize) -> Q {
    let mut items = vec![parse_and(t, pos)];
    while t.get(*pos).is_some_and(|x| x == "OR") {
        *pos += 1;
        items.push(parse_and(t, pos));
    }
    if items.len() == 1 {
        items.remove(0)
    } else {
        Q::Or(items)
    }
}

fn parse_and(t: &[String], pos: &mut usize) -> Q {
    let mut items = vec![parse_unary(t, pos)];
    loop {
        match t.get(*pos).map(String::as_str) {
            Some("AND") => {
                *pos += 1;
                items.push(parse_unary(t, pos));
            }
            Some(")") | Some("OR") | None => break,
            Some(_) => items.push(parse_unary(t, pos)),
        }
    }
    if items.len() == 1 {
        items.remove(0)
    } else {
        Q::And(items)
    }
}

fn parse_unary(t: &[String], pos: &mut usize) -> Q {
    match t.get(*pos).map(String::as_str) {
        Some("NOT") => {
            *pos += 1;
            Q::Not(Box::new(parse_unary(t, pos)))
        }
        Some("(") => {
            *pos += 1;
            let q = parse_or(t, pos);
            assert_eq!(t.get(*pos).map(String::as_str), Some(")"), "unbalanced");
            *pos += 1;
            q
        }
        Some("*") => {
            *pos += 1;
            Q::All
        }
        Some(tok) => {
            *pos += 1;
            let (field, value) = tok
                .split_once(':')
                .unwrap_or_else(|| panic!("no field in {tok:?}"));
            if let Some(range) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
                let (lo, hi) = range.split_once(" TO ").expect("a range");
                Q::Range(
                    field.into(),
                    lo.parse().expect("lo"),
                    hi.parse().expect("hi"),
                )
            } else if let Some(rest) = value.strip_prefix('"') {
                let end = rest.rfind('"').expect("closing quote");
                let inner = rest[..end].replace("\\\"", "\"").replace("\\\\", "\\");
                let slop = rest[end + 1..]
                    .strip_prefix('~')
                    .map_or(0, |n| n.parse().expect("slop"));
                let words: Vec<String> = inner.split_whitespace().map(String::from).collect();
                if words.len() == 1 && slop == 0 {
                    Q::Term(field.into(), words[0].clone())
                } else {
                    Q::Phrase(field.into(), words, slop)
                }
            } else if let Some(p) = value.strip_suffix('*') {
                Q::Prefix(field.into(), p.replace('\\', ""))
            } else {
                Q::Term(field.into(), value.into())
            }
        }
        None => panic!("query ends early"),
    }
}

fn tokens(d: &Map<String, Value>, field: &str) -> Vec<String> {
    match d.get(field) {
        Some(Value::String(s)) => s.split_whitespace().map(String::from).collect(),
        _ => Vec::new(),
    }
}

fn is_text(field: &str) -> bool {
    [
        "stem",
        "exact",
        "head_stem",
        "head_exact",
        "lede_stem",
        "lede_exact",
    ]
    .iter()
    .any(|f| field == *f || field.strip_suffix("_j") == Some(f))
}

/// The score of a matching document, `None` when it does not match.
pub fn score(q: &Q, d: &Map<String, Value>) -> Option<f64> {
    match q {
        Q::All => Some(0.0),
        Q::Term(f, v) if is_text(f) => {
            let n = tokens(d, f).iter().filter(|t| *t == v).count();
            (n > 0).then_some(n as f64)
        }
        Q::Term(f, v) => match d.get(f.as_str()) {
            Some(Value::String(s)) if s == v => Some(1.0),
            Some(Value::Number(n)) if n.to_string() == *v => Some(1.0),
            _ => None,
        },
        Q::Range(f, lo, hi) => {
            let v = d.get(f.as_str()).and_then(Value::as_u64)?;
            (*lo <= v && v <= *hi).then_some(0.0)
        }
        Q::Prefix(f, p) => {
            let n = tokens(d, f)
                .iter()
                .filter(|t| t.starts_with(p.as_str()))
                .count();
            (n > 0).then_some(n as f64)
        }
        Q::Phrase(f, words, slop) => {
            let toks = tokens(d, f);
            let mut n = 0;
            for start in 0..toks.len() {
                if toks[start] != words[0] {
                    continue;
                }
                let (mut at, mut spent, mut ok) = (start, 0usize, true);
                for w in &words[1..] {
                    match toks[at + 1..].iter().position(|t| t == w) {
                        Some(gap) if spent + gap <= *slop => {
                            spent += gap;
                            at += gap + 1;
                        }
                        _ => {
                            ok = false;
                            break;
                        }
                    }
                }
                n += usize::from(ok);
            }
            (n > 0).then_some(2.0 * n as f64)
        }
        Q::And(items) => {
            let mut total = 0.0;
            for i in items {
                total += score(i, d)?;
            }
            Some(total)
        }
        Q::Or(items) => {
            let scores: Vec<f64> = items.iter().filter_map(|i| score(i, d)).collect();
            (!scores.is_empty()).then(|| scores.iter().sum())
        }
        Q::Not(inner) => score(inner, d).is_none().then_some(0.0),
    }
}
