// `isAuthorized` by kind of check, shared by the Node and Chromium benches:
// the same 20,000 subjects, each kind measured on its own, then mixed, then
// each member's first check on a new engine; the package against the
// plain-JS checker in the same process, answers checked equal.
//
// Kinds are classified by the plain-JS checker; unknown resources are 100
// ids the policy does not declare, and undeclared actions are the
// workload's two (`purge`, `impersonate`).

const KIND_CHECKS = 100_000;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/** Median milliseconds of `repeats` runs of `run`, and its last result. */
export function measure(repeats, run) {
  const times = [];
  let result;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    result = run();
    times.push(performance.now() - start);
  }
  return { ms: median(times), result };
}

/**
 * How both sides load the workload from its JSON text: `loadEngine()` the
 * package's engine with every organization's custom roles, `newChecker()`
 * the plain-JS checker. The Node, fresh-process and Chromium benches all
 * load through these.
 */
export function workloadLoaders({ Engine, JsChecker, policyText, organizationsText }) {
  const organizations = Object.keys(JSON.parse(organizationsText)).length;
  return {
    loadEngine() {
      const loaded = Engine.load(policyText);
      if (loaded.type !== "success") throw new Error(`the workload policy did not load: ${JSON.stringify(loaded.errors)}`);
      const set = loaded.engine.setOrganizationPolicies(organizationsText);
      if (set.count !== organizations) throw new Error(`${organizations} organization policies, ${JSON.stringify(set)} loaded`);
      return loaded.engine;
    },
    newChecker: () => new JsChecker(JSON.parse(policyText), JSON.parse(organizationsText)),
  };
}

/**
 * The workload's subjects and the checks of each kind, from its files'
 * contents: `members` ([organization index, roles]), `names`, and `quads`
 * (member, organization, resource, action per check).
 */
export function kindCases({ members, names, quads, js }) {
  const subjects = members.map(([organization, roles]) => ({ organization_id: names.organizations[organization], roles }));
  const declaredActions = names.actions.length - 2;
  const undeclared = names.actions.slice(declaredActions);
  const kinds = { allowed: [], denied: [], "cross-tenant": [], "unknown resource": [], "undeclared action": [], "* grant, undeclared action": [] };
  const checks = quads.length / 4;
  for (let i = 0; i < checks && Object.values(kinds).some((cases) => cases.length < KIND_CHECKS); i++) {
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
  return { subjects, kinds, mixed };
}

/**
 * A row `{kind, count, allowed, wasm, plain}` (ns per check): `check` (the
 * package) and `plainCheck` (the plain-JS checker) over the same cases,
 * the median of 5 runs each; their answers must agree.
 */
function compared(kind, cases, check, plainCheck) {
  const run = (decide) => () => cases.reduce((n, item) => n + (decide(item) ? 1 : 0), 0);
  const wasm = measure(5, run(check));
  const plain = measure(5, run(plainCheck));
  if (wasm.result !== plain.result) throw new Error(`${kind}: the package allowed ${wasm.result}, plain JS ${plain.result}`);
  return { kind, count: cases.length, allowed: wasm.result, wasm: (wasm.ms * 1e6) / cases.length, plain: (plain.ms * 1e6) / cases.length };
}

/**
 * Rows `{kind, count, allowed, wasm, plain}` (ns per check): every kind,
 * the mix, the allowed checks with frozen members, the mix's
 * own-organization checks through members' sessions,
 * and the first sight of each member on an engine from
 * `loadEngine()` (freed after) against a checker from `newChecker()`.
 */
export function measureKinds({ engine, js, kinds, mixed, loadEngine, newChecker }) {
  const rows = [...Object.entries(kinds), ["mixed, 10% cross-tenant", mixed]].map(([kind, cases]) => {
    if (cases.length === 0) throw new Error(`no ${kind} checks in the workload`);
    return compared(kind, cases, ([s, c]) => engine.isAuthorized(s, c), ([s, c]) => js.isAuthorized(s, c));
  });
  // The allowed checks with each member frozen, as an immutable store (Immer's
  // auto-freeze) holds it: its roles array is recorded at its first check
  // and, its elements fixed, never compared again.
  const frozen = new Map();
  const freeze = (s) => {
    if (!frozen.has(s)) frozen.set(s, Object.freeze({ organization_id: s.organization_id, roles: Object.freeze([...s.roles]) }));
    return frozen.get(s);
  };
  const frozenCases = kinds.allowed.map(([s, c]) => [freeze(s), c]);
  rows.push(compared("allowed, members frozen (an immutable store's)", frozenCases, ([s, c]) => engine.isAuthorized(s, c), ([s, c]) => js.isAuthorized(s, c)));
  // A member's `Session` (the frontend SDK's `isAuthorizedSync`) over the
  // mix's checks in the member's own organization, against the plain-JS
  // checker asked the same checks.
  const sessions = new Map();
  const own = mixed
    .filter(([s, c]) => s.organization_id === c.organization_id)
    .map(([s, c]) => {
      if (!sessions.has(s)) sessions.set(s, engine.session(s).session);
      return [sessions.get(s), s, c];
    });
  rows.push(
    compared(
      "Session.isAuthorizedSync, the mix's own-organization checks",
      own,
      ([session, , c]) => session.isAuthorizedSync(c.resource_id, c.action),
      ([, s, c]) => js.isAuthorized(s, c),
    ),
  );
  // First sight: each member's first check on a new engine, which reads
  // and resolves the subject and caches its handles (the rows above are
  // all answered from that cache).
  const firstChecks = [];
  const seen = new Set();
  for (const [subject, check] of [...mixed, ...Object.values(kinds).flat()]) {
    if (!seen.has(subject)) {
      seen.add(subject);
      firstChecks.push([subject, check]);
    }
  }
  const times = [];
  let allowed;
  for (let round = 0; round < 5; round++) {
    const fresh = loadEngine();
    const plain = newChecker();
    const start = performance.now();
    allowed = firstChecks.reduce((n, [s, c]) => n + (fresh.isAuthorized(s, c) ? 1 : 0), 0);
    const middle = performance.now();
    const plainAllowed = firstChecks.reduce((n, [s, c]) => n + (plain.isAuthorized(s, c) ? 1 : 0), 0);
    times.push([middle - start, performance.now() - middle]);
    fresh.free();
    if (plainAllowed !== allowed) throw new Error(`first sight: the package allowed ${allowed}, plain JS ${plainAllowed}`);
  }
  rows.push({
    kind: "first sight of each member (a new engine)",
    count: firstChecks.length,
    allowed,
    wasm: (median(times.map(([w]) => w)) * 1e6) / firstChecks.length,
    plain: (median(times.map(([, p]) => p)) * 1e6) / firstChecks.length,
  });
  return rows;
}

/** The rows as a Markdown table. */
export function kindTable(rows) {
  const lines = ["| isAuthorized, by kind | checks (allowed) | npm package | target | plain JS | ratio |", "|---|---|---|---|---|---|"];
  for (const row of rows) {
    const target = row.kind.startsWith("first sight") || row.kind.startsWith("Session") || row.kind.includes("frozen") ? "" : "<= 300 ns";
    lines.push(`| ${row.kind} | ${row.count} (${row.allowed}) | ${row.wasm.toFixed(0)} ns | ${target} | ${row.plain.toFixed(0)} ns | ${(row.wasm / row.plain).toFixed(2)} |`);
  }
  return lines.join("\n");
}
