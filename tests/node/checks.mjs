// Registers the results of a table of checks (tests/js/checks.mjs) as
// node:test tests: one that the table ran (at least 8 checks), then one
// per check. `where` names the browser they ran in, if not in Node.
import { test } from "node:test";
import assert from "node:assert/strict";

export function testChecks(kind, results, where = null) {
  test(`every ${kind} check ran${where === null ? "" : ` in ${where}`}`, () => {
    assert.ok(results.length >= 8, `only ${results.length} ${kind} checks`);
  });
  const prefix = where === null ? "" : `${where.toLowerCase()}: `;
  for (const result of results) {
    test(`${prefix}${kind}: ${result.name}`, () => {
      assert.deepEqual(result.failures, []);
    });
  }
}
