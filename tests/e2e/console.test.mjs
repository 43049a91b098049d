// The console in real headless Chromium against a real gateway and its
// embedded sandbox (SQLite), both started here on loopback ports.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { launchChromium } from "../browser/harness.mjs";
import { packageDir } from "../node/corpus.mjs";
import { artifactsDir, startGateway } from "./harness.mjs";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const { Engine } = require(join(packageDir, "node", "orgpolicy.js"));
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

// A project policy with a resource of our own next to Stytch's defaults.
const projectPolicy = {
  resources: [
    { resource_id: "documents", description: "Shared documents", actions: ["read", "write", "delete", "share"] },
    { resource_id: "billing", description: "Invoices", actions: ["read", "update"] },
  ],
  roles: [
    { role_id: "stytch_member", description: "", permissions: [{ resource_id: "documents", actions: ["read"] }] },
    { role_id: "stytch_admin", description: "", permissions: [{ resource_id: "documents", actions: ["*"] }, { resource_id: "billing", actions: ["*"] }] },
    { role_id: "editor", description: "", permissions: [{ resource_id: "documents", actions: ["read", "write"] }] },
  ],
  scopes: [],
};

let gateway;
let browser;
let page;
const dialogs = [];
const pageErrors = [];
const failedResponses = [];
const apiRequests = [];
let organizationId;

async function screenshot(name) {
  await mkdir(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: true });
}

async function openEndpoint(id) {
  await page.click(`a.endpoint-link[href="#/try/${id}"]`);
  await page.waitForFunction((id) => location.hash === `#/try/${id}`, id);
}

async function responseJson(previousCount) {
  await page.waitForFunction(
    (count) => document.querySelectorAll(".history li").length > count && document.querySelector("#response-body"),
    previousCount,
  );
  const status = await page.textContent("#response-status");
  const body = await page.textContent("#response-body");
  return { status, body: JSON.parse(body) };
}

const historyCount = () => page.locator(".history li").count();

before(async () => {
  const policyFile = join(tmpdir(), `orgpolicy-e2e-policy-${process.pid}.json`);
  await writeFile(policyFile, JSON.stringify(projectPolicy));
  gateway = await startGateway(["--policy-file", policyFile]);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: gateway.origin });
  page = await context.newPage();
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  page.on("response", (response) => {
    if (response.status() >= 400) failedResponses.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith("/v1/")) apiRequests.push(`${request.method()} ${url.pathname}`);
  });
});

after(async () => {
  await browser?.close();
  await gateway?.stop();
});

