//! Organizations as the API has them: field rules for create and update
//! bodies, the frontend metadata limits and merge, and search queries.
//!
//! Bodies are checked as JSON values so that every problem is reported at
//! once, each with a pointer, rather than stopping at the first type error.

use orgpolicy_core::problem::{Pointer, Problem, ProblemCode};
use serde::Serialize;
use serde_json::{Map, Value};

/// Who writes: the backend (project secret) or a frontend (a member's
/// session). A frontend may never write `trusted_metadata`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Backend,
    Frontend,
}

/// Whether a body creates an organization or updates one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Create,
    Update,
}

pub const NAME_MAX_CHARS: usize = 128;
pub const SLUG_MIN_CHARS: usize = 2;
pub const SLUG_MAX_CHARS: usize = 128;
/// Frontend metadata limits: top-level keys and serialized bytes.
pub const METADATA_MAX_KEYS: usize = 20;
pub const METADATA_MAX_BYTES: usize = 4096;

/// Single-valued enum fields, their values, and the value a new
/// organization gets.
pub const ENUM_FIELDS: &[(&str, &[&str], &str)] = &[
    (
        "email_jit_provisioning",
        &["RESTRICTED", "NOT_ALLOWED"],
        "NOT_ALLOWED",
    ),
    (
        "email_invites",
        &["ALL_ALLOWED", "RESTRICTED", "NOT_ALLOWED"],
        "ALL_ALLOWED",
    ),
    (
        "sso_jit_provisioning",
        &["ALL_ALLOWED", "RESTRICTED", "NOT_ALLOWED"],
        "ALL_ALLOWED",
    ),
    (
        "auth_methods",
        &["ALL_ALLOWED", "RESTRICTED"],
        "ALL_ALLOWED",
    ),
    ("mfa_policy", &["OPTIONAL", "REQUIRED_FOR_ALL"], "OPTIONAL"),
    ("mfa_methods", &["ALL_ALLOWED", "RESTRICTED"], "ALL_ALLOWED"),
    (
        "oauth_tenant_jit_provisioning",
        &["RESTRICTED", "NOT_ALLOWED"],
        "NOT_ALLOWED",
    ),
    (
        "first_party_connected_apps_allowed_type",
        &["ALL_ALLOWED", "RESTRICTED", "NOT_ALLOWED"],
        "ALL_ALLOWED",
    ),
    (
        "third_party_connected_apps_allowed_type",
        &["ALL_ALLOWED", "RESTRICTED", "NOT_ALLOWED"],
        "ALL_ALLOWED",
    ),
];

/// Stytch's code for a value an organization setting does not take.
pub fn invalid_setting(name: &str) -> ProblemCode {
    use crate::codes;
    match name {
        "mfa_policy" => codes::INVALID_ORGANIZATION_MFA_POLICY,
        "auth_methods" => codes::INVALID_ORGANIZATION_AUTH_METHOD_SETTINGS,
        "allowed_auth_methods" => codes::INVALID_ORGANIZATION_ALLOWED_AUTH_METHODS,
        "mfa_methods" => codes::INVALID_ORGANIZATION_MFA_FACTOR_SETTING,
        "allowed_mfa_methods" => codes::INVALID_ORGANIZATION_ALLOWED_MFA_METHODS,
        "email_jit_provisioning"
        | "email_invites"
        | "sso_jit_provisioning"
        | "oauth_tenant_jit_provisioning" => codes::INVALID_ORGANIZATION_AUTH_FACTOR_SETTING,
        _ => codes::INVALID_REQUEST_VALUE,
    }
}

/// List-valued enum fields and their values.
pub const LIST_ENUM_FIELDS: &[(&str, &[&str])] = &[
    (
        "allowed_auth_methods",
        &[
            "sso",
            "magic_link",
            "email_otp",
            "password",
            "google_oauth",
            "microsoft_oauth",
            "slack_oauth",
            "github_oauth",
            "hubspot_oauth",
        ],
    ),
    ("allowed_mfa_methods", &["sms_otp", "totp"]),
];

/// Other fields a create or update body may carry.
const OTHER_FIELDS: &[&str] = &[
    "organization_name",
    "organization_slug",
    "organization_logo_url",
    "trusted_metadata",
    "email_allowed_domains",
    "rbac_email_implicit_role_assignments",
    "sso_default_connection_id",
    "allowed_oauth_tenants",
    "claimed_email_domains",
    "organization_external_id",
    "allowed_first_party_connected_apps",
    "allowed_third_party_connected_apps",
];

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn expected(at: &Pointer, what: &str, value: &Value) -> Problem {
    Problem::error(
        ProblemCode::InvalidType,
        at,
        format!("expected {what}, got {}", type_name(value)),
    )
}

/// `trusted_metadata` is the backend's alone: a frontend may never write
/// it; a backend's must stay within the limits.
fn check_trusted_metadata(
    fields: &Map<String, Value>,
    origin: Origin,
    problems: &mut Vec<Problem>,
) {
    let Some(metadata) = fields.get("trusted_metadata") else {
        return;
    };
    let at = Pointer::root().key("trusted_metadata");
    if origin == Origin::Frontend {
        problems.push(Problem::error(
            crate::codes::CANNOT_UPDATE_TRUSTED_METADATA,
            at,
            "trusted_metadata cannot be written from a frontend; write it from your backend",
        ));
    } else {
        problems.extend(validate_metadata(metadata, &at));
    }
}

