//! `dateline serve`, the second front end beside `commands/`: a web page and a JSON API over an index,
//! from the same library requests and printers as the command line (one search path, one JSON shape).
//!
//! - [`api`]: the endpoints (`/api/search`, its exports, `/api/timeline`, `/api/articles/{id}`,
//!   `/api/info`), parameters named as the command line's flags, errors as `{"error", "hint"}`;
//! - [`auth`]: the token, for servers bound beyond the loopback address;
//! - [`state`]: the reader, reopened when a commit replaced the index;
//! - `assets/`: the page (HTML, CSS, JavaScript written for it), embedded in the binary.
//!
//! Every answer carries a Content-Security-Policy without inline scripts and `nosniff`; article text
//! reaches the page only as JSON and is set as text, never as markup.

pub mod api;
pub mod auth;
pub mod state;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::timeout::TimeoutLayer;

use self::api::{ApiError, Export};
use self::state::Shared;

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const STYLE_CSS: &str = include_str!("assets/style.css");
const OPENAPI_JSON: &str = include_str!("assets/openapi.json");

/// How long a request may take before its answer starts (exports then stream without this limit).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The routes of a server over `shared`.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE_CSS) }),
        )
        .route("/healthz", get(|| async { "ok\n" }))
        .route(
            "/login",
            post(auth::login).get(|| async { auth::login_page(StatusCode::OK, false) }),
        )
        .route(
            "/api/openapi.json",
            get(|| async { asset("application/json", OPENAPI_JSON) }),
        )
        .route("/api/search", get(api::search_page))
        .route("/api/search.csv", get(export_csv))
        .route("/api/search.jsonl", get(export_jsonl))
        .route("/api/search.json", get(export_json))
        .route("/api/timeline", get(api::timeline_json))
        .route("/api/related", get(api::related_json))
        .route("/api/articles/{*id}", get(api::article_json))
        .route("/api/info", get(api::info_json))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            auth::require_token,
        ))
        .layer(middleware::from_fn(security_headers))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(shared)
}

/// Serves `router` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(shared))
        .with_graceful_shutdown(shutdown)
        .await
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response()
}

async fn export_csv(
    State(s): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    api::search_export(s, q, Export::Csv).await
}

async fn export_jsonl(
    State(s): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    api::search_export(s, q, Export::Jsonl).await
}

async fn export_json(
    State(s): State<Arc<Shared>>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    api::search_export(s, q, Export::Json).await
}

async fn not_found(request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            format!("no endpoint {}", request.uri().path()),
            Some("see /api/openapi.json".to_string()),
        )
        .into_response();
    }
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

/// Headers on every answer: no inline or foreign scripts, styles or frames; no content sniffing.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}
