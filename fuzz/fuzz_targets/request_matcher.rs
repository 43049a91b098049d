//! The gateway's allowlist (`catalog::match_request`) on arbitrary methods
//! and paths: it never panics, and whatever it lets through is exactly an
//! endpoint's template filled with unreserved parameter values, so no
//! dot segment, escape, empty segment, query or extra segment can reach
//! the upstream.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orgpolicy_core::catalog::{catalog, fill_path, is_parameter_value, match_request};

const METHODS: [&str; 8] = ["GET", "POST", "PUT", "DELETE", "PATCH", "get", "OPTIONS", "HEAD"];

fuzz_target!(|input: (u8, &str)| {
    let (method, path) = input;
    let method = METHODS[usize::from(method) % METHODS.len()];
    let Some(matched) = match_request(method, path) else {
        return;
    };
    assert_eq!(matched.endpoint.method.as_str(), method);
    for value in matched.params.values() {
        assert!(is_parameter_value(value), "{value:?}");
        assert!(value != "." && value != ".." && !value.contains(['/', '%', '?', '#']));
    }
    let rebuilt = fill_path(&matched.endpoint, |name| matched.params.get(name).cloned());
    assert_eq!(rebuilt.as_deref(), Some(path), "{method} {path}");
    // A literal template always wins over a parameter in the same position.
    if let Some(literal) = catalog()
        .into_iter()
        .find(|e| e.method == matched.endpoint.method && e.path == path)
    {
        assert_eq!(literal.id, matched.endpoint.id);
    }
});
