//! Organization bodies, metadata limits and merge, search queries.

use orgpolicy_api::organization::{
    FilterValue, METADATA_MAX_BYTES, Mode, Origin, SearchOperator, is_valid_slug, merge_metadata,
    parse_search_query, validate_metadata, validate_organization_body,
};
use orgpolicy_core::Severity;
use orgpolicy_core::problem::Pointer;
use serde_json::{Map, Value, json};

fn errors(body: &Value, mode: Mode, origin: Origin) -> Vec<(String, String)> {
    validate_organization_body(body, mode, origin)
        .into_iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.code.as_str().to_owned(), p.path))
        .collect()
}

fn pair(code: &str, path: &str) -> (String, String) {
    (code.to_owned(), path.to_owned())
}

#[test]
fn a_full_valid_create_body() {
    let body = json!({
        "organization_name": "Acme, Inc.",
        "organization_slug": "acme-inc",
        "email_jit_provisioning": "RESTRICTED",
        "email_invites": "ALL_ALLOWED",
        "sso_jit_provisioning": "NOT_ALLOWED",
        "auth_methods": "RESTRICTED",
        "allowed_auth_methods": ["sso", "magic_link", "hubspot_oauth"],
        "mfa_policy": "REQUIRED_FOR_ALL",
        "mfa_methods": "RESTRICTED",
        "allowed_mfa_methods": ["totp"],
        "oauth_tenant_jit_provisioning": "NOT_ALLOWED",
        "email_allowed_domains": ["acme.com", "eu.acme.co.uk"],
        "rbac_email_implicit_role_assignments": [{"domain": "acme.com", "role_id": "editor"}],
        "trusted_metadata": {"plan": "enterprise", "seats": 50}
    });
    assert_eq!(
        validate_organization_body(&body, Mode::Create, Origin::Backend),
        vec![]
    );
}

#[test]
fn every_problem_at_once_with_pointers() {
    let body = json!({
        "organization_name": "x".repeat(129),
        "organization_slug": "a",
        "email_invites": "SOMETIMES",
        "allowed_auth_methods": ["sso", "carrier_pigeon", 7],
        "mfa_policy": 1,
        "email_allowed_domains": ["acme.com", "not a domain", "@acme.com"],
        "rbac_email_implicit_role_assignments": [{"domain": "acme", "role_id": ""}, {"role_id": "x"}, "nope"],
        "trusted_metadata": ["not", "an", "object"],
        "organisation_name": "typo"
    });
    assert_eq!(
        errors(&body, Mode::Create, Origin::Backend),
        vec![
            pair("invalid_organization_name", "/organization_name"),
            pair("invalid_organization_slug", "/organization_slug"),
            pair("invalid_organization_auth_factor_setting", "/email_invites"),
            pair("invalid_type", "/mfa_policy"),
            pair(
                "invalid_organization_allowed_auth_methods",
                "/allowed_auth_methods/1"
            ),
            pair("invalid_type", "/allowed_auth_methods/2"),
            pair("invalid_email_domain", "/email_allowed_domains/1"),
            pair("invalid_email_domain", "/email_allowed_domains/2"),
            pair(
                "invalid_email_domain",
                "/rbac_email_implicit_role_assignments/0/domain"
            ),
            pair(
                "empty_rbac_role_id",
                "/rbac_email_implicit_role_assignments/0/role_id"
            ),
            pair("missing_field", "/rbac_email_implicit_role_assignments/1"),
            pair("invalid_type", "/rbac_email_implicit_role_assignments/2"),
            pair("metadata_invalid_format", "/trusted_metadata"),
        ]
    );
    let warnings: Vec<_> = validate_organization_body(&body, Mode::Create, Origin::Backend)
        .into_iter()
        .filter(|p| p.severity == Severity::Warning)
        .map(|p| (p.code, p.path))
        .collect();
    assert_eq!(
        warnings,
        vec![(
            orgpolicy_api::codes::UNKNOWN_FIELD,
            "/organisation_name".to_owned()
        )]
    );
}

