//! RBAC endpoints: the project policy and organization policies, validated
//! by the core.

use crate::AppState;
use crate::error::{ApiError, request_id};
use crate::organizations::{find_organization, read_body};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use orgpolicy_core::check_organization_policy_text;
use serde_json::{Value, json};

pub async fn policy(State(state): State<AppState>) -> Json<Value> {
    Json(json!({"status_code": 200, "request_id": request_id(), "policy": state.policy.as_ref()}))
}

pub async fn organization_policy(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let organization_id = organization_id(&state, &id).await?;
    let stored = state
        .with_store(move |store| Ok(store.organization_policy(&organization_id)?))
        .await?;
    Ok(Json(json!({
        "status_code": 200,
        "request_id": request_id(),
        "org_policy": stored.unwrap_or_else(|| json!({"roles": []})),
    })))
}

pub async fn set_organization_policy(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let text = read_body(&body)?.to_string();
    let (organization_policy, report) = check_organization_policy_text(&state.policy, &text)
        .map_err(|problem| ApiError::invalid(vec![problem]))?;
    if !report.is_valid() {
        return Err(ApiError::invalid(report.errors));
    }
    let organization_id = organization_id(&state, &id).await?;
    let policy = serde_json::to_value(&organization_policy)
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let stored = policy.clone();
    state
        .with_store(move |store| Ok(store.set_organization_policy(&organization_id, &stored)?))
        .await?;
    Ok(Json(
        json!({"status_code": 200, "request_id": request_id(), "org_policy": policy}),
    ))
}

/// The organization's id, if it exists (by id or slug).
async fn organization_id(state: &AppState, id: &str) -> Result<String, ApiError> {
    find_organization(state, id)
        .await?
        .get("organization_id")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| ApiError::Internal("a stored organization has no id".into()))
}