test("the console renders and shows what the gateway says", async () => {
  const response = await page.goto(gateway.origin + "/");
  assert.equal(response.status(), 200);
  await page.waitForSelector("#gateway-badge");
  assert.equal(await page.textContent("#gateway-badge"), "sandbox");
  assert.equal(await page.textContent("#gateway-credentials"), "credentials configured");
  assert.match(await page.evaluate(() => navigator.userAgent), /Chrome\//);
  await screenshot("try-it");
});

test("the gateway URL is validated, stored and restored; a deep link cannot change it", async () => {
  await page.fill("#gateway-url", "ftp://example.com");
  await page.click("#gateway-save");
  assert.match(await page.textContent("#gateway-error"), /http or https/);
  await page.fill("#gateway-url", "http://user:pw@127.0.0.1:1");
  await page.click("#gateway-save");
  assert.match(await page.textContent("#gateway-error"), /user name and password/);
  await page.fill("#gateway-url", gateway.origin + "/");
  await page.click("#gateway-save");
  assert.equal(await page.textContent("#gateway-error"), "");
  assert.equal(await page.evaluate(() => localStorage.getItem("orgpolicy.gateway")), gateway.origin);

  await page.goto(`${gateway.origin}/?gateway=http://evil.invalid#/try/members.create?gateway=http://evil.invalid`);
  await page.waitForSelector("#gateway-badge");
  assert.equal(await page.inputValue("#gateway-url"), gateway.origin);
  assert.equal(await page.evaluate(() => localStorage.getItem("orgpolicy.gateway")), gateway.origin);
  await page.goto(`${gateway.origin}/#/try/members.create`);
  await page.waitForSelector("#p-organization_id");
  assert.match(await page.textContent("#endpoint-title"), /\/members$/);
});

test("a bad slug shows the core's message before anything is sent", async () => {
  await openEndpoint("organizations.create");
  const before = apiRequests.length;
  await page.fill("#f-organization_name", "Acme");
  await page.fill("#f-organization_slug", "no spaces allowed");
  const message = await page.textContent("#e-organization_slug");
  assert.match(message, /organization_slug|slug/i);
  assert.equal(await page.getAttribute("#f-organization_slug", "aria-invalid"), "true");
  assert.match(await page.getAttribute("#f-organization_slug", "aria-describedby"), /e-organization_slug/);
  // Send refuses and offers "send anyway"; nothing went out.
  await page.click("#send");
  await page.waitForSelector("#send-anyway");
  assert.equal(apiRequests.length, before);
  // The JSON view follows the form.
  assert.deepEqual(JSON.parse(await page.inputValue("#json-body")), {
    organization_name: "Acme",
    organization_slug: "no spaces allowed",
  });
  // Send anyway reaches the API, which refuses it too.
  const count = await historyCount();
  await page.click("#send-anyway");
  const { status, body } = await responseJson(count);
  assert.match(status, /^400/);
  assert.equal(body.status_code, 400);
  assert.match(await page.textContent("#response"), /API error/);
});

const xssName = "<img src=x onerror=alert(1)>";

test("an organization created through the form is found by search; its name renders as text", async () => {
  await openEndpoint("organizations.create");
  await page.fill("#json-body", JSON.stringify({ organization_name: xssName, organization_slug: "acme-e2e" }));
  assert.equal(await page.inputValue("#f-organization_slug"), "acme-e2e");
  assert.equal(await page.inputValue("#f-organization_name"), xssName);
  let count = await historyCount();
  await page.click("#send");
  let { status, body } = await responseJson(count);
  assert.match(status, /^200/);
  organizationId = body.organization.organization_id;
  assert.match(organizationId, /^organization-/);
  assert.ok((await page.textContent("#response-request-id")).length > 4);

  await openEndpoint("organizations.search");
  await page.fill(
    "#f-query",
    JSON.stringify({ operator: "AND", operands: [{ filter_name: "organization_slugs", filter_value: ["acme-e2e"] }] }),
  );
  count = await historyCount();
  await page.click("#send");
  ({ status, body } = await responseJson(count));
  assert.match(status, /^200/);
  assert.deepEqual(body.organizations.map((o) => o.organization_id), [organizationId]);

  // The hostile name is text everywhere: no element, no dialog.
  assert.ok((await page.textContent("#response-body")).includes(xssName));
  assert.equal(await page.locator("img").count(), 0);
  assert.deepEqual(dialogs, []);
  await screenshot("response");
});

test("Ctrl+Enter sends only while the form has focus", async () => {
  await openEndpoint("organizations.get");
  await page.fill("#p-organization_id", organizationId);
  const count = await historyCount();
  await page.locator("pre.snippet").focus();
  await page.keyboard.press("Control+Enter");
  await page.waitForTimeout(300);
  assert.equal(await historyCount(), count);
  await page.locator("#p-organization_id").focus();
  await page.keyboard.press("Control+Enter");
  const { status } = await responseJson(count);
  assert.match(status, /^200/);
});

test("the curl snippet, run in a shell, gives the console's own answer", async () => {
  await openEndpoint("organizations.get");
  await page.fill("#p-organization_id", organizationId);
  await page.click('button[data-language="curl"]');
  await page.click("#target-gateway");
  const snippet = await page.textContent("#snippet");
  assert.ok(snippet.startsWith(`curl -sS -X GET ${gateway.origin}/v1/b2b/organizations/${organizationId}`), snippet);
  const count = await historyCount();
  await page.click("#send");
  const { body: fromConsole } = await responseJson(count);
  const { stdout } = await run("sh", ["-c", `${snippet} --silent --show-error`]);
  const fromShell = JSON.parse(stdout);
  for (const answer of [fromConsole, fromShell]) delete answer.request_id;
  assert.deepEqual(fromShell, fromConsole);

  // A value with a quote stays one word for the shell.
  await openEndpoint("organizations.create");
  await page.fill("#f-organization_name", "O'Brien & Sons");
  await page.fill("#f-organization_slug", "obrien");
  const quoted = await page.textContent("#snippet");
  assert.ok(quoted.includes(`'\\''`), quoted);
  const created = JSON.parse((await run("sh", ["-c", `${quoted} --silent --show-error`])).stdout);
  assert.equal(created.organization.organization_name, "O'Brien & Sons");

  // Direct snippets carry placeholders, never the gateway's secret.
  await page.click("#target-direct");
  const direct = await page.textContent("#snippet");
  assert.ok(direct.includes('"$STYTCH_PROJECT_ID:$STYTCH_SECRET"'), direct);
  assert.ok(!direct.includes(gateway.credentials.secret));
  await page.click("#target-gateway");
});

test("browser storage holds the gateway URL and no secret; a reload restores state", async () => {
  const storage = await page.evaluate(() => ({ ...localStorage, ...sessionStorage }));
  assert.equal(storage["orgpolicy.gateway"], gateway.origin);
  const everything = JSON.stringify(storage) + (await page.content());
  assert.ok(!everything.includes(gateway.credentials.secret), "the secret reached the browser");
  assert.ok(!everything.includes(Buffer.from(`${gateway.credentials.project_id}:${gateway.credentials.secret}`).toString("base64")));
  const entries = await historyCount();
  assert.ok(entries >= 4);
  await page.reload();
  await page.waitForSelector("#gateway-badge");
  assert.equal(await page.inputValue("#gateway-url"), gateway.origin);
  assert.equal(await historyCount(), entries);
  // Replay sends the same request again.
  await page.click(".history li:first-child button.replay");
  const { status } = await responseJson(entries);
  assert.match(status, /^200/);
});

test("gateway refusals and network failures are told apart", async () => {
  await openEndpoint("organizations.get");
  await page.fill("#p-organization_id", "..");
  const count = await historyCount();
  await page.click("#send");
  await page.click("#send-anyway");
  await responseJson(count);
  assert.match(await page.textContent("#response"), /gateway error/);
  assert.match(await page.textContent("#response"), /not_in_catalog/);
});

let memberId;

test("the keyboard alone opens an endpoint, fills a list and sends", async () => {
  // Tab back to the members.create link and open it with Enter.
  await page.locator('a.endpoint-link[href="#/try/members.get"]').focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash === "#/try/members.create");
  // Path parameters carry over between endpoints: replace what is there.
  await page.locator("#p-organization_id").focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.type(organizationId);
  await page.keyboard.press("Tab");
  await page.keyboard.type("pat@example.com");
  assert.equal(await page.evaluate(() => document.activeElement.id), "f-email_address");
  // "Add" to roles, then type the role into the new row.
  await page.locator('#request-form .field:has(#d-roles) button:has-text("Add")').focus();
  await page.keyboard.press("Enter");
  await page.locator('input[aria-label="roles 1"]').focus();
  await page.keyboard.type("editor");
  assert.deepEqual(JSON.parse(await page.inputValue("#json-body")), { email_address: "pat@example.com", roles: ["editor"] });
  const count = await historyCount();
  await page.keyboard.press("Control+Enter");
  const { status, body } = await responseJson(count);
  assert.match(status, /^200/);
  memberId = body.member.member_id;
  assert.ok(memberId);
});

