// `Session` (the frontend SDK's checks for one member session) against the
// engine it checks through, shared by the Node and Chromium runs:
// runSessionChecks(api) -> [{name, failures}].
//
// A session must answer what its engine answers for the member, say
// "policy_not_loaded" rather than a silent false before it has one, set an
// organization's custom roles all or nothing, and never throw.

import { runChecks } from "./checks.mjs";

const policy = {
  resources: [{ resource_id: "docs", actions: ["read", "write", "share"] }],
  roles: [
    { role_id: "viewer", permissions: [{ resource_id: "docs", actions: ["read"] }] },
    { role_id: "editor", permissions: [{ resource_id: "docs", actions: ["read", "write"] }] },
  ],
};
const sharers = [{ role_id: "sharer", permissions: [{ resource_id: "docs", actions: ["share"] }] }];
const member = { organization_id: "org-1", roles: ["viewer", "sharer"] };
const NOT_LOADED = { type: "policy_not_loaded", message: "the RBAC policy is not loaded yet: attach an engine to this session" };

function engineFor(api) {
  const loaded = api.Engine.load(policy);
  if (loaded.type !== "success") throw new Error(JSON.stringify(loaded));
  return loaded.engine;
}

function created(api, value) {
  const answer = api.Session.create(value);
  if (answer.type !== "success") throw new Error(JSON.stringify(answer));
  return answer.session;
}

/** `[code, path]` of a failure's only error, or the answer's type. */
function problem(answer) {
  if (answer.type !== "failure") return answer.type;
  return answer.errors.map((error) => `${error.code} ${error.path}`).join("; ");
}

const json = JSON.stringify;

