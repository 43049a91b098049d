// Stytch's official Node SDK (npm `stytch`, pinned) pointed at the gateway
// over the embedded sandbox, the way a backend's tests would point it: every
// call the SDK makes for the organization, member and RBAC clients, each
// answer checked against the interface the SDK's own `.d.ts` types it as.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startGateway } from "../e2e/harness.mjs";
import { check } from "./sdktypes.mjs";

const require = createRequire(import.meta.url);
const { B2BClient } = require("stytch");

let gateway;
let client;
const warn = console.warn;

before(async () => {
  gateway = await startGateway();
  // The SDK warns that `env` is not one of Stytch's own; that is the point.
  console.warn = () => {};
  client = new B2BClient({
    project_id: "project-test-00000000-0000-4000-8000-000000000000",
    secret: "secret-test-the-gateway-replaces-this",
    env: `${gateway.origin}/`,
  });
  console.warn = warn;
});

after(async () => {
  await gateway?.stop();
});

/** Every answer checked, with the type the SDK gives it, for `tsc`. */
const recorded = [];

/** Calls the SDK and checks its answer against the SDK's type. */
async function conforms(type, call) {
  const answer = await call();
  recorded.push({ type, answer });
  assert.deepEqual(check(answer, type), [], `${type}: ${JSON.stringify(answer)}`);
  assert.equal(answer.status_code, 200);
  return answer;
}

/** Calls the SDK expecting Stytch's error shape with this type and status. */
async function fails(call, status, errorType) {
  await assert.rejects(call, (error) => {
    assert.equal(error.constructor.name, "StytchError", String(error));
    assert.equal(error.status_code, status, JSON.stringify(error));
    assert.equal(error.error_type, errorType, JSON.stringify(error));
    assert.ok(error.request_id && error.error_message && error.error_url);
    return true;
  });
}

let organizationId;
let memberId;

test("organizations: create, get, update, search", async () => {
  const created = await conforms("B2BOrganizationsCreateResponse", () =>
    client.organizations.create({ organization_name: "Acme", organization_slug: "acme-sdk", trusted_metadata: { tier: "gold" } }),
  );
  organizationId = created.organization.organization_id;
  assert.deepEqual(created.organization.custom_roles, []);
  const got = await conforms("B2BOrganizationsGetResponse", () => client.organizations.get({ organization_id: organizationId }));
  assert.equal(got.organization.organization_slug, "acme-sdk");
  const bySlug = await conforms("B2BOrganizationsGetResponse", () => client.organizations.get({ organization_id: "acme-sdk" }));
  assert.equal(bySlug.organization.organization_id, organizationId);
  const updated = await conforms("B2BOrganizationsUpdateResponse", () =>
    client.organizations.update({ organization_id: organizationId, organization_name: "Acme Inc", email_allowed_domains: ["acme.test"] }),
  );
  assert.equal(updated.organization.organization_name, "Acme Inc");
  const found = await conforms("B2BOrganizationsSearchResponse", () =>
    client.organizations.search({ query: { operator: "AND", operands: [{ filter_name: "organization_slugs", filter_value: ["acme-sdk"] }] } }),
  );
  assert.deepEqual(found.organizations.map((o) => o.organization_id), [organizationId]);
  await fails(() => client.organizations.get({ organization_id: "organization-test-missing" }), 404, "organization_not_found");
  await fails(() => client.organizations.create({ organization_name: "Acme", organization_slug: "acme-sdk" }), 400, "organization_slug_already_used");
  await fails(
    () => client.organizations.create({ organization_name: "Mail", organization_slug: "mail-sdk", email_allowed_domains: ["gmail.com"] }),
    400,
    "organization_settings_domain_too_common",
  );
  await fails(
    () => client.organizations.update({ organization_id: organizationId, auth_methods: "RESTRICTED" }),
    400,
    "allowed_auth_methods_required_for_restricted",
  );
});

