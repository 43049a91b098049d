// Hostile input through every entry point of the npm package: answers are
// tagged failures, nothing throws, and the module keeps answering (a panic
// inside wasm would poison it for every later call).
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPackage } from "./corpus.mjs";

const api = loadPackage();

const policy = {
  resources: [{ resource_id: "docs", actions: ["read", "write"] }],
  roles: [{ role_id: "reader", permissions: [{ resource_id: "docs", actions: ["read"] }] }],
};
const subject = { organization_id: "org-1", roles: ["reader"] };
const read = { organization_id: "org-1", resource_id: "docs", action: "read" };

function cyclic() {
  const value = { roles: [] };
  value.self = value;
  return value;
}
function deepObject(depth) {
  let value = {};
  for (let i = 0; i < depth; i++) value = { roles: value };
  return value;
}

const garbage = () => [
  undefined, null, 0, -1, NaN, Infinity, true, "", "x", "{", "[]", "null", "\u0000", "{\"roles\": [",
  [], [[]], {}, { roles: "x" }, { roles: [{ role_id: 5 }] }, { resources: [{}] }, { organization_id: 7 },
  Symbol("s"), 10n, cyclic(), () => 1, new Map([["roles", []]]), new Uint8Array(4), new Date(0),
  "[".repeat(100_000), deepObject(20_000), "r".repeat(1 << 20),
  JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "roles": []}'),
];

const loaded = api.Engine.load(policy);
assert.equal(loaded.type, "success");
const engine = loaded.engine;
const session = engine.session({ organization_id: "org-1", roles: ["reader"] }).session;

function stillAnswers() {
  assert.equal(engine.isAuthorized(subject, read), true);
  assert.equal(session.isAuthorizedSync("docs", "read"), true);
  assert.equal(api.Engine.load(policy).type, "success");
}

function assertTaggedOrPlain(answer, label) {
  if (answer !== null && typeof answer === "object" && "type" in answer && answer.type === "failure") {
    assert.ok(Array.isArray(answer.errors) && answer.errors.length > 0, label);
    for (const error of answer.errors) {
      assert.equal(typeof error.code, "string", label);
      assert.equal(typeof error.message, "string", label);
      assert.equal(typeof error.path, "string", label);
      assert.ok(!error.message.includes("\n"), `${label}: one-line message`);
    }
  }
}

const entryPoints = {
  "Engine.load": (a) => api.Engine.load(a),
  "engine.setOrganizationPolicy(id)": (a) => engine.setOrganizationPolicy(a, { roles: [] }),
  "engine.setOrganizationPolicy(policy)": (a) => engine.setOrganizationPolicy("org-9", a),
  "engine.removeOrganizationPolicy": (a) => engine.removeOrganizationPolicy(a),
  "engine.isAuthorized(subject)": (a) => engine.isAuthorized(a, read),
  "engine.isAuthorized(check)": (a) => engine.isAuthorized(subject, a),
  "engine.authorize(subject)": (a) => engine.authorize(a, read),
  "engine.authorize(check)": (a) => engine.authorize(subject, a),
  "explain(subject, check)": (a) => api.explain(policy, null, a, a),
  "explain(policies)": (a) => api.explain(a, a, subject, read),
  "engine.allPermissions(subject)": (a) => engine.allPermissions(a, "org-1"),
  "engine.allPermissions(org)": (a) => engine.allPermissions(subject, a),
  "engine.authorizeScopes": (a) => engine.authorizeScopes(a, read),
  "engine.resolveSubject": (a) => engine.resolveSubject(a),
  "engine.resolveOrganization": (a) => engine.resolveOrganization(a),
  "engine.resolvePermission": (a) => engine.resolvePermission(a, a),
  "engine.session": (a) => engine.session(a, a),
  "Session.create": (a) => api.Session.create(a),
  "session.isAuthorizedSync": (a) => session.isAuthorizedSync(a, a),
  "session.authorize": (a) => session.authorize(a, "read"),
  "validatePolicy": (a) => api.validatePolicy(a),
  "validateOrganizationPolicy": (a) => api.validateOrganizationPolicy(policy, a),
  "diffPolicies": (a) => api.diffPolicies(a, policy, a),
  "diffOrganizationPolicies": (a) => api.diffOrganizationPolicies(policy, a, { roles: [] }, a, a),
  "effectiveRoles": (a) => api.effectiveRoles(a, a),
  "m2mAuthorize": (a) => api.m2mAuthorize(a, ["read"]),
};

