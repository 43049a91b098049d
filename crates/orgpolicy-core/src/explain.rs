//! Why a check is allowed or denied: the grants that allowed it with their
//! source and match kind, or the deny cause and the roles that would allow it.
//!
//! Explanation works on the documents, not the compiled form: it is for
//! people and tools, not for hot loops. Its decision always equals the
//! engine's and the reference's (tested).

use crate::WILDCARD;
use crate::decision::{
    Caller, Decision, Deny, DenyCode, DenyReason, Grant, MatchKind, RoleRef, RoleSource,
};
use crate::model::{AuthorizationCheck, OrganizationPolicy, Permission, Policy, Role, Subject};
use crate::order;
use serde::Serialize;

/// A decision and the facts behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Explanation {
    pub decision: Decision,
    /// The subject's roles that apply in the check's organization, with where
    /// each is defined.
    pub candidate_roles: Vec<RoleRef>,
    /// The subject's roles defined neither by the project nor by the check's
    /// organization (ignored, as the SDKs ignore them).
    pub unknown_roles: Vec<String>,
    /// Whether the project policy declares the check's resource.
    pub resource_declared: bool,
    /// Whether the resource declares the check's action. An allow with
    /// `false` here came from a `*` grant on an action nobody declared.
    pub action_declared: bool,
    /// One sentence a person can read.
    pub summary: String,
}

fn permission_match(permission: &Permission, check: &AuthorizationCheck) -> Option<MatchKind> {
    if permission.resource_id != check.resource_id {
        return None;
    }
    if permission.actions.contains(&check.action) && check.action != WILDCARD {
        Some(MatchKind::Exact)
    } else if permission.actions.iter().any(|a| a == WILDCARD) {
        Some(MatchKind::Wildcard)
    } else {
        None
    }
}

fn grants_of(role: &Role, source: RoleSource, check: &AuthorizationCheck) -> Vec<Grant> {
    let mut grants: Vec<Grant> = role
        .permissions
        .iter()
        .filter_map(|permission| permission_match(permission, check))
        .map(|matched| Grant {
            role_id: role.role_id.clone(),
            source,
            resource_id: check.resource_id.clone(),
            matched,
        })
        .collect();
    order::sort_dedup(&mut grants);
    grants
}

/// The closest of `candidates` to `wanted`, if any is close enough to be a
/// likely typo.
pub fn did_you_mean<'c>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    let limit = (wanted.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .filter(|candidate| *candidate != wanted)
        .map(|candidate| (strsim::levenshtein(wanted, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, candidate)| candidate.to_owned())
}

