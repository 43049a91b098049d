//! The sandbox's rows as typed values. What a client may set lives in a
//! `*Settings` struct, the only thing a request body is ever read into;
//! what the server assigns (ids, status, timestamps, connections) lives in
//! columns of its own and is never read from a body.
//!
//! A body's keys that an endpoint does not take are ignored, as Stytch
//! ignores them: they are never stored and never echoed (the console's
//! validation warns about them before sending).

use crate::error::ApiError;
use orgpolicy_core::EmailImplicitRoleAssignment;
use orgpolicy_core::organization::{ENUM_FIELDS, update_metadata};
use orgpolicy_core::problem::Pointer;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// An organization's client-settable fields (everything but its slug, which
/// is a column of its own because the database keeps it unique).
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
}

impl Default for OrganizationSettings {
    fn default() -> Self {
        let default_of = |name: &str| {
            ENUM_FIELDS
                .iter()
                .find(|(field, _, _)| *field == name)
                .map(|(_, _, default)| (*default).to_owned())
                .unwrap_or_default()
        };
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
        }
    }
}

/// An organization row: the server's columns and the settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub organization_id: String,
    pub organization_slug: String,
    pub created_at: String,
    pub updated_at: String,
    pub settings: OrganizationSettings,
}

/// An organization as the API answers it.
#[derive(Serialize)]
struct OrganizationView<'a> {
    organization_id: &'a str,
    organization_slug: &'a str,
    #[serde(flatten)]
    settings: &'a OrganizationSettings,
    sso_active_connections: [Value; 0],
    sso_default_connection_id: Option<()>,
    scim_active_connection: Option<()>,
    created_at: &'a str,
    updated_at: &'a str,
}

impl Organization {
    /// The API's JSON for this organization.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(OrganizationView {
            organization_id: &self.organization_id,
            organization_slug: &self.organization_slug,
            settings: &self.settings,
            sso_active_connections: [],
            sso_default_connection_id: None,
            scim_active_connection: None,
            created_at: &self.created_at,
            updated_at: &self.updated_at,
        })
        .unwrap_or(Value::Null)
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
}

/// A member row.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub member_id: String,
    pub organization_id: String,
    pub email_address: String,
    pub status: String,
    pub created_at: String,
    pub updated_at: String,
    pub settings: MemberSettings,
}

/// Settings keys whose values are metadata: merged, never replaced.
const METADATA_KEYS: [&str; 2] = ["trusted_metadata", "untrusted_metadata"];

/// Applies a checked body to settings: only keys the settings hold are
/// read; a `null` leaves a field unchanged; metadata is merged at the top
/// level (a `null` value deletes its key), on create as on update.
pub fn apply_body<T>(settings: &T, body: &Value) -> Result<T, ApiError>
where
    T: Serialize + serde::de::DeserializeOwned,
{
    let mut current = match serde_json::to_value(settings) {
        Ok(Value::Object(map)) => map,
        _ => return Err(ApiError::Internal("settings are not an object".into())),
    };
    for (key, value) in body.as_object().into_iter().flatten() {
        if value.is_null() {
            continue;
        }
        let Some(slot) = current.get_mut(key) else {
            continue;
        };
        if METADATA_KEYS.contains(&key.as_str()) {
            // The limits bind what is stored: the merge, not the update alone.
            *slot = update_metadata(Some(&*slot), value, &Pointer::root().key(key))
                .map_err(ApiError::invalid)?;
        } else {
            *slot = value.clone();
        }
    }
    orgpolicy_core::parse::deserialize_tracked(Value::Object(current))
        .map_err(|error| ApiError::invalid(vec![error.problem]))
}

/// The key two email addresses are the same member by: the local part
/// lowercased, the domain lowercased and in IDNA ASCII form (so
/// `bob@EXÄMPLE.com` and `bob@xn--exmple-cua.com` are one address).
/// `None` if the address has not exactly one `@` or its domain does not
/// convert.
pub fn email_key(email: &str) -> Option<String> {
    let (local, domain) = email.split_once('@')?;
    if local.is_empty() || domain.contains('@') || email.chars().any(char::is_control) {
        return None;
    }
    let domain = idna::domain_to_ascii(domain).ok()?;
    (!domain.is_empty()).then(|| format!("{}@{domain}", local.to_lowercase()))
}
