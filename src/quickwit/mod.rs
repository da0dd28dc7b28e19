//! dateline over a Quickwit cluster: [`push`](push::push) sends a local index to Quickwit (and later
//! only what changed), and [`Cluster`] answers searches, timelines, articles and statistics from it
//! with dateline's own query language and semantics (see [`mapping`] for what is sent and why).
//!
//! Quickwit is reached over its REST API ([`client`]). Matching is the same as in a local index:
//! dateline analyses the query and asks for its own tokens; what differs is the scoring (BM25
//! statistics per split, and article documents scored as a whole), so the order of the top hits
//! may differ slightly. Fuzzy words (`word~`) have no counterpart in Quickwit's query language: they
//! are expanded from the local index that was pushed ([`Cluster::attach_local`]), and refused with
//! [`Error::EngineUnsupported`] without it.

pub mod batch;
pub mod client;
pub mod counts;
pub mod mapping;
pub mod push;
pub mod query;
pub mod search;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

pub use self::client::Client;
use self::mapping::{fields as f, MANIFEST_KIND};
pub use self::search::Cluster;
use crate::error::{Error, Result};

/// What the last completed push says: which generations and article versions searches may see,
/// and the index's counts as pushed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub gen: u64,
    /// Generations whose documents are visible.
    pub live: Vec<u64>,
    /// `article@gen` of replaced and removed article versions not yet deleted by Quickwit.
    pub stale: Vec<String>,
    pub articles: u64,
    pub passages: u64,
    /// Stories of several articles, and the copies in them (articles less their stories).
    pub stories: u64,
    pub copies: u64,
    /// First and last day (seconds since the epoch) of the dated articles.
    pub first_day: Option<i64>,
    pub last_day: Option<i64>,
    pub top_sources: Vec<(String, u64)>,
    pub sources: u64,
    /// When the push ended (seconds since the epoch).
    pub pushed_at: i64,
}

/// The manifest of the last completed push to `index_id`, `None` when nothing was pushed.
pub fn manifest(client: &Client, index_id: &str) -> Result<Option<Manifest>> {
    let answer = client.post_json(
        &format!("/api/v1/{index_id}/search"),
        &json!({"query": format!("{}:{}", f::KIND, MANIFEST_KIND), "max_hits": 1000}),
    )?;
    whole(client, &answer)?;
    let hits = answer
        .get("hits")
        .and_then(Value::as_array)
        .ok_or_else(|| push::bad_answer(client, "no hits in a search answer"))?;
    let mut best: Option<Manifest> = None;
    for hit in hits {
        let Some(text) = hit.get(f::MANIFEST).and_then(Value::as_str) else {
            continue;
        };
        let m: Manifest = serde_json::from_str(text).map_err(|e| {
            push::bad_answer(client, &format!("a manifest that does not parse: {e}"))
        })?;
        if best.as_ref().is_none_or(|b| m.gen > b.gen) {
            best = Some(m);
        }
    }
    Ok(best)
}

/// An error when a native search answer is partial (some splits failed): it is never used as if
/// whole.
pub(crate) fn whole(client: &Client, answer: &Value) -> Result<()> {
    match answer
        .get("errors")
        .and_then(Value::as_array)
        .filter(|e| !e.is_empty())
    {
        Some(errors) => Err(partial(client, &errors[0].to_string(), errors.len())),
        None => Ok(()),
    }
}

/// An answer that some splits or shards could not give.
pub(crate) fn partial(client: &Client, first: &str, failed: usize) -> Error {
    let first: String = first.chars().take(200).collect();
    Error::Cluster {
        url: client.base().to_string(),
        detail: format!("the answer is partial ({failed} failed): {first}"),
    }
}

/// A value quoted for Quickwit's query language.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A search engine named by `quickwit://HOST:PORT/INDEX_ID`: the node's address and the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineSpec {
    /// `http://HOST:PORT`
    pub base: String,
    pub index_id: String,
}

impl EngineSpec {
    /// Parses `quickwit://HOST:PORT/INDEX_ID`.
    pub fn parse(spec: &str) -> Result<EngineSpec> {
        let bad = |why: &str| Error::BadEngine(format!("'{spec}': {why}"));
        let rest = spec
            .trim()
            .strip_prefix("quickwit://")
            .ok_or_else(|| bad("expected quickwit://HOST:PORT/INDEX_ID"))?;
        let (host, id) = rest.split_once('/').ok_or_else(|| {
            bad("expected quickwit://HOST:PORT/INDEX_ID (the index id is missing)")
        })?;
        let id = id.trim_end_matches('/');
        if id.is_empty() {
            return Err(bad(
                "expected quickwit://HOST:PORT/INDEX_ID (the index id is missing)",
            ));
        }
        if host.is_empty() {
            return Err(bad("the host is missing"));
        }
        check_index_id(id)?;
        Ok(EngineSpec {
            base: format!("http://{host}"),
            index_id: id.to_string(),
        })
    }
}

/// Quickwit's rule for index ids: a letter, then 2 to 254 letters, digits, `-`, `_` or `.`.
pub fn check_index_id(id: &str) -> Result<()> {
    let mut chars = id.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if first_ok && rest_ok && (3..=255).contains(&id.len()) {
        Ok(())
    } else {
        Err(Error::BadClusterIndexId(id.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_urls_name_a_node_and_an_index() {
        assert_eq!(
            EngineSpec::parse("quickwit://127.0.0.1:7280/news").ok(),
            Some(EngineSpec {
                base: "http://127.0.0.1:7280".into(),
                index_id: "news".into()
            })
        );
        for bad in [
            "http://x:7280/news",
            "quickwit://x:7280",
            "quickwit://x:7280/",
            "quickwit:///news",
        ] {
            assert!(
                matches!(EngineSpec::parse(bad), Err(Error::BadEngine(_))),
                "{bad}"
            );
        }
        for bad in [
            "quickwit://x:7280/9news",
            "quickwit://x:7280/a b",
            "quickwit://x:7280/ab",
        ] {
            assert!(
                matches!(EngineSpec::parse(bad), Err(Error::BadClusterIndexId(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn quoting_escapes_quotes_and_backslashes() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("1987-04/13533.txt"), "\"1987-04/13533.txt\"");
    }
}
