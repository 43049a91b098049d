//! The gateway: serves the console's files and forwards the endpoint
//! catalog's requests to one upstream fixed at start (the embedded sandbox,
//! or the real API), injecting the credentials itself. The browser never
//! holds a secret.
//!
//! It is not an open proxy: only the catalog's method and path pairs pass
//! (`orgpolicy_api::catalog::match_request`); the upstream's address never
//! comes from the request; client `Authorization` and `Cookie` headers are
//! dropped; no redirect is followed; request and response bodies are
//! limited; the upstream has a timeout.
//!
//! It is not writable from other web pages: a request whose `Origin` is
//! neither the gateway's own nor an allowed one is refused, whatever its
//! method; an API request a browser marks `Sec-Fetch-Site: cross-site` or
//! `same-site` without such an origin is refused; a request body must be
//! JSON. A form or a `no-cors` fetch on another site therefore writes
//! nothing.
//!
//! Everything the gateway refuses is answered as a gateway error, marked by
//! the `x-orgpolicy-gateway-error` header and a `gateway_error` body, so it
//! cannot be mistaken for the API's own errors.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use orgpolicy_api::catalog::{forwarded_query, match_request};
use orgpolicy_sandbox::{is_json_content_type, same_secret};
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::cors::CorsLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// What the upstream is, as `/_gateway/info` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UpstreamKind {
    Sandbox,
    Test,
    Live,
}

/// The one upstream requests go to.
#[derive(Debug, Clone)]
pub struct Upstream {
    /// Scheme, host and port, no trailing slash: `http://127.0.0.1:4100`.
    pub base: String,
    pub kind: UpstreamKind,
    /// The `Authorization` value the gateway sends (Basic project id and
    /// secret); `None` when no credentials are configured.
    pub authorization: Option<HeaderValue>,
}

#[derive(Debug, Clone)]
pub struct GatewayConfig {
    pub upstream: Upstream,
    /// The console's built files; `None` serves a short page instead.
    pub static_dir: Option<PathBuf>,
    /// Origins allowed to call the gateway cross-origin (none by default),
    /// each as a browser sends it: `scheme://host[:port]`.
    pub allowed_origins: Vec<HeaderValue>,
    /// `Host` values accepted (DNS rebinding protection); empty accepts any.
    pub allowed_hosts: Vec<String>,
    /// When set, API and `/_gateway/` requests must carry it in
    /// `x-gateway-token` (the console's files, which hold no secret, load
    /// without it).
    pub access_token: Option<String>,
    /// Largest request body forwarded, in bytes.
    pub body_limit: usize,
    /// Largest upstream response passed on, in bytes.
    pub response_limit: usize,
    pub upstream_timeout: Duration,
}

#[derive(Debug, Clone)]
pub struct GatewayState {
    config: Arc<GatewayConfig>,
    client: reqwest::Client,
}

impl GatewayState {
    pub fn new(config: GatewayConfig) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.upstream_timeout)
            .build()?;
        Ok(GatewayState {
            config: Arc::new(config),
            client,
        })
    }
}

/// The header that marks the gateway's own errors.
pub const GATEWAY_ERROR_HEADER: &str = "x-orgpolicy-gateway-error";
/// The header carrying the access token.
pub const ACCESS_TOKEN_HEADER: &str = "x-gateway-token";

/// Content security policy: the console's own files, wasm compilation, and
/// requests to this origin only.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     frame-ancestors 'none'; form-action 'self'";

