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
for (const file of ["app.mjs", "server.mjs", "client.mjs"]) {
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

test("the client hydrates the server's HTML without a mismatch and re-renders only what changed", async () => {
  const script = readFileSync(await bundle("client.mjs"), "utf8");
  const rendered = ssr.renderWithState(SUBJECT);
  assert.equal(rendered.state.decisions["invoices\u0000approve"], true);
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
    // The engine's arrival changes no answer, so nothing re-rendered.
    const first = await tab.evaluate(() => ({ ...globalThis.renders }));
    assert.deepEqual(first, { read: 1, write: 1, approve: 1, count: 1 });
    // Only `write` (and the permission count) change with the writer role.
    await tab.evaluate(() => window.store.setSubject({ organization_id: "org-1", roles: ["writer", "approver"] }));
    await tab.waitForFunction(() => document.getElementById("write").textContent === "write: allowed");
    const second = await tab.evaluate(() => ({ ...globalThis.renders }));
    assert.deepEqual(second, { read: 1, write: 2, approve: 1, count: 2 });
    // An organization policy change reaches the hooks through the store.
    await tab.evaluate(() =>
      window.store.update((engine) =>
        engine.setOrganizationPolicy("org-1", { roles: [{ role_id: "writer", permissions: [{ resource_id: "invoices", actions: ["read"] }] }] }),
      ),
    );
    await tab.waitForFunction(() => document.getElementById("count").textContent !== "5 granted");
    const third = await tab.evaluate(() => ({ ...globalThis.renders }));
    assert.equal(third.read, 1, "unchanged answers render nothing");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
  }
});
