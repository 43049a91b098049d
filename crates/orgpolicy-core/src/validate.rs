//! Validation of project and organization policies: every problem at once,
//! each with a code, a message and a JSON pointer relative to the policy.

use crate::WILDCARD;
use crate::model::{OrganizationPolicy, Permission, Policy};
use crate::problem::{Pointer, Problem, ProblemCode, Severity};
use crate::stytch::is_reserved_resource_prefix;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

/// The outcome of validating a document: errors (the API would refuse it)
/// and warnings (it would accept it, but something is likely unintended).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ValidationReport {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl ValidationReport {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    fn push(&mut self, problem: Problem) {
        match problem.severity {
            Severity::Error => self.errors.push(problem),
            Severity::Warning => self.warnings.push(problem),
        }
    }

    /// Prefixes every path with `base`: the pointer of the policy object inside
    /// the document it was read from (see [`crate::PolicyDocument::base`]).
    #[must_use]
    pub fn rebased(mut self, base: &str) -> Self {
        if !base.is_empty() {
            for problem in self.errors.iter_mut().chain(self.warnings.iter_mut()) {
                problem.path.insert_str(0, base);
            }
        }
        self
    }
}

/// Declared resources and their actions, by id; first declaration wins.
struct Declarations<'p> {
    resources: FxHashMap<&'p str, FxHashSet<&'p str>>,
}

impl<'p> Declarations<'p> {
    fn of(policy: &'p Policy) -> Self {
        let mut resources: FxHashMap<&str, FxHashSet<&str>> = FxHashMap::default();
        for resource in &policy.resources {
            resources
                .entry(resource.resource_id.as_str())
                .or_insert_with(|| resource.actions.iter().map(String::as_str).collect());
        }
        Self { resources }
    }
}

/// Where a permission check ranks in the organization policy's check order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    EmptyRoleId,
    DuplicateRole,
    RoleInProject,
    UnknownResource,
    EmptyActions,
    WildcardWithOthers,
    BlankAction,
    DuplicateAction,
    UndeclaredAction,
    Warning,
}

