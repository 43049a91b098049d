// The npm package against a hand-optimised plain-JS checker on the standard
// workload (bench/workload.mjs).
// `cargo xtask bench-node` builds both and runs this.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { JsChecker } from "./checker.mjs";
import { kindCases, kindTable, measure, measureKinds, median, workloadLoaders } from "./kinds.mjs";
import { readWorkload } from "./workload.mjs";
import { packageDir, root } from "../tests/node/corpus.mjs";

const api = createRequire(import.meta.url)(join(packageDir, "node", "orgpolicy.js"));
const { policyText, organizationsText, members, names, quads } = readWorkload();
const CHECKS = quads.length / 4;
const STRING_CHECKS = 200_000;

const ns = (m, n) => (m.ms * 1e6) / n;

// Loading: both from the same JSON text. Warm: the median of 7 loads in
// this process, each replacing the last (freed outside the timing, as an
// app drops a replaced engine). Cold: one load in each of 5 fresh
// processes (bench/load.mjs), the first load a page or server pays.
const { loadEngine, newChecker } = workloadLoaders({ Engine: api.Engine, JsChecker, policyText, organizationsText });
let replaced = null;
const warmTimes = [];
for (let i = 0; i < 7; i++) {
  replaced?.free();
  const start = performance.now();
  replaced = loadEngine();
  warmTimes.push(performance.now() - start);
}
const wasmLoad = { ms: median(warmTimes), result: replaced };
const jsLoad = measure(7, newChecker);
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

const checkMany = measure(9, () => engine.checkMany(triples).reduce((a, b) => a + b, 0));
const perCall = measure(9, () => {
  let allowed = 0;
  for (let i = 0; i < triples.length; i += 3) allowed += engine.check(triples[i], triples[i + 1], triples[i + 2]) ? 1 : 0;
  return allowed;
});
const jsFast = measure(9, () => {
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
const wasmStrings = measure(5, () => stringCases.reduce((n, [s, c]) => n + (engine.isAuthorized(s, c) ? 1 : 0), 0));
const jsStrings = measure(5, () => stringCases.reduce((n, [s, c]) => n + (js.isAuthorized(s, c) ? 1 : 0), 0));
// The same checks with a subject object built per call around the member's roles array.
const fresh = ({ organization_id, roles }) => ({ organization_id, roles });
const wasmFresh = measure(5, () => stringCases.reduce((n, [s, c]) => n + (engine.isAuthorized(fresh(s), c) ? 1 : 0), 0));
const jsFresh = measure(5, () => stringCases.reduce((n, [s, c]) => n + (js.isAuthorized(fresh(s), c) ? 1 : 0), 0));
// A server's request: the member read from the request (a new object and a
// new roles array), then PER_REQUEST checks in the member's organization,
// through a `Session` made for the request; the plain-JS checker asked the
// same checks with the same new member.
const PER_REQUEST = 4;
const requests = [];
for (let i = 0; i + PER_REQUEST <= STRING_CHECKS; i += PER_REQUEST) {
  const [{ organization_id, roles }] = stringCases[i];
  requests.push([organization_id, roles, stringCases.slice(i, i + PER_REQUEST).map(([, c]) => [c.resource_id, c.action])]);
}
const perRequest = (check) => () => {
  let allowed = 0;
  for (const [organization_id, roles, checks] of requests) allowed += check({ organization_id, roles: roles.slice() }, checks);
  return allowed;
};
const wasmRequests = measure(5, perRequest((member, checks) => {
  const session = engine.session(member).session;
  return checks.reduce((n, [resource, action]) => n + (session.isAuthorizedSync(resource, action) ? 1 : 0), 0);
}));
const jsRequests = measure(5, perRequest((member, checks) =>
  checks.reduce((n, [resource_id, action]) => n + (js.isAuthorized(member, { organization_id: member.organization_id, resource_id, action }) ? 1 : 0), 0)));
if (wasmRequests.result !== jsRequests.result) throw new Error(`sessions per request allowed ${wasmRequests.result}, the plain-JS checker ${jsRequests.result}`);
// isAuthorized by kind of check (bench/kinds.mjs, shared with the Chromium bench).
const { kinds, mixed } = kindCases({ members, names, quads, js });
const byKind = measureKinds({
  engine,
  js,
  kinds,
  mixed,
  loadEngine,
  newChecker,
});

// Both checkers must agree, or the figures mean nothing.
const expected = checkMany.result;
for (const [label, other] of [["check() per call", perCall], ["the plain-JS check", jsFast]]) {
  if (other.result !== expected) throw new Error(`${label} allowed ${other.result}, checkMany ${expected}`);
}
for (const [label, other] of [["plain-JS isAuthorized", jsStrings], ["isAuthorized, new subjects", wasmFresh], ["plain JS, new subjects", jsFresh]]) {
  if (other.result !== wasmStrings.result) throw new Error(`${label} allowed ${other.result}, isAuthorized ${wasmStrings.result}`);
}

const rows = [
  ["load the workload policy (~3.8 MB JSON)", `${wasmLoad.ms.toFixed(1)} ms`, "<= 40 ms", `${jsLoad.ms.toFixed(1)} ms`, (wasmLoad.ms / jsLoad.ms).toFixed(2)],
  ["the same, first load in a fresh process", `${wasmCold.toFixed(1)} ms`, "", `${jsCold.toFixed(1)} ms`, (wasmCold / jsCold).toFixed(2)],
  ["fast path, checkMany", `${ns(checkMany, CHECKS).toFixed(1)} ns`, "<= 40 ns", `${ns(jsFast, CHECKS).toFixed(1)} ns`, (ns(checkMany, CHECKS) / ns(jsFast, CHECKS)).toFixed(2)],
  ["fast path, check() per call", `${ns(perCall, CHECKS).toFixed(1)} ns`, "<= 40 ns", `${ns(jsFast, CHECKS).toFixed(1)} ns`, (ns(perCall, CHECKS) / ns(jsFast, CHECKS)).toFixed(2)],
  ["string API, isAuthorized", `${ns(wasmStrings, STRING_CHECKS).toFixed(0)} ns`, "<= 300 ns", `${ns(jsStrings, STRING_CHECKS).toFixed(0)} ns`, (ns(wasmStrings, STRING_CHECKS) / ns(jsStrings, STRING_CHECKS)).toFixed(2)],
  [`a Session per request, ${PER_REQUEST} checks each (per check)`, `${ns(wasmRequests, requests.length * PER_REQUEST).toFixed(0)} ns`, "", `${ns(jsRequests, requests.length * PER_REQUEST).toFixed(0)} ns`, (wasmRequests.ms / jsRequests.ms).toFixed(2)],
  ["string API, a new subject object per call", `${ns(wasmFresh, STRING_CHECKS).toFixed(0)} ns`, "", `${ns(jsFresh, STRING_CHECKS).toFixed(0)} ns`, (ns(wasmFresh, STRING_CHECKS) / ns(jsFresh, STRING_CHECKS)).toFixed(2)],
];
console.log(`Node ${process.version}; ${CHECKS} checks (${expected} allowed); string API over ${STRING_CHECKS}`);
console.log("| measure | npm package | target | plain JS | ratio |");
console.log("|---|---|---|---|---|");
for (const row of rows) console.log(`| ${row.join(" | ")} |`);

console.log("");
console.log(kindTable(byKind));
