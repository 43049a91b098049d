//! The compiled evaluator: ids interned to integers, one permission bitset
//! per role, per scope and per resolved (organization, role set).
//!
//! Every `(resource, action)` pair any grant mentions gets a bit, and every
//! resource one more bit meaning "any action" (a `*` grant). A check is then a
//! tenancy compare and two bit tests. Interning only ever appends, so a
//! bitset built before a new pair appeared is merely shorter, and reads past
//! its end are zero: handles stay valid for the engine's whole life, across
//! organization policy changes.
//!
//! The engine follows the SDKs exactly, valid policy or not: it never
//! validates (see [`crate::validate_policy`]) and never fails.

use crate::WILDCARD;
use crate::decision::{Caller, DenyCode};
use crate::model::{AuthorizationCheck, OrganizationPolicy, Permission, Policy, Role, Subject};
use crate::order;
use crate::organizations::OrganizationTable;
use crate::symbols::{self, Symbols};
use hashbrown::HashTable;
use rustc_hash::FxHasher;
use serde::ser::{Serialize, Serializer};
use std::hash::Hasher;

/// A bit that no bitset holds: an action the engine has never seen.
const NO_BIT: u32 = u32::MAX;

/// The slot at `index` of a table indexed by dense ids, growing the table
/// with `fill` first if it is short.
fn grown_slot<T>(items: &mut Vec<T>, index: usize, fill: impl FnMut() -> T) -> Option<&mut T> {
    if items.len() <= index {
        items.resize_with(index + 1, fill);
    }
    items.get_mut(index)
}

/// A growable set of bit indexes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Bits(Vec<u64>);

impl Bits {
    #[inline(always)]
    fn contains(&self, bit: u32) -> bool {
        self.0
            .get((bit >> 6) as usize)
            .is_some_and(|word| (word >> (bit & 63)) & 1 == 1)
    }

    fn insert(&mut self, bit: u32) {
        if let Some(word) = grown_slot(&mut self.0, (bit >> 6) as usize, || 0) {
            *word |= 1 << (bit & 63);
        }
    }

    /// A set of the given bits (in any order, repeats allowed), sized once.
    fn from_list(bits: &[u32]) -> Self {
        let words = bits.iter().max().map_or(0, |&max| (max >> 6) as usize + 1);
        let mut set = Bits(vec![0; words]);
        for &bit in bits {
            if let Some(word) = set.0.get_mut((bit >> 6) as usize) {
                *word |= 1 << (bit & 63);
            }
        }
        set
    }

    fn union_with(&mut self, other: &Bits) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            *mine |= theirs;
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct ResourceSlot {
    wildcard_bit: u32,
}

/// Resource and action ids to bits; append-only.
#[derive(Debug, Default)]
struct Universe {
    /// Resource ids; a resource's symbol indexes `slots`.
    resources: Symbols,
    slots: Vec<ResourceSlot>,
    /// Action names, shared by every resource.
    actions: Symbols,
    /// `(resource symbol, action symbol)` to the pair's bit: `pair_index`
    /// holds indexes into `pairs`, hashed by both strings so a check finds
    /// its pair with one probe (indexes, so the table shares its code with
    /// every other `u32` index table: see `symbols::Rehash`).
    pairs: Vec<Pair>,
    pair_index: HashTable<u32>,
    next_bit: u32,
    /// Every bit a grant has set, in any role or scope the engine ever
    /// compiled (never cleared): a pair with neither of its bits here is
    /// allowed to nobody.
    granted: Bits,
    /// How many distinct bits `granted` holds.
    granted_count: u32,
}

#[derive(Debug, Clone, Copy)]
struct Pair {
    resource: u32,
    action: u32,
    bit: u32,
    wildcard_bit: u32,
}

#[inline(always)]
fn pair_hash(resource_id: &[u8], action: &[u8]) -> u64 {
    pair_hash_with(symbols::hash(resource_id), action)
}

/// [`pair_hash`] with the resource's hash already computed. Both hashes go
/// through one hasher: on 32-bit targets (wasm32) a hash is 32 bits wide
/// and the table reads only the low 32, so combining by shifts would drop
/// most of one of them (a rotation by 29 kept 3 bits of the resource's,
/// and every action's pairs shared 8 hashes across 200 resources).
#[inline(always)]
fn pair_hash_with(resource_hash: u64, action: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_u64(resource_hash);
    hasher.write_u64(symbols::hash(action));
    hasher.finish()
}

/// Finishes the last run of `ranges`, which ends `bits`: sorts it, drops
/// its repeats and records where it ends.
fn close_run(bits: &mut Vec<u32>, ranges: &mut [(RoleName, usize, usize)]) {
    let Some(run) = ranges.last_mut() else {
        return;
    };
    let begin = run.1;
    if let Some(list) = bits.get_mut(begin..) {
        order::sort_keys(list);
    }
    // Each bit unlike the last one kept moves up to the next kept place.
    let mut kept = begin;
    for at in begin..bits.len() {
        if kept == begin || bits.get(at) != bits.get(kept - 1) {
            bits.swap(kept, at);
            kept += 1;
        }
    }
    bits.truncate(kept);
    run.2 = kept;
}

impl Universe {
    fn take_bit(&mut self) -> u32 {
        let bit = self.next_bit;
        self.next_bit = self.next_bit.saturating_add(1);
        bit
    }

