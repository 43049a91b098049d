//! The TypeScript interfaces of every input and output, emitted into the
//! generated `.d.ts` of all three builds. The shims name them through
//! `unchecked_param_type` / `unchecked_return_type`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** A permission: actions (or "*") on one resource. */
export interface Permission { resource_id: string; actions: string[] }
export interface Resource { resource_id: string; description?: string | null; actions: string[] }
export interface Role { role_id: string; description?: string | null; permissions: Permission[] }
export interface Scope { scope: string; description?: string | null; permissions: Permission[] }
/** The project policy, as `GET /v1/b2b/rbac/policy` returns it under `policy`. */
export interface ProjectPolicy { resources?: Resource[]; roles?: Role[]; scopes?: Scope[] }
export interface PolicyResponse { status_code?: number; request_id?: string; policy: ProjectPolicy }
/** One organization's custom roles. */
export interface OrganizationPolicy { roles?: Role[] }
export interface OrganizationPolicyResponse { status_code?: number; request_id?: string; org_policy: OrganizationPolicy }
export type ProjectPolicyInput = ProjectPolicy | PolicyResponse | string;
export type OrganizationPolicyInput = OrganizationPolicy | OrganizationPolicyResponse | string;

/** Who asks: roles taken verbatim (`stytch_member` is not added implicitly). */
export interface Subject { organization_id?: string | null; roles: string[] }
/** Who asks, for a scope check: `scopes`, or the token's space-separated `scope` claim. */
export interface ScopeSubject { organization_id?: string | null; scopes?: string[]; scope?: string }
/**
 * Declare a project's permissions and every check is typed against them:
 * `declare module "orgpolicy" { interface Register { permissions: Permissions } }`
 * (what `orgpolicy-types policy.json` writes). Without it, any strings go.
 */
export interface Register {}
/** The registered `{resourceId: action union}`, or `never` when none is. */
export type RegisteredPermissions = Register extends { permissions: infer P } ? P : never;
/** A resource id: a declared one once permissions are registered. */
export type ResourceId = [RegisteredPermissions] extends [never] ? string : keyof RegisteredPermissions & string;
/** The actions a resource declares, once permissions are registered. */
export type ActionOf<R extends string> = [RegisteredPermissions] extends [never]
  ? string
  : R extends keyof RegisteredPermissions ? RegisteredPermissions[R] & string : never;
/** A check: a resource and one of its declared actions (any strings until permissions are registered). */
export type AuthorizationCheck = [RegisteredPermissions] extends [never]
  ? { organization_id?: string | null; resource_id: string; action: string }
  : { [R in ResourceId]: { organization_id?: string | null; resource_id: R; action: ActionOf<R> } }[ResourceId];
export interface MemberSession { organization_id: string; roles: string[] }
export interface FrontendOrganization { organization_id: string; custom_roles?: Role[] }

export type ProblemCode =
  | "invalid_json" | "invalid_type" | "missing_field" | "invalid_format"
  | "empty_rbac_role_id" | "empty_rbac_resource_id" | "empty_rbac_scope" | "empty_rbac_action"
  | "rbac_role_duplicate" | "rbac_resource_duplicate" | "rbac_action_duplicate" | "rbac_scope_duplicate"
  | "invalid_wildcard_action" | "invalid_stytch_prefixed_resource"
  | "invalid_permission_resource" | "invalid_permission_action"
  | "invalid_rbac_custom_role" | "rbac_permission_missing_actions"
  | "role_grants_nothing" | "resource_unused" | "scope_grants_nothing";
/** A problem with an input: `path` is a JSON pointer into the document. */
export interface Problem { code: ProblemCode; message: string; path: string; severity: "error" | "warning" }
export interface Failure { type: "failure"; errors: Problem[] }
/** Every fallible call answers this instead of throwing. */
export type Answer<T> = ({ type: "success" } & T) | Failure;

export type RoleSource = "project" | "organization" | "scope";
export interface RoleRef { roleId: string; source: RoleSource }
export interface Grant { roleId: string; source: RoleSource; resourceId: string; match: "exact" | "wildcard" }
export type ErrorType = "tenancy_mismatch" | "invalid_permissions";
export type DenyReason =
  | { type: "tenancy_mismatch"; subjectOrganizationId: string | null; checkOrganizationId: string | null }
  | { type: "unknown_resource"; resourceId: string; didYouMean: string | null }
  | { type: "undeclared_action"; resourceId: string; action: string; didYouMean: string | null; wouldGrant: RoleRef[] }
  | { type: "not_granted"; wouldGrant: RoleRef[] };
/** A decision as the SDKs report it (`Engine.authorize`, `Session.authorize`, `Engine.authorizeScopes`). */
export type Decision = { type: "allow" } | { type: "deny"; errorType: ErrorType; message: string };
/** The same decision with what allowed it, or why not (`explain` in `orgpolicy/tools`). */
export interface ExplainedAllow { type: "allow"; grants: Grant[] }
export interface ExplainedDeny { type: "deny"; errorType: ErrorType; message: string; reason: DenyReason }
export type ExplainedDecision = ExplainedAllow | ExplainedDeny;
export interface Explanation {
  decision: ExplainedDecision;
  candidateRoles: RoleRef[];
  unknownRoles: string[];
  resourceDeclared: boolean;
  /** False on an allow means a `*` grant allowed an action nobody declared. */
  actionDeclared: boolean;
  summary: string;
}
/** resource id -> action -> allowed */
export type PermissionMap = Record<string, Record<string, boolean>>;
export interface PolicyNotLoaded { type: "policy_not_loaded"; message: string }
export interface ValidationReport { valid: boolean; errors: Problem[]; warnings: Problem[] }

export interface PermissionPair { resourceId: string; action: string }
export interface RoleDiff { roleId: string; change: "added" | "removed" | "changed"; added: PermissionPair[]; removed: PermissionPair[] }
export interface Escalation {
  kind: "new_role" | "new_wildcard" | "undeclared_action";
  roleId: string;
  resourceId: string | null;
  action: string | null;
  message: string;
}
export interface MemberImpact { memberId: string; gained: PermissionPair[]; lost: PermissionPair[] }
export interface PolicyDiff {
  roles: RoleDiff[];
  scopes: RoleDiff[];
  resourcesAdded: string[];
  resourcesRemoved: string[];
  actionsAdded: PermissionPair[];
  actionsRemoved: PermissionPair[];
  escalations: Escalation[];
  members: MemberImpact[];
}
export interface SsoRoleAssignment { connection_id: string; role_id: string; group?: string | null }
export interface MemberRoles { member_id?: string; email_address?: string; roles?: string[]; sso_role_assignments?: SsoRoleAssignment[] }
export interface EmailImplicitRoleAssignment { domain: string; role_id: string }
export type RoleSourceDetail =
  | { type: "direct_assignment" }
  | { type: "email_assignment"; details: { email_domain: string } }
  | { type: "sso_connection"; details: { connection_id: string } }
  | { type: "sso_connection_group"; details: { connection_id: string; group: string } };
export interface MemberRole { role_id: string; sources: RoleSourceDetail[] }
export type M2mDeny =
  | { type: "missing_action"; requiredScope: string; action: string }
  | { type: "missing_resource"; requiredScope: string; action: string; resource: string };
export type M2mDecision = { type: "allow" } | { type: "deny"; errorType: "missing_scopes"; deny: M2mDeny } | Failure;
"#;
