//! The M2M scope-string check: does a client holding `has` scopes satisfy the
//! `required` scopes? Scopes read `action:resource`, a bare word, or
//! `action:*`.
//!
//! This follows stytch-node's implementation, edge cases included:
//! - a bare word means the resource `-`, so `read` is satisfied by `read` or
//!   `read:*`, never by `read:documents`;
//! - a scope is split on every `:` and only the first two parts count, so
//!   `read:a:b` is action `read` on resource `a`;
//! - `*` is a wildcard only in the resource position, and only on the held
//!   side: requiring `read:*` needs `read:*` itself;
//! - no required scope means allowed.
//!
//! stytch-node keys a plain object by action, so an action named after an
//! `Object.prototype` member (`constructor`, `__proto__`) makes it throw a
//! `TypeError`; here such names are ordinary strings.

use serde::Serialize;
use std::collections::BTreeMap;
use std::collections::BTreeSet;

/// Which required scope a client lacks, and whether it lacks the action
/// entirely or only the resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "type",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
pub enum M2mDeny {
    MissingAction {
        required_scope: String,
        action: String,
    },
    MissingResource {
        required_scope: String,
        action: String,
        resource: String,
    },
}

impl M2mDeny {
    /// stytch-node's `error_type` for this deny.
    pub const ERROR_TYPE: &'static str = "missing_scopes";
}

fn split_scope(scope: &str) -> (&str, &str) {
    if scope.contains(':') {
        let mut parts = scope.split(':');
        let action = parts.next().unwrap_or_default();
        let resource = parts.next().unwrap_or_default();
        (action, resource)
    } else {
        (scope, "-")
    }
}

/// Checks every required scope against the held ones.
pub fn authorize<H: AsRef<str>, R: AsRef<str>>(has: &[H], required: &[R]) -> Result<(), M2mDeny> {
    let mut held: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for scope in has {
        let (action, resource) = split_scope(scope.as_ref());
        held.entry(action).or_default().insert(resource);
    }
    for required_scope in required {
        let required_scope = required_scope.as_ref();
        let (action, resource) = split_scope(required_scope);
        let Some(resources) = held.get(action) else {
            return Err(M2mDeny::MissingAction {
                required_scope: required_scope.to_owned(),
                action: action.to_owned(),
            });
        };
        if !resources.contains("*") && !resources.contains(resource) {
            return Err(M2mDeny::MissingResource {
                required_scope: required_scope.to_owned(),
                action: action.to_owned(),
                resource: resource.to_owned(),
            });
        }
    }
    Ok(())
}
