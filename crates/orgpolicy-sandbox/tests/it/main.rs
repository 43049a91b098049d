//! The sandbox through its router, without a socket.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code"
)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use orgpolicy_sandbox::store::Store;
use orgpolicy_sandbox::{AppState, Credentials, app};
use serde_json::{Value, json};
use std::sync::Arc;
use tower::ServiceExt;

mod hardening;
mod migration;

struct Sandbox {
    router: Router,
    authorization: String,
}

fn sandbox() -> Sandbox {
    let credentials = Credentials::generate();
    let authorization = credentials.header_value();
    let state = AppState {
        store: Arc::new(Store::in_memory().unwrap()),
        credentials: Arc::new(credentials),
        policy: Arc::new(orgpolicy_core::stytch::default_policy()),
    };
    Sandbox {
        router: app(state),
        authorization,
    }
}

impl Sandbox {
    async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        authorization: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(authorization) = authorization {
            request = request.header("authorization", authorization);
        }
        let request = request
            .header("content-type", "application/json")
            .body(Body::from(body.unwrap_or("").to_owned()))
            .unwrap();
        let (status, bytes) = self.reply(request).await;
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// Sends a built request; its status and raw body.
    async fn reply(&self, request: Request<Body>) -> (StatusCode, axum::body::Bytes) {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        (
            status,
            response.into_body().collect().await.unwrap().to_bytes(),
        )
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let text = body.map(|b| b.to_string());
        self.send(method, path, text.as_deref(), Some(&self.authorization))
            .await
    }

