// A consumer of the npm package, type-checked with `tsc --strict`. The
// `@ts-expect-error` lines fail the check if a type ever degrades to `any`.
import {
  Engine,
  Session,
  type AuthorizationCheck,
  type Decision,
  type ExplainedDecision,
  type Explanation,
  type PermissionMap,
  type ProjectPolicy,
  type Subject,
} from "orgpolicy";
import { diffOrganizationPolicies, effectiveRoles, explain, m2mAuthorize, validatePolicy } from "orgpolicy/tools";

const policy: ProjectPolicy = {
  resources: [{ resource_id: "documents", actions: ["read", "write"] }],
  roles: [{ role_id: "reader", permissions: [{ resource_id: "documents", actions: ["read"] }] }],
};

export function use(): boolean {
  const loaded = Engine.load(policy);
  if (loaded.type === "failure") {
    const codes: string[] = loaded.errors.map((error) => `${error.code} at ${error.path}`);
    return codes.length > 0;
  }
  const engine: Engine = loaded.engine;
  engine.setOrganizationPolicy("org-1", { roles: [] });

  const subject: Subject = { organization_id: "org-1", roles: ["reader"] };
  const check: AuthorizationCheck = { organization_id: "org-1", resource_id: "documents", action: "read" };
  const allowed: boolean = engine.isAuthorized(subject, check);

  const decision = engine.authorize(subject, check);
  if (decision.type === "deny") {
    const reported: Decision = decision;
    const code: "tenancy_mismatch" | "invalid_permissions" = decision.errorType;
    return reported.type === "deny" && code.length > 0 && decision.message.length > 0;
  }
  if (decision.type === "allow") {
    // @ts-expect-error authorize reports what the SDKs report; grants come from explain
    void decision.grants;
  }
  const explained = explain(policy, null, subject, check);
  if (explained.type === "success") {
    const explanation: Explanation = explained;
    const inner: ExplainedDecision = explanation.decision;
    if (inner.type === "deny") {
      const why: string = inner.reason.type === "not_granted" ? inner.reason.wouldGrant.map((r) => r.roleId).join() : inner.message;
      return why.length > 0;
    }
    const grant: "exact" | "wildcard" | undefined = inner.grants[0]?.match;
    void grant;
  }

  const all = engine.allPermissions(subject);
  const permissions: PermissionMap | undefined = all.type === "success" ? all.permissions : undefined;

  const resolved = engine.resolveSubject(subject);
  const handle: number = resolved.type === "success" ? resolved.handle : -1;
  const batch: Uint8Array = engine.checkMany(new Uint32Array([handle, engine.resolveOrganization("org-1"), engine.resolvePermission("documents", "read")]));

  const session = engine.session({ organization_id: "org-1", roles: ["reader"] });
  if (session.type === "success") {
    const state: "ready" | "policy_not_loaded" = session.session.state;
    const sync: boolean = session.session.isAuthorizedSync("documents", "read");
    const answer = session.session.authorize("documents", "read");
    if (answer.type === "policy_not_loaded") return false;
    void state, sync;
  }
  const unbound = Session.create({ organization_id: "org-1", roles: [] });
  void unbound;

  const report = validatePolicy(policy);
  if (report.type === "success" && !report.valid) return false;
  const diff = diffOrganizationPolicies(policy, { roles: [] }, { roles: [] });
  if (diff.type === "success") void diff.escalations.map((e) => e.kind);
  const roles = effectiveRoles({ email_address: "a@b.test", roles: [] }, [{ domain: "b.test", role_id: "reader" }]);
  if (roles.type === "success") void roles.roles.map((r) => r.sources.map((s) => s.type));
  const m2m = m2mAuthorize(["read:users"], ["read:users"]);
  void m2m;

  // @ts-expect-error roles must be strings
  engine.isAuthorized({ organization_id: "org-1", roles: [1] }, check);
  // @ts-expect-error a check needs resource_id and action
  engine.isAuthorized(subject, { organization_id: "org-1" });
  // @ts-expect-error decisions are tagged unions, not booleans
  const wrong: boolean = engine.authorize(subject, check);
  void wrong;
  // @ts-expect-error the problem code is a closed set
  if (report.type === "failure" && report.errors[0]?.code === "no_such_code") return false;

  return allowed && permissions !== undefined && batch.length === 1;
}