/// Every refusal the gateway itself answers, with what it means; served at
/// `/_gateway/errors`, which each refusal's `error_url` points into.
pub const GATEWAY_ERRORS: &[(&str, &str)] = &[
    (
        "access_token_required",
        "This gateway is bound beyond loopback: API requests carry its access token in `x-gateway-token`.",
    ),
    (
        "body_timeout",
        "The request body did not arrive within the body timeout.",
    ),
    (
        "body_too_large",
        "The request body is larger than the gateway's body limit.",
    ),
    ("body_unreadable", "The request body broke off."),
    (
        "cross_site_request",
        "A browser marked the request as coming from another site's page, without an allowed Origin.",
    ),
    (
        "duplicate_host",
        "The request carried more than one Host header.",
    ),
    (
        "host_not_allowed",
        "The Host header is not one this gateway answers for (DNS rebinding protection).",
    ),
    ("not_found", "No such file in the console."),
    (
        "not_in_catalog",
        "The method and path are not an endpoint of the catalog; the gateway forwards nothing else.",
    ),
    (
        "origin_not_allowed",
        "The request's Origin is neither the gateway's own nor one given with --allow-origin.",
    ),
    (
        "unsupported_media_type",
        "A request body must be JSON, sent with `Content-Type: application/json`.",
    ),
    (
        "upstream_redirect",
        "The upstream answered with a redirect; the gateway follows none.",
    ),
    (
        "upstream_response_too_large",
        "The upstream's answer is larger than the gateway's response limit.",
    ),
    (
        "upstream_timeout",
        "The upstream did not answer within the upstream timeout.",
    ),
    (
        "upstream_unreachable",
        "The upstream could not be reached, or its answer broke off.",
    ),
];

/// A refusal of the gateway's own, shaped like the API's errors
/// (`status_code`, `request_id`, `error_type`, `error_message`,
/// `error_url`), so Stytch's SDKs raise their typed error for it, and
/// marked by the `x-orgpolicy-gateway-error` header and a `gateway_error`
/// object so it cannot be mistaken for the API's own.
fn gateway_error(status: StatusCode, code: &'static str, message: impl Into<String>) -> Response {
    let message = message.into();
    let request_id = format!("gateway-{}", uuid::Uuid::new_v4());
    let body = json!({
        "status_code": status.as_u16(),
        "request_id": request_id,
        "error_type": code,
        "error_message": message,
        "error_url": format!("/_gateway/errors#{code}"),
        "gateway_error": {"code": code, "message": message},
    });
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(GATEWAY_ERROR_HEADER, HeaderValue::from_static(code));
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

async fn errors() -> Json<serde_json::Value> {
    let errors: Vec<_> = GATEWAY_ERRORS
        .iter()
        .map(|(code, description)| json!({"code": code, "description": description}))
        .collect();
    Json(json!({ "errors": errors }))
}

/// Whether a path is the API or the gateway's own endpoints (which need
/// the token and refuse cross-site requests), rather than a console file.
fn is_api_path(path: &str) -> bool {
    path == "/v1"
        || path.starts_with("/v1/")
        || path == "/_gateway"
        || path.starts_with("/_gateway/")
}

/// Whether `origin` is the gateway's own (the `Host` it was reached by) or
/// one it was told to allow.
fn origin_allowed(config: &GatewayConfig, origin: &[u8], host: &[u8]) -> bool {
    let own = |scheme: &[u8]| {
        origin.len() == scheme.len() + host.len()
            && origin.starts_with(scheme)
            && origin
                .get(scheme.len()..)
                .is_some_and(|rest| rest.eq_ignore_ascii_case(host))
    };
    (!host.is_empty() && (own(b"http://") || own(b"https://")))
        || config
            .allowed_origins
            .iter()
            .any(|allowed| allowed.as_bytes() == origin)
}

/// Host check, origin check and access token, before anything else.
async fn guard(State(state): State<GatewayState>, request: Request, next: Next) -> Response {
    let config = &state.config;
    let headers = request.headers();
    let mut hosts = headers.get_all(header::HOST).iter();
    let host = hosts.next().map(HeaderValue::as_bytes).unwrap_or_default();
    if hosts.next().is_some() {
        return gateway_error(
            StatusCode::BAD_REQUEST,
            "duplicate_host",
            "the request carries more than one Host header",
        );
    }
    if !config.allowed_hosts.is_empty()
        && !config
            .allowed_hosts
            .iter()
            .any(|allowed| allowed.as_bytes().eq_ignore_ascii_case(host))
    {
        return gateway_error(
            StatusCode::MISDIRECTED_REQUEST,
            "host_not_allowed",
            format!(
                "this gateway answers for {}, not for the Host sent",
                config.allowed_hosts.join(", ")
            ),
        );
    }
    let api = is_api_path(request.uri().path());
    let mut origins = headers.get_all(header::ORIGIN).iter();
    match (origins.next(), origins.next()) {
        (Some(origin), None) if origin_allowed(config, origin.as_bytes(), host) => {}
        (None, None) => {
            // No Origin: not a browser's cross-origin request, unless the
            // browser says it is (a navigation or a `no-cors` GET from
            // another site). Console files may be opened from anywhere.
            let site = headers
                .get("sec-fetch-site")
                .map(HeaderValue::as_bytes)
                .unwrap_or_default();
            if api && (site == b"cross-site" || site == b"same-site") {
                return gateway_error(
                    StatusCode::FORBIDDEN,
                    "cross_site_request",
                    "the API is not reachable from another site's pages; allow its origin with --allow-origin",
                );
            }
        }
        _ => {
            return gateway_error(
                StatusCode::FORBIDDEN,
                "origin_not_allowed",
                "requests from this origin are refused; allow it with --allow-origin",
            );
        }
    }
    if api && let Some(token) = &config.access_token {
        let given = headers
            .get(ACCESS_TOKEN_HEADER)
            .map(HeaderValue::as_bytes)
            .unwrap_or_default();
        if !same_secret(given, token.as_bytes()) {
            return gateway_error(
                StatusCode::UNAUTHORIZED,
                "access_token_required",
                format!("send this gateway's access token in `{ACCESS_TOKEN_HEADER}`"),
            );
        }
    }
    next.run(request).await
}

/// Whether an error, or any error it wraps, is a `T`.
fn caused_by<T: std::error::Error + 'static>(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(error) = current {
        if error.is::<T>() {
            return true;
        }
        current = error.source();
    }
    false
}