    fn intern_resource_hashed(&mut self, resource_id: &str, resource_hash: u64) -> u32 {
        let before = self.resources.len();
        let index = self.resources.intern_hashed(resource_id, resource_hash);
        if self.resources.len() > before {
            let wildcard_bit = self.take_bit();
            self.slots.push(ResourceSlot { wildcard_bit });
        }
        index
    }

    /// The bit of a resource's action, interning it if new. The resource's
    /// hash is the caller's, computed once for all of a grant's actions. A
    /// pair seen before costs one probe (the action's symbol is looked up
    /// only for a new pair).
    fn intern_action_hashed(
        &mut self,
        resource: u32,
        resource_hash: u64,
        action_name: &str,
    ) -> u32 {
        let hash = pair_hash_with(resource_hash, action_name.as_bytes());
        if let Some(pair) = self.find_pair(hash, |pair| {
            pair.resource == resource
                && symbols::same(self.actions.bytes_of(pair.action), action_name.as_bytes())
        }) {
            return pair.bit;
        }
        let action = self.actions.intern(action_name);
        let bit = self.take_bit();
        let wildcard_bit = self.wildcard_bit(resource);
        let index = u32::try_from(self.pairs.len()).unwrap_or(u32::MAX);
        self.pairs.push(Pair {
            resource,
            action,
            bit,
            wildcard_bit,
        });
        let (resources, actions, pairs) = (&self.resources, &self.actions, &self.pairs);
        let rehash = |&index: &u32| {
            pairs.get(index as usize).map_or(0, |pair| {
                pair_hash(
                    resources.bytes_of(pair.resource),
                    actions.bytes_of(pair.action),
                )
            })
        };
        self.pair_index
            .insert_unique(hash, index, &rehash as symbols::Rehash<'_>);
        bit
    }

    /// The pair hashed to `hash` that `matches`, through the index table.
    #[inline(always)]
    fn find_pair(&self, hash: u64, matches: impl Fn(&Pair) -> bool) -> Option<&Pair> {
        self.pair_index
            .find(hash, |&index| {
                self.pairs.get(index as usize).is_some_and(&matches)
            })
            .and_then(|&index| self.pairs.get(index as usize))
    }

    fn wildcard_bit(&self, resource: u32) -> u32 {
        self.slots
            .get(resource as usize)
            .map_or(NO_BIT, |slot| slot.wildcard_bit)
    }

    /// Appends the bits the grants of `permissions` set (in grant order,
    /// repeats possible).
    fn grant_all(&mut self, permissions: &[Permission], into: &mut Vec<u32>) {
        for permission in permissions {
            self.grant(permission, into);
        }
    }

    /// Appends the bits a grant of `permission` sets (in grant order,
    /// repeats possible).
    fn grant(&mut self, permission: &Permission, into: &mut Vec<u32>) {
        let resource_hash = symbols::hash(permission.resource_id.as_bytes());
        let resource = self.intern_resource_hashed(&permission.resource_id, resource_hash);
        for action in &permission.actions {
            let bit = if action == WILDCARD {
                self.wildcard_bit(resource)
            } else {
                self.intern_action_hashed(resource, resource_hash, action)
            };
            if bit != NO_BIT {
                into.push(bit);
                if !self.granted.contains(bit) {
                    self.granted.insert(bit);
                    self.granted_count = self.granted_count.saturating_add(1);
                }
            }
        }
    }

    /// The two bits a check tests, without interning anything new: one
    /// probe for a known pair; for an action the resource never had, the
    /// resource's `*` bit alone.
    #[inline(always)]
    fn lookup(&self, resource_id: &str, action: &str) -> Option<PermissionHandle> {
        let hash = pair_hash(resource_id.as_bytes(), action.as_bytes());
        let found = self.find_pair(hash, |pair| {
            symbols::same(self.actions.bytes_of(pair.action), action.as_bytes())
                && symbols::same(
                    self.resources.bytes_of(pair.resource),
                    resource_id.as_bytes(),
                )
        });
        if let Some(pair) = found {
            return Some(PermissionHandle {
                action_bit: pair.bit,
                wildcard_bit: pair.wildcard_bit,
            });
        }
        let resource = self.resources.get(resource_id)?;
        Some(PermissionHandle {
            action_bit: NO_BIT,
            wildcard_bit: self.wildcard_bit(resource),
        })
    }
}

/// An interned role id. Ids are shared by project and organization roles;
/// which roles a check may use is decided by where each is looked up.
pub(crate) type RoleName = u32;

#[derive(Debug)]
struct RoleSet {
    organization: Option<u32>,
    roles: Box<[RoleName]>,
}

/// The hash of a role set's key (its organization and sorted roles).
fn set_hash(organization: Option<u32>, roles: &[RoleName]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write_u32(organization.unwrap_or(NO_ORGANIZATION));
    for &role in roles {
        hasher.write_u32(role);
    }
    hasher.finish()
}

const ROLE_PROJECT: u8 = 1;
const ROLE_CUSTOM: u8 = 2;

/// The organization of a resolved role set with none (a consumer subject).
const NO_ORGANIZATION: u32 = u32::MAX;

/// Resolved role sets' bitsets, one fixed-width row each, in one
/// allocation, and their organizations in a dense array beside it: a check
/// through handles is two independent loads, not a walk from a set record to
/// its bitset. Rows widen (the arena is laid out again) when the universe
/// of bits outgrows them.
#[derive(Debug, Default)]
struct SetArena {
    organizations: Vec<u32>,
    words: Vec<u64>,
    stride: usize,
}

impl SetArena {
    #[inline(always)]
    fn organization(&self, set: u32) -> Option<u32> {
        self.organizations.get(set as usize).copied()
    }

