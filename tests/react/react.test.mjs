// orgpolicy/react from the packed tarball: rendered on the server in Node,
// hydrated in Chromium without a mismatch, and re-rendering only the
// components whose answer changed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { root } from "../node/corpus.mjs";
import { launchChromium, startServer } from "../browser/harness.mjs";
import { installTarball } from "../package/consumer.mjs";

const here = join(root, "tests", "react");
const consumer = installTarball("orgpolicy-react-");
const installed = join(consumer.project, "node_modules", "orgpolicy");
after(consumer.remove);
// The user's React: this repository's pinned copy, linked into the project.
for (const name of ["react", "react-dom", "scheduler"]) {
  symlinkSync(join(root, "node_modules", name), join(consumer.project, "node_modules", name), "dir");
}

// The app's sources live in the consumer project, as a user's would.
for (const file of ["app.mjs", "hydrate.mjs", "server.mjs", "client.mjs", "session-client.mjs"]) {
  copyFileSync(join(here, file), join(consumer.project, file));
}

/** Bundles the page's entry from the consumer project. */
async function bundle(entry) {
  const out = join(consumer.project, "client.bundle.js");
  await esbuild.build({
    entryPoints: [join(consumer.project, entry)],
    bundle: true,
    format: "esm",
    platform: "browser",
    outfile: out,
    absWorkingDir: consumer.project,
    logLevel: "silent",
    define: { "process.env.NODE_ENV": '"production"' },
  });
  return out;
}

let ssr;
const SUBJECT = { organization_id: "org-1", roles: ["reader", "approver"] };

before(async () => {
  ssr = await import(pathToFileURL(join(consumer.project, "server.mjs")).href);
});

test("the server renders every answer, and says loading before an engine", () => {
  const html = ssr.render(SUBJECT);
  for (const text of ["read: allowed", "write: denied", "approve: allowed", "3 granted", "invoices"]) {
    assert.ok(html.includes(text), `${text} in ${html}`);
  }
  const empty = ssr.renderWithoutEngine();
  for (const text of ["read: loading", "write: loading", "no invoices"]) {
    assert.ok(empty.includes(text), `${text} in ${empty}`);
  }
  assert.ok(!empty.includes("denied"), "never a silent false before the policy is loaded");
});

/**
 * Serves the server's HTML with `entry` as the page's script, opens it in
 * Chromium and runs `steps(tab, problems)`; `problems` collects page errors
 * and console errors and warnings.
 */
async function withHydratedPage(rendered, entry, steps) {
  const script = readFileSync(await bundle(entry), "utf8");
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>react</title></head>
<body><div id="root">${rendered.html}</div><script>window.AUTHORIZATION = ${JSON.stringify(rendered.state)};</script><script type="module" src="/client.js"></script></body></html>`;
  const { server, origin } = await startServer({
    pages: { "/": page, "/client.js": script },
    mounts: { "/wasm/": join(installed, "web") },
  });
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    const problems = [];
    tab.on("pageerror", (error) => problems.push(String(error)));
    tab.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(message.text());
    });
    await tab.goto(`${origin}/`);
    await tab.waitForFunction(() => window.hydrated === true, null, { timeout: 30_000 });
    // Hydrated from the server's answers, before the module loaded.
    assert.equal(await tab.evaluate(() => document.getElementById("approve").textContent), "approve: allowed");
    await tab.waitForFunction(() => window.engineReady === true, null, { timeout: 30_000 });
    assert.deepEqual(await tab.evaluate(() => window.recoverable), [], "no hydration mismatch");
    assert.deepEqual(problems, []);
    await steps(tab, problems);
  } finally {
    await browser.close();
    server.close();
  }
}

const renders = (tab) => tab.evaluate(() => ({ ...globalThis.renders }));

test("the client hydrates the server's HTML without a mismatch and re-renders only what changed", async () => {
  const rendered = ssr.renderWithState(SUBJECT);
  assert.equal(rendered.state.decisions["invoices\u0000approve"], true);
  await withHydratedPage(rendered, "client.mjs", async (tab, problems) => {
    // The engine's arrival changes no answer, so nothing re-rendered.
    assert.deepEqual(await renders(tab), { read: 1, write: 1, approve: 1, count: 1 });
    // Reader and approver become a writer: `read` keeps its answer and does not re-render.
    await tab.evaluate(() => window.store.setSubject({ organization_id: "org-1", roles: ["writer"] }));
    await tab.waitForFunction(() => document.getElementById("count").textContent === "2 granted");
    assert.equal(await tab.evaluate(() => document.getElementById("write").textContent), "write: allowed");
    assert.deepEqual(await renders(tab), { read: 1, write: 2, approve: 2, count: 2 });
    // An organization policy change reaches the hooks through the store.
    await tab.evaluate(() =>
      window.store.update((engine) =>
        engine.setOrganizationPolicy("org-1", { roles: [{ role_id: "writer", permissions: [{ resource_id: "invoices", actions: ["read"] }] }] }),
      ),
    );
    await tab.waitForFunction(() => document.getElementById("count").textContent === "3 granted");
    assert.deepEqual(await renders(tab), { read: 1, write: 2, approve: 2, count: 3 }, "unchanged answers render nothing");
    assert.deepEqual(problems, []);
  });
});

test("a session-backed store: loading until the policy is attached, then the session's answers", async () => {
  // On the server: a session whose policy is not attached says loading, never denied.
  const unattached = ssr.renderWithSession(SUBJECT, { attached: false });
  for (const text of ["read: loading", "approve: loading", "no invoices"]) {
    assert.ok(unattached.html.includes(text), `${text} in ${unattached.html}`);
  }
  assert.ok(!unattached.html.includes("denied"));
  const rendered = ssr.renderWithSession(SUBJECT, { attached: true });
  for (const text of ["read: allowed", "write: denied", "approve: allowed", "3 granted"]) {
    assert.ok(rendered.html.includes(text), `${text} in ${rendered.html}`);
  }
  assert.deepEqual(rendered.state.subject, SUBJECT, "the session's member is the subject handed over");
  await withHydratedPage(rendered, "session-client.mjs", async (tab, problems) => {
    // A session created before the policy, then attached: no answer changed.
    assert.deepEqual(await tab.evaluate(() => window.states), ["policy_not_loaded", "ready"]);
    assert.deepEqual(await renders(tab), { read: 1, write: 1, approve: 1, count: 1 });
    // A new session for the member's new roles re-renders only what changed.
    await tab.evaluate(() => window.changeRoles(["writer"]));
    await tab.waitForFunction(() => document.getElementById("count").textContent === "2 granted");
    assert.equal(await tab.evaluate(() => document.getElementById("write").textContent), "write: allowed");
    assert.deepEqual(await renders(tab), { read: 1, write: 2, approve: 2, count: 2 });
    // The organization's custom roles, attached through the store, reach the hooks.
    await tab.evaluate(() => window.attachCustomRoles([{ role_id: "writer", permissions: [{ resource_id: "invoices", actions: ["read"] }] }]));
    await tab.waitForFunction(() => document.getElementById("count").textContent === "3 granted");
    assert.deepEqual(await renders(tab), { read: 1, write: 2, approve: 2, count: 3 }, "unchanged answers render nothing");
    // Signed out: loading again, not denied.
    await tab.evaluate(() => window.store.setSession(null));
    await tab.waitForFunction(() => document.getElementById("read").textContent === "read: loading");
    assert.deepEqual(problems, []);
  });
});
