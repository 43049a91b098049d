//! The gateway in front of real upstreams on loopback sockets: the sandbox,
//! an echo server (to see exactly what the gateway sends) and a redirector.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

mod durability;
mod hardening;
mod limits;
mod snippets;
mod startup;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::any;
use http_body_util::BodyExt;
use orgpolicy_gateway::{
    GATEWAY_ERROR_HEADER, GatewayConfig, GatewayState, Upstream, UpstreamKind, app,
};
use orgpolicy_sandbox::store::Store;
use orgpolicy_sandbox::{AppState, Credentials};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}")
}

async fn sandbox() -> (Upstream, Credentials) {
    let credentials = Credentials::generate();
    let state = AppState {
        store: Arc::new(Store::in_memory().unwrap()),
        credentials: Arc::new(credentials.clone()),
        policy: Arc::new(orgpolicy_core::stytch::default_policy()),
    };
    let base = serve(orgpolicy_sandbox::app(state)).await;
    let authorization = Some(HeaderValue::from_str(&credentials.header_value()).unwrap());
    (
        Upstream {
            base,
            kind: UpstreamKind::Sandbox,
            authorization,
        },
        credentials,
    )
}

/// An upstream that answers with the headers and body it received.
async fn echo() -> String {
    serve(Router::new().fallback(any(
        |uri: axum::http::Uri, headers: HeaderMap, body: String| async move {
            let headers: serde_json::Map<String, Value> = headers
                .iter()
                .map(|(name, value)| (name.to_string(), json!(value.to_str().unwrap_or_default())))
                .collect();
            axum::Json(json!({"uri": uri.to_string(), "headers": headers, "body": body}))
        },
    )))
    .await
}

fn config(upstream: Upstream) -> GatewayConfig {
    GatewayConfig {
        upstream,
        static_dir: None,
        allowed_origins: Vec::new(),
        allowed_hosts: Vec::new(),
        access_token: None,
        body_limit: 64 * 1024,
        response_limit: 1 << 20,
        upstream_timeout: Duration::from_secs(5),
    }
}

/// Writes a stand-in for a built console: every file the gateway looks
/// for, `index.html` with a title.
fn fake_console(dir: &std::path::Path) {
    std::fs::create_dir_all(dir).unwrap();
    for file in orgpolicy_gateway::CONSOLE_FILES {
        std::fs::write(dir.join(file), "export {}").unwrap();
    }
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>console</title>",
    )
    .unwrap();
}

fn gateway(config: GatewayConfig) -> Router {
    app(GatewayState::new(config).unwrap())
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
    text: String,
}

async fn send(
    router: &Router,
    method: &str,
    path: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request
        .body(Body::from(body.map(|b| b.to_string()).unwrap_or_default()))
        .unwrap();
    answer(router, request).await
}

/// Sends a built request through the gateway and reads its answer.
async fn answer(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Answer {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::Null),
        text,
    }
}

