//! Integration tests of the API description: one binary, one module per theme.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed expectation is a test failure"
)]

mod catalog;
mod codes;
mod organizations;
mod snippets;
