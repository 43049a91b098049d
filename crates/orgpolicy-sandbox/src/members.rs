//! Member endpoints: create, get, update (explicit roles replaced), delete,
//! search. A member's `roles` are rendered with their sources at read time,
//! from its explicit roles and its organization's current email-domain
//! assignments; every member also holds `stytch_member`, as in Stytch.

use crate::AppState;
use crate::email::email_key;
use crate::error::{ApiError, reject_errors};
use crate::organizations::{JsonBody, given, ok};
use crate::search::{Operand, page, passes, prepare};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use orgpolicy_api::codes;
use orgpolicy_api::objects::{Member, MemberSettings, Organization, RetiredEmail, apply_body};
use orgpolicy_api::organization::{Mode, Origin, parse_member_search_query, validate_member_body};
use orgpolicy_core::members::MemberRole;
use orgpolicy_core::stytch::DEFAULT_MEMBER_ROLE;
use orgpolicy_core::{MemberRoles, Policy, Problem, ProblemCode, effective_roles};
use serde_json::{Map, Value, json};
use std::sync::Arc;

pub use orgpolicy_api::organization::SEARCH_ORGANIZATIONS_MAX;

fn member_not_found(id: &str) -> ApiError {
    ApiError::not_found(
        codes::MEMBER_NOT_FOUND,
        format!("no member `{id}` in this organization"),
    )
}

/// Every role a body assigns must be a role of the project's policy or of
/// the organization's custom roles (`stytch_member` is refused earlier).
fn check_roles(policy: &Policy, organization: &Organization, body: &Value) -> Result<(), ApiError> {
    let Some(Value::Array(roles)) = body.get("roles") else {
        return Ok(());
    };
    let unknown: Vec<Problem> = roles
        .iter()
        .enumerate()
        .filter_map(|(index, role)| {
            let role = role.as_str()?;
            let known = policy.roles.iter().any(|r| r.role_id == role)
                || organization.custom_roles.iter().any(|r| r.role_id == role);
            (!known).then(|| {
                Problem::error(
                    orgpolicy_api::codes::INVALID_RBAC_ROLE_ID,
                    format!("/roles/{index}"),
                    format!(
                        "`{role}` is not a role of the project's policy or of this organization's custom roles"
                    ),
                )
            })
        })
        .collect();
    reject_errors(unknown)
}

/// A member's effective roles in its organization, with their sources:
/// explicit ones, `stytch_member`, and those its email domain implies.
fn member_roles(member: &Member, organization: &Organization) -> Vec<MemberRole> {
    let mut roles = member.settings.roles.clone();
    roles.push(DEFAULT_MEMBER_ROLE.to_owned());
    let member_roles = MemberRoles {
        member_id: member.member_id.clone(),
        email_address: member.email_address.clone(),
        roles,
        sso_role_assignments: Vec::new(),
    };
    effective_roles(
        &member_roles,
        &organization.settings.rbac_email_implicit_role_assignments,
    )
}

/// A member as the API shows it: roles with their sources.
fn render(member: &Member, organization: &Organization) -> Value {
    member.to_json(&member_roles(member, organization))
}

fn answer(member: &Member, organization: &Organization) -> Json<Value> {
    let mut body = ok("member", render(member, organization));
    if let Value::Object(fields) = &mut body.0 {
        fields.insert("member_id".into(), json!(member.member_id));
        fields.insert("organization".into(), organization.to_json());
    }
    body
}

/// An email address the store can key: one `@`, a domain that converts
/// to IDNA ASCII.
fn checked_email(email: &str) -> Result<(), ApiError> {
    email_key(email).map(|_| ()).ok_or_else(|| {
        ApiError::invalid(vec![Problem::error(
            orgpolicy_api::codes::INVALID_EMAIL,
            "/email_address",
            format!("`{email}` is not an email address"),
        )])
    })
}