test("members: create, get by id and by email, update, search", async () => {
  const created = await conforms("B2BOrganizationsMembersCreateResponse", () =>
    client.organizations.members.create({ organization_id: organizationId, email_address: "ada@acme.test", name: "Ada", roles: ["stytch_admin"] }),
  );
  memberId = created.member.member_id;
  assert.equal(created.member.is_admin, true);
  const byId = await conforms("B2BOrganizationsMembersGetResponse", () =>
    client.organizations.members.get({ organization_id: organizationId, member_id: memberId }),
  );
  assert.equal(byId.member.email_address, "ada@acme.test");
  const byEmail = await conforms("B2BOrganizationsMembersGetResponse", () =>
    client.organizations.members.get({ organization_id: organizationId, email_address: "ADA@acme.test" }),
  );
  assert.equal(byEmail.member.member_id, memberId);
  const updated = await conforms("B2BOrganizationsMembersUpdateResponse", () =>
    client.organizations.members.update({ organization_id: organizationId, member_id: memberId, name: "Ada L.", roles: [] }),
  );
  assert.equal(updated.member.name, "Ada L.");
  assert.equal(updated.member.is_admin, false);
  const found = await conforms("B2BOrganizationsMembersSearchResponse", () =>
    client.organizations.members.search({ organization_ids: [organizationId] }),
  );
  assert.deepEqual(found.members.map((m) => m.member_id), [memberId]);
  await fails(
    () => client.organizations.members.get({ organization_id: organizationId, member_id: "member-test-missing" }),
    404,
    "member_not_found",
  );
  await fails(
    () => client.organizations.members.create({ organization_id: organizationId, email_address: "bob@@acme.test" }),
    400,
    "invalid_email",
  );
  await fails(
    () => client.organizations.members.update({ organization_id: organizationId, member_id: memberId, roles: ["stytch_member"] }),
    400,
    "cannot_assign_default_rbac_role_id",
  );
});

test("rbac: the project policy and an organization's custom roles", async () => {
  const policy = await conforms("B2BRBACPolicyResponse", () => client.rbac.policy());
  assert.ok(policy.policy.roles.some((role) => role.role_id === "stytch_admin"));
  const roles = [{ role_id: "auditor", description: "Reads everything", permissions: [{ resource_id: "stytch.member", actions: ["search"] }] }];
  await conforms("B2BRBACOrganizationsSetOrgPolicyResponse", () =>
    client.rbac.organizations.setOrgPolicy({ organization_id: organizationId, org_policy: { roles } }),
  );
  const got = await conforms("B2BRBACOrganizationsGetOrgPolicyResponse", () =>
    client.rbac.organizations.getOrgPolicy({ organization_id: organizationId }),
  );
  assert.deepEqual(got.org_policy.roles.map((r) => r.role_id), ["auditor"]);
  // The organization mirrors its custom roles.
  const organization = await client.organizations.get({ organization_id: organizationId });
  assert.deepEqual(organization.organization.custom_roles.map((r) => r.role_id), ["auditor"]);
});

test("metrics, connected apps, OIDC providers, MFA phone numbers, dangerously_get", async () => {
  const metrics = await conforms("B2BOrganizationsMetricsResponse", () => client.organizations.metrics({ organization_id: organizationId }));
  assert.equal(metrics.member_count, 1);
  const apps = await conforms("B2BOrganizationsConnectedAppsResponse", () => client.organizations.connectedApps({ organization_id: organizationId }));
  assert.deepEqual(apps.connected_apps, []);
  await fails(
    () => client.organizations.getConnectedApp({ organization_id: organizationId, connected_app_id: "connected-app-test-x" }),
    404,
    "connected_app_not_found",
  );
  const memberApps = await conforms("B2BOrganizationsMembersGetConnectedAppsResponse", () =>
    client.organizations.members.getConnectedApps({ organization_id: organizationId, member_id: memberId }),
  );
  assert.deepEqual(memberApps.connected_apps, []);
  await fails(
    () => client.organizations.members.connectedApps.revoke({ organization_id: organizationId, member_id: memberId, connected_app_id: "connected-app-test-x" }),
    404,
    "connected_app_not_found",
  );
  const oidc = await conforms("B2BOrganizationsMembersOIDCProvidersResponse", () =>
    client.organizations.members.oidcProviders({ organization_id: organizationId, member_id: memberId }),
  );
  assert.deepEqual(oidc.registrations, []);
  await client.organizations.members.update({ organization_id: organizationId, member_id: memberId, mfa_phone_number: "+12025550123" });
  const cleared = await conforms("B2BOrganizationsMembersDeleteMFAPhoneNumberResponse", () =>
    client.organizations.members.deleteMFAPhoneNumber({ organization_id: organizationId, member_id: memberId }),
  );
  assert.equal(cleared.member.mfa_phone_number, "");
  const anywhere = await conforms("B2BOrganizationsMembersGetResponse", () =>
    client.organizations.members.dangerouslyGet({ member_id: memberId }),
  );
  assert.equal(anywhere.organization.organization_id, organizationId);
  await fails(() => client.organizations.members.dangerouslyGet({ member_id: "member-test-missing" }), 404, "member_not_found");
});

