//! Reading untrusted input: nothing panics, errors point into the document.

use orgpolicy_core::{ProblemCode, parse_organization_policy, parse_policy};
use proptest::prelude::*;
use serde_json::{Value, json};

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        proptest::sample::select(&["", "read", "*", "roles", "__proto__", "a/b~c"][..])
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                proptest::sample::select(
                    &[
                        "resources",
                        "roles",
                        "scopes",
                        "policy",
                        "org_policy",
                        "role_id",
                        "resource_id",
                        "actions",
                        "permissions",
                        "scope",
                        "description",
                        "constructor",
                        "__proto__",
                    ][..]
                )
                .prop_map(String::from),
                inner,
                0..6
            )
            .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// Any JSON value reads or fails with a pointer that resolves inside it.
    #[test]
    fn errors_point_into_the_document(value in arbitrary_json()) {
        let text = value.to_string();
        for result in [parse_policy(&text).map(|_| ()), parse_organization_policy(&text).map(|_| ())] {
            if let Err(error) = result {
                prop_assert_ne!(error.problem.code, ProblemCode::InvalidJson, "{}", error);
                prop_assert!(value.pointer(&error.problem.path).is_some(), "{} not in {}", error.problem.path, text);
            }
        }
    }

    /// Any text at all: an answer, never a panic.
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        let _ = parse_policy(&text);
        let _ = parse_organization_policy(&text);
    }
}

#[test]
fn huge_strings_are_read_whole() {
    let id = "r".repeat(1 << 20);
    let text = json!({"resources": [{"resource_id": id, "actions": ["a"]}]}).to_string();
    let doc = parse_policy(&text).unwrap();
    assert_eq!(doc.policy.resources[0].resource_id.len(), 1 << 20);
}

#[test]
fn prototype_polluting_keys_are_plain_unknown_fields() {
    let text = r#"{"__proto__": {"roles": [1]}, "constructor": {"prototype": {}}, "roles": []}"#;
    let doc = parse_policy(text).unwrap();
    assert!(doc.policy.roles.is_empty());
}

#[test]
fn wrapped_documents_report_their_base() {
    let doc = parse_policy(r#"{"status_code": 200, "policy": {"roles": []}}"#).unwrap();
    assert_eq!(doc.base, "/policy");
    let doc =
        parse_organization_policy(r#"{"request_id": "x", "org_policy": {"roles": []}}"#).unwrap();
    assert_eq!(doc.base, "/org_policy");
    let error =
        parse_organization_policy(r#"{"org_policy": {"roles": [{"role_id": []}]}}"#).unwrap_err();
    assert_eq!(error.problem.path, "/org_policy/roles/0/role_id");
    assert_eq!(error.problem.code, ProblemCode::InvalidType);
}

#[test]
fn syntax_errors_say_where() {
    let error = parse_policy("{\n  \"roles\": [,]\n}").unwrap_err();
    assert_eq!(error.problem.code, ProblemCode::InvalidJson);
    assert!(
        error.problem.message.contains("line 2"),
        "{}",
        error.problem.message
    );
}
