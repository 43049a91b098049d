// The `web` build in Cloudflare's workerd (through miniflare, on loopback):
// the worker imports the package's `.wasm` as a module, which workerd
// compiles when it loads the worker, and initialises the package with
// `initSync({module})`; workerd itself refuses to compile WebAssembly from
// bytes at run time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { Miniflare } from "miniflare";
import { packageDir } from "../node/corpus.mjs";
import { CHECKS, EXPECTED_CHECKS } from "./consumer.mjs";

const web = join(packageDir, "web");
const WORKER = `
import wasm from "./orgpolicy_bg.wasm";
import { initSync, Engine } from "./orgpolicy.js";
initSync({ module: wasm });
export default {
  async fetch() {
    let bytes;
    try {
      new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
      bytes = "compiled";
    } catch (error) {
      bytes = String(error.message);
    }
    ${CHECKS}
    return Response.json({
      checks,
      bytes,
    });
  },
};`;

test("the web build answers a real check in workerd from the module workerd compiled", async () => {
  const bundle = esbuild.buildSync({
    entryPoints: [join(web, "orgpolicy.js")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    write: false,
    logLevel: "silent",
  }).outputFiles[0].text;
  const mf = new Miniflare({
    modules: [
      { type: "ESModule", path: "worker.mjs", contents: WORKER },
      { type: "ESModule", path: "orgpolicy.js", contents: bundle },
      { type: "CompiledWasm", path: "orgpolicy_bg.wasm", contents: readFileSync(join(web, "orgpolicy_bg.wasm")) },
    ],
    compatibilityDate: "2025-01-01",
  });
  try {
    const response = await mf.dispatchFetch("http://localhost/");
    const answer = await response.json();
    assert.deepEqual(answer.checks, EXPECTED_CHECKS);
    assert.match(answer.bytes, /disallowed/i, "workerd refuses to compile from bytes");
  } finally {
    await mf.dispose();
  }
});