test("external ids stand for ids (a pipe included) until deleted", async () => {
  await client.organizations.update({ organization_id: organizationId, organization_external_id: "crm|42" });
  const byExternal = await conforms("B2BOrganizationsGetResponse", () => client.organizations.get({ organization_id: "crm|42" }));
  assert.equal(byExternal.organization.organization_id, organizationId);
  await client.organizations.members.update({ organization_id: "crm|42", member_id: memberId, external_id: "emp|7" });
  const member = await conforms("B2BOrganizationsMembersGetResponse", () =>
    client.organizations.members.get({ organization_id: "crm|42", member_id: "emp|7" }),
  );
  assert.equal(member.member.member_id, memberId);
  const memberCleared = await conforms("B2BOrganizationsMembersDeleteExternalIdResponse", () =>
    client.organizations.members.deleteExternalId({ organization_id: organizationId, member_id: memberId }),
  );
  assert.equal(memberCleared.member.external_id, undefined);
  const cleared = await conforms("B2BOrganizationsDeleteExternalIdResponse", () =>
    client.organizations.deleteExternalId({ organization_id: organizationId }),
  );
  assert.equal(cleared.organization.organization_external_id, undefined);
  await fails(() => client.organizations.get({ organization_id: "crm|42" }), 404, "organization_not_found");
});

test("a member session is passed on, and the sandbox, which has none, refuses it", async () => {
  await fails(
    () => client.organizations.members.search({ organization_ids: [organizationId] }, { authorization: { session_token: "session-token-x" } }),
    400,
    "member_sessions_not_supported",
  );
});

test("an email update retires the old address, which no one else may take until it is unlinked", async () => {
  const org = (await client.organizations.create({ organization_name: "Retire", organization_slug: "retire-sdk" })).organization.organization_id;
  const ada = (await client.organizations.members.create({ organization_id: org, email_address: "ada@retire.test" })).member.member_id;
  const moved = await conforms("B2BOrganizationsMembersUpdateResponse", () =>
    client.organizations.members.update({ organization_id: org, member_id: ada, email_address: "ada.l@retire.test" }),
  );
  const [retired] = moved.member.retired_email_addresses;
  assert.equal(retired.email_address, "ada@retire.test");
  assert.match(retired.email_id, /^email-test-/);
  await fails(
    () => client.organizations.members.create({ organization_id: org, email_address: "ADA@retire.test" }),
    400,
    "desired_email_deactivated_by_different_member",
  );
  await fails(() => client.organizations.members.unlinkRetiredEmail({ organization_id: org, member_id: ada }), 400, "retired_email_missing_email_identifiers");
  await fails(
    () => client.organizations.members.unlinkRetiredEmail({ organization_id: org, member_id: ada, email_id: retired.email_id, email_address: "other@retire.test" }),
    404,
    "email_not_found",
  );
  const unlinked = await conforms("B2BOrganizationsMembersUnlinkRetiredEmailResponse", () =>
    client.organizations.members.unlinkRetiredEmail({ organization_id: org, member_id: ada, email_id: retired.email_id, email_address: "ada@retire.test" }),
  );
  assert.equal(unlinked.organization_id, org);
  assert.deepEqual(unlinked.member.retired_email_addresses, []);
  await conforms("B2BOrganizationsMembersCreateResponse", () =>
    client.organizations.members.create({ organization_id: org, email_address: "ada@retire.test" }),
  );
  // `unlink_email`: the previous address is deleted, not retired.
  const again = await conforms("B2BOrganizationsMembersUpdateResponse", () =>
    client.organizations.members.update({ organization_id: org, member_id: ada, email_address: "ada.2@retire.test", unlink_email: true, preserve_existing_sessions: true }),
  );
  assert.deepEqual(again.member.retired_email_addresses, []);
  await client.organizations.delete({ organization_id: org });
});

test("roles must exist in the project or the organization before they are assigned", async () => {
  await fails(
    () => client.organizations.members.update({ organization_id: organizationId, member_id: memberId, roles: ["stytch_admin", "approver"] }),
    400,
    "invalid_rbac_role_id",
  );
  const updated = await conforms("B2BOrganizationsMembersUpdateResponse", () =>
    client.organizations.members.update({ organization_id: organizationId, member_id: memberId, roles: ["auditor"] }),
  );
  assert.ok(updated.member.roles.some((role) => role.role_id === "auditor"));
});

