// A small app importing the installed package, built by esbuild, Vite and
// webpack 5 the way each one's users build it, and loaded in Chromium: each
// build must answer a real check.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { launchChromium, startServer } from "../browser/harness.mjs";
import { CHECKS, EXPECTED_CHECKS, installTarball } from "./consumer.mjs";

const consumer = installTarball("orgpolicy-bundlers-");
after(consumer.remove);
const project = consumer.project;

const CHECKS_SHOWN = `${CHECKS}\n  document.body.dataset.result = JSON.stringify(checks);\n`;
const EXPECTED = JSON.stringify(EXPECTED_CHECKS);
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
async function answerOf(dir) {
  const { server, origin } = await startServer({
    pages: { "/": readFileSync(join(dir, "index.html"), "utf8") },
    mounts: { "/": dir },
  });
  const tab = await browser.newPage();
  const errors = [];
  tab.on("pageerror", (error) => errors.push(String(error)));
  try {
    await tab.goto(`${origin}/`);
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
    `import init, { Engine } from "orgpolicy/web";\nimport wasm from "orgpolicy/web/orgpolicy_bg.wasm";\nawait init({ module_or_path: new URL(wasm, import.meta.url) });\n${CHECKS_SHOWN}`,
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
    `import init, { Engine } from "orgpolicy/web";\nimport wasm from "orgpolicy/web/orgpolicy_bg.wasm?url";\nawait init({ module_or_path: wasm });\n${CHECKS_SHOWN}`,
  );
  await build({ root, logLevel: "silent", build: { outDir: join(root, "dist"), target: "es2022" } });
  assert.equal(await answerOf(join(root, "dist")), EXPECTED);
});

test("webpack 5: the default (bundler) build, with async WebAssembly", async () => {
  const { default: webpack } = await import("webpack");
  const dir = join(project, "webpack-app");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(project, "webpack-main.js"), `import { Engine } from "orgpolicy";\n${CHECKS_SHOWN}`);
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
