//! Reading request bodies: JSON only (415 otherwise), within the body
//! limit (413), parsed by the core so a malformed body is a 400 with a
//! pointer. An empty body reads as `{}`.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use orgpolicy_api::codes;
use orgpolicy_core::{Problem, ProblemCode};
use serde_json::Value;

/// A request body read as JSON.
#[derive(Debug)]
pub struct JsonBody(pub Value);

/// Whether a `Content-Type` value is JSON (`application/json`, any
/// parameters, any case).
pub fn is_json_content_type(value: &[u8]) -> bool {
    let essence = value.split(|&b| b == b';').next().unwrap_or_default();
    essence
        .trim_ascii()
        .eq_ignore_ascii_case(b"application/json")
}

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = request.headers().get(header::CONTENT_TYPE).cloned();
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                let timed_out = {
                    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&rejection);
                    let mut found = false;
                    while let Some(error) = source {
                        found |= error.is::<crate::server::BodyTimedOut>();
                        source = error.source();
                    }
                    found
                };
                if timed_out {
                    ApiError::client(
                        StatusCode::REQUEST_TIMEOUT,
                        codes::REQUEST_TIMEOUT,
                        "the request body did not arrive in time",
                    )
                } else if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::client(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        codes::REQUEST_TOO_LARGE,
                        "the request body is larger than this server accepts",
                    )
                } else {
                    ApiError::client(
                        StatusCode::BAD_REQUEST,
                        codes::INVALID_REQUEST_BODY,
                        "the request body could not be read: it broke off or came too slowly",
                    )
                }
            })?;
        if bytes.trim_ascii().is_empty() {
            return Ok(JsonBody(Value::Object(serde_json::Map::new())));
        }
        if !content_type.is_some_and(|value| is_json_content_type(value.as_bytes())) {
            return Err(ApiError::client(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                codes::UNSUPPORTED_MEDIA_TYPE,
                "send the request body as JSON, with `Content-Type: application/json`",
            ));
        }
        let text = std::str::from_utf8(&bytes).map_err(|_| {
            ApiError::invalid(vec![Problem::error(
                ProblemCode::InvalidJson,
                "",
                "the body is not UTF-8",
            )])
        })?;
        orgpolicy_core::parse::parse_json(text)
            .map(JsonBody)
            .map_err(|error| ApiError::invalid(vec![error.problem]))
    }
}
