// The React bindings' types under `tsc --strict`: a typed store over the
// package's own Engine, the hooks' results, and the mistakes that must not
// compile.
import { Engine, Session } from "orgpolicy";
import {
  AuthorizationProvider,
  Authorized,
  createAuthorizationStore,
  useIsAuthorized,
  usePermissions,
  type AuthorizationStore,
} from "orgpolicy/react";

const loaded = Engine.load({ resources: [], roles: [] });
const engine = loaded.type === "success" ? loaded.engine : null;
export const store: AuthorizationStore<Engine> = createAuthorizationStore({
  engine,
  subject: { organization_id: "organization-test-1", roles: ["stytch_member"] },
});
store.update((e) => {
  e?.setOrganizationPolicy("organization-test-1", { roles: [] });
});
store.setSubject(null);

// A store over a member session whose policy arrives later.
const created = Session.create({ organization_id: "organization-test-1", roles: ["stytch_member"] });
export const sessionStore: AuthorizationStore<Engine, Session> = createAuthorizationStore({
  session: created.type === "success" ? created.session : null,
});
sessionStore.update((e, session) => {
  if (e && session) session.attach(e, { organization_id: "organization-test-1", custom_roles: [] });
});
const member: { organization_id: string; roles: string[] } | undefined = sessionStore.getState().session?.member;
void member;
sessionStore.setSession(null);
// @ts-expect-error: a session is not a subject
sessionStore.setSubject(created.type === "success" ? created.session : null);

export function Toolbar() {
  const { isAuthorized, isInitialized } = useIsAuthorized("documents", "write");
  const { permissions } = usePermissions();
  const canRead: boolean | undefined = permissions["documents"]?.["read"];
  return (
    <AuthorizationProvider store={store}>
      {isInitialized && isAuthorized && canRead ? <button>Edit</button> : null}
      <Authorized resource="invoices" action="approve" fallback={<span>read only</span>}>
        <button>Approve</button>
      </Authorized>
    </AuthorizationProvider>
  );
}

// @ts-expect-error: a subject needs its roles
store.setSubject({ organization_id: "organization-test-1" });
// @ts-expect-error: the hook takes a resource and an action
useIsAuthorized("documents");
// @ts-expect-error: the result is read-only
useIsAuthorized("documents", "read").isAuthorized = true;
// @ts-expect-error: <Authorized> needs an action
export const missing = <Authorized resource="invoices">x</Authorized>;
