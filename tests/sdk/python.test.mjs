// Stytch's official Python SDK (PyPI `stytch`, pinned; installed by
// `cargo xtask test` into target/python-sdk) against the gateway over the
// sandbox. Its answers are pydantic models, so an answer the SDK cannot
// parse fails here; `python_sdk.py` also checks values and error types.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { root } from "../node/corpus.mjs";
import { startGateway } from "../e2e/harness.mjs";

const run = promisify(execFile);
const python = process.env.ORGPOLICY_PYTHON_SDK ?? join(root, "target", "python-sdk", "bin", "python");
const CHECKS = 20;

let gateway;

before(async () => {
  assert.ok(existsSync(python), `no Python with Stytch's SDK at ${python}: run cargo xtask test`);
  gateway = await startGateway();
});

after(async () => {
  await gateway?.stop();
});

test("Stytch's Python SDK parses every answer and sees Stytch's errors", async () => {
  const script = join(root, "tests", "sdk", "python_sdk.py");
  const { stdout } = await run(python, [script, gateway.origin], { timeout: 120_000 }).catch((error) => {
    throw new Error(`the Python SDK failed:\n${error.stdout}\n${error.stderr}`);
  });
  const passed = stdout.split("\n").filter((line) => line.startsWith("ok "));
  assert.equal(passed.length, CHECKS, stdout);
});
