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
    SEARCH_OPERATOR_OR_DEPRECATED => "search_operator_or_deprecated",
    // Organization settings: Stytch's code per setting.
    INVALID_ORGANIZATION_MFA_POLICY => "invalid_organization_mfa_policy",
    INVALID_ORGANIZATION_AUTH_METHOD_SETTINGS => "invalid_organization_auth_method_settings",
    INVALID_ORGANIZATION_ALLOWED_AUTH_METHODS => "invalid_organization_allowed_auth_methods",
    INVALID_ORGANIZATION_MFA_FACTOR_SETTING => "invalid_organization_mfa_factor_setting",
    INVALID_ORGANIZATION_ALLOWED_MFA_METHODS => "invalid_organization_allowed_mfa_methods",
    INVALID_ORGANIZATION_AUTH_FACTOR_SETTING => "invalid_organization_auth_factor_setting",
    INVALID_REQUEST_VALUE => "invalid_request_value",
    // Search, per endpoint as Stytch names them.
    ORGANIZATION_SEARCH_FILTER_NAME_MUST_BE_STRING => "organization_search_filter_name_must_be_string",
    ORGANIZATION_SEARCH_FILTER_NAME_NOT_RECOGNIZED => "organization_search_filter_name_not_recognized",
    ORGANIZATION_SEARCH_MISSING_FILTER_VALUE => "organization_search_missing_filter_value",
    ORGANIZATION_SEARCH_EXPECTED_ARRAY_OF_STRINGS => "organization_search_expected_array_of_strings",
    ORGANIZATION_SEARCH_EXPECTED_STRING => "organization_search_expected_string",
    ORGANIZATION_SEARCH_ORGANIZATION_SLUG_FUZZY_TOO_SHORT => "organization_search_organization_slug_fuzzy_too_short",
    ORGANIZATION_SEARCH_ORGANIZATION_NAME_FUZZY_TOO_SHORT => "organization_search_organization_name_fuzzy_too_short",
    ORGANIZATION_SEARCH_MEMBER_EMAIL_FUZZY_TOO_SHORT => "organization_search_member_email_fuzzy_too_short",
    ORGANIZATION_SEARCH_ALLOWED_DOMAIN_FUZZY_TOO_SHORT => "organization_search_allowed_domain_fuzzy_too_short",
    MEMBER_SEARCH_FILTER_NAME_MUST_BE_STRING => "member_search_filter_name_must_be_string",
    MEMBER_SEARCH_FILTER_NAME_NOT_RECOGNIZED => "member_search_filter_name_not_recognized",
    MEMBER_SEARCH_MISSING_FILTER_VALUE => "member_search_missing_filter_value",
    MEMBER_SEARCH_EXPECTED_ARRAY_OF_STRINGS => "member_search_expected_array_of_strings",
    MEMBER_SEARCH_EXPECTED_STRING => "member_search_expected_string",
    MEMBER_SEARCH_EXPECTED_BOOLEAN => "member_search_expected_boolean",
    MEMBER_SEARCH_MEMBER_EMAIL_FUZZY_TOO_SHORT => "member_search_member_email_fuzzy_too_short",
    MEMBER_SEARCH_MEMBER_MFA_PHONE_NUMBER_FUZZY_TOO_SHORT => "member_search_member_mfa_phone_number_fuzzy_too_short",
    MEMBER_SEARCH_ORGANIZATION_IDS_EMPTY => "member_search_organization_ids_empty",
    SEARCH_INVALID_STATUS_FILTER => "search_invalid_status_filter",
    // The sandbox's answers.
    ORGANIZATION_NOT_FOUND => "organization_not_found",
    MEMBER_NOT_FOUND => "member_not_found",
    CONNECTED_APP_NOT_FOUND => "connected_app_not_found",
    ORGANIZATION_SLUG_ALREADY_USED => "organization_slug_already_used",
    ORGANIZATION_EXTERNAL_ID_ALREADY_USED => "organization_external_id_already_used",
    DUPLICATE_MEMBER_EMAIL => "duplicate_member_email",
    DUPLICATE_MEMBER_EXTERNAL_ID => "duplicate_member_external_id",
    DESIRED_EMAIL_DEACTIVATED_BY_DIFFERENT_MEMBER => "desired_email_deactivated_by_different_member",
    REACTIVATION_EMAIL_BELONGS_TO_ANOTHER_MEMBER => "reactivation_email_belongs_to_another_member",
    NO_DELETED_MEMBER_FOUND_FOR_REACTIVATION => "no_deleted_member_found_for_reactivation",
    RETIRED_EMAIL_MISSING_EMAIL_IDENTIFIERS => "retired_email_missing_email_identifiers",
    EMAIL_NOT_FOUND => "email_not_found",
    ACTION_AVAILABLE_ONLY_FOR_ACTIVE_MEMBERS => "action_available_only_for_active_members",
    EMAIL_VERIFICATION_REQUIRED => "email_verification_required",
    TOTP_NOT_FOUND => "totp_not_found",
    MEMBER_PASSWORD_NOT_FOUND => "member_password_not_found",
    MEMBER_OAUTH_TOKEN_NOT_FOUND => "member_oauth_token_not_found",
    UNAUTHORIZED_CREDENTIALS => "unauthorized_credentials",
    ROUTE_NOT_FOUND => "route_not_found",
    METHOD_NOT_ALLOWED => "method_not_allowed",
    INTERNAL_SERVER_ERROR => "internal_server_error",
    MEMBER_SESSIONS_NOT_SUPPORTED => "member_sessions_not_supported",
    INVALID_REQUEST_BODY => "invalid_request_body",
    UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
    REQUEST_TOO_LARGE => "request_too_large",
    REQUEST_TIMEOUT => "request_timeout",
}

