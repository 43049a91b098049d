//! The gateway binary over the embedded sandbox, on loopback: concurrent
//! writers racing for slugs, and a kill -9 in the middle of a load.
//! Bounded: a fixed number of requests per client, a deadline on each.

use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Server {
    child: Child,
    base: String,
}

fn data_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("orgpolicy-gateway-test-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Starts the gateway binary on a free loopback port and waits for its banner.
fn start(data_dir: &Path) -> Server {
    start_logging(data_dir, Stdio::null())
}

fn start_logging(data_dir: &Path, stderr: Stdio) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_orgpolicy-gateway"))
        .args(["--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(data_dir)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    assert!(
        line.starts_with("orgpolicy gateway: http://127.0.0.1:"),
        "{line}"
    );
    Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

async fn create(
    client: &reqwest::Client,
    base: &str,
    slug: &str,
) -> Result<(u16, Value), reqwest::Error> {
    let response = client
        .post(format!("{base}/v1/b2b/organizations"))
        .header("content-type", "application/json")
        .body(json!({"organization_name": slug, "organization_slug": slug}).to_string())
        .send()
        .await?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await?;
    Ok((
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_clients_racing_for_slugs_get_exactly_one_winner_each() {
    let dir = data_dir();
    let mut server = start(&dir);
    const CLIENTS: usize = 50;
    const ATTEMPTS: usize = 8;
    const SLUGS: usize = 20;
    let mut tasks = Vec::new();
    for client_index in 0..CLIENTS {
        let base = server.base.clone();
        tasks.push(tokio::spawn(async move {
            let client = client();
            let mut outcomes = Vec::new();
            for attempt in 0..ATTEMPTS {
                let slug = format!("race-{}", (client_index * 7 + attempt) % SLUGS);
                let (status, body) = create(&client, &base, &slug).await.unwrap();
                outcomes.push((
                    slug,
                    status,
                    body["error_type"].as_str().unwrap_or_default().to_owned(),
                ));
            }
            outcomes
        }));
    }
    let mut winners: BTreeMap<String, usize> = BTreeMap::new();
    let mut total = 0;
    for task in tasks {
        for (slug, status, error_type) in task.await.unwrap() {
            total += 1;
            match status {
                200 => *winners.entry(slug).or_default() += 1,
                400 => assert_eq!(error_type, "organization_slug_already_used"),
                other => panic!("status {other} for {slug}: no 5xx, no other outcome"),
            }
        }
    }
    assert_eq!(total, CLIENTS * ATTEMPTS);
    assert_eq!(winners.len(), SLUGS, "every slug was created");
    eprintln!(
        "{total} creates from {CLIENTS} clients over {SLUGS} slugs: {} winners, no 5xx",
        winners.len()
    );
    assert!(
        winners.values().all(|count| *count == 1),
        "exactly one winner per slug: {winners:?}"
    );
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_write_survives_kill_9() {
    let dir = data_dir();
    let mut server = start(&dir);
    let base = server.base.clone();
    // Writers run until the server dies under them; each records what the
    // server acknowledged (a 200) before it died.
    let mut writers = Vec::new();
    for writer in 0..8 {
        let base = base.clone();
        writers.push(tokio::spawn(async move {
            let client = client();
            let mut acknowledged = Vec::new();
            for n in 0..2_000 {
                let slug = format!("w{writer}-{n}");
                match create(&client, &base, &slug).await {
                    Ok((200, body)) => acknowledged.push(
                        body["organization"]["organization_id"]
                            .as_str()
                            .unwrap()
                            .to_owned(),
                    ),
                    Ok((status, body)) => panic!("unexpected {status}: {body}"),
                    Err(_) => break, // the server was killed
                }
            }
            acknowledged
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    server.child.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.child.wait().unwrap();
    let mut acknowledged = BTreeSet::new();
    for writer in writers {
        acknowledged.extend(writer.await.unwrap());
    }
    assert!(
        acknowledged.len() > 50,
        "the load ran: {} writes acknowledged",
        acknowledged.len()
    );
    eprintln!(
        "kill -9 after {} acknowledged writes; checking each after restart",
        acknowledged.len()
    );

    let mut restarted = start(&dir);
    let client = client();
    for id in &acknowledged {
        let response = client
            .get(format!("{}/v1/b2b/organizations/{id}", restarted.base))
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status().as_u16(),
            200,
            "acknowledged {id} is gone after kill -9"
        );
    }
    restarted.child.kill().unwrap();
    restarted.child.wait().unwrap();
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_carry_request_ids_and_never_the_secret() {
    let dir = data_dir();
    let log_path = dir.join("gateway.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut server = start_logging(&dir, Stdio::from(log));
    let client = client();
    create(&client, &server.base, "logged").await.unwrap();
    create(&client, &server.base, "logged").await.unwrap(); // a conflict
    let _ = client
        .get(format!("{}/v1/b2b/organizations/%2e%2e", server.base))
        .send()
        .await
        .unwrap();
    let _ = client
        .get(format!("{}/v1/b2b/rbac/policy", server.base))
        .header("authorization", "Basic Y2xpZW50OnNlY3JldA==")
        .send()
        .await
        .unwrap();
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let credentials: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("credentials.json")).unwrap())
            .unwrap();
    let secret = credentials["secret"].as_str().unwrap();
    let logs = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        logs.contains("request_id=gateway-"),
        "request ids are logged: {logs}"
    );
    assert!(
        logs.contains("organizations.create"),
        "endpoints are logged: {logs}"
    );
    assert!(!logs.contains(secret), "the secret is in the logs");
    assert!(
        !logs.contains("Y2xpZW50OnNlY3JldA=="),
        "client credentials are in the logs"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn binding_beyond_loopback_needs_an_access_token() {
    let dir = data_dir();
    let output = Command::new(env!("CARGO_BIN_EXE_orgpolicy-gateway"))
        .args(["--bind", "0.0.0.0:0", "--data-dir"])
        .arg(&dir)
        .env_remove("ORGPOLICY_GATEWAY_TOKEN")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--access-token"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn half_given_sandbox_credentials_are_refused() {
    let dir = data_dir();
    let output = Command::new(env!("CARGO_BIN_EXE_orgpolicy-gateway"))
        .args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(&dir)
        .env("ORGPOLICY_SANDBOX_PROJECT_ID", "project-test-given")
        .env_remove("ORGPOLICY_SANDBOX_SECRET")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("ORGPOLICY_SANDBOX_SECRET"));
    std::fs::remove_dir_all(&dir).ok();
}
