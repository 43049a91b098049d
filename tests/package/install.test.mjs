// The packed tarball, installed into a fresh project, used the way users
// use it: ESM and CommonJS in Node, the `web` build from a page in Chromium.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { packageDir } from "../node/corpus.mjs";
import { CHECKS, EXPECTED_CHECKS, installTarball } from "./consumer.mjs";
import { launchChromium, startServer } from "../browser/harness.mjs";

const { project, tarball, remove } = installTarball("orgpolicy-consumer-");
after(remove);

const USE = `${CHECKS}
  const result = [...checks, validatePolicy({ roles: [{ role_id: "" }] }).errors[0].code];
`;
const EXPECTED = JSON.stringify([...EXPECTED_CHECKS, "empty_rbac_role_id"]);

test("the tarball ships both modules in the three builds and nothing else", () => {
  const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean).sort();
  for (const dir of ["web", "bundler", "node"]) {
    for (const module of ["orgpolicy", "orgpolicy_tools"]) {
      assert.ok(listing.includes(`package/${dir}/${module}_bg.wasm`), `${dir}/${module} in ${listing}`);
      assert.ok(listing.includes(`package/${dir}/${module}.d.ts`), `${dir}/${module} types`);
    }
    assert.ok(listing.some((path) => path.startsWith(`package/${dir}/snippets/`) && path.endsWith("/js/orgpolicy.js")), `${dir} snippet`);
  }
  assert.ok(
    listing.every((path) => /^package\/(web|bundler|node|react|bin)\/|^package\/(package\.json|README\.md|LICENSE-MIT|LICENSE-APACHE)$/.test(path)),
    listing.join("\n"),
  );
  // No source maps, no tests; each build says its module kind.
  assert.ok(!listing.some((path) => /\.map$|test/.test(path)), listing.join("\n"));
  for (const file of ["LICENSE-MIT", "LICENSE-APACHE", "web/package.json", "bundler/package.json", "node/package.json", "react/index.js", "react/index.d.ts", "bin/orgpolicy-types.js"]) {
    assert.ok(listing.includes(`package/${file}`), file);
  }
});

test("the web build's snippet is minified, and exports what the readable one does", async () => {
  const snippetOf = (dir) => {
    const [hash] = readdirSync(join(packageDir, dir, "snippets"), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    return join(packageDir, dir, "snippets", hash.name, "js", "orgpolicy.js");
  };
  const [web, readable] = [snippetOf("web"), snippetOf("bundler")];
  const [webText, readableText] = [readFileSync(web, "utf8"), readFileSync(readable, "utf8")];
  assert.ok(!/^\s*\/\//m.test(webText), "no line comments in the web build's snippet");
  assert.ok(webText.length < readableText.length * 0.6, `${webText.length} bytes against ${readableText.length}`);
  const names = async (file) => Object.keys(await import(pathToFileURL(file).href)).sort();
  const exported = await names(web);
  assert.deepEqual(exported, await names(readable));
  assert.ok(exported.includes("Session"), exported.join(", "));
});

const bin = (name) => join(packageDir, "..", "..", "..", "node_modules", ".bin", name);
const run = (program, args) => {
  try {
    return { code: 0, out: execFileSync(program, args, { cwd: packageDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (error) {
    return { code: error.status, out: `${error.stdout}${error.stderr}` };
  }
};

test("publint, strict, finds nothing to say", () => {
  const { code, out } = run(bin("publint"), ["--strict"]);
  assert.equal(code, 0, out);
  assert.match(out, /All good!/);
});

test("are-the-types-wrong finds no problem for Node 16+ and bundlers", () => {
  // The wasm files are assets, not modules; `orgpolicy/web` is ES modules
  // only by design (browsers and edge runtimes), while the root entry
  // serves CommonJS.
  const { code, out } = run(bin("attw"), [
    "--pack",
    ".",
    "--profile",
    "node16",
    "--exclude-entrypoints",
    "./web/orgpolicy_bg.wasm",
    "./web/orgpolicy_tools_bg.wasm",
    "--ignore-rules",
    "cjs-resolves-to-esm",
  ]);
  assert.equal(code, 0, out);
});

test("npm publish --dry-run runs clean", () => {
  // Against a loopback registry that is never reached: only the dry run's
  // note that nobody is logged in may be a warning.
  const result = spawnSync("npm", ["publish", "--dry-run", "--ignore-scripts", "--registry", "http://127.0.0.1:9/"], {
    cwd: packageDir,
    encoding: "utf8",
  });
  assert.equal(result.status, 0, result.stderr);
  const warnings = result.stderr.split("\n").filter((line) => /npm (warn|error|ERR)/i.test(line));
  assert.ok(warnings.every((line) => /requires you to be logged in/.test(line)), warnings.join("\n"));
  assert.match(result.stderr, /total files: \d+/);
});

test("ESM import in Node", () => {
  writeFileSync(join(project, "esm.mjs"), `import { Engine } from "orgpolicy";\nimport { validatePolicy } from "orgpolicy/tools";\n${USE}\nconsole.log(JSON.stringify(result));`);
  assert.equal(execFileSync("node", ["esm.mjs"], { cwd: project, encoding: "utf8" }).trim(), EXPECTED);
});

test("CommonJS require in Node", () => {
  writeFileSync(join(project, "cjs.cjs"), `const { Engine } = require("orgpolicy");\nconst { validatePolicy } = require("orgpolicy/tools");\n${USE}\nconsole.log(JSON.stringify(result));`);
  assert.equal(execFileSync("node", ["cjs.cjs"], { cwd: project, encoding: "utf8" }).trim(), EXPECTED);
});

test("the web build from a page in Chromium", async () => {
  const installed = join(project, "node_modules", "orgpolicy");
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>consumer</title></head><body><script type="module">
    import init, { Engine } from "/orgpolicy/web/orgpolicy.js";
    import initTools, { validatePolicy } from "/orgpolicy/web/orgpolicy_tools.js";
    await init();
    await initTools();
    ${USE}
    document.body.dataset.result = JSON.stringify(result);
  </script></body></html>`;
  const { server, origin } = await startServer({ pages: { "/": page }, mounts: { "/orgpolicy/": installed } });
  const browser = await launchChromium();
  try {
    const tab = await browser.newPage();
    const errors = [];
    tab.on("pageerror", (error) => errors.push(String(error)));
    await tab.goto(`${origin}/`);
    await tab.waitForFunction(() => document.body.dataset.result !== undefined, null, { timeout: 30_000 });
    assert.equal(await tab.evaluate(() => document.body.dataset.result), EXPECTED);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});