    #[inline(always)]
    fn contains(&self, set: u32, bit: u32) -> bool {
        let word = (bit >> 6) as usize;
        word < self.stride
            && self
                .words
                .get(set as usize * self.stride + word)
                .is_some_and(|value| (value >> (bit & 63)) & 1 == 1)
    }

    /// Writes a set's row, widening every row first if it does not fit.
    fn write(&mut self, set: u32, bits: &Bits) {
        if bits.0.len() > self.stride {
            let stride = bits.0.len().max(self.stride + self.stride / 2);
            let mut words = vec![0; self.organizations.len() * stride];
            for (row, old) in self.words.chunks_exact(self.stride.max(1)).enumerate() {
                if let Some(new) = words.get_mut(row * stride..row * stride + old.len()) {
                    new.copy_from_slice(old);
                }
            }
            self.words = words;
            self.stride = stride;
        }
        let start = set as usize * self.stride;
        if let Some(row) = self.words.get_mut(start..start + self.stride) {
            row.fill(0);
            for (slot, word) in row.iter_mut().zip(&bits.0) {
                *slot = *word;
            }
        }
    }

    /// Adds a set (its row zeroed) and returns its index.
    fn push(&mut self, organization: Option<u32>) -> u32 {
        let set = u32::try_from(self.organizations.len()).unwrap_or(u32::MAX);
        self.organizations
            .push(organization.unwrap_or(NO_ORGANIZATION));
        self.words.resize(self.organizations.len() * self.stride, 0);
        set
    }
}

/// A subject resolved to a role set in its organization (see
/// [`Engine::resolve_subject`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubjectHandle(pub u32);

/// An organization resolved to an integer (see [`Engine::resolve_organization`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OrganizationHandle(pub u32);

/// A `(resource, action)` pair resolved to the two bits a check tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PermissionHandle {
    pub action_bit: u32,
    pub wildcard_bit: u32,
}

impl PermissionHandle {
    /// A handle that grants nothing, for tables of handles with gaps.
    pub const NONE: Self = Self {
        action_bit: NO_BIT,
        wildcard_bit: NO_BIT,
    };

