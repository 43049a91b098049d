// Runs a table of named checks against the package's exports, shared by the
// cache and session checks in Node and Chromium:
// runChecks(checks, api) -> [{name, failures}]. Each check is
// `(api, expect) => void`; `expect(label, actual, expected)` records a
// failure when the two differ, and a throw is recorded as one.

export function runChecks(checks, api) {
  return Object.entries(checks).map(([name, run]) => {
    const failures = [];
    const expect = (label, actual, expected) => {
      if (actual !== expected) failures.push(`${label}: expected ${expected}, got ${actual}`);
    };
    try {
      run(api, expect);
    } catch (error) {
      failures.push(String(error && error.stack ? error.stack : error));
    }
    return { name, failures };
  });
}
