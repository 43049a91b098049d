// The npm package against a hand-optimised plain-JS checker on the standard
// workload (written by `cargo run -p orgpolicy-workload -- target/workload`).
// `cargo xtask bench-node` builds both and runs this.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { JsChecker } from "./checker.mjs";
import { packageDir, root } from "../tests/node/corpus.mjs";

const api = createRequire(import.meta.url)(join(packageDir, "node", "orgpolicy.js"));
const dir = join(root, "target", "workload");
const policyText = readFileSync(join(dir, "policy.json"), "utf8");
const organizationsText = JSON.stringify(Object.fromEntries(JSON.parse(readFileSync(join(dir, "organizations.json"), "utf8"))));
const members = JSON.parse(readFileSync(join(dir, "members.json"), "utf8"));
const names = JSON.parse(readFileSync(join(dir, "names.json"), "utf8"));
const raw = readFileSync(join(dir, "checks.bin"));
const quads = new Uint32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
const CHECKS = quads.length / 4;
const STRING_CHECKS = 200_000;

const ns = (m, n) => (m.ms * 1e6) / n;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
function measure(label, repeats, run) {
  const times = [];
  let result;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    result = run();
    times.push(performance.now() - start);
  }
  return { label, ms: median(times), result };
}

// Loading: both from the same JSON text. Warm: the median of 7 loads in
// this process, each replacing the last (freed outside the timing, as an
// app drops a replaced engine). Cold: one load in each of 5 fresh
// processes (bench/load.mjs), the first load a page or server pays.
let replaced = null;
const warmTimes = [];
for (let i = 0; i < 7; i++) {
  replaced?.free();
  const start = performance.now();
  replaced = api.Engine.load(policyText).engine;
  replaced.setOrganizationPolicies(organizationsText);
  warmTimes.push(performance.now() - start);
}
const wasmLoad = { ms: median(warmTimes), result: replaced };
const jsLoad = measure("load (js)", 7, () => new JsChecker(JSON.parse(policyText), JSON.parse(organizationsText)));
const cold = (which) => median(Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, [join(root, "bench", "load.mjs"), which], { encoding: "utf8" }))));
const wasmCold = cold("wasm");
const jsCold = cold("js");
const engine = wasmLoad.result;
const js = jsLoad.result;

// Subjects, organizations and permissions resolved once (not timed).
const subjects = members.map(([organization, roles]) => ({ organization_id: names.organizations[organization], roles }));
const wasmSubjects = Int32Array.from(subjects, (subject) => engine.resolveSubject(subject).handle);
const wasmOrganizations = Int32Array.from(names.organizations, (id) => engine.resolveOrganization(id));
const jsSubjects = Int32Array.from(subjects, (subject) => js.resolveSubject(subject.organization_id, subject.roles));
const jsOrganizations = Int32Array.from(names.organizations, (id) => js.resolveOrganization(id));
const actions = names.actions.length;
const wasmPermissions = new Int32Array(names.resources.length * actions);
const jsPermissions = [];
names.resources.forEach((resource, r) => names.actions.forEach((action, a) => {
  wasmPermissions[r * actions + a] = engine.resolvePermission(resource, action);
  jsPermissions[r * actions + a] = js.resolvePermission(resource, action);
}));
const triples = new Uint32Array(CHECKS * 3);
const jsTriples = new Int32Array(CHECKS * 3);
for (let i = 0; i < CHECKS; i++) {
  const [member, organization, resource, action] = [quads[4 * i], quads[4 * i + 1], quads[4 * i + 2], quads[4 * i + 3]];
  triples.set([wasmSubjects[member], wasmOrganizations[organization], wasmPermissions[resource * actions + action]], 3 * i);
  jsTriples.set([jsSubjects[member], jsOrganizations[organization], resource * actions + action], 3 * i);
}

const checkMany = measure("checkMany (wasm)", 9, () => engine.checkMany(triples).reduce((a, b) => a + b, 0));
const perCall = measure("check per call (wasm)", 9, () => {
  let allowed = 0;
  for (let i = 0; i < triples.length; i += 3) allowed += engine.check(triples[i], triples[i + 1], triples[i + 2]) ? 1 : 0;
  return allowed;
});
const jsFast = measure("check (js)", 9, () => {
  let allowed = 0;
  for (let i = 0; i < jsTriples.length; i += 3) allowed += js.check(jsTriples[i], jsTriples[i + 1], jsPermissions[jsTriples[i + 2]]) ? 1 : 0;
  return allowed;
});

