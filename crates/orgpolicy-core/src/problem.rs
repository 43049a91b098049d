//! Structured problems: a machine code (Stytch's `error_type` where one
//! exists), a one-line message, and a JSON pointer to the offending value.

use serde::Serialize;
use std::fmt;

/// How bad a problem is: errors make the API refuse a document, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// The wire form: `"error"` or `"warning"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A problem's machine code: Stytch's `error_type` where one exists. The set
/// is open: the core defines the codes of policy documents below, and the
/// API description (`orgpolicy-api`) defines its own the same way, so one
/// [`Problem`] type serves both without the core knowing the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProblemCode(&'static str);

impl ProblemCode {
    /// A code with its wire form (`snake_case`, as Stytch spells it).
    pub const fn new(code: &'static str) -> Self {
        ProblemCode(code)
    }

    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

macro_rules! problem_codes {
    ($($variant:ident => $code:literal,)*) => {
        #[allow(non_upper_case_globals, reason = "named like the variants they were")]
        impl ProblemCode {
            $(pub const $variant: ProblemCode = ProblemCode($code);)*

            /// Every code the core reports.
            pub const ALL: &'static [ProblemCode] = &[$(ProblemCode::$variant,)*];
        }
    };
}

problem_codes! {
    // Reading a document.
    InvalidJson => "invalid_json",
    InvalidType => "invalid_type",
    MissingField => "missing_field",
    InvalidFormat => "invalid_format",
    // Project policy.
    EmptyRbacRoleId => "empty_rbac_role_id",
    EmptyRbacResourceId => "empty_rbac_resource_id",
    EmptyRbacScope => "empty_rbac_scope",
    EmptyRbacAction => "empty_rbac_action",
    RbacRoleDuplicate => "rbac_role_duplicate",
    RbacResourceDuplicate => "rbac_resource_duplicate",
    RbacActionDuplicate => "rbac_action_duplicate",
    RbacScopeDuplicate => "rbac_scope_duplicate",
    InvalidWildcardAction => "invalid_wildcard_action",
    InvalidStytchPrefixedResource => "invalid_stytch_prefixed_resource",
    InvalidPermissionResource => "invalid_permission_resource",
    InvalidPermissionAction => "invalid_permission_action",
    // Organization policy.
    InvalidRbacCustomRole => "invalid_rbac_custom_role",
    RbacPermissionMissingActions => "rbac_permission_missing_actions",
    // Warnings.
    RoleGrantsNothing => "role_grants_nothing",
    ResourceUnused => "resource_unused",
    ScopeGrantsNothing => "scope_grants_nothing",
}

impl fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ProblemCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One problem with an input document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: ProblemCode,
    pub message: String,
    /// RFC 6901 JSON pointer into the document (`""` is the whole document).
    pub path: String,
    pub severity: Severity,
}

impl Problem {
    pub fn error(code: ProblemCode, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            path: path.into(),
            severity: Severity::Error,
        }
    }

    pub fn warning(code: ProblemCode, path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, path, message)
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)?;
        if !self.path.is_empty() {
            write!(f, " (at `{}`)", self.path)?;
        }
        Ok(())
    }
}

/// Escapes one reference token of a JSON pointer (RFC 6901 section 3).
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Builds a JSON pointer from its tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Self(String::new())
    }

    #[must_use]
    pub fn key(&self, key: &str) -> Self {
        Self(format!("{}/{}", self.0, escape_pointer_token(key)))
    }

    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        Self(format!("{}/{index}", self.0))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<Pointer> for String {
    fn from(pointer: Pointer) -> Self {
        pointer.0
    }
}

impl From<&Pointer> for String {
    fn from(pointer: &Pointer) -> Self {
        pointer.0.clone()
    }
}