    async fn create(&self, name: &str, slug: &str) -> Value {
        let (status, body) = self
            .call(
                "POST",
                "/v1/b2b/organizations",
                Some(json!({"organization_name": name, "organization_slug": slug})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["organization"].clone()
    }

    /// Gives an organization custom roles (each may search members).
    async fn custom_roles(&self, organization_id: &str, role_ids: &[&str]) {
        let roles: Vec<Value> = role_ids
            .iter()
            .map(|id| json!({"role_id": id, "description": "", "permissions": [{"resource_id": "stytch.member", "actions": ["search"]}]}))
            .collect();
        let (status, body) = self
            .call(
                "PUT",
                &format!("/v1/b2b/rbac/organizations/{organization_id}"),
                Some(json!({"org_policy": {"roles": roles}})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

/// The string `field` of every item of the JSON array `list`.
fn strings<'a>(list: &'a Value, field: &str) -> Vec<&'a str> {
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .map(|item| {
            item[field]
                .as_str()
                .unwrap_or_else(|| panic!("no string {field} in {item}"))
        })
        .collect()
}

fn assert_error(status: StatusCode, body: &Value, expected_status: StatusCode, error_type: &str) {
    assert_eq!(status, expected_status, "{body}");
    assert_eq!(
        body["status_code"],
        json!(expected_status.as_u16()),
        "{body}"
    );
    assert_eq!(body["error_type"], json!(error_type), "{body}");
    assert!(
        body["request_id"]
            .as_str()
            .unwrap()
            .starts_with("request-id-test-")
    );
    assert!(
        body["error_message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert!(body["error_url"].as_str().is_some());
}

#[tokio::test]
async fn credentials_are_required() {
    let sandbox = sandbox();
    for authorization in [
        None,
        Some("Basic d3Jvbmc6d3Jvbmc="),
        Some("Bearer x"),
        Some(""),
    ] {
        let (status, body) = sandbox
            .send("GET", "/v1/b2b/rbac/policy", None, authorization)
            .await;
        assert_error(
            status,
            &body,
            StatusCode::UNAUTHORIZED,
            "unauthorized_credentials",
        );
    }
    let (status, _) = sandbox.call("GET", "/v1/b2b/rbac/policy", None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn member_sessions_are_refused_not_run_with_the_project_s_rights() {
    let sandbox = sandbox();
    for header in ["x-stytch-member-session", "x-stytch-member-sessionjwt"] {
        let request = Request::builder()
            .method("POST")
            .uri("/v1/b2b/organizations")
            .header("authorization", &sandbox.authorization)
            .header("content-type", "application/json")
            .header(header, "a-member-session")
            .body(Body::from(
                r#"{"organization_name":"Acme","organization_slug":"acme"}"#,
            ))
            .unwrap();
        let (status, bytes) = sandbox.reply(request).await;
        let body: Value = serde_json::from_slice(&bytes).unwrap();
        assert_error(
            status,
            &body,
            StatusCode::BAD_REQUEST,
            "member_sessions_not_supported",
        );
    }
    let (status, _) = sandbox
        .call("GET", "/v1/b2b/organizations/acme", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing was created");
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_api_error_shape() {
    let sandbox = sandbox();
    let (status, body) = sandbox.call("GET", "/v1/b2b/nothing/here", None).await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "route_not_found");
    let (status, body) = sandbox.call("PATCH", "/v1/b2b/organizations", None).await;
    assert_error(
        status,
        &body,
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
    );
    assert!(
        body["error_url"]
            .as_str()
            .unwrap()
            .starts_with("https://stytch.com/docs/api-reference/b2b/api/errors/405#")
    );
    // Credentials are still checked first.
    let (status, body) = sandbox.send("GET", "/v1/b2b/nothing", None, None).await;
    assert_error(
        status,
        &body,
        StatusCode::UNAUTHORIZED,
        "unauthorized_credentials",
    );
}

#[tokio::test]
async fn create_applies_defaults_and_get_finds_by_id_or_slug() {
    let sandbox = sandbox();
    let created = sandbox.create("Acme", "acme").await;
    let id = created["organization_id"].as_str().unwrap();
    assert!(id.starts_with("organization-test-"));
    assert_eq!(created["email_invites"], json!("ALL_ALLOWED"));
    assert_eq!(created["sso_jit_provisioning"], json!("ALL_ALLOWED"));
    assert_eq!(created["mfa_policy"], json!("OPTIONAL"));
    // Authentication settings given: invites start off unless given.
    for (index, (extra, invites, sso)) in [
        (
            json!({"mfa_policy": "REQUIRED_FOR_ALL"}),
            "NOT_ALLOWED",
            "ALL_ALLOWED",
        ),
        (
            json!({"email_allowed_domains": ["acme.test"], "email_invites": "RESTRICTED"}),
            "RESTRICTED",
            "ALL_ALLOWED",
        ),
        (
            json!({"sso_jit_provisioning": "NOT_ALLOWED"}),
            "NOT_ALLOWED",
            "NOT_ALLOWED",
        ),
        (
            json!({"trusted_metadata": {"tier": "gold"}}),
            "ALL_ALLOWED",
            "ALL_ALLOWED",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = json!({"organization_name": "Defaults", "organization_slug": format!("defaults-{index}")});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let (status, answer) = sandbox
            .call("POST", "/v1/b2b/organizations", Some(body.clone()))
            .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(
            answer["organization"]["email_invites"],
            json!(invites),
            "{body}"
        );
        assert_eq!(
            answer["organization"]["sso_jit_provisioning"],
            json!(sso),
            "{body}"
        );
    }
    assert_eq!(created["trusted_metadata"], json!({}));
    assert!(created["created_at"].as_str().unwrap().ends_with('Z'));
    for lookup in [id, "acme"] {
        let (status, body) = sandbox
            .call("GET", &format!("/v1/b2b/organizations/{lookup}"), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["organization"]["organization_id"], json!(id));
        assert_eq!(body["status_code"], json!(200));
    }
    let (status, body) = sandbox
        .call("GET", "/v1/b2b/organizations/nope", None)
        .await;
    assert_error(
        status,
        &body,
        StatusCode::NOT_FOUND,
        "organization_not_found",
    );
}

#[tokio::test]
async fn slugs_are_unique_regardless_of_case_and_failures_store_nothing() {
    let sandbox = sandbox();
    sandbox.create("Acme", "acme").await;
    let (status, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations",
            Some(json!({"organization_name": "Other", "organization_slug": "ACME"})),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "organization_slug_already_used",
    );
    let (status, body) = sandbox
        .call("POST", "/v1/b2b/organizations", Some(json!({"organization_name": "Bad", "organization_slug": "a", "mfa_policy": "SOMETIMES"})))
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "invalid_organization_slug",
    );
    let paths: Vec<&str> = strings(&body["errors"], "path");
    assert_eq!(paths, vec!["/organization_slug", "/mfa_policy"]);
    let (status, body) = sandbox
        .send(
            "POST",
            "/v1/b2b/organizations",
            Some("{\"organization_name\": "),
            Some(&sandbox.authorization),
        )
        .await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_json");
    let (status, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations",
            Some(json!({"organization_name": 5, "organization_slug": "five"})),
        )
        .await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_type");
    let (_, search) = sandbox
        .call("POST", "/v1/b2b/organizations/search", Some(json!({})))
        .await;
    assert_eq!(
        search["results_metadata"]["total"],
        json!(1),
        "nothing else was stored"
    );
}

#[tokio::test]
async fn update_merges_metadata_and_refuses_over_the_limits() {
    let sandbox = sandbox();
    let created = sandbox.create("Acme", "acme").await;
    let path = format!(
        "/v1/b2b/organizations/{}",
        created["organization_id"].as_str().unwrap()
    );
    let (status, body) = sandbox
        .call(
            "PUT",
            &path,
            Some(json!({"organization_name": "Acme 2", "trusted_metadata": {"a": 1, "b": 2}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, body) = sandbox
        .call(
            "PUT",
            &path,
            Some(json!({"trusted_metadata": {"a": null, "c": 3}})),
        )
        .await;
    assert_eq!(
        body["organization"]["trusted_metadata"],
        json!({"b": 2, "c": 3})
    );
    assert_eq!(body["organization"]["organization_name"], json!("Acme 2"));
    // 18 more keys would make 20: fine; 19 more would make 21: refused, nothing changed.
    let keys = |n: usize| Value::Object((0..n).map(|i| (format!("k{i}"), json!(i))).collect());
    let (status, body) = sandbox
        .call("PUT", &path, Some(json!({"trusted_metadata": keys(19)})))
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "metadata_too_many_keys",
    );
    let (_, body) = sandbox.call("GET", &path, None).await;
    assert_eq!(
        body["organization"]["trusted_metadata"],
        json!({"b": 2, "c": 3})
    );
    let (status, _) = sandbox
        .call("PUT", &path, Some(json!({"trusted_metadata": keys(18)})))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = sandbox
        .call(
            "PUT",
            &path,
            Some(json!({"trusted_metadata": {"big": "x".repeat(5000)}})),
        )
        .await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "metadata_too_large");
}

#[tokio::test]
async fn delete_removes_the_organization_and_its_policy() {
    let sandbox = sandbox();
    let created = sandbox.create("Acme", "acme").await;
    let id = created["organization_id"].as_str().unwrap().to_owned();
    let policy = json!({"org_policy": {"roles": [{"role_id": "editor", "description": "", "permissions": [{"resource_id": "stytch.member", "actions": ["create"]}]}]}});
    let (status, body) = sandbox
        .call(
            "PUT",
            &format!("/v1/b2b/rbac/organizations/{id}"),
            Some(policy),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = sandbox
        .call("DELETE", &format!("/v1/b2b/organizations/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["organization_id"], json!(id));
    let (status, _) = sandbox
        .call("GET", &format!("/v1/b2b/organizations/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = sandbox
        .call("GET", &format!("/v1/b2b/rbac/organizations/{id}"), None)
        .await;
    assert_error(
        status,
        &body,
        StatusCode::NOT_FOUND,
        "organization_not_found",
    );
    // A new organization with the same slug starts with no custom roles.
    let again = sandbox.create("Acme", "acme").await;
    let (_, body) = sandbox
        .call(
            "GET",
            &format!(
                "/v1/b2b/rbac/organizations/{}",
                again["organization_id"].as_str().unwrap()
            ),
            None,
        )
        .await;
    assert_eq!(body["org_policy"], json!({"roles": []}));
}

#[tokio::test]
async fn search_pages_with_a_cursor_and_filters() {
    let sandbox = sandbox();
    for (name, slug) in [
        ("Acme", "acme"),
        ("Acme Labs", "acme-labs"),
        ("Globex", "globex"),
        ("Initech", "initech"),
        ("Umbrella", "umbrella"),
    ] {
        sandbox.create(name, slug).await;
    }
    let mut seen = Vec::new();
    let mut cursor = Value::Null;
    for _ in 0..5 {
        let (status, body) = sandbox
            .call(
                "POST",
                "/v1/b2b/organizations/search",
                Some(json!({"limit": 2, "cursor": cursor})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["results_metadata"]["total"], json!(5));
        for organization in body["organizations"].as_array().unwrap() {
            seen.push(
                organization["organization_slug"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        cursor = body["results_metadata"]["next_cursor"].clone();
        if cursor.is_null() {
            break;
        }
    }
    seen.sort();
    assert_eq!(
        seen,
        vec!["acme", "acme-labs", "globex", "initech", "umbrella"],
        "every organization once"
    );

    let query = json!({"query": {"operator": "OR", "operands": [
        {"filter_name": "organization_name_fuzzy", "filter_value": "acm"},
        {"filter_name": "organization_slugs", "filter_value": ["GLOBEX"]}
    ]}});
    let (_, body) = sandbox
        .call("POST", "/v1/b2b/organizations/search", Some(query))
        .await;
    assert_eq!(body["results_metadata"]["total"], json!(3));
    let (status, body) = sandbox
        .call("POST", "/v1/b2b/organizations/search", Some(json!({"query": {"operator": "AND", "operands": [{"filter_name": "organization_name_fuzzy", "filter_value": "ac"}]}})))
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "organization_search_organization_name_fuzzy_too_short",
    );
    let (status, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations/search",
            Some(json!({"cursor": "not a cursor!"})),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "invalid_search_query",
    );
}

#[tokio::test]
async fn organization_policies_are_validated_by_the_core() {
    let sandbox = sandbox();
    let (_, body) = sandbox.call("GET", "/v1/b2b/rbac/policy", None).await;
    let roles: Vec<&str> = strings(&body["policy"]["roles"], "role_id");
    assert_eq!(roles, vec!["stytch_member", "stytch_admin"]);
    let created = sandbox.create("Acme", "acme").await;
    let path = format!(
        "/v1/b2b/rbac/organizations/{}",
        created["organization_id"].as_str().unwrap()
    );
    let bad = json!({"org_policy": {"roles": [
        {"role_id": "stytch_admin", "permissions": [{"resource_id": "stytch.member", "actions": ["create"]}]},
        {"role_id": "editor", "permissions": [{"resource_id": "documents", "actions": ["read"]}]}
    ]}});
    let (status, body) = sandbox.call("PUT", &path, Some(bad)).await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "invalid_rbac_custom_role",
    );
    let paths: Vec<&str> = strings(&body["errors"], "path");
    assert_eq!(
        paths,
        vec![
            "/org_policy/roles/0/role_id",
            "/org_policy/roles/1/permissions/0/resource_id"
        ]
    );
    let (_, body) = sandbox.call("GET", &path, None).await;
    assert_eq!(body["org_policy"], json!({"roles": []}), "nothing stored");
    let good = json!({"org_policy": {"roles": [{"role_id": "editor", "description": "Edits", "permissions": [{"resource_id": "stytch.member", "actions": ["create", "search"]}]}]}});
    let (status, _) = sandbox.call("PUT", &path, Some(good)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, body) = sandbox
        .call("GET", "/v1/b2b/rbac/organizations/acme", None)
        .await;
    assert_eq!(body["org_policy"]["roles"][0]["role_id"], json!("editor"));
    let (status, body) = sandbox
        .call(
            "PUT",
            "/v1/b2b/rbac/organizations/nope",
            Some(json!({"org_policy": {"roles": []}})),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::NOT_FOUND,
        "organization_not_found",
    );
}

#[tokio::test]
async fn members_carry_their_role_sources_and_follow_their_organization() {
    let sandbox = sandbox();
    let created = sandbox.create("Acme", "acme").await;
    let org = created["organization_id"].as_str().unwrap().to_owned();
    let members = format!("/v1/b2b/organizations/{org}/members");
    // A role must be the project's or the organization's before it is assigned.
    let (status, body) = sandbox
        .call(
            "POST",
            &members,
            Some(json!({"email_address": "ada@acme.test", "roles": ["stytch_admin", "editor"]})),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "invalid_rbac_role_id",
    );
    assert_eq!(body["errors"][0]["path"], json!("/roles/1"), "{body}");
    sandbox
        .custom_roles(&org, &["editor", "reader", "approver"])
        .await;
    let (status, _) = sandbox
        .call(
            "PUT",
            &format!("/v1/b2b/organizations/{org}"),
            Some(json!({"rbac_email_implicit_role_assignments": [{"domain": "acme.test", "role_id": "reader"}]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = sandbox
        .call(
            "POST",
            &members,
            Some(json!({"email_address": "ada@ACME.test", "name": "Ada", "roles": ["editor"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let member_id = body["member_id"].as_str().unwrap().to_owned();
    assert!(member_id.starts_with("member-test-"));
    assert_eq!(body["organization"]["organization_id"], json!(org));
    let roles: Vec<(&str, Vec<&str>)> = body["member"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["role_id"].as_str().unwrap(),
                strings(&r["sources"], "type"),
            )
        })
        .collect();
    assert_eq!(
        roles,
        vec![
            ("editor", vec!["direct_assignment"]),
            ("reader", vec!["email_assignment"]),
            ("stytch_member", vec!["direct_assignment"])
        ]
    );

    let (status, body) = sandbox
        .call(
            "POST",
            &members,
            Some(json!({"email_address": "ADA@acme.test"})),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "duplicate_member_email",
    );
    let (status, body) = sandbox
        .call(
            "POST",
            &members,
            Some(json!({"email_address": "not-an-email"})),
        )
        .await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_email");
    let (status, body) = sandbox
        .call("POST", &members, Some(json!({"email_address": null})))
        .await;
    assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_type");
    let (status, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations/nope/members",
            Some(json!({"email_address": "a@b.test"})),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::NOT_FOUND,
        "organization_not_found",
    );

    let member = format!("{members}/{member_id}");
    let (status, body) = sandbox
        .call(
            "PUT",
            &member,
            Some(json!({"roles": ["approver"], "untrusted_metadata": {"theme": "dark"}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let role_ids: Vec<&str> = strings(&body["member"]["roles"], "role_id");
    assert_eq!(
        role_ids,
        vec!["approver", "reader", "stytch_member"],
        "explicit roles replaced"
    );
    assert_eq!(
        body["member"]["untrusted_metadata"],
        json!({"theme": "dark"})
    );
    let lookup = format!("/v1/b2b/organizations/{org}/member");
    let (status, body) = sandbox
        .call("GET", &format!("{lookup}?member_id=member-test-nope"), None)
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "member_not_found");
    // By email, compared as the store keys addresses.
    let (status, body) = sandbox
        .call(
            "GET",
            &format!("{lookup}?email_address=ADA%40acme.TEST"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["member"]["email_address"], json!("ada@ACME.test"));
    for query in ["", "?member_id=a&email_address=b%40c.test", "?member_id="] {
        let (status, body) = sandbox.call("GET", &format!("{lookup}{query}"), None).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, "missing_field");
    }

    sandbox
        .call(
            "POST",
            &members,
            Some(json!({"email_address": "grace@acme.test"})),
        )
        .await;
    let (status, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations/members/search",
            Some(json!({"organization_ids": [org], "query": {"operator": "AND", "operands": [{"filter_name": "member_email_fuzzy", "filter_value": "grace"}]}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["results_metadata"]["total"], json!(1));
    assert_eq!(
        body["members"][0]["email_address"],
        json!("grace@acme.test")
    );
    let (status, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations/members/search",
            Some(json!({})),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "invalid_search_query",
    );

    let (status, _) = sandbox.call("DELETE", &member, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = sandbox
        .call("GET", &format!("{lookup}?member_id={member_id}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Deleting the organization removes its remaining members.
    sandbox
        .call("DELETE", &format!("/v1/b2b/organizations/{org}"), None)
        .await;
    let (_, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations/members/search",
            Some(json!({"organization_ids": [org]})),
        )
        .await;
    assert_eq!(body["results_metadata"]["total"], json!(0));
}

#[tokio::test]
async fn the_demo_project_is_valid_and_seeds_through_the_api() {
    let policy = orgpolicy_sandbox::demo::demo_policy().unwrap();
    let report = orgpolicy_core::validate_policy(&policy);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    for resource in ["documents", "invoices", "reports", "stytch.member"] {
        assert!(policy.resources.iter().any(|r| r.resource_id == resource));
    }
    let credentials = Credentials::generate();
    let authorization = credentials.header_value();
    let state = AppState {
        store: Arc::new(Store::in_memory().unwrap()),
        credentials: Arc::new(credentials),
        policy: Arc::new(policy),
    };
    let seeded = orgpolicy_sandbox::demo::seed(state.clone()).await.unwrap();
    assert_eq!((seeded.organizations, seeded.members), (3, 10));
    let sandbox = Sandbox {
        router: app(state),
        authorization,
    };
    let (_, body) = sandbox
        .call("POST", "/v1/b2b/organizations/search", Some(json!({})))
        .await;
    let slugs: Vec<&str> = strings(&body["organizations"], "organization_slug");
    assert_eq!(slugs.len(), 3);
    for slug in ["acme-corp", "globex", "initech"] {
        assert!(slugs.contains(&slug), "{slugs:?}");
    }
    // Custom roles, implicit assignments and a pending member are there.
    let (_, acme) = sandbox
        .call("GET", "/v1/b2b/organizations/acme-corp", None)
        .await;
    assert_eq!(
        acme["organization"]["custom_roles"][0]["role_id"],
        json!("approver")
    );
    let (_, found) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations/members/search",
            Some(json!({"organization_ids": ["acme-corp"], "query": {"operator": "AND", "operands": [{"filter_name": "member_emails", "filter_value": ["bob@acme.test"]}]}})),
        )
        .await;
    let roles: Vec<&str> = strings(&found["members"][0]["roles"], "role_id");
    assert!(
        roles.contains(&"editor") && roles.contains(&"viewer"),
        "{roles:?}"
    );
    let (_, pending) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations/members/search",
            Some(json!({"organization_ids": ["initech"], "query": {"operator": "AND", "operands": [{"filter_name": "statuses", "filter_value": ["pending"]}]}})),
        )
        .await;
    assert_eq!(pending["members"].as_array().unwrap().len(), 1);
}
