// The `web` build in Vercel's edge runtime (`@edge-runtime/vm`, the
// runtime's own VM: code generation from strings refused), initialised
// synchronously from a precompiled `WebAssembly.Module`: no compile from
// bytes at run time, no `eval`, no `fs`. Edge platforms compile a
// function's wasm at deploy time and hand the module over; this test does
// the same, then makes every compile-from-bytes path throw before the
// package starts, so a check can only answer through `initSync({module})`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EdgeVM } from "@edge-runtime/vm";
import * as esbuild from "esbuild";
import { packageDir } from "../node/corpus.mjs";
import { CHECKS, EXPECTED_CHECKS } from "./consumer.mjs";

const web = join(packageDir, "web");

/** The `web` build as one script (edge functions ship bundles). */
function bundle(entry) {
  return esbuild.buildSync({
    entryPoints: [join(web, entry)],
    bundle: true,
    format: "iife",
    globalName: "orgpolicy",
    write: false,
    logLevel: "silent",
  }).outputFiles[0].text;
}

test("the web build answers a real check in the edge runtime from a precompiled module", () => {
  const vm = new EdgeVM();
  // Deploy time: the platform compiles the module (in the runtime's realm).
  vm.context.POLICY_WASM_BYTES = new Uint8Array(readFileSync(join(web, "orgpolicy_bg.wasm")));
  vm.evaluate("globalThis.POLICY_WASM = new WebAssembly.Module(POLICY_WASM_BYTES); delete globalThis.POLICY_WASM_BYTES;");
  // Run time: compiling from bytes is refused, as edge platforms refuse it.
  vm.evaluate(`
    const refuse = () => { throw new EvalError("Wasm code generation disallowed by embedder"); };
    const Compiled = WebAssembly.Module;
    WebAssembly.Module = new Proxy(Compiled, { construct: refuse, apply: refuse });
    WebAssembly.compile = async () => refuse();
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = (source, imports) =>
      source instanceof Compiled ? instantiate(source, imports) : Promise.reject(new EvalError("Wasm code generation disallowed by embedder"));
  `);
  assert.throws(() => vm.evaluate("new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))"), /disallowed/);
  assert.throws(() => vm.evaluate("eval('1 + 1')"), /Code generation from strings disallowed/);
  assert.equal(vm.evaluate("typeof require"), "undefined", "no require, so no fs");
  vm.evaluate(bundle("orgpolicy.js"));
  const answer = vm.evaluate(`
    orgpolicy.initSync({ module: POLICY_WASM });
    const { Engine } = orgpolicy;
    ${CHECKS}
    JSON.stringify([loaded.type, ...checks]);
  `);
  assert.equal(answer, JSON.stringify(["success", ...EXPECTED_CHECKS]));
});
