//! The specification: the SDKs' local authorization transcribed literally
//! over the documents, with no compilation and no shortcuts.
//!
//! It is the oracle the compiled [`crate::Engine`] is tested against
//! (property tests, fuzzing) and the naive baseline in the benchmark. Keep it
//! obviously correct rather than fast.

use crate::WILDCARD;
use crate::decision::DenyCode;
use crate::model::{AuthorizationCheck, OrganizationPolicy, Permission, Policy, Role, Subject};
use std::collections::BTreeMap;

fn grants(permission: &Permission, check: &AuthorizationCheck) -> bool {
    let action_matches = permission.actions.contains(&check.action)
        || permission.actions.iter().any(|a| a == WILDCARD);
    action_matches && permission.resource_id == check.resource_id
}

/// The roles a check may draw on: the project's roles, then the custom roles
/// of the organization the check names (never another organization's).
pub fn candidate_roles<'p>(
    policy: &'p Policy,
    organization_policies: &'p BTreeMap<String, OrganizationPolicy>,
    check: &AuthorizationCheck,
) -> impl Iterator<Item = &'p Role> {
    let custom = check
        .organization_id
        .as_ref()
        .and_then(|org| organization_policies.get(org))
        .map(|org| org.roles.as_slice())
        .unwrap_or_default();
    policy.roles.iter().chain(custom)
}

/// Role-based check: tenancy first, then any subject role among the
/// candidates with a permission on the resource for the action or `*`.
pub fn authorize(
    policy: &Policy,
    organization_policies: &BTreeMap<String, OrganizationPolicy>,
    subject: &Subject,
    check: &AuthorizationCheck,
) -> Result<(), DenyCode> {
    if subject.organization_id != check.organization_id {
        return Err(DenyCode::TenancyMismatch);
    }
    let allowed = candidate_roles(policy, organization_policies, check)
        .filter(|role| subject.roles.contains(&role.role_id))
        .flat_map(|role| &role.permissions)
        .any(|permission| grants(permission, check));
    if allowed {
        Ok(())
    } else {
        Err(DenyCode::InvalidPermissions)
    }
}

/// Scope-based check (connected apps, M2M): tenancy first, then the project
/// policy's scopes named by the token. Organization roles never apply.
pub fn authorize_scopes(
    policy: &Policy,
    subject_organization_id: Option<&str>,
    token_scopes: &[&str],
    check: &AuthorizationCheck,
) -> Result<(), DenyCode> {
    if subject_organization_id != check.organization_id.as_deref() {
        return Err(DenyCode::TenancyMismatch);
    }
    let allowed = policy
        .scopes
        .iter()
        .filter(|scope| token_scopes.contains(&scope.scope.as_str()))
        .flat_map(|scope| &scope.permissions)
        .any(|permission| grants(permission, check));
    if allowed {
        Ok(())
    } else {
        Err(DenyCode::InvalidPermissions)
    }
}
