//! An embedded sandbox of the organization and RBAC API: axum over SQLite,
//! with the API's paths, shapes, error types and HTTP Basic auth
//! (`project_id:secret`), so the whole product runs offline and the
//! gateway's credential injection is real.
//!
//! `app(state)` builds the router apart from any socket: tests call it with
//! `oneshot`. Validation is the core's (`orgpolicy_core::organization`,
//! `validate_organization_policy`); handlers only read, call and answer.

mod error;
mod members;
mod organizations;
mod rbac;
mod search;
pub mod store;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use base64::Engine as _;
pub use error::ApiError;
use orgpolicy_core::Policy;
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
            "unauthorized_credentials",
            "Unauthorized credentials: send HTTP Basic auth with the project id and secret",
        ));
    }
    Ok(next.run(request).await)
}

/// Serves the sandbox on a bound listener until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// The sandbox's router.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/v1/b2b/organizations", post(organizations::create))
        .route("/v1/b2b/organizations/search", post(organizations::search))
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
            "/v1/b2b/organizations/{organization_id}/members/{member_id}",
            get(members::get)
                .put(members::update)
                .delete(members::delete),
        )
        .route("/v1/b2b/rbac/policy", get(rbac::policy))
        .route(
            "/v1/b2b/rbac/organizations/{organization_id}",
            get(rbac::organization_policy).put(rbac::set_organization_policy),
        )
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            require_credentials,
        ))
        .with_state(state)
}