/// Reads a request body within the limit; a refusal is a gateway error.
async fn read_body(body: Body, limit: usize) -> Result<Bytes, Response> {
    axum::body::to_bytes(body, limit).await.map_err(|error| {
        if caused_by::<http_body_util::LengthLimitError>(&error) {
            gateway_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!("the request body is larger than this gateway forwards ({limit} bytes)"),
            )
        } else if caused_by::<orgpolicy_sandbox::server::BodyTimedOut>(&error) {
            gateway_error(
                StatusCode::REQUEST_TIMEOUT,
                "body_timeout",
                "the request body did not arrive in time",
            )
        } else {
            gateway_error(
                StatusCode::BAD_REQUEST,
                "body_unreadable",
                "the request body broke off",
            )
        }
    })
}

/// Reads an upstream answer, refusing one past `limit` bytes.
async fn read_upstream(mut response: reqwest::Response, limit: usize) -> Result<Bytes, Response> {
    let too_large = || {
        gateway_error(
            StatusCode::BAD_GATEWAY,
            "upstream_response_too_large",
            format!("the upstream's answer is larger than this gateway passes on ({limit} bytes)"),
        )
    };
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if bytes.len() + chunk.len() > limit {
                    return Err(too_large());
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(Bytes::from(bytes)),
            Err(_) => {
                return Err(gateway_error(
                    StatusCode::BAD_GATEWAY,
                    "upstream_unreachable",
                    "the upstream's answer broke off",
                ));
            }
        }
    }
}

#[derive(serde::Serialize)]
struct Info {
    upstream: UpstreamKind,
    credentials_configured: bool,
    version: &'static str,
}