const checks = {
  "before a policy: policy_not_loaded, never a silent false"(api, expect) {
    const session = created(api, member);
    expect("state", session.state, "policy_not_loaded");
    expect("isAuthorizedSync", session.isAuthorizedSync("docs", "read"), false);
    expect("authorize", json(session.authorize("docs", "read")), json(NOT_LOADED));
    expect("allPermissions", json(session.allPermissions()), json(NOT_LOADED));
    expect("authorize checks its arguments first", problem(session.authorize(5, "read")), "invalid_type ");
    expect("instanceof", session instanceof api.Session, true);
  },

  "attached: the engine's answers for the member, in the member's organization"(api, expect) {
    const engine = engineFor(api);
    engine.setOrganizationPolicy("org-1", { roles: sharers });
    const session = created(api, member);
    expect("attach", json(session.attach(engine)), json({ type: "success" }));
    expect("state", session.state, "ready");
    for (const resource of ["docs", "ledgers"]) {
      for (const action of ["read", "write", "share", "purge"]) {
        const check = { organization_id: "org-1", resource_id: resource, action };
        const label = `${resource}.${action}`;
        expect(`${label}: isAuthorizedSync`, session.isAuthorizedSync(resource, action), engine.isAuthorized(member, check));
        expect(`${label}: again (cached)`, session.isAuthorizedSync(resource, action), engine.isAuthorized(member, check));
        expect(`${label}: authorize`, json(session.authorize(resource, action)), json(engine.authorize(member, check)));
      }
    }
    expect("share allowed through the organization's role", session.isAuthorizedSync("docs", "share"), true);
    expect("write denied", json(session.authorize("docs", "write")), json({ type: "deny", errorType: "invalid_permissions", message: "Member does not have permission to perform the requested action" }));
    expect("allPermissions", json(session.allPermissions()), json(engine.allPermissions(member, "org-1")));
    expect("non-strings are false", session.isAuthorizedSync(null, {}), false);
    expect("a custom role change reaches the session", (engine.setOrganizationPolicy("org-1", { roles: [] }), session.isAuthorizedSync("docs", "share")), false);
    engine.free();
  },

  "the member is read once, and handed out as copies"(api, expect) {
    const given = { organization_id: "org-1", roles: ["viewer"], member_id: "member-test-1" };
    const session = created(api, given);
    given.roles.push("editor");
    given.organization_id = "org-2";
    expect("member as created", json(session.member), json({ organization_id: "org-1", roles: ["viewer"] }));
    const read = session.member;
    read.roles.push("editor");
    expect("a read member is a copy", json(session.member), json({ organization_id: "org-1", roles: ["viewer"] }));
    const engine = engineFor(api);
    session.attach(engine);
    expect("checks the member as created", session.isAuthorizedSync("docs", "write"), false);
    expect("roles default to none", json(created(api, { organization_id: "org-1" }).member), json({ organization_id: "org-1", roles: [] }));
    engine.free();
  },

  "Stytch's member session object is read as the SDK holds it"(api, expect) {
    // The fields of the B2B frontend SDK's member session; only two are read.
    const stytchSession = {
      member_session_id: "member-session-test-1",
      member_id: "member-test-1",
      organization_id: "org-1",
      organization_slug: "org-one",
      started_at: "2026-11-30T00:00:00Z",
      last_accessed_at: "2026-11-30T00:00:00Z",
      expires_at: "2026-11-30T01:00:00Z",
      authentication_factors: [{ type: "magic_link", delivery_method: "email" }],
      custom_claims: {},
      roles: ["stytch_member", "editor"],
    };
    const engine = engineFor(api);
    const answer = engine.session(stytchSession);
    expect("engine.session", answer.type, "success");
    expect("editor may write", answer.session.isAuthorizedSync("docs", "write"), true);
    engine.free();
  },

  "unreadable member sessions: codes and pointers"(api, expect) {
    const cases = [
      [{}, "missing_field "],
      [{ organization_id: 5 }, "invalid_type /organization_id"],
      [{ organization_id: null }, "invalid_type /organization_id"],
      [{ organization_id: "org-1", roles: "viewer" }, "invalid_type /roles"],
      [{ organization_id: "org-1", roles: null }, "invalid_type /roles"],
      [{ organization_id: "org-1", roles: ["viewer", 3] }, "invalid_type /roles/1"],
      ['{"organization_id": "org-1"}', "invalid_type "],
      [[], "invalid_type "],
      [null, "invalid_type "],
      [undefined, "invalid_type "],
    ];
    for (const [value, expected] of cases) {
      expect(`${json(value)}`, problem(api.Session.create(value)), expected);
    }
    const hostile = new Proxy({}, { get() { throw new Error("no reading"); } });
    expect("a throwing getter", problem(api.Session.create(hostile)), "invalid_format ");
    const roles = [];
    Object.defineProperty(roles, 0, { enumerable: true, get: () => { throw new Error("no role"); } });
    roles.length = 1;
    expect("a throwing role", problem(api.Session.create({ organization_id: "org-1", roles })), "invalid_format ");
    const unprintable = { toString() { throw new Error("not even this"); } };
    const nasty = { get organization_id() { throw unprintable; } };
    expect("a getter throwing what cannot be shown", problem(api.Session.create(nasty)), "invalid_format ");
    let threw = false;
    try {
      new api.Session(member);
    } catch (error) {
      threw = error instanceof TypeError;
    }
    expect("new Session() is refused: Session.create is the way", threw, true);
  },

  "custom roles on attach: all or nothing"(api, expect) {
    const engine = engineFor(api);
    const session = created(api, member);
    const other = session.attach(engine, { organization_id: "org-2", custom_roles: sharers });
    expect("another organization", problem(other), "invalid_format /organization_id");
    expect("another organization: not attached", session.state, "policy_not_loaded");
    expect("another organization: nothing set", engine.isAuthorized({ organization_id: "org-2", roles: ["sharer"] }, { organization_id: "org-2", resource_id: "docs", action: "share" }), false);
    const broken = [{ role_id: "sharer", permissions: [{ resource_id: "docs", actions: ["share", 7] }] }];
    expect("an unreadable role", problem(session.attach(engine, { organization_id: "org-1", custom_roles: broken })), "invalid_type /custom_roles/0/permissions/0/actions/1");
    expect("an unreadable role: not attached", session.state, "policy_not_loaded");
    expect("an unreadable role: nothing set", engine.isAuthorized(member, { organization_id: "org-1", resource_id: "docs", action: "share" }), false);
    expect("custom_roles not a list", problem(session.attach(engine, { organization_id: "org-1", custom_roles: 5 })), "invalid_type /custom_roles");
    expect("no organization id", problem(session.attach(engine, { custom_roles: sharers })), "missing_field ");
    expect("not an engine", problem(session.attach({}, null)), "invalid_type ");
    expect("not an engine: not attached", session.state, "policy_not_loaded");
    expect("custom_roles null: attached, nothing set", problem(session.attach(engine, { organization_id: "org-1", custom_roles: null })), "success");
    expect("share still denied", session.isAuthorizedSync("docs", "share"), false);
    expect("custom roles set", problem(session.attach(engine, { organization_id: "org-1", custom_roles: sharers })), "success");
    expect("share allowed", session.isAuthorizedSync("docs", "share"), true);
    expect("the engine has them for everyone in org-1", engine.isAuthorized({ organization_id: "org-1", roles: ["sharer"] }, { organization_id: "org-1", resource_id: "docs", action: "share" }), true);
    engine.free();
  },

  "engine.session is Session.create then attach"(api, expect) {
    const engine = engineFor(api);
    const answer = engine.session(member, { organization_id: "org-1", custom_roles: sharers });
    expect("success", answer.type, "success");
    expect("ready", answer.session.state, "ready");
    expect("share allowed", answer.session.isAuthorizedSync("docs", "share"), true);
    expect("a bad member", problem(engine.session({ roles: [] })), "missing_field ");
    expect("another organization", problem(engine.session(member, { organization_id: "org-2" })), "invalid_format /organization_id");
    expect("a second engine has its own", engineFor(api).session(member).session.isAuthorizedSync("docs", "share"), false);
    engine.free();
  },

  "a session checks with the handles of the engine it is attached to now"(api, expect) {
    const first = engineFor(api);
    first.setOrganizationPolicy("org-1", { roles: sharers });
    const second = engineFor(api);
    // On the second engine another member's roles are resolved first, so
    // the handles the session had on the first engine mean someone else there.
    const editor = { organization_id: "org-1", roles: ["editor"] };
    expect("an editor writes", second.isAuthorized(editor, { organization_id: "org-1", resource_id: "docs", action: "write" }), true);
    const session = created(api, member);
    session.attach(first);
    expect("first engine: share", session.isAuthorizedSync("docs", "share"), true);
    expect("first engine: write", session.isAuthorizedSync("docs", "write"), false);
    session.attach(second);
    expect("second engine: no sharer role there", session.isAuthorizedSync("docs", "share"), false);
    expect("second engine: still no write", session.isAuthorizedSync("docs", "write"), false);
    expect("second engine: read", session.isAuthorizedSync("docs", "read"), true);
    expect("a grant nowhere, then granted", (second.setOrganizationPolicy("org-1", { roles: sharers }), session.isAuthorizedSync("docs", "share")), true);
    expect("roles removed again", (second.setOrganizationPolicy("org-1", { roles: [] }), session.isAuthorizedSync("docs", "share")), false);
    first.free();
    second.free();
  },

  "a session made per request finds its member by content, and only its member"(api, expect) {
    const engine = engineFor(api);
    engine.setOrganizationPolicy("org-1", { roles: sharers });
    const share = { organization_id: "org-1", resource_id: "docs", action: "share" };
    // The engine has seen these roles before, in other arrays.
    expect("a longer member shares", engine.isAuthorized({ organization_id: "org-1", roles: ["viewer", "sharer"] }, share), true);
    expect("an editor writes", engine.isAuthorized({ organization_id: "org-1", roles: ["editor"] }, { ...share, action: "write" }), true);
    const same = engine.session({ organization_id: "org-1", roles: ["viewer", "sharer"] }).session;
    expect("the same roles: share", same.isAuthorizedSync("docs", "share"), true);
    expect("the same roles: no write", same.isAuthorizedSync("docs", "write"), false);
    const prefix = engine.session({ organization_id: "org-1", roles: ["viewer"] }).session;
    expect("a prefix of known roles is another member: no share", prefix.isAuthorizedSync("docs", "share"), false);
    expect("a prefix: read", prefix.isAuthorizedSync("docs", "read"), true);
    const longer = engine.session({ organization_id: "org-1", roles: ["viewer", "sharer", "editor"] }).session;
    expect("longer than known roles: write", longer.isAuthorizedSync("docs", "write"), true);
    const elsewhere = engine.session({ organization_id: "org-2", roles: ["viewer", "sharer"] }).session;
    expect("the same roles in another organization: no sharer role there", elsewhere.isAuthorizedSync("docs", "share"), false);
    expect("in another organization: read", elsewhere.isAuthorizedSync("docs", "read"), true);
    engine.free();
  },

  "free: a detached session, a freed engine, and nothing throws"(api, expect) {
    const engine = engineFor(api);
    const session = engine.session(member).session;
    expect("ready", session.isAuthorizedSync("docs", "read"), true);
    session.free();
    expect("detached", session.state, "policy_not_loaded");
    if (Symbol.dispose) expect("Symbol.dispose is free", session[Symbol.dispose], session.free);
    expect("detached: authorize", json(session.authorize("docs", "read")), json(NOT_LOADED));
    expect("attached again", (session.attach(engine), session.isAuthorizedSync("docs", "read")), true);
    engine.free();
    let answers;
    try {
      answers = [session.isAuthorizedSync("docs", "read"), problem(session.authorize("docs", "read")), problem(session.allPermissions())];
    } catch (error) {
      answers = [`threw ${error}`];
    }
    expect("a freed engine answers nothing", json(answers), json([false, "invalid_format ", "invalid_format "]));
  },
};

export const runSessionChecks = (api) => runChecks(checks, api);