/// Checks a string field: missing is an error on create and fine on
/// update, where `null` also means "unchanged"; a present string must pass
/// `check` (which returns the problem with it, given its pointer).
fn check_string_field(
    fields: &Map<String, Value>,
    name: &str,
    mode: Mode,
    problems: &mut Vec<Problem>,
    check: impl Fn(&str, &Pointer) -> Option<Problem>,
) {
    let at = Pointer::root().key(name);
    match (fields.get(name), mode) {
        // Stytch names this one; other missing fields are `missing_field`.
        (None, Mode::Create) if name == "organization_name" => {
            problems.push(Problem::error(
                crate::codes::ORGANIZATION_NAME_MISSING,
                &at,
                format!("missing field `{name}`"),
            ));
        }
        (None, Mode::Create) => {
            problems.push(Problem::error(
                ProblemCode::MissingField,
                "",
                format!("missing field `{name}`"),
            ));
        }
        (None | Some(Value::Null), Mode::Update) => {}
        (Some(Value::String(text)), _) => problems.extend(check(text, &at)),
        (Some(other), _) => problems.push(expected(&at, "a string", other)),
    }
}

/// Checks an optional array of strings: each item a string that `check`
/// accepts (it returns the problem with an item, given the item's pointer).
fn check_string_list(
    value: Option<&Value>,
    at: &Pointer,
    problems: &mut Vec<Problem>,
    check: impl Fn(&str, &Pointer) -> Option<Problem>,
) {
    match value {
        None => {}
        Some(Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                let item_at = at.index(index);
                match item {
                    Value::String(text) => problems.extend(check(text, &item_at)),
                    other => problems.push(expected(&item_at, "a string", other)),
                }
            }
        }
        Some(other) => problems.push(expected(at, "an array", other)),
    }
}

/// Whether a slug follows Stytch's rule: 2 to 128 ASCII letters, digits
/// and `-._~`. ASCII only, so look-alikes (`ÉCOLE`, fullwidth `ａｃｍｅ`,
/// Cyrillic `аcme`) cannot sit next to the slug they imitate.
pub fn is_valid_slug(slug: &str) -> bool {
    (SLUG_MIN_CHARS..=SLUG_MAX_CHARS).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// Whether an external id is 1 to 128 ASCII letters, digits and `._-|`.
pub fn is_valid_external_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-|".contains(&b))
}

/// Checks an optional external id field of a body.
fn check_external_id(fields: &Map<String, Value>, name: &str, problems: &mut Vec<Problem>) {
    let at = Pointer::root().key(name);
    match fields.get(name) {
        None | Some(Value::Null) => {}
        Some(Value::String(id)) if is_valid_external_id(id) => {}
        Some(Value::String(id)) => problems.push(Problem::error(
            crate::codes::INVALID_EXTERNAL_ID,
            at,
            format!("external id `{id}` must be 1 to 128 ASCII letters, digits or `._-|`"),
        )),
        Some(other) => problems.push(expected(&at, "a string", other)),
    }
}

/// Email providers' domains, which no organization may allow or claim
/// (Stytch refuses them as `organization_settings_domain_too_common`).
pub const COMMON_EMAIL_DOMAINS: &[&str] = &[
    "aol.com",
    "gmail.com",
    "gmx.com",
    "gmx.de",
    "googlemail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "icloud.com",
    "live.com",
    "mac.com",
    "mail.com",
    "mail.ru",
    "me.com",
    "msn.com",
    "outlook.com",
    "proton.me",
    "protonmail.com",
    "qq.com",
    "yahoo.com",
    "yahoo.co.uk",
    "yandex.ru",
    "zoho.com",
];

/// Whether a domain is an email provider's (case-insensitive).
pub fn is_common_email_domain(domain: &str) -> bool {
    COMMON_EMAIL_DOMAINS
        .iter()
        .any(|common| common.eq_ignore_ascii_case(domain))
}

/// Whether a string looks like an email domain (`example.com`).
pub fn is_valid_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    domain.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Checks metadata against the frontend limits: an object of at most 20
/// top-level keys and 4 KB serialized.
pub fn validate_metadata(value: &Value, at: &Pointer) -> Vec<Problem> {
    let Value::Object(map) = value else {
        return vec![Problem::error(
            crate::codes::METADATA_INVALID_FORMAT,
            at,
            format!("metadata must be an object, got {}", type_name(value)),
        )];
    };
    let mut problems = Vec::new();
    if map.len() > METADATA_MAX_KEYS {
        problems.push(Problem::error(
            crate::codes::METADATA_TOO_MANY_KEYS,
            at,
            format!(
                "metadata has {} top-level keys; at most {METADATA_MAX_KEYS} are allowed",
                map.len()
            ),
        ));
    }
    let bytes = value.to_string().len();
    if bytes > METADATA_MAX_BYTES {
        problems.push(Problem::error(
            crate::codes::METADATA_TOO_LARGE,
            at,
            format!(
                "metadata is {bytes} bytes serialized; at most {METADATA_MAX_BYTES} are allowed"
            ),
        ));
    }
    problems
}

