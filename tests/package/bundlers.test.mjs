// A small app importing the installed package, built by esbuild, Vite and
// webpack 5 the way each one's users build it, and loaded in Chromium: each
// build must answer a real check.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { extname, join, normalize } from "node:path";
import * as esbuild from "esbuild";
import { launchChromium } from "../browser/harness.mjs";
import { installTarball } from "./consumer.mjs";

const consumer = installTarball("orgpolicy-bundlers-");
after(consumer.remove);
const project = consumer.project;

const POLICY = JSON.stringify({
  resources: [{ resource_id: "documents", actions: ["read", "write"] }],
  roles: [{ role_id: "reader", permissions: [{ resource_id: "documents", actions: ["read"] }] }],
});
const CHECKS = `
  const engine = Engine.load(${POLICY}).engine;
  const subject = { organization_id: "org-1", roles: ["reader"] };
  document.body.dataset.result = JSON.stringify([
    engine.isAuthorized(subject, { organization_id: "org-1", resource_id: "documents", action: "read" }),
    engine.isAuthorized(subject, { organization_id: "org-1", resource_id: "documents", action: "write" }),
    engine.authorize(subject, { organization_id: "org-2", resource_id: "documents", action: "read" }).errorType,
  ]);
`;
const EXPECTED = '[true,false,"tenancy_mismatch"]';
const page = (script) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>app</title></head><body><script type="module" src="${script}"></script></body></html>`;

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/** Serves a build's directory on loopback and reads the page's answer. */
async function answerOf(dir, entry = "/index.html") {
  const server = http.createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url, "http://127.0.0.1").pathname));
    try {
      const body = readFileSync(join(dir, path === "/" ? entry : path));
      const type = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" }[extname(path === "/" ? entry : path)];
      response.writeHead(200, { "content-type": type ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const tab = await browser.newPage();
  const errors = [];
  tab.on("pageerror", (error) => errors.push(String(error)));
  try {
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => document.body.dataset.result !== undefined, null, { timeout: 30_000 });
    assert.deepEqual(errors, []);
    return await tab.evaluate(() => document.body.dataset.result);
  } finally {
    await tab.close();
    server.close();
  }
}

test("esbuild: the web build, its wasm emitted as a file", async () => {
  const dir = join(project, "esbuild-app");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(project, "esbuild-main.js"),
    `import init, { Engine } from "orgpolicy/web";\nimport wasm from "orgpolicy/web/orgpolicy_bg.wasm";\nawait init({ module_or_path: new URL(wasm, import.meta.url) });\n${CHECKS}`,
  );
  await esbuild.build({
    entryPoints: [join(project, "esbuild-main.js")],
    bundle: true,
    format: "esm",
    platform: "browser",
    outfile: join(dir, "main.js"),
    loader: { ".wasm": "file" },
    absWorkingDir: project,
    logLevel: "silent",
  });
  writeFileSync(join(dir, "index.html"), page("/main.js"));
  assert.equal(await answerOf(dir), EXPECTED);
});

test("Vite: the web build, its wasm as an asset URL", async () => {
  const { build } = await import("vite");
  const root = join(project, "vite-app");
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "index.html"), page("/main.js"));
  writeFileSync(
    join(root, "main.js"),
    `import init, { Engine } from "orgpolicy/web";\nimport wasm from "orgpolicy/web/orgpolicy_bg.wasm?url";\nawait init({ module_or_path: wasm });\n${CHECKS}`,
  );
  await build({ root, logLevel: "silent", build: { outDir: join(root, "dist"), target: "es2022" } });
  assert.equal(await answerOf(join(root, "dist")), EXPECTED);
});

test("webpack 5: the default (bundler) build, with async WebAssembly", async () => {
  const { default: webpack } = await import("webpack");
  const dir = join(project, "webpack-app");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(project, "webpack-main.js"), `import { Engine } from "orgpolicy";\n${CHECKS}`);
  const stats = await new Promise((resolve, reject) =>
    webpack(
      {
        mode: "production",
        context: project,
        entry: "./webpack-main.js",
        output: { path: dir, filename: "main.js", publicPath: "/" },
        experiments: { asyncWebAssembly: true },
        target: "web",
        performance: { hints: false },
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
  writeFileSync(join(dir, "index.html"), page("/main.js"));
  assert.equal(await answerOf(dir), EXPECTED);
});
