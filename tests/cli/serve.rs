//! `dateline serve` over HTTP on an ephemeral port: every endpoint and parameter, each error, the token,
//! the headers, and the same JSON as the command line.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command as StdCommand, Stdio};

use serde_json::Value;

use crate::util::{code, sample, stderr, stdout, Env};

/// A running server; killed when dropped.
pub struct Server {
    child: Child,
    pub url: String,
}

impl Server {
    pub fn start(env: &Env, extra: &[&str]) -> Server {
        let bin = assert_cmd::cargo::cargo_bin("dateline");
        let mut child = StdCommand::new(bin)
            .current_dir(env.path())
            .env_remove("DATELINE_INDEX")
            .env_remove("DATELINE_TOKEN")
            .args(["serve", "--bind", "127.0.0.1:0", "--index"])
            .arg(env.index())
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the server");
        let mut line = String::new();
        let out = child.stdout.take().expect("stdout");
        BufReader::new(out)
            .read_line(&mut line)
            .expect("the URL line");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .trim_end_matches('/')
            .to_string();
        Server { child, url }
    }

    /// GET `path`: (status, headers we look at, body).
    pub fn get(&self, path: &str) -> Answer {
        self.request(ureq::get(&format!("{}{path}", self.url)))
    }

    pub fn request(&self, request: ureq::Request) -> Answer {
        let response = match request.call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("request failed: {e}"),
        };
        let header = |name: &str| response.header(name).map(str::to_string);
        let status = response.status();
        let content_type = header("content-type");
        let csp = header("content-security-policy");
        let nosniff = header("x-content-type-options");
        let body = response.into_string().expect("body");
        Answer {
            status,
            content_type,
            csp,
            nosniff,
            body,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: Option<String>,
    pub csp: Option<String>,
    pub nosniff: Option<String>,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// An error answer: its status, and `error` and `hint` present.
    pub fn assert_error(&self, status: u16, says: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        let v = self.json();
        let error = v["error"].as_str().expect("error");
        assert!(error.contains(says), "{error}");
        assert!(v.get("hint").is_some(), "{}", self.body);
    }
}

fn sample_env() -> Env {
    let env = Env::new();
    sample(&env);
    env.index_corpus();
    env
}

fn cli_json(env: &Env, args: &[&str]) -> Value {
    let out = env.run(args);
    assert!(code(&out) <= 1, "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("CLI JSON")
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[test]
fn search_answers_the_same_json_as_the_command_line() {
    let env = sample_env();
    let server = Server::start(&env, &[]);
    let cases: Vec<(&str, Vec<&str>, &str)> = vec![
        ("niger", vec![], ""),
        ("coup president", vec![], ""),
        (
            "coup president",
            vec!["--within", "passage"],
            "&within=passage",
        ),
        (
            "niger OR election",
            vec!["--match", "any", "--sort", "newest"],
            "&match=any&sort=newest",
        ),
        (
            "niger",
            vec![
                "--per-article",
                "0",
                "--since",
                "2023",
                "--until",
                "2023-07",
            ],
            "&per_article=0&since=2023&until=2023-07",
        ),
        ("Niger", vec!["--on", "2023-07-28"], "&on=2023-07-28"),
        ("nigr", vec!["--fuzzy"], "&fuzzy=true"),
    ];
    for (q, flags, params) in cases {
        let mut args = vec!["search", q, "--format", "json", "-n", "10"];
        args.extend(flags);
        let want = cli_json(&env, &args);
        let answer = server.get(&format!("/api/search?q={}{params}", enc(q)));
        assert_eq!(answer.status, 200, "{q}: {}", answer.body);
        assert_eq!(answer.content_type.as_deref(), Some("application/json"));
        assert_eq!(answer.json(), want, "{q} {params}");
    }
    // Pages: offset and n cut the same ranking.
    let all = cli_json(
        &env,
        &[
            "search",
            "niger",
            "--format",
            "json",
            "--all",
            "--per-article",
            "0",
        ],
    );
    let page = server
        .get("/api/search?q=niger&per_article=0&n=2&offset=2")
        .json();
    assert_eq!(page["hits"].as_array().map(Vec::len), Some(2));
    assert_eq!(page["hits"][0], all["hits"][2]);
    assert_eq!(page["hits"][1], all["hits"][3]);
    assert_eq!(page["total_passages"], all["total_passages"]);
}

#[test]
fn exports_stream_every_hit_as_the_command_line_writes_them() {
    let env = sample_env();
    env.write(
        "formula.txt",
        "date 2023-08-01 =HYPERLINK(\"http://x\") niger is a formula here.\n",
    );
    env.index_corpus();
    let server = Server::start(&env, &[]);
    for (format, path) in [
        ("csv", "search.csv"),
        ("jsonl", "search.jsonl"),
        ("json", "search.json"),
    ] {
        let out = env.run(&["search", "niger", "--all", "--format", format]);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let answer = server.get(&format!("/api/{path}?q=niger"));
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.body, stdout(&out), "{format}");
    }
    let csv = server.get("/api/search.csv?q=niger").body;
    assert!(
        csv.contains("\"'=HYPERLINK"),
        "formula cells are defused: {csv}"
    );
    server
        .get("/api/search.csv?q=%22niger")
        .assert_error(400, "unclosed quote");
}

#[test]
fn timeline_article_info_and_health() {
    let env = sample_env();
    let server = Server::start(&env, &[]);
    let want = cli_json(
        &env,
        &[
            "timeline", "niger", "mali", "--by", "year", "--format", "json",
        ],
    );
    assert_eq!(
        server.get("/api/timeline?q=niger&q=mali&by=year").json(),
        want
    );
    server
        .get("/api/timeline?by=year")
        .assert_error(400, "empty");
    server
        .get("/api/timeline?q=niger&by=decade")
        .assert_error(400, "by cannot be 'decade'");

    let want = cli_json(&env, &["show", "2023/07/niger.txt", "--format", "json"]);
    assert_eq!(server.get("/api/articles/2023/07/niger.txt").json(), want);
    assert_eq!(
        server.get("/api/articles/2023%2F07%2Fniger.txt").json(),
        want
    );
    let want = cli_json(
        &env,
        &[
            "show",
            "2023/07/niger.txt",
            "--format",
            "json",
            "--highlight",
            "coup~",
        ],
    );
    assert_eq!(
        server
            .get("/api/articles/2023%2F07%2Fniger.txt?highlight=coup~")
            .json(),
        want
    );
    server
        .get("/api/articles/2023/07/nigerr.txt")
        .assert_error(404, "no article");
    // Ids are looked up, never opened as paths.
    server
        .get("/api/articles/..%2F..%2Fetc%2Fpasswd")
        .assert_error(404, "no article");
    let dots = server.get("/api/articles/../../etc/passwd");
    assert_eq!(dots.status, 404);
    assert!(!dots.body.contains("root:"), "{}", dots.body);

    let info = server.get("/api/info").json();
    assert_eq!(
        info["articles"],
        cli_json(&env, &["info", "--format", "json"])["articles"]
    );
    let health = server.get("/healthz");
    assert_eq!((health.status, health.body.trim()), (200, "ok"));
    let spec = server.get("/api/openapi.json").json();
    for path in [
        "/api/search",
        "/api/search.csv",
        "/api/search.jsonl",
        "/api/timeline",
        "/api/articles/{id}",
        "/api/info",
    ] {
        assert!(spec["paths"].get(path).is_some(), "{path} is described");
    }
    server.get("/api/nothing").assert_error(404, "no endpoint");
}

#[test]
fn bad_requests_are_json_errors_with_hints() {
    let env = sample_env();
    let server = Server::start(&env, &[]);
    server.get("/api/search").assert_error(400, "empty");
    server
        .get("/api/search?q=%22niger")
        .assert_error(400, "unclosed quote");
    server.get("/api/search?q=*oil").assert_error(400, "");
    server
        .get("/api/search?q=the")
        .assert_error(400, "very common");
    let month = server.get("/api/search?q=niger&since=2023-13");
    month.assert_error(400, "parameter since");
    // The hint the command line gives.
    let out = env.run(&["search", "niger", "--since", "2023-13"]);
    let cli_hint = stderr(&out);
    let api_hint = month.json()["hint"].as_str().unwrap_or("").to_string();
    assert!(
        api_hint.starts_with("months run from 01 to 12"),
        "{api_hint}"
    );
    assert!(cli_hint.contains(&api_hint), "{cli_hint} / {api_hint}");
    server
        .get("/api/search?q=niger&since=2024&until=2023")
        .assert_error(400, "after");
    server
        .get("/api/search?q=niger&n=1001")
        .assert_error(400, "at most 1000");
    server
        .get("/api/search?q=niger&n=ten")
        .assert_error(400, "whole number");
    server
        .get("/api/search?q=niger&sort=best")
        .assert_error(400, "sort");
    server
        .get("/api/search?q=niger&within=page")
        .assert_error(400, "within");
    let deep = format!("{}niger{}", "(".repeat(100), ")".repeat(100));
    server
        .get(&format!("/api/search?q={}", enc(&deep)))
        .assert_error(400, "");
    // Nothing found is an answer, not an error.
    let none = server.get("/api/search?q=zzzz");
    assert_eq!(none.status, 200);
    assert_eq!(none.json()["total_articles"], 0);
}

#[test]
fn every_answer_carries_the_security_headers() {
    let env = sample_env();
    let server = Server::start(&env, &[]);
    for path in [
        "/",
        "/app.js",
        "/api/search?q=niger",
        "/api/search?q=%22",
        "/nowhere",
    ] {
        let answer = server.get(path);
        let csp = answer.csp.unwrap_or_default();
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(answer.nosniff.as_deref(), Some("nosniff"), "{path}");
    }
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<script src=\"/app.js\""));
    // No inline script, no inline event handler, nothing from another origin.
    assert!(!page.body.contains("<script>") && !page.body.contains(" onclick="));
    assert!(!page.body.contains("http://") && !page.body.contains("https://"));
}

