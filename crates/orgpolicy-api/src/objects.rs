//! The API's organizations and members as typed values, with every field
//! Stytch's SDKs type (npm `stytch`: `Organization`, `Member`).
//!
//! What a client may set lives in a `*Settings` struct, the only thing a
//! request body is ever read into ([`apply_body`]); what the server assigns
//! (ids, status, timestamps, connections, registrations) is a field of the
//! row type beside it, never read from a body. Keys an endpoint does not
//! take are ignored, as Stytch ignores them: never stored, never echoed.
//!
//! State this sandbox cannot have (SSO and SCIM connections, passwords,
//! TOTP, OAuth and SSO registrations, retired emails, locks) is answered as
//! Stytch answers it for an organization or member that has none: empty
//! lists, empty strings, `false`, and absent optional fields.

use crate::organization::{ENUM_FIELDS, update_metadata};
use orgpolicy_core::members::MemberRole;
use orgpolicy_core::problem::Pointer;
use orgpolicy_core::{EmailImplicitRoleAssignment, Problem, Role};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The value a new organization gets for an enum setting.
fn default_of(name: &str) -> String {
    ENUM_FIELDS
        .iter()
        .find(|(field, _, _)| *field == name)
        .map(|(_, _, default)| (*default).to_owned())
        .unwrap_or_default()
}

/// An organization's client-settable fields (everything but its slug,
/// which is a column of its own because the database keeps it unique).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrganizationSettings {
    pub organization_name: String,
    pub organization_logo_url: String,
    pub trusted_metadata: Map<String, Value>,
    pub email_allowed_domains: Vec<String>,
    pub email_jit_provisioning: String,
    pub email_invites: String,
    pub sso_jit_provisioning: String,
    pub auth_methods: String,
    pub allowed_auth_methods: Vec<String>,
    pub mfa_policy: String,
    pub mfa_methods: String,
    pub allowed_mfa_methods: Vec<String>,
    pub oauth_tenant_jit_provisioning: String,
    pub allowed_oauth_tenants: Map<String, Value>,
    pub rbac_email_implicit_role_assignments: Vec<EmailImplicitRoleAssignment>,
    pub claimed_email_domains: Vec<String>,
    pub first_party_connected_apps_allowed_type: String,
    pub allowed_first_party_connected_apps: Vec<String>,
    pub third_party_connected_apps_allowed_type: String,
    pub allowed_third_party_connected_apps: Vec<String>,
}

/// The organization authentication settings: when a create body sets any
/// of them and leaves out `email_invites`, that starts `NOT_ALLOWED`
/// instead of `ALL_ALLOWED` (Stytch's SDKs document this; an organization
/// created with no settings keeps a way to add members).
pub const AUTH_SETTINGS: &[&str] = &[
    "email_allowed_domains",
    "email_jit_provisioning",
    "email_invites",
    "sso_jit_provisioning",
    "auth_methods",
    "allowed_auth_methods",
    "mfa_policy",
    "mfa_methods",
    "allowed_mfa_methods",
    "oauth_tenant_jit_provisioning",
    "allowed_oauth_tenants",
];

impl OrganizationSettings {
    /// The settings a create body starts from, before its own fields apply:
    /// Stytch's defaults, with email invites off when the body sets
    /// authentication settings explicitly.
    pub fn defaults_for_create(body: &Value) -> Self {
        let mut settings = Self::default();
        let sets_auth = AUTH_SETTINGS
            .iter()
            .any(|name| body.get(name).is_some_and(|value| !value.is_null()));
        if sets_auth {
            "NOT_ALLOWED".clone_into(&mut settings.email_invites);
        }
        settings
    }
}

impl Default for OrganizationSettings {
    fn default() -> Self {
        OrganizationSettings {
            organization_name: String::new(),
            organization_logo_url: String::new(),
            trusted_metadata: Map::new(),
            email_allowed_domains: Vec::new(),
            email_jit_provisioning: default_of("email_jit_provisioning"),
            email_invites: default_of("email_invites"),
            sso_jit_provisioning: default_of("sso_jit_provisioning"),
            auth_methods: default_of("auth_methods"),
            allowed_auth_methods: Vec::new(),
            mfa_policy: default_of("mfa_policy"),
            mfa_methods: default_of("mfa_methods"),
            allowed_mfa_methods: Vec::new(),
            oauth_tenant_jit_provisioning: default_of("oauth_tenant_jit_provisioning"),
            allowed_oauth_tenants: Map::new(),
            rbac_email_implicit_role_assignments: Vec::new(),
            claimed_email_domains: Vec::new(),
            first_party_connected_apps_allowed_type: default_of(
                "first_party_connected_apps_allowed_type",
            ),
            allowed_first_party_connected_apps: Vec::new(),
            third_party_connected_apps_allowed_type: default_of(
                "third_party_connected_apps_allowed_type",
            ),
            allowed_third_party_connected_apps: Vec::new(),
        }
    }
}