pub async fn create(
    State(state): State<AppState>,
    Path(organization_id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    reject_errors(validate_member_body(&body, Mode::Create, Origin::Backend))?;
    let email = given(&body, "email_address").unwrap_or_default().to_owned();
    checked_email(&email)?;
    let pending = body.get("create_member_as_pending") == Some(&Value::Bool(true));
    let lookup = organization_id.clone();
    let policy = Arc::clone(&state.policy);
    let created = state
        .with_store(move |store| {
            store.insert_member(&lookup, |organization| {
                check_roles(&policy, organization, &body)?;
                let timestamp = crate::now();
                Ok::<_, ApiError>(Member {
                    member_id: format!("member-test-{}", uuid::Uuid::new_v4()),
                    organization_id: organization.organization_id.clone(),
                    external_id: given(&body, "external_id").map(str::to_owned),
                    email_address: email,
                    status: if pending { "pending" } else { "active" }.to_owned(),
                    created_at: timestamp.clone(),
                    updated_at: timestamp,
                    retired_email_addresses: Vec::new(),
                    settings: apply_body(&MemberSettings::default(), &body)
                        .map_err(ApiError::invalid)?,
                })
            })
        })
        .await?;
    let (organization, member) =
        created.ok_or_else(|| ApiError::organization_not_found(&organization_id))?;
    Ok(answer(&member, &organization))
}

/// The answer for an organization lookup and a member in it.
fn found(
    organization_id: &str,
    member_id: &str,
    result: Option<(Organization, Option<Member>)>,
) -> Result<Json<Value>, ApiError> {
    match result {
        None => Err(ApiError::organization_not_found(organization_id)),
        Some((_, None)) => Err(member_not_found(member_id)),
        Some((organization, Some(member))) => Ok(answer(&member, &organization)),
    }
}

/// `GET .../{organization_id}/member?member_id=...` or `?email_address=...`:
/// exactly one of the two.
pub async fn get(
    State(state): State<AppState>,
    Path(organization_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let mut member_id = None;
    let mut email = None;
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        match name.as_ref() {
            "member_id" if member_id.is_none() && !value.is_empty() => {
                member_id = Some(value.into_owned());
            }
            "email_address" if email.is_none() && !value.is_empty() => {
                email = Some(value.into_owned());
            }
            _ => {}
        }
    }
    let lookup = organization_id.clone();
    match (member_id, email) {
        (Some(member_id), None) => {
            let wanted = member_id.clone();
            let result = state
                .with_store(move |store| Ok(store.member(&lookup, &wanted)?))
                .await?;
            found(&organization_id, &member_id, result)
        }
        (None, Some(email)) => {
            let wanted = email.clone();
            let result = state
                .with_store(move |store| Ok(store.member_by_email(&lookup, &wanted)?))
                .await?;
            found(&organization_id, &email, result)
        }
        _ => Err(ApiError::invalid(vec![Problem::error(
            ProblemCode::MissingField,
            "/member_id",
            "give exactly one of the query parameters `member_id` and `email_address`",
        )])),
    }
}

/// Changes a member (found by id or external id, a deleted one only if
/// `include_deleted`) in one store transaction, and answers it with its
/// organization, or the not-found answer for either.
async fn change_member(
    state: &AppState,
    organization_id: String,
    member_id: String,
    include_deleted: bool,
    change: impl FnOnce(Member, &Organization) -> Result<Member, ApiError> + Send + 'static,
) -> Result<Json<Value>, ApiError> {
    let (lookup, member) = (organization_id.clone(), member_id.clone());
    let result = state
        .with_store(move |store| store.change_member(&lookup, &member, include_deleted, change))
        .await?;
    found(&organization_id, &member_id, result)
}

pub async fn update(
    State(state): State<AppState>,
    Path((organization_id, member_id)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    reject_errors(validate_member_body(&body, Mode::Update, Origin::Backend))?;
    if let Some(email) = given(&body, "email_address") {
        checked_email(email)?;
    }
    let policy = Arc::clone(&state.policy);
    change_member(
        &state,
        organization_id,
        member_id,
        false,
        move |mut member, organization| {
            check_roles(&policy, organization, &body)?;
            // `roles` replaces the explicit roles; metadata merges.
            member.settings = apply_body(&member.settings, &body).map_err(ApiError::invalid)?;
            if let Some(email) = given(&body, "email_address") {
                let unlink = body.get("unlink_email") == Some(&Value::Bool(true));
                change_email(&mut member, email, unlink);
            }
            if let Some(external_id) = given(&body, "external_id") {
                member.external_id = Some(external_id.to_owned());
            }
            member.updated_at = crate::now();
            Ok(member)
        },
    )
    .await
}

pub async fn delete(
    State(state): State<AppState>,
    Path((organization_id, member_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let (lookup, member) = (organization_id.clone(), member_id.clone());
    match state
        .with_store(move |store| Ok(store.delete_member(&lookup, &member)?))
        .await?
    {
        None => Err(ApiError::organization_not_found(&organization_id)),
        Some(None) => Err(member_not_found(&member_id)),
        // The member's own id, even when it was named by its external id.
        Some(Some(deleted)) => Ok(ok("member_id", json!(deleted))),
    }
}

/// `GET .../members/dangerously_get/{member_id}`: a member by id alone.
pub async fn dangerously_get(
    State(state): State<AppState>,
    Path(member_id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let include_deleted = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(name, _)| name == "include_deleted")
        // As a Go backend reads a boolean (`strconv.ParseBool`): the Node SDK
        // sends `true`, the Python SDK `True`.
        .is_some_and(|(_, value)| {
            ["1", "t", "T", "true", "TRUE", "True"].contains(&value.as_ref())
        });
    let wanted = member_id.clone();
    let found = state
        .with_store(move |store| Ok(store.member_anywhere(&wanted, include_deleted)?))
        .await?;
    match found {
        Some((organization, member)) => Ok(answer(&member, &organization)),
        None => Err(member_not_found(&member_id)),
    }
}

/// `DELETE .../members/{member_id}/external_id`.
pub async fn delete_external_id(
    State(state): State<AppState>,
    Path((organization_id, member_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    change_member(
        &state,
        organization_id,
        member_id,
        false,
        |mut member, _| {
            member.external_id = None;
            member.updated_at = crate::now();
            Ok(member)
        },
    )
    .await
}

/// `PUT .../members/{member_id}/reactivate`: a deleted member becomes
/// active again (its email address must still be free in the organization).
pub async fn reactivate(
    State(state): State<AppState>,
    Path((organization_id, member_id)): Path<(String, String)>,
    JsonBody(_): JsonBody,
) -> Result<Json<Value>, ApiError> {
    change_member(&state, organization_id, member_id, true, |mut member, _| {
        if member.status != "deleted" {
            return Err(ApiError::not_found(
                codes::NO_DELETED_MEMBER_FOUND_FOR_REACTIVATION,
                format!("member `{}` is not deleted", member.member_id),
            ));
        }
        "active".clone_into(&mut member.status);
        member.updated_at = crate::now();
        Ok(member)
    })
    .await
    .map_err(|error| match error {
        ApiError::Client {
            error_type, status, ..
        } if error_type == codes::DUPLICATE_MEMBER_EMAIL => ApiError::client(
            status,
            codes::REACTIVATION_EMAIL_BELONGS_TO_ANOTHER_MEMBER,
            "another member of the organization now has this member's email address",
        ),
        other => other,
    })
}

/// A member's new primary address: the previous one is retired (kept on
/// the member, and unusable by others until unlinked) unless `unlink`;
/// taking back one of its own retired addresses un-retires it.
fn change_email(member: &mut Member, email: &str, unlink: bool) {
    let key = |address: &str| email_key(address).unwrap_or_else(|| address.to_lowercase());
    let (old, new) = (key(&member.email_address), key(email));
    if old != new {
        member
            .retired_email_addresses
            .retain(|retired| key(&retired.email_address) != new);
        let already = member
            .retired_email_addresses
            .iter()
            .any(|retired| key(&retired.email_address) == old);
        if !unlink && !already {
            member.retired_email_addresses.push(RetiredEmail {
                email_id: format!("email-test-{}", uuid::Uuid::new_v4()),
                email_address: member.email_address.clone(),
            });
        }
    }
    email.clone_into(&mut member.email_address);
}

/// `POST .../members/{member_id}/unlink_retired_email`: removes a retired
/// address named by `email_id`, `email_address` or both (which must then
/// name the same one).
pub async fn unlink_retired_email(
    State(state): State<AppState>,
    Path((organization_id, member_id)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let mut problems = Vec::new();
    for name in ["email_id", "email_address"] {
        match body.get(name) {
            None | Some(Value::Null | Value::String(_)) => {}
            Some(_) => problems.push(Problem::error(
                ProblemCode::InvalidType,
                format!("/{name}"),
                format!("`{name}` must be a string"),
            )),
        }
    }
    reject_errors(problems)?;
    let email_id = given(&body, "email_id")
        .filter(|id| !id.is_empty())
        .map(str::to_owned);
    let email = given(&body, "email_address")
        .filter(|email| !email.is_empty())
        .map(str::to_owned);
    if email_id.is_none() && email.is_none() {
        return Err(ApiError::client(
            axum::http::StatusCode::BAD_REQUEST,
            codes::RETIRED_EMAIL_MISSING_EMAIL_IDENTIFIERS,
            "give `email_id`, `email_address` or both",
        ));
    }
    change_member(
        &state,
        organization_id,
        member_id,
        false,
        move |mut member, _| {
            let wanted = email
                .as_deref()
                .map(|email| email_key(email).unwrap_or_default());
            let position = member.retired_email_addresses.iter().position(|retired| {
                email_id.as_ref().is_none_or(|id| retired.email_id == *id)
                    && wanted.as_ref().is_none_or(|key| {
                        email_key(&retired.email_address).as_deref() == Some(key.as_str())
                    })
            });
            let Some(position) = position else {
                return Err(ApiError::not_found(
                    codes::EMAIL_NOT_FOUND,
                    "the member has no retired email address with this id and address",
                ));
            };
            member.retired_email_addresses.remove(position);
            member.updated_at = crate::now();
            Ok(member)
        },
    )
    .await
    .map(|mut answer| {
        // This answer also names the organization at the top level.
        if let Value::Object(fields) = &mut answer.0
            && let Some(id) = fields
                .get("member")
                .and_then(|m| m.get("organization_id"))
                .cloned()
        {
            fields.insert("organization_id".into(), id);
        }
        answer
    })
}

/// `POST .../members/{member_id}/start_email_update`. Stytch emails the new
/// address a link or code, and only for an active member with a verified
/// address. The sandbox sends no email and no member of it has verified
/// an address, so a valid request gets Stytch's answer for such a member.
pub async fn start_email_update(
    State(state): State<AppState>,
    Path((organization_id, member_id)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    reject_errors(orgpolicy_api::organization::validate_start_email_update(
        &body,
    ))?;
    let member = existing_member(&state, &organization_id, &member_id).await?;
    if member.status != "active" {
        return Err(ApiError::client(
            axum::http::StatusCode::BAD_REQUEST,
            codes::ACTION_AVAILABLE_ONLY_FOR_ACTIVE_MEMBERS,
            format!(
                "member `{}` is {}, not active",
                member.member_id, member.status
            ),
        ));
    }
    Err(ApiError::client(
        axum::http::StatusCode::BAD_REQUEST,
        codes::EMAIL_VERIFICATION_REQUIRED,
        "the member's current email address is not verified (the sandbox sends no email, so none is)",
    ))
}

pub async fn delete_mfa_phone_number(
    State(state): State<AppState>,
    Path((organization_id, member_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    change_member(
        &state,
        organization_id,
        member_id,
        false,
        |mut member, _| {
            member.settings.mfa_phone_number.clear();
            member.updated_at = crate::now();
            Ok(member)
        },
    )
    .await
}

/// The member (in its organization) a sub-resource belongs to, or the
/// not-found answer for either.
async fn existing_member(
    state: &AppState,
    organization_id: &str,
    member_id: &str,
) -> Result<Member, ApiError> {
    let (lookup, wanted) = (organization_id.to_owned(), member_id.to_owned());
    match state
        .with_store(move |store| Ok(store.member(&lookup, &wanted)?))
        .await?
    {
        None => Err(ApiError::organization_not_found(organization_id)),
        Some((_, None)) => Err(member_not_found(member_id)),
        Some((_, Some(member))) => Ok(member),
    }
}

/// `DELETE .../members/{member_id}/totp`: the sandbox has no TOTP
/// registrations, so the answer is Stytch's for a member without one.
pub async fn delete_totp(
    State(state): State<AppState>,
    Path((organization_id, member_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    existing_member(&state, &organization_id, &member_id).await?;
    Err(ApiError::not_found(
        codes::TOTP_NOT_FOUND,
        format!("member `{member_id}` has no TOTP registration"),
    ))
}

/// `DELETE .../members/passwords/{member_password_id}`: the sandbox keeps
/// no passwords, so no password id names one.
pub async fn delete_password(
    State(state): State<AppState>,
    Path((organization_id, password_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    crate::organizations::existing_organization(&state, &organization_id).await?;
    Err(ApiError::not_found(
        codes::MEMBER_PASSWORD_NOT_FOUND,
        format!("no member password `{password_id}` in this organization"),
    ))
}

/// `GET .../members/{member_id}/oauth_providers/{provider}`: the sandbox
/// has no OAuth logins. Google and Microsoft answer one token set, so a
/// member without one is not found; Slack, HubSpot and GitHub answer a
/// list of registrations, here empty.
pub async fn oauth_provider(
    State(state): State<AppState>,
    Path((organization_id, member_id, provider)): Path<(String, String, String)>,
) -> Result<Json<Value>, ApiError> {
    let listed = match provider.as_str() {
        "slack" | "hubspot" | "github" => true,
        "google" | "microsoft" => false,
        _ => return Err(ApiError::route_not_found()),
    };
    existing_member(&state, &organization_id, &member_id).await?;
    if !listed {
        return Err(ApiError::not_found(
            codes::MEMBER_OAUTH_TOKEN_NOT_FOUND,
            format!("member `{member_id}` has no {provider} OAuth tokens"),
        ));
    }
    let mut body = ok("registrations", json!([]));
    if let Value::Object(fields) = &mut body.0 {
        fields.insert("provider_type".into(), json!(provider));
    }
    Ok(body)
}

/// A member's OIDC registrations: none, as the sandbox has no SSO.
pub async fn oidc_providers(
    State(state): State<AppState>,
    Path((organization_id, member_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    existing_member(&state, &organization_id, &member_id).await?;
    Ok(ok("registrations", json!([])))
}

/// The Connected Apps a member has authorized: none here.
pub async fn connected_apps(
    State(state): State<AppState>,
    Path((organization_id, member_id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    existing_member(&state, &organization_id, &member_id).await?;
    Ok(ok("connected_apps", json!([])))
}

/// Revoking a Connected App: never found, as the sandbox has none.
pub async fn revoke_connected_app(
    State(state): State<AppState>,
    Path((organization_id, member_id, _connected_app_id)): Path<(String, String, String)>,
    JsonBody(_): JsonBody,
) -> Result<Json<Value>, ApiError> {
    existing_member(&state, &organization_id, &member_id).await?;
    Err(ApiError::connected_app_not_found())
}

/// Whether a member passes one prepared filter; `roles` are its effective
/// role ids.
fn member_matches(member: &Member, roles: &[String], operand: &Operand) -> bool {
    let email = member.email_address.to_lowercase();
    let phone = &member.settings.mfa_phone_number;
    match operand {
        Operand::AnyOf(name, wanted) => match name.as_str() {
            "member_ids" => wanted.contains(&member.member_id.to_lowercase()),
            "member_emails" => wanted.contains(&email),
            "statuses" => wanted.contains(&member.status),
            "member_roles" => roles
                .iter()
                .any(|role| wanted.contains(&role.to_lowercase())),
            "member_phone_numbers" | "member_mfa_phone_numbers" => {
                !phone.is_empty() && wanted.contains(phone)
            }
            _ => false,
        },
        Operand::Contains(name, part) => match name.as_str() {
            "member_email_fuzzy" => email.contains(part),
            "member_phone_number_fuzzy" | "member_mfa_phone_number_fuzzy" => phone.contains(part),
            _ => false,
        },
        Operand::Flag(name, wanted) => match name.as_str() {
            "member_is_breakglass" => member.settings.is_breakglass == *wanted,
            // No member has a password here.
            "member_password_exists" => !*wanted,
            _ => false,
        },
    }
}

/// A member's effective role ids in its organization.
fn role_ids(member: &Member, organization: &Organization) -> Vec<String> {
    member_roles(member, organization)
        .into_iter()
        .map(|role| role.role_id)
        .collect()
}

pub async fn search(
    State(state): State<AppState>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let lookups = orgpolicy_api::organization::search_organization_ids(&body)
        .map_err(|p| ApiError::invalid(vec![p]))?;
    let mut rest = body.as_object().cloned().unwrap_or_default();
    rest.remove("organization_ids");
    let query = parse_member_search_query(&Value::Object(rest)).map_err(ApiError::invalid)?;
    let operands = prepare(&query);
    // Deleted members are found only when a `statuses` filter names them.
    let wants_deleted = operands.iter().any(|operand| {
        matches!(operand, Operand::AnyOf(name, statuses) if name == "statuses" && statuses.contains("deleted"))
    });
    let (page, organizations) = state
        .with_store(move |store| {
            // Slugs resolve to their organization's row id, as in every
            // other lookup.
            let organizations = store.resolve_organizations(&lookups)?;
            let ids: Vec<String> = organizations
                .iter()
                .map(|o| o.organization_id.clone())
                .collect();
            let selected: Vec<Member> = store
                .members_of(&ids)?
                .into_iter()
                .filter(|member| wants_deleted || member.status != "deleted")
                .filter(|member| {
                    let roles = organizations
                        .iter()
                        .find(|o| o.organization_id == member.organization_id)
                        .map(|o| role_ids(member, o))
                        .unwrap_or_default();
                    passes(
                        &query,
                        operands.iter().map(|o| member_matches(member, &roles, o)),
                    )
                })
                .collect();
            Ok((
                page(selected, &query, |m| m.member_id.as_str())?,
                organizations,
            ))
        })
        .await?;
    let mut shown = Vec::new();
    // Only the organizations of the members returned.
    let mut by_id = Map::new();
    for member in &page.items {
        if let Some(organization) = organizations
            .iter()
            .find(|o| o.organization_id == member.organization_id)
        {
            shown.push(render(member, organization));
            by_id
                .entry(organization.organization_id.clone())
                .or_insert_with(|| organization.to_json());
        }
    }
    let mut answer = ok("members", json!(shown));
    if let Value::Object(fields) = &mut answer.0 {
        fields.insert("results_metadata".into(), page.metadata);
        fields.insert("organizations".into(), Value::Object(by_id));
    }
    Ok(answer)
}
