//! `Engine`: the runtime module, the package's main entry. (`Session` and
//! `engine.session` are JS over `Engine`, in `js/orgpolicy.js`; their types
//! are declared here.)

use crate::convert::{
    Errors, answer, busy, read, read_optional_string, read_organization_policies,
    read_organization_policy, read_policy, read_string, success_empty, success_with,
};
use crate::state::{EngineState, NO_ORGANIZATION};
use orgpolicy_core::{
    AllPermissions, AuthorizationCheck, DenyCode, OrganizationPolicy, ScopeSubject, Subject,
};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

type Shared = Rc<RefCell<EngineState>>;

#[wasm_bindgen(module = "/js/orgpolicy.js")]
extern "C" {
    #[wasm_bindgen(js_name = newCache)]
    fn new_cache() -> JsValue;
    /// Never throws; see `js/orgpolicy.js`.
    fn lookup(cache: &JsValue, subject: &JsValue, check: &JsValue) -> f64;
    /// Caches what the module read and resolved (never a second reading of
    /// the objects, whose getters could answer differently).
    #[allow(clippy::too_many_arguments)]
    fn remember(
        cache: &JsValue,
        subject: &JsValue,
        organization_id: &JsValue,
        roles: &js_sys::Array,
        resource_id: &str,
        action: &str,
        subject_handle: u32,
        permission: u32,
        granted: bool,
    );
    /// Drops the permissions cached as granted nowhere (an organization
    /// policy now grants something new).
    #[wasm_bindgen(js_name = forgetUngranted)]
    fn forget_ungranted(cache: &JsValue);
    /// Gives a new engine's JS object its cache, and puts the JS
    /// `isAuthorized` in front of this module's (once).
    #[wasm_bindgen(js_name = withFastPath)]
    fn with_fast_path(engine: JsValue, cache: &JsValue) -> JsValue;
    /// `{type: "allow"}`.
    #[wasm_bindgen(js_name = decided)]
    fn allowed() -> JsValue;
    /// `{type: "deny", errorType, message}`.
    #[wasm_bindgen(js_name = decided)]
    fn denied(error_type: &str, message: &str) -> JsValue;
    /// `{type: "success", permissions}` from each resource's id followed by
    /// its actions' names (`counts` actions each), one byte per action.
    #[wasm_bindgen(js_name = permissionsOf)]
    fn permissions_of(names: Vec<String>, counts: &[u32], allowed: &[u8]) -> JsValue;
}

/// `lookup`'s answers besides a packed pair of handles: false without a
/// check (another organization, or a permission granted nowhere), and
/// plain input not yet cached.
const DENIED: f64 = -1.0;
const MISS: f64 = -2.0;
/// Distinct subjects and permissions the string API caches per engine
/// (each one also interns its strings in the engine): enough for any real
/// page, a bound for a caller feeding it random strings.
const CACHE_LIMIT: u32 = 1 << 16;
/// Subject handles the packing leaves room for (`subject * 2^32 +
/// permission` must stay exact in an f64).
const PACKABLE_SUBJECTS: u32 = 1 << 21;
/// Every packed pair is below it (2^53).
#[allow(clippy::cast_lossless, reason = "f64::from is not const")]
const PACKED_LIMIT: f64 = PACKABLE_SUBJECTS as f64 * 4_294_967_296.0;

/// Compiled project policy and organization policies.
#[wasm_bindgen]
pub struct Engine {
    state: Shared,
    /// The string API's cache of resolved handles (a JS object).
    cache: JsValue,
    cached: Cell<u32>,
}

/// A decision as the SDKs report it: `{type: "allow"} | {type: "deny",
/// errorType, message}` (why: `explain` in `orgpolicy/tools`).
fn decision(result: Result<(), DenyCode>, organization_id: Option<&str>) -> JsValue {
    match result {
        Ok(()) => allowed(),
        Err(code) => denied(
            code.as_str(),
            orgpolicy_core::Engine::deny_message(code, organization_id),
        ),
    }
}

/// `{type: "success", permissions: {resourceId: {action: allowed}}}`.
fn permissions_answer(permissions: &AllPermissions) -> JsValue {
    let resources = permissions.resources();
    let mut names = Vec::with_capacity(resources.len());
    let mut counts = Vec::with_capacity(resources.len());
    let mut allowed = Vec::new();
    for resource in resources {
        names.push(resource.resource_id.clone());
        counts.push(u32::try_from(resource.actions.len()).unwrap_or(u32::MAX));
        for (action, granted) in &resource.actions {
            names.push(action.clone());
            allowed.push(u8::from(*granted));
        }
    }
    permissions_of(names, &counts, &allowed)
}

