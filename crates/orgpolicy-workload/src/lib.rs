//! The benchmark workload, generated deterministically from a seed so every
//! benchmark (native, Node, browser) measures the same thing.
//!
//! Shape (the defaults): 200 resources x 12 actions, 50 project roles,
//! 2,000 organizations x 5 custom roles (the same five role ids in every
//! organization, as org-scoped custom roles usually are), 20,000 members (10
//! per organization) and 1,000,000 checks: 95% in the member's own
//! organization, 5% cross-tenant. Half the checks ask for a permission one of
//! the member's roles grants (as UI gating mostly does), half for a random
//! resource and action; 2% of actions are undeclared.

use orgpolicy_core::{OrganizationPolicy, Permission, Policy, Resource, Role};

/// Sizes of a generated workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub resources: usize,
    pub actions_per_resource: usize,
    pub project_roles: usize,
    pub organizations: usize,
    pub custom_roles_per_organization: usize,
    pub members: usize,
    pub checks: usize,
}

impl Shape {
    /// The workload of the performance targets.
    pub const STANDARD: Shape = Shape {
        resources: 200,
        actions_per_resource: 12,
        project_roles: 50,
        organizations: 2_000,
        custom_roles_per_organization: 5,
        members: 20_000,
        checks: 1_000_000,
    };
}

const ACTION_NAMES: [&str; 12] = [
    "read", "create", "update", "delete", "list", "export", "import", "share", "archive",
    "restore", "approve", "admin",
];

/// A member: organization index and role ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub organization: usize,
    pub roles: Vec<String>,
}

/// One check: which member asks, in which organization, for what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    pub member: u32,
    pub organization: u32,
    pub resource: u32,
    /// Index into the resource's actions; `actions_per_resource` and above
    /// name undeclared actions.
    pub action: u32,
}

/// A generated workload.
#[derive(Debug, Clone)]
pub struct Workload {
    pub shape: Shape,
    pub policy: Policy,
    pub organization_ids: Vec<String>,
    pub organization_policies: Vec<OrganizationPolicy>,
    pub members: Vec<Member>,
    pub checks: Vec<Check>,
    /// Resource ids by index, and action names by index (declared first, then
    /// a few undeclared ones).
    pub resource_ids: Vec<String>,
    pub action_names: Vec<String>,
}

fn permissions(
    rng: &mut fastrand::Rng,
    shape: &Shape,
    resource_ids: &[String],
    count: usize,
) -> Vec<Permission> {
    let mut chosen: Vec<usize> = (0..count).map(|_| rng.usize(0..shape.resources)).collect();
    chosen.sort_unstable();
    chosen.dedup();
    chosen
        .into_iter()
        .filter_map(|resource| {
            let resource_id = resource_ids.get(resource)?.clone();
            let actions = if rng.u8(0..10) == 0 {
                vec!["*".to_owned()]
            } else {
                let mut picked: Vec<usize> = (0..rng.usize(1..=4))
                    .map(|_| rng.usize(0..shape.actions_per_resource))
                    .collect();
                picked.sort_unstable();
                picked.dedup();
                picked
                    .into_iter()
                    .filter_map(|a| ACTION_NAMES.get(a % ACTION_NAMES.len()))
                    .map(|a| (*a).to_owned())
                    .collect()
            };
            Some(Permission {
                resource_id,
                actions,
            })
        })
        .collect()
}

