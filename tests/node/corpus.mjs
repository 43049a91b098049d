// Loads the scenario corpus from disk (Node only).
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const packageDir = join(root, "target", "npm", "orgpolicy");

/** Both modules of the package's `nodejs` build, as one object. */
export function loadPackage() {
  const require = createRequire(import.meta.url);
  return {
    ...require(join(packageDir, "node", "orgpolicy.js")),
    ...require(join(packageDir, "node", "orgpolicy_tools.js")),
  };
}

export function loadCorpus() {
  const dir = join(root, "tests", "scenarios");
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((file) => ({ file, scenario: JSON.parse(readFileSync(join(dir, file), "utf8")) }));
}

export function countCases(corpus) {
  return corpus.reduce((sum, { scenario }) => sum + scenario.cases.length, 0);
}
