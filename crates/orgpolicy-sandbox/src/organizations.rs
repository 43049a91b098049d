//! Organization endpoints: create, get, update, delete, search.

use crate::AppState;
use crate::error::{ApiError, reject_errors, request_id};
use crate::search::{page, passes};
use crate::store::StoreError;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use orgpolicy_core::organization::{
    ENUM_FIELDS, FilterValue, Mode, Origin, parse_search_query, update_metadata,
    validate_organization_body,
};
use orgpolicy_core::problem::Pointer;
use orgpolicy_core::{Problem, ProblemCode};
use serde_json::{Map, Value, json};

/// Reads a JSON body; malformed JSON is a 400 with the core's pointer.
pub(crate) fn read_body(body: &Bytes) -> Result<Value, ApiError> {
    let text = std::str::from_utf8(body).map_err(|_| {
        ApiError::invalid(vec![Problem::error(
            ProblemCode::InvalidJson,
            "",
            "the body is not UTF-8",
        )])
    })?;
    orgpolicy_core::parse::parse_json(if text.trim().is_empty() { "{}" } else { text })
        .map_err(|error| ApiError::invalid(vec![error.problem]))
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::SlugTaken(slug) => ApiError::client(
                StatusCode::BAD_REQUEST,
                "organization_slug_already_used",
                format!("the organization slug `{slug}` is already used by another organization"),
            ),
            StoreError::EmailTaken(email) => ApiError::client(
                StatusCode::BAD_REQUEST,
                "duplicate_member_email",
                format!("a member with email `{email}` already exists in this organization"),
            ),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// An organization by id or slug, or `organization_not_found`.
pub(crate) async fn find_organization(
    state: &AppState,
    id_or_slug: &str,
) -> Result<Value, ApiError> {
    let lookup = id_or_slug.to_owned();
    state
        .with_store(move |store| Ok(store.organization(&lookup)?))
        .await?
        .ok_or_else(|| ApiError::organization_not_found(id_or_slug))
}

pub(crate) fn ok(key: &str, value: Value) -> Json<Value> {
    let mut body = Map::new();
    body.insert("status_code".into(), json!(200));
    body.insert("request_id".into(), json!(request_id()));
    body.insert(key.into(), value);
    Json(Value::Object(body))
}

/// Now, as the API writes timestamps (RFC 3339, seconds, UTC).
fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// A new organization's document: the body's fields over the defaults.
fn new_organization(body: &Map<String, Value>) -> Map<String, Value> {
    let timestamp = now();
    let defaults = json!({
        "organization_id": format!("organization-test-{}", uuid::Uuid::new_v4()),
        "organization_name": "",
        "organization_slug": "",
        "organization_logo_url": "",
        "trusted_metadata": {},
        "email_allowed_domains": [],
        "allowed_auth_methods": [],
        "allowed_mfa_methods": [],
        "rbac_email_implicit_role_assignments": [],
        "sso_active_connections": [],
        "sso_default_connection_id": null,
        "scim_active_connection": null,
        "created_at": timestamp,
        "updated_at": timestamp,
    });
    let mut organization = match defaults {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    for (name, _, default) in ENUM_FIELDS {
        organization.insert((*name).to_owned(), json!(default));
    }
    for (key, value) in body {
        organization.insert(key.clone(), value.clone());
    }
    organization
}

/// A string property of a stored document (empty if absent).
pub(crate) fn field<'v>(organization: &'v Value, name: &str) -> &'v str {
    organization
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

pub async fn create(State(state): State<AppState>, body: Bytes) -> Result<Json<Value>, ApiError> {
    let body = read_body(&body)?;
    let problems = validate_organization_body(&body, Mode::Create, Origin::Backend);
    reject_errors(problems)?;
    let organization = Value::Object(new_organization(
        body.as_object()
            .ok_or_else(|| ApiError::Internal("body".into()))?,
    ));
    let stored = organization.clone();
    state
        .with_store(move |store| {
            let id = field(&stored, "organization_id").to_owned();
            let slug = field(&stored, "organization_slug").to_owned();
            Ok(store.insert_organization(&id, &slug, &stored)?)
        })
        .await?;
    Ok(ok("organization", organization))
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(ok("organization", find_organization(&state, &id).await?))
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = read_body(&body)?;
    let problems = validate_organization_body(&body, Mode::Update, Origin::Backend);
    reject_errors(problems)?;
    let lookup = id.clone();
    let updated = state
        .with_store(move |store| {
            store.update_organization(&lookup, |organization: Value| -> Result<Value, ApiError> {
                let Value::Object(mut organization) = organization else {
                    return Err(ApiError::Internal(
                        "a stored organization is not an object".into(),
                    ));
                };
                for (key, value) in body.as_object().into_iter().flatten() {
                    if key == "trusted_metadata" {
                        let merged = update_metadata(
                            organization.get(key),
                            value,
                            &Pointer::root().key(key),
                        )
                        .map_err(ApiError::invalid)?;
                        organization.insert(key.clone(), merged);
                    } else if !value.is_null() {
                        organization.insert(key.clone(), value.clone());
                    }
                }
                organization.insert("updated_at".into(), json!(now()));
                Ok(Value::Object(organization))
            })
        })
        .await?;
    updated
        .map(|organization| ok("organization", organization))
        .ok_or_else(|| ApiError::organization_not_found(&id))
}

pub async fn delete(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let lookup = id.clone();
    let deleted = state
        .with_store(move |store| Ok(store.delete_organization(&lookup)?))
        .await?;
    deleted
        .map(|organization_id| ok("organization_id", json!(organization_id)))
        .ok_or_else(|| ApiError::organization_not_found(&id))
}

fn text(organization: &Value, name: &str) -> String {
    field(organization, name).to_lowercase()
}

fn strings(organization: &Value, name: &str) -> Vec<String> {
    organization
        .get(name)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_lowercase)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether an organization passes a filter; `emails` are its members'
/// addresses, lowercased.
fn matches(organization: &Value, emails: &[String], name: &str, value: &FilterValue) -> bool {
    let any_of = |field: &str, wanted: &[String]| {
        let have = text(organization, field);
        wanted.iter().any(|w| w.to_lowercase() == have)
    };
    match (name, value) {
        ("organization_ids", FilterValue::Strings(ids)) => any_of("organization_id", ids),
        ("organization_slugs", FilterValue::Strings(slugs)) => any_of("organization_slug", slugs),
        ("organization_slug_fuzzy", FilterValue::Text(part)) => {
            text(organization, "organization_slug").contains(&part.to_lowercase())
        }
        ("organization_name_fuzzy", FilterValue::Text(part)) => {
            text(organization, "organization_name").contains(&part.to_lowercase())
        }
        ("allowed_domains", FilterValue::Strings(domains)) => {
            let have = strings(organization, "email_allowed_domains");
            domains.iter().any(|d| have.contains(&d.to_lowercase()))
        }
        ("allowed_domain_fuzzy", FilterValue::Text(part)) => {
            strings(organization, "email_allowed_domains")
                .iter()
                .any(|d| d.contains(&part.to_lowercase()))
        }
        ("has_active_sso_connection", FilterValue::Flag(wanted)) => {
            organization
                .get("sso_active_connections")
                .and_then(Value::as_array)
                .is_some_and(|c| !c.is_empty())
                == *wanted
        }
        ("member_emails", FilterValue::Strings(wanted)) => {
            wanted.iter().any(|w| emails.contains(&w.to_lowercase()))
        }
        ("member_email_fuzzy", FilterValue::Text(part)) => {
            emails.iter().any(|e| e.contains(&part.to_lowercase()))
        }
        // Claimed domains and SSO connections are not in this sandbox: those
        // filters match nothing.
        _ => false,
    }
}

pub async fn search(State(state): State<AppState>, body: Bytes) -> Result<Json<Value>, ApiError> {
    let body = read_body(&body)?;
    let query = parse_search_query(&body).map_err(ApiError::invalid)?;
    let wants_members = query
        .operands
        .iter()
        .any(|f| f.filter_name.starts_with("member_email"));
    let (all, members) = state
        .with_store(move |store| {
            let organizations = store.organizations()?;
            let ids: Vec<String> = organizations
                .iter()
                .map(|o| field(o, "organization_id").to_owned())
                .collect();
            let members = if wants_members {
                store.members_of(&ids)?
            } else {
                Vec::new()
            };
            Ok((organizations, members))
        })
        .await?;
    let mut emails: std::collections::BTreeMap<String, Vec<String>> =
        std::collections::BTreeMap::new();
    for member in &members {
        emails
            .entry(field(member, "organization_id").to_owned())
            .or_default()
            .push(text(member, "email_address"));
    }
    let no_emails = Vec::new();
    let selected: Vec<Value> = all
        .into_iter()
        .filter(|organization| {
            let emails = emails
                .get(field(organization, "organization_id"))
                .unwrap_or(&no_emails);
            passes(
                &query,
                query
                    .operands
                    .iter()
                    .map(|f| matches(organization, emails, &f.filter_name, &f.filter_value)),
            )
        })
        .collect();
    let page = page(selected, &query, |organization| {
        field(organization, "organization_id")
    })?;
    let mut answer = ok("organizations", json!(page.items));
    if let Value::Object(body) = &mut answer.0 {
        body.insert("results_metadata".into(), page.metadata);
    }
    Ok(answer)
}