    /// A small integer unique to this pair among the engine's handles: its
    /// action bit, or for the action `*` its resource's wildcard bit (both
    /// come from one counter, so they never collide).
    pub fn key(self) -> u32 {
        if self.action_bit == NO_BIT {
            self.wildcard_bit
        } else {
            self.action_bit
        }
    }
}

/// Project policy and organization policies compiled for fast checks.
///
/// The documents are kept beside the compiled form for [`crate::explain`],
/// [`Engine::all_permissions`] and diffs, which are not on the hot path.
#[derive(Debug)]
pub struct Engine {
    policy: Policy,
    /// Organization policies in force, by organization index.
    organization_policies: Vec<Option<(String, OrganizationPolicy)>>,
    universe: Universe,
    role_names: Symbols,
    /// Project role bitsets by role name (`None`: not a project role).
    project_roles: Vec<Option<Bits>>,
    /// Scope names, and their bitsets by scope symbol.
    scope_names: Symbols,
    scopes: Vec<Bits>,
    /// Role names some organization defines a custom role for (never
    /// cleared: a stale bit only costs a lookup).
    custom_role_names: Bits,
    /// The string path's view of roles, by role name: `ROLE_PROJECT` /
    /// `ROLE_CUSTOM` flags, and project role bitsets as arena rows (the
    /// project policy never changes, so rows never widen).
    role_kinds: Vec<u8>,
    project_rows: SetArena,
    organizations: OrganizationTable,
    /// Role sets resolved per organization index, rebuilt when its policy changes.
    organization_sets: Vec<Vec<u32>>,
    sets: Vec<RoleSet>,
    set_arena: SetArena,
    /// Resolved role sets (indexes into `sets`) by organization and roles.
    set_index: HashTable<u32>,
}

impl Engine {
    /// Compiles a project policy.
    pub fn new(policy: Policy) -> Self {
        let mut engine = Engine {
            policy: Policy::default(),
            organization_policies: Vec::new(),
            universe: Universe::default(),
            role_names: Symbols::default(),
            project_roles: Vec::new(),
            scope_names: Symbols::default(),
            scopes: Vec::new(),
            custom_role_names: Bits::default(),
            role_kinds: Vec::new(),
            project_rows: SetArena::default(),
            organizations: OrganizationTable::default(),
            organization_sets: Vec::new(),
            sets: Vec::new(),
            set_arena: SetArena::default(),
            set_index: HashTable::new(),
        };
        // Declared resources and actions first, so their bits are dense and
        // in declaration order.
        for resource in &policy.resources {
            let resource_hash = symbols::hash(resource.resource_id.as_bytes());
            let index = engine
                .universe
                .intern_resource_hashed(&resource.resource_id, resource_hash);
            for action in &resource.actions {
                if action != WILDCARD {
                    engine
                        .universe
                        .intern_action_hashed(index, resource_hash, action);
                }
            }
        }
        for role in &policy.roles {
            let name = engine.intern_role(&role.role_id);
            let bits = engine.compile_role(role);
            let slot = engine.project_role_slot(name);
            match slot {
                Some(Some(existing)) => existing.union_with(&bits),
                Some(empty) => *empty = Some(bits),
                None => {}
            }
        }
        let project_roles = std::mem::take(&mut engine.project_roles);
        for (name, bits) in project_roles.iter().enumerate() {
            let row = engine.project_rows.push(None);
            if let Some(bits) = bits {
                engine.project_rows.write(row, bits);
                engine.mark_role(u32::try_from(name).unwrap_or(u32::MAX), ROLE_PROJECT);
            }
        }
        engine.project_roles = project_roles;
        for scope in &policy.scopes {
            let mut granted = Vec::new();
            engine.universe.grant_all(&scope.permissions, &mut granted);
            let bits = Bits::from_list(&granted);
            let symbol = engine.scope_names.intern(&scope.scope) as usize;
            if let Some(scope_bits) = grown_slot(&mut engine.scopes, symbol, Bits::default) {
                scope_bits.union_with(&bits);
            }
        }
        engine.policy = policy;
        engine
    }

    /// Compiles a project policy and organization policies at once.
    pub fn with_organization_policies(
        policy: Policy,
        organization_policies: impl IntoIterator<Item = (String, OrganizationPolicy)>,
    ) -> Self {
        let mut engine = Engine::new(policy);
        for (organization_id, organization_policy) in organization_policies {
            engine.set_organization_policy(&organization_id, organization_policy);
        }
        engine
    }

    /// The project policy this engine was compiled from.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The organization policy in force for an organization, if any.
    pub fn organization_policy(&self, organization_id: &str) -> Option<&OrganizationPolicy> {
        let index = self.organizations.find(organization_id)?;
        let (_, policy) = self.organization_policies.get(index as usize)?.as_ref()?;
        Some(policy)
    }

    /// Every organization policy in force with its organization id, in the
    /// order the organizations were first seen.
    pub fn organization_policies(&self) -> impl Iterator<Item = (&str, &OrganizationPolicy)> {
        self.organization_policies
            .iter()
            .flatten()
            .map(|(id, policy)| (id.as_str(), policy))
    }

    fn intern_role(&mut self, role_id: &str) -> RoleName {
        self.role_names.intern(role_id)
    }

