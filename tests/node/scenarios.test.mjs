// The scenario corpus through the npm package in Node (the `nodejs` build).
import { test } from "node:test";
import assert from "node:assert/strict";
import { runScenarios } from "../js/scenarios.mjs";
import { countCases, loadCorpus, loadPackage } from "./corpus.mjs";

const api = loadPackage();
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
