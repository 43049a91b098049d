//! Every console snippet of every catalog endpoint, run for real: one
//! scenario touches each endpoint once, and is played three times, each
//! on a fresh sandbox behind a listening gateway: as the console sends it
//! (the built request), as the curl snippet run by `sh`, and as the `fetch`
//! snippet run by Node. The three answers of each step must be the same,
//! generated ids, timestamps and request ids aside.

use super::*;
use orgpolicy_api::catalog::{build_request, catalog};
use orgpolicy_api::snippet::{SnippetRequest, Target, curl, fetch};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// One request: endpoint id, parameters, body.
type Step = (&'static str, Vec<(&'static str, &'static str)>, Value);

/// The scenario: endpoint id, parameters, body. `$member` stands for the
/// member id the create step answered (the endpoints that take no
/// external id need it).
fn scenario() -> Vec<Step> {
    let org = ("organization_id", "acme-snip");
    let member = [org, ("member_id", "emp-1")];
    let by_id = [org, ("member_id", "$member")];
    vec![
        (
            "organizations.create",
            vec![],
            json!({"organization_name": "Acme", "organization_slug": "acme-snip", "organization_external_id": "crm-1"}),
        ),
        ("organizations.get", vec![org], json!({})),
        (
            "organizations.update",
            vec![org],
            json!({"organization_name": "O'Brien & Sons", "email_allowed_domains": ["acme.test"]}),
        ),
        (
            "organizations.search",
            vec![],
            json!({"query": {"operator": "AND", "operands": [{"filter_name": "organization_slugs", "filter_value": ["acme-snip"]}]}}),
        ),
        ("organizations.metrics", vec![org], json!({})),
        ("organizations.connected_apps", vec![org], json!({})),
        (
            "organizations.connected_apps.get",
            vec![org, ("connected_app_id", "connected-app-test-x")],
            json!({}),
        ),
        ("rbac.policy", vec![], json!({})),
        (
            "rbac.organization_policy.set",
            vec![org],
            json!({"org_policy": {"roles": [{"role_id": "auditor", "description": "Reads \"members\"", "permissions": [{"resource_id": "stytch.member", "actions": ["search"]}]}]}}),
        ),
        ("rbac.organization_policy.get", vec![org], json!({})),
        (
            "members.create",
            vec![org],
            json!({"email_address": "ada@acme.test", "name": "Ada", "external_id": "emp-1", "roles": ["auditor"], "untrusted_metadata": {"note": "it's \u{e9}"}}),
        ),
        ("members.get", member.to_vec(), json!({})),
        (
            "members.update",
            member.to_vec(),
            json!({"email_address": "ada.l@acme.test", "mfa_phone_number": "+12025550123"}),
        ),
        (
            "members.unlink_retired_email",
            member.to_vec(),
            json!({"email_address": "ada@acme.test"}),
        ),
        (
            "members.search",
            vec![],
            json!({"organization_ids": ["acme-snip"], "query": {"operator": "AND", "operands": [{"filter_name": "member_emails", "filter_value": ["ada.l@acme.test"]}]}}),
        ),
        (
            "members.dangerously_get",
            vec![("member_id", "$member"), ("include_deleted", "true")],
            json!({}),
        ),
        (
            "members.delete_mfa_phone_number",
            member.to_vec(),
            json!({}),
        ),
        ("members.delete_totp", member.to_vec(), json!({})),
        (
            "members.delete_password",
            vec![org, ("member_password_id", "member-password-test-x")],
            json!({}),
        ),
        (
            "members.start_email_update",
            member.to_vec(),
            json!({"email_address": "new@acme.test"}),
        ),
        ("members.oauth_providers.google", member.to_vec(), json!({})),
        (
            "members.oauth_providers.microsoft",
            member.to_vec(),
            json!({}),
        ),
        ("members.oauth_providers.slack", member.to_vec(), json!({})),
        (
            "members.oauth_providers.hubspot",
            member.to_vec(),
            json!({}),
        ),
        ("members.oauth_providers.github", member.to_vec(), json!({})),
        ("members.oidc_providers", member.to_vec(), json!({})),
        ("members.connected_apps", member.to_vec(), json!({})),
        (
            "members.connected_apps.revoke",
            vec![
                org,
                ("member_id", "emp-1"),
                ("connected_app_id", "connected-app-test-x"),
            ],
            json!({}),
        ),
        ("members.delete_external_id", member.to_vec(), json!({})),
        ("members.delete", by_id.to_vec(), json!({})),
        ("members.reactivate", by_id.to_vec(), json!({})),
        ("organizations.delete_external_id", vec![org], json!({})),
        ("organizations.delete", vec![org], json!({})),
    ]
}

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

/// An answer with what each run generates afresh made constant.
fn normalized(value: &Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, value)| {
                    let value = match key.as_str() {
                        "request_id" | "created_at" | "updated_at" => json!("*"),
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

/// Plays the scenario on a fresh sandbox behind a listening gateway.
async fn play(runner: Runner) -> Vec<(&'static str, Value)> {
    let (upstream, _) = sandbox().await;
    let router = gateway(config(upstream));
    let base = serve(router.clone()).await;
    let endpoints = catalog();
    let policy = orgpolicy_core::stytch::default_policy();
    let mut member_id = String::new();
    let mut answers = Vec::new();
    for (id, params, body) in scenario() {
        let endpoint = endpoints.iter().find(|e| e.id == id).unwrap();
        let params: BTreeMap<String, String> = params
            .into_iter()
            .map(|(name, value)| {
                let value = if value == "$member" {
                    member_id.clone()
                } else {
                    value.to_owned()
                };
                (name.to_owned(), value)
            })
            .collect();
        let request = build_request(endpoint, &params, &body, Some(&policy))
            .unwrap_or_else(|problems| panic!("{id}: {problems:?}"));
        let answer = send_as(runner, &router, &base, &request).await;
        if id == "members.create" {
            answer["member_id"]
                .as_str()
                .unwrap()
                .clone_into(&mut member_id);
        }
        answers.push((id, answer));
    }
    answers
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_snippet_of_every_endpoint_gives_the_consoles_own_answer() {
    let covered: BTreeSet<&str> = scenario().iter().map(|(id, _, _)| *id).collect();
    let all: BTreeSet<&str> = catalog().iter().map(|e| e.id).collect();
    assert_eq!(covered, all, "the scenario touches every endpoint");

    let console = play(Runner::Console).await;
    // Success where the sandbox has the state, Stytch's errors where not.
    let statuses: Vec<(&str, u64)> = console
        .iter()
        .map(|(id, answer)| (*id, answer["status_code"].as_u64().unwrap()))
        .filter(|(_, status)| *status != 200)
        .collect();
    assert_eq!(
        statuses,
        vec![
            ("organizations.connected_apps.get", 404),
            ("members.delete_totp", 404),
            ("members.delete_password", 404),
            ("members.start_email_update", 400),
            ("members.oauth_providers.google", 404),
            ("members.oauth_providers.microsoft", 404),
            ("members.connected_apps.revoke", 404),
        ],
        "{console:#?}"
    );
    let found = &console
        .iter()
        .find(|(id, _)| *id == "members.search")
        .unwrap()
        .1;
    assert_eq!(found["members"].as_array().unwrap().len(), 1, "{found}");

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
