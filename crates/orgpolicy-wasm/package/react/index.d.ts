import type { ReactNode } from "react";
import type { ActionOf, ResourceId } from "orgpolicy";

/** What the bindings need of an engine (any build's `Engine`). */
export interface AuthorizationEngine {
  isAuthorized(
    subject: { organization_id?: string | null; roles: string[] },
    check: { organization_id?: string | null; resource_id: string; action: string },
  ): boolean;
  allPermissions(
    subject: { organization_id?: string | null; roles: string[] },
    organizationId?: string | null,
  ):
    | { type: "success"; permissions: Record<string, Record<string, boolean>> }
    | { type: "failure"; errors: { code: string; message: string; path: string }[] };
}

/** What the bindings need of a session (any build's `Session`). */
export interface AuthorizationSession {
  readonly state: "ready" | "policy_not_loaded";
  readonly member: { organization_id: string; roles: string[] };
  isAuthorizedSync(resourceId: string, action: string): boolean;
  allPermissions():
    | { type: "success"; permissions: Record<string, Record<string, boolean>> }
    | { type: "policy_not_loaded"; message: string }
    | { type: "failure"; errors: { code: string; message: string; path: string }[] };
}

export interface AuthorizationSubject {
  organization_id: string;
  roles: string[];
}

export interface AuthorizationState<
  E extends AuthorizationEngine = AuthorizationEngine,
  S extends AuthorizationSession = AuthorizationSession,
> {
  readonly engine: E | null;
  /** When set, checks go through it (and `subject` is its member). */
  readonly session: S | null;
  readonly subject: AuthorizationSubject | null;
  readonly version: number;
}

export interface AuthorizationStore<
  E extends AuthorizationEngine = AuthorizationEngine,
  S extends AuthorizationSession = AuthorizationSession,
> {
  subscribe(listener: () => void): () => void;
  getState(): AuthorizationState<E, S>;
  setEngine(engine: E | null): void;
  /** Sets the subject checked through the engine (and drops any session). */
  setSubject(subject: AuthorizationSubject | null): void;
  /** Sets the session checks go through (say, a new one after a role change). */
  setSession(session: S | null): void;
  /** Runs `change` (an organization policy change, `session.attach(engine)`), then tells every hook. */
  update(change: (engine: E | null, session: S | null) => void): void;
  decide(resourceId: string, action: string): 0 | 1 | 2;
  /** The subject and every answer asked for so far: hand it to the client's store as `initial`. */
  dehydrate(): DehydratedAuthorization;
  permissions(): PermissionsState;
}

export interface IsAuthorizedState {
  readonly isAuthorized: boolean;
  readonly isInitialized: boolean;
}

export interface PermissionsState {
  readonly isInitialized: boolean;
  readonly permissions: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
}

/** What a server's store hands to the client's (JSON-safe). */
export interface DehydratedAuthorization {
  subject: AuthorizationSubject | null;
  decisions: Record<string, boolean>;
  permissions?: Record<string, Record<string, boolean>>;
}

export function createAuthorizationStore<
  E extends AuthorizationEngine = AuthorizationEngine,
  S extends AuthorizationSession = AuthorizationSession,
>(options?: {
  engine?: E | null;
  subject?: AuthorizationSubject | null;
  /** A member session: checks go through it once its state is "ready". */
  session?: S | null;
  /** A server store's `dehydrate()`: answers until this store has an engine. */
  initial?: DehydratedAuthorization | null;
}): AuthorizationStore<E, S>;

export function AuthorizationProvider(props: { store: AuthorizationStore<any, any>; children?: ReactNode }): ReactNode;

/** Typed by the permissions registered on `orgpolicy` (see `orgpolicy-types`). */
export function useIsAuthorized<R extends ResourceId>(resourceId: R, action: ActionOf<R>): IsAuthorizedState;

export function usePermissions(): PermissionsState;

export function Authorized<R extends ResourceId>(props: {
  resource: R;
  action: ActionOf<R>;
  fallback?: ReactNode;
  children?: ReactNode;
}): ReactNode;
