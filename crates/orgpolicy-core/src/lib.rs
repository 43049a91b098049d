//! Organization RBAC policies evaluated exactly as Stytch's SDKs evaluate
//! them, with an explanation for every decision.
//!
//! The crate is pure: it takes values and returns values, does no I/O, reads
//! no clock or environment, and builds for `wasm32-unknown-unknown`. Bindings
//! (npm package, sandbox, console) are thin layers over it.
//!
//! # Pieces
//! - [`model`]: the API's documents, field names verbatim.
//! - [`parse`]: reading them, with errors that carry a JSON pointer.
//! - [`flat`]: reading them from a flattened value (the npm package's
//!   input), answering exactly as [`parse`] does.
//! - [`validate`]: every problem at once, with Stytch's error codes.
//! - [`Engine`]: the compiled evaluator. Checks through resolved integer
//!   handles or string ids; a deny is a value ([`DenyCode`]), never an error.
//! - [`explain()`]: why a check is allowed or denied.
//! - [`reference`]: the SDKs' logic transcribed literally; the oracle the
//!   engine is tested against.
//! - [`m2m`], [`members`], [`diff`]: scope strings, effective member roles,
//!   policy diffs.
//!
//! # Design decisions
//! - **Exactness over validity.** The engine evaluates any policy the way the
//!   SDKs do, including invalid ones (undeclared resources, duplicate roles):
//!   a `*` grant allows any action string, and roles with the same id all
//!   count. Validation is a separate, explicit step.
//! - **Tenancy is structural.** A subject handle carries its organization,
//!   and custom roles are looked up only in the check's organization, so a
//!   custom role can never apply in another organization even when another
//!   organization defines a role with the same id.
//! - **Nothing on the check path goes through serde**, allocates, or interns.

#![deny(clippy::disallowed_methods)]

pub mod decision;
pub mod diff;
pub mod engine;
pub mod explain;
pub mod flat;
pub mod m2m;
pub mod members;
pub mod model;
mod order;
mod organizations;
pub mod parse;
pub mod problem;
pub mod reference;
pub mod stytch;
mod symbols;
pub mod validate;

/// The action that grants every action on a resource.
pub const WILDCARD: &str = "*";

pub use decision::{Decision, Deny, DenyCode, DenyReason, Grant, MatchKind, RoleRef, RoleSource};
pub use diff::{PolicyDiff, diff_organization_policies, diff_policies};
pub use engine::{
    AllPermissions, Engine, OrganizationHandle, PermissionHandle, ResourcePermissions,
    SubjectHandle,
};
pub use explain::{Explanation, explain};
pub use members::{MemberRole, effective_roles};
pub use model::{
    AuthorizationCheck, EmailImplicitRoleAssignment, MemberRoles, OrganizationPolicy, Permission,
    Policy, Resource, Role, Scope, ScopeSubject, SsoRoleAssignment, Subject,
};
pub use parse::{
    OrganizationPolicyDocument, ParseError, PolicyDocument, parse_organization_policy, parse_policy,
};
pub use problem::{Problem, ProblemCode, Severity};
pub use validate::{
    ValidationReport, check_organization_policy_text, validate_organization_policy, validate_policy,
};
