//! The endpoint catalog: every organization, member and RBAC endpoint the
//! console offers and the gateway forwards — method, path template,
//! parameters and body fields with their types, enums, defaults and docs —
//! and the matcher that maps a concrete request path onto it.
//!
//! The matcher is the gateway's allowlist, so it is strict: a path
//! parameter is one or more unreserved characters (letters, digits,
//! `-._~`) or `%7C` (the `|` external ids may hold), and never `.` or
//! `..`; anything else (other percent-escapes, empty segments, a trailing
//! slash) does not match.

use crate::organization::{ENUM_FIELDS, LIST_ENUM_FIELDS};
use serde::Serialize;
use std::collections::BTreeMap;

/// How endpoints are grouped in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Group {
    Organizations,
    Members,
    #[serde(rename = "RBAC")]
    Rbac,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Method {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
    #[serde(rename = "PUT")]
    Put,
    #[serde(rename = "DELETE")]
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }

    /// Parses an HTTP method name (exact, upper case).
    pub fn parse(method: &str) -> Option<Method> {
        match method {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PUT" => Some(Method::Put),
            "DELETE" => Some(Method::Delete),
            _ => None,
        }
    }
}

/// The type of a body field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldType {
    String,
    Boolean,
    Integer,
    /// A JSON object (metadata, a policy).
    Object,
    Enum {
        values: &'static [&'static str],
    },
    EnumList {
        values: &'static [&'static str],
    },
    StringList,
    /// A list of objects with the given string fields (implicit role assignments).
    ObjectList {
        fields: &'static [&'static str],
    },
    /// A search query `{operator, operands}`.
    SearchQuery,
}

/// One body field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    pub name: &'static str,
    #[serde(flatten)]
    pub field_type: FieldType,
    pub required: bool,
    /// The value the API uses when the field is absent, as JSON text.
    pub default: Option<&'static str>,
    pub doc: &'static str,
}

/// One endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub id: &'static str,
    pub group: Group,
    pub method: Method,
    /// Path template, parameters in braces: `/v1/b2b/organizations/{organization_id}`.
    pub path: &'static str,
    pub summary: &'static str,
    pub path_params: Vec<&'static str>,
    /// Query parameters: the gateway forwards these and drops any other.
    pub query: Vec<Field>,
    pub body: Vec<Field>,
}

fn field(name: &'static str, field_type: FieldType, required: bool, doc: &'static str) -> Field {
    Field {
        name,
        field_type,
        required,
        default: None,
        doc,
    }
}

fn enum_values(name: &str) -> &'static [&'static str] {
    ENUM_FIELDS
        .iter()
        .find(|(field, _, _)| *field == name)
        .map_or(&[], |(_, values, _)| values)
}

fn enum_default(name: &str) -> Option<&'static str> {
    ENUM_FIELDS
        .iter()
        .find(|(field, _, _)| *field == name)
        .map(|(_, _, default)| *default)
}

fn list_values(name: &str) -> &'static [&'static str] {
    LIST_ENUM_FIELDS
        .iter()
        .find(|(field, _)| *field == name)
        .map_or(&[], |(_, values)| values)
}

