//! What Stytch itself defines: its reserved resources and roles, the deny
//! messages of its SDKs, and the default project policy a new project has.

use crate::model::{Permission, Policy, Resource, Role};

/// The role every member has in a Stytch B2B project.
pub const DEFAULT_MEMBER_ROLE: &str = "stytch_member";
/// The role an organization's admins have.
pub const DEFAULT_ADMIN_ROLE: &str = "stytch_admin";

/// Resources that Stytch defines in every B2B project. Any other resource
/// starting with `stytch` is a custom resource with a reserved prefix.
pub const RESERVED_RESOURCES: &[(&str, &str, &[&str])] = &[
    (
        "stytch.organization",
        "Stytch organization settings",
        &[
            "update.info.name",
            "update.info.slug",
            "update.info.logo-url",
            "update.info.email-jit-provisioning",
            "update.info.email-invites",
            "update.info.allowed-domains",
            "update.info.default-sso-connection",
            "update.info.sso-jit-provisioning",
            "update.info.mfa-policy",
            "update.info.implicit-roles",
            "update.settings.allowed-auth-methods",
            "update.settings.allowed-mfa-methods",
            "delete",
        ],
    ),
    (
        "stytch.member",
        "Stytch organization members",
        &[
            "create",
            "update.info.name",
            "update.info.untrusted-metadata",
            "update.info.mfa-phone",
            "update.info.delete.mfa-phone",
            "update.info.delete.password",
            "update.settings.is-breakglass",
            "update.settings.mfa-enrolled",
            "update.settings.default-mfa-method",
            "update.settings.roles",
            "search",
            "delete",
        ],
    ),
    (
        "stytch.sso",
        "Stytch SSO connections",
        &["create", "update", "delete"],
    ),
    (
        "stytch.scim",
        "Stytch SCIM connections",
        &["create", "update", "delete", "get", "get-groups"],
    ),
    (
        "stytch.self",
        "The member's own record",
        &[
            "update.info.name",
            "update.info.untrusted-metadata",
            "update.info.mfa-phone",
            "update.info.delete.mfa-phone",
            "update.info.delete.password",
            "update.settings.mfa-enrolled",
            "update.settings.default-mfa-method",
            "delete",
        ],
    ),
];

/// Whether a custom resource id uses the `stytch` prefix reserved for Stytch's
/// own resources.
pub fn is_reserved_resource_prefix(resource_id: &str) -> bool {
    resource_id.starts_with("stytch")
        && !RESERVED_RESOURCES
            .iter()
            .any(|(id, _, _)| *id == resource_id)
}

/// The SDKs' message for a tenancy mismatch.
pub const TENANCY_MISMATCH_MESSAGE: &str = "Member belongs to different organization";
/// The SDKs' message for a missing permission (B2B).
pub const MEMBER_PERMISSION_MESSAGE: &str =
    "Member does not have permission to perform the requested action";
/// The SDKs' message for a missing permission (consumer).
pub const USER_PERMISSION_MESSAGE: &str =
    "User does not have permission to perform the requested action";

/// The policy of a new B2B project: `stytch_member` and `stytch_admin` over
/// Stytch's own resources, and no scopes.
pub fn default_policy() -> Policy {
    let resources: Vec<Resource> = RESERVED_RESOURCES
        .iter()
        .map(|(id, description, actions)| Resource {
            resource_id: (*id).to_owned(),
            description: (*description).to_owned(),
            actions: actions.iter().map(|a| (*a).to_owned()).collect(),
        })
        .collect();
    let admin = Role {
        role_id: DEFAULT_ADMIN_ROLE.to_owned(),
        description: "Granted to organization admins".to_owned(),
        permissions: resources
            .iter()
            .map(|resource| Permission {
                resource_id: resource.resource_id.clone(),
                actions: vec![crate::WILDCARD.to_owned()],
            })
            .collect(),
    };
    let member = Role {
        role_id: DEFAULT_MEMBER_ROLE.to_owned(),
        description: "Granted to every member".to_owned(),
        permissions: vec![Permission {
            resource_id: "stytch.self".to_owned(),
            actions: vec![crate::WILDCARD.to_owned()],
        }],
    };
    Policy {
        resources,
        roles: vec![member, admin],
        scopes: Vec::new(),
    }
}
