//! The orgpolicy npm package: thin `#[wasm_bindgen]` shims over
//! `orgpolicy-core`, built as two modules from this one crate:
//!
//! - **runtime** (feature `runtime`, the package's main entry): `Engine`,
//!   everything a page needs to check permissions (and `Session`, written in
//!   JS over it in `js/orgpolicy.js`).
//! - **tools** (feature `tools`, `orgpolicy/tools`): explanations, validation, diffs,
//!   effective roles and M2M scope strings, for admin screens and build
//!   steps. Kept apart so pages that only check do not download them.
//!
//! Both share the rules:
//! - Long-lived data (the compiled engine) stays in wasm memory behind the
//!   `Engine` handle; only small answers cross.
//! - Nothing throws and nothing panics: every fallible call answers
//!   `{type: "success", ...} | {type: "failure", errors: [{code, message, path}]}`.
//!   Arguments are taken as `JsValue` and checked here, because the generated
//!   glue for `&str` parameters throws on a non-string.
//! - Documents are read through `orgpolicy_core::flat` (see [`convert`]); no
//!   serde deserializer is linked in.
//! - The fast path (`resolve*`, `check`, `checkMany`) takes and returns
//!   integers only: nothing on it goes through serde.
#![allow(
    clippy::new_without_default,
    missing_debug_implementations,
    reason = "wasm-bindgen classes are opaque handles to JS"
)]

mod convert;
#[cfg(feature = "runtime")]
mod runtime;
pub mod state;
#[cfg(feature = "tools")]
mod tools;
mod types;

#[cfg(feature = "runtime")]
pub use runtime::Engine;
#[cfg(feature = "tools")]
pub use tools::*;

/// The module's allocator: rlsf's TLSF, 2.3 KB gzipped smaller than Rust's
/// default (dlmalloc) in the main entry. Checks answered from the string
/// API's cache do not allocate; loading and first sight do (see
/// ARCHITECTURE.md, "rlsf, not dlmalloc").
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: rlsf::GlobalTlsf = rlsf::GlobalTlsf::new();