// String API over a slice of the checks, with prebuilt objects.
const stringCases = [];
for (let i = 0; i < STRING_CHECKS; i++) {
  const [member, organization, resource, action] = [quads[4 * i], quads[4 * i + 1], quads[4 * i + 2], quads[4 * i + 3]];
  stringCases.push([subjects[member], { organization_id: names.organizations[organization], resource_id: names.resources[resource], action: names.actions[action] }]);
}
const wasmStrings = measure("isAuthorized (wasm)", 5, () => stringCases.reduce((n, [s, c]) => n + (engine.isAuthorized(s, c) ? 1 : 0), 0));
const jsStrings = measure("isAuthorized (js)", 5, () => stringCases.reduce((n, [s, c]) => n + (js.isAuthorized(s, c) ? 1 : 0), 0));
// The same checks with a subject object built per call around the member's roles array.
const fresh = ({ organization_id, roles }) => ({ organization_id, roles });
const wasmFresh = measure("isAuthorized, new subject objects (wasm)", 5, () => stringCases.reduce((n, [s, c]) => n + (engine.isAuthorized(fresh(s), c) ? 1 : 0), 0));
const jsFresh = measure("isAuthorized, new subject objects (js)", 5, () => stringCases.reduce((n, [s, c]) => n + (js.isAuthorized(fresh(s), c) ? 1 : 0), 0));

// isAuthorized by kind of check: the same 20,000 subjects, each kind
// measured on its own, then mixed. Kinds are classified by the plain-JS
// checker; unknown resources are 100 ids the policy does not declare, and
// undeclared actions are the workload's two (`purge`, `impersonate`).
const KIND_CHECKS = 100_000;
const declaredActions = names.actions.length - 2;
const undeclared = names.actions.slice(declaredActions);
const kinds = { allowed: [], denied: [], "cross-tenant": [], "unknown resource": [], "undeclared action": [], "* grant, undeclared action": [] };
for (let i = 0; i < CHECKS && Object.values(kinds).some((cases) => cases.length < KIND_CHECKS); i++) {
  const [member, organization, resource, action] = [quads[4 * i], quads[4 * i + 1], quads[4 * i + 2], quads[4 * i + 3]];
  const subject = subjects[member];
  const own = subject.organization_id;
  const add = (kind, check) => kinds[kind].length < KIND_CHECKS && kinds[kind].push([subject, check]);
  if (names.organizations[organization] !== own) {
    add("cross-tenant", { organization_id: names.organizations[organization], resource_id: names.resources[resource], action: names.actions[action] });
    continue;
  }
  const resourceId = names.resources[resource];
  if (action < declaredActions) {
    const check = { organization_id: own, resource_id: resourceId, action: names.actions[action] };
    add(js.isAuthorized(subject, check) ? "allowed" : "denied", check);
  }
  add("unknown resource", { organization_id: own, resource_id: `missing-${resource % 100}`, action: names.actions[action] });
  const odd = { organization_id: own, resource_id: resourceId, action: undeclared[i & 1] };
  add(js.isAuthorized(subject, odd) ? "* grant, undeclared action" : "undeclared action", odd);
}
// 10% cross-tenant, the rest by the workload's own proportions of the other kinds.
const mixed = [];
const mix = [["allowed", 40], ["denied", 30], ["cross-tenant", 10], ["unknown resource", 5], ["undeclared action", 10], ["* grant, undeclared action", 5]];
for (let i = 0; mixed.length < KIND_CHECKS; i++) {
  for (const [kind, share] of mix) for (let j = 0; j < share && mixed.length < KIND_CHECKS; j++) mixed.push(kinds[kind][(i * share + j) % kinds[kind].length]);
}
for (let i = mixed.length - 1; i > 0; i--) {
  const j = (i * 7919) % (i + 1);
  [mixed[i], mixed[j]] = [mixed[j], mixed[i]];
}
const byKind = [...Object.entries(kinds), ["mixed, 10% cross-tenant", mixed]].map(([kind, cases]) => {
  if (cases.length === 0) throw new Error(`no ${kind} checks in the workload`);
  const run = (checker) => () => cases.reduce((n, [s, c]) => n + (checker.isAuthorized(s, c) ? 1 : 0), 0);
  const wasm = measure(`${kind} (wasm)`, 5, run(engine));
  const plain = measure(`${kind} (js)`, 5, run(js));
  if (wasm.result !== plain.result) throw new Error(`${kind}: the package allowed ${wasm.result}, plain JS ${plain.result}`);
  return { kind, count: cases.length, allowed: wasm.result, wasm: ns(wasm, cases.length), plain: ns(plain, cases.length) };
});