/// Applies a metadata update: top-level keys are merged, and a top-level
/// `null` deletes its key.
pub fn merge_metadata(
    existing: &Map<String, Value>,
    update: &Map<String, Value>,
) -> Map<String, Value> {
    let mut merged = existing.clone();
    for (key, value) in update {
        if value.is_null() {
            merged.remove(key);
        } else {
            merged.insert(key.clone(), value.clone());
        }
    }
    merged
}

/// Applies a metadata update to the stored metadata (merge at the top level,
/// `null` deletes) and checks the result against the limits: the limits
/// bind what is stored, not the update alone.
pub fn update_metadata(
    existing: Option<&Value>,
    update: &Value,
    at: &Pointer,
) -> Result<Value, Vec<Problem>> {
    let empty = Map::new();
    let existing = existing.and_then(Value::as_object).unwrap_or(&empty);
    let merged = Value::Object(merge_metadata(
        existing,
        update.as_object().unwrap_or(&empty),
    ));
    let problems = validate_metadata(&merged, at);
    if problems.is_empty() {
        Ok(merged)
    } else {
        Err(problems)
    }
}

/// `auth_methods`/`mfa_methods` set to `RESTRICTED` need a non-empty list
/// of what is allowed. Checked on a create body, and on the merged
/// settings of an update (see [`crate::objects::check_settings`]).
pub fn restricted_without_list(
    setting: Option<&str>,
    list: Option<&Value>,
    list_name: &str,
) -> Option<Problem> {
    let empty = list
        .and_then(Value::as_array)
        .is_none_or(|items| items.is_empty());
    (setting == Some("RESTRICTED") && empty).then(|| {
        let code = if list_name == "allowed_auth_methods" {
            crate::codes::ALLOWED_AUTH_METHODS_REQUIRED_FOR_RESTRICTED
        } else {
            crate::codes::ALLOWED_MFA_METHODS_REQUIRED_FOR_RESTRICTED
        };
        Problem::error(
            code,
            Pointer::root().key(list_name),
            format!("`{list_name}` must be set when its setting is RESTRICTED"),
        )
    })
}

