//! The page in a real headless Chromium, driven over the W3C WebDriver protocol (chromedriver): type a
//! query, see marked words, follow a timeline bar, open an article, go Back, export; hostile article text
//! renders as text and runs nothing. Skipped, with a note, where Chromium or chromedriver is not
//! installed (`.ci/run` installs Debian's `chromium` and `chromium-driver`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::serve::Server;
use crate::util::{code, sample, stderr, stdout, Env};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    process: Child,
    base: String,
    session: String,
}

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

fn post(url: &str, body: Value) -> Value {
    let response = match ureq::post(url).send_json(body) {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("WebDriver {url}: {e}"),
    };
    response.into_json().expect("WebDriver JSON")
}

fn get(url: &str) -> Value {
    let response = match ureq::get(url).call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("WebDriver {url}: {e}"),
    };
    response.into_json().expect("WebDriver JSON")
}

impl Driver {
    /// Starts chromedriver and a headless Chromium session; `None` when they are not installed.
    fn start(profile: &Path) -> Option<Driver> {
        let chromedriver = find_program(&["chromedriver"])?;
        let chromium = find_program(&["chromium", "chromium-browser", "google-chrome"])?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let process = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1200,900",
        ];
        let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        all.push(format!("--user-data-dir={}", profile.display()));
        let created = post(
            &format!("{base}/session"),
            json!({"capabilities": {"alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {"binary": chromium, "args": all}
            }}}),
        );
        let session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        Some(Driver {
            process,
            base,
            session,
        })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.base, self.session)
    }

    fn goto(&self, url: &str) {
        post(&self.url("/url"), json!({ "url": url }));
    }

    fn run(&self, script: &str) -> Value {
        post(
            &self.url("/execute/sync"),
            json!({"script": script, "args": []}),
        )["value"]
            .clone()
    }

    /// Waits until `script` returns true.
    fn wait(&self, what: &str, script: &str) {
        let started = Instant::now();
        loop {
            if self.run(script) == Value::Bool(true) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "timed out waiting for {what}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn element(&self, css: &str) -> String {
        let found = post(
            &self.url("/element"),
            json!({"using": "css selector", "value": css}),
        );
        found["value"][ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_string()
    }

    fn click(&self, css: &str) {
        let id = self.element(css);
        post(&self.url(&format!("/element/{id}/click")), json!({}));
    }

    fn type_into(&self, css: &str, text: &str) {
        let id = self.element(css);
        post(&self.url(&format!("/element/{id}/clear")), json!({}));
        post(
            &self.url(&format!("/element/{id}/value")),
            json!({ "text": text }),
        );
    }

    fn current_url(&self) -> String {
        get(&self.url("/url"))["value"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn back(&self) {
        post(&self.url("/back"), json!({}));
    }

    /// Saves a screenshot (PNG) to look at.
    fn screenshot(&self, to: &Path) {
        let shot = get(&self.url("/screenshot"));
        if let Some(data) = shot["value"].as_str() {
            std::fs::write(to, decode_base64(data)).expect("write screenshot");
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn decode_base64(data: &str) -> Vec<u8> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in data.bytes().filter_map(value) {
        acc = (acc << 6) | c;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// Articles that try to run code or inject markup, and a control and bidi character.
fn hostile(env: &Env) {
    env.write(
        "hostile/script.txt",
        "date 2023-08-01 Zinc report <script>window.__xss = 1</script> and <b>bold</b> &amp; &lt;i&gt;.\n\n\
         Second zinc paragraph with <img src=x onerror=\"window.__xss = 2\"> an image.\n",
    );
    env.write(
        "hostile/link.txt",
        "date 2023-08-02 A zinc link <a href=\"javascript:window.__xss=3\">click</a> \u{202E}evil \x1b[31mred.\n",
    );
}

#[test]
fn the_page_searches_narrows_opens_goes_back_and_exports_in_chromium() {
    let env = Env::new();
    sample(&env);
    hostile(&env);
    // One story sent twice: collapsed into one hit with "+1 copy".
    let wire = "Niger junta leaders met Niger envoys in Niamey on Niger border security, \
                and Niger officials said talks with the envoys would resume next week in Niamey.";
    env.write(
        "wire/first.txt",
        format!("date 2023-08-01 {wire}\n\nNiger talks went on.\n"),
    );
    env.write(
        "wire/again.txt",
        format!("date 2023-08-02 {wire}\n\nNiger talks went on.\n"),
    );
    // A name mentioned with Niger in three stories, for the "related" panel.
    env.write(
        "wire/z1.txt",
        "date 2023-08-03 Zarkon Veltrop spoke about Niger.\n",
    );
    env.write(
        "wire/z2.txt",
        "date 2023-08-04 In Niger, Zarkon Veltrop met the envoys again.\n",
    );
    env.write(
        "wire/z3.txt",
        "date 2023-08-05 Zarkon Veltrop left Niger on Saturday.\n",
    );
    env.index_corpus();
    let profile = env.path().join("chromium-profile");
    let Some(driver) = Driver::start(&profile) else {
        println!("note: chromium or chromedriver not installed; skipping the browser test");
        return;
    };
    let server = Server::start(&env, &[]);
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");

    // Type a query: results with the words marked.
    driver.goto(&format!("{}/", server.url));
    driver.wait("the page", "return document.getElementById('q') !== null");
    driver.type_into("#q", "niger\u{E007}");
    driver.wait(
        "hits",
        "return document.querySelectorAll('#hits li.hit').length > 0",
    );
    let marks = driver
        .run("return Array.from(document.querySelectorAll('#hits mark')).map(m => m.textContent)");
    let marks: Vec<String> = serde_json::from_value(marks).expect("marks");
    assert!(
        !marks.is_empty() && marks.iter().all(|m| m.eq_ignore_ascii_case("niger")),
        "{marks:?}"
    );
    assert!(driver.current_url().contains("q=niger"));
    let json = env.search_json(&["niger", "-n", "20"]);
    let shown = driver.run("return document.querySelectorAll('#hits li.hit').length");
    assert_eq!(shown.as_u64(), Some(json.hits.len() as u64));
    driver.screenshot(&shots.join("search.png"));
    // The copies of a story: a disclosure under its hit that lists them.
    let story = json
        .hits
        .iter()
        .find(|h| h.copies == 1)
        .expect("the wire story among the first hits");
    let copy = driver.run(
        "const d = document.querySelector('#hits details.copies');\
         d.querySelector('summary').click();\
         return [d.querySelector('summary').textContent, d.open, d.querySelector('li a').textContent]",
    );
    let copy: (String, bool, String) = serde_json::from_value(copy).expect("copies");
    assert_eq!(
        copy,
        (
            "+1 copy of this story".to_string(),
            true,
            story.copy_ids[0].clone()
        )
    );
    // The "related" panel beside the results: a click on a name adds it to the query.
    driver.wait(
        "the related panel",
        "return !document.getElementById('related').hidden",
    );
    let first = driver.run("return document.querySelector('#related-names a').textContent");
    assert_eq!(first.as_str(), Some("Zarkon Veltrop"));
    driver.screenshot(&shots.join("related.png"));
    driver.click("#related-names a");
    driver.wait(
        "the query with the name",
        "return document.getElementById('q').value === 'niger \"Zarkon Veltrop\"' && document.querySelectorAll('#hits li.hit').length === 3",
    );
    driver.back();
    driver.wait(
        "the first query again",
        "return document.getElementById('q').value === 'niger' && document.querySelectorAll('#hits li.hit').length > 2",
    );

    // A timeline bar narrows the dates to its bucket.
    driver.wait(
        "the timeline",
        "return document.querySelector('#timeline-chart rect.bar') !== null",
    );
    // The share toggle redraws it as shares of all articles, titled with both counts.
    driver.click("#timeline-share");
    driver.wait(
        "the timeline as shares",
        "return document.getElementById('timeline-caption').textContent.includes('share of all stories')",
    );
    let titles = driver.run(
        "return Array.from(document.querySelectorAll('#timeline-chart rect.bar title')).map(t => t.textContent)",
    );
    let titles: Vec<String> = serde_json::from_value(titles).expect("titles");
    assert!(
        titles.iter().any(|t| t.contains("% of all stories (")),
        "{titles:?}"
    );
    driver.click("#timeline-share");
    driver.wait(
        "the timeline as counts",
        "return !document.getElementById('timeline-caption').textContent.includes('share')",
    );
    let start = driver.run(
        "const bars = Array.from(document.querySelectorAll('#timeline-chart rect.bar'));\
         const bar = bars.find(b => Number(b.getAttribute('height')) > 0);\
         bar.dispatchEvent(new MouseEvent('click', {bubbles: true}));\
         return bar.getAttribute('data-start')",
    );
    let start = start.as_str().expect("a bar").to_string();
    driver.wait(
        "narrowed results",
        &format!("return location.search.includes('since={start}') && document.getElementById('since').value === '{start}'"),
    );
    driver.wait(
        "hits",
        "return document.querySelectorAll('#hits li.hit').length > 0",
    );
    let narrowed = driver.current_url();
    assert!(narrowed.contains("until="), "{narrowed}");

    // Open an article, then go Back to the same results.
    driver.click("#hits li.hit a.headline");
    driver.wait(
        "the article",
        "return !document.getElementById('article-view').hidden && document.querySelectorAll('#article-body .para').length > 0",
    );
    assert!(driver.current_url().contains("article="));
    let current =
        driver.run("return document.querySelectorAll('#article-body .para.current').length");
    assert_eq!(current.as_u64(), Some(1));
    driver.screenshot(&shots.join("article.png"));
    driver.back();
    driver.wait(
        "the results again",
        "return !document.getElementById('results-view').hidden && document.querySelectorAll('#hits li.hit').length > 0",
    );
    assert_eq!(driver.current_url(), narrowed);

    // Export: the link gives every hit, as the command line does.
    let href = driver.run("return document.getElementById('export-csv').href");
    let href = href.as_str().expect("export link");
    let csv = ureq::get(href)
        .call()
        .expect("export")
        .into_string()
        .expect("csv");
    let since_until: Vec<(String, String)> = form_urlencoded::parse(
        href.split_once('?')
            .map(|(_, q)| q)
            .unwrap_or("")
            .as_bytes(),
    )
    .map(|(k, v)| (k.into_owned(), v.into_owned()))
    .collect();
    let mut args = vec![
        "search".to_string(),
        "niger".to_string(),
        "--all".to_string(),
    ];
    for (k, v) in since_until {
        if k == "since" || k == "until" {
            args.push(format!("--{k}"));
            args.push(v);
        }
    }
    args.extend(["--format".to_string(), "csv".to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = env.run(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(csv, stdout(&out));

    // Hostile text is text: nothing runs, no element comes from an article.
    driver.goto(&format!("{}/?q=zinc&per_article=0", server.url));
    driver.wait(
        "hits",
        "return document.querySelectorAll('#hits li.hit').length >= 3",
    );
    let ran = driver.run("return window.__xss === undefined");
    assert_eq!(ran, Value::Bool(true), "article text ran as script");
    let injected = driver.run(
        "return document.querySelectorAll('#hits script, #hits img, #hits b, #hits a[href^=\"javascript\"]').length",
    );
    assert_eq!(injected.as_u64(), Some(0));
    let text = driver.run("return document.getElementById('hits').textContent");
    let text = text.as_str().unwrap_or("");
    assert!(text.contains("<script>window.__xss = 1</script>"), "{text}");
    assert!(text.contains("<img src=x onerror="), "{text}");
    driver.click("#hits li.hit a.headline");
    driver.wait(
        "the article",
        "return document.querySelectorAll('#article-body .para').length > 0",
    );
    assert_eq!(
        driver.run("return window.__xss === undefined"),
        Value::Bool(true)
    );
    assert_eq!(
        driver
            .run("return document.querySelectorAll('#article-view script, #article-view img, #article-view b').length")
            .as_u64(),
        Some(0)
    );

    // An `also` passage opens the article there.
    driver.goto(&format!("{}/?q=coup%20president", server.url));
    driver.wait(
        "an also passage",
        "return document.querySelector('#hits .also a.label') !== null",
    );
    let label = driver.run("return document.querySelector('#hits .also a.label').textContent");
    let passage = label
        .as_str()
        .and_then(|l| l.strip_prefix("also ¶"))
        .expect("also ¶N")
        .to_string();
    driver.click("#hits .also a.label");
    driver.wait(
        "the article at the also passage",
        "return document.querySelectorAll('#article-body .para.current').length === 1",
    );
    let current =
        driver.run("return document.querySelector('#article-body .para.current .num').textContent");
    assert_eq!(current.as_str(), Some(format!("¶{passage}").as_str()));

    // Errors appear next to the box with the hint.
    driver.goto(&format!("{}/?q=%22niger", server.url));
    driver.wait(
        "the error",
        "return !document.getElementById('error').hidden",
    );
    let error = driver.run("return document.getElementById('error').textContent");
    assert!(
        error
            .as_str()
            .is_some_and(|e| e.contains("unclosed quote") && e.contains("Hint")),
        "{error}"
    );
    // `/` focuses the search box.
    driver.run("document.activeElement.blur(); return true");
    let body = driver.element("body");
    post(
        &driver.url(&format!("/element/{body}/value")),
        json!({"text": "/"}),
    );
    driver.wait("focus", "return document.activeElement.id === 'q'");
}