// First sight: each of the 20,000 members' first check on a new engine,
// which reads and resolves the subject and caches its handles (the kinds'
// rows above are all answered from that cache).
const firstChecks = [];
const seen = new Set();
for (const [subject, check] of mixed.concat(stringCases)) {
  if (!seen.has(subject)) {
    seen.add(subject);
    firstChecks.push([subject, check]);
  }
}
const firstSight = (() => {
  const times = [];
  let result;
  for (let round = 0; round < 5; round++) {
    const fresh = api.Engine.load(policyText).engine;
    fresh.setOrganizationPolicies(organizationsText);
    const plain = new JsChecker(JSON.parse(policyText), JSON.parse(organizationsText));
    const start = performance.now();
    result = firstChecks.reduce((n, [s, c]) => n + (fresh.isAuthorized(s, c) ? 1 : 0), 0);
    const middle = performance.now();
    const plainResult = firstChecks.reduce((n, [s, c]) => n + (plain.isAuthorized(s, c) ? 1 : 0), 0);
    times.push([middle - start, performance.now() - middle]);
    fresh.free();
    if (plainResult !== result) throw new Error(`first sight: the package allowed ${result}, plain JS ${plainResult}`);
  }
  return {
    count: firstChecks.length,
    allowed: result,
    wasm: (median(times.map(([w]) => w)) * 1e6) / firstChecks.length,
    plain: (median(times.map(([, p]) => p)) * 1e6) / firstChecks.length,
  };
})();
byKind.push({ kind: "first sight of each member (a new engine)", ...firstSight });

// Both checkers must agree, or the figures mean nothing.
const expected = checkMany.result;
for (const other of [perCall, jsFast]) {
  if (other.result !== expected) throw new Error(`${other.label} allowed ${other.result}, checkMany ${expected}`);
}
for (const other of [jsStrings, wasmFresh, jsFresh]) {
  if (other.result !== wasmStrings.result) throw new Error(`${other.label} allowed ${other.result}, isAuthorized ${wasmStrings.result}`);
}

const rows = [
  ["load the workload policy (~3.8 MB JSON)", `${wasmLoad.ms.toFixed(1)} ms`, "<= 40 ms", `${jsLoad.ms.toFixed(1)} ms`, (wasmLoad.ms / jsLoad.ms).toFixed(2)],
  ["the same, first load in a fresh process", `${wasmCold.toFixed(1)} ms`, "", `${jsCold.toFixed(1)} ms`, (wasmCold / jsCold).toFixed(2)],
  ["fast path, checkMany", `${ns(checkMany, CHECKS).toFixed(1)} ns`, "<= 40 ns", `${ns(jsFast, CHECKS).toFixed(1)} ns`, (ns(checkMany, CHECKS) / ns(jsFast, CHECKS)).toFixed(2)],
  ["fast path, check() per call", `${ns(perCall, CHECKS).toFixed(1)} ns`, "<= 40 ns", `${ns(jsFast, CHECKS).toFixed(1)} ns`, (ns(perCall, CHECKS) / ns(jsFast, CHECKS)).toFixed(2)],
  ["string API, isAuthorized", `${ns(wasmStrings, STRING_CHECKS).toFixed(0)} ns`, "<= 300 ns", `${ns(jsStrings, STRING_CHECKS).toFixed(0)} ns`, (ns(wasmStrings, STRING_CHECKS) / ns(jsStrings, STRING_CHECKS)).toFixed(2)],
  ["string API, a new subject object per call", `${ns(wasmFresh, STRING_CHECKS).toFixed(0)} ns`, "", `${ns(jsFresh, STRING_CHECKS).toFixed(0)} ns`, (ns(wasmFresh, STRING_CHECKS) / ns(jsFresh, STRING_CHECKS)).toFixed(2)],
];
console.log(`Node ${process.version}; ${CHECKS} checks (${expected} allowed); string API over ${STRING_CHECKS}`);
console.log("| measure | npm package | target | plain JS | ratio |");
console.log("|---|---|---|---|---|");
for (const row of rows) console.log(`| ${row.join(" | ")} |`);

console.log("");
console.log("| isAuthorized, by kind | checks (allowed) | npm package | target | plain JS | ratio |");
console.log("|---|---|---|---|---|---|");
for (const row of byKind) {
  const target = row.kind.startsWith("first sight") ? "" : "<= 300 ns";
  console.log(`| ${row.kind} | ${row.count} (${row.allowed}) | ${row.wasm.toFixed(0)} ns | ${target} | ${row.plain.toFixed(0)} ns | ${(row.wasm / row.plain).toFixed(2)} |`);
}