impl Workload {
    /// Generates a workload of `shape` from `seed`.
    pub fn generate(shape: Shape, seed: u64) -> Workload {
        let mut rng = fastrand::Rng::with_seed(seed);
        let resource_ids: Vec<String> = (0..shape.resources)
            .map(|i| format!("resource-{i:03}"))
            .collect();
        let mut action_names: Vec<String> = (0..shape.actions_per_resource)
            .map(|i| match ACTION_NAMES.get(i) {
                Some(name) => (*name).to_owned(),
                None => format!("action-{i}"),
            })
            .collect();
        action_names.extend(["purge", "impersonate"].map(String::from));

        let resources = resource_ids
            .iter()
            .map(|id| Resource {
                resource_id: id.clone(),
                description: format!("Resource {id}"),
                actions: action_names
                    .iter()
                    .take(shape.actions_per_resource)
                    .cloned()
                    .collect(),
            })
            .collect();
        let roles = (0..shape.project_roles)
            .map(|i| Role {
                role_id: if i == 0 {
                    "stytch_member".to_owned()
                } else {
                    format!("project-role-{i:02}")
                },
                description: String::new(),
                permissions: permissions(&mut rng, &shape, &resource_ids, 10),
            })
            .collect();
        let policy = Policy {
            resources,
            roles,
            scopes: Vec::new(),
        };

        let organization_ids: Vec<String> = (0..shape.organizations)
            .map(|i| format!("organization-test-{i:05}"))
            .collect();
        let organization_policies: Vec<OrganizationPolicy> = (0..shape.organizations)
            .map(|_| OrganizationPolicy {
                roles: (0..shape.custom_roles_per_organization)
                    .map(|r| Role {
                        role_id: format!("custom-{r}"),
                        description: String::new(),
                        permissions: permissions(&mut rng, &shape, &resource_ids, 5),
                    })
                    .collect(),
            })
            .collect();

        let members = (0..shape.members)
            .map(|i| {
                let mut roles = vec!["stytch_member".to_owned()];
                for _ in 0..rng.usize(0..=2) {
                    roles.push(format!(
                        "project-role-{:02}",
                        rng.usize(1..shape.project_roles.max(2))
                    ));
                }
                for _ in 0..rng.usize(0..=2) {
                    roles.push(format!(
                        "custom-{}",
                        rng.usize(0..shape.custom_roles_per_organization.max(1))
                    ));
                }
                Member {
                    organization: i % shape.organizations.max(1),
                    roles,
                }
            })
            .collect::<Vec<_>>();

        let action_count = u32::try_from(action_names.len()).unwrap_or(u32::MAX);
        let declared = u32::try_from(shape.actions_per_resource).unwrap_or(u32::MAX);
        let resource_index = |id: &str| {
            id.strip_prefix("resource-")
                .and_then(|n| n.parse::<u32>().ok())
        };
        let action_index = |name: &str| {
            action_names
                .iter()
                .position(|a| a == name)
                .and_then(|i| u32::try_from(i).ok())
        };
        let project_roles: &[Role] = &policy.roles;
        let checks = (0..shape.checks)
            .map(|_| {
                let member_index = rng.u32(0..u32::try_from(shape.members).unwrap_or(u32::MAX));
                let member = members.get(member_index as usize);
                let own = member.map_or(0, |m| m.organization);
                let organization = if rng.u8(0..100) < 5 {
                    rng.usize(0..shape.organizations)
                } else {
                    own
                };
                let mut resource = rng.u32(0..u32::try_from(shape.resources).unwrap_or(u32::MAX));
                let mut action = if rng.u8(0..100) < 2 {
                    rng.u32(declared..action_count)
                } else {
                    rng.u32(0..declared)
                };
                // Half the time, ask for something one of the member's roles grants.
                if rng.bool()
                    && let Some(member) = member
                    && let Some(role_id) = member.roles.get(rng.usize(0..member.roles.len()))
                {
                    let custom = organization_policies
                        .get(own)
                        .map(|p| p.roles.as_slice())
                        .unwrap_or_default();
                    let granted = project_roles
                        .iter()
                        .chain(custom)
                        .filter(|role| &role.role_id == role_id)
                        .flat_map(|role| &role.permissions)
                        .collect::<Vec<_>>();
                    if let Some(permission) = granted.get(rng.usize(0..granted.len().max(1)))
                        && let Some(index) = resource_index(&permission.resource_id)
                    {
                        resource = index;
                        if let Some(granted_action) = permission
                            .actions
                            .get(rng.usize(0..permission.actions.len().max(1)))
                            && let Some(index) = action_index(granted_action)
                        {
                            action = index;
                        }
                    }
                }
                Check {
                    member: member_index,
                    organization: u32::try_from(organization).unwrap_or(u32::MAX),
                    resource,
                    action,
                }
            })
            .collect();

        Workload {
            shape,
            policy,
            organization_ids,
            organization_policies,
            members,
            checks,
            resource_ids,
            action_names,
        }
    }

    /// The organization policies paired with their organization ids.
    pub fn organization_policy_pairs(
        &self,
    ) -> impl Iterator<Item = (String, OrganizationPolicy)> + '_ {
        self.organization_ids
            .iter()
            .cloned()
            .zip(self.organization_policies.iter().cloned())
    }
}