test("state the sandbox has none of (TOTP, passwords, OAuth tokens, email delivery) answers as for a member without it", async () => {
  const ids = { organization_id: organizationId, member_id: memberId };
  await fails(() => client.organizations.members.deleteTOTP(ids), 404, "totp_not_found");
  await fails(
    () => client.organizations.members.deletePassword({ organization_id: organizationId, member_password_id: "member-password-test-x" }),
    404,
    "member_password_not_found",
  );
  const providers = client.organizations.members.oauthProviders;
  await fails(() => providers.google({ ...ids, include_refresh_token: true }), 404, "member_oauth_token_not_found");
  await fails(() => providers.microsoft(ids), 404, "member_oauth_token_not_found");
  for (const [name, type] of [
    ["slack", "B2BOrganizationsMembersOAuthProvidersSlackResponse"],
    ["hubspot", "B2BOrganizationsMembersOAuthProvidersHubspotResponse"],
    ["github", "B2BOrganizationsMembersOAuthProvidersGithubResponse"],
  ]) {
    const answer = await conforms(type, () => providers[name](ids));
    assert.deepEqual(answer.registrations, [], name);
  }
  await fails(
    () => client.organizations.members.startEmailUpdate({ ...ids, email_address: "new@@acme.test" }),
    400,
    "invalid_email",
  );
  await fails(
    () => client.organizations.members.startEmailUpdate({ ...ids, email_address: "new@acme.test", delivery_method: "EMAIL_OTP" }),
    400,
    "email_verification_required",
  );
  await fails(() => providers.google({ ...ids, member_id: "member-test-missing" }), 404, "member_not_found");
});

test("the gateway's own refusals reach the SDK as its typed error", async () => {
  // A call outside the catalog (SSO) is refused by the gateway itself.
  await fails(() => client.sso.getConnections({ organization_id: organizationId }), 404, "not_in_catalog");
});

test("delete: a member (soft: reactivate brings it back), then the organization", async () => {
  await conforms("B2BOrganizationsMembersDeleteResponse", () =>
    client.organizations.members.delete({ organization_id: organizationId, member_id: memberId }),
  );
  await fails(() => client.organizations.members.get({ organization_id: organizationId, member_id: memberId }), 404, "member_not_found");
  const deleted = await conforms("B2BOrganizationsMembersGetResponse", () =>
    client.organizations.members.dangerouslyGet({ member_id: memberId, include_deleted: true }),
  );
  assert.equal(deleted.member.status, "deleted");
  const reactivated = await conforms("B2BOrganizationsMembersReactivateResponse", () =>
    client.organizations.members.reactivate({ organization_id: organizationId, member_id: memberId }),
  );
  assert.equal(reactivated.member.status, "active");
  const pending = await conforms("B2BOrganizationsMembersCreateResponse", () =>
    client.organizations.members.create({ organization_id: organizationId, email_address: "pat@acme.test", create_member_as_pending: true }),
  );
  assert.equal(pending.member.status, "pending");
  const byStatus = await conforms("B2BOrganizationsMembersSearchResponse", () =>
    client.organizations.members.search({
      organization_ids: [organizationId],
      query: { operator: "AND", operands: [{ filter_name: "statuses", filter_value: ["pending"] }] },
    }),
  );
  assert.deepEqual(byStatus.members.map((m) => m.email_address), ["pat@acme.test"]);
  await conforms("B2BOrganizationsDeleteResponse", () => client.organizations.delete({ organization_id: organizationId }));
  await fails(() => client.organizations.get({ organization_id: organizationId }), 404, "organization_not_found");
});

test("every answer compiles as its SDK type under tsc --strict (no missing, mistyped or extra field)", async () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
  const dir = join(root, "target", "sdk-answers");
  await mkdir(dir, { recursive: true });
  const types = [...new Set(recorded.map((r) => r.type))].sort();
  assert.ok(types.length >= 25, `${types.length} types recorded`);
  // An object literal assigned to a typed const: tsc reports missing and
  // mistyped fields, and (excess property checks) fields the type lacks.
  const lines = [`import type { ${types.join(", ")} } from "stytch";`, ""];
  recorded.forEach(({ type, answer }, index) => {
    lines.push(`export const answer${index}: ${type} = ${JSON.stringify(answer, null, 2)};`, "");
  });
  const file = join(dir, "answers.ts");
  await writeFile(file, lines.join("\n"));
  const tsc = join(root, "node_modules", ".bin", "tsc");
  const args = ["--strict", "--noEmit", "--skipLibCheck", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", file];
  const result = await promisify(execFile)(tsc, args, { cwd: root }).catch((error) => error);
  assert.equal(result.code ?? 0, 0, `${result.stdout ?? ""}${result.stderr ?? ""}`);
});
