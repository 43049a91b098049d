//! Integration tests of the policy core: one binary, one module per theme.

mod engine;
mod parse;
mod properties;
mod scenarios;
