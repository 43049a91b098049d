//! The console's components in a real browser (wasm-bindgen-test in
//! headless Chromium): pure helpers that need the browser's URL parser, and
//! the mounted app driven through DOM events.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use orgpolicy_console::app::{Route, route_from_hash};
use orgpolicy_console::gateway::validate_url;
use orgpolicy_console::http::{Class, classify, pretty_json};
use orgpolicy_console::playground::{check_draft, matrix, members_of};
use orgpolicy_console::tryit::{endpoint, request_for};
use serde_json::json;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Lets the reactive system and the DOM settle (a macrotask later).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn by_id<T: JsCast>(id: &str) -> T {
    document()
        .get_element_by_id(id)
        .unwrap_or_else(|| panic!("no #{id}"))
        .dyn_into::<T>()
        .unwrap()
}

fn text(id: &str) -> String {
    by_id::<web_sys::Element>(id)
        .text_content()
        .unwrap_or_default()
}

/// Fires a bubbling event, as a user's edit would (Leptos delegates events
/// to the document).
fn fire(target: &web_sys::EventTarget, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    target.dispatch_event(&event).unwrap();
}

fn type_into(id: &str, value: &str) {
    let input = by_id::<web_sys::HtmlInputElement>(id);
    input.set_value(value);
    fire(&input, "input");
}

fn type_into_textarea(id: &str, value: &str) {
    let area = by_id::<web_sys::HtmlTextAreaElement>(id);
    area.set_value(value);
    fire(&area, "input");
}

/// Mounts the whole console in a fresh container; unmounted when dropped.
fn mount() -> impl Drop {
    // A failed test (a panic aborts, nothing unwinds) leaves its app behind.
    let stale = document().query_selector_all(".test-mount").unwrap();
    for index in 0..stale.length() {
        let node = stale.item(index).unwrap();
        node.parent_node().unwrap().remove_child(&node).unwrap();
    }
    let container = document().create_element("div").unwrap();
    container.set_class_name("test-mount");
    document().body().unwrap().append_child(&container).unwrap();
    leptos::mount::mount_to(container.unchecked_into(), orgpolicy_console::App)
}

#[wasm_bindgen_test]
fn runs_in_a_browser() {
    let agent = web_sys::window().unwrap().navigator().user_agent().unwrap();
    assert!(agent.contains("Chrome"), "{agent}");
}

#[wasm_bindgen_test]
fn gateway_urls_are_origins() {
    assert_eq!(
        validate_url(" http://127.0.0.1:8787/ ").unwrap(),
        "http://127.0.0.1:8787"
    );
    assert_eq!(
        validate_url("https://gateway.example.com").unwrap(),
        "https://gateway.example.com"
    );
    for bad in [
        "",
        "127.0.0.1:8787",
        "javascript:alert(1)",
        "ftp://example.com",
        "http://user:secret@127.0.0.1:8787",
        "http://127.0.0.1:8787/v1",
        "http://127.0.0.1:8787/?gateway=x",
        "http://127.0.0.1:8787/#x",
    ] {
        assert!(validate_url(bad).is_err(), "{bad} was accepted");
    }
}

#[wasm_bindgen_test]
fn deep_links_choose_a_view_never_a_gateway() {
    assert_eq!(
        route_from_hash("#/try/members.create"),
        Route::Try("members.create".into())
    );
    assert_eq!(route_from_hash("#/playground"), Route::Playground);
    assert_eq!(
        route_from_hash("#/try/nope?gateway=http://evil"),
        Route::Try("organizations.create".into())
    );
    assert_eq!(
        route_from_hash(""),
        Route::Try("organizations.create".into())
    );
}

#[wasm_bindgen_test]
fn responses_keep_64_bit_integers_and_key_order() {
    let text =
        r#"{"zeta":18446744073709551615,"alpha":-9223372036854775808,"ratio":1.5,"n":[1,2]}"#;
    let pretty = pretty_json(text).unwrap();
    assert!(pretty.contains("18446744073709551615"), "{pretty}");
    assert!(pretty.contains("-9223372036854775808"), "{pretty}");
    assert!(pretty.find("zeta").unwrap() < pretty.find("alpha").unwrap());
    assert!(pretty.contains('\n'));
    assert_eq!(pretty_json("not json"), None);
    assert_eq!(pretty_json("{} trailing"), None);
}

