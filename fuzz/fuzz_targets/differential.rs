//! Random policies over tiny alphabets (so ids collide across roles and
//! organizations): the compiled engine, through strings and through handles,
//! and `explain` must all equal the reference, and keep doing so after an
//! organization policy is replaced or removed.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use orgpolicy_core::{
    explain, reference, AuthorizationCheck, Engine, OrganizationPolicy, Permission, Policy, Resource, Role, Scope,
    Subject,
};
use std::collections::BTreeMap;

const IDS: [&str; 6] = ["a", "b", "c", "*", "", "stytch.member"];

#[derive(Arbitrary, Debug)]
struct Input {
    resources: Vec<(u8, Vec<u8>)>,
    roles: Vec<(u8, Vec<(u8, Vec<u8>)>)>,
    scopes: Vec<(u8, Vec<(u8, Vec<u8>)>)>,
    orgs: Vec<(u8, Vec<(u8, Vec<(u8, Vec<u8>)>)>)>,
    checks: Vec<(Option<u8>, Vec<u8>, Option<u8>, u8, u8)>,
    replace: Option<(u8, Vec<(u8, Vec<(u8, Vec<u8>)>)>)>,
    remove: Option<u8>,
}

fn id(i: u8) -> String {
    IDS[i as usize % IDS.len()].to_owned()
}
fn org_id(i: u8) -> String {
    format!("org-{}", i % 3)
}
fn permissions(raw: &[(u8, Vec<u8>)]) -> Vec<Permission> {
    raw.iter()
        .map(|(r, actions)| Permission { resource_id: id(*r), actions: actions.iter().map(|a| id(*a)).collect() })
        .collect()
}
fn roles(raw: &[(u8, Vec<(u8, Vec<u8>)>)]) -> Vec<Role> {
    raw.iter()
        .map(|(r, p)| Role { role_id: id(*r), description: String::new(), permissions: permissions(p) })
        .collect()
}

fn verify(engine: &mut Engine, policy: &Policy, orgs: &BTreeMap<String, OrganizationPolicy>, input: &Input) {
    for (subject_org, subject_roles, check_org, resource, action) in &input.checks {
        let subject = Subject {
            organization_id: subject_org.map(org_id),
            roles: subject_roles.iter().map(|r| id(*r)).collect(),
        };
        let check = AuthorizationCheck { organization_id: check_org.map(org_id), resource_id: id(*resource), action: id(*action) };
        let expected = reference::authorize(policy, orgs, &subject, &check);
        assert_eq!(engine.authorize(&subject, &check), expected, "strings {subject:?} {check:?}");
        let org_policy = check.organization_id.as_ref().and_then(|o| orgs.get(o));
        assert_eq!(explain(policy, org_policy, &subject, &check).decision.deny_code(), expected.err());
        let handle = engine.resolve_subject(subject.organization_id.as_deref(), &subject.roles);
        let organization = check.organization_id.as_deref().map(|o| engine.resolve_organization(o));
        let permission = engine.resolve_permission(&check.resource_id, &check.action);
        assert_eq!(engine.check(handle, organization, permission), expected, "handles {subject:?} {check:?}");
        let scopes: Vec<&str> = subject.roles.iter().map(String::as_str).collect();
        assert_eq!(
            engine.authorize_scopes(subject.organization_id.as_deref(), scopes.iter().copied(), &check),
            reference::authorize_scopes(policy, subject.organization_id.as_deref(), &scopes, &check)
        );
    }
}

fuzz_target!(|input: Input| {
    let policy = Policy {
        resources: input
            .resources
            .iter()
            .map(|(r, actions)| Resource { resource_id: id(*r), description: String::new(), actions: actions.iter().map(|a| id(*a)).collect() })
            .collect(),
        roles: roles(&input.roles),
        scopes: input
            .scopes
            .iter()
            .map(|(s, p)| Scope { scope: id(*s), description: String::new(), permissions: permissions(p) })
            .collect(),
    };
    let mut orgs: BTreeMap<String, OrganizationPolicy> = BTreeMap::new();
    for (o, r) in &input.orgs {
        orgs.insert(org_id(*o), OrganizationPolicy { roles: roles(r) });
    }
    let mut engine = Engine::with_organization_policies(policy.clone(), orgs.clone());
    verify(&mut engine, &policy, &orgs, &input);
    if let Some((o, r)) = &input.replace {
        let replacement = OrganizationPolicy { roles: roles(r) };
        engine.set_organization_policy(&org_id(*o), replacement.clone());
        orgs.insert(org_id(*o), replacement);
        verify(&mut engine, &policy, &orgs, &input);
    }
    if let Some(o) = input.remove {
        engine.remove_organization_policy(&org_id(o));
        orgs.remove(&org_id(o));
        verify(&mut engine, &policy, &orgs, &input);
    }
});
