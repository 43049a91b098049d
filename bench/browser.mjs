// The package's `web` build in headless Chromium against the plain-JS
// checker in the same page, on the standard workload: loading and
// `isAuthorized` by kind (bench/kinds.mjs, shared with the Node bench).
// `cargo xtask bench-browser` builds the package and the workload and
// runs this.
import { join } from "node:path";
import { launchChromium, startServer } from "../tests/browser/harness.mjs";
import { packageDir, root } from "../tests/node/corpus.mjs";
import { kindTable } from "./kinds.mjs";

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>bench</title></head><body>
<script type="module">
import init, { Engine } from "/pkg/web/orgpolicy.js";
import { JsChecker } from "/bench/checker.mjs";
import { kindCases, measureKinds, median, workloadLoaders } from "/bench/kinds.mjs";
try {
  await init({ module_or_path: "/pkg/web/orgpolicy_bg.wasm" });
  const text = (name) => fetch("/workload/" + name).then((answer) => answer.text());
  const policyText = await text("policy.json");
  const organizationsText = JSON.stringify(Object.fromEntries(JSON.parse(await text("organizations.json"))));
  const members = JSON.parse(await text("members.json"));
  const names = JSON.parse(await text("names.json"));
  const quads = new Uint32Array(await (await fetch("/workload/checks.bin")).arrayBuffer());
  const { loadEngine: load, newChecker } = workloadLoaders({ Engine, JsChecker, policyText, organizationsText });
  // The first load in this page, then warm loads each replacing the last.
  let start = performance.now();
  let engine = load();
  const first = performance.now() - start;
  const warm = [];
  for (let i = 0; i < 7; i++) {
    engine.free();
    start = performance.now();
    engine = load();
    warm.push(performance.now() - start);
  }
  const plainLoads = [];
  let js;
  for (let i = 0; i < 7; i++) {
    start = performance.now();
    js = newChecker();
    plainLoads.push(performance.now() - start);
  }
  const { kinds, mixed } = kindCases({ members, names, quads, js });
  const rows = measureKinds({
    engine, js, kinds, mixed,
    loadEngine: load,
    newChecker,
  });
  window.result = { first, warm: median(warm), plainLoad: median(plainLoads), rows, agent: navigator.userAgent };
} catch (error) {
  window.result = { error: String(error && error.stack || error) };
}
</script></body></html>`;

const { server, origin } = await startServer({
  pages: { "/": PAGE },
  mounts: { "/pkg/": packageDir, "/bench/": join(root, "bench"), "/workload/": join(root, "target", "workload") },
});
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => window.result !== undefined, null, { timeout: 600_000 });
  const result = await page.evaluate(() => window.result);
  if (result.error) throw new Error(result.error);
  console.log(result.agent);
  console.log("| measure | npm package | target | plain JS | ratio |");
  console.log("|---|---|---|---|---|");
  console.log(`| load the workload policy (~3.8 MB JSON), warm | ${result.warm.toFixed(1)} ms | <= 40 ms | ${result.plainLoad.toFixed(1)} ms | ${(result.warm / result.plainLoad).toFixed(2)} |`);
  console.log(`| the first load in the page | ${result.first.toFixed(1)} ms | | | |`);
  console.log("");
  console.log(kindTable(result.rows));
} finally {
  await browser.close();
  server.close();
}