test("a member is found by email through the query parameters", async () => {
  await openEndpoint("members.get");
  await page.fill("#p-organization_id", organizationId);
  await page.fill("#p-member_id", "");
  await page.fill("#p-email_address", "PAT@example.com");
  await page.waitForFunction(() => document.querySelector("#snippet").textContent.includes("/member?email_address=PAT%40example.com"));
  const count = await historyCount();
  await page.click("#send");
  const { status, body } = await responseJson(count);
  assert.match(status, /^200/);
  assert.equal(body.member.member_id, memberId);
  assert.equal(body.member.email_address, "pat@example.com");
});

test("the copy button puts the shown snippet on the clipboard", async () => {
  await openEndpoint("organizations.get");
  await page.fill("#p-organization_id", organizationId);
  await page.click('button[data-language="JavaScript fetch"]');
  const snippet = await page.textContent("#snippet");
  assert.match(snippet, /await fetch\(/);
  await page.click("#copy-snippet");
  await page.waitForFunction(() => document.querySelector(".copied").textContent === "Copied");
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippet);
  await page.click('button[data-language="curl"]');
});

test("an unreachable gateway is a network error with a hint, and nothing is stored until saved", async () => {
  await page.fill("#gateway-url", "http://127.0.0.1:9");
  assert.equal(await page.evaluate(() => localStorage.getItem("orgpolicy.gateway")), gateway.origin);
  await page.click("#gateway-save");
  await page.waitForFunction(() => document.querySelector("#gateway-badge")?.textContent === "unreachable");
  await openEndpoint("organizations.get");
  await page.fill("#p-organization_id", organizationId);
  const count = await historyCount();
  await page.click("#send");
  await responseJson(count).catch(() => {});
  await page.waitForFunction(() => /network or CORS error/.test(document.querySelector("#response")?.textContent ?? ""));
  const hint = await page.textContent("#response .hint");
  assert.match(hint, /No answer from http:\/\/127\.0\.0\.1:9/);
  assert.match(hint, /another origin than this page/);
  // Back to the real gateway.
  await page.fill("#gateway-url", gateway.origin);
  await page.click("#gateway-save");
  await page.waitForFunction(() => document.querySelector("#gateway-badge")?.textContent === "sandbox");
});

