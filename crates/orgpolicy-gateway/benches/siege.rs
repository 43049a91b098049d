//! The gateway and sandbox under the load the hardening limits are for,
//! through the real server loop on loopback: one client's request latency
//! alone, then while 500 idle sockets are held open and 3 clients send the
//! heaviest search allowed back to back; and the process's peak memory
//! across six 1 MB bodies of invalid domains sent at once. Bounded: fixed
//! durations, fixed socket and client counts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark harness"
)]

mod common;

use axum::http::HeaderValue;
use common::{percentile, serve};
use orgpolicy_api::objects::{Organization, OrganizationSettings};
use orgpolicy_api::organization::{SEARCH_OPERANDS_MAX, SEARCH_VALUE_MAX_CHARS, SEARCH_VALUES_MAX};
use orgpolicy_gateway::{GatewayConfig, GatewayState, Upstream, UpstreamKind, app};
use orgpolicy_sandbox::store::Store;
use orgpolicy_sandbox::{AppState, Credentials, ServerLimits};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const ORGANIZATIONS: usize = 2_000;
const IDLE_SOCKETS: usize = 500;
const HEAVY_CLIENTS: usize = 3;
const PHASE: Duration = Duration::from_secs(5);

/// One client's sequential requests for `duration`: latencies in µs, sorted.
async fn probe(client: &reqwest::Client, url: &str, duration: Duration) -> Vec<u64> {
    let deadline = Instant::now() + duration;
    let mut latencies = Vec::new();
    while Instant::now() < deadline {
        let start = Instant::now();
        let response = client.get(url).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let _ = response.bytes().await.unwrap();
        latencies.push(u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX));
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    latencies.sort_unstable();
    latencies
}