/// The organization settings shared by create and update.
fn organization_settings(create: bool) -> Vec<Field> {
    const DOCS: &[(&str, &str)] = &[
        (
            "email_jit_provisioning",
            "Whether members with an allowed email domain can join without an invite.",
        ),
        (
            "email_invites",
            "Who may be invited by email. On create: ALL_ALLOWED, but NOT_ALLOWED when the body sets other authentication settings.",
        ),
        (
            "sso_jit_provisioning",
            "Whether SSO logins create members on first sign-in.",
        ),
        (
            "auth_methods",
            "Whether every authentication method is allowed or only `allowed_auth_methods`.",
        ),
        ("mfa_policy", "Whether every member must use MFA."),
        (
            "mfa_methods",
            "Whether every MFA method is allowed or only `allowed_mfa_methods`.",
        ),
        (
            "oauth_tenant_jit_provisioning",
            "Whether OAuth tenants can provision members.",
        ),
        (
            "first_party_connected_apps_allowed_type",
            "Which first-party Connected Apps members may use.",
        ),
        (
            "third_party_connected_apps_allowed_type",
            "Which third-party Connected Apps members may use.",
        ),
    ];
    let mut fields: Vec<Field> = DOCS
        .iter()
        .map(|(name, doc)| Field {
            default: if create { enum_default(name) } else { None },
            ..field(
                name,
                FieldType::Enum {
                    values: enum_values(name),
                },
                false,
                doc,
            )
        })
        .collect();
    fields.push(field(
        "allowed_auth_methods",
        FieldType::EnumList {
            values: list_values("allowed_auth_methods"),
        },
        false,
        "Authentication methods allowed when `auth_methods` is RESTRICTED.",
    ));
    fields.push(field(
        "allowed_mfa_methods",
        FieldType::EnumList {
            values: list_values("allowed_mfa_methods"),
        },
        false,
        "MFA methods allowed when `mfa_methods` is RESTRICTED.",
    ));
    fields.push(field(
        "email_allowed_domains",
        FieldType::StringList,
        false,
        "Email domains that may join.",
    ));
    fields.push(field(
        "claimed_email_domains",
        FieldType::StringList,
        false,
        "Email domains the organization claims.",
    ));
    fields.push(field(
        "allowed_first_party_connected_apps",
        FieldType::StringList,
        false,
        "First-party Connected App ids allowed when their type is RESTRICTED.",
    ));
    fields.push(field(
        "allowed_third_party_connected_apps",
        FieldType::StringList,
        false,
        "Third-party Connected App ids allowed when their type is RESTRICTED.",
    ));
    fields.push(field(
        "rbac_email_implicit_role_assignments",
        FieldType::ObjectList {
            fields: &["domain", "role_id"],
        },
        false,
        "Roles given implicitly to members whose email is on a domain.",
    ));
    fields.push(field(
        "trusted_metadata",
        FieldType::Object,
        false,
        "Backend-only metadata: at most 20 top-level keys and 4 KB. A top-level null deletes a key.",
    ));
    fields
}

/// The `query` field's doc for a search over `filters`: its shape and the
/// filter names it takes (built once; docs are `'static`).
fn query_doc(member: bool) -> &'static str {
    static ORGANIZATION: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| query_doc_text(false));
    static MEMBER: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| query_doc_text(true));
    if member { &MEMBER } else { &ORGANIZATION }
}

fn query_doc_text(member: bool) -> String {
    let names: Vec<String> = crate::organization::search_filter_names(member)
        .map(|name| format!("`{name}`"))
        .collect();
    format!(
        "`{{operator: AND, operands: [{{filter_name, filter_value}}]}}` (`OR` is deprecated); no operands, no filtering. Filters: {}.",
        names.join(", ")
    )
}

fn search_fields(member: bool) -> Vec<Field> {
    vec![
        field(
            "cursor",
            FieldType::String,
            false,
            "The `next_cursor` of the previous page.",
        ),
        Field {
            default: Some("100"),
            ..field("limit", FieldType::Integer, false, "Page size, 1 to 1000.")
        },
        field("query", FieldType::SearchQuery, false, query_doc(member)),
    ]
}