test("a member is soft-deleted, then reactivated, from the console", async () => {
  await openEndpoint("members.delete");
  await page.fill("#p-organization_id", organizationId);
  await page.fill("#p-member_id", memberId);
  let count = await historyCount();
  // A DELETE waits for its confirmation; Cancel sends nothing.
  await page.click("#send");
  // Focus moves to the confirmation (on the next frame).
  await page.waitForFunction(() => document.activeElement?.id === "confirm-send");
  assert.match(await page.textContent("#confirm-reason"), /cannot be undone/);
  await page.click("#confirm-cancel");
  assert.equal(await historyCount(), count);
  await page.click("#send");
  await page.click("#confirm-send");
  let answer = await responseJson(count);
  assert.match(answer.status, /^200/);
  assert.equal(answer.body.member_id, memberId);
  // Found only when deleted members are asked for.
  await openEndpoint("members.dangerously_get");
  await page.fill("#p-member_id", memberId);
  await page.fill("#p-include_deleted", "true");
  count = await historyCount();
  await page.click("#send");
  answer = await responseJson(count);
  assert.match(answer.status, /^200/);
  assert.equal(answer.body.member.status, "deleted");
  await openEndpoint("members.reactivate");
  await page.fill("#p-organization_id", organizationId);
  await page.fill("#p-member_id", memberId);
  count = await historyCount();
  await page.click("#send");
  answer = await responseJson(count);
  assert.match(answer.status, /^200/);
  assert.equal(answer.body.member.status, "active");
  assert.deepEqual(answer.body.member.roles.map((role) => role.role_id).sort(), ["editor", "stytch_member"]);
});

const api = (...args) => gateway.api(...args);

