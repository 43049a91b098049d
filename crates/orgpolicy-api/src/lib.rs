//! Stytch's organization, member and RBAC API as typed values: what the
//! sandbox serves, the gateway forwards and the console offers.
//!
//! - [`catalog`]: every endpoint (method, path, parameters, body fields
//!   with types, enums, defaults and docs) and the strict request matcher
//!   that is the gateway's allowlist.
//! - [`organization`]: body rules for organizations and members, the
//!   frontend metadata limits and merge, search queries.
//! - [`objects`]: the API's organizations and members as typed structs,
//!   split into what the server assigns and what a client may set.
//! - [`snippet`]: curl, `fetch` and reqwest snippets that never hold a secret.
//! - [`codes`]: the API's problem codes.
//!
//! Pure like the policy core it builds on (no I/O; builds for
//! `wasm32-unknown-unknown`), but not part of the npm runtime, which
//! depends on the policy core only.

#![deny(clippy::disallowed_methods)]

pub mod catalog;
pub mod codes;
pub mod examples;
pub mod objects;
pub mod organization;
pub mod snippet;