/// Every endpoint, in console order.
pub fn catalog() -> Vec<Endpoint> {
    let organization = vec!["organization_id"];
    let member = vec!["organization_id", "member_id"];
    let external_id = field(
        "organization_external_id",
        FieldType::String,
        false,
        "Your own id for the organization, usable wherever its id is: up to 128 letters, digits or `._-|`; unique in the project.",
    );
    let mut create = vec![
        field(
            "organization_name",
            FieldType::String,
            true,
            "1 to 128 characters.",
        ),
        field(
            "organization_slug",
            FieldType::String,
            true,
            "2 to 128 ASCII letters, digits or `-._~`; unique in the project.",
        ),
    ];
    create.push(external_id.clone());
    create.extend(organization_settings(true));
    let mut update = vec![
        field(
            "organization_name",
            FieldType::String,
            false,
            "1 to 128 characters.",
        ),
        field(
            "organization_slug",
            FieldType::String,
            false,
            "2 to 128 ASCII letters, digits or `-._~`.",
        ),
    ];
    update.push(external_id);
    update.extend(organization_settings(false));
    let member_fields = |create: bool| {
        let mut fields = Vec::new();
        if create {
            fields.push(field(
                "email_address",
                FieldType::String,
                true,
                "The member's email address.",
            ));
            fields.push(field(
                "create_member_as_pending",
                FieldType::Boolean,
                false,
                "Create the member with status `pending` instead of `active`.",
            ));
        }
        fields.extend([
            field("name", FieldType::String, false, "The member's name."),
            field(
                "external_id",
                FieldType::String,
                false,
                "Your own id for the member, usable wherever its member_id is: up to 128 letters, digits or `._-|`; unique in the organization.",
            ),
            field(
                "roles",
                FieldType::StringList,
                false,
                "Explicit role ids; replaces the explicit roles on update.",
            ),
            field(
                "is_breakglass",
                FieldType::Boolean,
                false,
                "Whether the member may bypass the organization's auth rules.",
            ),
            field(
                "trusted_metadata",
                FieldType::Object,
                false,
                "Backend-only metadata: at most 20 top-level keys and 4 KB.",
            ),
            field(
                "untrusted_metadata",
                FieldType::Object,
                false,
                "Metadata a frontend may write: at most 20 top-level keys and 4 KB.",
            ),
            field(
                "mfa_phone_number",
                FieldType::String,
                false,
                "The member's phone number for SMS MFA (E.164).",
            ),
            field(
                "mfa_enrolled",
                FieldType::Boolean,
                false,
                "Whether the member must complete MFA at every login.",
            ),
            field(
                "default_mfa_method",
                FieldType::Enum {
                    values: crate::organization::MFA_METHODS,
                },
                false,
                "The MFA method the member uses by default.",
            ),
        ]);
        if !create {
            fields.push(field(
                "preserve_existing_sessions",
                FieldType::Boolean,
                false,
                "Keep sessions with SSO factors when a revoked explicit role is also implied by SSO.",
            ));
            fields.push(field(
                "unlink_email",
                FieldType::Boolean,
                false,
                "With a new `email_address`: delete the previous address instead of retiring it.",
            ));
        }
        fields
    };
    let refresh_token = || {
        vec![field(
            "include_refresh_token",
            FieldType::Boolean,
            false,
            "Whether the stored refresh token is included.",
        )]
    };
    let oauth_provider = |id, path, summary, query| Endpoint {
        id,
        group: Group::Members,
        method: Method::Get,
        path,
        summary,
        path_params: vec!["organization_id", "member_id"],
        query,
        body: vec![],
    };
    let mut member_search = vec![field(
        "organization_ids",
        FieldType::StringList,
        true,
        "The organizations to search in.",
    )];
    member_search.extend(search_fields(true));
    vec![
        Endpoint {
            id: "organizations.create",
            group: Group::Organizations,
            method: Method::Post,
            path: "/v1/b2b/organizations",
            summary: "Create an organization",
            path_params: vec![],
            query: vec![],
            body: create,
        },
        Endpoint {
            id: "organizations.get",
            group: Group::Organizations,
            method: Method::Get,
            path: "/v1/b2b/organizations/{organization_id}",
            summary: "Get an organization by id or slug",
            path_params: organization.clone(),
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "organizations.update",
            group: Group::Organizations,
            method: Method::Put,
            path: "/v1/b2b/organizations/{organization_id}",
            summary: "Update an organization",
            path_params: organization.clone(),
            query: vec![],
            body: update,
        },
        Endpoint {
            id: "organizations.delete",
            group: Group::Organizations,
            method: Method::Delete,
            path: "/v1/b2b/organizations/{organization_id}",
            summary: "Delete an organization, its members and its RBAC policy",
            path_params: organization.clone(),
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "organizations.search",
            group: Group::Organizations,
            method: Method::Post,
            path: "/v1/b2b/organizations/search",
            summary: "Search organizations",
            path_params: vec![],
            query: vec![],
            body: search_fields(false),
        },
        Endpoint {
            id: "organizations.metrics",
            group: Group::Organizations,
            method: Method::Get,
            path: "/v1/b2b/organizations/{organization_id}/metrics",
            summary: "Count an organization's members",
            path_params: organization.clone(),
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "organizations.connected_apps",
            group: Group::Organizations,
            method: Method::Get,
            path: "/v1/b2b/organizations/{organization_id}/connected_apps",
            summary: "List the Connected Apps an organization's members use",
            path_params: organization.clone(),
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "organizations.connected_apps.get",
            group: Group::Organizations,
            method: Method::Get,
            path: "/v1/b2b/organizations/{organization_id}/connected_apps/{connected_app_id}",
            summary: "Get a Connected App and the members who use it",
            path_params: vec!["organization_id", "connected_app_id"],
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "organizations.delete_external_id",
            group: Group::Organizations,
            method: Method::Delete,
            path: "/v1/b2b/organizations/{organization_id}/external_id",
            summary: "Remove an organization's external id",
            path_params: organization.clone(),
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "members.create",
            group: Group::Members,
            method: Method::Post,
            path: "/v1/b2b/organizations/{organization_id}/members",
            summary: "Create a member",
            path_params: organization.clone(),
            query: vec![],
            body: member_fields(true),
        },
        Endpoint {
            id: "members.get",
            group: Group::Members,
            method: Method::Get,
            path: "/v1/b2b/organizations/{organization_id}/member",
            summary: "Get a member by id or email address",
            path_params: organization.clone(),
            query: vec![
                field(
                    "member_id",
                    FieldType::String,
                    false,
                    "The member's id. Give this or `email_address`.",
                ),
                field(
                    "email_address",
                    FieldType::String,
                    false,
                    "The member's email address. Give this or `member_id`.",
                ),
            ],
            body: vec![],
        },
        Endpoint {
            id: "members.update",
            group: Group::Members,
            method: Method::Put,
            path: "/v1/b2b/organizations/{organization_id}/members/{member_id}",
            summary: "Update a member",
            path_params: member.clone(),
            query: vec![],
            body: member_fields(false),
        },
        Endpoint {
            id: "members.delete",
            group: Group::Members,
            method: Method::Delete,
            path: "/v1/b2b/organizations/{organization_id}/members/{member_id}",
            summary: "Delete a member (its status becomes `deleted`; reactivate brings it back)",
            path_params: member.clone(),
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "members.delete_external_id",
            group: Group::Members,
            method: Method::Delete,
            path: "/v1/b2b/organizations/{organization_id}/members/{member_id}/external_id",
            summary: "Remove a member's external id",
            path_params: member.clone(),
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "members.reactivate",
            group: Group::Members,
            method: Method::Put,
            path: "/v1/b2b/organizations/{organization_id}/members/{member_id}/reactivate",
            summary: "Reactivate a deleted member",
            path_params: member.clone(),
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "members.dangerously_get",
            group: Group::Members,
            method: Method::Get,
            path: "/v1/b2b/organizations/members/dangerously_get/{member_id}",
            summary: "Get a member by id alone, in any organization",
            path_params: vec!["member_id"],
            query: vec![field(
                "include_deleted",
                FieldType::Boolean,
                false,
                "Whether a deleted member is found too.",
            )],
            body: vec![],
        },
        Endpoint {
            id: "members.delete_mfa_phone_number",
            group: Group::Members,
            method: Method::Delete,
            path: "/v1/b2b/organizations/{organization_id}/members/mfa_phone_numbers/{member_id}",
            summary: "Delete a member's MFA phone number",
            path_params: member.clone(),
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "members.delete_totp",
            group: Group::Members,
            method: Method::Delete,
            path: "/v1/b2b/organizations/{organization_id}/members/{member_id}/totp",
            summary: "Delete a member's MFA TOTP registration",
            path_params: member.clone(),
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "members.delete_password",
            group: Group::Members,
            method: Method::Delete,
            path: "/v1/b2b/organizations/{organization_id}/members/passwords/{member_password_id}",
            summary: "Delete a member's password",
            path_params: vec!["organization_id", "member_password_id"],
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "members.unlink_retired_email",
            group: Group::Members,
            method: Method::Post,
            path: "/v1/b2b/organizations/{organization_id}/members/{member_id}/unlink_retired_email",
            summary: "Unlink a member's retired email address, freeing it for others",
            path_params: member.clone(),
            query: vec![],
            body: vec![
                field(
                    "email_id",
                    FieldType::String,
                    false,
                    "The retired address's id. Give this, `email_address`, or both.",
                ),
                field(
                    "email_address",
                    FieldType::String,
                    false,
                    "The retired address. Give this, `email_id`, or both.",
                ),
            ],
        },
        Endpoint {
            id: "members.start_email_update",
            group: Group::Members,
            method: Method::Post,
            path: "/v1/b2b/organizations/{organization_id}/members/{member_id}/start_email_update",
            summary: "Start a member's self-serve email update (sends a verification email)",
            path_params: member.clone(),
            query: vec![],
            body: vec![
                field(
                    "email_address",
                    FieldType::String,
                    true,
                    "The member's new email address.",
                ),
                field(
                    "login_redirect_url",
                    FieldType::String,
                    false,
                    "Where the email's magic link leads; the project's default if absent.",
                ),
                field(
                    "locale",
                    FieldType::String,
                    false,
                    "The email's language: `en`, `es`, `pt-br`, `fr`, ...",
                ),
                field(
                    "login_template_id",
                    FieldType::String,
                    false,
                    "A custom email template.",
                ),
                Field {
                    default: Some("EMAIL_MAGIC_LINK"),
                    ..field(
                        "delivery_method",
                        FieldType::Enum {
                            values: crate::organization::EMAIL_DELIVERY_METHODS,
                        },
                        false,
                        "How the new address is verified.",
                    )
                },
            ],
        },
        oauth_provider(
            "members.oauth_providers.google",
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/oauth_providers/google",
            "Get a member's Google access and ID tokens",
            refresh_token(),
        ),
        oauth_provider(
            "members.oauth_providers.microsoft",
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/oauth_providers/microsoft",
            "Get a member's Microsoft access and ID tokens",
            refresh_token(),
        ),
        oauth_provider(
            "members.oauth_providers.slack",
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/oauth_providers/slack",
            "Get a member's Slack access tokens",
            vec![],
        ),
        oauth_provider(
            "members.oauth_providers.hubspot",
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/oauth_providers/hubspot",
            "Get a member's HubSpot access tokens",
            refresh_token(),
        ),
        oauth_provider(
            "members.oauth_providers.github",
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/oauth_providers/github",
            "Get a member's GitHub access tokens",
            refresh_token(),
        ),
        Endpoint {
            id: "members.oidc_providers",
            group: Group::Members,
            method: Method::Get,
            path: "/v1/b2b/organizations/{organization_id}/members/{member_id}/oidc_providers",
            summary: "List a member's OIDC provider registrations",
            path_params: member.clone(),
            query: vec![field(
                "include_refresh_token",
                FieldType::Boolean,
                false,
                "Whether refresh tokens are included.",
            )],
            body: vec![],
        },
        Endpoint {
            id: "members.connected_apps",
            group: Group::Members,
            method: Method::Get,
            path: "/v1/b2b/organizations/{organization_id}/members/{member_id}/connected_apps",
            summary: "List the Connected Apps a member has authorized",
            path_params: member.clone(),
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "members.connected_apps.revoke",
            group: Group::Members,
            method: Method::Post,
            path: "/v1/b2b/organizations/{organization_id}/members/{member_id}/connected_apps/{connected_app_id}/revoke",
            summary: "Revoke a member's authorization of a Connected App",
            path_params: vec!["organization_id", "member_id", "connected_app_id"],
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "members.search",
            group: Group::Members,
            method: Method::Post,
            path: "/v1/b2b/organizations/members/search",
            summary: "Search members across organizations",
            path_params: vec![],
            query: vec![],
            body: member_search,
        },
        Endpoint {
            id: "rbac.policy",
            group: Group::Rbac,
            method: Method::Get,
            path: "/v1/b2b/rbac/policy",
            summary: "Get the project's RBAC policy",
            path_params: vec![],
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "rbac.organization_policy.get",
            group: Group::Rbac,
            method: Method::Get,
            path: "/v1/b2b/rbac/organizations/{organization_id}",
            summary: "Get an organization's custom roles",
            path_params: organization.clone(),
            query: vec![],
            body: vec![],
        },
        Endpoint {
            id: "rbac.organization_policy.set",
            group: Group::Rbac,
            method: Method::Put,
            path: "/v1/b2b/rbac/organizations/{organization_id}",
            summary: "Set an organization's custom roles",
            path_params: organization,
            query: vec![],
            body: vec![field(
                "org_policy",
                FieldType::Object,
                true,
                "`{roles: [{role_id, description, permissions}]}`.",
            )],
        },
    ]
}