/// An organization row: the server's fields and the settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub organization_id: String,
    pub organization_slug: String,
    /// The client's own id for it, unique in the project (a column, like
    /// the slug, because the database keeps it unique).
    pub organization_external_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    /// The roles of the organization's RBAC policy (kept by the RBAC
    /// endpoints, never by an organization body).
    pub custom_roles: Vec<Role>,
    pub settings: OrganizationSettings,
}

/// An organization as the API answers it: every field of the SDKs'
/// `Organization`, the optional ones absent when there is no value.
#[derive(Debug, Serialize)]
pub struct OrganizationView<'a> {
    pub organization_id: &'a str,
    pub organization_name: &'a str,
    pub organization_logo_url: &'a str,
    pub organization_slug: &'a str,
    pub sso_jit_provisioning: &'a str,
    pub sso_jit_provisioning_allowed_connections: [&'a str; 0],
    pub sso_active_connections: [Value; 0],
    pub email_allowed_domains: &'a [String],
    pub email_jit_provisioning: &'a str,
    pub email_invites: &'a str,
    pub auth_methods: &'a str,
    pub allowed_auth_methods: &'a [String],
    pub mfa_policy: &'a str,
    pub rbac_email_implicit_role_assignments: &'a [EmailImplicitRoleAssignment],
    pub mfa_methods: &'a str,
    pub allowed_mfa_methods: &'a [String],
    pub oauth_tenant_jit_provisioning: &'a str,
    pub claimed_email_domains: &'a [String],
    pub first_party_connected_apps_allowed_type: &'a str,
    pub allowed_first_party_connected_apps: &'a [String],
    pub third_party_connected_apps_allowed_type: &'a str,
    pub allowed_third_party_connected_apps: &'a [String],
    /// The organization's RBAC policy's roles.
    pub custom_roles: &'a [Role],
    pub trusted_metadata: &'a Map<String, Value>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub allowed_oauth_tenants: &'a Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_external_id: Option<&'a str>,
}

impl Organization {
    /// The API's view of this organization.
    pub fn view(&self) -> OrganizationView<'_> {
        let settings = &self.settings;
        OrganizationView {
            organization_id: &self.organization_id,
            organization_name: &settings.organization_name,
            organization_logo_url: &settings.organization_logo_url,
            organization_slug: &self.organization_slug,
            sso_jit_provisioning: &settings.sso_jit_provisioning,
            sso_jit_provisioning_allowed_connections: [],
            sso_active_connections: [],
            email_allowed_domains: &settings.email_allowed_domains,
            email_jit_provisioning: &settings.email_jit_provisioning,
            email_invites: &settings.email_invites,
            auth_methods: &settings.auth_methods,
            allowed_auth_methods: &settings.allowed_auth_methods,
            mfa_policy: &settings.mfa_policy,
            rbac_email_implicit_role_assignments: &settings.rbac_email_implicit_role_assignments,
            mfa_methods: &settings.mfa_methods,
            allowed_mfa_methods: &settings.allowed_mfa_methods,
            oauth_tenant_jit_provisioning: &settings.oauth_tenant_jit_provisioning,
            claimed_email_domains: &settings.claimed_email_domains,
            first_party_connected_apps_allowed_type: &settings
                .first_party_connected_apps_allowed_type,
            allowed_first_party_connected_apps: &settings.allowed_first_party_connected_apps,
            third_party_connected_apps_allowed_type: &settings
                .third_party_connected_apps_allowed_type,
            allowed_third_party_connected_apps: &settings.allowed_third_party_connected_apps,
            custom_roles: &self.custom_roles,
            trusted_metadata: &settings.trusted_metadata,
            created_at: &self.created_at,
            updated_at: &self.updated_at,
            allowed_oauth_tenants: &settings.allowed_oauth_tenants,
            organization_external_id: self.organization_external_id.as_deref(),
        }
    }

    /// The API's JSON for this organization.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self.view()).unwrap_or(Value::Null)
    }
}

/// A member's client-settable fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct MemberSettings {
    pub name: String,
    /// Explicit roles only; the API shows them with implicit ones.
    pub roles: Vec<String>,
    pub is_breakglass: bool,
    pub trusted_metadata: Map<String, Value>,
    pub untrusted_metadata: Map<String, Value>,
    pub mfa_phone_number: String,
    pub mfa_enrolled: bool,
    pub default_mfa_method: String,
}

