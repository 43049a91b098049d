//! Property tests: the compiled engine equals the reference on random
//! policies, including cross-tenant checks and custom role ids shared
//! between organizations; validation pointers always point into the document.

use orgpolicy_core::{
    AuthorizationCheck, Engine, OrganizationPolicy, Permission, Policy, Resource, Role, Scope,
    Subject, explain, reference, validate_organization_policy, validate_policy,
};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn one_of(items: &'static [&'static str]) -> impl Strategy<Value = String> + Clone {
    proptest::sample::select(items).prop_map(String::from)
}

// Tiny alphabets so ids collide: the same role id in the project and in
// several organizations, grants on undeclared resources and actions, `*`.
fn resource_id() -> impl Strategy<Value = String> {
    one_of(&["docs", "billing", "Docs", "stytch.member", "", "*"])
}
fn action() -> impl Strategy<Value = String> {
    one_of(&["read", "write", "delete", "READ", "*", ""])
}
fn role_id() -> impl Strategy<Value = String> {
    one_of(&["admin", "editor", "viewer", "stytch_member", ""])
}
fn organization_id() -> impl Strategy<Value = String> {
    one_of(&["org-a", "org-b", "org-c"])
}
fn permission() -> impl Strategy<Value = Permission> {
    (resource_id(), vec(action(), 0..4)).prop_map(|(resource_id, actions)| Permission {
        resource_id,
        actions,
    })
}
fn role() -> impl Strategy<Value = Role> {
    (role_id(), vec(permission(), 0..4)).prop_map(|(role_id, permissions)| Role {
        role_id,
        description: String::new(),
        permissions,
    })
}
fn policy() -> impl Strategy<Value = Policy> {
    (
        vec((resource_id(), vec(action(), 0..4)), 0..4),
        vec(role(), 0..5),
        vec((role_id(), vec(permission(), 0..3)), 0..3),
    )
        .prop_map(|(resources, roles, scopes)| Policy {
            resources: resources
                .into_iter()
                .map(|(resource_id, actions)| Resource {
                    resource_id,
                    description: String::new(),
                    actions,
                })
                .collect(),
            roles,
            scopes: scopes
                .into_iter()
                .map(|(scope, permissions)| Scope {
                    scope,
                    description: String::new(),
                    permissions,
                })
                .collect(),
        })
}
fn organization_policies() -> impl Strategy<Value = BTreeMap<String, OrganizationPolicy>> {
    btree_map(
        organization_id(),
        vec(role(), 0..4).prop_map(|roles| OrganizationPolicy { roles }),
        0..3,
    )
}
fn subject() -> impl Strategy<Value = Subject> {
    (
        proptest::option::weighted(0.8, organization_id()),
        vec(role_id(), 0..4),
    )
        .prop_map(|(organization_id, roles)| Subject {
            organization_id,
            roles,
        })
}
fn check() -> impl Strategy<Value = AuthorizationCheck> {
    (
        proptest::option::weighted(0.8, organization_id()),
        resource_id(),
        action(),
    )
        .prop_map(
            |(organization_id, resource_id, action)| AuthorizationCheck {
                organization_id,
                resource_id,
                action,
            },
        )
}

