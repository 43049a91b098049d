//! The API's problem codes (Stytch's `error_type` where one exists), beside
//! the core's policy codes in [`ProblemCode`]'s associated constants.

use orgpolicy_core::ProblemCode;

macro_rules! codes {
    ($($name:ident => $code:literal,)*) => {
        $(pub const $name: ProblemCode = ProblemCode::new($code);)*

        /// Every code this crate reports.
        pub const ALL: &[ProblemCode] = &[$($name,)*];
    };
}

codes! {
    // Organizations and members.
    INVALID_ORGANIZATION_NAME => "invalid_organization_name",
    INVALID_ORGANIZATION_SLUG => "invalid_organization_slug",
    INVALID_ENUM_VALUE => "invalid_enum_value",
    INVALID_MFA_DEFAULT_METHOD => "invalid_mfa_default_method",
    INVALID_RBAC_ROLE_ID => "invalid_rbac_role_id",
    INVALID_EMAIL_DOMAIN => "invalid_email_domain",
    ORGANIZATION_NAME_MISSING => "organization_name_missing",
    INVALID_EMAIL => "invalid_email",
    ORGANIZATION_SETTINGS_DOMAIN_TOO_COMMON => "organization_settings_domain_too_common",
    ALLOWED_AUTH_METHODS_REQUIRED_FOR_RESTRICTED => "allowed_auth_methods_required_for_restricted",
    ALLOWED_MFA_METHODS_REQUIRED_FOR_RESTRICTED => "allowed_mfa_methods_required_for_restricted",
    CANNOT_ASSIGN_DEFAULT_RBAC_ROLE_ID => "cannot_assign_default_rbac_role_id",
    INVALID_EXTERNAL_ID => "invalid_external_id",
    METADATA_TOO_MANY_KEYS => "metadata_too_many_keys",
    METADATA_TOO_LARGE => "metadata_too_large",
    METADATA_INVALID_FORMAT => "metadata_invalid_format",
    CANNOT_UPDATE_TRUSTED_METADATA => "cannot_update_trusted_metadata",
    UNKNOWN_FIELD => "unknown_field",
    // Search.
    INVALID_SEARCH_QUERY => "invalid_search_query",
    INVALID_SEARCH_LIMIT => "invalid_search_limit",
    UNKNOWN_SEARCH_FILTER => "unknown_search_filter",
    FUZZY_SEARCH_TOO_SHORT => "fuzzy_search_too_short",
}

/// Whether a code says a required field is missing (the console waits for
/// the field to be touched, or a send attempt, before showing these).
pub fn is_missing(code: ProblemCode) -> bool {
    code == ProblemCode::MissingField || code == ORGANIZATION_NAME_MISSING
}
