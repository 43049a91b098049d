//! Organization gets through the gateway against the same gets straight to
//! the sandbox, in one run, on loopback: p50 and p99 latency and requests
//! per second. Bounded: a fixed duration per phase, fixed concurrency.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark harness"
)]

mod common;

use axum::http::HeaderValue;
use common::{percentile, serve};
use orgpolicy_gateway::{GatewayConfig, GatewayState, Upstream, UpstreamKind, app};
use orgpolicy_sandbox::store::Store;
use orgpolicy_sandbox::{AppState, Credentials, ServerLimits};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CONCURRENCY: usize = 16;
const PHASE: Duration = Duration::from_secs(5);
const WARMUP: Duration = Duration::from_secs(1);

/// Runs `CONCURRENCY` clients for `duration`; every latency, in microseconds.
async fn load(url: String, authorization: Option<String>, duration: Duration) -> Vec<u64> {
    let deadline = Instant::now() + duration;
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let url = url.clone();
        let authorization = authorization.clone();
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(4)
                .build()
                .unwrap();
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let start = Instant::now();
                let mut request = client.get(&url);
                if let Some(authorization) = &authorization {
                    request = request.header("authorization", authorization);
                }
                let response = request.send().await.unwrap();
                assert_eq!(response.status().as_u16(), 200);
                let _ = response.bytes().await.unwrap();
                latencies.push(u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX));
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all.sort_unstable();
    all
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir =
        std::env::temp_dir().join(format!("orgpolicy-gateway-bench-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let credentials = Credentials::generate();
    let state = AppState {
        store: Arc::new(Store::open(&dir.join("sandbox.sqlite3")).unwrap()),
        credentials: Arc::new(credentials.clone()),
        policy: Arc::new(orgpolicy_core::stytch::default_policy()),
    };
    let sandbox = serve(orgpolicy_sandbox::app(state), ServerLimits::default()).await;
    let authorization = credentials.header_value();
    let gateway = serve(
        app(GatewayState::new(GatewayConfig {
            upstream: Upstream {
                base: sandbox.clone(),
                kind: UpstreamKind::Sandbox,
                authorization: Some(HeaderValue::from_str(&authorization).unwrap()),
            },
            static_dir: None,
            allowed_origins: Vec::new(),
            allowed_hosts: Vec::new(),
            access_token: None,
            body_limit: 1 << 20,
            response_limit: 16 << 20,
            upstream_timeout: Duration::from_secs(15),
        })
        .unwrap()),
        ServerLimits::default(),
    )
    .await;
    let client = reqwest::Client::new();
    let created = client
        .post(format!("{gateway}/v1/b2b/organizations"))
        .header("content-type", "application/json")
        .body(r#"{"organization_name": "Bench", "organization_slug": "bench"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status().as_u16(), 200);
    let path = "/v1/b2b/organizations/bench";

    load(
        format!("{sandbox}{path}"),
        Some(authorization.clone()),
        WARMUP,
    )
    .await;
    load(format!("{gateway}{path}"), None, WARMUP).await;
    let direct = load(format!("{sandbox}{path}"), Some(authorization), PHASE).await;
    let through = load(format!("{gateway}{path}"), None, PHASE).await;

    println!(
        "{CONCURRENCY} concurrent clients, {} s per phase, loopback, 2 cores (clients, gateway and sandbox share them)",
        PHASE.as_secs()
    );
    println!("| path | requests | req/s | p50 | p99 |");
    println!("|---|---|---|---|---|");
    for (label, latencies) in [
        ("straight to the sandbox", &direct),
        ("through the gateway", &through),
    ] {
        println!(
            "| {label} | {} | {:.0} | {:.2} ms | {:.2} ms |",
            latencies.len(),
            latencies.len() as f64 / PHASE.as_secs_f64(),
            percentile(latencies, 0.5),
            percentile(latencies, 0.99)
        );
    }
    println!(
        "gateway overhead: p50 +{:.2} ms, p99 +{:.2} ms",
        percentile(&through, 0.5) - percentile(&direct, 0.5),
        percentile(&through, 0.99) - percentile(&direct, 0.99)
    );
    std::fs::remove_dir_all(&dir).ok();
}