/// The codes that are this project's own, each with why: Stytch publishes
/// no error type for the case (or, for the sandbox's, the case is the
/// sandbox's alone). Every other code, here and in the core, is one of
/// Stytch's published error types (a test holds both lists to that).
pub const OWN: &[(ProblemCode, &str)] = &[
    (ProblemCode::InvalidJson, "a body that is not JSON"),
    (ProblemCode::InvalidType, "a field of the wrong JSON type"),
    (
        ProblemCode::MissingField,
        "a required field left out (Stytch names only organization_name_missing)",
    ),
    (
        ProblemCode::InvalidFormat,
        "a path parameter that is not an id",
    ),
    (
        ProblemCode::EmptyRbacAction,
        "an empty action name in a policy",
    ),
    (
        ProblemCode::RoleGrantsNothing,
        "a warning: a role with no permissions",
    ),
    (
        ProblemCode::ResourceUnused,
        "a warning: a resource no role uses",
    ),
    (
        ProblemCode::ScopeGrantsNothing,
        "a warning: a scope with no permissions",
    ),
    (
        INVALID_EXTERNAL_ID,
        "an external id outside its 128 characters of letters, digits and ._-|",
    ),
    (
        UNKNOWN_FIELD,
        "a warning: a body field the endpoint does not take (Stytch ignores it)",
    ),
    (
        INVALID_SEARCH_QUERY,
        "a search operator, operand count, value length or cursor out of bounds",
    ),
    (INVALID_SEARCH_LIMIT, "a search limit outside 1 to 1000"),
    (
        SEARCH_OPERATOR_OR_DEPRECATED,
        "a warning: Stytch documents `OR` as deprecated, yet still takes it",
    ),
    (
        ORGANIZATION_EXTERNAL_ID_ALREADY_USED,
        "an organization external id another organization has",
    ),
    (
        MEMBER_SESSIONS_NOT_SUPPORTED,
        "the sandbox has no member sessions, and refuses to act on one",
    ),
    (
        INVALID_REQUEST_BODY,
        "the sandbox's reading of a body: not JSON",
    ),
    (
        UNSUPPORTED_MEDIA_TYPE,
        "the sandbox's reading of a body: not application/json",
    ),
    (
        REQUEST_TOO_LARGE,
        "the sandbox's reading of a body: over its size limit",
    ),
    (REQUEST_TIMEOUT, "the sandbox's reading of a body: too slow"),
];

/// Whether a code says a required field is missing (the console waits for
/// the field to be touched, or a send attempt, before showing these).
pub fn is_missing(code: ProblemCode) -> bool {
    code == ProblemCode::MissingField || code == ORGANIZATION_NAME_MISSING
}
