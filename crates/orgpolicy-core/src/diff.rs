//! What changes between two policies: per-role permissions added and
//! removed, escalations, and what each member gains or loses.
//!
//! A permission is a `(resource, action)` pair, where the action may be `*`.
//! For members, a `*` grant counts as every declared action of the resource
//! plus `*` itself, so gaining a wildcard shows even on a resource whose
//! declared actions were all held already.

use crate::WILDCARD;
use crate::members::effective_roles;
use crate::model::{EmailImplicitRoleAssignment, MemberRoles, OrganizationPolicy, Policy, Role};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One permission: an action (or `*`) on a resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionPair {
    pub resource_id: String,
    pub action: String,
}

/// How a role (or scope) changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// A role (or scope) whose permissions differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleDiff {
    pub role_id: String,
    pub change: ChangeKind,
    pub added: Vec<PermissionPair>,
    pub removed: Vec<PermissionPair>,
}

/// Why a change deserves a second look before it is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationKind {
    /// A role that did not exist and grants something.
    NewRole,
    /// A new `*` grant: every action of the resource, present and future.
    NewWildcard,
    /// A grant of an action the resource does not declare.
    UndeclaredAction,
}

/// A flagged change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Escalation {
    pub kind: EscalationKind,
    pub role_id: String,
    pub resource_id: Option<String>,
    pub action: Option<String>,
    pub message: String,
}

/// What one member gains and loses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberImpact {
    pub member_id: String,
    pub gained: Vec<PermissionPair>,
    pub lost: Vec<PermissionPair>,
}

/// The difference between two policies.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyDiff {
    pub roles: Vec<RoleDiff>,
    pub scopes: Vec<RoleDiff>,
    pub resources_added: Vec<String>,
    pub resources_removed: Vec<String>,
    pub actions_added: Vec<PermissionPair>,
    pub actions_removed: Vec<PermissionPair>,
    pub escalations: Vec<Escalation>,
    /// Only members whose permissions change, sorted by member id.
    pub members: Vec<MemberImpact>,
}

impl PolicyDiff {
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
            && self.scopes.is_empty()
            && self.resources_added.is_empty()
            && self.resources_removed.is_empty()
            && self.actions_added.is_empty()
            && self.actions_removed.is_empty()
    }
}

type Grants = BTreeSet<PermissionPair>;

fn grants_by_id<'r, I>(entries: I) -> BTreeMap<&'r str, Grants>
where
    I: IntoIterator<Item = (&'r str, &'r [crate::model::Permission])>,
{
    let mut map: BTreeMap<&str, Grants> = BTreeMap::new();
    for (id, permissions) in entries {
        let grants = map.entry(id).or_default();
        for permission in permissions {
            for action in &permission.actions {
                grants.insert(PermissionPair {
                    resource_id: permission.resource_id.clone(),
                    action: action.clone(),
                });
            }
        }
    }
    map
}

fn role_grants(roles: &[Role]) -> BTreeMap<&str, Grants> {
    grants_by_id(
        roles
            .iter()
            .map(|r| (r.role_id.as_str(), r.permissions.as_slice())),
    )
}

fn declared_pairs(policy: &Policy) -> Grants {
    policy
        .resources
        .iter()
        .flat_map(|resource| {
            resource.actions.iter().map(|action| PermissionPair {
                resource_id: resource.resource_id.clone(),
                action: action.clone(),
            })
        })
        .collect()
}

fn diff_grant_maps(old: &BTreeMap<&str, Grants>, new: &BTreeMap<&str, Grants>) -> Vec<RoleDiff> {
    let empty = Grants::new();
    let ids: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    ids.into_iter()
        .filter_map(|id| {
            let before = old.get(id);
            let after = new.get(id);
            let change = match (before, after) {
                (None, Some(_)) => ChangeKind::Added,
                (Some(_), None) => ChangeKind::Removed,
                _ => ChangeKind::Changed,
            };
            let before = before.unwrap_or(&empty);
            let after = after.unwrap_or(&empty);
            let added: Vec<PermissionPair> = after.difference(before).cloned().collect();
            let removed: Vec<PermissionPair> = before.difference(after).cloned().collect();
            (change != ChangeKind::Changed || !added.is_empty() || !removed.is_empty()).then(|| {
                RoleDiff {
                    role_id: id.to_owned(),
                    change,
                    added,
                    removed,
                }
            })
        })
        .collect()
}

fn escalations(changes: &[RoleDiff], declared: &Grants) -> Vec<Escalation> {
    let mut out = Vec::new();
    for change in changes {
        if change.change == ChangeKind::Added && !change.added.is_empty() {
            out.push(Escalation {
                kind: EscalationKind::NewRole,
                role_id: change.role_id.clone(),
                resource_id: None,
                action: None,
                message: format!(
                    "new role `{}` grants {} permission(s)",
                    change.role_id,
                    change.added.len()
                ),
            });
        }
        for pair in &change.added {
            if pair.action == WILDCARD {
                out.push(Escalation {
                    kind: EscalationKind::NewWildcard,
                    role_id: change.role_id.clone(),
                    resource_id: Some(pair.resource_id.clone()),
                    action: Some(pair.action.clone()),
                    message: format!(
                        "role `{}` now grants `*` on `{}`: every action, including ones declared later",
                        change.role_id, pair.resource_id
                    ),
                });
            } else if !declared.contains(pair) {
                out.push(Escalation {
                    kind: EscalationKind::UndeclaredAction,
                    role_id: change.role_id.clone(),
                    resource_id: Some(pair.resource_id.clone()),
                    action: Some(pair.action.clone()),
                    message: format!(
                        "role `{}` grants `{}` on `{}`, which the resource does not declare",
                        change.role_id, pair.action, pair.resource_id
                    ),
                });
            }
        }
    }
    out
}

