// The JS half of the npm package, imported by the wasm module (wasm-bindgen
// copies it into every build):
//
// - `flatten` turns a JS value into the flat form the core reads
//   (`orgpolicy_core::flat`): one walk, one string, one Uint32Array. JSON
//   text does not come here: `utf8` hands its bytes to the module, whose
//   tokenizer writes the flat form in one pass.
//   It follows JSON.stringify's rules (toJSON, boxed primitives, skipped
//   undefined/function/symbol members, non-finite numbers as null), so an
//   object reads exactly as its JSON text would.
// - `lookup` / `remember`: the string API's cache of resolved handles, so a
//   repeated `isAuthorized` costs a WeakMap probe, two Map lookups and one
//   integer check; a check in another organization, or of a permission no
//   role grants, is answered before the subject is looked at.
// - `withFastPath`: `Engine.prototype.isAuthorized` answered here first, so
//   a cached check enters the module with one number instead of two objects
//   (the generic JS-to-wasm call with object arguments and the call back out
//   to `lookup` cost more than the lookup itself); it also gives engines
//   `engine.session`.
// - `Session`: the frontend SDK's checks for one member session, over an
//   `Engine`. wasm-bindgen's glue exports only the module's Rust items, so
//   the package build re-exports it from each build's entry; its types are
//   declared in `src/runtime.rs`.
//
// Nothing here throws into the wasm module: every failure is a value.

const NULL = 0;
const FALSE = 1;
const TRUE = 2;
const NUMBER = 3;
const STRING = 4;
const ARRAY = 5;
const OBJECT = 6;

/** Deeper than this is refused (it also stops cycles). */
const MAX_DEPTH = 1000;

class Refused extends Error {}

/** A value JSON.stringify would write in place of `value` (toJSON, boxed primitives). */
function converted(value, key) {
  const toJSON = value.toJSON;
  if (typeof toJSON === "function") {
    value = toJSON.call(value, String(key));
    if (value === null || (typeof value !== "object" && typeof value !== "bigint")) return value;
  }
  if (value instanceof Number) return Number(value);
  if (value instanceof String) return String(value);
  if (value instanceof Boolean) return value.valueOf();
  return value;
}