    fn mark_role(&mut self, name: RoleName, kind: u8) {
        if let Some(slot) = grown_slot(&mut self.role_kinds, name as usize, || 0) {
            *slot |= kind;
        }
    }

    fn project_role_slot(&mut self, name: RoleName) -> Option<&mut Option<Bits>> {
        grown_slot(&mut self.project_roles, name as usize, || None)
    }

    fn compile_role(&mut self, role: &Role) -> Bits {
        let mut granted = Vec::new();
        self.universe.grant_all(&role.permissions, &mut granted);
        Bits::from_list(&granted)
    }

    fn intern_organization(&mut self, organization_id: &str) -> u32 {
        let index = self.organizations.intern(organization_id);
        if self.organization_sets.len() <= index as usize {
            self.organization_sets
                .resize_with(index as usize + 1, Vec::new);
            self.organization_policies
                .resize_with(index as usize + 1, || None);
        }
        index
    }

    /// Sets (or replaces) an organization's custom roles. The policy is taken
    /// as is, valid or not, as the SDKs take it; validate it first with
    /// [`crate::validate_organization_policy`] where that matters.
    pub fn set_organization_policy(&mut self, organization_id: &str, policy: OrganizationPolicy) {
        let index = self.intern_organization(organization_id);
        // Every role's granted bits in one list, role after role: no dense
        // bitset per role (the block keeps sorted lists).
        let mut granted: Vec<u32> = Vec::new();
        let mut spans: Vec<(RoleName, usize, usize)> = Vec::with_capacity(policy.roles.len());
        for role in &policy.roles {
            let name = self.intern_role(&role.role_id);
            self.custom_role_names.insert(name);
            self.mark_role(name, ROLE_CUSTOM);
            let start = granted.len();
            self.universe.grant_all(&role.permissions, &mut granted);
            spans.push((name, start, granted.len()));
        }
        // By role name (then position); a role id defined twice grants the
        // union of both definitions.
        let mut by_name: Vec<u64> = spans
            .iter()
            .zip(0u64..)
            .map(|(&(name, _, _), position)| (u64::from(name) << 32) | position)
            .collect();
        order::sort_keys(&mut by_name);
        // Each role's bits (both definitions' for a repeated id) into one
        // buffer, a run per role, sorted with repeats dropped.
        let mut bits: Vec<u32> = Vec::with_capacity(granted.len());
        let mut ranges: Vec<(RoleName, usize, usize)> = Vec::with_capacity(spans.len());
        for key in by_name {
            #[allow(
                clippy::cast_possible_truncation,
                reason = "the low 32 bits hold the position"
            )]
            let Some(&(name, start, end)) = spans.get(key as u32 as usize) else {
                continue;
            };
            if ranges.last().is_none_or(|&(last, _, _)| last != name) {
                close_run(&mut bits, &mut ranges);
                ranges.push((name, bits.len(), bits.len()));
            }
            bits.extend_from_slice(granted.get(start..end).unwrap_or_default());
        }
        close_run(&mut bits, &mut ranges);
        let custom_roles: Vec<(RoleName, &[u32])> = ranges
            .into_iter()
            .map(|(name, start, end)| (name, bits.get(start..end).unwrap_or_default()))
            .collect();
        self.organizations.set_roles(index, &custom_roles);
        if let Some(slot) = self.organization_policies.get_mut(index as usize) {
            *slot = Some((organization_id.to_owned(), policy));
        }
        self.rebuild_sets_of(index);
    }

    /// Removes an organization's custom roles; its members keep project roles.
    /// Returns the policy that was in force.
    pub fn remove_organization_policy(
        &mut self,
        organization_id: &str,
    ) -> Option<OrganizationPolicy> {
        let index = self.organizations.find(organization_id)?;
        let (_, removed) = self.organization_policies.get_mut(index as usize)?.take()?;
        self.organizations.set_roles(index, &[]);
        self.rebuild_sets_of(index);
        Some(removed)
    }

    fn rebuild_sets_of(&mut self, organization: u32) {
        let set_ids = self
            .organization_sets
            .get(organization as usize)
            .cloned()
            .unwrap_or_default();
        for set_id in set_ids {
            let Some(set) = self.sets.get(set_id as usize) else {
                continue;
            };
            let bits = self.union_of(set.organization, &set.roles);
            self.set_arena.write(set_id, &bits);
        }
    }

    fn union_of(&self, organization: Option<u32>, roles: &[RoleName]) -> Bits {
        let block = organization.and_then(|index| self.organizations.block(index));
        let mut bits = Bits::default();
        for &name in roles {
            if let Some(Some(project)) = self.project_roles.get(name as usize) {
                bits.union_with(project);
            }
            if let Some(custom) = block.and_then(|block| block.role(name)) {
                for bit in custom.bits() {
                    bits.insert(bit);
                }
            }
        }
        bits
    }

    /// Resolves an organization id to a handle (interning it if new).
    pub fn resolve_organization(&mut self, organization_id: &str) -> OrganizationHandle {
        OrganizationHandle(self.intern_organization(organization_id))
    }

    /// Resolves a subject to the handle of its role set in its organization.
    /// Subjects with the same organization and the same roles share a handle;
    /// the handle follows later changes to that organization's policy.
    pub fn resolve_subject<S: AsRef<str>>(
        &mut self,
        organization_id: Option<&str>,
        roles: &[S],
    ) -> SubjectHandle {
        let organization = organization_id.map(|id| self.intern_organization(id));
        let mut names: Vec<RoleName> = roles
            .iter()
            .map(|role| self.intern_role(role.as_ref()))
            .collect();
        order::sort_keys(&mut names);
        names.dedup();
        let hash = set_hash(organization, &names);
        let sets = &self.sets;
        if let Some(&set) = self.set_index.find(hash, |&set| {
            sets.get(set as usize)
                .is_some_and(|set| set.organization == organization && *set.roles == *names)
        }) {
            return SubjectHandle(set);
        }
        let bits = self.union_of(organization, &names);
        let set_id = self.set_arena.push(organization);
        self.set_arena.write(set_id, &bits);
        self.sets.push(RoleSet {
            organization,
            roles: names.into_boxed_slice(),
        });
        if let Some(sets) =
            organization.and_then(|index| self.organization_sets.get_mut(index as usize))
        {
            sets.push(set_id);
        }
        let sets = &self.sets;
        let rehash = |&set: &u32| {
            sets.get(set as usize)
                .map_or(0, |set| set_hash(set.organization, &set.roles))
        };
        self.set_index
            .insert_unique(hash, set_id, &rehash as symbols::Rehash<'_>);
        SubjectHandle(set_id)
    }

    /// Resolves a `(resource, action)` pair to a handle (interning it if new,
    /// so the handle stays right if a later organization policy grants it).
    pub fn resolve_permission(&mut self, resource_id: &str, action: &str) -> PermissionHandle {
        let resource_hash = symbols::hash(resource_id.as_bytes());
        let resource = self
            .universe
            .intern_resource_hashed(resource_id, resource_hash);
        let action_bit = if action == WILDCARD {
            // `actions.includes("*")` already covers the literal action `*`:
            // only a `*` grant allows it.
            NO_BIT
        } else {
            self.universe
                .intern_action_hashed(resource, resource_hash, action)
        };
        let wildcard_bit = self.universe.wildcard_bit(resource);
        PermissionHandle {
            action_bit,
            wildcard_bit,
        }
    }

    /// Whether any role or scope the engine has compiled grants the pair
    /// (its action or its resource's `*`). `false` means every check of it
    /// is denied, whoever asks, until an organization policy grants it
    /// ([`Engine::granted_count`] then grows).
    pub fn granted_anywhere(&self, permission: PermissionHandle) -> bool {
        let granted = &self.universe.granted;
        granted.contains(permission.action_bit) || granted.contains(permission.wildcard_bit)
    }

    /// How many distinct `(resource, action)` and `*` bits grants have set
    /// so far: it grows exactly when an organization policy grants
    /// something no role or scope granted before.
    pub fn granted_count(&self) -> u32 {
        self.universe.granted_count
    }

    /// The hot path: a check through resolved handles. `organization` is the
    /// check's organization (`None` for a consumer check).
    #[inline]
    pub fn check(
        &self,
        subject: SubjectHandle,
        organization: Option<OrganizationHandle>,
        permission: PermissionHandle,
    ) -> Result<(), DenyCode> {
        let Some(set_organization) = self.set_arena.organization(subject.0) else {
            return Err(DenyCode::InvalidPermissions);
        };
        let check_organization = match organization {
            // The sentinel is no organization handle the engine ever issues.
            Some(handle) if handle.0 == NO_ORGANIZATION => return Err(DenyCode::TenancyMismatch),
            Some(handle) => handle.0,
            None => NO_ORGANIZATION,
        };
        if set_organization != check_organization {
            return Err(DenyCode::TenancyMismatch);
        }
        if self.set_grants(subject, permission) {
            Ok(())
        } else {
            Err(DenyCode::InvalidPermissions)
        }
    }

    /// Whether a resolved role set holds the permission's action or `*` bit.
    #[inline]
    fn set_grants(&self, subject: SubjectHandle, permission: PermissionHandle) -> bool {
        self.set_arena.contains(subject.0, permission.action_bit)
            || self.set_arena.contains(subject.0, permission.wildcard_bit)
    }

    /// [`Engine::check`] in the subject's own organization, for callers that
    /// have already found the check's organization to be the subject's.
    #[inline]
    pub fn is_allowed_in_own_organization(
        &self,
        subject: SubjectHandle,
        permission: PermissionHandle,
    ) -> bool {
        self.set_arena.organization(subject.0).is_some() && self.set_grants(subject, permission)
    }

    /// [`Engine::check`] as a boolean.
    #[inline]
    pub fn is_allowed(
        &self,
        subject: SubjectHandle,
        organization: Option<OrganizationHandle>,
        permission: PermissionHandle,
    ) -> bool {
        self.check(subject, organization, permission).is_ok()
    }

    /// A check through string ids, resolving nothing ahead of time and
    /// interning nothing.
    pub fn authorize_parts<S: AsRef<str>>(
        &self,
        subject_organization_id: Option<&str>,
        subject_roles: &[S],
        check_organization_id: Option<&str>,
        resource_id: &str,
        action: &str,
    ) -> Result<(), DenyCode> {
        let same_tenant = match (subject_organization_id, check_organization_id) {
            (Some(subject), Some(check)) => symbols::same(subject.as_bytes(), check.as_bytes()),
            (None, None) => true,
            _ => false,
        };
        if !same_tenant {
            return Err(DenyCode::TenancyMismatch);
        }
        let Some(permission) = self.lookup_permission(resource_id, action) else {
            return Err(DenyCode::InvalidPermissions);
        };
        // Project roles first: their bitsets are few and hot. The organization
        // (a hash of its id and a walk to its custom roles, cold when tenants
        // vary) is visited only if a subject role is some organization's
        // custom role name.
        // Role names resolved in the first pass, for the second; subjects
        // with more roles than this resolve the rest again.
        const KEPT: usize = 8;
        let mut kept = [RoleName::MAX; KEPT];
        let mut custom_candidates = false;
        for (index, role) in subject_roles.iter().enumerate() {
            let Some(name) = self.role_names.get(role.as_ref()) else {
                continue;
            };
            let kind = self.role_kinds.get(name as usize).copied().unwrap_or(0);
            if kind & ROLE_PROJECT != 0
                && (self.project_rows.contains(name, permission.action_bit)
                    || self.project_rows.contains(name, permission.wildcard_bit))
            {
                return Ok(());
            }
            if kind & ROLE_CUSTOM != 0 {
                custom_candidates = true;
                if let Some(slot) = kept.get_mut(index) {
                    *slot = name;
                }
            }
        }
        if !custom_candidates {
            return Err(DenyCode::InvalidPermissions);
        }
        let Some(organization) = check_organization_id
            .and_then(|id| self.organizations.get(id))
            .filter(|block| block.has_roles())
        else {
            return Err(DenyCode::InvalidPermissions);
        };
        let granted_by = |name: RoleName| {
            organization.role(name).is_some_and(|bits| {
                bits.contains_either(permission.action_bit, permission.wildcard_bit)
            })
        };
        if kept
            .iter()
            .any(|&name| name != RoleName::MAX && granted_by(name))
        {
            return Ok(());
        }
        let overflow = subject_roles
            .iter()
            .skip(KEPT)
            .filter_map(|role| self.role_names.get(role.as_ref()));
        for name in overflow {
            if granted_by(name) {
                return Ok(());
            }
        }
        Err(DenyCode::InvalidPermissions)
    }

    fn lookup_permission(&self, resource_id: &str, action: &str) -> Option<PermissionHandle> {
        let mut permission = self.universe.lookup(resource_id, action)?;
        if action == WILDCARD {
            permission.action_bit = NO_BIT;
        }
        Some(permission)
    }

    /// A role-based check of the API's shapes.
    pub fn authorize(&self, subject: &Subject, check: &AuthorizationCheck) -> Result<(), DenyCode> {
        self.authorize_parts(
            subject.organization_id.as_deref(),
            &subject.roles,
            check.organization_id.as_deref(),
            &check.resource_id,
            &check.action,
        )
    }

    /// [`Engine::authorize`] as a boolean (the SDKs' `isAuthorized`).
    pub fn is_authorized(&self, subject: &Subject, check: &AuthorizationCheck) -> bool {
        self.authorize(subject, check).is_ok()
    }

    /// A scope-based check: tenancy first, then the project policy's scopes
    /// named by the token. Organization roles never apply.
    pub fn authorize_scopes<'s>(
        &self,
        subject_organization_id: Option<&str>,
        token_scopes: impl IntoIterator<Item = &'s str>,
        check: &AuthorizationCheck,
    ) -> Result<(), DenyCode> {
        if subject_organization_id != check.organization_id.as_deref() {
            return Err(DenyCode::TenancyMismatch);
        }
        let Some(permission) = self.lookup_permission(&check.resource_id, &check.action) else {
            return Err(DenyCode::InvalidPermissions);
        };
        let allowed = token_scopes.into_iter().any(|scope| {
            let bits = self
                .scope_names
                .get(scope)
                .and_then(|symbol| self.scopes.get(symbol as usize));
            bits.is_some_and(|bits| {
                bits.contains(permission.action_bit) || bits.contains(permission.wildcard_bit)
            })
        });
        if allowed {
            Ok(())
        } else {
            Err(DenyCode::InvalidPermissions)
        }
    }

    /// Every declared action of every declared resource, allowed or not, for
    /// a subject checked in `organization_id` (the SDKs' `allPermissions`).
    /// A subject of another organization is allowed nothing.
    pub fn all_permissions(
        &self,
        subject: &Subject,
        organization_id: Option<&str>,
    ) -> AllPermissions {
        // One entry per declared resource and action (`None`: a resource
        // declaring no action still gets its empty entry), sorted, then
        // repeats merged: a repeated declaration is allowed if any is.
        let mut entries: Vec<(&str, Option<(&str, bool)>)> = Vec::new();
        for resource in &self.policy.resources {
            let resource_id = resource.resource_id.as_str();
            entries.push((resource_id, None));
            for action in &resource.actions {
                let allowed = self
                    .authorize_parts(
                        subject.organization_id.as_deref(),
                        &subject.roles,
                        organization_id,
                        resource_id,
                        action,
                    )
                    .is_ok();
                entries.push((resource_id, Some((action.as_str(), allowed))));
            }
        }
        order::sort_by(&mut entries, |a, b| {
            a.0.cmp(b.0).then_with(|| {
                a.1.map(|(action, _)| action)
                    .cmp(&b.1.map(|(action, _)| action))
            })
        });
        let mut resources: Vec<ResourcePermissions> = Vec::new();
        for (resource_id, action) in entries {
            if resources
                .last()
                .is_none_or(|last| last.resource_id != resource_id)
            {
                resources.push(ResourcePermissions {
                    resource_id: resource_id.to_owned(),
                    actions: Vec::new(),
                });
            }
            let (Some((action, allowed)), Some(last)) = (action, resources.last_mut()) else {
                continue;
            };
            match last.actions.last_mut() {
                Some((previous, was_allowed)) if previous == action => *was_allowed |= allowed,
                _ => last.actions.push((action.to_owned(), allowed)),
            }
        }
        AllPermissions { resources }
    }

    /// The deny message the SDKs attach, for a check in `organization_id`.
    pub fn deny_message(code: DenyCode, organization_id: Option<&str>) -> &'static str {
        code.message(Caller::of_check(organization_id))
    }
}

