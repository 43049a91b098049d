// Hydrates the server's HTML, then checks through a member session: the
// session is created when the module loads, before the policy, and
// attached when the policy arrives. The test then changes the member's
// roles (a new session) and the organization's custom roles.
import { Engine, Session } from "orgpolicy/web";
import { POLICY } from "./app.mjs";
import { hydrateThenLoad } from "./hydrate.mjs";

const store = await hydrateThenLoad();
window.states = [];
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
