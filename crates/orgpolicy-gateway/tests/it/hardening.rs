//! Attacks on the gateway as a browser on another site, or a careless
//! client, would run them; each names the hardening item it holds.

use super::*;

const HOST: &str = "127.0.0.1:8787";

/// A request as a browser would send it, with the gateway reached at `HOST`.
async fn browser(
    router: &Router,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Answer {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("host", HOST);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    answer(router, request.body(Body::from(body.to_owned())).unwrap()).await
}

async fn organization_count(router: &Router) -> usize {
    let answer = send(
        router,
        "POST",
        "/v1/b2b/organizations/search",
        Some(json!({})),
        &[],
    )
    .await;
    answer.body["organizations"].as_array().unwrap().len()
}

#[tokio::test]
async fn foreign_origins_are_refused_whatever_the_method() {
    let (upstream, _) = sandbox().await;
    let mut with_console_elsewhere = config(upstream);
    with_console_elsewhere.allowed_origins =
        vec![HeaderValue::from_static("https://console.example")];
    let router = gateway(with_console_elsewhere);
    let form = r#"{"organization_name":"Pwned","organization_slug":"pwned"}"#;
    for (method, path) in [
        ("POST", "/v1/b2b/organizations"),
        ("GET", "/v1/b2b/rbac/policy"),
        ("PUT", "/v1/b2b/organizations/acme"),
        ("DELETE", "/v1/b2b/organizations/acme"),
        ("GET", "/_gateway/info"),
    ] {
        for origin in [
            "https://evil.test",
            "null",
            "http://127.0.0.1:8788",
            "http://127.0.0.1:8787.evil.test",
        ] {
            let answer = browser(
                &router,
                method,
                path,
                &[
                    ("origin", origin),
                    ("content-type", "application/json"),
                    ("sec-fetch-site", "cross-site"),
                ],
                form,
            )
            .await;
            assert_gateway_error(&answer, StatusCode::FORBIDDEN, "origin_not_allowed");
        }
        // No Origin, but the browser says the request comes from another
        // site (a `no-cors` GET or a link).
        let answer = browser(
            &router,
            method,
            path,
            &[("sec-fetch-site", "cross-site")],
            "",
        )
        .await;
        assert_gateway_error(&answer, StatusCode::FORBIDDEN, "cross_site_request");
        let answer = browser(
            &router,
            method,
            path,
            &[("sec-fetch-site", "same-site")],
            "",
        )
        .await;
        assert_gateway_error(&answer, StatusCode::FORBIDDEN, "cross_site_request");
    }
    // Two Origin headers are refused, even if one is allowed.
    let answer = browser(
        &router,
        "GET",
        "/v1/b2b/rbac/policy",
        &[
            ("origin", "https://console.example"),
            ("origin", "https://evil.test"),
        ],
        "",
    )
    .await;
    assert_gateway_error(&answer, StatusCode::FORBIDDEN, "origin_not_allowed");
    assert_eq!(organization_count(&router).await, 0);

    // The gateway's own origin, an allowed one, and clients that send no
    // Origin (curl, SDKs) pass.
    for headers in [
        vec![
            ("origin", "http://127.0.0.1:8787"),
            ("sec-fetch-site", "same-origin"),
        ],
        vec![
            ("origin", "https://console.example"),
            ("sec-fetch-site", "cross-site"),
        ],
        vec![("sec-fetch-site", "none")],
        vec![],
    ] {
        let answer = browser(&router, "GET", "/v1/b2b/rbac/policy", &headers, "").await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{headers:?}: {}",
            answer.text
        );
    }
    // A link from another site may open the console's page.
    let page = browser(
        &router,
        "GET",
        "/",
        &[
            ("sec-fetch-site", "cross-site"),
            ("sec-fetch-mode", "navigate"),
        ],
        "",
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
}

#[tokio::test]
async fn request_bodies_must_be_json() {
    let (upstream, _) = sandbox().await;
    let router = gateway(config(upstream));
    let body = r#"{"organization_name":"Form","organization_slug":"form"}"#;
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/jsonx"),
        None,
    ] {
        let headers: Vec<(&str, &str)> = content_type
            .map(|c| ("content-type", c))
            .into_iter()
            .collect();
        let answer = browser(&router, "POST", "/v1/b2b/organizations", &headers, body).await;
        assert_gateway_error(
            &answer,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        );
    }
    assert_eq!(organization_count(&router).await, 0);
    let answer = browser(
        &router,
        "POST",
        "/v1/b2b/organizations",
        &[("content-type", "Application/JSON; charset=utf-8")],
        body,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
}

#[tokio::test]
async fn token_mode_serves_the_console_but_not_the_api_without_the_token() {
    let dir = std::env::temp_dir().join(format!("orgpolicy-token-static-{}", uuid::Uuid::new_v4()));
    fake_console(&dir);
    let (upstream, _) = sandbox().await;
    let mut with_token = config(upstream);
    with_token.static_dir = Some(dir.clone());
    with_token.access_token = Some("token-123".into());
    let router = gateway(with_token);
    for path in ["/", "/index.html", "/main.js"] {
        let answer = browser(&router, "GET", path, &[], "").await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
    }
    for path in ["/_gateway/info", "/v1/b2b/rbac/policy"] {
        let answer = browser(&router, "GET", path, &[], "").await;
        assert_gateway_error(&answer, StatusCode::UNAUTHORIZED, "access_token_required");
        let answer = browser(&router, "GET", path, &[("x-gateway-token", "")], "").await;
        assert_gateway_error(&answer, StatusCode::UNAUTHORIZED, "access_token_required");
        let answer = browser(
            &router,
            "GET",
            path,
            &[("x-gateway-token", "token-123")],
            "",
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn duplicate_host_headers_are_refused() {
    let (upstream, _) = sandbox().await;
    let mut loopback = config(upstream);
    loopback.allowed_hosts = vec![HOST.into()];
    let router = gateway(loopback);
    let request = Request::builder()
        .uri("/v1/b2b/rbac/policy")
        .header("host", HOST)
        .header("host", "evil.test")
        .body(Body::empty())
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.headers()[GATEWAY_ERROR_HEADER], "duplicate_host");
    let answer = browser(&router, "GET", "/v1/b2b/rbac/policy", &[], "").await;
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn the_body_limit_is_a_marked_gateway_error() {
    let (upstream, _) = sandbox().await;
    let router = gateway(config(upstream));
    let big =
        json!({"organization_name": "x".repeat(70 * 1024), "organization_slug": "big"}).to_string();
    let answer = browser(
        &router,
        "POST",
        "/v1/b2b/organizations",
        &[("content-type", "application/json")],
        &big,
    )
    .await;
    assert_gateway_error(&answer, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");
}

/// A raw HTTP/1.1 upstream answering `size` bytes of JSON-ish text, with a
/// Content-Length or chunked (no length known ahead).
async fn big_upstream(size: usize, chunked: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = if chunked {
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n".to_owned()
                } else {
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {size}\r\nconnection: close\r\n\r\n"
                    )
                };
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b'x'; 64 * 1024];
                let mut left = size;
                while left > 0 {
                    let part = &chunk[..left.min(chunk.len())];
                    let written = if chunked {
                        let mut framed = format!("{:x}\r\n", part.len()).into_bytes();
                        framed.extend_from_slice(part);
                        framed.extend_from_slice(b"\r\n");
                        socket.write_all(&framed).await
                    } else {
                        socket.write_all(part).await
                    };
                    if written.is_err() {
                        return;
                    }
                    left -= part.len();
                }
                if chunked {
                    let _ = socket.write_all(b"0\r\n\r\n").await;
                }
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn upstream_answers_past_the_cap_are_gateway_errors() {
    for chunked in [false, true] {
        let router = gateway(config(Upstream {
            base: big_upstream(8 << 20, chunked).await,
            kind: UpstreamKind::Test,
            authorization: None,
        }));
        let answer = send(&router, "GET", "/v1/b2b/rbac/policy", None, &[]).await;
        assert_gateway_error(
            &answer,
            StatusCode::BAD_GATEWAY,
            "upstream_response_too_large",
        );
        // Under the cap (1 MiB in these tests) answers pass whole.
        let router = gateway(config(Upstream {
            base: big_upstream(1000 * 1024, chunked).await,
            kind: UpstreamKind::Test,
            authorization: None,
        }));
        let answer = send(&router, "GET", "/v1/b2b/rbac/policy", None, &[]).await;
        assert_eq!(answer.status, StatusCode::OK);
        assert_eq!(answer.text.len(), 1000 * 1024);
    }
}

#[tokio::test]
async fn dotfiles_and_escapes_are_never_served() {
    let dir = std::env::temp_dir().join(format!("orgpolicy-dot-static-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(dir.join(".orgpolicy")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>console</title>",
    )
    .unwrap();
    std::fs::write(
        dir.join(".orgpolicy/credentials.json"),
        "{\"secret\":\"secret-test-leak\"}",
    )
    .unwrap();
    std::fs::write(dir.join(".env"), "STYTCH_SECRET=secret-test-leak").unwrap();
    let (upstream, _) = sandbox().await;
    let mut with_console = config(upstream);
    with_console.static_dir = Some(dir.clone());
    let router = gateway(with_console);
    for path in [
        "/.orgpolicy/credentials.json",
        "/.env",
        "/%2eorgpolicy/credentials.json",
        "/%2Eenv",
        "/x/../.env",
        "/./.env",
    ] {
        let answer = browser(&router, "GET", path, &[], "").await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!answer.text.contains("secret-test-leak"), "{path}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn a_missing_or_half_built_console_says_how_to_build_it() {
    let dir = std::env::temp_dir().join(format!("orgpolicy-unbuilt-{}", uuid::Uuid::new_v4()));
    let (upstream, _) = sandbox().await;
    let mut with_console = config(upstream);
    with_console.static_dir = Some(dir.clone());
    let router = gateway(with_console);
    // Missing altogether, then half-built (the page without its module).
    for files in [&[][..], &["index.html", "main.js"][..]] {
        std::fs::create_dir_all(&dir).unwrap();
        for file in files {
            std::fs::write(dir.join(file), "<!doctype html>").unwrap();
        }
        for path in ["/", "/index.html", "/somewhere"] {
            let answer = browser(&router, "GET", path, &[], "").await;
            assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
            assert!(
                answer.text.contains("cargo xtask console"),
                "{}",
                answer.text
            );
            assert!(
                answer.text.contains("orgpolicy-console_bg.wasm"),
                "{}",
                answer.text
            );
            for file in files {
                assert!(
                    !answer.text.contains(&format!("<code>{file}</code>")),
                    "{file} is there"
                );
            }
        }
        // The API is not affected.
        let api = browser(&router, "GET", "/v1/b2b/rbac/policy", &[], "").await;
        assert_eq!(api.status, StatusCode::OK);
    }
    // Built: the page itself.
    fake_console(&dir);
    let answer = browser(&router, "GET", "/", &[], "").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.text.contains("<title>console</title>"));
    std::fs::remove_dir_all(&dir).ok();
}
