// The package's `orgpolicy-types` bin, installed from the tarball as users
// get it: a project policy in, its permission types out; a policy the
// package's validation refuses, refused with its code and pointer.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "../node/corpus.mjs";
import { installTarball } from "./consumer.mjs";

const consumer = installTarball("orgpolicy-types-");
after(consumer.remove);
const bin = join(consumer.project, "node_modules", ".bin", "orgpolicy-types");
const typed = join(root, "tests", "ts", "typed");
const run = (...args) => spawnSync(bin, args, { cwd: consumer.project, encoding: "utf8" });

test("the generated types are the ones the strict TypeScript consumer compiles against", () => {
  writeFileSync(join(consumer.project, "policy.json"), readFileSync(join(typed, "policy.json")));
  const result = run("policy.json");
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, readFileSync(join(typed, "permissions.d.ts"), "utf8"));
});

test("an invalid policy is refused with the validation's code and pointer; no argument is a usage error", () => {
  writeFileSync(join(consumer.project, "bad.json"), JSON.stringify({ resources: [{ resource_id: "documents", actions: ["read", "read"] }] }));
  const bad = run("bad.json");
  assert.equal(bad.status, 1);
  assert.equal(bad.stdout, "");
  assert.match(bad.stderr, /bad\.json at \/resources\/0\/actions\/1: rbac_action_duplicate/);
  const usage = run();
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /usage: orgpolicy-types/);
  assert.equal(run("missing.json").status, 2);
});