#[test]
fn names_count_characters_not_bytes() {
    let ok = json!({"organization_name": "é".repeat(128), "organization_slug": "ok"});
    assert_eq!(errors(&ok, Mode::Create, Origin::Backend), vec![]);
    let blank = json!({"organization_name": "   ", "organization_slug": "ok"});
    assert_eq!(
        errors(&blank, Mode::Create, Origin::Backend),
        vec![pair("invalid_organization_name", "/organization_name")]
    );
}

#[test]
fn slugs() {
    for good in [
        "ab",
        "acme-inc",
        "a.b_c~d",
        "12",
        "x".repeat(128).as_str(),
        // Stytch's rule is the character set and the length, nothing more.
        "--",
        "~.",
        "acme.",
    ] {
        assert!(is_valid_slug(good), "{good}");
    }
    for bad in [
        "",
        "a",
        // Look-alikes of ASCII slugs: accented, fullwidth, Cyrillic `а`.
        "über",
        "ÉCOLE",
        "ａｃｍｅ",
        "\u{430}cme",
        "ab cd",
        "a/b",
        "x".repeat(129).as_str(),
        "a@b",
    ] {
        assert!(!is_valid_slug(bad), "{bad}");
    }
}

#[test]
fn create_needs_name_and_slug_update_needs_neither() {
    assert_eq!(
        errors(&json!({}), Mode::Create, Origin::Backend),
        vec![
            pair("organization_name_missing", "/organization_name"),
            pair("missing_field", "")
        ]
    );
    assert_eq!(errors(&json!({}), Mode::Update, Origin::Backend), vec![]);
    assert_eq!(
        errors(&json!({"mfa_policy": null}), Mode::Update, Origin::Backend),
        vec![]
    );
    assert_eq!(
        errors(&json!([]), Mode::Update, Origin::Backend),
        vec![pair("invalid_type", "")]
    );
}

#[test]
fn a_frontend_may_never_write_trusted_metadata() {
    let body = json!({"trusted_metadata": {"plan": "free"}});
    assert_eq!(
        errors(&body, Mode::Update, Origin::Frontend),
        vec![pair("cannot_update_trusted_metadata", "/trusted_metadata")]
    );
    assert_eq!(errors(&body, Mode::Update, Origin::Backend), vec![]);
}

#[test]
fn metadata_limits_are_20_keys_and_4_kb() {
    let at = Pointer::root().key("trusted_metadata");
    let keys = |n: usize| Value::Object((0..n).map(|i| (format!("k{i}"), json!(i))).collect());
    assert!(validate_metadata(&keys(20), &at).is_empty());
    let too_many = validate_metadata(&keys(21), &at);
    assert_eq!(too_many.len(), 1);
    assert_eq!(
        too_many[0].code,
        orgpolicy_api::codes::METADATA_TOO_MANY_KEYS
    );
    assert_eq!(too_many[0].path, "/trusted_metadata");

    // {"k":"..."} is 8 bytes plus the string.
    let sized = |bytes: usize| json!({"k": "v".repeat(bytes - 8)});
    assert_eq!(
        sized(METADATA_MAX_BYTES).to_string().len(),
        METADATA_MAX_BYTES
    );
    assert!(validate_metadata(&sized(METADATA_MAX_BYTES), &at).is_empty());
    assert_eq!(
        validate_metadata(&sized(METADATA_MAX_BYTES + 1), &at)[0].code,
        orgpolicy_api::codes::METADATA_TOO_LARGE
    );
    assert_eq!(
        validate_metadata(&json!("text"), &at)[0].code,
        orgpolicy_api::codes::METADATA_INVALID_FORMAT
    );
}

