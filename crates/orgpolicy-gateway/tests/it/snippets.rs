//! Every endpoint's catalog example, and every console snippet of it, run
//! for real: the examples are played in one order three times, each on a
//! fresh sandbox holding the demo project behind a listening gateway: as
//! the console sends them (the built request), as their curl snippets run
//! by `sh`, and as their `fetch` snippets run by Node. The three answers of
//! each step must be the same, generated ids, timestamps and request ids
//! aside.

use super::*;
use orgpolicy_api::catalog::{build_request, catalog};
use orgpolicy_api::examples::example;
use orgpolicy_api::snippet::{SnippetRequest, Target, curl, fetch};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// The order the examples are played in: creations first, then reads and
/// changes, deletions last.
const ORDER: &[&str] = &[
    "organizations.create",
    "organizations.get",
    "organizations.update",
    "organizations.search",
    "organizations.metrics",
    "organizations.connected_apps",
    "organizations.connected_apps.get",
    "rbac.policy",
    "rbac.organization_policy.get",
    "rbac.organization_policy.set",
    "members.create",
    "members.get",
    "members.update",
    "members.unlink_retired_email",
    "members.search",
    "members.dangerously_get",
    "members.delete_mfa_phone_number",
    "members.delete_totp",
    "members.delete_password",
    "members.start_email_update",
    "members.oauth_providers.google",
    "members.oauth_providers.microsoft",
    "members.oauth_providers.slack",
    "members.oauth_providers.hubspot",
    "members.oauth_providers.github",
    "members.oidc_providers",
    "members.connected_apps",
    "members.connected_apps.revoke",
    "members.delete_external_id",
    "members.delete",
    "members.reactivate",
    "organizations.delete_external_id",
    "organizations.delete",
];

#[derive(Clone, Copy, Debug)]
enum Runner {
    Console,
    Curl,
    Fetch,
}

/// A string with each `-test-<uuid>` id's uuid replaced by `*`.
fn without_uuids(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("-test-") {
        let (head, tail) = rest.split_at(at + "-test-".len());
        out.push_str(head);
        let id: String = tail.chars().take(36).collect();
        if id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            out.push('*');
            rest = &tail[36..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// Objects ordered by one of their string fields.
fn sorted_by(mut items: Vec<Value>, field: &str) -> Value {
    items.sort_by(|a, b| a[field].as_str().cmp(&b[field].as_str()));
    Value::Array(items)
}

/// An answer with what each run generates afresh made constant.
fn normalized(value: &Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        ("request_id" | "created_at" | "updated_at", _) => json!("*"),
                        // Keyed and ordered by generated ids: by slug and
                        // email address instead.
                        ("organizations", Value::Object(map)) => {
                            sorted_by(map.values().map(normalized).collect(), "organization_slug")
                        }
                        ("members", Value::Array(items)) => {
                            sorted_by(items.iter().map(normalized).collect(), "email_address")
                        }
                        _ => normalized(value),
                    };
                    // The organizations map of a member search is keyed by id.
                    (without_uuids(key), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        Value::String(text) => Value::String(without_uuids(text)),
        other => other.clone(),
    }
}

/// Runs a shell or Node program and reads the JSON it prints.
fn run(program: &str, args: &[&str]) -> Value {
    let output = Command::new(program).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{program} failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{program} printed {stdout}"))
}

/// Sends one request the way `runner` does; the answer's body.
async fn send_as(runner: Runner, router: &Router, base: &str, request: &SnippetRequest) -> Value {
    let target = Target::Gateway {
        base: base.to_owned(),
    };
    match runner {
        Runner::Console => {
            send(
                router,
                request.method.as_str(),
                &request.path,
                request.body.clone(),
                &[],
            )
            .await
            .body
        }
        Runner::Curl => {
            let snippet = curl(request, &target);
            tokio::task::spawn_blocking(move || run("sh", &["-c", &snippet]))
                .await
                .unwrap()
        }
        Runner::Fetch => {
            // The snippet verbatim; its `console.log(status, body)` prints JSON.
            let program = format!(
                "console.log = (status, body) => process.stdout.write(JSON.stringify(body));\n{}",
                fetch(request, &target)
            );
            tokio::task::spawn_blocking(move || {
                run("node", &["--input-type=module", "-e", &program])
            })
            .await
            .unwrap()
        }
    }
}

/// Plays the examples on a fresh demo sandbox behind a listening gateway.
async fn play(runner: Runner) -> Vec<(&'static str, Value)> {
    let policy = orgpolicy_sandbox::demo::demo_policy().unwrap();
    let credentials = Credentials::generate();
    let state = AppState {
        store: Arc::new(Store::in_memory().unwrap()),
        credentials: Arc::new(credentials.clone()),
        policy: Arc::new(policy.clone()),
    };
    orgpolicy_sandbox::demo::seed(state.clone()).await.unwrap();
    let upstream = Upstream {
        base: serve(orgpolicy_sandbox::app(state)).await,
        kind: UpstreamKind::Sandbox,
        authorization: Some(HeaderValue::from_str(&credentials.header_value()).unwrap()),
    };
    let router = gateway(config(upstream));
    let base = serve(router.clone()).await;
    let endpoints = catalog();
    let mut answers = Vec::new();
    for id in ORDER {
        let endpoint = endpoints.iter().find(|e| e.id == *id).unwrap();
        let example = example(id).unwrap_or_else(|| panic!("{id} has no example"));
        let params: BTreeMap<String, String> = example
            .params
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        // An example is a request the console lets through as it stands.
        let request = build_request(endpoint, &params, &example.body, Some(&policy))
            .unwrap_or_else(|problems| panic!("{id}: {problems:?}"));
        answers.push((*id, send_as(runner, &router, &base, &request).await));
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_and_its_snippets_give_the_consoles_own_answer() {
    let ordered: BTreeSet<&str> = ORDER.iter().copied().collect();
    let all: BTreeSet<&str> = catalog().iter().map(|e| e.id).collect();
    assert_eq!(ordered, all, "every endpoint is played");
    assert_eq!(ORDER.len(), all.len(), "once");

    let console = play(Runner::Console).await;
    // Success where the demo has the state; placeholders the demo cannot
    // know, and state the sandbox has none of, answer Stytch's errors.
    let statuses: Vec<(&str, u64)> = console
        .iter()
        .map(|(id, answer)| (*id, answer["status_code"].as_u64().unwrap()))
        .filter(|(_, status)| *status != 200)
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("organizations.connected_apps.get", 404),
            ("members.dangerously_get", 404),
            ("members.delete_totp", 404),
            ("members.delete_password", 404),
            ("members.start_email_update", 400),
            ("members.oauth_providers.google", 404),
            ("members.oauth_providers.microsoft", 404),
            ("members.connected_apps.revoke", 404),
            ("members.reactivate", 404),
        ],
        "{console:#?}"
    );
    let answer = |wanted: &str| &console.iter().find(|(id, _)| *id == wanted).unwrap().1;
    // The demo's admins of acme-corp and globex.
    let found = answer("members.search");
    assert_eq!(found["members"].as_array().unwrap().len(), 2, "{found}");
    let unlinked = answer("members.unlink_retired_email");
    assert_eq!(unlinked["member"]["retired_email_addresses"], json!([]));

    for runner in [Runner::Curl, Runner::Fetch] {
        let played = play(runner).await;
        for ((id, expected), (_, got)) in console.iter().zip(&played) {
            assert_eq!(
                normalized(got),
                normalized(expected),
                "{runner:?} snippet of {id}"
            );
        }
    }
}