/// Explains a role-based check. `organization_policy` is the policy of the
/// organization the check names (`None` if it has none, or for consumer checks).
pub fn explain(
    policy: &Policy,
    organization_policy: Option<&OrganizationPolicy>,
    subject: &Subject,
    check: &AuthorizationCheck,
) -> Explanation {
    let caller = Caller::of_check(check.organization_id.as_deref());
    let declared = policy
        .resources
        .iter()
        .find(|r| r.resource_id == check.resource_id);
    let resource_declared = declared.is_some();
    let action_declared = declared.is_some_and(|r| r.actions.contains(&check.action));

    if subject.organization_id != check.organization_id {
        let deny = Deny {
            error_type: DenyCode::TenancyMismatch,
            message: DenyCode::TenancyMismatch.message(caller).to_owned(),
            reason: DenyReason::TenancyMismatch {
                subject_organization_id: subject.organization_id.clone(),
                check_organization_id: check.organization_id.clone(),
            },
        };
        let summary = format!(
            "denied before any role is considered: the subject belongs to {} and the check is for {}",
            describe_organization(subject.organization_id.as_deref()),
            describe_organization(check.organization_id.as_deref()),
        );
        return Explanation {
            decision: Decision::Deny(deny),
            candidate_roles: Vec::new(),
            unknown_roles: Vec::new(),
            resource_declared,
            action_declared,
            summary,
        };
    }

    let organization_roles: &[Role] = organization_policy
        .map(|o| o.roles.as_slice())
        .unwrap_or_default();
    let all_roles = policy
        .roles
        .iter()
        .map(|role| (role, RoleSource::Project))
        .chain(
            organization_roles
                .iter()
                .map(|role| (role, RoleSource::Organization)),
        );

    let mut held: Vec<&str> = subject.roles.iter().map(String::as_str).collect();
    order::sort_dedup(&mut held);
    let mut candidate_roles = Vec::new();
    let mut grants = Vec::new();
    let mut would_grant = Vec::new();
    for (role, source) in all_roles {
        let role_grants = grants_of(role, source, check);
        if held.binary_search(&role.role_id.as_str()).is_ok() {
            candidate_roles.push(RoleRef {
                role_id: role.role_id.clone(),
                source,
            });
            grants.extend(role_grants);
        } else if !role_grants.is_empty() {
            would_grant.push(RoleRef {
                role_id: role.role_id.clone(),
                source,
            });
        }
    }
    order::sort_dedup(&mut grants);
    order::sort_dedup(&mut candidate_roles);
    order::sort_dedup(&mut would_grant);
    let unknown_roles: Vec<String> = held
        .iter()
        .filter(|role| !candidate_roles.iter().any(|c| c.role_id == **role))
        .map(|role| (*role).to_owned())
        .collect();

    if !grants.is_empty() {
        let summary = allow_summary(&grants, check, action_declared);
        return Explanation {
            decision: Decision::Allow { grants },
            candidate_roles,
            unknown_roles,
            resource_declared,
            action_declared,
            summary,
        };
    }

    let (reason, summary) = match declared {
        None => {
            let suggestion = did_you_mean(
                &check.resource_id,
                policy.resources.iter().map(|r| r.resource_id.as_str()),
            );
            let summary = format!(
                "denied: the project policy declares no resource `{}`{}",
                check.resource_id,
                suggestion
                    .as_deref()
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default(),
            );
            (
                DenyReason::UnknownResource {
                    resource_id: check.resource_id.clone(),
                    did_you_mean: suggestion,
                },
                summary,
            )
        }
        Some(resource) if !action_declared => {
            let suggestion =
                did_you_mean(&check.action, resource.actions.iter().map(String::as_str));
            let summary = format!(
                "denied: resource `{}` declares no action `{}`{}; only a `*` grant could allow it",
                check.resource_id,
                check.action,
                suggestion
                    .as_deref()
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default(),
            );
            (
                DenyReason::UndeclaredAction {
                    resource_id: check.resource_id.clone(),
                    action: check.action.clone(),
                    did_you_mean: suggestion,
                    would_grant: would_grant.clone(),
                },
                summary,
            )
        }
        Some(_) => {
            let held_text = if candidate_roles.is_empty() {
                "none of the subject's roles apply here".to_owned()
            } else {
                format!("no role of {} grants it", list_roles(&candidate_roles))
            };
            let would_text = if would_grant.is_empty() {
                "; no role in this organization grants it".to_owned()
            } else {
                format!("; {} would", list_roles(&would_grant))
            };
            (
                DenyReason::NotGranted {
                    would_grant: would_grant.clone(),
                },
                format!(
                    "denied: `{}` on `{}`: {held_text}{would_text}",
                    check.action, check.resource_id
                ),
            )
        }
    };
    Explanation {
        decision: Decision::Deny(Deny {
            error_type: DenyCode::InvalidPermissions,
            message: DenyCode::InvalidPermissions.message(caller).to_owned(),
            reason,
        }),
        candidate_roles,
        unknown_roles,
        resource_declared,
        action_declared,
        summary,
    }
}

fn describe_organization(organization_id: Option<&str>) -> String {
    match organization_id {
        Some(id) => format!("organization `{id}`"),
        None => "no organization".to_owned(),
    }
}

fn list_roles(roles: &[RoleRef]) -> String {
    roles
        .iter()
        .map(|role| {
            let source = match role.source {
                RoleSource::Project => "project",
                RoleSource::Organization => "organization",
                RoleSource::Scope => "scope",
            };
            format!("`{}` ({source})", role.role_id)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn allow_summary(grants: &[Grant], check: &AuthorizationCheck, action_declared: bool) -> String {
    let by: Vec<String> = grants
        .iter()
        .map(|grant| {
            let source = match grant.source {
                RoleSource::Project => "project role",
                RoleSource::Organization => "organization role",
                RoleSource::Scope => "scope",
            };
            let how = match grant.matched {
                MatchKind::Exact => "exact",
                MatchKind::Wildcard => "`*`",
            };
            format!("{source} `{}` ({how})", grant.role_id)
        })
        .collect();
    let mut summary = format!(
        "allowed: `{}` on `{}` by {}",
        check.action,
        check.resource_id,
        by.join(", ")
    );
    if !action_declared {
        summary.push_str("; note: the action is not declared on the resource, only `*` allows it");
    }
    summary
}
