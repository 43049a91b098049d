//! The engine behind the JS `Engine` handle, as plain Rust so `cargo test`
//! checks it natively: the compiled engine plus the tables that turn small
//! integers from JS into core handles.

use orgpolicy_core::{
    Engine, OrganizationHandle, OrganizationPolicy, PermissionHandle, Policy, SubjectHandle,
};

/// The organization argument of a fast-path check that names none
/// (a consumer check).
pub const NO_ORGANIZATION: u32 = u32::MAX;

/// The long-lived data behind one JS `Engine`.
#[derive(Debug)]
pub struct EngineState {
    engine: Engine,
    /// Resolved permissions by [`PermissionHandle::key`], the integer JS holds.
    permissions: Vec<PermissionHandle>,
    /// Bumped on every organization policy change, so callers holding
    /// derived answers know to drop them.
    generation: u32,
}

impl EngineState {
    pub fn new(policy: Policy) -> Self {
        Self {
            engine: Engine::new(policy),
            permissions: Vec::new(),
            generation: 0,
        }
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// Sets an organization's custom roles; true if they grant a pair
    /// nothing granted before (permissions found granted nowhere are then
    /// stale).
    pub fn set_organization_policy(
        &mut self,
        organization_id: &str,
        policy: OrganizationPolicy,
    ) -> bool {
        let granted = self.engine.granted_count();
        self.engine.set_organization_policy(organization_id, policy);
        self.generation = self.generation.wrapping_add(1);
        self.engine.granted_count() != granted
    }

    /// Whether some role grants the permission of a small integer from
    /// [`EngineState::resolve_permission`] (false: denied to everyone, for
    /// now). Unknown integers are granted nowhere.
    pub fn granted_anywhere(&self, permission: u32) -> bool {
        self.permissions
            .get(permission as usize)
            .is_some_and(|&permission| self.engine.granted_anywhere(permission))
    }

    pub fn remove_organization_policy(&mut self, organization_id: &str) -> bool {
        let removed = self
            .engine
            .remove_organization_policy(organization_id)
            .is_some();
        if removed {
            self.generation = self.generation.wrapping_add(1);
        }
        removed
    }

    pub fn resolve_subject(&mut self, organization_id: Option<&str>, roles: &[String]) -> u32 {
        self.engine.resolve_subject(organization_id, roles).0
    }

    pub fn resolve_organization(&mut self, organization_id: &str) -> u32 {
        self.engine.resolve_organization(organization_id).0
    }

    /// A small integer for a `(resource, action)` pair; the same pair always
    /// gets the same integer.
    pub fn resolve_permission(&mut self, resource_id: &str, action: &str) -> u32 {
        let handle = self.engine.resolve_permission(resource_id, action);
        let key = handle.key();
        let index = key as usize;
        if key == PermissionHandle::NONE.key() {
            // Out of bits (four billion pairs): nothing to store, and the
            // key checks as unknown.
            return key;
        }
        if self.permissions.len() <= index {
            self.permissions.resize(index + 1, PermissionHandle::NONE);
        }
        if let Some(slot) = self.permissions.get_mut(index) {
            *slot = handle;
        }
        key
    }

    /// The hot path: integers in, a boolean out. Unknown integers deny.
    #[inline]
    pub fn check(&self, subject: u32, organization: u32, permission: u32) -> bool {
        let Some(&permission) = self.permissions.get(permission as usize) else {
            return false;
        };
        let organization =
            (organization != NO_ORGANIZATION).then_some(OrganizationHandle(organization));
        self.engine
            .is_allowed(SubjectHandle(subject), organization, permission)
    }

    /// A check in the subject's own organization (the caller has found the
    /// check's organization to be the subject's). Unknown integers deny.
    #[inline]
    pub fn check_own_organization(&self, subject: u32, permission: u32) -> bool {
        self.permissions
            .get(permission as usize)
            .is_some_and(|&permission| {
                self.engine
                    .is_allowed_in_own_organization(SubjectHandle(subject), permission)
            })
    }

    /// Checks `(subject, organization, permission)` triples; writes 1 or 0 per
    /// triple. A trailing partial triple is ignored.
    pub fn check_many(&self, triples: &[u32], out: &mut Vec<u8>) {
        out.clear();
        out.extend(triples.chunks_exact(3).map(|triple| match *triple {
            [subject, organization, permission] => {
                u8::from(self.check(subject, organization, permission))
            }
            _ => 0,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orgpolicy_core::parse_policy;

    fn state() -> EngineState {
        let policy = parse_policy(
            r#"{"resources": [{"resource_id": "docs", "actions": ["read", "write"]}],
                "roles": [{"role_id": "reader", "permissions": [{"resource_id": "docs", "actions": ["read"]}]}]}"#,
        )
        .unwrap()
        .policy;
        EngineState::new(policy)
    }

    #[test]
    fn fast_path_checks_and_batches() {
        let mut state = state();
        let reader = state.resolve_subject(Some("org-1"), &["reader".to_owned()]);
        let org = state.resolve_organization("org-1");
        let other = state.resolve_organization("org-2");
        let read = state.resolve_permission("docs", "read");
        let write = state.resolve_permission("docs", "write");
        assert_eq!(state.resolve_permission("docs", "read"), read);
        assert!(state.check(reader, org, read));
        assert!(!state.check(reader, org, write));
        assert!(!state.check(reader, other, read), "tenancy");
        assert!(!state.check(reader, NO_ORGANIZATION, read), "tenancy");
        assert!(!state.check(reader, org, 999), "unknown permission integer");
        assert!(!state.check(999, org, read), "unknown subject integer");
        assert!(state.check_own_organization(reader, read));
        assert!(!state.check_own_organization(reader, write));
        assert!(state.granted_anywhere(read));
        assert!(!state.granted_anywhere(write), "granted by no role");
        assert!(!state.granted_anywhere(999), "unknown permission integer");
        assert!(
            !state.check_own_organization(999, read),
            "unknown subject integer"
        );
        assert!(
            !state.check_own_organization(reader, 999),
            "unknown permission integer"
        );
        let mut out = Vec::new();
        state.check_many(
            &[
                reader, org, read, reader, org, write, reader, other, read, 7,
            ],
            &mut out,
        );
        assert_eq!(out, vec![1, 0, 0]);
    }

    #[test]
    fn generation_moves_with_organization_policies() {
        let mut state = state();
        assert_eq!(state.generation(), 0);
        assert!(!state.set_organization_policy("org-1", OrganizationPolicy::default()));
        assert_eq!(state.generation(), 1);
        assert!(state.remove_organization_policy("org-1"));
        assert!(!state.remove_organization_policy("org-1"));
        assert_eq!(state.generation(), 2);
    }
}
