//! The `#[wasm_bindgen]` shims, in wasm: under Node by default, in headless
//! Chromium with `WASM_BINDGEN_USE_BROWSER=1` (see `cargo xtask test`).
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code"
)]

use orgpolicy_wasm::{Engine, validate_policy_js};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const POLICY: &str = r#"{"resources": [{"resource_id": "docs", "actions": ["read", "write"]}],
    "roles": [{"role_id": "reader", "permissions": [{"resource_id": "docs", "actions": ["read"]}]}]}"#;

fn get(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &key.into()).unwrap()
}

fn kind(value: &JsValue) -> String {
    get(value, "type").as_string().unwrap()
}

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

fn engine() -> Engine {
    Engine::from_policy(orgpolicy_core::parse_policy(POLICY).unwrap().policy)
}

#[wasm_bindgen_test]
fn load_answers_tagged_success_and_failure() {
    assert_eq!(kind(&Engine::load(POLICY.into())), "success");
    assert_eq!(kind(&Engine::load(json(POLICY))), "success");
    let failure = Engine::load(json(r#"{"roles": [{"role_id": 5}]}"#));
    assert_eq!(kind(&failure), "failure");
    let error = js_sys::Reflect::get_u32(&get(&failure, "errors"), 0).unwrap();
    assert_eq!(get(&error, "code").as_string().unwrap(), "invalid_type");
    assert_eq!(get(&error, "path").as_string().unwrap(), "/roles/0/role_id");
    assert_eq!(kind(&Engine::load(JsValue::UNDEFINED)), "failure");
    assert_eq!(kind(&Engine::load(JsValue::from(5))), "failure");
}

#[wasm_bindgen_test]
fn string_and_fast_paths_agree() {
    let engine = engine();
    let subject = json(r#"{"organization_id": "org-1", "roles": ["reader"]}"#);
    let read = json(r#"{"organization_id": "org-1", "resource_id": "docs", "action": "read"}"#);
    let write = json(r#"{"organization_id": "org-1", "resource_id": "docs", "action": "write"}"#);
    assert!(engine.is_authorized(&subject, &read));
    assert!(!engine.is_authorized(&subject, &write));
    assert_eq!(kind(&engine.authorize(subject.clone(), write)), "deny");
    let handle = get(&engine.resolve_subject(subject), "handle")
        .as_f64()
        .unwrap() as u32;
    let organization = engine.resolve_organization("org-1".into());
    let permission = engine.resolve_permission("docs".into(), "read".into());
    assert!(engine.check(handle, organization, permission));
    assert!(
        !engine.check(handle, u32::MAX, permission),
        "no organization: tenancy"
    );
    assert_eq!(
        engine.check_many(&[handle, organization, permission, handle, organization, 99]),
        vec![1, 0]
    );
    // The numbers-only entry of the JS `isAuthorized`: what `lookup` packs
    // answers; anything else denies.
    let packed = f64::from(handle) * 4_294_967_296.0 + f64::from(permission);
    assert!(engine.check_cached(packed));
    for garbage in [
        f64::NAN,
        -1.0,
        -0.5,
        0.5,
        packed + 0.5,
        1e300,
        f64::INFINITY,
        packed + 99.0,
    ] {
        assert!(!engine.check_cached(garbage), "{garbage}");
    }
}

#[wasm_bindgen_test]
fn organization_policies_apply_and_bump_the_generation() {
    let engine = engine();
    let subject = json(r#"{"organization_id": "org-1", "roles": ["editor"]}"#);
    let write = json(r#"{"organization_id": "org-1", "resource_id": "docs", "action": "write"}"#);
    assert!(!engine.is_authorized(&subject, &write));
    let before = engine.generation();
    let set = engine.set_organization_policy(
        "org-1".into(),
        json(r#"{"roles": [{"role_id": "editor", "permissions": [{"resource_id": "docs", "actions": ["*"]}]}]}"#),
    );
    assert_eq!(kind(&set), "success");
    assert_eq!(engine.generation(), before + 1);
    assert!(engine.is_authorized(&subject, &write));
    assert!(engine.remove_organization_policy("org-1".into()));
    assert!(!engine.is_authorized(&subject, &write));
    assert_eq!(
        kind(&engine.set_organization_policy(JsValue::from(1), json("{}"))),
        "failure"
    );
}

#[wasm_bindgen_test]
fn validation_reports_with_pointers() {
    let report = validate_policy_js(json(
        r#"{"policy": {"roles": [{"role_id": "", "permissions": []}]}}"#,
    ));
    assert_eq!(kind(&report), "success");
    assert_eq!(get(&report, "valid").as_bool(), Some(false));
    let error = js_sys::Reflect::get_u32(&get(&report, "errors"), 0).unwrap();
    assert_eq!(
        get(&error, "path").as_string().unwrap(),
        "/policy/roles/0/role_id"
    );
}