fn assert_engine_matches(
    engine: &mut Engine,
    policy: &Policy,
    organizations: &BTreeMap<String, OrganizationPolicy>,
    cases: &[(Subject, AuthorizationCheck)],
) -> Result<(), TestCaseError> {
    for (subject, check) in cases {
        let expected = reference::authorize(policy, organizations, subject, check);
        prop_assert_eq!(
            engine.authorize(subject, check),
            expected,
            "strings: {:?} {:?}",
            subject,
            check
        );
        let handle = engine.resolve_subject(subject.organization_id.as_deref(), &subject.roles);
        let organization = check
            .organization_id
            .as_deref()
            .map(|id| engine.resolve_organization(id));
        let permission = engine.resolve_permission(&check.resource_id, &check.action);
        prop_assert_eq!(
            engine.check(handle, organization, permission),
            expected,
            "handles: {:?} {:?}",
            subject,
            check
        );
        // A pair no grant names is denied to everyone (the npm package's
        // string cache answers such checks without the subject).
        prop_assert!(
            engine.granted_anywhere(permission) || expected.is_err(),
            "granted by nobody yet allowed: {:?} {:?}",
            subject,
            check
        );
        let org_policy = check
            .organization_id
            .as_ref()
            .and_then(|id| organizations.get(id));
        let explanation = explain(policy, org_policy, subject, check);
        prop_assert_eq!(
            explanation.decision.deny_code(),
            expected.err(),
            "explain: {:?} {:?}",
            subject,
            check
        );
        let scopes: Vec<&str> = subject.roles.iter().map(String::as_str).collect();
        prop_assert_eq!(
            engine.authorize_scopes(
                subject.organization_id.as_deref(),
                scopes.iter().copied(),
                check
            ),
            reference::authorize_scopes(policy, subject.organization_id.as_deref(), &scopes, check)
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn engine_equals_reference(
        policy in policy(),
        organizations in organization_policies(),
        cases in vec((subject(), check()), 1..24),
    ) {
        let mut engine = Engine::with_organization_policies(policy.clone(), organizations.clone());
        assert_engine_matches(&mut engine, &policy, &organizations, &cases)?;
    }

    /// Handles resolved before an organization policy changes follow the change.
    #[test]
    fn engine_follows_organization_policy_changes(
        policy in policy(),
        mut organizations in organization_policies(),
        cases in vec((subject(), check()), 1..16),
        changed in organization_id(),
        replacement in vec(role(), 0..4),
        remove in any::<bool>(),
    ) {
        let mut engine = Engine::with_organization_policies(policy.clone(), organizations.clone());
        assert_engine_matches(&mut engine, &policy, &organizations, &cases)?;
        if remove {
            engine.remove_organization_policy(&changed);
            organizations.remove(&changed);
        } else {
            let replacement = OrganizationPolicy { roles: replacement };
            let before = engine.granted_count();
            let granted_before: Vec<bool> = cases.iter().map(|(_, check)| {
                let permission = engine.resolve_permission(&check.resource_id, &check.action);
                engine.granted_anywhere(permission)
            }).collect();
            engine.set_organization_policy(&changed, replacement.clone());
            // A pair that became granted shows as a grown count.
            for ((_, check), was) in cases.iter().zip(granted_before) {
                let permission = engine.resolve_permission(&check.resource_id, &check.action);
                if !was && engine.granted_anywhere(permission) {
                    prop_assert!(engine.granted_count() > before, "{:?}", check);
                }
            }
            organizations.insert(changed, replacement);
        }
        assert_engine_matches(&mut engine, &policy, &organizations, &cases)?;
    }

    #[test]
    fn all_permissions_equals_reference(policy in policy(), organizations in organization_policies(), subject in subject(), organization in proptest::option::of(organization_id())) {
        let engine = Engine::with_organization_policies(policy.clone(), organizations.clone());
        let all = engine.all_permissions(&subject, organization.as_deref());
        for resource in &policy.resources {
            for action in &resource.actions {
                let check = AuthorizationCheck { organization_id: organization.clone(), resource_id: resource.resource_id.clone(), action: action.clone() };
                let expected = reference::authorize(&policy, &organizations, &subject, &check).is_ok();
                let listed = all.get(&resource.resource_id, action);
                prop_assert_eq!(listed, Some(expected), "{:?} {:?}", subject, check);
            }
        }
    }

    /// Every problem's pointer resolves to a value in the policy document.
    #[test]
    fn validation_pointers_resolve(policy in policy(), organizations in organization_policies()) {
        let document = serde_json::to_value(&policy).unwrap();
        let report = validate_policy(&policy);
        for problem in report.errors.iter().chain(&report.warnings) {
            prop_assert!(document.pointer(&problem.path).is_some(), "{} does not resolve", problem.path);
        }
        for organization in organizations.values() {
            let document = serde_json::to_value(organization).unwrap();
            let report = validate_organization_policy(&policy, organization);
            for problem in report.errors.iter().chain(&report.warnings) {
                prop_assert!(document.pointer(&problem.path).is_some(), "{} does not resolve", problem.path);
            }
        }
    }
}