/// Checks a create or update body; every problem at once. Unknown fields are
/// warnings (a likely typo), not errors.
pub fn validate_organization_body(body: &Value, mode: Mode, origin: Origin) -> Vec<Problem> {
    let root = Pointer::root();
    let Value::Object(fields) = body else {
        return vec![expected(&root, "an object", body)];
    };
    let mut problems = Vec::new();
    let field = |name: &str| {
        fields
            .get(name)
            .filter(|value| !(mode == Mode::Update && value.is_null()))
    };

    check_string_field(
        fields,
        "organization_name",
        mode,
        &mut problems,
        |name, at| {
            let count = name.chars().count();
            (name.trim().is_empty() || count > NAME_MAX_CHARS).then(|| {
                Problem::error(
                    crate::codes::INVALID_ORGANIZATION_NAME,
                    at,
                    format!(
                        "organization name must be 1 to {NAME_MAX_CHARS} characters, got {count}"
                    ),
                )
            })
        },
    );
    check_string_field(
        fields,
        "organization_slug",
        mode,
        &mut problems,
        |slug, at| {
            (!is_valid_slug(slug)).then(|| {
            Problem::error(
                crate::codes::INVALID_ORGANIZATION_SLUG,
                at,
                format!(
                    "slug `{slug}` must be {SLUG_MIN_CHARS} to {SLUG_MAX_CHARS} ASCII letters, digits or `-._~`"
                ),
            )
        })
        },
    );

    for (name, values, _) in ENUM_FIELDS {
        let at = root.key(name);
        match field(name) {
            None => {}
            Some(Value::String(value)) if values.contains(&value.as_str()) => {}
            Some(Value::String(value)) => problems.push(Problem::error(
                invalid_setting(name),
                &at,
                format!("`{value}` is not one of {}", values.join(", ")),
            )),
            Some(other) => problems.push(expected(&at, "a string", other)),
        }
    }
    for (name, values) in LIST_ENUM_FIELDS {
        check_string_list(field(name), &root.key(name), &mut problems, |value, at| {
            (!values.contains(&value)).then(|| {
                Problem::error(
                    invalid_setting(name),
                    at,
                    format!("`{value}` is not one of {}", values.join(", ")),
                )
            })
        });
    }
    check_string_list(
        field("email_allowed_domains"),
        &root.key("email_allowed_domains"),
        &mut problems,
        |domain, at| {
            if !is_valid_domain(domain) {
                Some(Problem::error(
                    crate::codes::INVALID_EMAIL_DOMAIN,
                    at,
                    format!("`{domain}` is not an email domain"),
                ))
            } else if is_common_email_domain(domain) {
                Some(Problem::error(
                    crate::codes::ORGANIZATION_SETTINGS_DOMAIN_TOO_COMMON,
                    at,
                    format!(
                        "`{domain}` is an email provider's domain; allow your organization's own"
                    ),
                ))
            } else {
                None
            }
        },
    );
    if mode == Mode::Create {
        problems.extend(restricted_without_list(
            field("auth_methods").and_then(Value::as_str),
            field("allowed_auth_methods"),
            "allowed_auth_methods",
        ));
        problems.extend(restricted_without_list(
            field("mfa_methods").and_then(Value::as_str),
            field("allowed_mfa_methods"),
            "allowed_mfa_methods",
        ));
    }

    check_string_list(
        field("claimed_email_domains"),
        &root.key("claimed_email_domains"),
        &mut problems,
        |domain, at| {
            (!is_valid_domain(domain)).then(|| {
                Problem::error(
                    crate::codes::INVALID_EMAIL_DOMAIN,
                    at,
                    format!("`{domain}` is not an email domain"),
                )
            })
        },
    );
    for name in [
        "allowed_first_party_connected_apps",
        "allowed_third_party_connected_apps",
    ] {
        check_string_list(field(name), &root.key(name), &mut problems, |_, _| None);
    }
    match field("allowed_oauth_tenants") {
        None | Some(Value::Object(_)) => {}
        Some(other) => problems.push(expected(
            &root.key("allowed_oauth_tenants"),
            "an object",
            other,
        )),
    }

    let assignments_at = root.key("rbac_email_implicit_role_assignments");
    match field("rbac_email_implicit_role_assignments") {
        None => {}
        Some(Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                let at = assignments_at.index(index);
                let Value::Object(assignment) = item else {
                    problems.push(expected(&at, "an object", item));
                    continue;
                };
                match assignment.get("domain") {
                    Some(Value::String(domain)) if is_valid_domain(domain) => {}
                    Some(Value::String(domain)) => problems.push(Problem::error(
                        crate::codes::INVALID_EMAIL_DOMAIN,
                        at.key("domain"),
                        format!("`{domain}` is not an email domain"),
                    )),
                    Some(other) => problems.push(expected(&at.key("domain"), "a string", other)),
                    None => problems.push(Problem::error(
                        ProblemCode::MissingField,
                        &at,
                        "missing field `domain`",
                    )),
                }
                match assignment.get("role_id") {
                    Some(Value::String(role)) if !role.trim().is_empty() => {}
                    Some(Value::String(_)) => problems.push(Problem::error(
                        ProblemCode::EmptyRbacRoleId,
                        at.key("role_id"),
                        "role id must not be empty",
                    )),
                    Some(other) => problems.push(expected(&at.key("role_id"), "a string", other)),
                    None => problems.push(Problem::error(
                        ProblemCode::MissingField,
                        &at,
                        "missing field `role_id`",
                    )),
                }
            }
        }
        Some(other) => problems.push(expected(&assignments_at, "an array", other)),
    }

    check_trusted_metadata(fields, origin, &mut problems);
    check_external_id(fields, "organization_external_id", &mut problems);

    for name in fields.keys() {
        let known = OTHER_FIELDS.contains(&name.as_str())
            || ENUM_FIELDS.iter().any(|(field, _, _)| field == name)
            || LIST_ENUM_FIELDS.iter().any(|(field, _)| field == name);
        if !known {
            problems.push(Problem::warning(
                crate::codes::UNKNOWN_FIELD,
                root.key(name),
                format!("`{name}` is not an organization field"),
            ));
        }
    }
    problems
}

/// Whether a string looks like an email address: exactly one `@`, a
/// non-empty local part of at most 64 bytes without whitespace or control
/// characters, and a valid domain.
pub fn is_valid_email(email: &str) -> bool {
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && local.len() <= 64
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && is_valid_domain(domain)
}

const MEMBER_FIELDS: &[&str] = &[
    "create_member_as_pending",
    "email_address",
    "name",
    "roles",
    "is_breakglass",
    "trusted_metadata",
    "untrusted_metadata",
    "mfa_phone_number",
    "mfa_enrolled",
    "default_mfa_method",
    "external_id",
    "preserve_existing_sessions",
    "unlink_email",
];

/// How a member's new email address is verified.
pub const EMAIL_DELIVERY_METHODS: &[&str] = &["EMAIL_MAGIC_LINK", "EMAIL_OTP"];

/// MFA methods a member may default to.
pub const MFA_METHODS: &[&str] = &["sms_otp", "totp"];

