//! A small blocking HTTP client for Quickwit's REST API: JSON in and out, retries with backoff on
//! 429, 5xx and connection errors, and one [`Error`] per failure that says what the cluster answered.

use std::io::Read;
use std::time::Duration;

use serde_json::Value;

use crate::error::{Error, Result};

/// How many times a request is retried after a 429, a 5xx or a connection error.
pub const DEFAULT_RETRIES: u32 = 5;

/// The first wait before a retry; each later wait doubles, up to [`MAX_BACKOFF`].
pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(250);

/// The longest wait between two tries.
pub const MAX_BACKOFF: Duration = Duration::from_secs(8);

/// Largest answer body read (a page of hits with their stored text).
const MAX_ANSWER_BYTES: u64 = 512 * 1024 * 1024;

/// A connection to one Quickwit node (or a load balancer in front of a cluster).
#[derive(Clone)]
pub struct Client {
    /// `http://host:port`, without a trailing slash.
    base: String,
    agent: ureq::Agent,
    retries: u32,
    backoff: Duration,
}

/// What one try of a request came to.
enum Attempt {
    Done(Value),
    /// Worth another try: a 429, a 5xx or a connection error (with what to say if none succeeds).
    Retry(String, Option<Duration>),
    Fail(Error),
}

impl Client {
    /// A client for the node at `base` (`http://host:port`); anything else is an error.
    pub fn new(base: &str) -> Result<Client> {
        let trimmed = base.trim().trim_end_matches('/');
        let rest = trimmed.strip_prefix("http://").ok_or_else(|| {
            Error::BadEngine(format!(
                "'{base}': a Quickwit node is named by its REST address, http://HOST:PORT"
            ))
        })?;
        if rest.is_empty() || rest.contains('/') || rest.contains(char::is_whitespace) {
            return Err(Error::BadEngine(format!(
                "'{base}': expected http://HOST:PORT, with no path"
            )));
        }
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(5))
            .timeout_read(Duration::from_secs(300))
            .timeout_write(Duration::from_secs(300))
            .build();
        Ok(Client {
            base: trimmed.to_string(),
            agent,
            retries: DEFAULT_RETRIES,
            backoff: DEFAULT_BACKOFF,
        })
    }

    /// The same client with another retry policy.
    pub fn with_retries(mut self, retries: u32, backoff: Duration) -> Client {
        self.retries = retries;
        self.backoff = backoff;
        self
    }

    /// `http://host:port`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `GET path`, the answer as JSON.
    pub fn get(&self, path: &str) -> Result<Value> {
        self.send("GET", path, None, "")
    }

    /// `POST path` with a JSON body.
    pub fn post_json(&self, path: &str, body: &Value) -> Result<Value> {
        let text = body.to_string();
        self.send("POST", path, Some("application/json"), &text)
    }

    /// `POST path` with an NDJSON body.
    pub fn post_ndjson(&self, path: &str, body: &str) -> Result<Value> {
        self.send("POST", path, Some("application/x-ndjson"), body)
    }

    /// `DELETE path`.
    pub fn delete(&self, path: &str) -> Result<Value> {
        self.send("DELETE", path, None, "")
    }

    fn send(&self, method: &str, path: &str, content: Option<&str>, body: &str) -> Result<Value> {
        let url = format!("{}{}", self.base, path);
        let mut wait = self.backoff;
        let mut tries = 0u32;
        loop {
            match self.attempt(method, &url, content, body) {
                Attempt::Done(v) => return Ok(v),
                Attempt::Fail(e) => return Err(e),
                Attempt::Retry(why, retry_after) => {
                    if tries >= self.retries {
                        let detail = if tries == 0 {
                            why
                        } else {
                            format!("{why} (after {} tries)", tries + 1)
                        };
                        return Err(Error::Cluster {
                            url: self.base.clone(),
                            detail,
                        });
                    }
                    tries += 1;
                    let pause = retry_after.map_or(wait, |r| r.min(MAX_BACKOFF));
                    std::thread::sleep(pause);
                    wait = (wait * 2).min(MAX_BACKOFF);
                }
            }
        }
    }

    fn attempt(&self, method: &str, url: &str, content: Option<&str>, body: &str) -> Attempt {
        let mut request = self.agent.request(method, url);
        let outcome = match content {
            Some(kind) => {
                request = request.set("Content-Type", kind);
                request.send_string(body)
            }
            None => request.call(),
        };
        match outcome {
            Ok(response) => match read_json(response) {
                Ok(v) => Attempt::Done(v),
                Err(detail) => Attempt::Fail(Error::Cluster {
                    url: self.base.clone(),
                    detail,
                }),
            },
            Err(ureq::Error::Status(code, response)) => {
                let retry_after = response
                    .header("Retry-After")
                    .and_then(|s| s.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                let message = answer_message(response);
                let detail = format!("HTTP {code}: {message}");
                if code == 429 || code >= 500 {
                    Attempt::Retry(detail, retry_after)
                } else if code == 404 && message.to_lowercase().contains("not found") {
                    Attempt::Fail(Error::ClusterIndexMissing {
                        url: self.base.clone(),
                        detail: message,
                    })
                } else {
                    Attempt::Fail(Error::Cluster {
                        url: self.base.clone(),
                        detail,
                    })
                }
            }
            Err(ureq::Error::Transport(t)) => Attempt::Retry(transport_message(&t), None),
        }
    }
}

/// A transport failure in a few words ("cannot connect: Connection refused (os error 111)").
fn transport_message(t: &ureq::Transport) -> String {
    let what = match t.kind() {
        ureq::ErrorKind::Dns => "cannot find the host",
        ureq::ErrorKind::ConnectionFailed => "cannot connect",
        ureq::ErrorKind::Io => "the connection broke",
        _ => "the request failed",
    };
    let cause = std::error::Error::source(t)
        .map(|e| e.to_string())
        .or_else(|| t.message().map(str::to_string));
    match cause {
        Some(c) if !c.is_empty() => format!("{what}: {c}"),
        _ => what.to_string(),
    }
}

/// The body of an answer as JSON; an empty body is `null`.
fn read_json(response: ureq::Response) -> std::result::Result<Value, String> {
    let mut text = String::new();
    response
        .into_reader()
        .take(MAX_ANSWER_BYTES)
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read the answer: {e}"))?;
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(&text).map_err(|e| {
        let start: String = text.chars().take(80).collect();
        format!("the answer is not JSON ({e}): {start}")
    })
}

/// What an error answer says: Quickwit's `message`, or the start of the body.
fn answer_message(response: ureq::Response) -> String {
    let mut text = String::new();
    let _ = response
        .into_reader()
        .take(64 * 1024)
        .read_to_string(&mut text);
    let message = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_string))
        .unwrap_or(text);
    let one_line: String = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 300 {
        let cut: String = one_line.chars().take(300).collect();
        format!("{cut}...")
    } else if one_line.is_empty() {
        "no message".to_string()
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_addresses_are_taken() {
        assert!(Client::new("http://127.0.0.1:7280/").is_ok());
        assert_eq!(
            Client::new("http://127.0.0.1:7280/")
                .map(|c| c.base().to_string())
                .ok(),
            Some("http://127.0.0.1:7280".to_string())
        );
        for bad in [
            "127.0.0.1:7280",
            "https://x:7280",
            "http://",
            "http://x:1/api",
        ] {
            assert!(
                matches!(Client::new(bad), Err(Error::BadEngine(_))),
                "{bad}"
            );
        }
    }
}