/// Every declared action of every declared resource and whether it is
/// allowed ([`Engine::all_permissions`]): resources sorted by id, actions by
/// name. A sorted list rather than a map keeps one less map type in the npm
/// package. Serializes as `{resourceId: {action: allowed}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AllPermissions {
    resources: Vec<ResourcePermissions>,
}

/// One resource's actions in [`AllPermissions`], sorted by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcePermissions {
    pub resource_id: String,
    pub actions: Vec<(String, bool)>,
}

impl AllPermissions {
    /// The resources, sorted by id.
    pub fn resources(&self) -> &[ResourcePermissions] {
        &self.resources
    }

    /// Whether `action` on `resource_id` is allowed; `None` if undeclared.
    pub fn get(&self, resource_id: &str, action: &str) -> Option<bool> {
        let resource = self
            .resources
            .binary_search_by(|resource| resource.resource_id.as_str().cmp(resource_id))
            .ok()
            .and_then(|index| self.resources.get(index))?;
        let index = resource
            .actions
            .binary_search_by(|(name, _)| name.as_str().cmp(action))
            .ok()?;
        resource.actions.get(index).map(|&(_, allowed)| allowed)
    }
}

impl Serialize for AllPermissions {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            self.resources
                .iter()
                .map(|resource| (&resource.resource_id, ActionsAllowed(&resource.actions))),
        )
    }
}

struct ActionsAllowed<'a>(&'a [(String, bool)]);

impl Serialize for ActionsAllowed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(action, allowed)| (action, allowed)))
    }
}