#[wasm_bindgen_test]
fn failures_are_classified() {
    let (class, hint) = classify(421, Some("host_not_allowed"), None);
    assert_eq!(class, Class::Gateway("host_not_allowed".into()));
    assert!(hint.unwrap().contains("Host"));
    let body = json!({"error_type": "organization_not_found", "status_code": 404});
    let (class, hint) = classify(404, None, Some(&body));
    assert_eq!(
        class,
        Class::Upstream(Some("organization_not_found".into()))
    );
    assert!(hint.is_some());
    assert_eq!(classify(200, None, None), (Class::Success, None));
}

#[wasm_bindgen_test]
fn an_invalid_path_parameter_is_sent_encoded_not_reinterpreted() {
    let get = endpoint("organizations.get").unwrap();
    let mut params = BTreeMap::new();
    params.insert("organization_id".to_owned(), "a/../b c".to_owned());
    let request = request_for(&get, &params, &json!({}));
    assert_eq!(request.path, "/v1/b2b/organizations/a%2F..%2Fb%20c");
    assert!(request.body.is_none());
    params.insert("organization_id".to_owned(), "org-1".to_owned());
    assert_eq!(
        request_for(&get, &params, &json!({})).path,
        "/v1/b2b/organizations/org-1"
    );
}

#[wasm_bindgen_test]
fn playground_helpers_follow_the_core() {
    let project: orgpolicy_core::Policy = serde_json::from_value(json!({
        "resources": [{"resource_id": "docs", "description": "", "actions": ["read", "write"]}],
        "roles": [{"role_id": "stytch_member", "description": "", "permissions": [{"resource_id": "docs", "actions": ["read"]}]}],
        "scopes": []
    }))
    .unwrap();
    let (organization, warnings) = check_draft(
        Some(&project),
        r#"{"roles":[{"role_id":"writer","description":"","permissions":[{"resource_id":"docs","actions":["*"]}]}]}"#,
    )
    .unwrap();
    assert!(warnings.is_empty());
    let rows = matrix(
        &project,
        Some(&organization),
        "org-1",
        &["writer".to_owned()],
    );
    assert_eq!(rows.len(), 1);
    let mut engine = orgpolicy_core::Engine::new(project.clone());
    engine.set_organization_policy("org-1", organization.clone());
    for (action, explanation) in &rows[0].1 {
        let subject = orgpolicy_core::Subject {
            organization_id: Some("org-1".into()),
            roles: vec!["writer".into()],
        };
        let check = orgpolicy_core::AuthorizationCheck {
            organization_id: Some("org-1".into()),
            resource_id: "docs".into(),
            action: action.clone(),
        };
        assert_eq!(
            explanation.decision.is_allowed(),
            engine.is_authorized(&subject, &check)
        );
    }
    let problems =
        check_draft(Some(&project), r#"{"roles":[{"role_id":"stytch_member"}]}"#).unwrap_err();
    assert!(!problems.is_empty());
    let members = members_of(&json!({"members": [{
        "member_id": "member-1", "email_address": "a@example.com",
        "roles": [{"role_id": "stytch_member", "sources": []}, {"role_id": "writer", "sources": []}]
    }]}));
    assert_eq!(members[0].roles, ["stytch_member", "writer"]);
}

#[wasm_bindgen_test]
async fn the_form_validates_and_the_snippet_follows_every_keystroke() {
    let _app = mount();
    settle().await;
    let links = document()
        .query_selector_all("nav.endpoints a.endpoint-link")
        .unwrap();
    assert_eq!(
        links.length() as usize,
        orgpolicy_api::catalog::catalog().len()
    );
    // An untouched new form flags nothing yet.
    assert_eq!(text("e-organization_slug"), "");

    type_into("f-organization_name", "Acme");
    type_into("f-organization_slug", "bad slug");
    settle().await;
    assert!(!text("e-organization_slug").is_empty());
    let slug = by_id::<web_sys::HtmlInputElement>("f-organization_slug");
    assert_eq!(slug.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(text("snippet").contains("bad slug"), "{}", text("snippet"));

    type_into("f-organization_name", "O'Brien");
    type_into("f-organization_slug", "obrien");
    settle().await;
    assert_eq!(text("e-organization_slug"), "");
    assert!(
        text("snippet").contains(r"O'\''Brien"),
        "{}",
        text("snippet")
    );

    // The JSON view follows the form, and the form follows the JSON view.
    let json_view = by_id::<web_sys::HtmlTextAreaElement>("json-body").value();
    let body: serde_json::Value = serde_json::from_str(&json_view).unwrap();
    assert_eq!(
        body,
        json!({"organization_name": "O'Brien", "organization_slug": "obrien"})
    );
    type_into_textarea(
        "json-body",
        r#"{"organization_name": "Renamed", "organization_slug": "renamed"}"#,
    );
    settle().await;
    assert_eq!(
        by_id::<web_sys::HtmlInputElement>("f-organization_name").value(),
        "Renamed"
    );
    type_into_textarea("json-body", "{ not json");
    settle().await;
    assert!(text("json-body-error").contains("not valid JSON"));
    // The last valid body is kept.
    assert!(text("snippet").contains("Renamed"));
}

#[wasm_bindgen_test]
async fn send_with_problems_offers_send_anyway() {
    let _app = mount();
    settle().await;
    by_id::<web_sys::HtmlElement>("send").click();
    settle().await;
    // The missing required fields now show, and nothing was sent.
    assert!(text("e-organization_name").contains("organization_name"));
    assert!(document().get_element_by_id("send-anyway").is_some());
    assert!(text("response-title").contains("Response"));
    assert!(document().get_element_by_id("response-status").is_none());
}

#[wasm_bindgen_test]
async fn selects_write_booleans_and_enum_strings() {
    let _app = mount();
    settle().await;
    let open = |id: &str| {
        document()
            .query_selector(&format!(r##"a[href="#/try/{id}"]"##))
            .unwrap()
            .unwrap()
            .unchecked_into::<web_sys::HtmlElement>()
            .click();
    };
    let body = || -> serde_json::Value {
        serde_json::from_str(&by_id::<web_sys::HtmlTextAreaElement>("json-body").value()).unwrap()
    };
    open("members.create");
    settle().await;
    let change = |id: &str, value: &str| {
        let select = by_id::<web_sys::HtmlSelectElement>(id);
        select.set_value(value);
        fire(&select, "change");
    };
    change("f-is_breakglass", "true");
    settle().await;
    assert_eq!(body()["is_breakglass"], json!(true));
    change("f-is_breakglass", "false");
    settle().await;
    assert_eq!(body()["is_breakglass"], json!(false));
    change("f-is_breakglass", "");
    settle().await;
    assert!(body().get("is_breakglass").is_none());
    open("organizations.create");
    settle().await;
    change("f-mfa_policy", "REQUIRED_FOR_ALL");
    settle().await;
    assert_eq!(body()["mfa_policy"], json!("REQUIRED_FOR_ALL"));
}

#[wasm_bindgen_test]
fn the_role_editor_toggles_actions_and_wildcards() {
    use orgpolicy_console::roles::{fresh_role_id, has_action, toggle};
    use orgpolicy_core::{OrganizationPolicy, Role};
    let mut role = Role {
        role_id: "r".into(),
        description: String::new(),
        permissions: Vec::new(),
    };
    toggle(&mut role, "documents", "read", true);
    toggle(&mut role, "documents", "write", true);
    assert!(has_action(&role, "documents", "read") && has_action(&role, "documents", "write"));
    toggle(&mut role, "documents", "*", true);
    assert_eq!(role.permissions[0].actions, vec!["*".to_owned()]);
    toggle(&mut role, "documents", "share", true);
    assert_eq!(role.permissions[0].actions, vec!["share".to_owned()]);
    toggle(&mut role, "documents", "share", false);
    assert!(
        role.permissions.is_empty(),
        "an empty permission is removed"
    );
    toggle(&mut role, "reports", "read", false);
    assert!(role.permissions.is_empty());
    let mut policy = OrganizationPolicy::default();
    assert_eq!(fresh_role_id(&policy), "custom-role");
    policy.roles.push(Role {
        role_id: "custom-role".into(),
        ..role
    });
    assert_eq!(fresh_role_id(&policy), "custom-role-2");
}

#[wasm_bindgen_test]
fn writes_ask_for_confirmation_when_they_cannot_be_undone_or_reach_a_live_project() {
    use orgpolicy_console::tryit::confirmation;
    let id = |id| endpoint(id).unwrap();
    assert!(
        confirmation(&id("organizations.delete"), false, false)
            .is_some_and(|r| r.contains("cannot be undone"))
    );
    assert!(confirmation(&id("organizations.update"), false, false).is_none());
    assert!(
        confirmation(&id("organizations.update"), true, false)
            .is_some_and(|r| r.contains("Replaying"))
    );
    assert!(confirmation(&id("organizations.get"), true, false).is_none());
    assert!(
        confirmation(&id("members.create"), false, true)
            .is_some_and(|r| r.contains("live project"))
    );
    assert!(confirmation(&id("organizations.get"), false, true).is_none());
}