#[test]
fn a_token_guards_every_request() {
    let env = sample_env();
    let server = Server::start(&env, &["--token", "s3cret-token"]);
    server.get("/api/search?q=niger").assert_error(401, "token");
    server.get("/healthz").assert_error(401, "token");
    let page = server.get("/");
    assert_eq!(page.status, 401);
    assert!(page
        .body
        .contains("<form method=\"post\" action=\"/login\""));
    let wrong = server.request(
        ureq::get(&format!("{}/api/search?q=niger", server.url))
            .set("Authorization", "Bearer s3cret-tokem"),
    );
    assert_eq!(wrong.status, 401);
    let right = server.request(
        ureq::get(&format!("{}/api/search?q=niger", server.url))
            .set("Authorization", "Bearer s3cret-token"),
    );
    assert_eq!(right.status, 200, "{}", right.body);

    // The page's form: a wrong token is refused, the right one sets a strict cookie.
    let refused = login(&server, "nope");
    assert_eq!(refused.0, 401);
    let (status, cookie) = login(&server, "s3cret-token");
    assert_eq!(status, 303);
    let cookie = cookie.expect("a cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().expect("name=value").to_string();
    let with_cookie =
        server.request(ureq::get(&format!("{}/api/info", server.url)).set("Cookie", &pair));
    assert_eq!(with_cookie.status, 200, "{}", with_cookie.body);
}

/// Posts the login form: (status, Set-Cookie).
fn login(server: &Server, token: &str) -> (u16, Option<String>) {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let response = match agent
        .post(&format!("{}/login", server.url))
        .set("Content-Type", "application/x-www-form-urlencoded")
        .send_string(&format!("token={}", enc(token)))
    {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    (
        response.status(),
        response.header("set-cookie").map(str::to_string),
    )
}

#[test]
fn addresses_beyond_the_machine_need_a_token_and_a_busy_port_is_named() {
    let env = sample_env();
    let out = env.run(&["serve", "--bind", "0.0.0.0:0"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("needs a token"), "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));

    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let out = env.run(&["serve", "--bind", &format!("127.0.0.1:{port}")]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains(&format!("127.0.0.1:{port} is in use")),
        "{}",
        stderr(&out)
    );
    let out = env.run(&["serve", "--bind", "nowhere"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("not an address"), "{}", stderr(&out));
}

#[test]
fn a_commit_is_seen_by_the_next_request_and_a_lost_index_is_a_503() {
    let env = sample_env();
    let server = Server::start(&env, &[]);
    assert_eq!(server.get("/api/search?q=zinc").json()["total_articles"], 0);
    env.write("zinc.txt", "date 2024-02-02 Zinc prices rose.\n");
    env.index_corpus();
    assert_eq!(server.get("/api/search?q=zinc").json()["total_articles"], 1);
    std::fs::remove_file(env.index().join("meta.json")).expect("remove meta.json");
    server.get("/api/search?q=zinc").assert_error(503, "");
}

#[test]
fn a_client_leaving_mid_export_does_not_hold_up_the_server() {
    use std::io::{Read, Write};
    let env = Env::new();
    // Enough text that the export outlasts one read.
    for i in 0..300 {
        env.write(
            &format!("bulk/{i}.txt"),
            format!(
                "date 2023-01-{:02} Zinc {i}. {}\n",
                i % 28 + 1,
                "zinc ore traders ".repeat(60)
            ),
        );
    }
    env.index_corpus();
    let server = Server::start(&env, &[]);
    let addr = server.url.trim_start_matches("http://").to_string();
    for _ in 0..3 {
        let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
        write!(
            stream,
            "GET /api/search.jsonl?q=zinc&per_article=0 HTTP/1.1\r\nHost: {addr}\r\n\r\n"
        )
        .expect("request");
        let mut first = [0u8; 4096];
        let n = stream.read(&mut first).expect("the answer starts");
        assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
        drop(stream);
    }
    // The server still answers, and a whole export still arrives.
    let full = server.get("/api/search.jsonl?q=zinc&copies=show");
    assert_eq!(full.status, 200);
    assert_eq!(full.body.lines().count(), 300, "one hit per article");
}

/// `source=` (repeatable) and `split=source` answer as `--source` and `--split source` do.
#[test]
fn sources_filter_and_split_as_on_the_command_line() {
    let env = Env::new();
    let dump = [
        r#"{"url": "https://www.reuters.com/a", "title": "Copper record", "text": "Copper rose to a record.", "date": "2023-03-01"}"#,
        r#"{"url": "https://apnews.com/b", "title": "Copper strike", "text": "Copper miners struck.", "date": "2023-03-02"}"#,
        r#"{"url": "https://bbc.co.uk/c", "title": "Copper mixed", "text": "Copper was mixed.", "date": "2024-03-02"}"#,
    ]
    .join("\n");
    env.write("dump.jsonl", &dump);
    env.index_corpus();
    let server = Server::start(&env, &[]);
    let api = server
        .get("/api/search?q=copper&source=reuters.com&source=BBC.CO.UK")
        .json();
    let cli = cli_json(
        &env,
        &[
            "search",
            "copper",
            "--source",
            "reuters.com",
            "--source",
            "BBC.CO.UK",
            "--format",
            "json",
        ],
    );
    assert_eq!(api, cli);
    assert_eq!(api["total_articles"], 2);
    assert_eq!(
        api["hits"][0]["source"]
            .as_str()
            .map(|s| s.ends_with(".com") || s.ends_with(".uk")),
        Some(true)
    );
    let api = server
        .get("/api/timeline?q=copper&split=source&top=2&by=year")
        .json();
    let cli = cli_json(
        &env,
        &[
            "timeline", "copper", "--split", "source", "--top", "2", "--by", "year", "--format",
            "json",
        ],
    );
    assert_eq!(api, cli);
    assert_eq!(
        api["series"].as_array().map(Vec::len),
        Some(3),
        "two sources and other"
    );
    let api = server
        .get("/api/timeline?q=copper&share=true&by=year&source=reuters.com")
        .json();
    let cli = cli_json(
        &env,
        &[
            "timeline",
            "copper",
            "--share",
            "--by",
            "year",
            "--source",
            "reuters.com",
            "--format",
            "json",
        ],
    );
    assert_eq!(api, cli);
    assert_eq!(api["series"][0]["buckets"][0]["share"], 1.0);
    server
        .get("/api/timeline?q=copper&split=author")
        .assert_error(400, "split");
}
