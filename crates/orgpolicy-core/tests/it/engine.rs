//! The compiled engine's own contract: handles, interning, organization
//! policy replacement, and isolation between organizations.

use orgpolicy_core::{
    AuthorizationCheck, DenyCode, Engine, OrganizationPolicy, Subject, parse_organization_policy,
    parse_policy,
};

fn engine() -> Engine {
    let policy = parse_policy(
        r#"{"resources": [{"resource_id": "docs", "actions": ["read", "write"]}],
            "roles": [{"role_id": "reader", "permissions": [{"resource_id": "docs", "actions": ["read"]}]}]}"#,
    )
    .unwrap()
    .policy;
    Engine::new(policy)
}

fn org_policy(json: &str) -> OrganizationPolicy {
    parse_organization_policy(json).unwrap().policy
}

#[test]
fn subject_handles_are_shared_by_equal_role_sets() {
    let mut engine = engine();
    let a = engine.resolve_subject(Some("org-1"), &["reader", "editor"]);
    let b = engine.resolve_subject(Some("org-1"), &["editor", "reader", "reader"]);
    let c = engine.resolve_subject(Some("org-2"), &["reader", "editor"]);
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn handles_resolved_before_a_policy_change_follow_it() {
    let mut engine = engine();
    let editor = engine.resolve_subject(Some("org-1"), &["editor"]);
    let org = engine.resolve_organization("org-1");
    // An action no policy mentions yet: the handle must still see a later grant.
    let publish = engine.resolve_permission("docs", "publish");
    let write = engine.resolve_permission("docs", "write");
    assert_eq!(
        engine.check(editor, Some(org), write),
        Err(DenyCode::InvalidPermissions)
    );
    assert_eq!(
        engine.check(editor, Some(org), publish),
        Err(DenyCode::InvalidPermissions)
    );

    engine.set_organization_policy(
        "org-1",
        org_policy(r#"{"roles": [{"role_id": "editor", "permissions": [{"resource_id": "docs", "actions": ["write", "publish"]}]}]}"#),
    );
    assert_eq!(engine.check(editor, Some(org), write), Ok(()));
    assert_eq!(engine.check(editor, Some(org), publish), Ok(()));

    let removed = engine.remove_organization_policy("org-1");
    assert_eq!(removed.map(|p| p.roles.len()), Some(1));
    assert_eq!(
        engine.check(editor, Some(org), write),
        Err(DenyCode::InvalidPermissions)
    );
    assert_eq!(engine.remove_organization_policy("org-1"), None);
}

#[test]
fn a_custom_role_never_leaks_into_another_organization() {
    let mut engine = engine();
    engine.set_organization_policy(
        "org-1",
        org_policy(r#"{"roles": [{"role_id": "editor", "permissions": [{"resource_id": "docs", "actions": ["*"]}]}]}"#),
    );
    let in_org_2 = engine.resolve_subject(Some("org-2"), &["editor"]);
    let org_2 = engine.resolve_organization("org-2");
    let org_1 = engine.resolve_organization("org-1");
    let write = engine.resolve_permission("docs", "write");
    assert_eq!(
        engine.check(in_org_2, Some(org_2), write),
        Err(DenyCode::InvalidPermissions)
    );
    // And a subject of org-2 checked against org-1 is a tenancy mismatch, not a grant.
    assert_eq!(
        engine.check(in_org_2, Some(org_1), write),
        Err(DenyCode::TenancyMismatch)
    );
    let subject = Subject {
        organization_id: Some("org-2".into()),
        roles: vec!["editor".into()],
    };
    let check = AuthorizationCheck {
        organization_id: Some("org-1".into()),
        resource_id: "docs".into(),
        action: "write".into(),
    };
    assert_eq!(
        engine.authorize(&subject, &check),
        Err(DenyCode::TenancyMismatch)
    );
}

#[test]
fn string_checks_intern_nothing() {
    let engine = engine();
    let subject = Subject {
        organization_id: Some("org-9".into()),
        roles: vec!["x".repeat(10_000)],
    };
    for index in 0..100 {
        let check = AuthorizationCheck {
            organization_id: Some("org-9".into()),
            resource_id: format!("resource-{index}"),
            action: "read".into(),
        };
        assert!(!engine.is_authorized(&subject, &check));
    }
    // The engine still answers the declared checks, unchanged.
    let reader = Subject {
        organization_id: None,
        roles: vec!["reader".into()],
    };
    let read = AuthorizationCheck {
        organization_id: None,
        resource_id: "docs".into(),
        action: "read".into(),
    };
    assert!(engine.is_authorized(&reader, &read));
}

#[test]
fn a_stale_or_foreign_subject_handle_is_denied_not_a_panic() {
    let engine = engine();
    let mut other = Engine::new(Default::default());
    let foreign = other.resolve_subject(None, &["a"; 3]);
    let mut engine2 = engine;
    let permission = engine2.resolve_permission("docs", "read");
    // A handle from another engine with an index this one has never issued.
    let unknown = orgpolicy_core::SubjectHandle(foreign.0 + 1_000);
    assert_eq!(
        engine2.check(unknown, None, permission),
        Err(DenyCode::InvalidPermissions)
    );
}

#[test]
fn a_fabricated_organization_handle_is_not_no_organization() {
    let mut engine = engine();
    let consumer = engine.resolve_subject(None, &["reader"]);
    let read = engine.resolve_permission("docs", "read");
    assert_eq!(engine.check(consumer, None, read), Ok(()));
    let fabricated = orgpolicy_core::OrganizationHandle(u32::MAX);
    assert_eq!(
        engine.check(consumer, Some(fabricated), read),
        Err(DenyCode::TenancyMismatch)
    );
}

#[test]
fn role_sets_survive_the_universe_growing() {
    let mut engine = engine();
    let editor = engine.resolve_subject(Some("org-1"), &["editor"]);
    let org = engine.resolve_organization("org-1");
    // Grant many new pairs after the set exists: its row must widen.
    let actions: Vec<String> = (0..500).map(|i| format!("action-{i}")).collect();
    let policy = format!(
        r#"{{"roles": [{{"role_id": "editor", "permissions": [{{"resource_id": "docs", "actions": {}}}]}}]}}"#,
        serde_json::to_string(&actions).unwrap()
    );
    engine.set_organization_policy("org-1", org_policy(&policy));
    for action in &actions {
        let permission = engine.resolve_permission("docs", action);
        assert_eq!(
            engine.check(editor, Some(org), permission),
            Ok(()),
            "{action}"
        );
    }
    let read = engine.resolve_permission("docs", "read");
    assert_eq!(
        engine.check(editor, Some(org), read),
        Err(DenyCode::InvalidPermissions)
    );
}

#[test]
fn pairs_no_grant_names_are_granted_nowhere_until_one_does() {
    let mut engine = engine();
    let read = engine.resolve_permission("docs", "read");
    let write = engine.resolve_permission("docs", "write");
    let unknown = engine.resolve_permission("invoices", "read");
    assert!(engine.granted_anywhere(read));
    assert!(
        !engine.granted_anywhere(write),
        "declared, granted by no role"
    );
    assert!(!engine.granted_anywhere(unknown), "undeclared resource");
    let before = engine.granted_count();

    engine.set_organization_policy(
        "org-1",
        org_policy(r#"{"roles": [{"role_id": "reader", "permissions": [{"resource_id": "docs", "actions": ["read"]}]}]}"#),
    );
    assert_eq!(engine.granted_count(), before, "nothing new granted");

    engine.set_organization_policy(
        "org-2",
        org_policy(r#"{"roles": [{"role_id": "billing", "permissions": [{"resource_id": "invoices", "actions": ["*"]}]}]}"#),
    );
    assert_eq!(engine.granted_count(), before + 1, "invoices' `*`");
    assert!(
        engine.granted_anywhere(unknown),
        "a `*` grant covers every action"
    );
    assert!(!engine.granted_anywhere(write));

    // Removing a policy never un-grants (a stale bit only costs a lookup).
    engine.remove_organization_policy("org-2");
    assert!(engine.granted_anywhere(unknown));
}
