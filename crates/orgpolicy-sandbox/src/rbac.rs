//! RBAC endpoints: the project policy and organization policies, validated
//! by the core.

use crate::AppState;
use crate::error::{ApiError, request_id};
use crate::organizations::JsonBody;
use axum::Json;
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
    let lookup = id.clone();
    let (_, stored) = state
        .with_store(move |store| Ok(store.organization_policy(&lookup)?))
        .await?
        .ok_or_else(|| ApiError::organization_not_found(&id))?;
    Ok(Json(json!({
        "status_code": 200,
        "request_id": request_id(),
        "org_policy": stored.unwrap_or_else(|| json!({"roles": []})),
    })))
}

pub async fn set_organization_policy(
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Json<Value>, ApiError> {
    let (organization_policy, report) =
        check_organization_policy_text(&state.policy, &body.to_string())
            .map_err(|problem| ApiError::invalid(vec![problem]))?;
    if !report.is_valid() {
        return Err(ApiError::invalid(report.errors));
    }
    let policy = serde_json::to_value(&organization_policy)
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let stored = policy.clone();
    let lookup = id.clone();
    state
        .with_store(move |store| Ok(store.set_organization_policy(&lookup, &stored)?))
        .await?
        .ok_or_else(|| ApiError::organization_not_found(&id))?;
    Ok(Json(
        json!({"status_code": 200, "request_id": request_id(), "org_policy": policy}),
    ))
}