/// Checks a member create or update body; every problem at once. A
/// frontend may write `untrusted_metadata`, never `trusted_metadata`.
pub fn validate_member_body(body: &Value, mode: Mode, origin: Origin) -> Vec<Problem> {
    let root = Pointer::root();
    let Value::Object(fields) = body else {
        return vec![expected(&root, "an object", body)];
    };
    let mut problems = Vec::new();
    check_string_field(fields, "email_address", mode, &mut problems, |email, at| {
        (!is_valid_email(email)).then(|| {
            Problem::error(
                crate::codes::INVALID_EMAIL,
                at,
                format!("`{email}` is not an email address"),
            )
        })
    });
    match fields.get("name") {
        None | Some(Value::Null | Value::String(_)) => {}
        Some(other) => problems.push(expected(&root.key("name"), "a string", other)),
    }
    for flag in [
        "is_breakglass",
        "mfa_enrolled",
        "create_member_as_pending",
        "preserve_existing_sessions",
        "unlink_email",
    ] {
        match fields.get(flag) {
            None | Some(Value::Null | Value::Bool(_)) => {}
            Some(other) => problems.push(expected(&root.key(flag), "a boolean", other)),
        }
    }
    match fields.get("mfa_phone_number") {
        None | Some(Value::Null | Value::String(_)) => {}
        Some(other) => problems.push(expected(&root.key("mfa_phone_number"), "a string", other)),
    }
    match fields.get("default_mfa_method") {
        None | Some(Value::Null) => {}
        Some(Value::String(method)) if MFA_METHODS.contains(&method.as_str()) => {}
        Some(Value::String(method)) => problems.push(Problem::error(
            crate::codes::INVALID_MFA_DEFAULT_METHOD,
            root.key("default_mfa_method"),
            format!("`{method}` is not one of {}", MFA_METHODS.join(", ")),
        )),
        Some(other) => problems.push(expected(&root.key("default_mfa_method"), "a string", other)),
    }
    check_string_list(
        fields.get("roles").filter(|roles| !roles.is_null()),
        &root.key("roles"),
        &mut problems,
        |role, at| {
            if role.trim().is_empty() {
                Some(Problem::error(
                    ProblemCode::EmptyRbacRoleId,
                    at,
                    "role id must not be empty",
                ))
            } else if role == orgpolicy_core::stytch::DEFAULT_MEMBER_ROLE {
                Some(Problem::error(
                    crate::codes::CANNOT_ASSIGN_DEFAULT_RBAC_ROLE_ID,
                    at,
                    "`stytch_member` is every member's role; it cannot be assigned",
                ))
            } else {
                None
            }
        },
    );
    check_trusted_metadata(fields, origin, &mut problems);
    check_external_id(fields, "external_id", &mut problems);
    if let Some(metadata) = fields.get("untrusted_metadata") {
        problems.extend(validate_metadata(metadata, &root.key("untrusted_metadata")));
    }
    for name in fields
        .keys()
        .filter(|name| !MEMBER_FIELDS.contains(&name.as_str()))
    {
        problems.push(Problem::warning(
            crate::codes::UNKNOWN_FIELD,
            root.key(name),
            format!("`{name}` is not a member field"),
        ));
    }
    problems
}

/// Checks a start-email-update body: a valid new address, a known
/// delivery method, strings where strings go.
pub fn validate_start_email_update(body: &Value) -> Vec<Problem> {
    let root = Pointer::root();
    let Value::Object(fields) = body else {
        return vec![expected(&root, "an object", body)];
    };
    let mut problems = Vec::new();
    check_string_field(
        fields,
        "email_address",
        Mode::Create,
        &mut problems,
        |email, at| {
            (!is_valid_email(email)).then(|| {
                Problem::error(
                    crate::codes::INVALID_EMAIL,
                    at,
                    format!("`{email}` is not an email address"),
                )
            })
        },
    );
    for name in ["login_redirect_url", "locale", "login_template_id"] {
        match fields.get(name) {
            None | Some(Value::Null | Value::String(_)) => {}
            Some(other) => problems.push(expected(&root.key(name), "a string", other)),
        }
    }
    match fields.get("delivery_method") {
        None | Some(Value::Null) => {}
        Some(Value::String(method)) if EMAIL_DELIVERY_METHODS.contains(&method.as_str()) => {}
        Some(Value::String(method)) => problems.push(Problem::error(
            crate::codes::INVALID_REQUEST_VALUE,
            root.key("delivery_method"),
            format!(
                "`{method}` is not one of {}",
                EMAIL_DELIVERY_METHODS.join(", ")
            ),
        )),
        Some(other) => problems.push(expected(&root.key("delivery_method"), "a string", other)),
    }
    problems
}

/// How the operands of a search combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SearchOperator {
    #[serde(rename = "AND")]
    And,
    #[serde(rename = "OR")]
    Or,
}

/// The value a search filter takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FilterValue {
    Strings(Vec<String>),
    Text(String),
    Flag(bool),
}

/// One search operand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchFilter {
    pub filter_name: String,
    pub filter_value: FilterValue,
}

/// A checked organization search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchQuery {
    pub cursor: Option<String>,
    pub limit: u32,
    pub operator: SearchOperator,
    pub operands: Vec<SearchFilter>,
    /// What is allowed but worth saying (`OR` is deprecated).
    pub warnings: Vec<Problem>,
}

pub const SEARCH_LIMIT_DEFAULT: u32 = 100;
pub const SEARCH_LIMIT_MAX: u32 = 1000;
pub const FUZZY_MIN_CHARS: usize = 3;
/// Bounds on one search, so the heaviest query allowed stays cheap: at
/// most this many operands, values over all operands, and characters per
/// value.
pub const SEARCH_OPERANDS_MAX: usize = 50;
pub const SEARCH_VALUES_MAX: usize = 1000;
pub const SEARCH_VALUE_MAX_CHARS: usize = 512;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FilterKind {
    Strings,
    Fuzzy,
    Text,
    Flag,
}

