// Hydrates the server's HTML from a store over a member session: the
// session is created when the module loads, before the policy, and
// attached when the policy arrives. The test then changes the member's
// roles (a new session) and the organization's custom roles.
import { createElement as h } from "react";
import { hydrateRoot } from "react-dom/client";
import init, { Engine, Session } from "orgpolicy/web";
import { AuthorizationProvider, createAuthorizationStore } from "orgpolicy/react";
import { App, POLICY } from "./app.mjs";

const store = createAuthorizationStore({ initial: window.AUTHORIZATION });
window.store = store;
window.recoverable = [];
window.states = [];
globalThis.renders = {};
hydrateRoot(document.getElementById("root"), h(AuthorizationProvider, { store }, h(App)), {
  onRecoverableError: (error) => window.recoverable.push(String(error)),
});
window.hydrated = true;
await init({ module_or_path: "/wasm/orgpolicy_bg.wasm" });
const member = window.AUTHORIZATION.subject;
store.setSession(Session.create(member).session);
window.states.push(store.getState().session.state);
const engine = Engine.load(POLICY).engine;
store.update((_, session) => session.attach(engine));
window.states.push(store.getState().session.state);
window.changeRoles = (roles) => store.setSession(engine.session({ ...member, roles }).session);
window.attachCustomRoles = (custom_roles) =>
  store.update((_, session) => session.attach(engine, { organization_id: member.organization_id, custom_roles }));
window.engineReady = true;
