//! The documents as the API exchanges them: project policy, organization policy,
//! subjects and authorization checks. Field names are the API's, verbatim.
//!
//! Unknown fields are tolerated (the API grows); wrong types are errors. A
//! `description` of `null` reads as empty, since some API responses send one.
//!
//! Every document type reads from a JSON object only. serde's derived
//! structs also accept an array of field values (`["admin", "", []]` as a
//! role); the API never sends one and a user who does has made a mistake, so
//! the derives here are `remote = "Self"` and [`object_only!`] routes reading
//! through `deserialize_map`.

use serde::{Deserialize, Deserializer, Serialize};

/// The project's RBAC policy (`GET /v1/b2b/rbac/policy` returns it under `policy`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
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
#[serde(remote = "Self")]
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
#[serde(remote = "Self")]
pub struct Role {
    pub role_id: String,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub description: String,
    #[serde(default)]
    pub permissions: Vec<Permission>,
}

/// Actions granted on one resource. `"*"` among the actions grants every action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Permission {
    pub resource_id: String,
    #[serde(default)]
    pub actions: Vec<String>,
}

/// An OAuth scope (connected apps, M2M) and the permissions it carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
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
#[serde(remote = "Self")]
pub struct OrganizationPolicy {
    #[serde(default)]
    pub roles: Vec<Role>,
}

/// Who asks: the session's organization (absent for consumer projects) and
/// its roles, taken verbatim. `stytch_member` is not added implicitly.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Subject {
    #[serde(default)]
    pub organization_id: Option<String>,
    #[serde(default)]
    pub roles: Vec<String>,
}

/// Who asks, for a scope check: a token's organization and its scopes.
/// Either `scopes` (a list) or `scope` (the token's space-separated claim).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
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
#[serde(remote = "Self")]
pub struct AuthorizationCheck {
    #[serde(default)]
    pub organization_id: Option<String>,
    pub resource_id: String,
    pub action: String,
}

/// An organization's rule that gives members whose email is on `domain` the
/// role `role_id` (`rbac_email_implicit_role_assignments`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct EmailImplicitRoleAssignment {
    pub domain: String,
    pub role_id: String,
}

/// A role granted through an SSO connection, or through a group of one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct SsoRoleAssignment {
    pub connection_id: String,
    pub role_id: String,
    #[serde(default)]
    pub group: Option<String>,
}

/// A member as far as roles go: explicit roles, email, and SSO grants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
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

/// Implements an object-only `Deserialize` (and, with `serialize:`, a
/// forwarding `Serialize`) for types whose derives are `remote = "Self"`
/// (which makes `serialize`/`deserialize` inherent functions).
macro_rules! object_only {
    (serialize: $($ty:ident),* $(,)?) => {$(
        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                $ty::serialize(self, serializer)
            }
        }
        $crate::model::object_only!($ty);
    )*};
    ($($ty:ident),* $(,)?) => {$(
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Object;
                impl<'de> ::serde::de::Visitor<'de> for Object {
                    type Value = $ty;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("an object")
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, map: A) -> Result<$ty, A::Error> {
                        $ty::deserialize(::serde::de::value::MapAccessDeserializer::new(map))
                    }
                }
                ::serde::Deserializer::deserialize_map(deserializer, Object)
            }
        }
    )*};
}
pub(crate) use object_only;

object_only!(
    serialize: Policy,
    Resource,
    Role,
    Permission,
    Scope,
    OrganizationPolicy,
    Subject,
    ScopeSubject,
    AuthorizationCheck,
    EmailImplicitRoleAssignment,
    SsoRoleAssignment,
    MemberRoles,
);
