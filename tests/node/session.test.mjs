// `Session` in Node (the `nodejs` build); see tests/js/session.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { runSessionChecks } from "../js/session.mjs";
import { loadPackage } from "./corpus.mjs";

const results = runSessionChecks(loadPackage());

test("every session check ran", () => {
  assert.ok(results.length >= 8, `only ${results.length} session checks`);
});

for (const result of results) {
  test(`session: ${result.name}`, () => {
    assert.deepEqual(result.failures, []);
  });
}