/// Stytch's codes for the problems of one search endpoint's operands.
struct SearchCodes {
    filter_name_must_be_string: ProblemCode,
    filter_name_not_recognized: ProblemCode,
    missing_filter_value: ProblemCode,
    expected_array_of_strings: ProblemCode,
    expected_string: ProblemCode,
    /// Stytch names none for organization search, whose one flag filter
    /// then reports `invalid_type`.
    expected_boolean: ProblemCode,
    fuzzy_too_short: fn(&str) -> ProblemCode,
}

const ORGANIZATION_SEARCH_CODES: SearchCodes = SearchCodes {
    filter_name_must_be_string: crate::codes::ORGANIZATION_SEARCH_FILTER_NAME_MUST_BE_STRING,
    filter_name_not_recognized: crate::codes::ORGANIZATION_SEARCH_FILTER_NAME_NOT_RECOGNIZED,
    missing_filter_value: crate::codes::ORGANIZATION_SEARCH_MISSING_FILTER_VALUE,
    expected_array_of_strings: crate::codes::ORGANIZATION_SEARCH_EXPECTED_ARRAY_OF_STRINGS,
    expected_string: crate::codes::ORGANIZATION_SEARCH_EXPECTED_STRING,
    expected_boolean: ProblemCode::InvalidType,
    fuzzy_too_short: |filter| match filter {
        "organization_slug_fuzzy" => {
            crate::codes::ORGANIZATION_SEARCH_ORGANIZATION_SLUG_FUZZY_TOO_SHORT
        }
        "organization_name_fuzzy" => {
            crate::codes::ORGANIZATION_SEARCH_ORGANIZATION_NAME_FUZZY_TOO_SHORT
        }
        "member_email_fuzzy" => crate::codes::ORGANIZATION_SEARCH_MEMBER_EMAIL_FUZZY_TOO_SHORT,
        _ => crate::codes::ORGANIZATION_SEARCH_ALLOWED_DOMAIN_FUZZY_TOO_SHORT,
    },
};

const MEMBER_SEARCH_CODES: SearchCodes = SearchCodes {
    filter_name_must_be_string: crate::codes::MEMBER_SEARCH_FILTER_NAME_MUST_BE_STRING,
    filter_name_not_recognized: crate::codes::MEMBER_SEARCH_FILTER_NAME_NOT_RECOGNIZED,
    missing_filter_value: crate::codes::MEMBER_SEARCH_MISSING_FILTER_VALUE,
    expected_array_of_strings: crate::codes::MEMBER_SEARCH_EXPECTED_ARRAY_OF_STRINGS,
    expected_string: crate::codes::MEMBER_SEARCH_EXPECTED_STRING,
    expected_boolean: crate::codes::MEMBER_SEARCH_EXPECTED_BOOLEAN,
    fuzzy_too_short: |filter| match filter {
        "member_email_fuzzy" => crate::codes::MEMBER_SEARCH_MEMBER_EMAIL_FUZZY_TOO_SHORT,
        _ => crate::codes::MEMBER_SEARCH_MEMBER_MFA_PHONE_NUMBER_FUZZY_TOO_SHORT,
    },
};

/// The filters of an organization search.
const SEARCH_FILTERS: &[(&str, FilterKind)] = &[
    ("organization_ids", FilterKind::Strings),
    ("organization_slugs", FilterKind::Strings),
    ("organization_slug_fuzzy", FilterKind::Fuzzy),
    ("organization_name_fuzzy", FilterKind::Fuzzy),
    ("member_emails", FilterKind::Strings),
    ("member_email_fuzzy", FilterKind::Fuzzy),
    ("allowed_domains", FilterKind::Strings),
    ("allowed_domain_fuzzy", FilterKind::Fuzzy),
    ("claimed_email_domains", FilterKind::Strings),
    ("has_active_sso_connection", FilterKind::Flag),
    ("sso_connection_id", FilterKind::Text),
];

/// The filters of a member search: its own list, not the organization one.
const MEMBER_SEARCH_FILTERS: &[(&str, FilterKind)] = &[
    ("member_ids", FilterKind::Strings),
    ("member_emails", FilterKind::Strings),
    ("member_email_fuzzy", FilterKind::Fuzzy),
    ("member_is_breakglass", FilterKind::Flag),
    ("statuses", FilterKind::Strings),
    ("member_roles", FilterKind::Strings),
    ("member_phone_numbers", FilterKind::Strings),
    ("member_phone_number_fuzzy", FilterKind::Fuzzy),
    ("member_mfa_phone_numbers", FilterKind::Strings),
    ("member_mfa_phone_number_fuzzy", FilterKind::Fuzzy),
    ("member_password_exists", FilterKind::Flag),
];

/// The filter names a search takes: the member search's or the
/// organization search's.
pub fn search_filter_names(member: bool) -> impl Iterator<Item = &'static str> {
    let filters = if member {
        MEMBER_SEARCH_FILTERS
    } else {
        SEARCH_FILTERS
    };
    filters.iter().map(|(name, _)| *name)
}