/// Validates a project policy.
pub fn validate_policy(policy: &Policy) -> ValidationReport {
    let mut report = ValidationReport::default();
    let root = Pointer::root();
    let declarations = Declarations::of(policy);

    let mut seen_resources = FxHashSet::default();
    for (index, resource) in policy.resources.iter().enumerate() {
        let at = root.key("resources").index(index);
        let id = resource.resource_id.as_str();
        if id.trim().is_empty() {
            report.push(Problem::error(
                ProblemCode::EmptyRbacResourceId,
                at.key("resource_id"),
                "resource id must not be empty",
            ));
        } else if !seen_resources.insert(id) {
            report.push(Problem::error(
                ProblemCode::RbacResourceDuplicate,
                at.key("resource_id"),
                format!("resource `{id}` is declared more than once"),
            ));
        } else if is_reserved_resource_prefix(id) {
            report.push(Problem::error(
                ProblemCode::InvalidStytchPrefixedResource,
                at.key("resource_id"),
                format!(
                    "custom resource `{id}` must not start with `stytch`: that prefix is reserved"
                ),
            ));
        }
        let actions_at = at.key("actions");
        if resource.actions.len() > 1 && resource.actions.iter().any(|a| a == WILDCARD) {
            report.push(Problem::error(
                ProblemCode::InvalidWildcardAction,
                &actions_at,
                format!("resource `{id}` declares `*` together with other actions"),
            ));
        }
        let mut seen_actions = FxHashSet::default();
        for (action_index, action) in resource.actions.iter().enumerate() {
            if action.trim().is_empty() {
                report.push(Problem::error(
                    ProblemCode::EmptyRbacAction,
                    actions_at.index(action_index),
                    format!("resource `{id}` declares an empty action"),
                ));
            } else if !seen_actions.insert(action.as_str()) {
                report.push(Problem::error(
                    ProblemCode::RbacActionDuplicate,
                    actions_at.index(action_index),
                    format!("action `{action}` is declared more than once on resource `{id}`"),
                ));
            }
        }
    }

    let mut seen_roles = FxHashSet::default();
    for (index, role) in policy.roles.iter().enumerate() {
        let at = root.key("roles").index(index);
        let id = role.role_id.as_str();
        if id.trim().is_empty() {
            report.push(Problem::error(
                ProblemCode::EmptyRbacRoleId,
                at.key("role_id"),
                "role id must not be empty",
            ));
        } else if !seen_roles.insert(id) {
            report.push(Problem::error(
                ProblemCode::RbacRoleDuplicate,
                at.key("role_id"),
                format!("role `{id}` is defined more than once"),
            ));
        }
        let mut found = Vec::new();
        permission_problems(
            &declarations,
            &role.permissions,
            &at,
            &format!("role `{id}`"),
            &mut found,
        );
        for (_, problem) in found {
            report.push(problem);
        }
        if grants_nothing(&role.permissions) {
            report.push(Problem::warning(
                ProblemCode::RoleGrantsNothing,
                &at,
                format!("role `{id}` grants no permission"),
            ));
        }
    }

    let mut seen_scopes = FxHashSet::default();
    for (index, scope) in policy.scopes.iter().enumerate() {
        let at = root.key("scopes").index(index);
        let id = scope.scope.as_str();
        if id.trim().is_empty() {
            report.push(Problem::error(
                ProblemCode::EmptyRbacScope,
                at.key("scope"),
                "scope must not be empty",
            ));
        } else if !seen_scopes.insert(id) {
            report.push(Problem::error(
                ProblemCode::RbacScopeDuplicate,
                at.key("scope"),
                format!("scope `{id}` is defined more than once"),
            ));
        }
        let mut found = Vec::new();
        permission_problems(
            &declarations,
            &scope.permissions,
            &at,
            &format!("scope `{id}`"),
            &mut found,
        );
        for (_, problem) in found {
            report.push(problem);
        }
        if grants_nothing(&scope.permissions) {
            report.push(Problem::warning(
                ProblemCode::ScopeGrantsNothing,
                &at,
                format!("scope `{id}` grants no permission"),
            ));
        }
    }

    let used: FxHashSet<&str> = policy
        .roles
        .iter()
        .flat_map(|role| &role.permissions)
        .chain(policy.scopes.iter().flat_map(|scope| &scope.permissions))
        .filter(|permission| !permission.actions.is_empty())
        .map(|permission| permission.resource_id.as_str())
        .collect();
    for (index, resource) in policy.resources.iter().enumerate() {
        let id = resource.resource_id.as_str();
        if !id.trim().is_empty() && !used.contains(id) {
            report.push(Problem::warning(
                ProblemCode::ResourceUnused,
                root.key("resources").index(index),
                format!("no role or scope grants any action on resource `{id}`"),
            ));
        }
    }
    report
}

/// Reads an organization policy document (bare `{roles}` or the API's
/// `{org_policy}`) and validates it against the project policy. The report's
/// pointers point into the document; a document that does not read gives its
/// one problem.
pub fn check_organization_policy_text(
    project: &Policy,
    text: &str,
) -> Result<(OrganizationPolicy, ValidationReport), Problem> {
    let document = crate::parse::parse_organization_policy(text).map_err(|error| error.problem)?;
    let report = validate_organization_policy(project, &document.policy).rebased(&document.base);
    Ok((document.policy, report))
}