/// A member's permissions under a set of role definitions, `*` expanded to
/// the declared actions (and kept).
fn member_permissions(
    role_ids: &BTreeSet<String>,
    roles: &[&BTreeMap<&str, Grants>],
    declared: &Grants,
) -> Grants {
    let mut out = Grants::new();
    for map in roles {
        for role_id in role_ids {
            let Some(grants) = map.get(role_id.as_str()) else {
                continue;
            };
            for pair in grants {
                if pair.action == WILDCARD {
                    out.extend(
                        declared
                            .iter()
                            .filter(|d| d.resource_id == pair.resource_id)
                            .cloned(),
                    );
                }
                out.insert(pair.clone());
            }
        }
    }
    out
}

fn member_impacts(
    members: &[MemberRoles],
    implicit: &[EmailImplicitRoleAssignment],
    before: &[&BTreeMap<&str, Grants>],
    declared_before: &Grants,
    after: &[&BTreeMap<&str, Grants>],
    declared_after: &Grants,
) -> Vec<MemberImpact> {
    let mut impacts: Vec<MemberImpact> = members
        .iter()
        .filter_map(|member| {
            let role_ids: BTreeSet<String> = effective_roles(member, implicit)
                .into_iter()
                .map(|role| role.role_id)
                .collect();
            let old = member_permissions(&role_ids, before, declared_before);
            let new = member_permissions(&role_ids, after, declared_after);
            let gained: Vec<PermissionPair> = new.difference(&old).cloned().collect();
            let lost: Vec<PermissionPair> = old.difference(&new).cloned().collect();
            (!gained.is_empty() || !lost.is_empty()).then(|| MemberImpact {
                member_id: member.member_id.clone(),
                gained,
                lost,
            })
        })
        .collect();
    impacts.sort_by(|a, b| a.member_id.cmp(&b.member_id));
    impacts
}

/// Compares two project policies; `members` (with their project role ids)
/// get the permissions they gain or lose through project roles.
pub fn diff_policies(old: &Policy, new: &Policy, members: &[MemberRoles]) -> PolicyDiff {
    let old_roles = role_grants(&old.roles);
    let new_roles = role_grants(&new.roles);
    let old_scopes = grants_by_id(
        old.scopes
            .iter()
            .map(|s| (s.scope.as_str(), s.permissions.as_slice())),
    );
    let new_scopes = grants_by_id(
        new.scopes
            .iter()
            .map(|s| (s.scope.as_str(), s.permissions.as_slice())),
    );
    let old_declared = declared_pairs(old);
    let new_declared = declared_pairs(new);
    let old_resources: BTreeSet<&str> = old
        .resources
        .iter()
        .map(|r| r.resource_id.as_str())
        .collect();
    let new_resources: BTreeSet<&str> = new
        .resources
        .iter()
        .map(|r| r.resource_id.as_str())
        .collect();

    let roles = diff_grant_maps(&old_roles, &new_roles);
    let scopes = diff_grant_maps(&old_scopes, &new_scopes);
    let mut flagged = escalations(&roles, &new_declared);
    flagged.extend(escalations(&scopes, &new_declared));
    PolicyDiff {
        escalations: flagged,
        members: member_impacts(
            members,
            &[],
            &[&old_roles],
            &old_declared,
            &[&new_roles],
            &new_declared,
        ),
        roles,
        scopes,
        resources_added: new_resources
            .difference(&old_resources)
            .map(|s| (*s).to_owned())
            .collect(),
        resources_removed: old_resources
            .difference(&new_resources)
            .map(|s| (*s).to_owned())
            .collect(),
        actions_added: new_declared.difference(&old_declared).cloned().collect(),
        actions_removed: old_declared.difference(&new_declared).cloned().collect(),
    }
}

/// Compares an organization's old and new custom roles under the project
/// policy; `members` of that organization (explicit roles, email, SSO) get
/// what they gain or lose, project roles included in both states.
pub fn diff_organization_policies(
    project: &Policy,
    old: &OrganizationPolicy,
    new: &OrganizationPolicy,
    members: &[MemberRoles],
    implicit: &[EmailImplicitRoleAssignment],
) -> PolicyDiff {
    let project_roles = role_grants(&project.roles);
    let old_roles = role_grants(&old.roles);
    let new_roles = role_grants(&new.roles);
    let declared = declared_pairs(project);
    let roles = diff_grant_maps(&old_roles, &new_roles);
    PolicyDiff {
        escalations: escalations(&roles, &declared),
        members: member_impacts(
            members,
            implicit,
            &[&project_roles, &old_roles],
            &declared,
            &[&project_roles, &new_roles],
            &declared,
        ),
        roles,
        ..PolicyDiff::default()
    }
}
