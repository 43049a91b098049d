// React bindings for an orgpolicy `Engine`: one store, read by every hook
// through `useSyncExternalStore`, so a component re-renders only when its
// own answer changes, and the server's render and the client's first
// render agree when both start from the same store state.
import { createContext, createElement, Fragment, useContext, useSyncExternalStore } from "react";

const NOT_INITIALIZED = Object.freeze({ isAuthorized: false, isInitialized: false });
const ALLOWED = Object.freeze({ isAuthorized: true, isInitialized: true });
const DENIED = Object.freeze({ isAuthorized: false, isInitialized: true });
const NO_PERMISSIONS = Object.freeze({ isInitialized: false, permissions: Object.freeze({}) });

/**
 * A store holding an engine and the signed-in subject. Nothing is checked
 * until both are there: hooks then say `isInitialized: false`, never a
 * silent `false`.
 */
export function createAuthorizationStore({ engine = null, subject = null } = {}) {
  let state = { engine, subject, version: 0 };
  const listeners = new Set();
  const emit = (next) => {
    state = { ...state, ...next, version: state.version + 1 };
    for (const listener of [...listeners]) listener();
  };
  let permissionsKey = "";
  let permissions = NO_PERMISSIONS;
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
      emit({ subject });
    },
    /** Runs `change(engine)` (say, `setOrganizationPolicy`), then tells every hook. */
    update(change) {
      if (state.engine) change(state.engine);
      emit({});
    },
    /** 0 not initialized, 1 denied, 2 allowed: a primitive, so unchanged answers render nothing. */
    decide(resourceId, action) {
      const { engine, subject } = state;
      if (!engine || !subject) return 0;
      const check = { organization_id: subject.organization_id, resource_id: resourceId, action };
      return engine.isAuthorized(subject, check) ? 2 : 1;
    },
    /** `{isInitialized, permissions: {resourceId: {action: boolean}}}`, the same object while unchanged. */
    permissions() {
      const { engine, subject } = state;
      if (!engine || !subject) return NO_PERMISSIONS;
      const answer = engine.allPermissions(subject, subject.organization_id);
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

/** Provides a store (or one made from `engine` and `subject`) to the tree. */
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
