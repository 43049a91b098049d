// The console on a first start: a gateway whose new sandbox holds the demo
// project, in real headless Chromium. Finding an endpoint by keyboard,
// filling its example and sending it as it stands, and the playground on
// the demo's organizations.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium } from "../browser/harness.mjs";
import { openConsole, startGateway } from "./harness.mjs";

let gateway;
let browser;
let page;
const pageErrors = [];

before(async () => {
  gateway = await startGateway([], { demo: true });
  browser = await launchChromium();
  page = await openConsole(browser, gateway, { width: 1440, height: 900 }, pageErrors);
});

after(async () => {
  await browser?.close();
  await gateway?.stop();
});

test("/ finds an endpoint: the filter narrows the list, Enter opens the first match", async () => {
  await page.locator("body").click({ position: { x: 700, y: 5 } });
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "endpoint-filter");
  assert.match(await page.textContent("#endpoint-count"), /^33 endpoints$/);
  await page.keyboard.type("totp");
  await page.waitForFunction(() => /^1 of 33 endpoints$/.test(document.querySelector("#endpoint-count").textContent));
  const visible = await page.$$eval("a.endpoint-link", (links) => links.filter((a) => a.offsetParent !== null).map((a) => a.getAttribute("href")));
  assert.deepEqual(visible, ["#/try/members.delete_totp"]);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => location.hash === "#/try/members.delete_totp");
  await page.waitForFunction(() => document.activeElement?.id === "endpoint-title");
  await page.fill("#endpoint-filter", "oauth google");
  await page.waitForFunction(() => /^1 of 33/.test(document.querySelector("#endpoint-count").textContent));
  await page.press("#endpoint-filter", "Escape");
  await page.waitForFunction(() => /^33 endpoints$/.test(document.querySelector("#endpoint-count").textContent));
});

test("an example fills the form and answers against the demo as it stands", async () => {
  await page.evaluate(() => (location.hash = "#/try/members.update"));
  await page.waitForFunction(() => location.hash === "#/try/members.update");
  await page.click("#fill-example");
  assert.equal(await page.inputValue("#p-organization_id"), "acme-corp");
  assert.equal(await page.inputValue("#p-member_id"), "emp-bob");
  assert.match(await page.textContent("#problem-summary"), /No problems found/);
  const count = await page.locator(".history li").count();
  await page.click("#send");
  await page.waitForFunction((count) => document.querySelectorAll(".history li").length > count, count);
  assert.match(await page.textContent("#response-status"), /^200/);
  const body = JSON.parse(await page.textContent("#response-body"));
  assert.equal(body.member.email_address, "bob@acme.test");
  assert.ok(body.member.roles.some((role) => role.role_id === "approver"));
  // A search's query names the filters it takes.
  await page.evaluate(() => (location.hash = "#/try/members.search"));
  await page.waitForSelector("#d-query");
  const filters = await page.$$eval("#d-query code", (codes) => codes.map((c) => c.textContent));
  assert.ok(filters.includes("statuses") && filters.includes("member_roles"), filters.join(" "));
});

test("the playground shows the demo organization by its slug", async () => {
  await page.evaluate(() => (location.hash = "#/playground"));
  await page.click("#load-project");
  await page.waitForFunction(() => document.querySelector("#project-policy").value.includes("invoices"));
  await page.fill("#organization-id", "acme-corp");
  await page.click("#load-organization");
  await page.waitForFunction(() => /Loaded its 4 members\./.test(document.querySelector("#playground-status").textContent));
  // Carol (accountant + approver) may approve invoices through her custom role.
  const carol = await page.$eval("#member-select", (select) => [...select.options].find((o) => o.textContent.startsWith("carol@")).value);
  await page.selectOption("#member-select", carol);
  const cell = page.locator('#matrix button[data-resource="invoices"][data-action="approve"]');
  assert.equal(await cell.getAttribute("data-allowed"), "true");
  assert.match(await cell.getAttribute("aria-label"), /approver \(organization custom role\)/);
});

