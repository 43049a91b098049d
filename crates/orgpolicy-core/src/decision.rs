//! What an authorization check answers: allow with the grants that allowed
//! it, or deny with the SDKs' `error_type`, message and a reason.

use crate::stytch::{MEMBER_PERMISSION_MESSAGE, TENANCY_MISMATCH_MESSAGE, USER_PERMISSION_MESSAGE};
use serde::Serialize;
use std::fmt;

/// The SDKs' error types for a denied check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DenyCode {
    /// The subject belongs to another organization than the check names.
    TenancyMismatch,
    /// No candidate role (or scope) grants the action on the resource.
    InvalidPermissions,
}

impl DenyCode {
    pub const fn as_str(self) -> &'static str {
        match self {
            DenyCode::TenancyMismatch => "tenancy_mismatch",
            DenyCode::InvalidPermissions => "invalid_permissions",
        }
    }

    /// The message the SDKs attach: members in B2B, users in consumer projects.
    pub const fn message(self, caller: Caller) -> &'static str {
        match (self, caller) {
            (DenyCode::TenancyMismatch, _) => TENANCY_MISMATCH_MESSAGE,
            (DenyCode::InvalidPermissions, Caller::Member) => MEMBER_PERMISSION_MESSAGE,
            (DenyCode::InvalidPermissions, Caller::User) => USER_PERMISSION_MESSAGE,
        }
    }
}

impl fmt::Display for DenyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who the SDK says is asking: a B2B member or a consumer user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Caller {
    Member,
    User,
}

impl Caller {
    /// A check that names an organization is a member's; one without, a user's.
    pub fn of_check(organization_id: Option<&str>) -> Self {
        if organization_id.is_some() {
            Caller::Member
        } else {
            Caller::User
        }
    }
}

/// Where a candidate role is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleSource {
    /// The project policy: applies in every organization.
    Project,
    /// The check's organization's custom roles.
    Organization,
    /// A token scope from the project policy (scope checks).
    Scope,
}

/// How a grant matched the check's action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    Exact,
    Wildcard,
}

/// A role (or scope) and where it is defined.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleRef {
    pub role_id: String,
    pub source: RoleSource,
}

/// One permission that allowed a check.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    pub role_id: String,
    pub source: RoleSource,
    pub resource_id: String,
    #[serde(rename = "match")]
    pub matched: MatchKind,
}

/// Why a check was denied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum DenyReason {
    /// The subject's organization is not the check's.
    TenancyMismatch {
        subject_organization_id: Option<String>,
        check_organization_id: Option<String>,
    },
    /// The project policy declares no such resource and no candidate grants it.
    UnknownResource {
        resource_id: String,
        did_you_mean: Option<String>,
    },
    /// The resource does not declare the action; only a `*` grant could allow it.
    UndeclaredAction {
        resource_id: String,
        action: String,
        did_you_mean: Option<String>,
        would_grant: Vec<RoleRef>,
    },
    /// The action is declared but no candidate grants it.
    NotGranted { would_grant: Vec<RoleRef> },
}

/// A denied check, as the SDKs report it plus the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Deny {
    pub error_type: DenyCode,
    pub message: String,
    pub reason: DenyReason,
}

/// The answer to one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Decision {
    Allow { grants: Vec<Grant> },
    Deny(Deny),
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow { .. })
    }

    pub fn deny_code(&self) -> Option<DenyCode> {
        match self {
            Decision::Allow { .. } => None,
            Decision::Deny(deny) => Some(deny.error_type),
        }
    }
}
