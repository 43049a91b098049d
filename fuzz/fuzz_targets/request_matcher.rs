//! The gateway's allowlist (`catalog::match_request`) on arbitrary methods
//! and paths: it never panics, and whatever it lets through is exactly an
//! endpoint's template filled with unreserved parameter values, so no dot
//! segment, escape, empty segment, query or extra segment can reach the
//! upstream. Half the inputs are templates filled with arbitrary values
//! (and an arbitrary tail), so the matcher's interesting paths are reached;
//! a template filled with valid values must match.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use orgpolicy_api::catalog::{catalog, fill_path, is_parameter_value, match_request};

const METHODS: [&str; 8] = ["GET", "POST", "PUT", "DELETE", "PATCH", "get", "OPTIONS", "HEAD"];

#[derive(Arbitrary, Debug)]
enum Input<'a> {
    Raw(u8, &'a str),
    Templated {
        endpoint: u8,
        values: Vec<&'a str>,
        tail: &'a str,
    },
}

fn check(method: &str, path: &str) {
    let Some(matched) = match_request(method, path) else {
        return;
    };
    assert_eq!(matched.endpoint.method.as_str(), method);
    for value in matched.params.values() {
        assert!(is_parameter_value(value), "{value:?}");
        // The one escape allowed is `%7C` (`|`, in external ids).
        let unescaped = value.replace("%7C", "").replace("%7c", "");
        assert!(value != "." && value != ".." && !unescaped.contains(['/', '%', '?', '#', '\0']));
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
}

fuzz_target!(|input: Input<'_>| {
    match input {
        Input::Raw(method, path) => check(METHODS[usize::from(method) % METHODS.len()], path),
        Input::Templated {
            endpoint,
            values,
            tail,
        } => {
            let endpoints = catalog();
            let endpoint = &endpoints[usize::from(endpoint) % endpoints.len()];
            let mut given = values.iter();
            let Some(path) = fill_path(endpoint, |_| given.next().map(|v| (*v).to_owned())) else {
                return;
            };
            let path = format!("{path}{tail}");
            let method = endpoint.method.as_str();
            check(method, &path);
            let valid = tail.is_empty()
                && values
                    .iter()
                    .take(endpoint.path_params.len())
                    .all(|v| is_parameter_value(v));
            if valid {
                assert!(match_request(method, &path).is_some(), "{method} {path} was refused");
            }
        }
    }
});
