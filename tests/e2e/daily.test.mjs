// The console as a daily tool, in real headless Chromium against a real
// gateway and sandbox with Stytch's default project policy: layout at
// 1440x900 and 390x844, the response in view after Send, history rows,
// the playground's state and messages, keyboard and focus, confirmations,
// and the page a gateway without a built console answers.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchChromium } from "../browser/harness.mjs";
import { openConsole, startGateway } from "./harness.mjs";

let gateway;
let browser;
let page;
const pageErrors = [];
let organizationId;

const api = (...args) => gateway.api(...args);

async function open(hash) {
  await page.evaluate((hash) => {
    location.hash = hash;
  }, hash);
  await page.waitForFunction((hash) => location.hash === hash, hash);
}

const historyCount = () => page.locator(".history li").count();

async function sendAndWait() {
  const count = await historyCount();
  await page.click("#send");
  await page.waitForFunction((count) => document.querySelectorAll(".history li").length > count, count);
}

/** The page's horizontal overflow: 0 when nothing sticks out sideways. */
const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

before(async () => {
  gateway = await startGateway();
  browser = await launchChromium();
  page = await openConsole(browser, gateway, { width: 1440, height: 900 }, pageErrors);
  const created = await api("POST", "/v1/b2b/organizations", { organization_name: "Acme Corp", organization_slug: "acme-corp" });
  organizationId = created.organization.organization_id;
  await api("PUT", `/v1/b2b/rbac/organizations/${organizationId}`, {
    org_policy: { roles: [{ role_id: "auditor", description: "Reads members", permissions: [{ resource_id: "stytch.member", actions: ["search"] }] }] },
  });
  for (const [email, roles] of [["ada@acme.test", ["stytch_admin"]], ["bob@acme.test", ["auditor"]]]) {
    await api("POST", `/v1/b2b/organizations/${organizationId}/members`, { email_address: email, roles });
  }
});

after(async () => {
  await browser?.close();
  await gateway?.stop();
});