/// Peak resident memory of this process so far (VmHWM), in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The heaviest search the sandbox accepts: every operand, every value,
/// every value at its longest.
fn heaviest_search() -> String {
    let per = SEARCH_VALUES_MAX / SEARCH_OPERANDS_MAX;
    let operands: Vec<_> = (0..SEARCH_OPERANDS_MAX)
        .map(|o| {
            let name = if o % 2 == 0 {
                "organization_slugs"
            } else {
                "member_emails"
            };
            let values: Vec<String> = (0..per)
                .map(|v| format!("{o}-{v}-{}", "x".repeat(SEARCH_VALUE_MAX_CHARS - 12)))
                .collect();
            json!({"filter_name": name, "filter_value": values})
        })
        .collect();
    json!({"limit": 1000, "query": {"operator": "OR", "operands": operands}}).to_string()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = std::env::temp_dir().join(format!("orgpolicy-siege-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::open(&dir.join("sandbox.sqlite3")).unwrap();
    for index in 0..ORGANIZATIONS {
        store
            .insert_organization(&Organization {
                organization_id: format!("organization-test-{index:06}"),
                organization_slug: format!("org-{index}"),
                organization_external_id: None,
                created_at: "2026-01-01T00:00:00Z".into(),
                updated_at: "2026-01-01T00:00:00Z".into(),
                custom_roles: Vec::new(),
                settings: OrganizationSettings {
                    organization_name: format!("Organization {index}"),
                    ..OrganizationSettings::default()
                },
            })
            .unwrap();
    }
    let credentials = Credentials::generate();
    let state = AppState {
        store: Arc::new(store),
        credentials: Arc::new(credentials.clone()),
        policy: Arc::new(orgpolicy_core::stytch::default_policy()),
    };
    let limits = ServerLimits::default();
    let sandbox = serve(
        orgpolicy_sandbox::app(state),
        ServerLimits {
            max_connections: 256,
            ..limits
        },
    )
    .await;
    let gateway = serve(
        app(GatewayState::new(GatewayConfig {
            upstream: Upstream {
                base: sandbox,
                kind: UpstreamKind::Sandbox,
                authorization: Some(HeaderValue::from_str(&credentials.header_value()).unwrap()),
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
        limits,
    )
    .await;
    let client = reqwest::Client::new();
    let info = format!("{gateway}/_gateway/info");
    let get = format!("{gateway}/v1/b2b/organizations/org-1234");
    probe(&client, &get, Duration::from_secs(1)).await;
    let quiet_info = probe(&client, &info, PHASE).await;
    let quiet_get = probe(&client, &get, PHASE).await;

    // The siege: idle sockets that never send a byte, and heavy searches.
    let address = gateway.trim_start_matches("http://").to_owned();
    let mut idle = Vec::with_capacity(IDLE_SOCKETS);
    for _ in 0..IDLE_SOCKETS {
        idle.push(tokio::net::TcpStream::connect(&address).await.unwrap());
    }
    let body = Arc::new(heaviest_search());
    let running = Arc::new(AtomicBool::new(true));
    let searches = Arc::new(AtomicUsize::new(0));
    let search_time = Arc::new(AtomicUsize::new(0));
    let mut heavy = Vec::new();
    for _ in 0..HEAVY_CLIENTS {
        let (client, body, running, searches, search_time) = (
            reqwest::Client::new(),
            Arc::clone(&body),
            Arc::clone(&running),
            Arc::clone(&searches),
            Arc::clone(&search_time),
        );
        let url = format!("{gateway}/v1/b2b/organizations/search");
        heavy.push(tokio::spawn(async move {
            while running.load(Ordering::Relaxed) {
                let start = Instant::now();
                let response = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .body(body.as_str().to_owned())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status().as_u16(), 200);
                let _ = response.bytes().await.unwrap();
                searches.fetch_add(1, Ordering::Relaxed);
                search_time.fetch_add(start.elapsed().as_millis() as usize, Ordering::Relaxed);
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let siege_info = probe(&client, &info, PHASE).await;
    let siege_get = probe(&client, &get, PHASE).await;
    running.store(false, Ordering::Relaxed);
    for task in heavy {
        task.await.unwrap();
    }
    drop(idle);
    let searched = searches.load(Ordering::Relaxed).max(1);

    // Memory: six 1 MB bodies of invalid domains at once.
    let before = peak_mib();
    let domains = vec!["x"; 200_000];
    let bad = Arc::new(
        json!({"organization_name": "Big", "organization_slug": "big", "email_allowed_domains": domains})
            .to_string(),
    );
    let mut answers = Vec::new();
    for _ in 0..6 {
        let (client, bad) = (reqwest::Client::new(), Arc::clone(&bad));
        let url = format!("{gateway}/v1/b2b/organizations");
        answers.push(tokio::spawn(async move {
            let response = client
                .post(url)
                .header("content-type", "application/json")
                .body(bad.as_str().to_owned())
                .send()
                .await
                .unwrap();
            assert_eq!(response.status().as_u16(), 400);
            response.bytes().await.unwrap().len()
        }));
    }
    let mut answered = 0;
    for answer in answers {
        answered = answer.await.unwrap();
    }
    let after = peak_mib();

    println!(
        "{ORGANIZATIONS} organizations; one client, sequential requests, {} s per row; 2 cores shared by clients, gateway and sandbox",
        PHASE.as_secs()
    );
    println!("| request | alone p50 | alone p99 | under siege p50 | under siege p99 |");
    println!("|---|---|---|---|---|");
    for (label, quiet, siege) in [
        ("GET /_gateway/info", &quiet_info, &siege_info),
        (
            "GET an organization (through the gateway)",
            &quiet_get,
            &siege_get,
        ),
    ] {
        println!(
            "| {label} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms |",
            percentile(quiet, 0.5),
            percentile(quiet, 0.99),
            percentile(siege, 0.5),
            percentile(siege, 0.99)
        );
    }
    println!(
        "siege: {IDLE_SOCKETS} idle sockets held, {HEAVY_CLIENTS} clients sending the heaviest search allowed ({} KB, {SEARCH_OPERANDS_MAX} operands, {SEARCH_VALUES_MAX} values): {searched} searches, {:.0} ms each on average",
        body.len() / 1024,
        search_time.load(Ordering::Relaxed) as f64 / searched as f64
    );
    println!(
        "memory: six {:.1} MB bodies of 200,000 invalid domains at once: peak {before:.1} -> {after:.1} MiB; each answer {answered} bytes",
        bad.len() as f64 / 1e6
    );
    std::fs::remove_dir_all(&dir).ok();
}