async fn info(State(state): State<GatewayState>) -> Json<Info> {
    Json(Info {
        upstream: state.config.upstream.kind,
        credentials_configured: state.config.upstream.authorization.is_some(),
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// A member's session, so the API applies that member's permissions
/// instead of the project's (Stytch's RBAC-enforced endpoints).
pub const MEMBER_SESSION_HEADERS: [&str; 2] =
    ["x-stytch-member-session", "x-stytch-member-sessionjwt"];

/// Headers passed through to the upstream; everything else is dropped.
const FORWARDED_REQUEST_HEADERS: [HeaderName; 4] = [
    header::CONTENT_TYPE,
    header::ACCEPT,
    HeaderName::from_static(MEMBER_SESSION_HEADERS[0]),
    HeaderName::from_static(MEMBER_SESSION_HEADERS[1]),
];

async fn proxy(State(state): State<GatewayState>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let (method, uri, headers): (Method, Uri, HeaderMap) = (parts.method, parts.uri, parts.headers);
    let request_id = format!("gateway-{}", uuid::Uuid::new_v4());
    let path = uri.path();
    let Some(matched) = match_request(method.as_str(), path) else {
        tracing::info!(%request_id, %method, "refused: not in the catalog");
        return gateway_error(
            StatusCode::NOT_FOUND,
            "not_in_catalog",
            format!("`{method} {path}` is not an endpoint this gateway forwards"),
        );
    };
    let body = match read_body(body, state.config.body_limit).await {
        Ok(body) => body,
        Err(refusal) => return refusal,
    };
    if !body.is_empty()
        && !headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|value| is_json_content_type(value.as_bytes()))
    {
        return gateway_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the request body as JSON, with `Content-Type: application/json`",
        );
    }
    let upstream = &state.config.upstream;
    // Only the endpoint's own query parameters go upstream.
    let query = uri
        .query()
        .and_then(|raw| forwarded_query(&matched.endpoint, raw))
        .map(|query| format!("?{query}"))
        .unwrap_or_default();
    let mut request = state
        .client
        .request(method.clone(), format!("{}{path}{query}", upstream.base))
        .header("x-request-id", &request_id);
    for name in FORWARDED_REQUEST_HEADERS {
        if let Some(value) = headers.get(&name) {
            request = request.header(name, value);
        }
    }
    if let Some(authorization) = &upstream.authorization {
        request = request.header(header::AUTHORIZATION, authorization);
    }
    if !body.is_empty() {
        request = request.body(body);
    }
    let response = match request.send().await {
        Ok(response) => response,
        Err(error) if error.is_timeout() => {
            tracing::warn!(%request_id, endpoint = matched.endpoint.id, "upstream timed out");
            return gateway_error(
                StatusCode::GATEWAY_TIMEOUT,
                "upstream_timeout",
                "the upstream did not answer in time",
            );
        }
        Err(error) => {
            tracing::warn!(%request_id, endpoint = matched.endpoint.id, error = %error.without_url(), "upstream unreachable");
            return gateway_error(
                StatusCode::BAD_GATEWAY,
                "upstream_unreachable",
                "the upstream could not be reached",
            );
        }
    };
    let status = response.status();
    tracing::info!(%request_id, endpoint = matched.endpoint.id, status = status.as_u16(), "forwarded");
    if status.is_redirection() {
        return gateway_error(
            StatusCode::BAD_GATEWAY,
            "upstream_redirect",
            "the upstream answered with a redirect; the gateway follows none",
        );
    }
    let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
    let bytes = match read_upstream(response, state.config.response_limit).await {
        Ok(bytes) => bytes,
        Err(refusal) => {
            tracing::warn!(%request_id, endpoint = matched.endpoint.id, "upstream answer refused");
            return refusal;
        }
    };
    let mut answer = Response::new(Body::from(bytes));
    *answer.status_mut() = status;
    if let Some(content_type) = content_type {
        answer
            .headers_mut()
            .insert(header::CONTENT_TYPE, content_type);
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        answer.headers_mut().insert("x-request-id", value);
    }
    answer
}

const NO_CONSOLE: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<link rel=\"icon\" href=\"data:,\"><title>orgpolicy gateway</title></head><body>\
<h1>orgpolicy gateway</h1><p>The console's files are not built into this gateway. \
The API is forwarded under <code>/v1/</code>; <a href=\"/_gateway/info\">/_gateway/info</a> \
describes the upstream.</p></body></html>";

/// The files of a built console (`cargo xtask console` writes them); when
/// one is missing the console was not built, or only half, and its page
/// says so instead of an empty 404 or a blank page.
pub const CONSOLE_FILES: &[&str] = &[
    "index.html",
    "main.js",
    "style.css",
    "orgpolicy-console.js",
    "orgpolicy-console_bg.wasm",
];

/// Which of [`CONSOLE_FILES`] a static directory lacks.
pub fn missing_console_files(dir: &std::path::Path) -> Vec<&'static str> {
    CONSOLE_FILES
        .iter()
        .filter(|file| !dir.join(file).is_file())
        .copied()
        .collect()
}

