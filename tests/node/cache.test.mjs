// The string API's cache in Node (the `nodejs` build); see tests/js/cache.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCacheChecks } from "../js/cache.mjs";
import { loadPackage } from "./corpus.mjs";

const results = runCacheChecks(loadPackage());

test("every cache check ran", () => {
  assert.ok(results.length >= 8, `only ${results.length} cache checks`);
});

for (const result of results) {
  test(`cache: ${result.name}`, () => {
    assert.deepEqual(result.failures, []);
  });
}