/// A request path matched to an endpoint, with its path parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    pub endpoint: Endpoint,
    pub params: BTreeMap<&'static str, String>,
}

/// Whether `segment` may stand for a path parameter: one or more
/// unreserved characters (letters, digits, `-._~`), never `.` or `..`.
pub fn is_parameter_value(segment: &str) -> bool {
    if segment.is_empty() || segment == "." || segment == ".." {
        return false;
    }
    // External ids may hold `|`, which clients send as `%7C`: that one
    // escape is allowed, and no other.
    let mut rest = segment.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first.is_ascii_alphanumeric() || b"-._~".contains(&first) {
            rest = tail;
        } else if let Some(after) = rest
            .strip_prefix(b"%7C")
            .or_else(|| rest.strip_prefix(b"%7c"))
        {
            rest = after;
        } else {
            return false;
        }
    }
    true
}

/// A parameter value as it goes in a path: `|` written `%7C`.
fn encode_parameter(value: &str) -> String {
    value.replace('|', "%7C")
}

/// Matches a method and a concrete path (no query string) against the
/// catalog. Literal segments win over parameters
/// (`/v1/b2b/organizations/search` is the search endpoint, not a get).
pub fn match_request(method: &str, path: &str) -> Option<Matched> {
    let method = Method::parse(method)?;
    let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    let mut best: Option<(usize, Matched)> = None;
    for endpoint in catalog()
        .into_iter()
        .filter(|endpoint| endpoint.method == method)
    {
        let template: Vec<&'static str> =
            endpoint.path.trim_start_matches('/').split('/').collect();
        if template.len() != segments.len() {
            continue;
        }
        let mut params = BTreeMap::new();
        let mut literals = 0;
        let matches = template.iter().zip(&segments).all(|(expected, actual)| {
            match expected
                .strip_prefix('{')
                .and_then(|rest| rest.strip_suffix('}'))
            {
                Some(name) if is_parameter_value(actual) => {
                    params.insert(name, (*actual).to_owned());
                    true
                }
                Some(_) => false,
                None => {
                    literals += 1;
                    expected == actual
                }
            }
        });
        if matches && best.as_ref().is_none_or(|(most, _)| literals > *most) {
            best = Some((literals, Matched { endpoint, params }));
        }
    }
    best.map(|(_, matched)| matched)
}

