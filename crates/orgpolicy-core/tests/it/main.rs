//! Integration tests of the policy core: one binary, one module per theme.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed expectation is a test failure"
)]

mod engine;
mod parse;
mod properties;
mod scenarios;
