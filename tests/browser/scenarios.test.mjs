// The scenario corpus through the npm package's `web` build in headless
// Chromium, the string API's cache checks (tests/js/cache.mjs) and the
// session checks (tests/js/session.mjs). Every case the corpus holds must
// have run in the page.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { testChecks } from "../node/checks.mjs";
import { countCases, loadCorpus } from "../node/corpus.mjs";
import { launchChromium, startServer } from "./harness.mjs";

const corpus = loadCorpus();
const { server, origin } = await startServer();
const browser = await launchChromium();
after(async () => {
  await browser.close();
  server.close();
});

const page = await browser.newPage();
const pageErrors = [];
page.on("pageerror", (error) => pageErrors.push(String(error)));
page.on("console", (message) => {
  if (message.type() === "error") pageErrors.push(message.text());
});
await page.goto(origin + "/");
const { userAgent, results, cacheResults, sessionResults } = await page.evaluate(async (corpus) => {
  const runtime = await import("/pkg/web/orgpolicy.js");
  await runtime.default({ module_or_path: "/pkg/web/orgpolicy_bg.wasm" });
  const tools = await import("/pkg/web/orgpolicy_tools.js");
  await tools.default({ module_or_path: "/pkg/web/orgpolicy_tools_bg.wasm" });
  const { runScenarios } = await import("/js/scenarios.mjs");
  const { runCacheChecks } = await import("/js/cache.mjs");
  const { runSessionChecks } = await import("/js/session.mjs");
  const { default: _runtimeInit, ...runtimeExports } = runtime;
  const { default: _toolsInit, ...toolsExports } = tools;
  const api = { ...runtimeExports, ...toolsExports };
  return { userAgent: navigator.userAgent, results: runScenarios(api, corpus), cacheResults: runCacheChecks(api), sessionResults: runSessionChecks(api) };
}, corpus);

test("the whole corpus ran in Chromium", () => {
  assert.match(userAgent, /Chrome\//);
  assert.equal(results.length, countCases(corpus));
  assert.deepEqual(pageErrors, []);
});

for (const result of results) {
  test(`chromium: ${result.file} / ${result.name}`, () => {
    assert.deepEqual(result.failures, []);
  });
}

testChecks("cache", cacheResults, "Chromium");
testChecks("session", sessionResults, "Chromium");