impl Engine {
    /// An engine for a project policy (for Rust callers: tests, embedders).
    pub fn from_policy(policy: orgpolicy_core::Policy) -> Engine {
        Engine::new(EngineState::new(policy))
    }

    fn new(state: EngineState) -> Engine {
        Engine {
            state: Rc::new(RefCell::new(state)),
            cache: new_cache(),
            cached: Cell::new(0),
        }
    }

    /// `is_authorized` for input the cache cannot answer: read, resolve
    /// and (for plain input) cache.
    #[inline(never)]
    fn is_authorized_slowly(&self, subject: &JsValue, check: &JsValue, cacheable: bool) -> bool {
        let (Ok(subject_value), Ok(check_value)) =
            (read::<Subject>(subject), read::<AuthorizationCheck>(check))
        else {
            return false;
        };
        if cacheable
            && let Some((subject_handle, permission, granted)) = self.resolve_for_cache(
                subject_value.organization_id.as_deref(),
                &subject_value.roles,
                &check_value.resource_id,
                &check_value.action,
            )
        {
            let organization_id = subject_value
                .organization_id
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str);
            let roles: js_sys::Array = subject_value
                .roles
                .iter()
                .map(|role| JsValue::from_str(role))
                .collect();
            remember(
                &self.cache,
                subject,
                &organization_id,
                &roles,
                &check_value.resource_id,
                &check_value.action,
                subject_handle,
                permission,
                granted,
            );
        }
        self.with(|state| state.engine().is_authorized(&subject_value, &check_value))
            .unwrap_or(false)
    }

    /// Resolves a subject and a permission for the string API's cache and
    /// counts them towards its limit: `(subject, permission, granted
    /// anywhere)`, or `None` when the cache is full, the engine busy or the
    /// subject handle past what a packed pair holds.
    fn resolve_for_cache(
        &self,
        organization_id: Option<&str>,
        roles: &[String],
        resource_id: &str,
        action: &str,
    ) -> Option<(u32, u32, bool)> {
        if self.cached.get() >= CACHE_LIMIT {
            return None;
        }
        let (subject, permission, granted) = self
            .with_mut(|state| {
                let subject = state.resolve_subject(organization_id, roles);
                let permission = state.resolve_permission(resource_id, action);
                (subject, permission, state.granted_anywhere(permission))
            })
            .ok()?;
        if subject >= PACKABLE_SUBJECTS {
            return None;
        }
        self.cached.set(self.cached.get() + 1);
        Some((subject, permission, granted))
    }

    /// Sets one organization's custom roles, and keeps the cache right.
    fn put_organization_policy(
        &self,
        organization_id: &str,
        policy: OrganizationPolicy,
    ) -> Result<(), Errors> {
        let granted =
            self.with_mut(|state| state.set_organization_policy(organization_id, policy))?;
        self.granted_more(granted);
        Ok(())
    }

    /// After an organization policy change: if it granted something new,
    /// the permissions the cache holds as granted nowhere are stale.
    fn granted_more(&self, granted: bool) {
        if granted {
            forget_ungranted(&self.cache);
        }
    }

    fn with<T>(&self, f: impl FnOnce(&EngineState) -> T) -> Result<T, Errors> {
        self.state
            .try_borrow()
            .map(|state| f(&state))
            .map_err(|_| busy())
    }

    fn with_mut<T>(&self, f: impl FnOnce(&mut EngineState) -> T) -> Result<T, Errors> {
        self.state
            .try_borrow_mut()
            .map(|mut state| f(&mut state))
            .map_err(|_| busy())
    }
}

#[wasm_bindgen]
impl Engine {
    /// Compiles a project policy (an object or JSON text, bare or in the
    /// API's `{status_code, request_id, policy}` wrapper).
    /// Answers `{type: "success", engine}` or `{type: "failure", errors}`.
    #[wasm_bindgen(unchecked_return_type = "Answer<{ engine: Engine }>")]
    pub fn load(
        #[wasm_bindgen(unchecked_param_type = "ProjectPolicyInput")] policy: JsValue,
    ) -> JsValue {
        answer(read_policy(&policy).map(|document| {
            let engine = Engine::new(EngineState::new(document.policy));
            let cache = engine.cache.clone();
            success_with("engine", &with_fast_path(engine.into(), &cache))
        }))
    }