/// A member's statuses, as `statuses` filters name them.
pub const MEMBER_STATUSES: &[&str] = &["active", "pending", "invited", "deleted"];

fn search_operand(
    filters: &[(&str, FilterKind)],
    codes: &SearchCodes,
    item: &Value,
    at: &Pointer,
    problems: &mut Vec<Problem>,
) -> Option<SearchFilter> {
    let Value::Object(operand) = item else {
        problems.push(expected(at, "an object", item));
        return None;
    };
    let Some(Value::String(name)) = operand.get("filter_name") else {
        problems.push(Problem::error(
            codes.filter_name_must_be_string,
            at.key("filter_name"),
            "`filter_name` must be a string",
        ));
        return None;
    };
    let Some(&(_, kind)) = filters.iter().find(|(filter, _)| filter == name) else {
        let known: Vec<&str> = filters.iter().map(|(filter, _)| *filter).collect();
        problems.push(Problem::error(
            codes.filter_name_not_recognized,
            at.key("filter_name"),
            format!(
                "`{name}` is not a search filter; expected one of {}",
                known.join(", ")
            ),
        ));
        return None;
    };
    let value_at = at.key("filter_value");
    let Some(value) = operand.get("filter_value").filter(|value| !value.is_null()) else {
        problems.push(Problem::error(
            codes.missing_filter_value,
            &value_at,
            format!("`{name}` needs a `filter_value`"),
        ));
        return None;
    };
    let mistyped = |code: ProblemCode, what: &str| {
        Problem::error(
            code,
            &value_at,
            format!("expected {what}, got {}", type_name(value)),
        )
    };
    let too_long = |text: &str| text.chars().count() > SEARCH_VALUE_MAX_CHARS;
    let filter_value = match (kind, value) {
        (FilterKind::Strings | FilterKind::Fuzzy | FilterKind::Text, _)
            if match value {
                Value::String(text) => too_long(text),
                Value::Array(items) => items.iter().filter_map(Value::as_str).any(too_long),
                _ => false,
            } =>
        {
            problems.push(Problem::error(
                crate::codes::INVALID_SEARCH_QUERY,
                &value_at,
                format!("search values are at most {SEARCH_VALUE_MAX_CHARS} characters"),
            ));
            return None;
        }
        (FilterKind::Strings, Value::Array(items)) => {
            let strings: Vec<String> = items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            if strings.len() != items.len() || strings.is_empty() {
                problems.push(mistyped(
                    codes.expected_array_of_strings,
                    "a non-empty array of strings",
                ));
                return None;
            }
            FilterValue::Strings(strings)
        }
        (FilterKind::Fuzzy, Value::String(text)) => {
            if text.chars().count() < FUZZY_MIN_CHARS {
                problems.push(Problem::error(
                    (codes.fuzzy_too_short)(name),
                    &value_at,
                    format!("fuzzy search `{name}` needs at least {FUZZY_MIN_CHARS} characters, got `{text}`"),
                ));
                return None;
            }
            FilterValue::Text(text.clone())
        }
        (FilterKind::Text, Value::String(text)) => FilterValue::Text(text.clone()),
        (FilterKind::Flag, Value::Bool(flag)) => FilterValue::Flag(*flag),
        (FilterKind::Strings, _) => {
            problems.push(mistyped(
                codes.expected_array_of_strings,
                "an array of strings",
            ));
            return None;
        }
        (FilterKind::Fuzzy | FilterKind::Text, _) => {
            problems.push(mistyped(codes.expected_string, "a string"));
            return None;
        }
        (FilterKind::Flag, _) => {
            problems.push(mistyped(codes.expected_boolean, "a boolean"));
            return None;
        }
    };
    Some(SearchFilter {
        filter_name: name.clone(),
        filter_value,
    })
}

/// Most organizations one member search may name.
pub const SEARCH_ORGANIZATIONS_MAX: usize = 1000;

/// The `organization_ids` of a member search: 1 to
/// [`SEARCH_ORGANIZATIONS_MAX`] strings (ids or slugs).
pub fn search_organization_ids(body: &Value) -> Result<Vec<String>, Problem> {
    match body.get("organization_ids") {
        Some(Value::Array(ids))
            if !ids.is_empty()
                && ids.len() <= SEARCH_ORGANIZATIONS_MAX
                && ids.iter().all(Value::is_string) =>
        {
            Ok(ids
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect())
        }
        Some(Value::Array(ids)) if ids.is_empty() => Err(Problem::error(
            crate::codes::MEMBER_SEARCH_ORGANIZATION_IDS_EMPTY,
            "/organization_ids",
            "`organization_ids` must name at least one organization",
        )),
        _ => Err(Problem::error(
            crate::codes::INVALID_SEARCH_QUERY,
            "/organization_ids",
            format!(
                "`organization_ids` must be an array of 1 to {SEARCH_ORGANIZATIONS_MAX} organization ids"
            ),
        )),
    }
}

/// Checks a search body `{cursor?, limit?, query?: {operator, operands}}`.
pub fn parse_search_query(body: &Value) -> Result<SearchQuery, Vec<Problem>> {
    parse_query_with(SEARCH_FILTERS, &ORGANIZATION_SEARCH_CODES, body)
}

