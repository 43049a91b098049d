//! The demo project an empty sandbox starts with, so the console and the
//! playground have something real to show: Stytch's default policy plus
//! documents, invoices and reports with their roles, and three
//! organizations with members, custom roles and implicit role assignments.
//!
//! The organizations are created through the sandbox's own API, request
//! by request, so the demo obeys every rule any client does.

use crate::AppState;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use orgpolicy_core::{Permission, Policy, Resource, Role};
use serde::Deserialize;
use serde_json::{Value, json};
use tower::ServiceExt;

const DEMO: &str = include_str!("demo.json");

#[derive(Deserialize)]
struct Demo {
    resources: Vec<Resource>,
    roles: Vec<Role>,
    /// What every member (`stytch_member`) may also do.
    member_grants: Vec<Permission>,
    organizations: Vec<DemoOrganization>,
}

#[derive(Deserialize)]
struct DemoOrganization {
    organization: Value,
    custom_roles: Vec<Value>,
    members: Vec<Value>,
}

fn demo() -> Result<Demo, String> {
    serde_json::from_str(DEMO).map_err(|error| format!("the demo is not valid: {error}"))
}

/// The demo's project policy: Stytch's default policy, its resources and
/// roles, `stytch_admin` holding `*` on them and `stytch_member` the
/// member grants.
pub fn demo_policy() -> Result<Policy, String> {
    let demo = demo()?;
    let mut policy = orgpolicy_core::stytch::default_policy();
    for role in &mut policy.roles {
        if role.role_id == orgpolicy_core::stytch::DEFAULT_ADMIN_ROLE {
            role.permissions
                .extend(demo.resources.iter().map(|resource| Permission {
                    resource_id: resource.resource_id.clone(),
                    actions: vec![orgpolicy_core::WILDCARD.to_owned()],
                }));
        } else if role.role_id == orgpolicy_core::stytch::DEFAULT_MEMBER_ROLE {
            role.permissions.extend(demo.member_grants.iter().cloned());
        }
    }
    policy.resources.extend(demo.resources);
    policy.roles.extend(demo.roles);
    Ok(policy)
}

/// What the seeding created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seeded {
    pub organizations: usize,
    pub members: usize,
}

/// Creates the demo organizations, custom roles and members through the
/// sandbox's API (`state` must hold [`demo_policy`]). Any refused request
/// is an error: the demo is kept valid by this.
pub async fn seed(state: AppState) -> Result<Seeded, String> {
    let demo = demo()?;
    let router = crate::app(state.clone());
    let authorization = state.credentials.header_value();
    let call = |method: &'static str, path: String, body: Value| {
        let router = router.clone();
        let authorization = authorization.clone();
        async move {
            let request = Request::builder()
                .method(method)
                .uri(&path)
                .header(header::AUTHORIZATION, authorization)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .map_err(|error| error.to_string())?;
            let response = router
                .oneshot(request)
                .await
                .map_err(|error| error.to_string())?;
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .map_err(|error| error.to_string())?;
            let answer: Value = serde_json::from_slice(&bytes).unwrap_or_default();
            if status == StatusCode::OK {
                Ok(answer)
            } else {
                Err(format!("demo: {method} {path} answered {status}: {answer}"))
            }
        }
    };
    let mut seeded = Seeded {
        organizations: 0,
        members: 0,
    };
    for organization in demo.organizations {
        let created = call(
            "POST",
            "/v1/b2b/organizations".to_owned(),
            organization.organization,
        )
        .await?;
        let id = created
            .pointer("/organization/organization_id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        call(
            "PUT",
            format!("/v1/b2b/rbac/organizations/{id}"),
            json!({"org_policy": {"roles": organization.custom_roles}}),
        )
        .await?;
        for mut member in organization.members {
            // A member whose address changed is created with the old one and
            // then moved to the new one, which retires the old.
            let previous = member
                .as_object_mut()
                .and_then(|fields| fields.remove("previous_email_address"));
            let moved_to = match (previous, member.as_object_mut()) {
                (Some(previous), Some(fields)) => {
                    fields.insert("email_address".to_owned(), previous)
                }
                _ => None,
            };
            let created = call(
                "POST",
                format!("/v1/b2b/organizations/{id}/members"),
                member,
            )
            .await?;
            if let Some(current) = moved_to {
                let member_id = created
                    .get("member_id")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                call(
                    "PUT",
                    format!("/v1/b2b/organizations/{id}/members/{member_id}"),
                    json!({"email_address": current}),
                )
                .await?;
            }
            seeded.members += 1;
        }
        seeded.organizations += 1;
    }
    Ok(seeded)
}