/// A member row.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub member_id: String,
    pub organization_id: String,
    /// The client's own id for it, unique in its organization.
    pub external_id: Option<String>,
    pub email_address: String,
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
    /// Addresses the member had before its current one, until unlinked:
    /// no other member of the organization may take them meanwhile.
    pub retired_email_addresses: Vec<RetiredEmail>,
    pub settings: MemberSettings,
}

/// An address a member used before (Stytch's `RetiredEmail`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetiredEmail {
    pub email_id: String,
    pub email_address: String,
}

/// The role every member holds, and the one that makes a member an admin.
pub const ADMIN_ROLE: &str = "stytch_admin";

/// A member as the API answers it: every field of the SDKs' `Member`.
#[derive(Debug, Serialize)]
pub struct MemberView<'a> {
    pub organization_id: &'a str,
    pub member_id: &'a str,
    pub email_address: &'a str,
    pub status: &'a str,
    pub name: &'a str,
    pub sso_registrations: [Value; 0],
    pub is_breakglass: bool,
    pub member_password_id: &'a str,
    pub oauth_registrations: [Value; 0],
    pub email_address_verified: bool,
    pub mfa_phone_number_verified: bool,
    /// Whether the member holds `stytch_admin` by any source.
    pub is_admin: bool,
    pub totp_registration_id: &'a str,
    pub retired_email_addresses: &'a [RetiredEmail],
    pub is_locked: bool,
    pub mfa_enrolled: bool,
    pub mfa_phone_number: &'a str,
    pub default_mfa_method: &'a str,
    pub roles: &'a [MemberRole],
    pub trusted_metadata: &'a Map<String, Value>,
    pub untrusted_metadata: &'a Map<String, Value>,
    pub created_at: &'a str,
    pub updated_at: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<&'a str>,
}

impl Member {
    /// The API's view of this member, given its effective roles.
    pub fn view<'a>(&'a self, roles: &'a [MemberRole]) -> MemberView<'a> {
        let settings = &self.settings;
        MemberView {
            organization_id: &self.organization_id,
            member_id: &self.member_id,
            email_address: &self.email_address,
            status: &self.status,
            name: &settings.name,
            sso_registrations: [],
            is_breakglass: settings.is_breakglass,
            member_password_id: "",
            oauth_registrations: [],
            email_address_verified: false,
            mfa_phone_number_verified: false,
            is_admin: roles.iter().any(|role| role.role_id == ADMIN_ROLE),
            totp_registration_id: "",
            retired_email_addresses: &self.retired_email_addresses,
            is_locked: false,
            mfa_enrolled: settings.mfa_enrolled,
            mfa_phone_number: &settings.mfa_phone_number,
            default_mfa_method: &settings.default_mfa_method,
            roles,
            trusted_metadata: &settings.trusted_metadata,
            untrusted_metadata: &settings.untrusted_metadata,
            created_at: &self.created_at,
            updated_at: &self.updated_at,
            external_id: self.external_id.as_deref(),
        }
    }

    /// The API's JSON for this member.
    pub fn to_json(&self, roles: &[MemberRole]) -> Value {
        serde_json::to_value(self.view(roles)).unwrap_or(Value::Null)
    }
}

/// Rules on an organization's settings as a whole (after an update is
/// merged): a RESTRICTED method setting needs its list.
pub fn check_settings(settings: &OrganizationSettings) -> Vec<Problem> {
    let list = |items: &[String]| Value::from(items.to_vec());
    [
        crate::organization::restricted_without_list(
            Some(&settings.auth_methods),
            Some(&list(&settings.allowed_auth_methods)),
            "allowed_auth_methods",
        ),
        crate::organization::restricted_without_list(
            Some(&settings.mfa_methods),
            Some(&list(&settings.allowed_mfa_methods)),
            "allowed_mfa_methods",
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Settings keys whose values are metadata: merged, never replaced.
const METADATA_KEYS: [&str; 2] = ["trusted_metadata", "untrusted_metadata"];

/// Applies a checked body to settings: only keys the settings hold are
/// read; a `null` leaves a field unchanged; metadata is merged at the top
/// level (a `null` value deletes its key), on create as on update, and the
/// limits bind the merge. Problems carry pointers into the body.
pub fn apply_body<T>(settings: &T, body: &Value) -> Result<T, Vec<Problem>>
where
    T: Serialize + serde::de::DeserializeOwned,
{
    let mut current = match serde_json::to_value(settings) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for (key, value) in body.as_object().into_iter().flatten() {
        if value.is_null() {
            continue;
        }
        let Some(slot) = current.get_mut(key) else {
            continue;
        };
        if METADATA_KEYS.contains(&key.as_str()) {
            *slot = update_metadata(Some(&*slot), value, &Pointer::root().key(key))?;
        } else {
            *slot = value.clone();
        }
    }
    orgpolicy_core::parse::deserialize_tracked(Value::Object(current))
        .map_err(|error| vec![error.problem])
}
