//! Attacks on the sandbox through its request bodies, run as an attacker
//! would run them: each names the hardening item it holds.

use super::*;

fn id_of(organization: &Value) -> String {
    organization["organization_id"].as_str().unwrap().to_owned()
}

async fn add_member(sandbox: &Sandbox, organization: &str, body: Value) -> (StatusCode, Value) {
    sandbox
        .call(
            "POST",
            &format!("/v1/b2b/organizations/{organization}/members"),
            Some(body),
        )
        .await
}

#[tokio::test]
async fn a_body_cannot_move_data_across_organizations() {
    let sandbox = sandbox();
    let victim = id_of(&sandbox.create("Victim", "victim-co").await);
    let attacker = id_of(&sandbox.create("Attacker", "attacker-co").await);
    let (_, body) = add_member(
        &sandbox,
        &victim,
        json!({"email_address": "ceo@victim.test"}),
    )
    .await;
    let victim_member = body["member_id"].as_str().unwrap().to_owned();
    let victim_roles = json!({"org_policy": {"roles": [{"role_id": "victim-role", "description": "", "permissions": []}]}});
    let (status, _) = sandbox
        .call(
            "PUT",
            &format!("/v1/b2b/rbac/organizations/{victim}"),
            Some(victim_roles),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // The update answers 200 (unknown and server-assigned keys are ignored,
    // as Stytch ignores them) and changes none of them.
    let forged = json!({
        "organization_id": victim,
        "created_at": "1970-01-01T00:00:00Z",
        "updated_at": "1970-01-01T00:00:00Z",
        "sso_active_connections": [{"connection_id": "forged"}],
        "scim_active_connection": {"connection_id": "forged"},
        "status": "deleted",
        "junk": "x".repeat(100_000),
    });
    let (status, body) = sandbox
        .call(
            "PUT",
            &format!("/v1/b2b/organizations/{attacker}"),
            Some(forged),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let organization = &body["organization"];
    assert_eq!(organization["organization_id"], json!(attacker));
    assert_ne!(organization["created_at"], json!("1970-01-01T00:00:00Z"));
    assert_eq!(organization["sso_active_connections"], json!([]));
    assert_eq!(organization["scim_active_connection"], Value::Null);
    assert!(organization.get("junk").is_none() && organization.get("status").is_none());
    // A wrongly typed id is ignored too, and breaks nothing afterwards.
    let (status, _) = sandbox
        .call(
            "PUT",
            &format!("/v1/b2b/organizations/{attacker}"),
            Some(json!({"organization_id": 12345})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // The attacker's organization is still its own in every handler.
    let (status, body) = sandbox
        .call(
            "GET",
            &format!("/v1/b2b/rbac/organizations/{attacker}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["org_policy"], json!({"roles": []}));
    let (status, _) = sandbox
        .call(
            "PUT",
            &format!("/v1/b2b/rbac/organizations/{attacker}"),
            Some(json!({"org_policy": {"roles": []}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, body) = sandbox
        .call("GET", &format!("/v1/b2b/rbac/organizations/{victim}"), None)
        .await;
    assert_eq!(
        body["org_policy"]["roles"][0]["role_id"],
        json!("victim-role")
    );
    let (status, body) = add_member(
        &sandbox,
        &attacker,
        json!({"email_address": "spy@attacker.test"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["member"]["organization_id"], json!(attacker));
    let (status, body) = sandbox
        .call(
            "DELETE",
            &format!("/v1/b2b/organizations/{attacker}/members/{victim_member}"),
            None,
        )
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "member_not_found");
    let (status, _) = sandbox
        .call(
            "GET",
            &format!("/v1/b2b/organizations/{victim}/member?member_id={victim_member}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // Search lists each organization once, and no junk.
    let (status, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations/search",
            Some(json!({"limit": 1})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let mut seen = vec![id_of(&body["organizations"][0])];
    let cursor = body["results_metadata"]["next_cursor"].clone();
    let (_, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations/search",
            Some(json!({"limit": 5, "cursor": cursor})),
        )
        .await;
    seen.extend(body["organizations"].as_array().unwrap().iter().map(id_of));
    seen.sort();
    let mut expected = vec![victim.clone(), attacker.clone()];
    expected.sort();
    assert_eq!(seen, expected);
    assert!(!body.to_string().contains("xxxxxxxx"));
}

#[tokio::test]
async fn server_assigned_fields_are_never_taken_on_create() {
    let sandbox = sandbox();
    let victim = id_of(&sandbox.create("Victim", "victim").await);
    let (status, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations",
            Some(json!({
                "organization_name": "Squatter",
                "organization_slug": "squatter",
                "organization_id": "victim",
                "created_at": "1970-01-01T00:00:00Z",
                "sso_active_connections": [{"connection_id": "forged"}],
            })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let squatter = &body["organization"];
    assert!(
        squatter["organization_id"]
            .as_str()
            .unwrap()
            .starts_with("organization-test-")
    );
    assert_ne!(squatter["created_at"], json!("1970-01-01T00:00:00Z"));
    assert_eq!(squatter["sso_active_connections"], json!([]));
    // The slug `victim` still finds the victim.
    let (_, body) = sandbox
        .call("GET", "/v1/b2b/organizations/victim", None)
        .await;
    assert_eq!(body["organization"]["organization_id"], json!(victim));

    let (status, body) = add_member(
        &sandbox,
        &victim,
        json!({
            "email_address": "ada@victim.test",
            "member_id": "member-chosen",
            "organization_id": "elsewhere",
            "status": "pending",
            "created_at": "1970-01-01T00:00:00Z",
        }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let member = &body["member"];
    assert!(
        member["member_id"]
            .as_str()
            .unwrap()
            .starts_with("member-test-")
    );
    assert_eq!(member["organization_id"], json!(victim));
    assert_eq!(member["status"], json!("active"));
    assert_ne!(member["created_at"], json!("1970-01-01T00:00:00Z"));
    let (status, _) = sandbox
        .call(
            "GET",
            &format!("/v1/b2b/organizations/{victim}/member?member_id=member-chosen"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn look_alike_slugs_and_emails_are_refused_or_collide() {
    let sandbox = sandbox();
    sandbox.create("Acme", "acme").await;
    for slug in ["ÉCOLE", "école", "ａｃｍｅ", "\u{430}cme"] {
        let (status, body) = sandbox
            .call(
                "POST",
                "/v1/b2b/organizations",
                Some(json!({"organization_name": "Look-alike", "organization_slug": slug})),
            )
            .await;
        assert_error(
            status,
            &body,
            StatusCode::BAD_REQUEST,
            "invalid_organization_slug",
        );
    }
    let (status, body) = add_member(
        &sandbox,
        "acme",
        json!({"email_address": "bob@EXÄMPLE.com"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for same in ["bob@xn--exmple-cua.com", "BOB@exämple.COM"] {
        let (status, body) = add_member(&sandbox, "acme", json!({"email_address": same})).await;
        assert_error(
            status,
            &body,
            StatusCode::BAD_REQUEST,
            "duplicate_member_email",
        );
    }
    for bad in [
        "bob@@example.com",
        "bob@exa@mple.com",
        "bob\u{0}@example.com",
        "bob@example.com\u{0}",
    ] {
        let (status, body) = add_member(&sandbox, "acme", json!({"email_address": bad})).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST, "invalid_email");
    }
}

#[tokio::test]
async fn an_error_answer_lists_at_most_100_problems() {
    let sandbox = sandbox();
    // About 1 MB of invalid domains: 200,000 problems.
    let domains: Vec<String> = (0..200_000).map(|i| format!("{i}")).collect();
    let body = json!({"organization_name": "Big", "organization_slug": "big", "email_allowed_domains": domains});
    let text = body.to_string();
    let request = Request::builder()
        .method("POST")
        .uri("/v1/b2b/organizations")
        .header("authorization", &sandbox.authorization)
        .header("content-type", "application/json")
        .body(Body::from(text.clone()))
        .unwrap();
    let (status, bytes) = sandbox.reply(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        bytes.len() < 20_000,
        "a {} byte request answered {} bytes",
        text.len(),
        bytes.len()
    );
    let answer: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(answer["error_type"], json!("invalid_email_domain"));
    assert_eq!(answer["errors"].as_array().unwrap().len(), 100);
    assert_eq!(answer["errors_total"], json!(200_000));
    assert!(
        answer["error_message"]
            .as_str()
            .unwrap()
            .contains("and 199900 more problems")
    );
}

#[tokio::test]
async fn searches_are_bounded() {
    use orgpolicy_api::organization::{
        SEARCH_OPERANDS_MAX, SEARCH_VALUE_MAX_CHARS, SEARCH_VALUES_MAX,
    };
    let sandbox = sandbox();
    sandbox.create("Acme", "acme").await;
    let operand =
        |values: Vec<String>| json!({"filter_name": "organization_slugs", "filter_value": values});
    let search = |operands: Vec<Value>| json!({"query": {"operator": "OR", "operands": operands}});
    let too_many_operands = search(
        (0..=SEARCH_OPERANDS_MAX)
            .map(|i| operand(vec![format!("s{i}")]))
            .collect(),
    );
    let too_many_values = search(vec![
        operand(
            (0..SEARCH_VALUES_MAX / 2)
                .map(|i| format!("a{i}"))
                .collect(),
        ),
        operand(
            (0..=SEARCH_VALUES_MAX / 2)
                .map(|i| format!("b{i}"))
                .collect(),
        ),
    ]);
    let too_long = search(vec![operand(vec!["a".repeat(SEARCH_VALUE_MAX_CHARS + 1)])]);
    for (body, pointer) in [
        (too_many_operands, "/query/operands"),
        (too_many_values, "/query/operands"),
        (too_long, "/query/operands/0/filter_value"),
    ] {
        let (status, answer) = sandbox
            .call("POST", "/v1/b2b/organizations/search", Some(body))
            .await;
        assert_error(
            status,
            &answer,
            StatusCode::BAD_REQUEST,
            "invalid_search_query",
        );
        assert_eq!(answer["errors"][0]["path"], json!(pointer), "{answer}");
        // One error; `OR` adds its deprecation warning after it.
        let severities: Vec<&str> = strings(&answer["errors"], "severity");
        assert_eq!(severities, vec!["error", "warning"], "{answer}");
    }
    // The heaviest search allowed answers.
    let per = SEARCH_VALUES_MAX / SEARCH_OPERANDS_MAX;
    let heaviest = search(
        (0..SEARCH_OPERANDS_MAX)
            .map(|o| {
                operand(
                    (0..per)
                        .map(|v| {
                            if o == 7 && v == 3 {
                                "ACME".to_owned()
                            } else {
                                format!("{o}-{v}-{}", "x".repeat(400))
                            }
                        })
                        .collect(),
                )
            })
            .collect(),
    );
    let (status, answer) = sandbox
        .call("POST", "/v1/b2b/organizations/search", Some(heaviest))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer["organizations"][0]["organization_slug"],
        json!("acme")
    );
    let (status, answer) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations/members/search",
            Some(json!({"organization_ids": vec!["acme"; 1001]})),
        )
        .await;
    assert_error(
        status,
        &answer,
        StatusCode::BAD_REQUEST,
        "invalid_search_query",
    );
}

#[tokio::test]
async fn the_slug_search_is_an_organization_for_every_method_but_post() {
    let sandbox = sandbox();
    let id = id_of(&sandbox.create("Search Co", "search").await);
    let (status, body) = sandbox
        .call("GET", "/v1/b2b/organizations/search", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["organization"]["organization_id"], json!(id));
    let (status, body) = sandbox
        .call(
            "PUT",
            "/v1/b2b/organizations/search",
            Some(json!({"organization_name": "Renamed"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["organization"]["organization_name"], json!("Renamed"));
    let (status, body) = sandbox
        .call("POST", "/v1/b2b/organizations/search", Some(json!({})))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["organizations"].as_array().unwrap().len(), 1);
    let (status, body) = sandbox
        .call("DELETE", "/v1/b2b/organizations/search", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["organization_id"], json!(id));
}

#[tokio::test]
async fn member_search_resolves_slugs_like_every_other_lookup() {
    let sandbox = sandbox();
    let id = id_of(&sandbox.create("Acme", "acme").await);
    add_member(&sandbox, "acme", json!({"email_address": "ada@acme.test"})).await;
    let (status, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations/members/search",
            Some(json!({"organization_ids": ["acme"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["members"].as_array().unwrap().len(), 1);
    assert_eq!(body["members"][0]["organization_id"], json!(id));
    assert!(body["organizations"].get(&id).is_some());
}

#[tokio::test]
async fn metadata_nulls_delete_keys_on_create_as_on_update() {
    let sandbox = sandbox();
    let (status, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations",
            Some(json!({"organization_name": "Acme", "organization_slug": "acme", "trusted_metadata": {"keep": 1, "gone": null}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["organization"]["trusted_metadata"], json!({"keep": 1}));
    let (_, body) = add_member(
        &sandbox,
        "acme",
        json!({"email_address": "ada@acme.test", "untrusted_metadata": {"a": null, "b": 2}}),
    )
    .await;
    assert_eq!(body["member"]["untrusted_metadata"], json!({"b": 2}));
}

#[tokio::test]
async fn a_concurrent_delete_is_not_found_never_an_internal_error() {
    let sandbox = Arc::new(sandbox());
    for round in 0..20 {
        let slug = format!("racing-{round}");
        sandbox.create("Racing", &slug).await;
        let mut tasks = Vec::new();
        for writer in 0..6 {
            let sandbox = Arc::clone(&sandbox);
            let slug = slug.clone();
            tasks.push(tokio::spawn(async move {
                if writer == 3 {
                    sandbox
                        .call("DELETE", &format!("/v1/b2b/organizations/{slug}"), None)
                        .await
                } else if writer % 2 == 0 {
                    add_member(
                        &sandbox,
                        &slug,
                        json!({"email_address": format!("m{writer}@racing.test")}),
                    )
                    .await
                } else {
                    sandbox
                        .call(
                            "PUT",
                            &format!("/v1/b2b/rbac/organizations/{slug}"),
                            Some(json!({"org_policy": {"roles": []}})),
                        )
                        .await
                }
            }));
        }
        for task in tasks {
            let (status, body) = task.await.unwrap();
            assert!(
                status == StatusCode::OK || status == StatusCode::NOT_FOUND,
                "{status}: {body}"
            );
        }
    }
}

#[tokio::test]
async fn bodies_must_be_json() {
    let sandbox = sandbox();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        None,
    ] {
        let mut request = Request::builder()
            .method("POST")
            .uri("/v1/b2b/organizations")
            .header("authorization", &sandbox.authorization);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let request = request
            .body(Body::from(
                r#"{"organization_name":"Form","organization_slug":"form"}"#,
            ))
            .unwrap();
        let (status, _) = sandbox.reply(request).await;
        assert_eq!(
            status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
    }
    let (status, _) = sandbox
        .call("GET", "/v1/b2b/organizations/form", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn deleted_members_stay_until_reactivated_and_search_finds_them_when_asked() {
    let sandbox = sandbox();
    let org = id_of(&sandbox.create("Acme", "acme").await);
    let (_, body) = add_member(
        &sandbox,
        &org,
        json!({"email_address": "ada@acme.test", "is_breakglass": true}),
    )
    .await;
    let ada = body["member_id"].as_str().unwrap().to_owned();
    let (_, body) = add_member(&sandbox, &org, json!({"email_address": "bob@acme.test", "create_member_as_pending": true, "roles": ["stytch_admin"]})).await;
    assert_eq!(body["member"]["status"], json!("pending"));
    let bob = body["member_id"].as_str().unwrap().to_owned();
    let search = |query: Value| json!({"organization_ids": [org.clone()], "query": query});
    let found = |body: &Value| -> Vec<String> {
        strings(&body["members"], "member_id")
            .into_iter()
            .map(str::to_owned)
            .collect()
    };

    let (status, _) = sandbox
        .call(
            "DELETE",
            &format!("/v1/b2b/organizations/{org}/members/{ada}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Gone for get, update, delete and the default search...
    let (status, body) = sandbox
        .call(
            "GET",
            &format!("/v1/b2b/organizations/{org}/member?member_id={ada}"),
            None,
        )
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "member_not_found");
    let (status, _) = sandbox
        .call(
            "DELETE",
            &format!("/v1/b2b/organizations/{org}/members/{ada}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations/members/search",
            Some(search(json!({"operator": "AND", "operands": []}))),
        )
        .await;
    assert_eq!(found(&body), vec![bob.clone()]);
    let (_, body) = sandbox
        .call("GET", &format!("/v1/b2b/organizations/{org}/metrics"), None)
        .await;
    assert_eq!(body["member_count"], json!(1));
    // ...found when asked for...
    let (status, body) = sandbox
        .call(
            "GET",
            &format!("/v1/b2b/organizations/members/dangerously_get/{ada}"),
            None,
        )
        .await;
    assert_error(status, &body, StatusCode::NOT_FOUND, "member_not_found");
    let (status, body) = sandbox
        .call(
            "GET",
            &format!("/v1/b2b/organizations/members/dangerously_get/{ada}?include_deleted=true"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["member"]["status"], json!("deleted"));
    let statuses = json!({"operator": "AND", "operands": [{"filter_name": "statuses", "filter_value": ["deleted"]}]});
    let (_, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations/members/search",
            Some(search(statuses)),
        )
        .await;
    assert_eq!(found(&body), vec![ada.clone()]);
    // ...its address is free meanwhile, so reactivating checks it again.
    let (status, _) = add_member(&sandbox, &org, json!({"email_address": "ada@acme.test"})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = sandbox
        .call(
            "PUT",
            &format!("/v1/b2b/organizations/{org}/members/{ada}/reactivate"),
            None,
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "reactivation_email_belongs_to_another_member",
    );
    let (_, body) = sandbox.call("POST", "/v1/b2b/organizations/members/search", Some(search(json!({"operator": "AND", "operands": [{"filter_name": "member_emails", "filter_value": ["ada@acme.test"]}]})))).await;
    let newer = found(&body).pop().unwrap();
    sandbox
        .call(
            "DELETE",
            &format!("/v1/b2b/organizations/{org}/members/{newer}"),
            None,
        )
        .await;
    let (status, body) = sandbox
        .call(
            "PUT",
            &format!("/v1/b2b/organizations/{org}/members/{ada}/reactivate"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["member"]["status"], json!("active"));
    // Only a deleted member can be reactivated.
    let (status, body) = sandbox
        .call(
            "PUT",
            &format!("/v1/b2b/organizations/{org}/members/{ada}/reactivate"),
            None,
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::NOT_FOUND,
        "no_deleted_member_found_for_reactivation",
    );

    // The member filters, and the organizations map of the members returned.
    for (query, expected) in [
        (
            json!({"filter_name": "member_is_breakglass", "filter_value": true}),
            vec![ada.clone()],
        ),
        (
            json!({"filter_name": "member_roles", "filter_value": ["stytch_admin"]}),
            vec![bob.clone()],
        ),
        (
            json!({"filter_name": "statuses", "filter_value": ["pending"]}),
            vec![bob.clone()],
        ),
        (
            json!({"filter_name": "member_ids", "filter_value": [ada.clone()]}),
            vec![ada.clone()],
        ),
        (
            json!({"filter_name": "member_password_exists", "filter_value": true}),
            vec![],
        ),
    ] {
        let (status, body) = sandbox
            .call(
                "POST",
                "/v1/b2b/organizations/members/search",
                Some(search(
                    json!({"operator": "AND", "operands": [query.clone()]}),
                )),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(found(&body), expected, "{query}");
        let organizations = body["organizations"].as_object().unwrap();
        assert_eq!(
            organizations.len(),
            usize::from(!expected.is_empty()),
            "{query}"
        );
    }
    // Organization filters are not member filters.
    let (status, body) = sandbox
        .call("POST", "/v1/b2b/organizations/members/search", Some(search(json!({"operator": "AND", "operands": [{"filter_name": "organization_slugs", "filter_value": ["acme"]}]}))))
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "member_search_filter_name_not_recognized",
    );
    let (status, body) = sandbox
        .call("POST", "/v1/b2b/organizations/members/search", Some(search(json!({"operator": "AND", "operands": [{"filter_name": "statuses", "filter_value": ["gone"]}]}))))
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "search_invalid_status_filter",
    );
}

#[tokio::test]
async fn restricted_settings_need_their_list_after_an_update_is_merged() {
    let sandbox = sandbox();
    let org = id_of(&sandbox.create("Acme", "acme").await);
    let path = format!("/v1/b2b/organizations/{org}");
    let (status, body) = sandbox
        .call("PUT", &path, Some(json!({"auth_methods": "RESTRICTED"})))
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "allowed_auth_methods_required_for_restricted",
    );
    let (status, _) = sandbox
        .call("PUT", &path, Some(json!({"allowed_auth_methods": ["sso"]})))
        .await;
    assert_eq!(status, StatusCode::OK);
    // The stored list now satisfies the setting.
    let (status, body) = sandbox
        .call("PUT", &path, Some(json!({"auth_methods": "RESTRICTED"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["organization"]["auth_methods"], json!("RESTRICTED"));
    // Nothing was half-applied by the refused update.
    let (status, body) = sandbox
        .call(
            "PUT",
            &path,
            Some(json!({"mfa_methods": "RESTRICTED", "organization_name": "Renamed"})),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "allowed_mfa_methods_required_for_restricted",
    );
    let (_, body) = sandbox.call("GET", &path, None).await;
    assert_eq!(body["organization"]["organization_name"], json!("Acme"));
}

#[tokio::test]
async fn external_ids_stand_for_ids_and_stay_unique() {
    let sandbox = sandbox();
    let (status, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations",
            Some(json!({"organization_name": "Acme", "organization_slug": "acme", "organization_external_id": "crm|42"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let org = id_of(&body["organization"]);
    assert_eq!(
        body["organization"]["organization_external_id"],
        json!("crm|42")
    );
    // The escaped pipe reaches the handler decoded, and finds the organization.
    let (status, body) = sandbox
        .call("GET", "/v1/b2b/organizations/crm%7C42", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["organization"]["organization_id"], json!(org));
    let (status, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations",
            Some(json!({"organization_name": "Other", "organization_slug": "other", "organization_external_id": "crm|42"})),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "organization_external_id_already_used",
    );
    let (status, body) = sandbox
        .call(
            "POST",
            "/v1/b2b/organizations",
            Some(json!({"organization_name": "Other", "organization_slug": "other", "organization_external_id": "no spaces"})),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "invalid_external_id",
    );

    let (_, body) = add_member(
        &sandbox,
        "crm%7C42",
        json!({"email_address": "ada@acme.test", "external_id": "emp-7"}),
    )
    .await;
    let ada = body["member_id"].as_str().unwrap().to_owned();
    assert_eq!(body["member"]["external_id"], json!("emp-7"));
    let (status, body) = sandbox
        .call(
            "PUT",
            &format!("/v1/b2b/organizations/{org}/members/emp-7"),
            Some(json!({"name": "Ada"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["member"]["member_id"], json!(ada));
    let (status, body) = add_member(
        &sandbox,
        &org,
        json!({"email_address": "bob@acme.test", "external_id": "emp-7"}),
    )
    .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "duplicate_member_external_id",
    );

    let (status, body) = sandbox
        .call(
            "DELETE",
            &format!("/v1/b2b/organizations/{org}/members/{ada}/external_id"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["member"].get("external_id").is_none());
    let (status, body) = sandbox
        .call(
            "DELETE",
            &format!("/v1/b2b/organizations/{org}/external_id"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(
        body["organization"]
            .get("organization_external_id")
            .is_none()
    );
    let (status, _) = sandbox
        .call("GET", "/v1/b2b/organizations/crm%7C42", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
