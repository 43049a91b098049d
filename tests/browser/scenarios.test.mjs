// The scenario corpus through the npm package's `web` build in headless
// Chromium. Every case the corpus holds must have run in the page.
import { after, test } from "node:test";
import assert from "node:assert/strict";
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
const { userAgent, results } = await page.evaluate(async (corpus) => {
  const api = await import("/pkg/web/orgpolicy_wasm.js");
  await api.default({ module_or_path: "/pkg/web/orgpolicy_wasm_bg.wasm" });
  const { runScenarios } = await import("/js/scenarios.mjs");
  return { userAgent: navigator.userAgent, results: runScenarios(api, corpus) };
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
