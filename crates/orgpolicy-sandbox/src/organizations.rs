//! Organization endpoints: create, get, update, delete, search.

use crate::AppState;
use crate::error::{ApiError, reject_errors, request_id};
use crate::search::{Operand, page, passes, prepare};
use crate::store::StoreError;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use orgpolicy_api::codes;
use orgpolicy_api::objects::{Organization, OrganizationSettings, apply_body, check_settings};
use orgpolicy_api::organization::{Mode, Origin, parse_search_query, validate_organization_body};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

pub(crate) use crate::body::JsonBody;

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::SlugTaken(slug) => ApiError::client(
                StatusCode::BAD_REQUEST,
                codes::ORGANIZATION_SLUG_ALREADY_USED,
                format!("the organization slug `{slug}` is already used by another organization"),
            ),
            StoreError::EmailTaken(email) => ApiError::client(
                StatusCode::BAD_REQUEST,
                codes::DUPLICATE_MEMBER_EMAIL,
                format!("a member with email `{email}` already exists in this organization"),
            ),
            StoreError::EmailRetired(email) => ApiError::client(
                StatusCode::BAD_REQUEST,
                codes::DESIRED_EMAIL_DEACTIVATED_BY_DIFFERENT_MEMBER,
                format!(
                    "`{email}` is a retired email address of another member of this organization; unlink it first"
                ),
            ),
            StoreError::OrganizationExternalIdTaken(id) => ApiError::client(
                StatusCode::BAD_REQUEST,
                codes::ORGANIZATION_EXTERNAL_ID_ALREADY_USED,
                format!("the external id `{id}` is already used by another organization"),
            ),
            StoreError::MemberExternalIdTaken(id) => ApiError::client(
                StatusCode::BAD_REQUEST,
                codes::DUPLICATE_MEMBER_EXTERNAL_ID,
                format!(
                    "the external id `{id}` is already used by another member of this organization"
                ),
            ),
            StoreError::InvalidEmail(email) => ApiError::client(
                StatusCode::BAD_REQUEST,
                codes::INVALID_EMAIL,
                format!("`{email}` is not an email address"),
            ),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

pub(crate) fn ok(key: &str, value: Value) -> Json<Value> {
    let mut body = Map::new();
    body.insert("status_code".into(), json!(200));
    body.insert("request_id".into(), json!(request_id()));
    body.insert(key.into(), value);
    Json(Value::Object(body))
}

/// A string field of a checked body, if given (and not null).
pub(crate) fn given<'b>(body: &'b Value, name: &str) -> Option<&'b str> {
    body.get(name).and_then(Value::as_str)
}

pub async fn create(
    State(state): State<AppState>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    reject_errors(validate_organization_body(
        &body,
        Mode::Create,
        Origin::Backend,
    ))?;
    let timestamp = crate::now();
    let organization = Organization {
        organization_id: format!("organization-test-{}", uuid::Uuid::new_v4()),
        organization_slug: given(&body, "organization_slug")
            .unwrap_or_default()
            .to_owned(),
        organization_external_id: given(&body, "organization_external_id").map(str::to_owned),
        created_at: timestamp.clone(),
        updated_at: timestamp,
        custom_roles: Vec::new(),
        settings: apply_body(&OrganizationSettings::defaults_for_create(&body), &body)
            .map_err(ApiError::invalid)?,
    };
    let stored = organization.clone();
    state
        .with_store(move |store| Ok(store.insert_organization(&stored)?))
        .await?;
    Ok(ok("organization", organization.to_json()))
}

/// An organization by id, slug or external id, or `organization_not_found`.
pub(crate) async fn existing_organization(
    state: &AppState,
    id: &str,
) -> Result<Organization, ApiError> {
    let lookup = id.to_owned();
    state
        .with_store(move |store| Ok(store.organization(&lookup)?))
        .await?
        .ok_or_else(|| ApiError::organization_not_found(id))
}

/// Changes an organization in one store transaction and answers it, or
/// `organization_not_found`.
async fn change_organization(
    state: &AppState,
    id: String,
    change: impl FnOnce(Organization) -> Result<Organization, ApiError> + Send + 'static,
) -> Result<Json<Value>, ApiError> {
    let lookup = id.clone();
    state
        .with_store(move |store| store.update_organization(&lookup, change))
        .await?
        .map(|organization| ok("organization", organization.to_json()))
        .ok_or_else(|| ApiError::organization_not_found(&id))
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let organization = existing_organization(&state, &id).await?;
    Ok(ok("organization", organization.to_json()))
}

pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    reject_errors(validate_organization_body(
        &body,
        Mode::Update,
        Origin::Backend,
    ))?;
    change_organization(&state, id, move |mut organization| {
        organization.settings =
            apply_body(&organization.settings, &body).map_err(ApiError::invalid)?;
        reject_errors(check_settings(&organization.settings))?;
        if let Some(slug) = given(&body, "organization_slug") {
            slug.clone_into(&mut organization.organization_slug);
        }
        if let Some(external_id) = given(&body, "organization_external_id") {
            organization.organization_external_id = Some(external_id.to_owned());
        }
        organization.updated_at = crate::now();
        Ok(organization)
    })
    .await
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

/// Whether an organization passes one prepared filter; `emails` are its
/// members' addresses, lowercased.
fn matches(organization: &Organization, emails: &[String], operand: &Operand) -> bool {
    let settings = &organization.settings;
    let lower = |text: &str| text.to_lowercase();
    let domains = || settings.email_allowed_domains.iter().map(|d| lower(d));
    match operand {
        Operand::AnyOf(name, wanted) => match name.as_str() {
            "organization_ids" => wanted.contains(&lower(&organization.organization_id)),
            "organization_slugs" => wanted.contains(&lower(&organization.organization_slug)),
            "allowed_domains" => domains().any(|d| wanted.contains(&d)),
            "member_emails" => emails.iter().any(|e| wanted.contains(e)),
            // Claimed domains are not in this sandbox: nothing matches.
            _ => false,
        },
        Operand::Contains(name, part) => match name.as_str() {
            "organization_slug_fuzzy" => lower(&organization.organization_slug).contains(part),
            "organization_name_fuzzy" => lower(&settings.organization_name).contains(part),
            "allowed_domain_fuzzy" => domains().any(|d| d.contains(part)),
            "member_email_fuzzy" => emails.iter().any(|e| e.contains(part)),
            // SSO connections are not in this sandbox: nothing matches.
            _ => false,
        },
        // No organization here has an active SSO connection.
        Operand::Flag(name, wanted) => name == "has_active_sso_connection" && !*wanted,
    }
}

pub async fn search(
    State(state): State<AppState>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let query = parse_search_query(&body).map_err(ApiError::invalid)?;
    let operands = prepare(&query);
    let wants_members = query
        .operands
        .iter()
        .any(|f| f.filter_name.starts_with("member_email"));
    // Reading and matching both run on the blocking pool: a heavy query
    // never holds an async worker.
    let page = state
        .with_store(move |store| {
            let organizations = store.organizations()?;
            let mut emails: BTreeMap<String, Vec<String>> = BTreeMap::new();
            if wants_members {
                for (organization_id, email) in store.member_emails()? {
                    emails
                        .entry(organization_id)
                        .or_default()
                        .push(email.to_lowercase());
                }
            }
            let none = Vec::new();
            let selected: Vec<Organization> = organizations
                .into_iter()
                .filter(|organization| {
                    let emails = emails.get(&organization.organization_id).unwrap_or(&none);
                    passes(
                        &query,
                        operands.iter().map(|o| matches(organization, emails, o)),
                    )
                })
                .collect();
            page(selected, &query, |o| o.organization_id.as_str())
        })
        .await?;
    let shown: Vec<Value> = page.items.iter().map(Organization::to_json).collect();
    let mut answer = ok("organizations", json!(shown));
    if let Value::Object(body) = &mut answer.0 {
        body.insert("results_metadata".into(), page.metadata);
    }
    Ok(answer)
}

pub async fn metrics(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let lookup = id.clone();
    let count = state
        .with_store(move |store| Ok(store.member_count(&lookup)?))
        .await?
        .ok_or_else(|| ApiError::organization_not_found(&id))?;
    Ok(ok("member_count", json!(count)))
}

/// The Connected Apps an organization's members use: none, as the sandbox
/// has no Connected Apps.
pub async fn connected_apps(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    existing_organization(&state, &id).await?;
    Ok(ok("connected_apps", json!([])))
}

/// One Connected App: never found, as the sandbox has none.
pub async fn connected_app(
    State(state): State<AppState>,
    Path((id, _connected_app_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    existing_organization(&state, &id).await?;
    Err(ApiError::connected_app_not_found())
}

/// `DELETE .../{organization_id}/external_id`: the organization keeps its
/// id and slug, and loses its external id.
pub async fn delete_external_id(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    change_organization(&state, id, |mut organization| {
        organization.organization_external_id = None;
        organization.updated_at = crate::now();
        Ok(organization)
    })
    .await
}