/** JSON.stringify's rule for members: undefined, functions and symbols are left out. */
function skipped(value) {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

class Flattener {
  constructor() {
    // Small to start: most values walked are a subject or a check (a few
    // words), and a large first buffer made each of those calls allocate
    // and collect 16 KB. Documents grow it by doubling.
    this.words = new Uint32Array(64);
    this.length = 0;
    this.strings = [];
  }

  push(word) {
    if (this.length === this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    this.words[this.length++] = word;
  }

  string(text) {
    // NULs inside a string are rare; count them only when there is one.
    this.push(text.indexOf("\u0000") === -1 ? 0 : text.split("\u0000").length - 1);
    this.strings.push(text);
  }

  value(value, depth) {
    switch (typeof value) {
      case "string":
        this.push(STRING);
        this.string(value);
        return;
      case "number":
        if (Number.isFinite(value)) {
          this.push(NUMBER);
          this.string(String(value));
        } else {
          this.push(NULL);
        }
        return;
      case "boolean":
        this.push(value ? TRUE : FALSE);
        return;
      case "bigint":
        throw new Refused("a BigInt cannot be read as JSON");
    }
    if (value === null) {
      this.push(NULL);
      return;
    }
    if (depth >= MAX_DEPTH) throw new Refused(`nesting deeper than ${MAX_DEPTH} levels (or a cycle)`);
    if (Array.isArray(value)) {
      const length = value.length;
      this.push(ARRAY);
      this.push(length);
      for (let index = 0; index < length; index++) {
        let item = value[index];
        if (item !== null && (typeof item === "object" || typeof item === "bigint")) item = converted(item, index);
        this.value(skipped(item) ? null : item, depth + 1);
      }
      return;
    }
    this.push(OBJECT);
    const count = this.length;
    this.push(0);
    let entries = 0;
    // for-in allocates no key array; own keys only, as JSON.stringify reads.
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      let item = value[key];
      if (item !== null && (typeof item === "object" || typeof item === "bigint")) item = converted(item, key);
      if (skipped(item)) continue;
      this.string(key);
      this.value(item, depth + 1);
      entries++;
    }
    this.words[count] = entries;
  }
}

const encoder = new TextEncoder();

/** A string's length in UTF-16 units. */
export function unitsOf(text) {
  return text.length;
}

/**
 * Encodes `text` from unit `from` on into `buffer` (a view of the module's
 * memory, so nothing is copied twice): `read * 2^32 + written`.
 */
export function utf8Into(text, from, buffer) {
  const { read, written } = encoder.encodeInto(from === 0 ? text : text.slice(from), buffer);
  return read * 4294967296 + written;
}

/** An answer the module wrote as JSON text (`orgpolicy/tools`' rich answers). */
export function parseJson(json) {
  return JSON.parse(json);
}

// The main entry's answers, built here from their fields: the module links
// no serializer for them (serde_json was 3.2 KB of its gzipped size).

/** Sets an own, enumerable property, as JSON.parse would (a key `__proto__` stays a key). */
function put(object, key, value) {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/** `{type: "success"}`, with `value` under `key` when a key is given. */
export function succeeded(key, value) {
  const answer = { type: "success" };
  if (key !== undefined) answer[key] = value;
  return answer;
}

/** `{type: "failure", errors}` from each problem's code, message, path and severity in a row. */
export function failed(fields) {
  const errors = [];
  for (let index = 0; index + 3 < fields.length; index += 4) {
    errors.push({ code: fields[index], message: fields[index + 1], path: fields[index + 2], severity: fields[index + 3] });
  }
  return { type: "failure", errors };
}

/** `{type: "allow"}`, or `{type: "deny", errorType, message}`. */
export function decided(errorType, message) {
  return errorType === undefined ? { type: "allow" } : { type: "deny", errorType, message };
}

/**
 * `{type: "success", permissions: {resourceId: {action: allowed}}}` from
 * each resource's id followed by its actions' names (`counts` actions
 * each), and one byte per action (1 allowed).
 */
export function permissionsOf(names, counts, allowed) {
  const permissions = {};
  let name = 0;
  let action = 0;
  for (const count of counts) {
    const actions = {};
    put(permissions, names[name++], actions);
    for (let index = 0; index < count; index++) put(actions, names[name++], allowed[action++] === 1);
  }
  return { type: "success", permissions };
}

/**
 * `{words, text}` for a value, or `{code, message}` if it cannot be read
 * as JSON.
 */
export function flatten(input) {
  try {
    let value = input;
    if (value !== null && (typeof value === "object" || typeof value === "bigint")) value = converted(value, "");
    if (skipped(value)) {
      return {
        code: "invalid_type",
        message: `expected an object or JSON text, got ${input === undefined ? "`undefined`" : "a value JSON cannot hold"}`,
      };
    }
    const flat = new Flattener();
    flat.value(value, 0);
    // Every string NUL-terminated (see `orgpolicy_core::flat`).
    const text = flat.strings.length === 0 ? "" : flat.strings.join("\u0000") + "\u0000";
    return { words: flat.words.subarray(0, flat.length), text };
  } catch (error) {
    // Refusals, throwing getters and toJSON methods, stack exhaustion.
    return { code: "invalid_format", message: `the value cannot be read as JSON: ${firstLine(error)}` };
  }
}

/** The first line of what was thrown, whatever it is (its own `toString` may throw). */
function firstLine(error) {
  try {
    return String(error instanceof Error ? error.message : error).split("\n")[0];
  } catch {
    return "a value that cannot be shown";
  }
}

// The string API's cache.
//
// Subjects are found two ways. First by identity: a WeakMap from a
// subject's roles array to an `Entry` (organization, handle, roles), compared
// against the subject's organization and the array's contents on every use
// (roles changed in place are read again, never answered from a stale
// entry). Keyed by the array, not the subject object, so that both a
// long-lived member object and `{organization_id, roles: member.roles}`
// built per call cost one WeakMap probe and a few pointer compares. Then by
// content, for roles arrays built per call: a trie of Maps from the
// organization (null for a consumer subject) through each role to a handle
// stored under END; one hit there in RECORD_EVERY also records the array
// (every hit, for a frozen array).
// Permissions: resource -> action -> handle in null-prototype objects
// (nothing inherited, so `__proto__` or `constructor` is a key like any
// other; two property reads measured 9-32 ns faster than two Maps'
// `get`, about 5% of a cached check in alternating runs), or
// GRANTED_NOWHERE for a pair
// no role of the engine grants (an unknown resource, an undeclared action
// nobody has `*` for): denied whoever asks, so the subject is not looked
// up. Those entries are dropped (`forgetUngranted`) when an organization
// policy grants something new. Handles never go stale: the engine keeps
// them right across organization policy changes.

const END = Symbol("subject");
/** `lookup`'s answers besides a packed pair of handles: false without a check. */
const DENIED = -1;
const MISS = -2;
const UNUSUAL = -3;
/** A cached permission no role grants. */
const GRANTED_NOWHERE = -1;

/** Prime, so no periodic pattern of calls always misses the long-lived array. */
const RECORD_EVERY = 61;

export function newCache() {
  return { objects: new WeakMap(), subjects: new Map(), permissions: Object.create(null), contentHits: 0 };
}

function organizationOf(value) {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : undefined;
}

/**
 * An identity entry: the organization, the handle and the roles as they
 * were, the first three in fields of one object (members mostly hold one
 * to three roles), so that checking it reads one object, not an array and
 * its elements.
 */
class Entry {
  constructor(organization, handle, roles, count) {
    this.organization = organization;
    this.handle = handle;
    this.count = count;
    this.first = count > 0 ? roles[0] : undefined;
    this.second = count > 1 ? roles[1] : undefined;
    this.third = count > 2 ? roles[2] : undefined;
    this.rest = null;
    if (count > 3) {
      this.rest = [];
      for (let index = 3; index < count; index++) this.rest.push(roles[index]);
    }
    /** Whether the array's elements can never change (`unchangeable`): its contents are not compared again. */
    this.fixed = false;
  }
}

/**
 * Whether an array's elements can never change: frozen, and every element a
 * data property (a frozen getter still answers anew on every read). A
 * proxy's traps must answer as its target does for frozen data properties.
 */
function unchangeable(roles) {
  if (!Object.isFrozen(roles)) return false;
  for (let index = 0; index < roles.length; index++) {
    const descriptor = Object.getOwnPropertyDescriptor(roles, index);
    if (descriptor === undefined || !("value" in descriptor)) return false;
  }
  return true;
}

/** The handle the trie holds for an organization and a list of roles, or undefined. */
function trieHandle(cache, organization, roles) {
  let node = cache.subjects.get(organization);
  for (let index = 0; index < roles.length && node !== undefined; index++) node = node.get(roles[index]);
  return node?.get(END);
}

/** An entry's roles as a list. */
function rolesOf(entry) {
  const roles = [entry.first, entry.second, entry.third].slice(0, Math.min(entry.count, 3));
  if (entry.rest !== null) roles.push(...entry.rest);
  return roles;
}

/**
 * Records a roles array `lookup` found by content for identity. The entry
 * is a second reading of the array, kept only if the trie holds the same
 * handle for what it read (a getter can answer differently from the
 * walk's reading, and a non-string is in no trie).
 */
function record(cache, organization, handle, roles, count) {
  const fixed = unchangeable(roles);
  const entry = new Entry(organization, handle, roles, count);
  if (trieHandle(cache, organization, rolesOf(entry)) !== handle) return;
  entry.fixed = fixed;
  cache.objects.set(roles, entry);
}

/**
 * Whether an identity entry still describes a subject's organization and
 * roles (a fixed entry's roles cannot have changed).
 */
function describes(entry, organization, roles, count) {
  if (entry.organization !== organization) return false;
  if (entry.fixed) return true;
  if (entry.count !== count) return false;
  if (count === 0) return true;
  if (roles[0] !== entry.first) return false;
  if (count === 1) return true;
  if (roles[1] !== entry.second) return false;
  if (count === 2) return true;
  if (roles[2] !== entry.third) return false;
  for (let index = 3; index < count; index++) {
    if (roles[index] !== entry.rest[index - 3]) return false;
  }
  return true;
}

/**
 * For `isAuthorized(subject, check)`: `subject * 2^32 + permission` from the
 * cache, DENIED when the answer is false whoever the subject is (the
 * organizations differ, or no role grants the permission: the SDKs' answer
 * for any roles, readable or not), MISS for plain input not yet cached,
 * UNUSUAL for anything else (read it the slow way).
 */
export function lookup(cache, subject, check) {
  try {
    if (typeof subject !== "object" || subject === null || typeof check !== "object" || check === null) return UNUSUAL;
    const organization = organizationOf(subject.organization_id);
    const checkOrganization = organizationOf(check.organization_id);
    if (organization === undefined || checkOrganization === undefined) return UNUSUAL;
    // The tenancy check comes first, as in the SDKs.
    if (organization !== checkOrganization) return DENIED;
    const resource = check.resource_id;
    const action = check.action;
    if (typeof resource !== "string" || typeof action !== "string") return UNUSUAL;
    const permission = permissionOf(cache, resource, action);
    if (permission === GRANTED_NOWHERE) return DENIED;
    const roles = subject.roles;
    if (!(roles === undefined || Array.isArray(roles))) return UNUSUAL;
    const count = roles === undefined ? 0 : roles.length;
    // An identity entry holds only strings, so a hit also vouches for the roles' types.
    const entry = roles === undefined ? undefined : cache.objects.get(roles);
    let handle = entry !== undefined && describes(entry, organization, roles, count) ? entry.handle : undefined;
    if (handle === undefined) {
      let node = cache.subjects.get(organization);
      for (let index = 0; index < count; index++) {
        const role = roles[index];
        if (typeof role !== "string") return UNUSUAL;
        if (node !== undefined) node = node.get(role);
      }
      handle = node?.get(END);
      // A WeakMap insertion costs several times the walk, so an array
      // found by content is recorded on one hit in RECORD_EVERY: a
      // long-lived one is soon found by identity, and arrays built per call
      // do not fill the WeakMap. A frozen array (state an immutable store
      // froze) is recorded at once: it is kept, not
      // built per call; if its elements cannot change, neither can its
      // entry, whose contents are then never compared again.
      if (handle !== undefined && roles !== undefined && (Object.isFrozen(roles) || ++cache.contentHits === RECORD_EVERY)) {
        cache.contentHits = 0;
        record(cache, organization, handle, roles, count);
      }
    }
    if (handle === undefined || permission === undefined) return MISS;
    return handle * 4294967296 + permission;
  } catch {
    return UNUSUAL;
  }
}

/**
 * Caches the handles of a subject and a check `lookup` called a MISS, under
 * the organization, roles, resource and action the module read: a getter
 * could answer differently a second time, and the handles are the module's
 * reading's.
 */
export function remember(cache, subject, organization, roles, resource, action, subjectHandle, permission, granted) {
  try {
    let node = cache.subjects.get(organization);
    if (node === undefined) {
      node = new Map();
      cache.subjects.set(organization, node);
    }
    for (const role of roles) {
      let next = node.get(role);
      if (next === undefined) {
        next = new Map();
        node.set(role, next);
      }
      node = next;
    }
    node.set(END, subjectHandle);
    // The identity entry holds the array's own strings, so that later
    // comparisons are pointer compares; if the subject now reads otherwise
    // than the module read it, it gets no entry.
    const own = subject.roles;
    if (Array.isArray(own)) {
      const fixed = unchangeable(own);
      const entry = new Entry(subject.organization_id ?? null, subjectHandle, own, own.length);
      if (describes(entry, organization, roles, roles.length)) {
        entry.fixed = fixed;
        cache.objects.set(own, entry);
      }
    }
    let actions = cache.permissions[resource];
    if (actions === undefined) {
      actions = Object.create(null);
      cache.permissions[resource] = actions;
    }
    actions[action] = granted ? permission : GRANTED_NOWHERE;
  } catch {
    // Nothing cached; the answer stands.
  }
}

/**
 * The handle the cache holds for a subject of plain strings, by identity
 * or by content (no entry is recorded), or -1.
 */
function handleOf(cache, subject) {
  const { organization_id: organization, roles } = subject;
  const entry = cache.objects.get(roles);
  if (entry !== undefined) return describes(entry, organization, roles, roles.length) ? entry.handle : -1;
  return trieHandle(cache, organization, roles) ?? -1;
}

/** The cached handle of a permission (GRANTED_NOWHERE for one no role grants), or undefined. */
function permissionOf(cache, resource, action) {
  const actions = cache.permissions[resource];
  return actions === undefined ? undefined : actions[action];
}

/** Drops the permissions cached as granted nowhere: an organization policy now grants something new. */
export function forgetUngranted(cache) {
  for (const resource in cache.permissions) {
    const actions = cache.permissions[resource];
    for (const action in actions) if (actions[action] === GRANTED_NOWHERE) delete actions[action];
  }
}

/**
 * For a MISS: reads the subject and check once (plain strings only),
 * resolves them in the module with strings alone (no object is walked),
 * caches what was read, and answers; `undefined` sends the check the
 * complete, slow way (anything unusual, a role holding a NUL, a full
 * cache).
 */
function resolveMiss(engine, cache, subject, check) {
  const organization = organizationOf(subject.organization_id);
  const own = subject.roles;
  const resource = check.resource_id;
  const action = check.action;
  if (organization === undefined || organization !== organizationOf(check.organization_id)) return undefined;
  if (typeof resource !== "string" || typeof action !== "string") return undefined;
  if (!(own === undefined || Array.isArray(own))) return undefined;
  // Each role read once, into a copy: what is resolved is what is cached.
  const count = own === undefined ? 0 : own.length;
  const roles = new Array(count);
  for (let index = 0; index < count; index++) {
    const role = own[index];
    if (typeof role !== "string" || role.includes("\u0000")) return undefined;
    roles[index] = role;
  }
  const answer = engine._resolveCached(organization ?? undefined, roles.join("\u0000"), count, resource, action);
  if (Number.isNaN(answer)) return undefined;
  const granted = answer >= 0;
  const packed = granted ? answer : -answer - 1;
  const subjectHandle = Math.floor(packed / 4294967296);
  remember(cache, subject, organization, roles, resource, action, subjectHandle, packed - subjectHandle * 4294967296, granted);
  return granted && engine._checkCached(packed);
}

/** Where an engine's JS object holds its cache (registered, for tests). */
const CACHE = Symbol.for("orgpolicy.cache");
let prototypeDone = false;

/**
 * Gives a new engine's JS object its cache and, at the first engine, puts
 * on the engine class's prototype a JS `isAuthorized` in front of the
 * module's, and `session`. The JS `isAuthorized` sends a check `lookup` can
 * answer to the numbers-only `_checkCached`, and everything else (first
 * sight, tenancy, unusual input) to the module's own, complete
 * `isAuthorized`; answers are the same either way. A frozen prototype keeps
 * the module's `isAuthorized`, and each engine gets `session` itself.
 */
export function withFastPath(engine, cache) {
  engine[CACHE] = cache;
  if (!prototypeDone) {
    prototypeDone = true;
    try {
      const prototype = Object.getPrototypeOf(engine);
      const complete = prototype.isAuthorized;
      Object.defineProperty(prototype, "session", { configurable: true, writable: true, value: session });
      Object.defineProperty(prototype, "isAuthorized", {
        configurable: true,
        enumerable: false,
        writable: true,
        value: function isAuthorized(subject, check) {
          const cache = this[CACHE];
          const packed = lookup(cache, subject, check);
          if (packed >= 0) return this._checkCached(packed);
          if (packed === DENIED) return false;
          if (packed === MISS) {
            const answer = resolveMiss(this, cache, subject, check);
            if (answer !== undefined) return answer;
          }
          return complete.call(this, subject, check);
        },
      });
    } catch {
      // A frozen prototype: the module's isAuthorized stands.
    }
  }
  if (engine.session !== session) {
    try {
      Object.defineProperty(engine, "session", { configurable: true, writable: true, value: session });
    } catch {
      // A frozen engine has no `session`; `Session.create` and `attach` still work.
    }
  }
  return engine;
}

// Sessions.

/** `{type: "policy_not_loaded", message}`: a session before it has an engine. */
function notLoaded() {
  return { type: "policy_not_loaded", message: "the RBAC policy is not loaded yet: attach an engine to this session" };
}

/** A failure with one error. */
function failure(code, path, message) {
  return failed([code, message, path, "error"]);
}

/** A value as the core's reader names it in a type error. */
function named(value) {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return `boolean \`${value}\``;
    case "number":
      return Number.isInteger(value) ? `integer \`${value}\`` : `floating point \`${value}\``;
    case "string":
      return `string ${JSON.stringify(value)}`;
    case "object":
      return Array.isArray(value) ? "sequence" : "map";
    default:
      return `\`${typeof value}\``;
  }
}

function invalidType(path, value, expected) {
  return failure("invalid_type", path, `invalid type: ${named(value)}, expected ${expected}`);
}

const isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The `organization_id` of a member session or an organization object, or
 * a failure with the core reader's codes and pointers.
 */
function organizationIdOf(value) {
  if (!isObject(value)) return invalidType("", value, "an object");
  const id = value.organization_id;
  if (id === undefined) return failure("missing_field", "", "missing field `organization_id`");
  if (typeof id !== "string") return invalidType("/organization_id", id, "a string");
  return id;
}

/**
 * `{organization_id, roles}` read once from a member session (roles copied:
 * a session checks for the member as it was created), or a failure with
 * the core reader's codes and pointers.
 */
function readMember(value) {
  const organization = organizationIdOf(value);
  if (typeof organization !== "string") return organization;
  const given = value.roles;
  if (given === undefined) return { organization, roles: Object.freeze([]) };
  if (!Array.isArray(given)) return invalidType("/roles", given, "a sequence");
  const roles = [];
  for (let index = 0; index < given.length; index++) {
    const role = given[index];
    if (typeof role !== "string") return invalidType(`/roles/${index}`, role, "a string");
    roles.push(role);
  }
  return { organization, roles: Object.freeze(roles) };
}

/** `engine.session(memberSession, organization)`: `Session.create`, then `attach`. */
function session(memberSession, organization) {
  const created = Session.create(memberSession);
  if (created.type !== "success") return created;
  const attached = created.session.attach(this, organization);
  return attached.type === "success" ? created : attached;
}

/** What a call threw (a hostile value's getter, a freed engine), as a failure. */
function thrown(what, error) {
  return failure("invalid_format", "", `${what}: ${firstLine(error)}`);
}
const unreadable = (error) => thrown("the value cannot be read", error);
const engineFailed = (error) => thrown("the engine could not answer (was it freed?)", error);

let creating = false;

/**
 * Mirrors the frontend SDK: checks for one member session, with an explicit
 * "policy_not_loaded" state instead of a silent false. A session checks
 * through the engine it is attached to (one subject object, so the
 * engine's string cache finds it by identity); a freed engine answers
 * nothing (false, or a failure).
 */
export class Session {
  #engine = null;
  /** The member as read, `{organization_id, roles}`: the subject of every check. */
  #subject;
  /**
   * The subject's handle in the engine, once its cache has one (-1 before):
   * handles never go stale, and the subject cannot change, so a check is
   * the permission's lookup and one call into the module.
   */
  #handle = -1;

  constructor(member) {
    if (!creating) throw new TypeError("use Session.create(memberSession)");
    this.#subject = { organization_id: member.organization, roles: member.roles };
  }

  /** `{type: "success", session}`, or a failure for an unreadable member session. */
  static create(memberSession) {
    let member;
    try {
      member = readMember(memberSession);
    } catch (error) {
      return unreadable(error);
    }
    if (member.type === "failure") return member;
    creating = true;
    try {
      return succeeded("session", new Session(member));
    } finally {
      creating = false;
    }
  }

  /**
   * Binds the session to an engine, first setting `organization.custom_roles`
   * (when given) as the organization's policy: all or nothing.
   */
  attach(engine, organization) {
    if (typeof engine !== "object" || engine === null || engine[CACHE] === undefined) {
      return failure("invalid_type", "", "`engine` must be an Engine");
    }
    const own = this.#subject.organization_id;
    if (organization !== undefined && organization !== null) {
      let roles;
      try {
        const id = organizationIdOf(organization);
        if (typeof id !== "string") return id;
        if (id !== own) {
          return failure("invalid_format", "/organization_id", `organization \`${id}\` is not the session's organization \`${own}\``);
        }
        roles = organization.custom_roles;
      } catch (error) {
        return unreadable(error);
      }
      if (roles !== undefined && roles !== null) {
        let set;
        try {
          set = engine.setOrganizationPolicy(own, { roles });
        } catch (error) {
          return engineFailed(error);
        }
        if (set.type !== "success") {
          for (const problem of set.errors) problem.path = problem.path.replace(/^\/roles/, "/custom_roles");
          return set;
        }
      }
    }
    this.#engine = engine;
    this.#handle = -1;
    return succeeded();
  }

  /** Detaches the session from its engine (the engine stays loaded). */
  free() {
    this.#engine = null;
    this.#handle = -1;
  }

  /** `"ready"` or `"policy_not_loaded"`. */
  get state() {
    return this.#engine === null ? "policy_not_loaded" : "ready";
  }

  /** The member this session checks for, as it was created (a new object on every read). */
  get member() {
    const { organization_id, roles } = this.#subject;
    return { organization_id, roles: [...roles] };
  }

  /** The SDK's `isAuthorizedSync`: false until a policy is loaded, and for anything unreadable. */
  isAuthorizedSync(resourceId, action) {
    const engine = this.#engine;
    if (engine === null) return false;
    try {
      const cache = engine[CACHE];
      // Found by content at the first check (a session made per request
      // records no identity entry), or after the engine resolved it.
      if (this.#handle < 0) this.#handle = handleOf(cache, this.#subject);
      const handle = this.#handle;
      if (handle >= 0 && typeof resourceId === "string" && typeof action === "string") {
        const permission = permissionOf(cache, resourceId, action);
        if (permission === GRANTED_NOWHERE) return false;
        if (permission !== undefined) return engine._checkCached(handle * 4294967296 + permission);
      }
      const subject = this.#subject;
      const answer = engine.isAuthorized(subject, { organization_id: subject.organization_id, resource_id: resourceId, action });
      if (handle < 0) this.#handle = handleOf(cache, subject);
      return answer;
    } catch {
      return false;
    }
  }

  /** `{type: "allow"} | {type: "deny", errorType, message} | {type: "policy_not_loaded", message} | failure`. */
  authorize(resourceId, action) {
    if (typeof resourceId !== "string") return failure("invalid_type", "", "`resourceId` must be a string");
    if (typeof action !== "string") return failure("invalid_type", "", "`action` must be a string");
    const engine = this.#engine;
    if (engine === null) return notLoaded();
    try {
      const subject = this.#subject;
      return engine.authorize(subject, { organization_id: subject.organization_id, resource_id: resourceId, action });
    } catch (error) {
      return engineFailed(error);
    }
  }

  /** `{type: "success", permissions} | {type: "policy_not_loaded", message}`, in the session's organization. */
  allPermissions() {
    const engine = this.#engine;
    if (engine === null) return notLoaded();
    try {
      return engine.allPermissions(this.#subject, this.#subject.organization_id);
    } catch (error) {
      return engineFailed(error);
    }
  }
}
if (Symbol.dispose) Session.prototype[Symbol.dispose] = Session.prototype.free;