for (const [name, call] of Object.entries(entryPoints)) {
  test(`${name}: hostile input answers without throwing`, () => {
    for (const [index, value] of garbage().entries()) {
      let answer;
      assert.doesNotThrow(() => {
        answer = call(value);
      }, `${name} with garbage #${index}`);
      assertTaggedOrPlain(answer, `${name} with garbage #${index}`);
    }
    stillAnswers();
  });
}

test("the string cache's internal methods answer NaN or false for anything", () => {
  // Their string parameters take any value; their numeric ones, like the
  // fast path's, any number (a Symbol or BigInt throws there, as JS's own
  // number conversion does).
  const numeric = (value) => typeof value !== "symbol" && typeof value !== "bigint";
  for (const value of garbage()) {
    assert.doesNotThrow(() => {
      const answer = engine._resolveCached(value, value, 1, value, value);
      assert.equal(typeof answer, "number");
    });
    assert.doesNotThrow(() => engine._resolveCached("org-1", value, 1, "docs", "read"));
    if (numeric(value)) {
      assert.doesNotThrow(() => engine._resolveCached("org-1", "reader", value, "docs", value));
      assert.doesNotThrow(() => assert.equal(typeof engine._checkCached(value), "boolean"));
    }
  }
  // Roles that do not match their count are not resolved.
  assert.ok(Number.isNaN(engine._resolveCached("org-1", "a\u0000b", 1, "docs", "read")));
  for (const packed of [-1, 2 ** 53, NaN, Infinity, 1.5]) assert.equal(engine._checkCached(packed), false);
  stillAnswers();
});

test("the fast path takes numbers: out-of-range integers deny", () => {
  for (const value of [0, -1, 2 ** 32 - 1, 2 ** 40, NaN, Infinity, 1.5, "3", null, undefined, {}]) {
    assert.doesNotThrow(() => engine.check(value, value, value));
  }
  assert.deepEqual([...engine.checkMany(new Uint32Array([1e6, 1e6, 1e6, 7]))], [0]);
  stillAnswers();
});

test("prototype-polluting keys are ordinary unknown fields", () => {
  const text = '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "resources": [], "roles": []}';
  assert.equal(api.Engine.load(text).type, "success");
  assert.equal(api.Engine.load(JSON.parse(text)).type, "success");
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.polluted, undefined);
});

test("ids that are Object.prototype's names are own keys of the answers", () => {
  const names = ["__proto__", "constructor", "toString"];
  const project = {
    resources: names.map((resource_id) => ({ resource_id, actions: ["__proto__", "read"] })),
    roles: [{ role_id: "__proto__", permissions: names.map((resource_id) => ({ resource_id, actions: ["__proto__"] })) }],
  };
  const loaded = api.Engine.load(project).engine;
  const answer = loaded.allPermissions({ organization_id: "org-1", roles: ["__proto__"] }, "org-1");
  assert.equal(answer.type, "success");
  assert.equal(Object.getPrototypeOf(answer.permissions), Object.prototype);
  for (const name of names) {
    assert.ok(Object.hasOwn(answer.permissions, name), name);
    assert.deepEqual(Object.entries(answer.permissions[name]), [["__proto__", true], ["read", false]]);
  }
  assert.equal(JSON.stringify(answer.permissions), JSON.stringify(JSON.parse(JSON.stringify(answer.permissions))));
  assert.equal({}.read, undefined);
  loaded.free();
});

