// The string API's cache (`isAuthorized` answered from resolved handles)
// against the answers it stands in for, shared by the Node and Chromium
// runs: runCacheChecks(api) -> [{name, failures}].
//
// A cached answer must always be the answer a first reading would give:
// subjects changed in place, organization policies changed under a cached
// subject, objects whose getters answer differently on every read.

import { runChecks } from "./checks.mjs";

const policy = {
  resources: [{ resource_id: "docs", actions: ["read", "write"] }],
  roles: [
    { role_id: "viewer", permissions: [{ resource_id: "docs", actions: ["read"] }] },
    { role_id: "editor", permissions: [{ resource_id: "docs", actions: ["read", "write"] }] },
  ],
};
const writers = { roles: [{ role_id: "writer", permissions: [{ resource_id: "docs", actions: ["write"] }] }] };
const write = (organization_id) => ({ organization_id, resource_id: "docs", action: "write" });

function engineFor(api, project = policy) {
  const loaded = api.Engine.load(project);
  if (loaded.type !== "success") throw new Error(JSON.stringify(loaded));
  loaded.engine.setOrganizationPolicy("org-1", writers);
  return loaded.engine;
}

const checks = {
  "roles changed in place are read again"(api, expect) {
    const engine = engineFor(api);
    const subject = { organization_id: "org-1", roles: ["viewer"] };
    expect("viewer", engine.isAuthorized(subject, write("org-1")), false);
    expect("viewer, cached", engine.isAuthorized(subject, write("org-1")), false);
    subject.roles[0] = "editor";
    expect("editor set in place", engine.isAuthorized(subject, write("org-1")), true);
    subject.roles[0] = "viewer";
    expect("viewer set back in place", engine.isAuthorized(subject, write("org-1")), false);
    subject.roles.push("editor");
    expect("editor pushed", engine.isAuthorized(subject, write("org-1")), true);
    subject.roles.pop();
    expect("editor popped", engine.isAuthorized(subject, write("org-1")), false);
    subject.roles[0] = "writer";
    expect("custom role set in place", engine.isAuthorized(subject, write("org-1")), true);
    subject.roles = ["viewer"];
    expect("roles replaced", engine.isAuthorized(subject, write("org-1")), false);
    engine.free();
  },

  "an organization changed in place is read again"(api, expect) {
    const engine = engineFor(api);
    const subject = { organization_id: "org-1", roles: ["writer"] };
    expect("own organization", engine.isAuthorized(subject, write("org-1")), true);
    subject.organization_id = "org-2";
    expect("moved: other tenant", engine.isAuthorized(subject, write("org-1")), false);
    expect("moved: org-2 has no writer role", engine.isAuthorized(subject, write("org-2")), false);
    subject.organization_id = "org-1";
    expect("moved back", engine.isAuthorized(subject, write("org-1")), true);
    engine.free();
  },

  "a role that stops being a string denies"(api, expect) {
    const engine = engineFor(api);
    const subject = { organization_id: "org-1", roles: ["editor"] };
    expect("editor", engine.isAuthorized(subject, write("org-1")), true);
    subject.roles[0] = 5;
    expect("a number", engine.isAuthorized(subject, write("org-1")), false);
    expect("authorize says why", engine.authorize(subject, write("org-1")).type, "failure");
    subject.roles[0] = "editor";
    expect("editor again", engine.isAuthorized(subject, write("org-1")), true);
    engine.free();
  },

  "custom roles changed under a cached subject"(api, expect) {
    const engine = engineFor(api);
    const subject = { organization_id: "org-1", roles: ["writer"] };
    expect("writer", engine.isAuthorized(subject, write("org-1")), true);
    engine.setOrganizationPolicy("org-1", { roles: [] });
    expect("writer removed", engine.isAuthorized(subject, write("org-1")), false);
    engine.setOrganizationPolicy("org-1", writers);
    expect("writer back", engine.isAuthorized(subject, write("org-1")), true);
    engine.removeOrganizationPolicy("org-1");
    expect("policy removed", engine.isAuthorized(subject, write("org-1")), false);
    engine.free();
  },

  "one subject object, two engines"(api, expect) {
    const granting = engineFor(api);
    const denying = engineFor(api, { ...policy, roles: [{ role_id: "editor", permissions: [] }] });
    const subject = { organization_id: "org-1", roles: ["editor"] };
    for (let round = 0; round < 3; round++) {
      expect(`granting engine, round ${round}`, granting.isAuthorized(subject, write("org-1")), true);
      expect(`denying engine, round ${round}`, denying.isAuthorized(subject, write("org-1")), false);
    }
    granting.free();
    denying.free();
  },

  "getters that answer differently never poison the cache"(api, expect) {
    const engine = engineFor(api);
    let reads = 0;
    const fickle = {
      organization_id: "org-1",
      get roles() {
        reads++;
        return reads % 2 === 0 ? ["editor"] : ["viewer"];
      },
    };
    for (let round = 0; round < 12; round++) engine.isAuthorized(fickle, write("org-1"));
    expect("the getter was read", reads > 12, true);
    // Whatever the fickle object got, plain subjects get their own answers.
    for (let round = 0; round < 3; round++) {
      expect(`editor, round ${round}`, engine.isAuthorized({ organization_id: "org-1", roles: ["editor"] }, write("org-1")), true);
      expect(`viewer, round ${round}`, engine.isAuthorized({ organization_id: "org-1", roles: ["viewer"] }, write("org-1")), false);
    }
    engine.free();
  },

  "a role's getter that answers differently is never recorded under another reading"(api, expect) {
    const engine = engineFor(api);
    // Both members known, so the array below is found by content.
    expect("an editor writes", engine.isAuthorized({ organization_id: "org-1", roles: ["editor"] }, write("org-1")), true);
    expect("a viewer does not", engine.isAuthorized({ organization_id: "org-1", roles: ["viewer"] }, write("org-1")), false);
    // A frozen array (recorded at its first content hit) whose one role
    // reads "editor" once, then "viewer" for ever.
    let reads = 0;
    const roles = [];
    Object.defineProperty(roles, 0, { enumerable: true, get: () => (reads++ === 0 ? "editor" : "viewer") });
    Object.freeze(roles);
    const subject = { organization_id: "org-1", roles };
    expect("the first reading is an editor's", engine.isAuthorized(subject, write("org-1")), true);
    for (let round = 0; round < 3; round++) {
      expect(`every later reading is a viewer's, round ${round}`, engine.isAuthorized(subject, write("org-1")), false);
    }
    expect("a viewer still does not write", engine.isAuthorized({ organization_id: "org-1", roles: ["viewer"] }, write("org-1")), false);
    // Recorded while it reads "viewer", then it reads "editor": a frozen
    // getter is read again on every check.
    let later = 0;
    const turning = [];
    Object.defineProperty(turning, 0, { enumerable: true, get: () => (later++ < 2 ? "viewer" : "editor") });
    Object.freeze(turning);
    const turner = { organization_id: "org-1", roles: turning };
    expect("read as a viewer", engine.isAuthorized(turner, write("org-1")), false);
    for (let round = 0; round < 3; round++) {
      expect(`then as an editor, round ${round}`, engine.isAuthorized(turner, write("org-1")), true);
    }
    engine.free();
  },

  "a frozen roles array is recorded at once and still checked against its subject's organization"(api, expect) {
    const engine = engineFor(api);
    const roles = Object.freeze(["writer"]);
    for (let round = 0; round < 3; round++) {
      expect(`org-1 has writers, round ${round}`, engine.isAuthorized({ organization_id: "org-1", roles }, write("org-1")), true);
      expect(`org-2 has none, round ${round}`, engine.isAuthorized({ organization_id: "org-2", roles }, write("org-2")), false);
      expect(`a consumer has none, round ${round}`, engine.isAuthorized({ roles }, { resource_id: "docs", action: "write" }), false);
    }
    engine.free();
  },

  "frozen subjects and checks"(api, expect) {
    const engine = engineFor(api);
    const subject = Object.freeze({ organization_id: "org-1", roles: Object.freeze(["writer"]) });
    const check = Object.freeze(write("org-1"));
    for (let round = 0; round < 3; round++) expect(`round ${round}`, engine.isAuthorized(subject, check), true);
    engine.free();
  },

  "roles arrays are found by identity, copies by content"(api, expect) {
    const engine = engineFor(api);
    const roles = ["viewer", "writer"];
    const subject = { organization_id: "org-1", roles };
    engine.isAuthorized(subject, write("org-1"));
    const cache = engine[Symbol.for("orgpolicy.cache")];
    expect("the array is known", cache.objects.has(roles), true);
    expect("a subject built per call around it", engine.isAuthorized({ organization_id: "org-1", roles }, write("org-1")), true);
    // Arrays built per call are found by content and mostly not recorded;
    // one used again and again soon is.
    const copies = Array.from({ length: 10 }, () => ["viewer", "writer"]);
    for (const copy of copies) {
      expect("a copy answers alike", engine.isAuthorized({ organization_id: "org-1", roles: copy }, write("org-1")), true);
    }
    expect("ten copies, none recorded", copies.filter((copy) => cache.objects.has(copy)).length, 0);
    const longLived = ["viewer", "writer"];
    let calls = 0;
    while (!cache.objects.has(longLived) && calls < 1000) {
      expect("the long-lived copy answers alike", engine.isAuthorized({ organization_id: "org-1", roles: longLived }, write("org-1")), true);
      calls++;
    }
    expect("the long-lived copy is recorded within 61 calls", calls <= 61, true);
    // A frozen copy (a Session's, an immutable store's) at its first use.
    const frozen = Object.freeze(["viewer", "writer"]);
    expect("a frozen copy answers alike", engine.isAuthorized({ organization_id: "org-1", roles: frozen }, write("org-1")), true);
    expect("a frozen copy is recorded at once", cache.objects.has(frozen), true);
    const session = api.Session.create({ organization_id: "org-1", roles: ["viewer", "writer"] }).session;
    session.attach(engine);
    cache.contentHits = 0;
    for (let round = 0; round < 3; round++) expect(`a session's check, round ${round}`, session.isAuthorizedSync("docs", "write"), true);
    expect("a session's roles are found by identity after its first check", cache.contentHits, 0);
    expect("consumer subjects too", engine.isAuthorized({ roles: ["editor"] }, { resource_id: "docs", action: "write" }), true);
    expect("a consumer subject and an organization's check", engine.isAuthorized({ roles: ["editor"] }, write("org-1")), false);
    engine.free();
  },

  "permissions granted nowhere, until an organization policy grants them"(api, expect) {
    // Each way an organization policy can arrive must reach the cache.
    const ways = {
      setOrganizationPolicy: (engine, policy) => engine.setOrganizationPolicy("org-1", policy),
      setOrganizationPolicies: (engine, policy) => engine.setOrganizationPolicies({ "org-1": policy }),
      "setOrganizationPolicies (JSON text)": (engine, policy) => engine.setOrganizationPolicies(JSON.stringify({ "org-1": policy })),
      "Engine.session": (engine, policy) => engine.session({ organization_id: "org-1", roles: [] }, { organization_id: "org-1", custom_roles: policy.roles }),
      "Session.attach": (engine, policy) => {
        const created = api.Session.create({ organization_id: "org-1", roles: [] });
        created.session.attach(engine, { organization_id: "org-1", custom_roles: policy.roles });
      },
    };
    for (const [way, grant] of Object.entries(ways)) {
      const engine = engineFor(api);
      const subject = { organization_id: "org-1", roles: ["auditor", "writer"] };
      const unknown = { organization_id: "org-1", resource_id: "ledgers", action: "read" };
      const undeclared = { organization_id: "org-1", resource_id: "docs", action: "purge" };
      for (let round = 0; round < 3; round++) {
        expect(`${way}: unknown resource, round ${round}`, engine.isAuthorized(subject, unknown), false);
        expect(`${way}: undeclared action, round ${round}`, engine.isAuthorized(subject, undeclared), false);
        expect(`${way}: a granted check meanwhile, round ${round}`, engine.isAuthorized(subject, write("org-1")), true);
      }
      grant(engine, {
        roles: [
          { role_id: "auditor", permissions: [{ resource_id: "ledgers", actions: ["read"] }, { resource_id: "docs", actions: ["*"] }] },
          ...writers.roles,
        ],
      });
      for (let round = 0; round < 3; round++) {
        expect(`${way}: now granted (unknown resource), round ${round}`, engine.isAuthorized(subject, unknown), true);
        expect(`${way}: now granted (* on docs), round ${round}`, engine.isAuthorized(subject, undeclared), true);
        expect(`${way}: another organization still denied, round ${round}`, engine.isAuthorized({ organization_id: "org-2", roles: ["auditor"] }, { ...unknown, organization_id: "org-2" }), false);
      }
      engine.free();
    }
  },

  "resources and actions named like Object.prototype's members are cached as any other"(api, expect) {
    const loaded = api.Engine.load({
      resources: [
        { resource_id: "__proto__", actions: ["constructor", "toString"] },
        { resource_id: "constructor", actions: ["__proto__"] },
      ],
      roles: [{ role_id: "proto", permissions: [{ resource_id: "__proto__", actions: ["constructor"] }, { resource_id: "constructor", actions: ["__proto__"] }] }],
    });
    expect("loads", loaded.type, "success");
    const engine = loaded.engine;
    const subject = { organization_id: "org-1", roles: ["proto"] };
    const session = engine.session(subject).session;
    const cases = [
      ["__proto__", "constructor", true],
      ["__proto__", "toString", false],
      ["constructor", "__proto__", true],
      ["constructor", "constructor", false],
      ["__proto__", "hasOwnProperty", false],
      ["hasOwnProperty", "valueOf", false],
      ["toString", "__proto__", false],
    ];
    for (let round = 0; round < 3; round++) {
      for (const [resource, action, allowed] of cases) {
        const check = { organization_id: "org-1", resource_id: resource, action };
        expect(`${resource}.${action}, round ${round}`, engine.isAuthorized(subject, check), allowed);
        expect(`${resource}.${action} in a session, round ${round}`, session.isAuthorizedSync(resource, action), allowed);
      }
    }
    engine.free();
  },

  "another organization is denied whatever the roles hold"(api, expect) {
    const engine = engineFor(api);
    const odd = { organization_id: "org-2", roles: [5, null] };
    for (let round = 0; round < 3; round++) {
      expect(`round ${round}`, engine.isAuthorized(odd, write("org-1")), false);
      expect(`authorize agrees, round ${round}`, engine.authorize(odd, write("org-1")).type, "failure");
    }
    const cross = { organization_id: "org-2", roles: ["editor"] };
    expect("plain roles", engine.isAuthorized(cross, write("org-1")), false);
    expect("authorize says tenancy", engine.authorize(cross, write("org-1")).errorType, "tenancy_mismatch");
    engine.free();
  },

  "first sight through strings: NULs, accessors, consumers, no roles"(api, expect) {
    const engine = engineFor(api);
    // A role holding a NUL cannot be joined: it goes the complete way, and answers alike.
    for (let round = 0; round < 3; round++) {
      expect(`NUL role, round ${round}`, engine.isAuthorized({ organization_id: "org-1", roles: ["writer\u0000x"] }, write("org-1")), false);
      expect(`NUL role beside a granting one, round ${round}`, engine.isAuthorized({ organization_id: "org-1", roles: ["a\u0000", "writer"] }, write("org-1")), true);
    }
    // An empty role id is a role id.
    expect("an empty role", engine.isAuthorized({ organization_id: "org-1", roles: [""] }, write("org-1")), false);
    expect("no roles", engine.isAuthorized({ organization_id: "org-1" }, write("org-1")), false);
    expect("consumer", engine.isAuthorized({ roles: ["editor"] }, { resource_id: "docs", action: "write" }), true);
    expect("consumer, again", engine.isAuthorized({ roles: ["editor"] }, { resource_id: "docs", action: "write" }), true);
    // An array element that is an accessor is read once per check, and the answer follows what was read.
    let reads = 0;
    const roles = [];
    Object.defineProperty(roles, 0, { enumerable: true, get: () => (reads++ % 2 === 0 ? "writer" : "viewer") });
    const answers = [];
    for (let round = 0; round < 6; round++) answers.push(engine.isAuthorized({ organization_id: "org-1", roles }, write("org-1")));
    expect("the accessor was read", reads >= 6, true);
    // Plain subjects are not disturbed by whatever the fickle array got.
    expect("writer after the accessor", engine.isAuthorized({ organization_id: "org-1", roles: ["writer"] }, write("org-1")), true);
    expect("viewer after the accessor", engine.isAuthorized({ organization_id: "org-1", roles: ["viewer"] }, write("org-1")), false);
    engine.free();
  },

  "one roles array, two organizations"(api, expect) {
    const engine = engineFor(api);
    engine.setOrganizationPolicy("org-2", { roles: [] });
    const roles = ["writer"];
    for (let round = 0; round < 70; round++) {
      expect(`org-1, round ${round}`, engine.isAuthorized({ organization_id: "org-1", roles }, write("org-1")), true);
      expect(`org-2, round ${round}`, engine.isAuthorized({ organization_id: "org-2", roles }, write("org-2")), false);
    }
    engine.free();
  },
};

export const runCacheChecks = (api) => runChecks(checks, api);
