//! The gateway binary's start-up flags, as a careless or hostile
//! configuration would set them.

use std::io::Read;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

struct Running {
    child: Child,
    banner: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn data_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("orgpolicy-startup-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Starts the gateway; its banner if it started, else what it printed on
/// stderr before exiting.
fn start(args: &[&str], env: &[(&str, &str)]) -> Result<Running, String> {
    start_in(&data_dir(), args, env)
}

/// [`start`] with the data kept under `dir` (to start again on it).
fn start_in(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Result<Running, String> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_orgpolicy-gateway"));
    command
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(args)
        .env_remove("ORGPOLICY_GATEWAY_TOKEN")
        .env_remove("STYTCH_PROJECT_ID")
        .env_remove("STYTCH_SECRET")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if !args.contains(&"--bind") {
        command.args(["--bind", "127.0.0.1:0"]);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().unwrap();
    let mut banner = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut banner)
        .unwrap();
    if banner.starts_with("orgpolicy gateway: ") {
        return Ok(Running { child, banner });
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success());
    Err(stderr)
}

fn refused(args: &[&str], env: &[(&str, &str)], mentioning: &str) {
    match start(args, env) {
        Ok(running) => panic!("{args:?} {env:?} started: {}", running.banner),
        Err(stderr) => assert!(stderr.contains(mentioning), "{args:?}: {stderr}"),
    }
}

#[test]
fn an_empty_access_token_never_switches_the_check_off() {
    refused(
        &["--bind", "0.0.0.0:0", "--access-token", ""],
        &[],
        "--access-token is empty",
    );
    refused(
        &["--bind", "0.0.0.0:0", "--access-token", "  "],
        &[],
        "--access-token is empty",
    );
    refused(&["--access-token", ""], &[], "--access-token is empty");
    // An empty environment value counts as unset.
    for empty in ["", " "] {
        refused(
            &["--bind", "0.0.0.0:0"],
            &[("ORGPOLICY_GATEWAY_TOKEN", empty)],
            "set --access-token",
        );
    }
}

#[test]
fn upstreams_are_parsed_not_prefix_matched() {
    for bad in [
        "http://127.0.0.1@evil.example",
        "http://127.0.0.1.evil.example",
        "http://localhost.evil.example",
        "http://user:pw@127.0.0.1:9",
        "https://user@test.stytch.com",
        "http://10.0.0.1",
        "http://stytch.com",
        "ftp://127.0.0.1",
        "https://test.stytch.com/v1",
        "https://test.stytch.com/?x=1",
        "127.0.0.1:9",
    ] {
        refused(&["--upstream", bad], &[], "--upstream");
    }
    for good in [
        "http://127.0.0.2:9",
        "http://[::1]:9",
        "http://localhost:9",
        "http://LOCALHOST:9/",
        "https://test.stytch.com",
    ] {
        let running = start(&["--upstream", good], &[]).unwrap_or_else(|e| panic!("{good}: {e}"));
        assert!(
            running.banner.contains("upstream: Test"),
            "{}",
            running.banner
        );
    }
}

#[test]
fn allowed_origins_must_be_origins() {
    for bad in [
        "*",
        "null",
        "http://a.test/path",
        "ftp://a.test",
        "http://user@a.test",
        "a.test",
        "http://a.test?x",
    ] {
        refused(&["--allow-origin", bad], &[], "--allow-origin");
    }
    let running = start(&["--allow-origin", "https://Console.Example:8443/"], &[]).unwrap();
    assert!(running.banner.starts_with("orgpolicy gateway: "));
}

#[test]
fn a_static_dir_holding_the_data_dir_is_refused() {
    let served = data_dir();
    let output = Command::new(env!("CARGO_BIN_EXE_orgpolicy-gateway"))
        .args(["--bind", "127.0.0.1:0", "--static-dir"])
        .arg(&served)
        .arg("--data-dir")
        .arg(served.join(".orgpolicy"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("contains the data dir"), "{stderr}");
    std::fs::remove_dir_all(&served).ok();
}

#[cfg(unix)]
#[test]
fn the_credentials_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = data_dir();
    let mut child = Command::new(env!("CARGO_BIN_EXE_orgpolicy-gateway"))
        .args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(&dir)
        .env_remove("ORGPOLICY_SANDBOX_PROJECT_ID")
        .env_remove("ORGPOLICY_SANDBOX_SECRET")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut banner = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut banner)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let mode = std::fs::metadata(dir.join("credentials.json"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn another_loopback_address_answers_for_itself() {
    let port = std::net::TcpListener::bind("127.0.0.2:0").map(|l| l.local_addr().unwrap().port());
    let Ok(port) = port else {
        // 127.0.0.2 is loopback on Linux; skip where the OS has only 127.0.0.1.
        eprintln!("127.0.0.2 is not bindable here");
        return;
    };
    let bind = format!("127.0.0.2:{port}");
    let _running = start(&["--bind", &bind], &[]).unwrap();
    let client = reqwest::Client::new();
    for path in ["/", "/_gateway/info", "/v1/b2b/rbac/policy"] {
        let response = client
            .get(format!("http://{bind}{path}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
    }
}

/// The slugs of the organizations a gateway's upstream holds.
async fn slugs(running: &Running) -> Vec<String> {
    // "orgpolicy gateway: http://127.0.0.1:PORT/ ..."
    let origin = running
        .banner
        .split_whitespace()
        .nth(2)
        .unwrap()
        .trim_end_matches('/')
        .to_owned();
    let text = reqwest::Client::new()
        .post(format!("{origin}/v1/b2b/organizations/search"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(answer["organizations"].is_array(), "{text}");
    let mut slugs: Vec<String> = answer["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["organization_slug"].as_str().unwrap().to_owned())
        .collect();
    slugs.sort();
    slugs
}

#[tokio::test]
async fn a_new_sandbox_starts_with_the_demo_unless_empty() {
    let dir = data_dir();
    let demo = ["acme-corp", "globex", "initech"];
    {
        let running = start_in(&dir, &[], &[]).unwrap();
        assert_eq!(slugs(&running).await, demo);
    }
    // Started again on the same data: nothing is seeded twice.
    {
        let running = start_in(&dir, &[], &[]).unwrap();
        assert_eq!(slugs(&running).await, demo);
    }
    // --empty: Stytch's default policy and no organizations.
    let empty = start(&["--empty"], &[]).unwrap();
    assert!(slugs(&empty).await.is_empty());
    refused(
        &["--empty", "--upstream", "https://test.stytch.com"],
        &[],
        "--empty",
    );
    std::fs::remove_dir_all(&dir).ok();
}
