// A hand-optimised plain-JS checker with the SDKs' semantics: Maps of ids
// to integers, one permission bitset (Uint32Array) per organization and role
// set. The baseline the npm package is measured against.

function bitsetWith(size) {
  return new Uint32Array((size >>> 5) + 1);
}

export class JsChecker {
  constructor(policy, organizationPolicies) {
    this.nextBit = 0;
    this.resources = new Map(); // resource id -> { wildcard, actions: Map<action, bit> }
    const grant = (permissions, bits) => {
      for (const permission of permissions) {
        const resource = this.resource(permission.resource_id);
        for (const action of permission.actions) {
          bits.push(action === "*" ? resource.wildcard : this.action(resource, action));
        }
      }
      return bits;
    };
    for (const resource of policy.resources ?? []) {
      const slot = this.resource(resource.resource_id);
      for (const action of resource.actions) if (action !== "*") this.action(slot, action);
    }
    this.projectRoles = new Map(); // role id -> bit list
    for (const role of policy.roles ?? []) {
      this.projectRoles.set(role.role_id, grant(role.permissions, this.projectRoles.get(role.role_id) ?? []));
    }
    this.organizationRoles = new Map(); // organization id -> Map<role id, bit list>
    for (const [organizationId, organizationPolicy] of Object.entries(organizationPolicies)) {
      const roles = new Map();
      for (const role of organizationPolicy.roles ?? []) roles.set(role.role_id, grant(role.permissions, roles.get(role.role_id) ?? []));
      this.organizationRoles.set(organizationId, roles);
    }
    this.setsByKey = new Map(); // organization + roles -> set index
    this.sets = []; // set index -> { organization, bits }
    this.organizationIds = new Map();
  }

  resource(id) {
    let slot = this.resources.get(id);
    if (slot === undefined) {
      slot = { wildcard: this.nextBit++, actions: new Map() };
      this.resources.set(id, slot);
    }
    return slot;
  }

  action(slot, action) {
    let bit = slot.actions.get(action);
    if (bit === undefined) {
      bit = this.nextBit++;
      slot.actions.set(action, bit);
    }
    return bit;
  }

  /** The set index of an organization and role list (computed once). */
  resolveSubject(organizationId, roles) {
    const key = `${organizationId ?? ""}\u0000${roles.join("\u0000")}`;
    let index = this.setsByKey.get(key);
    if (index === undefined) {
      const bits = bitsetWith(this.nextBit);
      const custom = organizationId === undefined || organizationId === null ? undefined : this.organizationRoles.get(organizationId);
      for (const role of roles) {
        for (const bit of this.projectRoles.get(role) ?? []) bits[bit >>> 5] |= 1 << (bit & 31);
        for (const bit of custom?.get(role) ?? []) bits[bit >>> 5] |= 1 << (bit & 31);
      }
      index = this.sets.length;
      this.sets.push({ organization: this.resolveOrganization(organizationId), bits });
      this.setsByKey.set(key, index);
    }
    return index;
  }

  resolveOrganization(organizationId) {
    if (organizationId === undefined || organizationId === null) return -1;
    let index = this.organizationIds.get(organizationId);
    if (index === undefined) {
      index = this.organizationIds.size;
      this.organizationIds.set(organizationId, index);
    }
    return index;
  }

  /** [action bit or -1, wildcard bit], or undefined for an unknown resource. */
  resolvePermission(resourceId, action) {
    const slot = this.resources.get(resourceId);
    if (slot === undefined) return undefined;
    const bit = action === "*" ? undefined : slot.actions.get(action);
    return [bit === undefined ? -1 : bit, slot.wildcard];
  }

  check(subject, organization, permission) {
    const set = this.sets[subject];
    if (set === undefined || set.organization !== organization || permission === undefined) return false;
    const bits = set.bits;
    const [action, wildcard] = permission;
    return ((bits[wildcard >>> 5] >>> (wildcard & 31)) & 1) === 1 || (action >= 0 && ((bits[action >>> 5] >>> (action & 31)) & 1) === 1);
  }

  isAuthorized(subject, check) {
    if ((subject.organization_id ?? null) !== (check.organization_id ?? null)) return false;
    const permission = this.resolvePermission(check.resource_id, check.action);
    if (permission === undefined) return false;
    const set = this.resolveSubject(subject.organization_id, subject.roles);
    return this.check(set, this.sets[set].organization, permission);
  }
}
