//! The token: when the server has one, every request carries it, as `Authorization: Bearer TOKEN` (API
//! clients) or in the `dateline_token` cookie that the login form sets (the page, which then never
//! handles it). Tokens are compared in constant time.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::api::ApiError;
use super::state::Shared;

const COOKIE: &str = "dateline_token";

/// Equal in constant time for strings of one length (the length itself is not secret).
pub fn same_token(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn presented(headers: &HeaderMap) -> Vec<String> {
    let mut out = Vec::new();
    for value in headers.get_all(header::AUTHORIZATION) {
        if let Some(token) = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")) {
            out.push(token.trim().to_string());
        }
    }
    for value in headers.get_all(header::COOKIE) {
        for pair in value.to_str().unwrap_or("").split(';') {
            if let Some((name, token)) = pair.trim().split_once('=') {
                if name == COOKIE {
                    out.push(token.to_string());
                }
            }
        }
    }
    out
}

/// Lets a request through when no token is set or it carries the right one; otherwise 401 (JSON for the
/// API, the login form for pages).
pub async fn require_token(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(token) = shared.token.as_deref() else {
        return next.run(request).await;
    };
    let path = request.uri().path();
    if path == "/login" || path == "/style.css" {
        return next.run(request).await;
    }
    if presented(request.headers())
        .iter()
        .any(|t| same_token(t.as_bytes(), token.as_bytes()))
    {
        return next.run(request).await;
    }
    if path.starts_with("/api/") || path == "/healthz" {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "a token is required",
            Some("send the server's token as Authorization: Bearer TOKEN".to_string()),
        )
        .into_response();
    }
    login_page(StatusCode::UNAUTHORIZED, false)
}

/// The login form (no script: the browser posts it).
pub fn login_page(status: StatusCode, wrong: bool) -> Response {
    let note = if wrong {
        "<p class=\"error\" role=\"alert\">That token is not this server's.</p>"
    } else {
        ""
    };
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>dateline: token</title><link rel=\"stylesheet\" href=\"/style.css\"></head>\
         <body><main class=\"login\"><h1>dateline</h1>\
         <p>This server asks for its token (given to <code>dateline serve --token</code>).</p>{note}\
         <form method=\"post\" action=\"/login\"><label for=\"token\">Token</label> \
         <input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" autofocus> \
         <button type=\"submit\">Open</button></form></main></body></html>"
    );
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        html,
    )
        .into_response()
}

/// `POST /login`: sets the cookie when the token is right, and goes to the page.
pub async fn login(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let given = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let Some(token) = shared.token.as_deref() else {
        return redirect_home(None);
    };
    if !same_token(given.as_bytes(), token.as_bytes()) {
        return login_page(StatusCode::UNAUTHORIZED, true);
    }
    redirect_home(Some(&given))
}

fn redirect_home(token: Option<&str>) -> Response {
    let mut response = Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, "/");
    if let Some(token) = token {
        // A token that cannot be a cookie value is refused by the header builder below.
        response = response.header(
            header::SET_COOKIE,
            format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"),
        );
    }
    response
        .body(Body::empty())
        .unwrap_or_else(|_| StatusCode::BAD_REQUEST.into_response())
}

#[cfg(test)]
mod tests {
    use super::same_token;

    #[test]
    fn tokens_compare_by_every_byte() {
        assert!(same_token(b"secret", b"secret"));
        assert!(!same_token(b"secret", b"secreT"));
        assert!(!same_token(b"secret", b"secrets"));
        assert!(!same_token(b"", b"x"));
    }
}
