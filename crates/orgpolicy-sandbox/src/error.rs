//! The API's error shape: `{status_code, request_id, error_type,
//! error_message, error_url}`, plus every problem found (`errors`) when a
//! body fails validation.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use orgpolicy_api::codes;
use orgpolicy_core::{Problem, ProblemCode};
use serde_json::json;

/// Most problems one error answer lists; past it the answer says how many
/// there were in all (`errors_total`), so one request cannot make an answer
/// many times its own size.
pub const PROBLEMS_LISTED_MAX: usize = 100;

/// An error answered to the client. 4xx carry the precise message; 5xx say
/// "internal error" and the detail is logged once.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{message}")]
    Client {
        status: StatusCode,
        error_type: ProblemCode,
        message: String,
        problems: Vec<Problem>,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn client(status: StatusCode, error_type: ProblemCode, message: impl Into<String>) -> Self {
        ApiError::Client {
            status,
            error_type,
            message: message.into(),
            problems: Vec::new(),
        }
    }

    /// A 400 for a body with problems: the first error names the type.
    pub fn invalid(mut problems: Vec<Problem>) -> Self {
        // Errors first, warnings after, each in the order found.
        problems.sort_by_key(|p| p.severity != orgpolicy_core::Severity::Error);
        let (error_type, message) = problems
            .iter()
            .find(|p| p.severity == orgpolicy_core::Severity::Error)
            .map(|p| (p.code, p.to_string()))
            .unwrap_or((codes::INVALID_REQUEST_BODY, "invalid request".to_owned()));
        ApiError::Client {
            status: StatusCode::BAD_REQUEST,
            error_type,
            message,
            problems,
        }
    }

    pub fn not_found(error_type: ProblemCode, message: impl Into<String>) -> Self {
        Self::client(StatusCode::NOT_FOUND, error_type, message)
    }

    pub fn connected_app_not_found() -> Self {
        Self::not_found(
            codes::CONNECTED_APP_NOT_FOUND,
            "The Connected App requested could not be found.",
        )
    }

    pub fn route_not_found() -> Self {
        Self::not_found(
            codes::ROUTE_NOT_FOUND,
            "There is no API route at this path.",
        )
    }

    pub fn organization_not_found(id: &str) -> Self {
        Self::not_found(
            codes::ORGANIZATION_NOT_FOUND,
            format!("no organization with id or slug `{id}`"),
        )
    }
}

/// A 400 if any problem is an error; warnings alone let a body through.
pub(crate) fn reject_errors(problems: Vec<Problem>) -> Result<(), ApiError> {
    if problems
        .iter()
        .any(|p| p.severity == orgpolicy_core::Severity::Error)
    {
        Err(ApiError::invalid(problems))
    } else {
        Ok(())
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(error: rusqlite::Error) -> Self {
        ApiError::Internal(format!("store: {error}"))
    }
}

pub fn request_id() -> String {
    format!("request-id-test-{}", uuid::Uuid::new_v4())
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let request_id = request_id();
        let (status, error_type, mut message, mut problems) = match self {
            ApiError::Client {
                status,
                error_type,
                message,
                problems,
            } => (status, error_type, message, problems),
            ApiError::Internal(detail) => {
                tracing::error!(%request_id, %detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    codes::INTERNAL_SERVER_ERROR,
                    "internal error".to_owned(),
                    Vec::new(),
                )
            }
        };
        let total = problems.len();
        if total > PROBLEMS_LISTED_MAX {
            problems.truncate(PROBLEMS_LISTED_MAX);
            message = format!(
                "{message} (and {} more problems, {total} in all)",
                total - PROBLEMS_LISTED_MAX
            );
        }
        let mut body = serde_json::Map::new();
        body.insert("status_code".into(), json!(status.as_u16()));
        body.insert("request_id".into(), json!(request_id));
        body.insert("error_type".into(), json!(error_type));
        body.insert("error_message".into(), json!(message));
        body.insert(
            "error_url".into(),
            json!(format!(
                "https://stytch.com/docs/api-reference/b2b/api/errors/{}#{error_type}",
                status.as_u16()
            )),
        );
        if !problems.is_empty() {
            body.insert("errors".into(), json!(problems));
        }
        if total > PROBLEMS_LISTED_MAX {
            body.insert("errors_total".into(), json!(total));
        }
        (status, Json(serde_json::Value::Object(body))).into_response()
    }
}