test("the playground's matrix scrolls in its own region; slugs load the organization and its members", async () => {
  await open("#/playground");
  await page.click("#load-project");
  await page.waitForFunction(() => document.querySelector("#project-policy").value.includes("stytch.member"));
  await page.fill("#organization-id", "acme-corp");
  await page.click("#load-organization");
  await page.waitForFunction(() => /members/.test(document.querySelector("#playground-status").textContent));
  const status = await page.textContent("#playground-status");
  assert.match(status, /Acme Corp/);
  assert.match(status, /Loaded its 2 members\./);
  // The slug was resolved to the id, which the rest of the page uses.
  assert.equal(await page.inputValue("#organization-id"), organizationId);
  assert.equal(await page.locator("#member-select option").count(), 3);
  // Stytch's default policy makes a wide matrix: it scrolls, the page does not.
  const region = await page.$eval(".matrix-scroll", (el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  assert.ok(region.scroll > region.client, `the matrix is wide: ${JSON.stringify(region)}`);
  assert.equal(await overflow(), 0);
});

test("the playground says what it shows: chosen roles, unknown roles, unsaved drafts; Save waits for a change", async () => {
  // A member chosen: the roles box shows that member's roles.
  assert.match(await page.inputValue("#typed-roles"), /stytch_admin|auditor/);
  assert.ok(await page.$eval("#typed-roles", (el) => el.readOnly));
  // Nothing changed: nothing to save.
  assert.ok(await page.isDisabled("#save-policy"));
  // Typed roles: an unknown one is said, not silently dropped.
  await page.selectOption("#member-select", "");
  await page.fill("#typed-roles", "stytch_member, ghost_role");
  await page.waitForFunction(() => /ghost_role/.test(document.querySelector("#unknown-roles").textContent));
  // A draft: the matrix says it shows it, and Save is offered.
  const draft = { roles: [{ role_id: "auditor", description: "Reads members", permissions: [{ resource_id: "stytch.member", actions: ["search", "update.info.name"] }] }] };
  await page.fill("#organization-policy", JSON.stringify(draft));
  await page.waitForSelector("#unsaved-note");
  assert.ok(!(await page.isDisabled("#save-policy")));
  // The diff names members by email.
  await page.waitForFunction(() => /bob@acme\.test gains/.test(document.querySelector("#diff").textContent));
  await page.click("#save-policy");
  await page.waitForFunction(() => /Saved the policy/.test(document.querySelector("#playground-status").textContent));
  await page.waitForFunction(() => !document.querySelector("#unsaved-note"));
  assert.ok(await page.isDisabled("#save-policy"));
  // After a reload of the organization, member rows show their current roles.
  const bob = (await api("POST", "/v1/b2b/organizations/members/search", { organization_ids: [organizationId], query: { operator: "AND", operands: [{ filter_name: "member_emails", filter_value: ["bob@acme.test"] }] } })).members[0];
  await api("PUT", `/v1/b2b/organizations/${organizationId}/members/${bob.member_id}`, { roles: ["stytch_admin"] });
  await page.click("#load-organization");
  await page.waitForFunction(
    (id) => [...document.querySelectorAll("#member-select option")].some((o) => o.value === id && /stytch_admin/.test(o.textContent)),
    bob.member_id,
  );
});

test("the response is in view when it arrives, however far down Send is", async () => {
  await open("#/try/organizations.create");
  await page.fill("#f-organization_name", "Far Down");
  await page.fill("#f-organization_slug", "far-down");
  await page.locator("#send").scrollIntoViewIfNeeded();
  const sendTop = await page.$eval("#send", (el) => el.getBoundingClientRect().top + window.scrollY);
  assert.ok(sendTop > 900, `Send is below the first screen (${sendTop}px)`);
  await sendAndWait();
  await page.waitForSelector("#response-status");
  const visible = await page.$eval("#response-status", (el) => {
    const box = el.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });
  assert.ok(visible, "the response status is on screen");
  assert.match(await page.textContent("#response-status"), /^200/);
  assert.equal(await overflow(), 0);
});

test("history rows keep their own identity, and a replayed write asks first", async () => {
  const path = `/v1/b2b/organizations/${organizationId}`;
  await open("#/try/organizations.update");
  await page.fill("#p-organization_id", organizationId);
  await page.fill("#f-organization_name", "Acme Corp 2");
  await sendAndWait();
  await open("#/try/organizations.get");
  await page.fill("#p-organization_id", organizationId);
  await sendAndWait();
  const rows = await page.$$eval(".history li", (items) => items.slice(0, 2).map((li) => li.textContent));
  assert.match(rows[0], new RegExp(`^GET ${path} 200`));
  assert.match(rows[1], new RegExp(`^PUT ${path} 200`));
  // Replaying the PUT row replays a PUT, after a confirmation.
  const count = await historyCount();
  await page.locator(".history li").nth(1).locator("button.replay").click();
  await page.waitForSelector("#confirm-send");
  assert.match(await page.textContent("#confirm-reason"), /Replaying sends this PUT again/);
  await page.click("#confirm-send");
  await page.waitForFunction((count) => document.querySelectorAll(".history li").length > count, count);
  assert.match(await page.locator(".history li").first().textContent(), new RegExp(`^PUT ${path} 200`));
});

test("a body over 8 KB is sent but not kept in history, and the page says so", async () => {
  await open("#/try/members.create");
  await page.fill("#p-organization_id", organizationId);
  const body = { email_address: "big@acme.test", untrusted_metadata: { note: "x".repeat(9000) } };
  await page.fill("#json-body", JSON.stringify(body));
  await page.click("#send");
  // The form flags the metadata limit: send it anyway, to see the API's answer.
  await page.click("#send-anyway");
  await page.waitForFunction(() => /not kept/.test(document.querySelector("#history-note").textContent));
  assert.match(await page.locator(".history li").first().textContent(), /body not kept/);
  const stored = await page.evaluate(() => Object.values(localStorage).join("").length);
  assert.ok(stored < 9000, `${stored} characters stored`);
});

test("messages: code spans, scheme hints, placeholders, the title and unknown links", async () => {
  await open("#/try/organizations.update");
  // Docs render backticks as code.
  const doc = await page.$eval("#d-auth_methods", (el) => ({ text: el.textContent, code: el.querySelectorAll("code").length }));
  assert.ok(doc.code > 0 && !doc.text.includes("`"), JSON.stringify(doc));
  // An empty path parameter is its placeholder in snippets.
  await page.fill("#p-organization_id", "");
  await page.waitForFunction(() => document.querySelector("#snippet").textContent.includes("/v1/b2b/organizations/{organization_id}"));
  assert.equal(await page.title(), "Update an organization · Try it · orgpolicy console");
  await open("#/playground");
  assert.equal(await page.title(), "Policy playground · orgpolicy console");
  await open("#/try/organizations.nothing");
  await page.waitForSelector("#route-notice");
  assert.match(await page.textContent("#route-notice"), /No endpoint organizations\.nothing in the catalog/);
  // A host and port without a scheme.
  await page.fill("#gateway-url", "localhost:8790");
  await page.click("#gateway-save");
  assert.match(await page.textContent("#gateway-error"), /add the scheme: http:\/\/localhost:8790/);
  await page.fill("#gateway-url", gateway.origin);
  await page.click("#gateway-save");
  await page.waitForFunction(() => /Saved/.test(document.querySelector(".saved").textContent));
  assert.ok(!(await page.textContent(".gateway-status")).includes("Saved"));
});

test("keyboard: a skip link, focus that follows choices, and the first invalid field after a blocked send", async () => {
  // A fresh load (a goto that only changes the hash would not reload).
  await page.goto("about:blank");
  await page.goto(`${gateway.origin}/#/try/organizations.create`);
  await page.waitForFunction(() => document.documentElement.dataset.ready === "true");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "endpoint-title");
  // Choosing an endpoint moves focus to its form.
  await page.click('a.endpoint-link[href="#/try/members.create"]');
  await page.waitForFunction(() => document.activeElement.id === "endpoint-title");
  // A blocked send: focus on the first field the form flags.
  await page.fill("#p-organization_id", "");
  await page.click("#send");
  await page.waitForFunction(() => document.activeElement.getAttribute("aria-invalid") === "true");
  assert.equal(await page.evaluate(() => document.activeElement.id), "p-organization_id");
  // Every label names an input; groups of inputs are fieldsets with legends.
  const orphans = await page.$$eval("label[for]", (labels) =>
    labels.filter((label) => !["INPUT", "SELECT", "TEXTAREA"].includes(document.getElementById(label.htmlFor)?.tagName)).map((l) => l.htmlFor),
  );
  assert.deepEqual(orphans, []);
  assert.equal(await page.$eval("#f-roles", (el) => el.tagName), "FIELDSET");
  // The live region exists before any answer.
  assert.equal(await page.getAttribute("#response-live", "aria-live"), "polite");
});

test("at 390x844 nothing overflows sideways, on every view", async () => {
  const phone = await openConsole(browser, gateway, { width: 390, height: 844 }, pageErrors);
  const sideways = () => phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  for (const id of ["organizations.create", "organizations.search", "members.search", "members.update", "rbac.organization_policy.set"]) {
    await phone.evaluate((id) => (location.hash = `#/try/${id}`), id);
    await phone.waitForFunction((id) => location.hash === `#/try/${id}`, id);
    assert.equal(await sideways(), 0, id);
  }
  await phone.evaluate(() => (location.hash = "#/browse"));
  await phone.waitForFunction(() => /organizations/.test(document.querySelector("#organizations-range")?.textContent ?? ""));
  await phone.click("#organizations-table button.open-members");
  await phone.waitForFunction(() => /members/.test(document.querySelector("#members-range")?.textContent ?? ""));
  assert.equal(await sideways(), 0, "browse");
  await phone.evaluate(() => (location.hash = "#/playground"));
  await phone.click("#load-project");
  await phone.waitForFunction(() => document.querySelector("#project-policy").value.includes("stytch.member"));
  await phone.fill("#organization-id", "acme-corp");
  await phone.click("#load-organization");
  await phone.waitForFunction(() => /members/.test(document.querySelector("#playground-status").textContent));
  assert.equal(await sideways(), 0, "playground");
  const load = await phone.$eval("#load-organization", (el) => el.getBoundingClientRect().right);
  assert.ok(load <= 390, `Load organization ends at ${load}px`);
  await phone.context().close();
});

test("a gateway whose console is not built answers a page that says how to build it", async () => {
  const empty = await mkdtemp(join(tmpdir(), "orgpolicy-unbuilt-"));
  const bare = await startGateway([], { staticDir: empty });
  try {
    const response = await fetch(`${bare.origin}/`);
    assert.equal(response.status, 503);
    const text = await response.text();
    assert.match(text, /cargo xtask console/);
    assert.match(text, /orgpolicy-console_bg\.wasm/);
  } finally {
    await bare.stop();
    await rm(empty, { recursive: true, force: true });
  }
});

test("no page errors along the way", () => {
  assert.deepEqual(pageErrors, []);
});
