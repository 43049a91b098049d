//! The endpoint catalog and its request matcher (the gateway's allowlist).

use orgpolicy_core::catalog::{FieldType, build_path, catalog, match_request};
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn the_catalog_is_consistent() {
    let endpoints = catalog();
    assert_eq!(endpoints.len(), 13);
    let ids: BTreeSet<&str> = endpoints.iter().map(|e| e.id).collect();
    assert_eq!(ids.len(), endpoints.len(), "ids are unique");
    let routes: BTreeSet<(&str, &str)> = endpoints
        .iter()
        .map(|e| (e.method.as_str(), e.path))
        .collect();
    assert_eq!(routes.len(), endpoints.len(), "method and path are unique");
    for endpoint in &endpoints {
        let in_path: Vec<&str> = endpoint
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        assert_eq!(in_path, endpoint.path_params, "{}", endpoint.id);
        let names: BTreeSet<&str> = endpoint.body.iter().map(|f| f.name).collect();
        assert_eq!(
            names.len(),
            endpoint.body.len(),
            "{}: body field names are unique",
            endpoint.id
        );
        for field in &endpoint.body {
            if let FieldType::Enum { values } | FieldType::EnumList { values } = &field.field_type {
                assert!(
                    !values.is_empty(),
                    "{}.{} has values",
                    endpoint.id,
                    field.name
                );
            }
            if let Some(default) = field.default {
                assert!(
                    matches!(&field.field_type, FieldType::Enum { values } if values.contains(&default))
                        || default.parse::<u32>().is_ok(),
                    "{}.{} default {default}",
                    endpoint.id,
                    field.name
                );
            }
        }
    }
}

#[test]
fn every_endpoint_round_trips_through_its_path() {
    for endpoint in catalog() {
        let params: BTreeMap<String, String> = endpoint
            .path_params
            .iter()
            .enumerate()
            .map(|(i, name)| ((*name).to_owned(), format!("value-{i}_x.y~z")))
            .collect();
        let path = build_path(&endpoint, &params).expect(endpoint.id);
        let matched = match_request(endpoint.method.as_str(), &path).expect(&path);
        assert_eq!(matched.endpoint.id, endpoint.id, "{path}");
        for (name, value) in &params {
            assert_eq!(matched.params.get(name.as_str()), Some(value));
        }
    }
}

#[test]
fn literal_segments_win_over_parameters() {
    assert_eq!(
        match_request("POST", "/v1/b2b/organizations/search")
            .unwrap()
            .endpoint
            .id,
        "organizations.search"
    );
    assert_eq!(
        match_request("POST", "/v1/b2b/organizations/members/search")
            .unwrap()
            .endpoint
            .id,
        "members.search"
    );
    // A GET of the slug `search` is an organization get.
    let get = match_request("GET", "/v1/b2b/organizations/search").unwrap();
    assert_eq!(get.endpoint.id, "organizations.get");
    assert_eq!(
        get.params.get("organization_id").map(String::as_str),
        Some("search")
    );
}

#[test]
fn the_abuse_table_matches_nothing() {
    for (method, path) in [
        ("GET", "/v1/b2b/organizations/.."),
        ("GET", "/v1/b2b/organizations/."),
        ("GET", "/v1/b2b/organizations/%2e%2e"),
        ("GET", "/v1/b2b/organizations/a%2Fb"),
        ("GET", "/v1/b2b/organizations/a/../b"),
        ("GET", "/v1/b2b//organizations"),
        ("GET", "//v1/b2b/rbac/policy"),
        ("GET", "/v1/b2b/rbac/policy/"),
        ("GET", "/v1/b2b/organizations/"),
        ("GET", "v1/b2b/rbac/policy"),
        ("GET", "http://evil.test/v1/b2b/rbac/policy"),
        ("GET", "/v1/b2b/rbac/policy?x=1"),
        ("GET", "/v1/b2b/organizations/org 1"),
        ("GET", "/V1/b2b/rbac/policy"),
        ("get", "/v1/b2b/rbac/policy"),
        ("PATCH", "/v1/b2b/organizations/org-1"),
        ("POST", "/v1/b2b/rbac/policy"),
        ("DELETE", "/v1/b2b/organizations"),
        ("GET", "/v1/b2c/users"),
        ("GET", ""),
        ("GET", "/"),
    ] {
        assert!(
            match_request(method, path).is_none(),
            "{method} {path} must not match"
        );
    }
}

#[test]
fn paths_are_not_built_from_unsafe_parameters() {
    let get = catalog()
        .into_iter()
        .find(|e| e.id == "organizations.get")
        .unwrap();
    for bad in ["", "..", "a/b", "a%2Fb", "a b", "é"] {
        let params = BTreeMap::from([("organization_id".to_owned(), bad.to_owned())]);
        assert_eq!(build_path(&get, &params), None, "{bad:?}");
    }
    assert_eq!(build_path(&get, &BTreeMap::new()), None);
}