    /// Sets or replaces an organization's custom roles (`{roles}` or the
    /// API's `{org_policy}` wrapper), taken as the SDKs take them; validate
    /// first with `validateOrganizationPolicy` where that matters.
    #[wasm_bindgen(js_name = setOrganizationPolicy)]
    #[wasm_bindgen(unchecked_return_type = "Answer<{}>")]
    pub fn set_organization_policy(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] organization_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "OrganizationPolicyInput")] policy: JsValue,
    ) -> JsValue {
        answer((|| {
            let organization_id = read_string(&organization_id, "organizationId")?;
            let document = read_organization_policy(&policy)?;
            self.put_organization_policy(&organization_id, document.policy)?;
            Ok(success_empty())
        })())
    }

    /// Sets many organizations' custom roles at once, from
    /// `{organizationId: {roles}}` (an object or JSON text): one crossing and
    /// one parse for all of them. Answers `{type: "success", count}`.
    #[wasm_bindgen(js_name = setOrganizationPolicies, unchecked_return_type = "Answer<{ count: number }>")]
    pub fn set_organization_policies(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Record<string, OrganizationPolicy> | string")]
        policies: JsValue,
    ) -> JsValue {
        answer((|| {
            let policies = read_organization_policies(&policies)?;
            let count = policies.len();
            let granted = self.with_mut(|state| {
                policies
                    .into_iter()
                    .fold(false, |granted, (organization_id, policy)| {
                        state.set_organization_policy(&organization_id, policy) || granted
                    })
            })?;
            self.granted_more(granted);
            #[allow(clippy::cast_precision_loss, reason = "a count of organizations")]
            Ok(success_with("count", &JsValue::from(count as f64)))
        })())
    }

    /// Removes an organization's custom roles; true if it had any.
    #[wasm_bindgen(js_name = removeOrganizationPolicy)]
    pub fn remove_organization_policy(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] organization_id: JsValue,
    ) -> bool {
        let Some(organization_id) = organization_id.as_string() else {
            return false;
        };
        self.with_mut(|state| state.remove_organization_policy(&organization_id))
            .unwrap_or(false)
    }

    /// Bumped whenever an organization policy changes.
    #[wasm_bindgen(getter)]
    pub fn generation(&self) -> u32 {
        self.with(EngineState::generation).unwrap_or(0)
    }

    /// The SDKs' `isAuthorized`: true iff `authorize` answers `allow`.
    /// Unreadable input is `false`; `authorize` says why.
    ///
    /// A subject and check seen before are answered from the string API's
    /// cache (see `js/orgpolicy.js`) and one integer check; the first time,
    /// they are read and resolved once. The JS `isAuthorized` that
    /// `withFastPath` puts in front of this method answers cached checks
    /// without entering the module with objects, and falls back on this
    /// complete version for everything else.
    #[wasm_bindgen(js_name = isAuthorized)]
    pub fn is_authorized(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Subject")] subject: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "AuthorizationCheck")] check: &JsValue,
    ) -> bool {
        let packed = lookup(&self.cache, subject, check);
        if packed >= 0.0 {
            return self.check_cached(packed);
        }
        if packed == DENIED {
            return false;
        }
        self.is_authorized_slowly(subject, check, packed == MISS)
    }

    /// `isAuthorized` for the packed pair of handles `lookup` found (the
    /// subject's own organization). Numbers only: the JS `isAuthorized`
    /// answers a cached check with `lookup` and this, without handing the
    /// module an object.
    #[wasm_bindgen(js_name = _checkCached, skip_typescript)]
    pub fn check_cached(&self, packed: f64) -> bool {
        // What `lookup` packs is an integer below 2^53 (subject handles
        // below 2^21); anything else denies rather than truncating to some
        // other pair of handles.
        if !(0.0..PACKED_LIMIT).contains(&packed) || packed.trunc() != packed {
            return false;
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let packed = packed as u64;
        let (subject, permission) = ((packed >> 32) as u32, packed as u32);
        self.state
            .try_borrow()
            .is_ok_and(|state| state.check_own_organization(subject, permission))
    }

    /// Resolves a plain subject and check the JS `isAuthorized` has read
    /// (strings only: the organization or none, the roles joined by NUL
    /// with their count, the resource and the action) for its cache:
    /// `subject * 2^32 + permission` if some role grants the permission,
    /// `-(that + 1)` if none does, NaN if it is not to be cached (the
    /// cache is full, or the engine busy). Counts towards the cache's
    /// limit, like the complete path's caching.
    /// Anything but strings where strings belong is NaN (reachable from JS
    /// like any method, so it takes values, never `&str`, whose glue
    /// would throw on a number).
    #[wasm_bindgen(js_name = _resolveCached, skip_typescript)]
    pub fn resolve_cached(
        &self,
        organization_id: &JsValue,
        roles: &JsValue,
        role_count: u32,
        resource_id: &JsValue,
        action: &JsValue,
    ) -> f64 {
        let organization_id = if organization_id.is_undefined() || organization_id.is_null() {
            None
        } else {
            match organization_id.as_string() {
                Some(id) => Some(id),
                None => return f64::NAN,
            }
        };
        let (Some(roles), Some(resource_id), Some(action)) = (
            roles.as_string(),
            resource_id.as_string(),
            action.as_string(),
        ) else {
            return f64::NAN;
        };
        let roles: Vec<String> = if role_count == 0 {
            Vec::new()
        } else {
            roles.split('\0').map(str::to_owned).collect()
        };
        if roles.len() != role_count as usize {
            return f64::NAN;
        }
        match self.resolve_for_cache(organization_id.as_deref(), &roles, &resource_id, &action) {
            Some((subject, permission, granted)) => {
                let packed = f64::from(subject) * 4_294_967_296.0 + f64::from(permission);
                if granted { packed } else { -packed - 1.0 }
            }
            None => f64::NAN,
        }
    }

    /// `{type: "allow"} | {type: "deny", errorType, message}`, as the SDKs
    /// report it, or `{type: "failure", errors}` for unreadable input. Why a
    /// check is decided so: `explain` in `orgpolicy/tools`.
    #[wasm_bindgen(unchecked_return_type = "Decision | Failure")]
    pub fn authorize(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Subject")] subject: JsValue,
        #[wasm_bindgen(unchecked_param_type = "AuthorizationCheck")] check: JsValue,
    ) -> JsValue {
        answer((|| {
            let subject: Subject = read(&subject)?;
            let check: AuthorizationCheck = read(&check)?;
            let result = self.with(|state| {
                state.engine().authorize_parts(
                    subject.organization_id.as_deref(),
                    &subject.roles,
                    check.organization_id.as_deref(),
                    &check.resource_id,
                    &check.action,
                )
            })?;
            Ok(decision(result, check.organization_id.as_deref()))
        })())
    }

    /// `{type: "success", permissions: {resourceId: {action: boolean}}}`.
    #[wasm_bindgen(js_name = allPermissions)]
    #[wasm_bindgen(unchecked_return_type = "Answer<{ permissions: PermissionMap }>")]
    pub fn all_permissions(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Subject")] subject: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] organization_id: Option<
            JsValue,
        >,
    ) -> JsValue {
        answer((|| {
            let subject: Subject = read(&subject)?;
            let organization_id = read_optional_string(
                &organization_id.unwrap_or(JsValue::UNDEFINED),
                "organizationId",
            )?;
            let permissions = self.with(|state| {
                state
                    .engine()
                    .all_permissions(&subject, organization_id.as_deref())
            })?;
            Ok(permissions_answer(&permissions))
        })())
    }

    /// A scope check (connected apps, M2M tokens): `subject` is
    /// `{organization_id?, scopes?: string[], scope?: string}`.
    /// `{type: "allow"} | {type: "deny", errorType, message} | failure`.
    #[wasm_bindgen(js_name = authorizeScopes)]
    #[wasm_bindgen(unchecked_return_type = "Decision | Failure")]
    pub fn authorize_scopes(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ScopeSubject")] subject: JsValue,
        #[wasm_bindgen(unchecked_param_type = "AuthorizationCheck")] check: JsValue,
    ) -> JsValue {
        answer((|| {
            let subject: ScopeSubject = read(&subject)?;
            let check: AuthorizationCheck = read(&check)?;
            let result = self.with(|state| {
                state.engine().authorize_scopes(
                    subject.organization_id.as_deref(),
                    subject.token_scopes(),
                    &check,
                )
            })?;
            Ok(decision(result, check.organization_id.as_deref()))
        })())
    }

    /// Resolves a subject `{organization_id?, roles}` to an integer handle
    /// for `check`: `{type: "success", handle} | failure`.
    #[wasm_bindgen(js_name = resolveSubject)]
    #[wasm_bindgen(unchecked_return_type = "Answer<{ handle: number }>")]
    pub fn resolve_subject(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Subject")] subject: JsValue,
    ) -> JsValue {
        answer((|| {
            let subject: Subject = read(&subject)?;
            let handle = self.with_mut(|state| {
                state.resolve_subject(subject.organization_id.as_deref(), &subject.roles)
            })?;
            Ok(success_with("handle", &JsValue::from(handle)))
        })())
    }

    /// Resolves an organization id to an integer for `check` (-1 if the
    /// argument is not a string; `check` reads -1 as "no organization").
    #[wasm_bindgen(js_name = resolveOrganization)]
    pub fn resolve_organization(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] organization_id: JsValue,
    ) -> u32 {
        let Some(organization_id) = organization_id.as_string() else {
            return NO_ORGANIZATION;
        };
        self.with_mut(|state| state.resolve_organization(&organization_id))
            .unwrap_or(NO_ORGANIZATION)
    }

    /// Resolves a resource and action to an integer for `check` (-1 if either
    /// argument is not a string; `check` denies -1).
    #[wasm_bindgen(js_name = resolvePermission)]
    pub fn resolve_permission(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] resource_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] action: JsValue,
    ) -> u32 {
        let (Some(resource_id), Some(action)) = (resource_id.as_string(), action.as_string())
        else {
            return u32::MAX;
        };
        self.with_mut(|state| state.resolve_permission(&resource_id, &action))
            .unwrap_or(u32::MAX)
    }

    /// The hot path: three integers from `resolve*` (organization -1 for a
    /// consumer check). Unknown integers deny.
    pub fn check(&self, subject: u32, organization: u32, permission: u32) -> bool {
        // Not through `with`: no error value to build or drop per call.
        self.state
            .try_borrow()
            .is_ok_and(|state| state.check(subject, organization, permission))
    }

    /// Checks `[subject, organization, permission, ...]` triples at once;
    /// one byte (1 allowed, 0 denied) per triple.
    #[wasm_bindgen(js_name = checkMany)]
    pub fn check_many(&self, triples: &[u32]) -> Vec<u8> {
        let mut out = Vec::with_capacity(triples.len() / 3);
        let _ = self.with(|state| state.check_many(triples, &mut out));
        out
    }
}