/// The page served for the console when its files are not all there.
fn console_not_built(dir: &std::path::Path, missing: &[&str]) -> Response {
    let escape = |text: &str| {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let files: String = missing
        .iter()
        .map(|file| format!("<li><code>{}</code></li>", escape(file)))
        .collect();
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<link rel=\"icon\" href=\"data:,\"><title>orgpolicy console not built</title></head><body>\
<h1>The console is not built</h1><p>The gateway serves the console from <code>{}</code>, \
which lacks:</p><ul>{files}</ul><p>Build it with <code>cargo xtask console</code> (or run \
<code>cargo xtask serve</code>, which builds it and starts the gateway), then reload. \
The API is forwarded under <code>/v1/</code> meanwhile; \
<a href=\"/_gateway/info\">/_gateway/info</a> describes the upstream.</p></body></html>",
        escape(&dir.display().to_string())
    );
    (StatusCode::SERVICE_UNAVAILABLE, Html(page)).into_response()
}

/// Pages of the console (anything but its asset files) answer the
/// not-built page while its files are incomplete.
async fn console_built(State(dir): State<Arc<PathBuf>>, request: Request, next: Next) -> Response {
    let last = request.uri().path().rsplit('/').next().unwrap_or_default();
    let is_page = last.is_empty() || last == "index.html" || !last.contains('.');
    if is_page {
        let missing = missing_console_files(&dir);
        if !missing.is_empty() {
            return console_not_built(&dir, &missing);
        }
    }
    next.run(request).await
}

/// The console's files never include dotfiles (`.orgpolicy/` with the
/// sandbox's credentials and database, `.git`, ...): a path with a segment
/// that starts with `.`, or with any percent-escape (which could spell
/// one), is not found.
async fn hidden_files(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.contains('%') || path.split('/').any(|segment| segment.starts_with('.')) {
        return gateway_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such file in the console",
        );
    }
    next.run(request).await
}

/// The gateway's router.
pub fn app(state: GatewayState) -> Router {
    let config = Arc::clone(&state.config);
    let mut router = Router::new()
        .route("/_gateway/info", get(info))
        .route("/_gateway/errors", get(errors))
        .route("/v1/{*rest}", any(proxy))
        .route("/v1", any(proxy));
    router = match &config.static_dir {
        // The console's files: compressed (the wasm module shrinks ~2.6x)
        // and revalidated on every load (`no-cache` + Last-Modified), so a
        // rebuilt console is never served stale.
        Some(dir) => router.fallback_service(
            tower::ServiceBuilder::new()
                .layer(axum::middleware::from_fn(hidden_files))
                .layer(axum::middleware::from_fn_with_state(
                    Arc::new(dir.clone()),
                    console_built,
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("no-cache"),
                ))
                .layer(CompressionLayer::new())
                .service(
                    ServeDir::new(dir).not_found_service(ServeFile::new(dir.join("index.html"))),
                ),
        ),
        None => router.fallback(|| async { Html(NO_CONSOLE) }),
    };
    let mut router = router
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state);
    if !config.allowed_origins.is_empty() {
        router = router.layer(
            CorsLayer::new()
                .allow_origin(config.allowed_origins.clone())
                .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
                .allow_headers([
                    header::CONTENT_TYPE,
                    HeaderName::from_static(ACCESS_TOKEN_HEADER),
                    HeaderName::from_static(MEMBER_SESSION_HEADERS[0]),
                    HeaderName::from_static(MEMBER_SESSION_HEADERS[1]),
                ])
                // A console on another origin tells gateway refusals apart
                // and shows request ids.
                .expose_headers([
                    HeaderName::from_static(GATEWAY_ERROR_HEADER),
                    HeaderName::from_static("x-request-id"),
                ]),
        );
    }
    let headers: [(HeaderName, &'static str); 6] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (header::CACHE_CONTROL, "no-store"),
    ];
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}