/// Checks a member search body (without its `organization_ids`), against
/// the member filters.
pub fn parse_member_search_query(body: &Value) -> Result<SearchQuery, Vec<Problem>> {
    let query = parse_query_with(MEMBER_SEARCH_FILTERS, &MEMBER_SEARCH_CODES, body)?;
    let mut problems = Vec::new();
    for (index, operand) in query.operands.iter().enumerate() {
        if let (true, FilterValue::Strings(statuses)) =
            (operand.filter_name == "statuses", &operand.filter_value)
        {
            for status in statuses
                .iter()
                .filter(|s| !MEMBER_STATUSES.contains(&s.as_str()))
            {
                problems.push(Problem::error(
                    crate::codes::SEARCH_INVALID_STATUS_FILTER,
                    Pointer::root()
                        .key("query")
                        .key("operands")
                        .index(index)
                        .key("filter_value"),
                    format!("`{status}` is not one of {}", MEMBER_STATUSES.join(", ")),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(query)
    } else {
        let mut all = query.warnings;
        all.extend(problems);
        Err(all)
    }
}

fn parse_query_with(
    filters: &[(&str, FilterKind)],
    codes: &SearchCodes,
    body: &Value,
) -> Result<SearchQuery, Vec<Problem>> {
    let root = Pointer::root();
    let Value::Object(fields) = body else {
        return Err(vec![expected(&root, "an object", body)]);
    };
    let mut problems = Vec::new();
    let cursor = match fields.get("cursor") {
        None | Some(Value::Null) => None,
        Some(Value::String(cursor)) if cursor.is_empty() => None,
        Some(Value::String(cursor)) => Some(cursor.clone()),
        Some(other) => {
            problems.push(expected(&root.key("cursor"), "a string", other));
            None
        }
    };
    let limit = match fields.get("limit") {
        None | Some(Value::Null) => SEARCH_LIMIT_DEFAULT,
        Some(value) => match value.as_u64() {
            Some(limit) if (1..=u64::from(SEARCH_LIMIT_MAX)).contains(&limit) => {
                u32::try_from(limit).unwrap_or(SEARCH_LIMIT_MAX)
            }
            _ => {
                problems.push(Problem::error(
                    crate::codes::INVALID_SEARCH_LIMIT,
                    root.key("limit"),
                    format!(
                        "limit must be a whole number from 1 to {SEARCH_LIMIT_MAX}, got {value}"
                    ),
                ));
                SEARCH_LIMIT_DEFAULT
            }
        },
    };
    let mut operator = SearchOperator::And;
    let mut operands = Vec::new();
    match fields.get("query") {
        None | Some(Value::Null) => {}
        Some(Value::Object(query)) => {
            let at = root.key("query");
            match query.get("operator").and_then(Value::as_str) {
                Some("AND") => operator = SearchOperator::And,
                Some("OR") => {
                    operator = SearchOperator::Or;
                    problems.push(Problem::warning(
                        crate::codes::SEARCH_OPERATOR_OR_DEPRECATED,
                        at.key("operator"),
                        "`OR` is deprecated and kept for legacy use only: run one search per alternative instead",
                    ));
                }
                _ => problems.push(Problem::error(
                    crate::codes::INVALID_SEARCH_QUERY,
                    at.key("operator"),
                    "operator must be `AND` or `OR`",
                )),
            }
            match query.get("operands") {
                Some(Value::Array(items)) if items.len() > SEARCH_OPERANDS_MAX => {
                    problems.push(Problem::error(
                        crate::codes::INVALID_SEARCH_QUERY,
                        at.key("operands"),
                        format!(
                            "a search takes at most {SEARCH_OPERANDS_MAX} operands, got {}",
                            items.len()
                        ),
                    ));
                }
                Some(Value::Array(items)) => {
                    for (index, item) in items.iter().enumerate() {
                        if let Some(filter) = search_operand(
                            filters,
                            codes,
                            item,
                            &at.key("operands").index(index),
                            &mut problems,
                        ) {
                            operands.push(filter);
                        }
                    }
                }
                Some(other) => problems.push(expected(&at.key("operands"), "an array", other)),
                // Only the operator is required: no operands, no filtering.
                None => {}
            }
        }
        Some(other) => problems.push(expected(&root.key("query"), "an object", other)),
    }
    let values: usize = operands
        .iter()
        .map(|operand| match &operand.filter_value {
            FilterValue::Strings(values) => values.len(),
            FilterValue::Text(_) | FilterValue::Flag(_) => 1,
        })
        .sum();
    if values > SEARCH_VALUES_MAX {
        problems.push(Problem::error(
            crate::codes::INVALID_SEARCH_QUERY,
            root.key("query").key("operands"),
            format!(
                "a search takes at most {SEARCH_VALUES_MAX} values over all operands, got {values}"
            ),
        ));
    }
    if problems
        .iter()
        .any(|p| p.severity == orgpolicy_core::Severity::Error)
    {
        Err(problems)
    } else {
        Ok(SearchQuery {
            cursor,
            limit,
            operator,
            operands,
            warnings: problems,
        })
    }
}
