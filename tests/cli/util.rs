//! Test helpers: a temp dir with a corpus and an index, and the built binary run with a clean environment.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde::Deserialize;
use tempfile::TempDir;

/// One hit as `--format json` and `jsonl` write it, decoded with the tests' own struct: the field names
/// are the contract, not the library's types. Unknown fields are refused, so a renamed or added field
/// shows up here.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hit {
    pub rank: usize,
    pub score: f32,
    pub article: String,
    pub date: Option<String>,
    pub passage: u64,
    pub headline: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub authors: Vec<String>,
    pub text: String,
    pub snippet: String,
    pub highlights: Vec<(usize, usize)>,
    pub also: Vec<Also>,
    pub copies: usize,
    pub copy_ids: Vec<String>,
    pub story: String,
}

/// A passage of a hit's `also`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Also {
    pub passage: u64,
    pub snippet: String,
    pub highlights: Vec<(usize, usize)>,
}

/// The `--format json` document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Results {
    pub query: String,
    pub since: Option<String>,
    pub until: Option<String>,
    pub total_passages: u64,
    pub total_articles: u64,
    pub total_stories: u64,
    pub hits: Vec<Hit>,
}

pub struct Env {
    pub dir: TempDir,
}

impl Env {
    pub fn new() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn corpus(&self) -> PathBuf {
        self.path().join("corpus")
    }

    pub fn index(&self) -> PathBuf {
        self.path().join("idx")
    }

    /// Writes a file below the corpus folder.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.corpus().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, content).expect("write article");
        path
    }

    /// The binary, run in the temp dir with no DATELINE_INDEX or colour settings from outside.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("dateline").expect("binary built");
        cmd.current_dir(self.path())
            .env_remove("DATELINE_INDEX")
            .env_remove("NO_COLOR")
            .env_remove("TERM");
        cmd
    }

    /// Runs with `--index <temp index>` appended.
    pub fn run(&self, args: &[&str]) -> Output {
        let index = self.index();
        let mut cmd = self.cmd();
        cmd.args(args).arg("--index").arg(&index);
        cmd.output().expect("run dateline")
    }

    /// Indexes the corpus folder; panics unless it succeeds.
    pub fn index_corpus(&self) -> Output {
        let corpus = self.corpus();
        let out = self.run(&["index", corpus.to_str().expect("utf-8 path")]);
        assert_eq!(code(&out), 0, "index failed: {}", stderr(&out));
        out
    }

    /// `search ... --format json`, parsed; panics on a non-JSON answer.
    pub fn search_json(&self, args: &[&str]) -> Results {
        let mut all = vec!["search"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json"]);
        let out = self.run(&all);
        assert!(code(&out) <= 1, "search {args:?} failed: {}", stderr(&out));
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("bad JSON for {args:?}: {e}\n{}", stdout(&out)))
    }

    /// Every matching passage of `query` in `format`, exit status checked.
    pub fn export(&self, query: &str, format: &str) -> Output {
        let out = self.run(&[
            "search",
            query,
            "--all",
            "--per-article",
            "0",
            "--format",
            format,
        ]);
        assert_eq!(code(&out), 0, "{query} as {format}: {}", stderr(&out));
        out
    }

    /// `info --format json`, parsed.
    pub fn info(&self) -> serde_json::Value {
        let out = self.run(&["info", "--format", "json"]);
        assert_eq!(code(&out), 0, "info failed: {}", stderr(&out));
        serde_json::from_slice(&out.stdout).expect("info JSON")
    }
}

pub fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Article ids of hits, sorted.
/// The article of a hit (as JSON) and the copies of its story collapsed under it.
pub fn hit_and_copies(hit: &serde_json::Value) -> Vec<String> {
    let mut out = vec![hit["article"].as_str().expect("article").to_string()];
    for c in hit["copy_ids"].as_array().expect("copy_ids") {
        out.push(c.as_str().expect("copy id").to_string());
    }
    assert_eq!(
        hit["copies"].as_u64(),
        Some(out.len() as u64 - 1),
        "copies counts copy_ids"
    );
    out
}

pub fn articles(hits: &[Hit]) -> Vec<String> {
    let mut ids: Vec<String> = hits.iter().map(|h| h.article.clone()).collect();
    ids.sort();
    ids.dedup();
    ids
}

/// The words marked in a hit's snippet.
pub fn marked(hit: &Hit) -> Vec<String> {
    hit.highlights
        .iter()
        .map(|&(a, b)| hit.snippet.get(a..b).unwrap_or("<bad range>").to_string())
        .collect()
}

/// A small corpus with known contents (used by several modules).
pub fn sample(env: &Env) {
    env.write(
        "2023/07/niger.txt",
        "date 2023-07-28 The general who led a coup in Niger’s capital spoke on television.\n\n\
         Elections were promised by the junta. The elected president Bazoum is held.\n\n\
         France has soldiers in Niger.\n",
    );
    env.write(
        "2023/07/31/mali.txt",
        "Mali said the coup in Niger was an internal affair. It warned against any election delay.\n",
    );
    env.write(
        "2024/ecowas.txt",
        "date: 2024-01-28\nECOWAS lost three members.\n\nThe election in Senegal went ahead.\n",
    );
    env.write(
        "2022/volcker.txt",
        "date 2022-03-15 Volcker spoke about interest rates and the central bank.\n\n\
         Analysts said the central bank would act.\n",
    );
    env.write(
        "notes/undated.txt",
        "An undated note about Niger and its uranium.\n",
    );
}
