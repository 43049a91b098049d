//! An embedded sandbox of the organization and RBAC API: axum over SQLite,
//! with the API's paths, shapes, error types and HTTP Basic auth
//! (`project_id:secret`), so the whole product runs offline and the
//! gateway's credential injection is real.
//!
//! `app(state)` builds the router apart from any socket: tests call it with
//! `oneshot`. Validation is the core's (`orgpolicy_api::organization`,
//! `validate_organization_policy`); handlers only read, call and answer.

mod body;
pub mod demo;
pub mod email;
mod error;
mod members;
mod migrate;

mod organizations;
mod rbac;
mod search;
pub mod server;
pub mod store;

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{delete, get, post, put};
use base64::Engine as _;
pub use body::{JsonBody, is_json_content_type};
pub use error::{ApiError, PROBLEMS_LISTED_MAX};
pub use members::SEARCH_ORGANIZATIONS_MAX;
use orgpolicy_api::codes;
use orgpolicy_core::Policy;
pub use server::ServerLimits;
use std::sync::Arc;
use store::Store;

/// The project's credentials: what a client must send as Basic auth.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Credentials {
    pub project_id: String,
    pub secret: String,
}

impl Credentials {
    /// Fresh test credentials (`project-test-<uuid>`, a random secret).
    pub fn generate() -> Self {
        Credentials {
            project_id: format!("project-test-{}", uuid::Uuid::new_v4()),
            secret: format!("secret-test-{}", uuid::Uuid::new_v4().simple()),
        }
    }

    /// The `Authorization` header value for these credentials.
    pub fn header_value(&self) -> String {
        let pair = format!("{}:{}", self.project_id, self.secret);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    }
}

/// Everything the handlers share.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    pub credentials: Arc<Credentials>,
    pub policy: Arc<Policy>,
}

impl AppState {
    /// Runs a blocking store operation on tokio's blocking pool.
    pub(crate) async fn with_store<T: Send + 'static>(
        &self,
        operation: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || operation(&store))
            .await
            .map_err(|error| ApiError::Internal(format!("store task: {error}")))?
    }
}

/// Compares in time independent of where the first difference is (for
/// secrets and tokens).
pub fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

async fn require_credentials(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let expected = state.credentials.header_value();
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|value| value.as_bytes())
        .unwrap_or_default();
    if !same_secret(given, expected.as_bytes()) {
        return Err(ApiError::client(
            StatusCode::UNAUTHORIZED,
            codes::UNAUTHORIZED_CREDENTIALS,
            "Unauthorized credentials: send HTTP Basic auth with the project id and secret",
        ));
    }
    // The sandbox has no sessions: acting on a member session's behalf
    // with the project's full rights would be silently wrong, so refuse.
    if ["x-stytch-member-session", "x-stytch-member-sessionjwt"]
        .iter()
        .any(|name| request.headers().contains_key(*name))
    {
        return Err(ApiError::client(
            StatusCode::BAD_REQUEST,
            codes::MEMBER_SESSIONS_NOT_SUPPORTED,
            "The sandbox has no member sessions, so it cannot apply a member's permissions: \
             send the request without X-Stytch-Member-Session / X-Stytch-Member-SessionJWT, \
             or use the real API",
        ));
    }
    Ok(next.run(request).await)
}

/// Now, as the API writes timestamps (RFC 3339, seconds, UTC).
pub(crate) fn now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// Serves the sandbox on a bound listener, within `limits`, until
/// `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    limits: ServerLimits,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> std::io::Result<()> {
    server::serve(listener, app(state), limits, shutdown).await
}

/// `/v1/b2b/organizations/search` is the search endpoint for `POST`; for
/// other methods it is the organization whose slug is `search`.
async fn search_slug_get(
    state: State<AppState>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    organizations::get(state, Path("search".to_owned())).await
}

async fn search_slug_update(
    state: State<AppState>,
    body: JsonBody,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    organizations::update(state, Path("search".to_owned()), body).await
}

async fn search_slug_delete(
    state: State<AppState>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    organizations::delete(state, Path("search".to_owned())).await
}

/// The sandbox's router.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/v1/b2b/organizations", post(organizations::create))
        .route(
            "/v1/b2b/organizations/search",
            post(organizations::search)
                .get(search_slug_get)
                .put(search_slug_update)
                .delete(search_slug_delete),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}",
            get(organizations::get)
                .put(organizations::update)
                .delete(organizations::delete),
        )
        .route(
            "/v1/b2b/organizations/members/search",
            post(members::search),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/members",
            post(members::create),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/member",
            get(members::get),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/members/{member_id}",
            put(members::update).delete(members::delete),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/external_id",
            delete(organizations::delete_external_id),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/external_id",
            delete(members::delete_external_id),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/metrics",
            get(organizations::metrics),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/connected_apps",
            get(organizations::connected_apps),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/connected_apps/{connected_app_id}",
            get(organizations::connected_app),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/reactivate",
            put(members::reactivate),
        )
        .route(
            "/v1/b2b/organizations/members/dangerously_get/{member_id}",
            get(members::dangerously_get),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/members/mfa_phone_numbers/{member_id}",
            delete(members::delete_mfa_phone_number),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/totp",
            delete(members::delete_totp),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/members/passwords/{member_password_id}",
            delete(members::delete_password),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/unlink_retired_email",
            post(members::unlink_retired_email),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/start_email_update",
            post(members::start_email_update),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/oauth_providers/{provider}",
            get(members::oauth_provider),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/oidc_providers",
            get(members::oidc_providers),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/connected_apps",
            get(members::connected_apps),
        )
        .route(
            "/v1/b2b/organizations/{organization_id}/members/{member_id}/connected_apps/{connected_app_id}/revoke",
            post(members::revoke_connected_app),
        )
        .route("/v1/b2b/rbac/policy", get(rbac::policy))
        .route(
            "/v1/b2b/rbac/organizations/{organization_id}",
            get(rbac::organization_policy).put(rbac::set_organization_policy),
        )
        // Unknown routes and methods answer in the API's error shape too.
        .fallback(|| async { ApiError::route_not_found() })
        .method_not_allowed_fallback(|| async {
            ApiError::client(
                StatusCode::METHOD_NOT_ALLOWED,
                codes::METHOD_NOT_ALLOWED,
                "This route does not take this HTTP method.",
            )
        })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            require_credentials,
        ))
        .with_state(state)
}