/// The query string for an endpoint's query parameters that have a
/// non-empty value in `params` (`?name=value&...`, form-encoded), or `""`.
pub fn query_string(endpoint: &Endpoint, params: &BTreeMap<String, String>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    let mut any = false;
    for field in &endpoint.query {
        if let Some(value) = params.get(field.name).filter(|value| !value.is_empty()) {
            query.append_pair(field.name, value);
            any = true;
        }
    }
    if any {
        format!("?{}", query.finish())
    } else {
        String::new()
    }
}

/// The part of a request's query string an endpoint takes: its own
/// parameters, each once (the first occurrence), re-encoded; everything
/// else is dropped. `None` when nothing is left.
pub fn forwarded_query(endpoint: &Endpoint, raw: &str) -> Option<String> {
    let mut kept: Vec<(String, String)> = Vec::new();
    for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
        if endpoint.query.iter().any(|field| field.name == name)
            && !kept.iter().any(|(seen, _)| *seen == name)
        {
            kept.push((name.into_owned(), value.into_owned()));
        }
    }
    (!kept.is_empty()).then(|| {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(kept)
            .finish()
    })
}

/// Fills a path template with parameters; `None` if one is missing or not a
/// valid parameter value.
pub fn build_path(endpoint: &Endpoint, params: &BTreeMap<String, String>) -> Option<String> {
    fill_path(endpoint, |name| {
        params
            .get(name)
            .map(|value| encode_parameter(value))
            .filter(|value| is_parameter_value(value))
    })
}