test("the playground matrix agrees with the core, and a policy edit shows its diff before saving", async () => {
  // The organization defines `auditor` (reading documents) and the member
  // holds it: a role must exist before it is assigned.
  await api("PUT", `/v1/b2b/rbac/organizations/${organizationId}`, {
    org_policy: { roles: [{ role_id: "auditor", description: "Reads", permissions: [{ resource_id: "documents", actions: ["read"] }] }] },
  });
  await api("PUT", `/v1/b2b/organizations/${organizationId}/members/${memberId}`, { roles: ["editor", "auditor"] });
  await page.click('a[href="#/playground"]');
  await page.click("#load-project");
  await page.waitForFunction(() => document.querySelector("#project-policy").value.includes("documents"));
  await page.fill("#organization-id", organizationId);
  await page.click("#load-organization");
  await page.waitForFunction(() => /Loaded the policy/.test(document.querySelector("#playground-status").textContent));

  const draft = {
    roles: [{ role_id: "auditor", description: "Reads billing", permissions: [{ resource_id: "billing", actions: ["read"] }, { resource_id: "documents", actions: ["*"] }] }],
  };
  await page.fill("#organization-policy", JSON.stringify(draft, null, 2));
  await page.waitForSelector("#diff .escalation");
  const diffText = await page.textContent("#diff");
  assert.match(diffText, /auditor/);
  // The member holding `auditor` gains its new grants.
  // Members are named by their email address.
  assert.ok(diffText.includes("pat@example.com gains billing:read"), diffText);
  // The matrix follows the chosen member, then typed roles.
  assert.equal(await page.inputValue("#member-select"), memberId);
  const memberCell = page.locator('#matrix button[data-resource="billing"][data-action="read"]');
  assert.equal(await memberCell.getAttribute("data-allowed"), "true");
  await page.selectOption("#member-select", "");
  await page.fill("#typed-roles", "stytch_member, auditor, ghost_role");
  await page.click("#save-policy");
  await page.waitForFunction(() => /Saved the policy/.test(document.querySelector("#playground-status").textContent));
  await page.waitForFunction(() => /No change/.test(document.querySelector("#diff").textContent));

  // Every cell against the npm package's engine, fed the same documents.
  const loaded = Engine.load(projectPolicy);
  assert.equal(loaded.type, "success");
  const engine = loaded.engine;
  assert.equal(engine.setOrganizationPolicy(organizationId, draft).type, "success");
  const subject = { organization_id: organizationId, roles: ["stytch_member", "auditor", "ghost_role"] };
  const cells = await page.$$eval("#matrix button.cell", (buttons) =>
    buttons.map((b) => ({ resource: b.dataset.resource, action: b.dataset.action, allowed: b.dataset.allowed === "true", label: b.getAttribute("aria-label") })),
  );
  assert.equal(cells.length, 6);
  for (const cell of cells) {
    const expected = engine.isAuthorized(subject, { organization_id: organizationId, resource_id: cell.resource, action: cell.action });
    assert.equal(cell.allowed, expected, `${cell.resource} ${cell.action}`);
  }
  const billingRead = cells.find((c) => c.resource === "billing" && c.action === "read");
  assert.match(billingRead.label, /allowed by auditor \(organization custom role\)/);
  await page.click('#matrix button[data-resource="billing"][data-action="update"]');
  assert.match(await page.textContent("#explanation"), /stytch_admin|denied|not/i);
  // The saved policy is what the API now holds.
  const stored = await (await fetch(`${gateway.origin}/v1/b2b/rbac/organizations/${organizationId}`)).json();
  assert.deepEqual(stored.org_policy.roles.map((r) => r.role_id), ["auditor"]);
  await screenshot("playground");
});

test("an accessibility audit finds no serious violations", async () => {
  await page.evaluate(axeSource);
  const audit = async () =>
    page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ["violations"] });
      return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
    });
  assert.deepEqual(await audit(), [], "playground");
  await page.click('nav.views a:first-child');
  await page.waitForSelector("#view-try:not([hidden])");
  assert.deepEqual(await audit(), [], "try it");
  await page.emulateMedia({ colorScheme: "dark" });
  assert.deepEqual(await audit(), [], "try it, dark");
  await screenshot("try-it-dark");
  await page.emulateMedia({ colorScheme: "light" });
  // Browse, with an organization's members open, light and dark.
  await page.click('nav.views a[href="#/browse"]');
  await page.waitForFunction(() => /organizations/.test(document.querySelector("#organizations-range")?.textContent ?? ""));
  await page.click("#organizations-table button.open-members");
  await page.waitForFunction(() => /members/.test(document.querySelector("#members-range")?.textContent ?? ""));
  assert.deepEqual(await audit(), [], "browse");
  await page.emulateMedia({ colorScheme: "dark" });
  assert.deepEqual(await audit(), [], "browse, dark");
  await screenshot("browse-dark");
  await page.emulateMedia({ colorScheme: "light" });
});

test("no page errors along the way; only the deliberate refusals failed", () => {
  // The browser logs each failed load as a console error; those are
  // checked through the responses instead.
  // The page's content security policy blocked the unreachable gateway on
  // another origin; nothing else may have been blocked.
  const blocked = pageErrors.filter((e) => /Content Security Policy/.test(e));
  assert.ok(blocked.length > 0);
  assert.ok(blocked.every((e) => e.includes("http://127.0.0.1:9/")), blocked.join("\n"));
  const others = pageErrors.filter((e) => !e.startsWith("Failed to load resource") && !blocked.includes(e));
  assert.deepEqual(others, []);
  // The slug sent anyway (400 from the API) and `..` (which the browser
  // resolves to /v1/b2b/, refused by the gateway).
  assert.deepEqual([...new Set(failedResponses)].sort(), ["400 /v1/b2b/organizations", "404 /v1/b2b/"]);
});