fn assert_gateway_error(answer: &Answer, status: StatusCode, code: &str) {
    assert_eq!(answer.status, status, "{}", answer.text);
    assert_eq!(
        answer
            .headers
            .get(GATEWAY_ERROR_HEADER)
            .and_then(|v| v.to_str().ok()),
        Some(code),
        "{}",
        answer.text
    );
    assert_eq!(answer.body["gateway_error"]["code"], json!(code));
    // Shaped like the API's errors, so the SDKs raise their typed error.
    assert_eq!(answer.body["status_code"], json!(status.as_u16()));
    assert_eq!(answer.body["error_type"], json!(code));
    assert!(
        answer.body["error_message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert!(
        answer.body["request_id"]
            .as_str()
            .unwrap()
            .starts_with("gateway-")
    );
    assert_eq!(
        answer.body["error_url"],
        json!(format!("/_gateway/errors#{code}"))
    );
    assert!(
        orgpolicy_gateway::GATEWAY_ERRORS
            .iter()
            .any(|(known, _)| *known == code),
        "{code} is not listed at /_gateway/errors"
    );
}

#[tokio::test]
async fn forwards_the_catalog_with_injected_credentials_and_never_shows_the_secret() {
    let (upstream, credentials) = sandbox().await;
    let router = gateway(config(upstream));
    let mut seen = Vec::new();

    let info = send(&router, "GET", "/_gateway/info", None, &[]).await;
    assert_eq!(
        info.body,
        json!({"upstream": "sandbox", "credentials_configured": true, "version": env!("CARGO_PKG_VERSION")})
    );
    seen.push(info);

    let created = send(
        &router,
        "POST",
        "/v1/b2b/organizations",
        Some(json!({"organization_name": "Acme", "organization_slug": "acme"})),
        &[
            ("authorization", "Basic bm9wZTpub3Bl"),
            ("cookie", "session=abc"),
        ],
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.text);
    assert!(created.headers.get("x-request-id").is_some());
    let csp = created
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("default-src 'self'"));
    assert_eq!(
        created.headers.get("x-content-type-options").unwrap(),
        "nosniff"
    );
    seen.push(created);

    let got = send(&router, "GET", "/v1/b2b/organizations/acme", None, &[]).await;
    assert_eq!(got.body["organization"]["organization_slug"], json!("acme"));
    seen.push(got);
    // The sandbox's own errors pass through as the API's, unmarked.
    let missing = send(&router, "GET", "/v1/b2b/organizations/nope", None, &[]).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body["error_type"], json!("organization_not_found"));
    assert!(missing.headers.get(GATEWAY_ERROR_HEADER).is_none());
    seen.push(missing);

    for answer in &seen {
        assert!(
            !answer.text.contains(&credentials.secret),
            "the secret leaked in a body"
        );
        for value in answer.headers.values() {
            assert!(
                !value
                    .to_str()
                    .unwrap_or_default()
                    .contains(&credentials.secret),
                "the secret leaked in a header"
            );
        }
    }
}

