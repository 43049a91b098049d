//! The endpoint catalog and its request matcher (the gateway's allowlist).

use orgpolicy_api::catalog::{FieldType, build_path, catalog, match_request};
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn the_catalog_is_consistent() {
    let endpoints = catalog();
    assert_eq!(endpoints.len(), 33);
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

fn endpoint(id: &str) -> orgpolicy_api::catalog::Endpoint {
    catalog().into_iter().find(|e| e.id == id).unwrap()
}

#[test]
fn requests_are_checked_with_the_endpoints_rules() {
    use orgpolicy_api::catalog::{build_request, check_request};
    use serde_json::json;
    let create = endpoint("organizations.create");
    let problems = check_request(
        &create,
        &BTreeMap::new(),
        &json!({"organization_name": "Acme", "organization_slug": "a"}),
        None,
    );
    assert_eq!(
        problems
            .body
            .iter()
            .map(|p| p.path.as_str())
            .collect::<Vec<_>>(),
        vec!["/organization_slug"]
    );
    assert!(problems.has_errors());
    let request = build_request(
        &create,
        &BTreeMap::new(),
        &json!({"organization_name": "Acme", "organization_slug": "acme"}),
        None,
    )
    .unwrap();
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/v1/b2b/organizations")
    );

    let get = endpoint("members.get");
    let params = BTreeMap::from([("organization_id".to_owned(), "org 1".to_owned())]);
    let problems = check_request(&get, &params, &json!({}), None);
    assert_eq!(
        problems
            .path
            .iter()
            .map(|p| p.path.as_str())
            .collect::<Vec<_>>(),
        vec!["/organization_id", "/member_id"]
    );
    let params = BTreeMap::from([
        ("organization_id".to_owned(), "org-1".to_owned()),
        ("member_id".to_owned(), "member-1".to_owned()),
    ]);
    let request = build_request(&get, &params, &json!({"ignored": true}), None).unwrap();
    assert_eq!(
        request.path,
        "/v1/b2b/organizations/org-1/member?member_id=member-1"
    );
    assert_eq!(request.body, None, "a GET sends no body");
    // Query values are form-encoded; only the endpoint's own are kept.
    let params = BTreeMap::from([
        ("organization_id".to_owned(), "org-1".to_owned()),
        ("email_address".to_owned(), "ada+x@acme.test".to_owned()),
        ("unrelated".to_owned(), "x".to_owned()),
    ]);
    let request = build_request(&get, &params, &json!({}), None).unwrap();
    assert_eq!(
        request.path,
        "/v1/b2b/organizations/org-1/member?email_address=ada%2Bx%40acme.test"
    );
    assert_eq!(
        orgpolicy_api::catalog::forwarded_query(
            &get,
            "member_id=a&member_id=b&secret=1&email_address=c%40d"
        ),
        Some("member_id=a&email_address=c%40d".to_owned())
    );
    assert_eq!(orgpolicy_api::catalog::forwarded_query(&get, "x=1"), None);
    assert_eq!(
        orgpolicy_api::catalog::forwarded_query(&endpoint("organizations.get"), "member_id=a"),
        None
    );

    let set = endpoint("rbac.organization_policy.set");
    let project = orgpolicy_core::stytch::default_policy();
    let params = BTreeMap::from([("organization_id".to_owned(), "org-1".to_owned())]);
    let body = json!({"org_policy": {"roles": [{"role_id": "stytch_admin", "permissions": []}]}});
    let problems = check_request(&set, &params, &body, Some(&project));
    assert_eq!(problems.body[0].path, "/org_policy/roles/0/role_id");
    assert_eq!(
        problems.body[0].code,
        orgpolicy_core::ProblemCode::InvalidRbacCustomRole
    );

    let search = endpoint("members.search");
    let problems = check_request(&search, &BTreeMap::new(), &json!({"limit": 0}), None);
    let paths: Vec<&str> = problems.body.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, vec!["/organization_ids", "/limit"]);
}

#[test]
fn external_ids_with_a_pipe_travel_as_its_one_allowed_escape() {
    use orgpolicy_api::catalog::is_parameter_value;
    assert!(is_parameter_value("crm%7C42") && is_parameter_value("crm%7c42"));
    for bad in ["crm|42", "crm%7D42", "crm%7", "%2e%2e", "a%2Fb", "%7"] {
        assert!(!is_parameter_value(bad), "{bad}");
    }
    let get = catalog()
        .into_iter()
        .find(|e| e.id == "organizations.get")
        .unwrap();
    let params = BTreeMap::from([("organization_id".to_owned(), "crm|42".to_owned())]);
    assert_eq!(
        build_path(&get, &params).as_deref(),
        Some("/v1/b2b/organizations/crm%7C42")
    );
    let matched = match_request("GET", "/v1/b2b/organizations/crm%7C42").unwrap();
    assert_eq!(matched.endpoint.id, "organizations.get");
}

#[test]
fn search_queries_name_their_filters_and_every_endpoint_has_an_example() {
    use orgpolicy_api::organization::search_filter_names;
    for (id, member) in [("organizations.search", false), ("members.search", true)] {
        let endpoint = catalog().into_iter().find(|e| e.id == id).unwrap();
        let query = endpoint.body.iter().find(|f| f.name == "query").unwrap();
        for name in search_filter_names(member) {
            assert!(query.doc.contains(&format!("`{name}`")), "{id}: {name}");
        }
    }
    assert!(search_filter_names(true).any(|name| name == "statuses"));
    assert!(!search_filter_names(false).any(|name| name == "statuses"));
    for endpoint in catalog() {
        let example = orgpolicy_api::examples::example(endpoint.id)
            .unwrap_or_else(|| panic!("{} has no example", endpoint.id));
        let names: BTreeSet<&str> = example.params.iter().map(|(name, _)| *name).collect();
        for param in &endpoint.path_params {
            assert!(names.contains(param), "{}: {param}", endpoint.id);
        }
        for name in &names {
            assert!(
                endpoint.path_params.contains(name)
                    || endpoint.query.iter().any(|q| q.name == *name),
                "{}: {name} is not a parameter",
                endpoint.id
            );
        }
    }
}