/// Validates one organization's custom roles against the project policy,
/// reporting problems in the order the API checks them: duplicate role ids,
/// role ids the project already defines, unknown resources, empty action
/// lists, `*` with other actions, blank actions, undeclared actions.
pub fn validate_organization_policy(
    project: &Policy,
    organization_policy: &OrganizationPolicy,
) -> ValidationReport {
    let declarations = Declarations::of(project);
    let project_roles: FxHashSet<&str> = project.roles.iter().map(|r| r.role_id.as_str()).collect();
    let root = Pointer::root();
    let mut ranked: Vec<(Rank, Problem)> = Vec::new();
    let mut seen_roles = FxHashSet::default();
    for (index, role) in organization_policy.roles.iter().enumerate() {
        let at = root.key("roles").index(index);
        let id = role.role_id.as_str();
        if id.trim().is_empty() {
            ranked.push((
                Rank::EmptyRoleId,
                Problem::error(
                    ProblemCode::EmptyRbacRoleId,
                    at.key("role_id"),
                    "role id must not be empty",
                ),
            ));
        } else if !seen_roles.insert(id) {
            ranked.push((
                Rank::DuplicateRole,
                Problem::error(
                    ProblemCode::RbacRoleDuplicate,
                    at.key("role_id"),
                    format!("role `{id}` is defined more than once in this organization"),
                ),
            ));
        } else if project_roles.contains(id) {
            ranked.push((
                Rank::RoleInProject,
                Problem::error(
                    ProblemCode::InvalidRbacCustomRole,
                    at.key("role_id"),
                    format!("role `{id}` is already defined in the project policy"),
                ),
            ));
        }
        permission_problems(
            &declarations,
            &role.permissions,
            &at,
            &format!("role `{id}`"),
            &mut ranked,
        );
        if grants_nothing(&role.permissions) {
            ranked.push((
                Rank::Warning,
                Problem::warning(
                    ProblemCode::RoleGrantsNothing,
                    &at,
                    format!("role `{id}` grants no permission"),
                ),
            ));
        }
    }
    ranked.sort_by_key(|(rank, _)| *rank);
    let mut report = ValidationReport::default();
    for (_, problem) in ranked {
        report.push(problem);
    }
    report
}

fn grants_nothing(permissions: &[Permission]) -> bool {
    permissions
        .iter()
        .all(|permission| permission.actions.is_empty())
}

fn permission_problems(
    declarations: &Declarations<'_>,
    permissions: &[Permission],
    owner_at: &Pointer,
    owner: &str,
    out: &mut Vec<(Rank, Problem)>,
) {
    for (index, permission) in permissions.iter().enumerate() {
        let at = owner_at.key("permissions").index(index);
        let resource_id = permission.resource_id.as_str();
        let declared = declarations.resources.get(resource_id);
        if declared.is_none() {
            out.push((
                Rank::UnknownResource,
                Problem::error(
                    ProblemCode::InvalidPermissionResource,
                    at.key("resource_id"),
                    format!("{owner} grants actions on resource `{resource_id}`, which the policy does not declare"),
                ),
            ));
        }
        let actions_at = at.key("actions");
        if permission.actions.is_empty() {
            out.push((
                Rank::EmptyActions,
                Problem::error(
                    ProblemCode::RbacPermissionMissingActions,
                    &actions_at,
                    format!("{owner} lists no action on resource `{resource_id}`"),
                ),
            ));
        }
        if permission.actions.len() > 1 && permission.actions.iter().any(|a| a == WILDCARD) {
            out.push((
                Rank::WildcardWithOthers,
                Problem::error(
                    ProblemCode::InvalidWildcardAction,
                    &actions_at,
                    format!(
                        "{owner} grants `*` together with other actions on resource `{resource_id}`"
                    ),
                ),
            ));
        }
        let mut seen = FxHashSet::default();
        for (action_index, action) in permission.actions.iter().enumerate() {
            let action_at = actions_at.index(action_index);
            if action.trim().is_empty() {
                out.push((
                    Rank::BlankAction,
                    Problem::error(
                        ProblemCode::EmptyRbacAction,
                        action_at,
                        format!("{owner} grants an empty action on resource `{resource_id}`"),
                    ),
                ));
            } else if !seen.insert(action.as_str()) {
                out.push((
                    Rank::DuplicateAction,
                    Problem::error(
                        ProblemCode::RbacActionDuplicate,
                        action_at,
                        format!("{owner} grants action `{action}` on resource `{resource_id}` more than once"),
                    ),
                ));
            } else if action != WILDCARD
                && let Some(actions) = declared
                && !actions.contains(action.as_str())
            {
                out.push((
                    Rank::UndeclaredAction,
                    Problem::error(
                        ProblemCode::InvalidPermissionAction,
                        action_at,
                        format!("{owner} grants action `{action}`, which resource `{resource_id}` does not declare"),
                    ),
                ));
            }
        }
    }
}