#[tokio::test]
async fn the_upstream_sees_only_what_the_gateway_chooses_to_send() {
    let authorization = HeaderValue::from_static("Basic aW5qZWN0ZWQ6c2VjcmV0");
    let router = gateway(config(Upstream {
        base: echo().await,
        kind: UpstreamKind::Test,
        authorization: Some(authorization),
    }));
    let answer = send(
        &router,
        "POST",
        "/v1/b2b/organizations/search",
        Some(json!({"limit": 1})),
        &[
            ("authorization", "Bearer client-token"),
            ("cookie", "session=abc"),
            ("x-forwarded-for", "10.0.0.1"),
            ("accept", "application/json"),
            ("x-stytch-member-session", "session-token-1"),
            ("x-stytch-member-sessionjwt", "session.jwt.1"),
        ],
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let headers = &answer.body["headers"];
    assert_eq!(
        headers["authorization"],
        json!("Basic aW5qZWN0ZWQ6c2VjcmV0"),
        "the gateway's credentials, not the client's"
    );
    assert!(headers.get("cookie").is_none());
    assert!(headers.get("x-forwarded-for").is_none());
    // A member's session goes upstream, so the API applies its permissions.
    assert_eq!(headers["x-stytch-member-session"], json!("session-token-1"));
    assert_eq!(
        headers["x-stytch-member-sessionjwt"],
        json!("session.jwt.1")
    );
    assert_eq!(headers["content-type"], json!("application/json"));
    assert_eq!(answer.body["body"], json!("{\"limit\":1}"));
    assert_eq!(answer.body["uri"], json!("/v1/b2b/organizations/search"));

    // Only an endpoint's own query parameters go upstream, each once.
    for (sent, seen) in [
        (
            "/v1/b2b/organizations/org-1/member?member_id=m-1&secret=x&member_id=m-2",
            "/v1/b2b/organizations/org-1/member?member_id=m-1",
        ),
        (
            "/v1/b2b/organizations/org-1/member?email_address=ada%2Bx%40acme.test",
            "/v1/b2b/organizations/org-1/member?email_address=ada%2Bx%40acme.test",
        ),
        (
            "/v1/b2b/organizations/org-1?member_id=m-1&x=1",
            "/v1/b2b/organizations/org-1",
        ),
        ("/v1/b2b/rbac/policy?", "/v1/b2b/rbac/policy"),
    ] {
        let answer = send(&router, "GET", sent, None, &[]).await;
        assert_eq!(answer.status, StatusCode::OK, "{sent}");
        assert_eq!(answer.body["uri"], json!(seen), "{sent}");
    }
}

#[tokio::test]
async fn the_abuse_table_is_refused() {
    let (upstream, _) = sandbox().await;
    let router = gateway(config(upstream));
    for (method, path, status, code) in [
        (
            "GET",
            "/v1/b2b/organizations/%2e%2e",
            StatusCode::NOT_FOUND,
            "not_in_catalog",
        ),
        (
            "GET",
            "/v1/b2b/organizations/..",
            StatusCode::NOT_FOUND,
            "not_in_catalog",
        ),
        (
            "GET",
            "/v1/b2b/organizations/%2E%2E%2Fadmin",
            StatusCode::NOT_FOUND,
            "not_in_catalog",
        ),
        (
            "GET",
            "/v1/b2b//organizations",
            StatusCode::NOT_FOUND,
            "not_in_catalog",
        ),
        (
            "GET",
            "/v1/b2b/rbac/policy/",
            StatusCode::NOT_FOUND,
            "not_in_catalog",
        ),
        (
            "PATCH",
            "/v1/b2b/organizations/acme",
            StatusCode::NOT_FOUND,
            "not_in_catalog",
        ),
        (
            "POST",
            "/v1/b2b/rbac/policy",
            StatusCode::NOT_FOUND,
            "not_in_catalog",
        ),
        (
            "GET",
            "/v1/b2c/users",
            StatusCode::NOT_FOUND,
            "not_in_catalog",
        ),
        ("GET", "/v1", StatusCode::NOT_FOUND, "not_in_catalog"),
    ] {
        let answer = send(&router, method, path, None, &[]).await;
        assert_gateway_error(&answer, status, code);
    }
    let oversized = send(
        &router,
        "POST",
        "/v1/b2b/organizations",
        Some(json!({"organization_name": "x".repeat(70_000)})),
        &[],
    )
    .await;
    assert_eq!(oversized.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn host_games_and_missing_tokens_are_refused() {
    let (upstream, _) = sandbox().await;
    let mut guarded = config(upstream);
    guarded.allowed_hosts = vec!["127.0.0.1:8787".into(), "localhost:8787".into()];
    guarded.access_token = Some("token-123".into());
    let router = gateway(guarded);
    let ok = send(
        &router,
        "GET",
        "/v1/b2b/rbac/policy",
        None,
        &[("host", "localhost:8787"), ("x-gateway-token", "token-123")],
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    for host in [
        "evil.test",
        "localhost:8787.evil.test",
        "127.0.0.1:9999",
        "",
    ] {
        let answer = send(
            &router,
            "GET",
            "/v1/b2b/rbac/policy",
            None,
            &[("host", host), ("x-gateway-token", "token-123")],
        )
        .await;
        assert_gateway_error(&answer, StatusCode::MISDIRECTED_REQUEST, "host_not_allowed");
    }
    for token in [None, Some("token-12"), Some("token-1234"), Some("")] {
        let mut headers = vec![("host", "127.0.0.1:8787")];
        if let Some(token) = token {
            headers.push(("x-gateway-token", token));
        }
        let answer = send(&router, "GET", "/_gateway/info", None, &headers).await;
        assert_gateway_error(&answer, StatusCode::UNAUTHORIZED, "access_token_required");
    }
}

#[tokio::test]
async fn redirects_are_not_followed_and_dead_upstreams_are_gateway_errors() {
    let redirector = serve(Router::new().fallback(any(|| async {
        (StatusCode::FOUND, [("location", "http://evil.test/steal")]).into_response()
    })))
    .await;
    let router = gateway(config(Upstream {
        base: redirector,
        kind: UpstreamKind::Test,
        authorization: None,
    }));
    assert_gateway_error(
        &send(&router, "GET", "/v1/b2b/rbac/policy", None, &[]).await,
        StatusCode::BAD_GATEWAY,
        "upstream_redirect",
    );

    // A port nothing listens on.
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let router = gateway(config(Upstream {
        base,
        kind: UpstreamKind::Test,
        authorization: None,
    }));
    let answer = send(&router, "GET", "/v1/b2b/rbac/policy", None, &[]).await;
    assert_gateway_error(&answer, StatusCode::BAD_GATEWAY, "upstream_unreachable");
    let info = send(&router, "GET", "/_gateway/info", None, &[]).await;
    assert_eq!(info.body["credentials_configured"], json!(false));
}

#[tokio::test]
async fn an_absolute_url_request_target_still_goes_to_the_fixed_upstream() {
    let (upstream, _) = sandbox().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = gateway(config(upstream));
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "GET http://evil.test/v1/b2b/rbac/policy HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.contains("stytch_admin"),
        "the sandbox's policy, not anything from evil.test"
    );
}

#[tokio::test]
async fn cors_answers_only_configured_origins() {
    let (upstream, _) = sandbox().await;
    let mut with_origin = config(upstream);
    with_origin.allowed_origins = vec![HeaderValue::from_static("https://console.example")];
    let router = gateway(with_origin);
    let preflight = |origin: &'static str| {
        Request::builder()
            .method("OPTIONS")
            .uri("/v1/b2b/organizations")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .body(Body::empty())
            .unwrap()
    };
    let allowed = router
        .clone()
        .oneshot(preflight("https://console.example"))
        .await
        .unwrap();
    assert_eq!(
        allowed
            .headers()
            .get("access-control-allow-origin")
            .unwrap(),
        "https://console.example"
    );
    let refused = router
        .clone()
        .oneshot(preflight("https://evil.test"))
        .await
        .unwrap();
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
    // A real request from the allowed origin may read the gateway's headers.
    let get = router
        .clone()
        .oneshot(
            Request::builder()
                .uri("/v1/b2b/rbac/policy")
                .header("origin", "https://console.example")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let exposed = get
        .headers()
        .get("access-control-expose-headers")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(exposed.contains("x-orgpolicy-gateway-error"), "{exposed}");
    assert!(exposed.contains("x-request-id"), "{exposed}");
    // Without configured origins, no CORS headers at all.
    let (upstream, _) = sandbox().await;
    let plain = gateway(config(upstream))
        .oneshot(preflight("https://console.example"))
        .await
        .unwrap();
    assert!(plain.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn the_console_is_served_compressed_and_revalidated_the_api_never_cached() {
    let dir = std::env::temp_dir().join(format!("orgpolicy-static-{}", std::process::id()));
    fake_console(&dir);
    let module = "x".repeat(64 * 1024);
    std::fs::write(dir.join("app_bg.wasm"), &module).unwrap();
    let (upstream, _) = sandbox().await;
    let mut with_console = config(upstream);
    with_console.static_dir = Some(dir.clone());
    let router = gateway(with_console);
    let get = |uri: &'static str| {
        Request::builder()
            .uri(uri)
            .header("accept-encoding", "gzip")
            .body(Body::empty())
            .unwrap()
    };
    let wasm = router.clone().oneshot(get("/app_bg.wasm")).await.unwrap();
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(wasm.headers()["content-encoding"], "gzip");
    assert_eq!(wasm.headers()["cache-control"], "no-cache");
    assert!(wasm.headers().contains_key("last-modified"));
    assert!(wasm.headers().contains_key("content-security-policy"));
    let compressed = wasm.into_body().collect().await.unwrap().to_bytes();
    assert!(compressed.len() < module.len() / 10, "{}", compressed.len());
    // Unknown paths answer 404 with the console's page (routes live in the hash).
    let page = router.clone().oneshot(get("/somewhere")).await.unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let api = router
        .clone()
        .oneshot(get("/v1/b2b/rbac/policy"))
        .await
        .unwrap();
    assert_eq!(api.headers()["cache-control"], "no-store");
    let refused = router.oneshot(get("/v1/b2b/nothing")).await.unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    std::fs::remove_dir_all(&dir).unwrap();
}
