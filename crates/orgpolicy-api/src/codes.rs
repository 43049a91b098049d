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
    INVALID_EMAIL_DOMAIN => "invalid_email_domain",
    INVALID_EMAIL_ADDRESS => "invalid_email_address",
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