#[test]
fn metadata_merges_at_the_top_level_and_null_deletes() {
    let existing: Map<String, Value> = json!({"a": 1, "b": {"x": 1}, "c": 3})
        .as_object()
        .unwrap()
        .clone();
    let update: Map<String, Value> = json!({"b": {"y": 2}, "c": null, "d": 4})
        .as_object()
        .unwrap()
        .clone();
    assert_eq!(
        Value::Object(merge_metadata(&existing, &update)),
        json!({"a": 1, "b": {"y": 2}, "d": 4})
    );
}

#[test]
fn search_defaults_and_a_full_query() {
    let query = parse_search_query(&json!({})).unwrap();
    assert_eq!(
        (query.limit, query.cursor, query.operands.len()),
        (100, None, 0)
    );
    let query = parse_search_query(&json!({
        "cursor": "abc", "limit": 1000,
        "query": {"operator": "OR", "operands": [
            {"filter_name": "organization_slugs", "filter_value": ["acme", "globex"]},
            {"filter_name": "organization_name_fuzzy", "filter_value": "acm"},
            {"filter_name": "has_active_sso_connection", "filter_value": true}
        ]}
    }))
    .unwrap();
    assert_eq!(query.operator, SearchOperator::Or);
    assert_eq!((query.limit, query.cursor.as_deref()), (1000, Some("abc")));
    assert_eq!(
        query.operands[1].filter_value,
        FilterValue::Text("acm".into())
    );
    assert_eq!(query.operands[2].filter_value, FilterValue::Flag(true));
    // `OR` still works, as Stytch keeps it for legacy use, with a warning.
    let warnings: Vec<(&str, &str)> = query
        .warnings
        .iter()
        .map(|p| (p.code.as_str(), p.path.as_str()))
        .collect();
    assert_eq!(
        warnings,
        vec![("search_operator_or_deprecated", "/query/operator")]
    );
    // Only the operator is required: no operands, no filtering.
    let query = parse_search_query(&json!({"query": {"operator": "AND"}})).unwrap();
    assert!(query.operands.is_empty() && query.warnings.is_empty());
}

#[test]
fn search_problems_all_at_once() {
    let problems = parse_search_query(&json!({
        "limit": 1001,
        "query": {"operator": "XOR", "operands": [
            {"filter_name": "organization_name_fuzzy", "filter_value": "ac"},
            {"filter_name": "favourite_colour", "filter_value": "blue"},
            {"filter_name": "organization_ids", "filter_value": "not-a-list"},
            {"filter_name": "member_emails", "filter_value": []}
        ]}
    }))
    .unwrap_err();
    let found: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.code.as_str(), p.path.as_str()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("invalid_search_limit", "/limit"),
            ("invalid_search_query", "/query/operator"),
            (
                "organization_search_organization_name_fuzzy_too_short",
                "/query/operands/0/filter_value"
            ),
            (
                "organization_search_filter_name_not_recognized",
                "/query/operands/1/filter_name"
            ),
            (
                "organization_search_expected_array_of_strings",
                "/query/operands/2/filter_value"
            ),
            (
                "organization_search_expected_array_of_strings",
                "/query/operands/3/filter_value"
            ),
        ]
    );
    for limit in [json!(0), json!(-1), json!(1.5), json!("10")] {
        assert!(parse_search_query(&json!({"limit": limit})).is_err());
    }
}