#[wasm_bindgen(typescript_custom_section)]
const SESSION: &str = r#"
/**
 * Stytch's frontend SDK's checks for one member session, with an explicit
 * `"policy_not_loaded"` state instead of a silent `false`. Written in JS
 * over an `Engine` (the package's `js/orgpolicy.js`): it checks through the
 * engine it is attached to, and reads nothing from a freed one.
 */
export class Session {
  private constructor();
  /**
   * A session with no policy yet, from Stytch's member session object (its
   * `organization_id` and `roles` are read; other fields are ignored).
   */
  static create(memberSession: MemberSession): Answer<{ session: Session }>;
  /**
   * Binds the session to an engine (and, if `organization.custom_roles` is
   * given, first sets them as the organization's policy).
   */
  attach(engine: Engine, organization?: FrontendOrganization | null): Answer<{}>;
  /** Detaches the session from its engine (the engine stays loaded). */
  free(): void;
  [Symbol.dispose](): void;
  readonly state: "ready" | "policy_not_loaded";
  /** The member this session checks for, as it was created (a new object on every read). */
  readonly member: MemberSession;
  /**
   * The frontend SDK's `isAuthorizedSync`: false until a policy is loaded
   * (read `state`, or use `authorize`, to tell "not loaded" from "denied").
   */
  isAuthorizedSync<R extends ResourceId>(resourceId: R, action: ActionOf<R>): boolean;
  /** The decision in the session's organization, `policy_not_loaded` before an engine is attached. */
  authorize<R extends ResourceId>(resourceId: R, action: ActionOf<R>): Decision | PolicyNotLoaded | Failure;
  /** Every permission of the member in the session's organization. */
  allPermissions(): Answer<{ permissions: PermissionMap }> | PolicyNotLoaded;
}
export interface Engine {
  /** A session bound to this engine: `Session.create` then `attach`. */
  session(memberSession: MemberSession, organization?: FrontendOrganization | null): Answer<{ session: Session }>;
}
"#;