test("the role editor edits the draft one role at a time, and the diff follows", async () => {
  // The demo's acme-corp is loaded (previous test): its one custom role.
  assert.equal(await page.inputValue("#role-0-id"), "approver");
  await page.click("#add-role");
  await page.waitForSelector("#role-1-id");
  assert.equal(await page.inputValue("#role-1-id"), "custom-role");
  await page.fill("#role-1-id", "publisher");
  await page.fill("#role-1-description", "Publishes documents");
  const card = page.locator("li.role-card").nth(1);
  const box = (resource, action) => card.locator(`input[data-resource="${resource}"][data-action="${action}"]`);
  // Each resource opens with its actions (a disclosure per resource).
  await card.locator("summary", { hasText: "documents" }).click();
  await card.locator("summary", { hasText: "reports" }).click();
  await box("documents", "read").check();
  await box("documents", "share").check();
  let draft = JSON.parse(await page.inputValue("#organization-policy"));
  assert.deepEqual(draft.roles[1], {
    role_id: "publisher",
    description: "Publishes documents",
    permissions: [{ resource_id: "documents", actions: ["read", "share"] }],
  });
  // `*` replaces the resource's actions; an action then takes its place.
  await box("reports", "*").check();
  draft = JSON.parse(await page.inputValue("#organization-policy"));
  assert.deepEqual(draft.roles[1].permissions[1], { resource_id: "reports", actions: ["*"] });
  await box("reports", "*").uncheck();
  draft = JSON.parse(await page.inputValue("#organization-policy"));
  assert.equal(draft.roles[1].permissions.length, 1);
  // The diff sees the new role before anything is saved.
  await page.waitForFunction(() => /publisher added/.test(document.querySelector("#diff").textContent));
  // The JSON editor and the role editor are one draft.
  draft.roles[1].role_id = "publisher-2";
  await page.fill("#organization-policy", JSON.stringify(draft));
  await page.waitForFunction(() => document.querySelector("#role-1-id").value === "publisher-2");
  await page.click("#role-1-delete");
  await page.waitForFunction(() => !document.querySelector("#role-1-id"));
  await page.waitForFunction(() => /No change/.test(document.querySelector("#diff").textContent));
});

/** The Browse row of an organization, turning to the page that holds it. */
async function rowFor(slug) {
  const row = () => page.locator("#organizations-table tbody tr", { hasText: slug });
  if (!(await page.isDisabled("#organizations-previous"))) {
    await page.click("#organizations-previous");
    await page.waitForFunction(() => /^1–20/.test(document.querySelector("#organizations-range").textContent));
  }
  if ((await row().count()) === 0) {
    await page.click("#organizations-next");
    await page.waitForFunction(() => /^21–23/.test(document.querySelector("#organizations-range").textContent));
  }
  assert.equal(await row().count(), 1, slug);
  return row();
}

test("browse: organizations a page at a time, their members, and the ways on", async () => {
  // More organizations than one page holds.
  for (let i = 0; i < 20; i++) {
    await gateway.api("POST", "/v1/b2b/organizations", { organization_name: `Tenant ${i}`, organization_slug: `tenant-${String(i).padStart(2, "0")}` });
  }
  await page.click('nav.views a[href="#/browse"]');
  await page.waitForFunction(() => /^1–20 of 23 organizations$/.test(document.querySelector("#organizations-range").textContent));
  assert.equal(await page.locator("#organizations-table tbody tr").count(), 20);
  assert.ok(await page.isDisabled("#organizations-previous"));
  await page.click("#organizations-next");
  await page.waitForFunction(() => /^21–23 of 23 organizations$/.test(document.querySelector("#organizations-range").textContent));
  assert.ok(await page.isDisabled("#organizations-next"));
  const secondPage = await page.$$eval("#organizations-table tbody th", (cells) => cells.map((c) => c.textContent));
  await page.click("#organizations-previous");
  await page.waitForFunction(() => /^1–20 of 23/.test(document.querySelector("#organizations-range").textContent));
  const firstPage = await page.$$eval("#organizations-table tbody th", (cells) => cells.map((c) => c.textContent));
  assert.deepEqual([...firstPage, ...secondPage].sort().length, 23);
  assert.equal(new Set([...firstPage, ...secondPage]).size, 23, "no organization on two pages");
  // An organization's members (on whichever page its id sorts to).
  await (await rowFor("acme-corp")).locator("button.open-members").click();
  await page.waitForFunction(() => /^1–4 of 4 members$/.test(document.querySelector("#members-range")?.textContent ?? ""));
  await page.waitForFunction(() => document.activeElement?.id === "members-title");
  // A member into a Try-it form: both ids filled, and the pickers offer ids.
  await page.locator("#members-table tbody tr", { hasText: "carol@acme.test" }).locator("button.use-member").click();
  await page.waitForFunction(() => location.hash === "#/try/members.update");
  assert.match(await page.inputValue("#p-organization_id"), /^organization-test-/);
  assert.match(await page.inputValue("#p-member_id"), /^member-test-/);
  assert.equal(await page.getAttribute("#p-member_id", "list"), "ids-member_id");
  await page.waitForFunction(() => document.querySelectorAll("#ids-member_id option").length === 4);
  await page.waitForFunction(() => document.querySelectorAll("#ids-organization_id option").length >= 23);
  const carol = await page.$$eval("#ids-member_id option", (options) => options.map((o) => o.textContent));
  assert.ok(carol.includes("carol@acme.test"), carol.join(" "));
  // An organization's policy: the playground loads it.
  await page.click('nav.views a[href="#/browse"]');
  await (await rowFor("globex")).locator("button.open-policy").click();
  await page.waitForFunction(() => location.hash === "#/playground");
  await page.waitForFunction(() => /Globex.*Loaded its 3 members\./.test(document.querySelector("#playground-status").textContent));
});

test("no page errors along the way", () => {
  assert.deepEqual(pageErrors, []);
});