#[test]
fn member_bodies() {
    use orgpolicy_api::organization::{is_valid_email, validate_member_body};
    assert!(
        is_valid_email("ada@acme.test")
            && !is_valid_email("ada@")
            && !is_valid_email("a b@acme.test")
            && !is_valid_email("bob@@example.com")
            && !is_valid_email("bob@example.com@evil.test")
            && !is_valid_email("bob\u{0}@example.com")
            && !is_valid_email("bob@exa\u{7}mple.com")
            && is_valid_email("bob@exämple.com")
    );
    let codes = |body: Value, mode, origin| -> Vec<(String, String)> {
        validate_member_body(&body, mode, origin)
            .into_iter()
            .map(|p| (p.code.as_str().to_owned(), p.path))
            .collect()
    };
    assert_eq!(
        codes(
            json!({"email_address": "ada@acme.test", "roles": ["editor"]}),
            Mode::Create,
            Origin::Backend
        ),
        vec![]
    );
    assert_eq!(
        codes(
            json!({"email_address": "nope", "roles": ["", 3], "is_breakglass": "yes", "trusted_metadata": {}, "nickname": "x"}),
            Mode::Update,
            Origin::Frontend
        ),
        vec![
            pair("invalid_email", "/email_address"),
            pair("invalid_type", "/is_breakglass"),
            pair("empty_rbac_role_id", "/roles/0"),
            pair("invalid_type", "/roles/1"),
            pair("cannot_update_trusted_metadata", "/trusted_metadata"),
            pair("unknown_field", "/nickname"),
        ]
    );
    assert_eq!(
        codes(json!({}), Mode::Create, Origin::Backend),
        vec![pair("missing_field", "")]
    );
    // Null is "unchanged" only on update; a new member needs an address.
    assert_eq!(
        codes(
            json!({"email_address": null}),
            Mode::Create,
            Origin::Backend
        ),
        vec![pair("invalid_type", "/email_address")]
    );
    assert_eq!(
        codes(
            json!({"email_address": null}),
            Mode::Update,
            Origin::Backend
        ),
        vec![]
    );
    assert_eq!(
        errors(
            &json!({"organization_name": null, "organization_slug": "ok"}),
            Mode::Create,
            Origin::Backend
        ),
        vec![pair("invalid_type", "/organization_name")]
    );
}

#[test]
fn stytchs_organization_and_member_rules() {
    let body = |extra: Value| {
        let mut body = json!({"organization_name": "Acme", "organization_slug": "acme"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    assert_eq!(
        errors(
            &body(json!({"email_allowed_domains": ["acme.test", "GMAIL.com"]})),
            Mode::Create,
            Origin::Backend
        ),
        vec![pair(
            "organization_settings_domain_too_common",
            "/email_allowed_domains/1"
        )]
    );
    assert_eq!(
        errors(
            &body(
                json!({"auth_methods": "RESTRICTED", "mfa_methods": "RESTRICTED", "allowed_mfa_methods": []})
            ),
            Mode::Create,
            Origin::Backend
        ),
        vec![
            pair(
                "allowed_auth_methods_required_for_restricted",
                "/allowed_auth_methods"
            ),
            pair(
                "allowed_mfa_methods_required_for_restricted",
                "/allowed_mfa_methods"
            ),
        ]
    );
    assert_eq!(
        errors(
            &body(json!({"auth_methods": "RESTRICTED", "allowed_auth_methods": ["sso"]})),
            Mode::Create,
            Origin::Backend
        ),
        vec![]
    );
    // An update is checked on the merged settings (the sandbox does it).
    let mut settings = orgpolicy_api::objects::OrganizationSettings {
        auth_methods: "RESTRICTED".into(),
        ..Default::default()
    };
    let problems = orgpolicy_api::objects::check_settings(&settings);
    assert_eq!(
        problems[0].code.as_str(),
        "allowed_auth_methods_required_for_restricted"
    );
    settings.allowed_auth_methods = vec!["sso".into()];
    assert!(orgpolicy_api::objects::check_settings(&settings).is_empty());

    let member = orgpolicy_api::organization::validate_member_body(
        &json!({"email_address": "ada@acme.test", "roles": ["editor", "stytch_member"]}),
        Mode::Create,
        Origin::Backend,
    );
    assert_eq!(
        member[0].code.as_str(),
        "cannot_assign_default_rbac_role_id"
    );
    assert_eq!(member[0].path, "/roles/1");
}
