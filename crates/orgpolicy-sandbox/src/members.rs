//! Member endpoints: create, get, update (explicit roles replaced), delete,
//! search. A member's `roles` are rendered with their sources at read time,
//! from its explicit roles and its organization's current email-domain
//! assignments; every member also holds `stytch_member`, as in Stytch.

use crate::AppState;
use crate::error::{ApiError, reject_errors};
use crate::organizations::{field, find_organization, ok, read_body};
use crate::search::{page, passes};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use orgpolicy_core::organization::{
    FilterValue, Mode, Origin, parse_search_query, update_metadata, validate_member_body,
};
use orgpolicy_core::problem::Pointer;
use orgpolicy_core::stytch::DEFAULT_MEMBER_ROLE;
use orgpolicy_core::{
    EmailImplicitRoleAssignment, MemberRoles, Problem, ProblemCode, effective_roles,
};
use serde_json::{Map, Value, json};

fn member_not_found(id: &str) -> ApiError {
    ApiError::not_found(
        "member_not_found",
        format!("no member `{id}` in this organization"),
    )
}

/// A stored member as the API shows it: roles with their sources.
fn render(member: &Value, organization: &Value) -> Value {
    let explicit: Vec<String> = member
        .get("roles")
        .and_then(Value::as_array)
        .map(|roles| {
            roles
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let mut roles = explicit;
    roles.push(DEFAULT_MEMBER_ROLE.to_owned());
    let implicit: Vec<EmailImplicitRoleAssignment> = organization
        .get("rbac_email_implicit_role_assignments")
        .cloned()
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default();
    let member_roles = MemberRoles {
        member_id: field(member, "member_id").to_owned(),
        email_address: field(member, "email_address").to_owned(),
        roles,
        sso_role_assignments: Vec::new(),
    };
    let mut shown = member.as_object().cloned().unwrap_or_default();
    shown.insert(
        "roles".into(),
        json!(effective_roles(&member_roles, &implicit)),
    );
    Value::Object(shown)
}

fn answer(member: &Value, organization: &Value) -> Json<Value> {
    let mut body = ok("member", render(member, organization));
    if let Value::Object(fields) = &mut body.0 {
        fields.insert("member_id".into(), json!(field(member, "member_id")));
        fields.insert("organization".into(), organization.clone());
    }
    body
}

pub async fn create(
    State(state): State<AppState>,
    Path(organization_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = read_body(&body)?;
    reject_errors(validate_member_body(&body, Mode::Create, Origin::Backend))?;
    let organization = find_organization(&state, &organization_id).await?;
    let organization_id = field(&organization, "organization_id").to_owned();
    let mut member = Map::new();
    member.insert(
        "member_id".into(),
        json!(format!("member-test-{}", uuid::Uuid::new_v4())),
    );
    member.insert("organization_id".into(), json!(organization_id));
    member.insert("status".into(), json!("active"));
    member.insert("name".into(), json!(""));
    member.insert("roles".into(), json!([]));
    member.insert("is_breakglass".into(), json!(false));
    member.insert("trusted_metadata".into(), json!({}));
    member.insert("untrusted_metadata".into(), json!({}));
    for (key, value) in body
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, value)| !value.is_null())
    {
        member.insert(key.clone(), value.clone());
    }
    let member = Value::Object(member);
    let stored = member.clone();
    state
        .with_store(move |store| {
            store
                .insert_member(
                    &organization_id,
                    field(&stored, "member_id"),
                    field(&stored, "email_address"),
                    &stored,
                )
                .map_err(ApiError::from)
        })
        .await?;
    Ok(answer(&member, &organization))
}

pub async fn get(
    State(state): State<AppState>,
    Path((organization_id, member_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let organization = find_organization(&state, &organization_id).await?;
    let (id, lookup) = (
        field(&organization, "organization_id").to_owned(),
        member_id.clone(),
    );
    let member = state
        .with_store(move |store| Ok(store.member(&id, &lookup)?))
        .await?;
    member
        .map(|member| answer(&member, &organization))
        .ok_or_else(|| member_not_found(&member_id))
}

pub async fn update(
    State(state): State<AppState>,
    Path((organization_id, member_id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body = read_body(&body)?;
    reject_errors(validate_member_body(&body, Mode::Update, Origin::Backend))?;
    let organization = find_organization(&state, &organization_id).await?;
    let (id, lookup) = (
        field(&organization, "organization_id").to_owned(),
        member_id.clone(),
    );
    let updated = state
        .with_store(move |store| {
            store.update_member(&id, &lookup, |member: Value| -> Result<Value, ApiError> {
                let Value::Object(mut member) = member else {
                    return Err(ApiError::Internal(
                        "a stored member is not an object".into(),
                    ));
                };
                for (key, value) in body.as_object().into_iter().flatten() {
                    if key == "trusted_metadata" || key == "untrusted_metadata" {
                        let merged =
                            update_metadata(member.get(key), value, &Pointer::root().key(key))
                                .map_err(ApiError::invalid)?;
                        member.insert(key.clone(), merged);
                    } else if !value.is_null() {
                        // `roles` replaces the explicit roles.
                        member.insert(key.clone(), value.clone());
                    }
                }
                Ok(Value::Object(member))
            })
        })
        .await?;
    updated
        .map(|member| answer(&member, &organization))
        .ok_or_else(|| member_not_found(&member_id))
}

pub async fn delete(
    State(state): State<AppState>,
    Path((organization_id, member_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let organization = find_organization(&state, &organization_id).await?;
    let (id, lookup) = (
        field(&organization, "organization_id").to_owned(),
        member_id.clone(),
    );
    if state
        .with_store(move |store| Ok(store.delete_member(&id, &lookup)?))
        .await?
    {
        Ok(ok("member_id", json!(member_id)))
    } else {
        Err(member_not_found(&member_id))
    }
}

fn member_matches(member: &Value, name: &str, value: &FilterValue) -> bool {
    let email = field(member, "email_address").to_lowercase();
    match (name, value) {
        ("member_emails", FilterValue::Strings(emails)) => {
            emails.iter().any(|e| e.to_lowercase() == email)
        }
        ("member_email_fuzzy", FilterValue::Text(part)) => email.contains(&part.to_lowercase()),
        _ => false,
    }
}

pub async fn search(State(state): State<AppState>, body: Bytes) -> Result<Json<Value>, ApiError> {
    let body = read_body(&body)?;
    let organization_ids: Vec<String> = match body.get("organization_ids") {
        Some(Value::Array(ids)) if !ids.is_empty() && ids.iter().all(Value::is_string) => ids
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => {
            return Err(ApiError::invalid(vec![Problem::error(
                ProblemCode::InvalidSearchQuery,
                "/organization_ids",
                "`organization_ids` must be a non-empty array of organization ids",
            )]));
        }
    };
    let mut rest = body.as_object().cloned().unwrap_or_default();
    rest.remove("organization_ids");
    let query = parse_search_query(&Value::Object(rest)).map_err(ApiError::invalid)?;
    let ids = organization_ids.clone();
    let (members, organizations) = state
        .with_store(move |store| {
            let organizations: Vec<Value> = ids
                .iter()
                .filter_map(|id| store.organization(id).transpose())
                .collect::<Result<_, _>>()?;
            Ok((store.members_of(&ids)?, organizations))
        })
        .await?;
    let selected: Vec<&Value> = members
        .iter()
        .filter(|member| {
            passes(
                &query,
                query
                    .operands
                    .iter()
                    .map(|f| member_matches(member, &f.filter_name, &f.filter_value)),
            )
        })
        .collect();
    let page = page(selected, &query, |member| field(member, "member_id"))?;
    let by_id: Map<String, Value> = organizations
        .iter()
        .map(|o| (field(o, "organization_id").to_owned(), o.clone()))
        .collect();
    let shown: Vec<Value> = page
        .items
        .into_iter()
        .map(|member| {
            by_id
                .get(field(member, "organization_id"))
                .map_or_else(|| member.clone(), |o| render(member, o))
        })
        .collect();
    let mut answer = ok("members", json!(shown));
    if let Value::Object(fields) = &mut answer.0 {
        fields.insert("results_metadata".into(), page.metadata);
        fields.insert("organizations".into(), Value::Object(by_id));
    }
    Ok(answer)
}
