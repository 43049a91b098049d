// React bindings for an orgpolicy `Engine` or `Session`: one store, read by every hook
// through `useSyncExternalStore`, so a component re-renders only when its
// own answer changes, and the server's render and the client's first
// render agree when both start from the same store state.
import { createContext, createElement, Fragment, useContext, useSyncExternalStore } from "react";

const NOT_INITIALIZED = Object.freeze({ isAuthorized: false, isInitialized: false });
const ALLOWED = Object.freeze({ isAuthorized: true, isInitialized: true });
const DENIED = Object.freeze({ isAuthorized: false, isInitialized: true });
const NO_PERMISSIONS = Object.freeze({ isInitialized: false, permissions: Object.freeze({}) });

/** Whether two subjects name the same organization and the same roles, in order. */
function sameSubject(a, b) {
  if (!a || !b) return false;
  if (a === b) return true;
  const [x, y] = [a.roles ?? [], b.roles ?? []];
  return (a.organization_id ?? null) === (b.organization_id ?? null) && x.length === y.length && x.every((role, i) => role === y[i]);
}

/**
 * A store holding what checks run on: an engine and the signed-in subject,
 * or a `Session` (one member, as Stytch's frontend SDK holds it, whose
 * policy may arrive later through `session.attach`). Nothing is checked
 * until there is an engine and a subject, or a session whose state is
 * "ready": hooks then say `isInitialized: false`, never a silent `false`.
 * `initial` is what a server's store `dehydrate()`d: the subject and the
 * answers its render asked for, which the client answers from (for the
 * same subject) until it can check, so its first render matches the
 * server's before the WebAssembly module or the policy has loaded.
 */
export function createAuthorizationStore({ engine = null, subject = null, session = null, initial = null } = {}) {
  let state = { engine, session, subject: session ? session.member : (subject ?? initial?.subject ?? null), version: 0 };
  const handed = new Map(Object.entries(initial?.decisions ?? {}));
  const asked = new Map();
  const listeners = new Set();
  const emit = (next) => {
    state = { ...state, ...next, version: state.version + 1 };
    for (const listener of [...listeners]) listener();
  };
  let permissionsKey = "";
  let permissions = NO_PERMISSIONS;
  /** Whether checks can run: a session whose policy is attached, or (without one) an engine and a subject. */
  const ready = () => (state.session ? state.session.state === "ready" : Boolean(state.engine && state.subject));
  /** Whether the server's answers in `initial` are for the current subject. */
  const handedOver = () => sameSubject(state.subject, initial?.subject);
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getState: () => state,
    /** Sets (or replaces) the engine. */
    setEngine(engine) {
      emit({ engine });
    },
    /** Sets the subject (`{organization_id, roles}`), or `null` when signed out. */
    setSubject(subject) {
      emit({ subject, session: null });
    },
    /** Sets the session (say, a new one after the member's roles changed), or `null` when signed out. */
    setSession(session) {
      emit({ session, subject: session ? session.member : null });
    },
    /**
     * Runs `change(engine, session)` (say, `engine.setOrganizationPolicy`,
     * or `session.attach(engine)` once the policy has loaded), then tells
     * every hook.
     */
    update(change) {
      if (state.engine || state.session) change(state.engine, state.session);
      emit({});
    },
    /** 0 not initialized, 1 denied, 2 allowed: a primitive, so unchanged answers render nothing. */
    decide(resourceId, action) {
      const { engine, subject, session } = state;
      const key = `${resourceId}\u0000${action}`;
      if (!ready()) {
        // Nothing to check with yet: the server's answer for the same subject, if handed over.
        const answer = handedOver() ? handed.get(key) : undefined;
        return answer === undefined ? 0 : answer ? 2 : 1;
      }
      const allowed = session
        ? session.isAuthorizedSync(resourceId, action)
        : engine.isAuthorized(subject, { organization_id: subject.organization_id, resource_id: resourceId, action });
      asked.set(key, allowed);
      return allowed ? 2 : 1;
    },
    /** The subject and every answer asked for so far, as JSON-safe data for `initial`. */
    dehydrate() {
      const handedPermissions = permissions === NO_PERMISSIONS ? undefined : permissions.permissions;
      return { subject: state.subject, decisions: Object.fromEntries(asked), permissions: handedPermissions };
    },
    /** `{isInitialized, permissions: {resourceId: {action: boolean}}}`, the same object while unchanged. */
    permissions() {
      const { engine, subject, session } = state;
      if (!ready()) {
        if (handedOver() && initial?.permissions) {
          if (permissions === NO_PERMISSIONS) {
            permissionsKey = JSON.stringify(initial.permissions);
            permissions = Object.freeze({ isInitialized: true, permissions: initial.permissions });
          }
          return permissions;
        }
        return NO_PERMISSIONS;
      }
      const answer = session ? session.allPermissions() : engine.allPermissions(subject, subject.organization_id);
      const map = answer.type === "success" ? answer.permissions : {};
      const key = JSON.stringify(map);
      if (key !== permissionsKey) {
        permissionsKey = key;
        permissions = Object.freeze({ isInitialized: true, permissions: map });
      }
      return permissions;
    },
  };
}

const StoreContext = createContext(null);

/** Provides a store (from `createAuthorizationStore`) to the tree. */
export function AuthorizationProvider({ store, children }) {
  if (!store) throw new TypeError("AuthorizationProvider needs a store (createAuthorizationStore)");
  return createElement(StoreContext.Provider, { value: store }, children);
}

function useStore() {
  const store = useContext(StoreContext);
  if (!store) throw new Error("orgpolicy/react hooks must be used inside <AuthorizationProvider>");
  return store;
}

/** `{isAuthorized, isInitialized}` for one resource and action. */
export function useIsAuthorized(resourceId, action) {
  const store = useStore();
  const read = () => store.decide(resourceId, action);
  const code = useSyncExternalStore(store.subscribe, read, read);
  return code === 2 ? ALLOWED : code === 1 ? DENIED : NOT_INITIALIZED;
}

/** Every declared permission of the subject: `{isInitialized, permissions}`. */
export function usePermissions() {
  const store = useStore();
  const read = () => store.permissions();
  return useSyncExternalStore(store.subscribe, read, read);
}

/** Renders `children` when allowed, `fallback` otherwise (and while not initialized). */
export function Authorized({ resource, action, fallback = null, children }) {
  const { isAuthorized } = useIsAuthorized(resource, action);
  return createElement(Fragment, null, isAuthorized ? children : fallback);
}
