// Where a cached same-tenant `isAuthorized` spends its time in Node: the
// same checks through cumulative pieces of its path, each piece timed over
// all of them (fastest and median of 15 rounds, rounds interleaved).
//
//   node bench/pieces.mjs [kind]     (kind: allowed, denied, ... as in bench/kinds.mjs)
//
// The pieces read the engine's own cache (registered under
// Symbol.for("orgpolicy.cache")) and call its numbers-only `_checkCached`,
// so each row adds one step of the real path to the row above:
//   touch      what any checker must read: the subject's organization,
//              the check, the roles array and its first role
//   +permission  the permission's two property reads
//   +WeakMap   the probe on the roles array
//   +entry     the identity entry's organization, count and first role
//   +call, one row  the call into wasm with the same row every time
//   +call      the call into wasm with the subject's own row
//   lookup     the snippet's whole `lookup` (every role compared, every
//              type checked), without the call
//   isAuthorized  the engine's method
// Run `cargo xtask bench-node` first (it builds the package and the workload).
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { JsChecker } from "./checker.mjs";
import { kindCases, median, workloadLoaders } from "./kinds.mjs";
import { readWorkload } from "./workload.mjs";
import { packageDir } from "../tests/node/corpus.mjs";

const ROUNDS = 15;
const kind = process.argv[2] ?? "allowed";
const api = createRequire(import.meta.url)(join(packageDir, "node", "orgpolicy.js"));
const snippets = join(packageDir, "node", "snippets");
const [snippetDir] = readdirSync(snippets, { withFileTypes: true }).filter((entry) => entry.isDirectory());
const { lookup } = await import(pathToFileURL(join(snippets, snippetDir.name, "js", "orgpolicy.js")).href);

const { policyText, organizationsText, members, names, quads } = readWorkload();

const engine = workloadLoaders({ Engine: api.Engine, JsChecker, policyText, organizationsText }).loadEngine();
const js = new JsChecker(JSON.parse(policyText), JSON.parse(organizationsText));
const { kinds } = kindCases({ members, names, quads, js });
const all = kinds[kind];
if (all === undefined) throw new Error(`no kind ${kind}: one of ${Object.keys(kinds).join(", ")}`);
const cache = engine[Symbol.for("orgpolicy.cache")];
// Every subject and permission cached. A roles array whose contents
// another member's array already has is found by content, and recorded for
// identity on one such hit in 61; the pieces below read identity entries,
// so the few checks of arrays still unrecorded after three rounds are left
// out (and counted).
for (let round = 0; round < 3; round++) for (const [s, c] of all) engine.isAuthorized(s, c);
const cases = all.filter(([s]) => cache.objects.get(s.roles) !== undefined);
const packedOf = (s, c) => cache.objects.get(s.roles).handle * 4294967296 + cache.permissions[c.resource_id][c.action];
const [first] = cases;
const oneRow = packedOf(first[0], first[1]);

const steps = {
  touch: (s, c) => s.organization_id === c.organization_id && s.roles.length > 0 && s.roles[0] !== c.action,
  "+permission": (s, c) => s.organization_id === c.organization_id && cache.permissions[c.resource_id]?.[c.action] !== -1 && s.roles.length > 0 && s.roles[0] !== c.action,
  "+WeakMap": (s, c) => s.organization_id === c.organization_id && cache.permissions[c.resource_id]?.[c.action] !== -1 && cache.objects.get(s.roles) !== undefined && s.roles[0] !== c.action,
  "+entry": (s, c) => {
    if (s.organization_id !== c.organization_id) return false;
    const permission = cache.permissions[c.resource_id]?.[c.action];
    const roles = s.roles;
    const entry = cache.objects.get(roles);
    return entry.organization === s.organization_id && entry.count === roles.length && entry.first === roles[0] && permission >= 0 && entry.handle >= 0;
  },
  "+call, one row": (s, c) => {
    if (s.organization_id !== c.organization_id) return false;
    const permission = cache.permissions[c.resource_id]?.[c.action];
    const roles = s.roles;
    const entry = cache.objects.get(roles);
    return entry.organization === s.organization_id && entry.count === roles.length && entry.first === roles[0] && engine._checkCached(oneRow + (permission & 0));
  },
  "+call": (s, c) => {
    if (s.organization_id !== c.organization_id) return false;
    const permission = cache.permissions[c.resource_id]?.[c.action];
    const roles = s.roles;
    const entry = cache.objects.get(roles);
    return entry.organization === s.organization_id && entry.count === roles.length && entry.first === roles[0] && engine._checkCached(entry.handle * 4294967296 + permission);
  },
  lookup: (s, c) => lookup(cache, s, c) >= 0,
  isAuthorized: (s, c) => engine.isAuthorized(s, c),
};

const times = Object.fromEntries(Object.keys(steps).map((label) => [label, []]));
const results = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [label, step] of Object.entries(steps)) {
    const start = performance.now();
    results[label] = cases.reduce((n, [s, c]) => n + (step(s, c) ? 1 : 0), 0);
    times[label].push(((performance.now() - start) * 1e6) / cases.length);
  }
}
// Every piece reads the same checks; those that decide must agree with isAuthorized.
for (const label of ["+call", "isAuthorized"]) {
  if (results[label] !== results.isAuthorized) throw new Error(`${label} allowed ${results[label]}, isAuthorized ${results.isAuthorized}`);
}
console.log(`Node ${process.version}; ${cases.length} ${kind} checks (${results.isAuthorized} allowed; ${all.length - cases.length} left out, their roles arrays not yet found by identity)`);
console.log("| piece | fastest | median |");
console.log("|---|---|---|");
for (const [label, values] of Object.entries(times)) {
  console.log(`| ${label} | ${Math.min(...values).toFixed(0)} ns | ${median(values).toFixed(0)} ns |`);
}
engine.free();
