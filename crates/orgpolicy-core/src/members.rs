//! A member's effective roles: explicit ones plus those implied by the
//! organization's email-domain rules and by SSO, each with its sources.

use crate::model::{EmailImplicitRoleAssignment, MemberRoles};
use serde::Serialize;
use std::collections::BTreeMap;

/// How a member came to hold a role (the API's `sources[].type`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RoleSourceDetail {
    DirectAssignment,
    EmailAssignment { details: EmailAssignmentDetails },
    SsoConnection { details: SsoConnectionDetails },
    SsoConnectionGroup { details: SsoGroupDetails },
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct EmailAssignmentDetails {
    pub email_domain: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SsoConnectionDetails {
    pub connection_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SsoGroupDetails {
    pub connection_id: String,
    pub group: String,
}

/// One effective role and every way the member holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberRole {
    pub role_id: String,
    pub sources: Vec<RoleSourceDetail>,
}

/// The domain of an email address, lowercased (`None` without an `@`).
pub fn email_domain(email_address: &str) -> Option<String> {
    let (_, domain) = email_address.rsplit_once('@')?;
    (!domain.is_empty()).then(|| domain.to_ascii_lowercase())
}

/// Computes a member's effective roles, sorted by role id, sources in a fixed
/// order (direct, email, SSO connection, SSO group).
pub fn effective_roles(
    member: &MemberRoles,
    implicit: &[EmailImplicitRoleAssignment],
) -> Vec<MemberRole> {
    let mut roles: BTreeMap<&str, Vec<RoleSourceDetail>> = BTreeMap::new();
    for role_id in &member.roles {
        roles
            .entry(role_id)
            .or_default()
            .push(RoleSourceDetail::DirectAssignment);
    }
    if let Some(domain) = email_domain(&member.email_address) {
        for rule in implicit {
            if rule.domain.eq_ignore_ascii_case(&domain) {
                roles
                    .entry(&rule.role_id)
                    .or_default()
                    .push(RoleSourceDetail::EmailAssignment {
                        details: EmailAssignmentDetails {
                            email_domain: rule.domain.to_ascii_lowercase(),
                        },
                    });
            }
        }
    }
    for assignment in &member.sso_role_assignments {
        let source = match &assignment.group {
            Some(group) => RoleSourceDetail::SsoConnectionGroup {
                details: SsoGroupDetails {
                    connection_id: assignment.connection_id.clone(),
                    group: group.clone(),
                },
            },
            None => RoleSourceDetail::SsoConnection {
                details: SsoConnectionDetails {
                    connection_id: assignment.connection_id.clone(),
                },
            },
        };
        roles.entry(&assignment.role_id).or_default().push(source);
    }
    roles
        .into_iter()
        .map(|(role_id, mut sources)| {
            sources.sort();
            sources.dedup();
            MemberRole {
                role_id: role_id.to_owned(),
                sources,
            }
        })
        .collect()
}
