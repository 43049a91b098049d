// Runs the scenario corpus (tests/scenarios/*.json) through the npm
// package's JS API. Environment-neutral: Node and the browser both call
// runScenarios(api, scenarios) with the exports of both of the package's
// modules (`orgpolicy` and `orgpolicy/tools`) in one object.
//
// For `check` cases every evaluation path the package has (isAuthorized,
// authorize, explain, the resolved-handle fast path, checkMany, and a
// Session for a member's check in their own organization) must agree.

/** A deep copy of a JSON value, strings included (other values as they are). */
function copy(value) {
  // A new string with the same text, so lookups compare text, not identity.
  if (typeof value === "string") return `${value}.`.slice(0, -1);
  if (Array.isArray(value)) return value.map(copy);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, copy(item)]));
  }
  return value;
}

/** `expected` matches `actual` if every key it names is present and equal, recursively. */
export function subsetMatch(expected, actual, at = "", failures = []) {
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) {
      failures.push(`${at}: expected an object, got ${JSON.stringify(actual)}`);
      return failures;
    }
    for (const [key, value] of Object.entries(expected)) {
      if (!Object.prototype.hasOwnProperty.call(actual, key)) {
        failures.push(`${at}/${key}: missing in ${JSON.stringify(actual)}`);
      } else {
        subsetMatch(value, actual[key], `${at}/${key}`, failures);
      }
    }
  } else if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      failures.push(`${at}: expected ${expected.length} items, got ${JSON.stringify(actual)}`);
      return failures;
    }
    expected.forEach((item, index) => subsetMatch(item, actual[index], `${at}/${index}`, failures));
  } else if (expected !== actual) {
    failures.push(`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
  return failures;
}

function success(answer) {
  if (answer.type !== "success") throw new Error(`expected success, got ${JSON.stringify(answer)}`);
  const { type, ...rest } = answer;
  return rest;
}

function load(api, scenario) {
  const engine = success(api.Engine.load(scenario.policy ?? {})).engine;
  for (const [id, policy] of Object.entries(scenario.organization_policies ?? {})) {
    success(engine.setOrganizationPolicy(id, policy));
  }
  return engine;
}

function runCase(api, engine, scenario, c) {
  switch (c.kind) {
    case "check": {
      const org = c.check.organization_id ?? null;
      const allowed = engine.isAuthorized(c.subject, c.check);
      // Again, now from the string API's cache: the same objects (found by
      // identity), then copies (found by content).
      const cached = engine.isAuthorized(c.subject, c.check);
      const copied = engine.isAuthorized(copy(c.subject), copy(c.check));
      const decision = engine.authorize(c.subject, c.check);
      // Explained from the documents by `orgpolicy/tools`.
      const organizationPolicy = org === null ? null : (scenario.organization_policies?.[org] ?? null);
      const explanation = success(api.explain(scenario.policy ?? {}, organizationPolicy, c.subject, c.check));
      const subject = success(engine.resolveSubject(c.subject)).handle;
      const organization = org === null ? -1 : engine.resolveOrganization(org);
      const permission = engine.resolvePermission(c.check.resource_id, c.check.action);
      const fast = engine.check(subject, organization, permission);
      const batch = engine.checkMany(new Uint32Array([subject, organization >>> 0, permission]))[0] === 1;
      const paths = [allowed, cached, copied, decision.type === "allow", explanation.decision.type === "allow", fast, batch];
      // A member's check in their own organization, through a `Session`.
      const member = c.subject;
      if (typeof member.organization_id === "string" && member.organization_id === org && (member.roles ?? []).every((role) => typeof role === "string")) {
        const session = success(engine.session(member)).session;
        paths.push(session.isAuthorizedSync(c.check.resource_id, c.check.action));
        const sessionDecision = session.authorize(c.check.resource_id, c.check.action);
        if (JSON.stringify(sessionDecision) !== JSON.stringify(decision)) {
          throw new Error(`session.authorize ${JSON.stringify(sessionDecision)} is not engine.authorize ${JSON.stringify(decision)}`);
        }
      }
      if (paths.some((path) => path !== allowed)) {
        throw new Error(`evaluation paths disagree: ${JSON.stringify(paths)}`);
      }
      // `authorize` reports what the SDKs report; the explanation adds why.
      const { grants, reason, ...reported } = explanation.decision;
      if (JSON.stringify(decision) !== JSON.stringify(reported)) {
        throw new Error(`authorize ${JSON.stringify(decision)} is not the explained ${JSON.stringify(reported)}`);
      }
      return {
        allowed,
        errorType: decision.type === "deny" ? decision.errorType : null,
        message: decision.type === "deny" ? decision.message : null,
        explanation,
      };
    }
    case "scope_check": {
      const decision = engine.authorizeScopes(c.subject, c.check);
      if (decision.type === "failure") throw new Error(JSON.stringify(decision.errors));
      return { allowed: decision.type === "allow", errorType: decision.errorType ?? null, message: decision.message ?? null };
    }
    case "m2m": {
      const answer = api.m2mAuthorize(c.has, c.required);
      if (answer.type === "failure") throw new Error(JSON.stringify(answer.errors));
      return { allowed: answer.type === "allow", deny: answer.deny ?? null };
    }
    case "all_permissions":
      return success(engine.allPermissions(c.subject, c.organization_id ?? undefined));
    case "validate_policy":
      return success(api.validatePolicy(c.input ?? scenario.policy ?? {}));
    case "validate_organization_policy":
      return success(api.validateOrganizationPolicy(scenario.policy ?? {}, c.input));
    case "parse_policy": {
      // Both modules read documents; they must read them alike.
      const answer = api.Engine.load(c.text);
      const validated = api.validatePolicy(c.text);
      const read = answer.type === "success" ? null : answer.errors[0];
      const readByTools = validated.type === "success" ? null : validated.errors[0];
      if (JSON.stringify(read) !== JSON.stringify(readByTools)) {
        throw new Error(`the modules read differently: ${JSON.stringify(read)} vs ${JSON.stringify(readByTools)}`);
      }
      if (answer.type === "success") {
        answer.engine.free();
        return { ok: true };
      }
      return { ok: false, error: read };
    }
    case "effective_roles":
      return success(api.effectiveRoles(c.member, c.implicit ?? []));
    case "diff_policies":
      return success(api.diffPolicies(c.old, c.new, c.members ?? []));
    case "diff_organization_policies":
      return success(api.diffOrganizationPolicies(scenario.policy ?? {}, c.old, c.new, c.members ?? [], c.implicit ?? []));
    default:
      throw new Error(`unknown case kind ${c.kind}`);
  }
}

/**
 * @param api the package's exports
 * @param scenarios [{file, scenario}]
 * @returns [{file, name, kind, failures: string[]}]
 */
export function runScenarios(api, scenarios) {
  const results = [];
  for (const { file, scenario } of scenarios) {
    const engine = load(api, scenario);
    for (const c of scenario.cases) {
      let failures;
      try {
        failures = subsetMatch(c.expect, runCase(api, engine, scenario, c));
      } catch (error) {
        failures = [String(error && error.stack ? error.stack : error)];
      }
      results.push({ file, name: c.name, kind: c.kind, failures });
    }
    engine.free();
  }
  return results;
}
