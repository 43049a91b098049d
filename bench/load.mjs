// One load of the workload in a fresh Node process, printed in ms: the
// first load a server or page pays (the module's code not yet optimised,
// its memory not yet grown). `node bench/load.mjs wasm|js`; bench/node.mjs
// runs it in child processes.
import { createRequire } from "node:module";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { JsChecker } from "./checker.mjs";
import { workloadLoaders } from "./kinds.mjs";
import { policyTexts } from "./workload.mjs";
import { packageDir } from "../tests/node/corpus.mjs";

const { policyText, organizationsText } = policyTexts();
let start;
if (process.argv[2] === "wasm") {
  const { Engine } = createRequire(import.meta.url)(join(packageDir, "node", "orgpolicy.js"));
  const { loadEngine } = workloadLoaders({ Engine, JsChecker, policyText, organizationsText });
  start = performance.now();
  loadEngine();
} else {
  const { newChecker } = workloadLoaders({ Engine: null, JsChecker, policyText, organizationsText });
  start = performance.now();
  newChecker();
}
console.log((performance.now() - start).toFixed(2));