/// Fills a path template, asking `value` for each parameter by name; `None`
/// if it has no value for one. The caller decides what a value may be.
pub fn fill_path(
    endpoint: &Endpoint,
    mut value: impl FnMut(&str) -> Option<String>,
) -> Option<String> {
    let mut path = String::new();
    for segment in endpoint.path.trim_start_matches('/').split('/') {
        path.push('/');
        match segment
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            Some(name) => path.push_str(&value(name)?),
            None => path.push_str(segment),
        }
    }
    Some(path)
}

/// What is wrong with a request a form describes: problems with path
/// parameters (pointer `/<name>`) and with the body (pointers into it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequestProblems {
    pub path: Vec<orgpolicy_core::Problem>,
    pub body: Vec<orgpolicy_core::Problem>,
}

impl RequestProblems {
    /// Whether anything blocks sending (warnings do not).
    pub fn has_errors(&self) -> bool {
        self.path
            .iter()
            .chain(&self.body)
            .any(|p| p.severity == orgpolicy_core::Severity::Error)
    }
}

/// Checks a request for `endpoint` as the API would, using the core's rules
/// for that endpoint's body. `project` is the project policy, when known,
/// for organization policy bodies.
pub fn check_request(
    endpoint: &Endpoint,
    params: &BTreeMap<String, String>,
    body: &serde_json::Value,
    project: Option<&orgpolicy_core::Policy>,
) -> RequestProblems {
    use crate::organization::{
        Mode, Origin, parse_member_search_query, parse_search_query, validate_member_body,
        validate_organization_body,
    };
    use orgpolicy_core::{Problem, ProblemCode};
    let mut problems = RequestProblems::default();
    for name in &endpoint.path_params {
        match params.get(*name) {
            Some(value) if is_parameter_value(value) => {}
            Some(value) => problems.path.push(Problem::error(
                ProblemCode::InvalidFormat,
                format!("/{name}"),
                format!("`{value}` is not a valid {name}: use letters, digits and `-._~`"),
            )),
            None => problems.path.push(Problem::error(
                ProblemCode::MissingField,
                format!("/{name}"),
                format!("missing path parameter `{name}`"),
            )),
        }
    }
    if endpoint.id == "members.get" {
        let given: Vec<&str> = ["member_id", "email_address"]
            .into_iter()
            .filter(|name| params.get(*name).is_some_and(|v| !v.is_empty()))
            .collect();
        if given.len() != 1 {
            problems.path.push(Problem::error(
                ProblemCode::MissingField,
                "/member_id",
                "give exactly one of `member_id` and `email_address`",
            ));
        }
    }
    // The gateway sends the project's credentials: bodies are a backend's.
    let origin = Origin::Backend;
    problems.body = match endpoint.id {
        "organizations.create" => validate_organization_body(body, Mode::Create, origin),
        "organizations.update" => validate_organization_body(body, Mode::Update, origin),
        "members.create" => validate_member_body(body, Mode::Create, origin),
        "members.update" => validate_member_body(body, Mode::Update, origin),
        "organizations.search" => match parse_search_query(body) {
            Ok(query) => query.warnings,
            Err(problems) => problems,
        },
        "members.search" => {
            let mut found = Vec::new();
            let mut rest = body.as_object().cloned().unwrap_or_default();
            if let Err(problem) = crate::organization::search_organization_ids(body) {
                found.push(problem);
            }
            rest.remove("organization_ids");
            found.extend(
                match parse_member_search_query(&serde_json::Value::Object(rest)) {
                    Ok(query) => query.warnings,
                    Err(problems) => problems,
                },
            );
            found
        }
        "rbac.organization_policy.set" => {
            let text = body.to_string();
            match project {
                Some(project) => {
                    match orgpolicy_core::check_organization_policy_text(project, &text) {
                        Err(problem) => vec![problem],
                        Ok((_, report)) => {
                            report.errors.into_iter().chain(report.warnings).collect()
                        }
                    }
                }
                None => orgpolicy_core::parse::parse_organization_policy(&text)
                    .err()
                    .map(|error| vec![error.problem])
                    .unwrap_or_default(),
            }
        }
        _ => Vec::new(),
    };
    problems
}

/// The concrete request a form describes, ready to render or send; the
/// problems if anything blocks it.
pub fn build_request(
    endpoint: &Endpoint,
    params: &BTreeMap<String, String>,
    body: &serde_json::Value,
    project: Option<&orgpolicy_core::Policy>,
) -> Result<crate::snippet::SnippetRequest, RequestProblems> {
    let problems = check_request(endpoint, params, body, project);
    if problems.has_errors() {
        return Err(problems);
    }
    let path = build_path(endpoint, params).ok_or_else(|| problems.clone())?
        + &query_string(endpoint, params);
    let has_body = matches!(endpoint.method, Method::Post | Method::Put);
    Ok(crate::snippet::SnippetRequest {
        method: endpoint.method,
        path,
        body: has_body.then(|| body.clone()),
    })
}
