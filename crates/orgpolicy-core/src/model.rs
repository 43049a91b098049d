//! The documents as the API exchanges them: project policy, organization policy,
//! subjects and authorization checks. Field names are the API's, verbatim.
//!
//! Unknown fields are tolerated (the API grows); wrong types are errors. A
//! `description` of `null` reads as empty, since some API responses send one.

use serde::{Deserialize, Deserializer, Serialize};

/// The project's RBAC policy (`GET /v1/b2b/rbac/policy` returns it under `policy`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    #[serde(default)]
    pub resources: Vec<Resource>,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub scopes: Vec<Scope>,
}

/// A resource and the actions declared on it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub resource_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub description: String,
    #[serde(default)]
    pub actions: Vec<String>,
}

/// A role: a named set of permissions. Project roles and organization custom
/// roles share this shape.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub role_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub description: String,
    #[serde(default)]
    pub permissions: Vec<Permission>,
}

/// Actions granted on one resource. `"*"` among the actions grants every action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    pub resource_id: String,
    #[serde(default)]
    pub actions: Vec<String>,
}

/// An OAuth scope (connected apps, M2M) and the permissions it carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub scope: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub description: String,
    #[serde(default)]
    pub permissions: Vec<Permission>,
}

/// One organization's custom roles
/// (`GET|PUT /v1/b2b/rbac/organizations/{organization_id}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationPolicy {
    #[serde(default)]
    pub roles: Vec<Role>,
}

/// Who asks: the session's organization (absent for consumer projects) and
/// its roles, taken verbatim. `stytch_member` is not added implicitly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    #[serde(default)]
    pub organization_id: Option<String>,
    #[serde(default)]
    pub roles: Vec<String>,
}

/// Who asks, for a scope check: a token's organization and its scopes.
/// Either `scopes` (a list) or `scope` (the token's space-separated claim).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeSubject {
    #[serde(default)]
    pub organization_id: Option<String>,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl ScopeSubject {
    /// The token's scopes: `scopes`, then the words of the `scope` claim split
    /// on single spaces as the SDKs split it.
    pub fn token_scopes(&self) -> impl Iterator<Item = &str> {
        self.scopes.iter().map(String::as_str).chain(
            self.scope
                .as_deref()
                .into_iter()
                .flat_map(|claim| claim.split(' ')),
        )
    }
}

/// What is asked: an action on a resource, in an organization (B2B) or not
/// (consumer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationCheck {
    #[serde(default)]
    pub organization_id: Option<String>,
    pub resource_id: String,
    pub action: String,
}

/// An organization's rule that gives members whose email is on `domain` the
/// role `role_id` (`rbac_email_implicit_role_assignments`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailImplicitRoleAssignment {
    pub domain: String,
    pub role_id: String,
}

/// A role granted through an SSO connection, or through a group of one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoRoleAssignment {
    pub connection_id: String,
    pub role_id: String,
    #[serde(default)]
    pub group: Option<String>,
}

/// A member as far as roles go: explicit roles, email, and SSO grants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRoles {
    #[serde(default)]
    pub member_id: String,
    #[serde(default)]
    pub email_address: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub sso_role_assignments: Vec<SsoRoleAssignment>,
}

fn null_as_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?.unwrap_or_default())
}
