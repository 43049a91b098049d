// The scenario corpus through the npm package in Node (the `nodejs` build).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { runScenarios } from "../js/scenarios.mjs";
import { countCases, loadCorpus, packageDir } from "./corpus.mjs";

const api = createRequire(import.meta.url)(join(packageDir, "node", "orgpolicy_wasm.js"));
const corpus = loadCorpus();
const results = runScenarios(api, corpus);

test("the whole corpus ran", () => {
  assert.ok(corpus.length >= 8, `only ${corpus.length} scenario files`);
  assert.equal(results.length, countCases(corpus));
});

for (const result of results) {
  test(`${result.file} / ${result.name}`, () => {
    assert.deepEqual(result.failures, []);
  });
}