test("errors point into the document given as an object", () => {
  const answer = api.Engine.load({ policy: { roles: [{ role_id: "a", permissions: [{ resource_id: "r", actions: ["ok", 1] }] }] } });
  assert.equal(answer.type, "failure");
  assert.equal(answer.errors[0].code, "invalid_type");
  assert.equal(answer.errors[0].path, "/policy/roles/0/permissions/0/actions/1");
});

test("deep nesting is refused, not a crash", () => {
  const text = api.Engine.load("[".repeat(100_000));
  assert.equal(text.type, "failure");
  const object = api.Engine.load(deepObject(20_000));
  assert.equal(object.type, "failure");
  stillAnswers();
});

test("a huge id is read whole", () => {
  const id = "r".repeat(4 << 20);
  const big = api.Engine.load({ resources: [{ resource_id: id, actions: ["a"] }], roles: [{ role_id: "x", permissions: [{ resource_id: id, actions: ["a"] }] }] });
  assert.equal(big.type, "success");
  assert.equal(big.engine.isAuthorized({ roles: ["x"] }, { resource_id: id, action: "a" }), true);
  big.engine.free();
});

test("JSON text in any script loads as the same object does", () => {
  // The text is encoded straight into the module's memory, one byte per
  // UTF-16 unit first: characters of two, three and four bytes at the
  // start, in the middle and at the very end of the text must all survive.
  const ids = ["résumé", "文書", "📄", "a".repeat(5000) + "ü", "ü" + "b".repeat(5000), "mixed 📄 é 文"];
  for (const id of ids) {
    const project = {
      resources: [{ resource_id: id, actions: ["read", id] }],
      roles: [{ role_id: id, permissions: [{ resource_id: id, actions: [id] }] }],
    };
    for (const text of [JSON.stringify(project), `${JSON.stringify(project)}   `, `  ${JSON.stringify(project)}`]) {
      const loaded = api.Engine.load(text);
      assert.equal(loaded.type, "success", `${id.slice(0, 20)}: ${JSON.stringify(loaded).slice(0, 200)}`);
      const engine = loaded.engine;
      const member = { organization_id: "org-1", roles: [id] };
      assert.equal(engine.isAuthorized(member, { organization_id: "org-1", resource_id: id, action: id }), true, id.slice(0, 20));
      assert.equal(engine.isAuthorized(member, { organization_id: "org-1", resource_id: id, action: "read" }), false, id.slice(0, 20));
      engine.free();
    }
  }
  // A lone surrogate in text becomes U+FFFD, as TextEncoder writes it;
  // the same JS string in an object reads the same way.
  // (JSON.stringify would escape it: this text holds the raw code unit.)
  const project = { resources: [{ resource_id: "docs", actions: ["read"] }] };
  for (const input of ['{"roles": [{"role_id": "x\ud800", "permissions": [{"resource_id": "docs", "actions": ["read"]}]}]}', { roles: [{ role_id: "x\ud800", permissions: [{ resource_id: "docs", actions: ["read"] }] }] }]) {
    const engine = api.Engine.load(project).engine;
    assert.equal(engine.setOrganizationPolicy("org-1", input).type, "success");
    assert.equal(engine.isAuthorized({ organization_id: "org-1", roles: ["x\ufffd"] }, read), true, typeof input);
    engine.free();
    const answer = api.explain(project, input, { organization_id: "org-1", roles: ["x\ufffd"] }, read);
    assert.deepEqual(answer.candidateRoles, [{ roleId: "x\ufffd", source: "organization" }], typeof input);
  }
  // Text that ends inside a character pair is still text, and invalid JSON says so.
  const broken = api.Engine.load('{"resources": [{"resource_id": "📄');
  assert.equal(broken.type, "failure");
  assert.equal(broken.errors[0].code, "invalid_json");
});
