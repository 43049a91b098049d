//! Runs the shared scenario corpus (`tests/scenarios/*.json`) natively.
//! The same files run in Node, in Chromium and against the gateway.

use orgpolicy_core::parse::{
    deserialize_tracked, organization_policy_from_deserializer, policy_from_deserializer,
};
use orgpolicy_core::{
    AuthorizationCheck, EmailImplicitRoleAssignment, Engine, MemberRoles, OrganizationPolicy,
    Policy, ScopeSubject, Subject, diff_organization_policies, diff_policies, effective_roles,
    explain, m2m, parse_policy, reference, validate_organization_policy, validate_policy,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/scenarios")
}

fn field<T: serde::de::DeserializeOwned>(case: &Value, key: &str) -> T {
    let value = case.get(key).cloned().unwrap_or(Value::Null);
    deserialize_tracked(value).unwrap_or_else(|e| panic!("case field `{key}`: {e}"))
}

fn optional<T: serde::de::DeserializeOwned + Default>(case: &Value, key: &str) -> T {
    match case.get(key) {
        None | Some(Value::Null) => T::default(),
        Some(_) => field(case, key),
    }
}

/// `expected` matches `actual` if every key it names is present and equal,
/// recursively; arrays must have the same length and match element-wise.
fn subset_match(expected: &Value, actual: &Value, at: &str, failures: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => {
            for (key, value) in want {
                match have.get(key) {
                    Some(actual) => subset_match(value, actual, &format!("{at}/{key}"), failures),
                    None => failures.push(format!("{at}/{key}: missing in {actual}")),
                }
            }
        }
        (Value::Array(want), Value::Array(have)) => {
            if want.len() != have.len() {
                failures.push(format!(
                    "{at}: expected {} items, got {}: {actual}",
                    want.len(),
                    have.len()
                ));
                return;
            }
            for (index, (want, have)) in want.iter().zip(have).enumerate() {
                subset_match(want, have, &format!("{at}/{index}"), failures);
            }
        }
        _ if expected == actual => {}
        _ => failures.push(format!("{at}: expected {expected}, got {actual}")),
    }
}

fn deny_json(result: Result<(), orgpolicy_core::DenyCode>, organization_id: Option<&str>) -> Value {
    match result {
        Ok(()) => json!({"allowed": true, "errorType": null, "message": null}),
        Err(code) => json!({
            "allowed": false,
            "errorType": code.as_str(),
            "message": Engine::deny_message(code, organization_id),
        }),
    }
}

struct Loaded {
    policy: Policy,
    organizations: BTreeMap<String, OrganizationPolicy>,
    engine: Engine,
}

fn load(scenario: &Value) -> Loaded {
    let policy = scenario
        .get("policy")
        .map(|value| {
            policy_from_deserializer(value.clone())
                .expect("scenario policy")
                .policy
        })
        .unwrap_or_default();
    let mut organizations = BTreeMap::new();
    if let Some(Value::Object(orgs)) = scenario.get("organization_policies") {
        for (id, value) in orgs {
            let doc = organization_policy_from_deserializer(value.clone())
                .expect("scenario organization policy");
            organizations.insert(id.clone(), doc.policy);
        }
    }
    let engine = Engine::with_organization_policies(policy.clone(), organizations.clone());
    Loaded {
        policy,
        organizations,
        engine,
    }
}

fn run_case(loaded: &mut Loaded, case: &Value) -> Result<Value, String> {
    let kind = case["kind"].as_str().ok_or("case without kind")?;
    Ok(match kind {
        "check" => {
            let subject: Subject = field(case, "subject");
            let check: AuthorizationCheck = field(case, "check");
            let org = check.organization_id.as_deref();
            let strings = loaded.engine.authorize(&subject, &check);
            let reference =
                reference::authorize(&loaded.policy, &loaded.organizations, &subject, &check);
            let subject_handle = loaded
                .engine
                .resolve_subject(subject.organization_id.as_deref(), &subject.roles);
            let org_handle = org.map(|id| loaded.engine.resolve_organization(id));
            let permission = loaded
                .engine
                .resolve_permission(&check.resource_id, &check.action);
            let handles = loaded.engine.check(subject_handle, org_handle, permission);
            let explanation = explain(
                &loaded.policy,
                org.and_then(|id| loaded.organizations.get(id)),
                &subject,
                &check,
            );
            let explained = explanation.decision.deny_code().map_or(Ok(()), Err);
            if strings != reference || handles != reference || explained != reference {
                return Err(format!(
                    "evaluation paths disagree: strings {strings:?}, handles {handles:?}, explain {explained:?}, reference {reference:?}"
                ));
            }
            let mut actual = deny_json(strings, org);
            actual["explanation"] =
                serde_json::to_value(&explanation).map_err(|e| e.to_string())?;
            actual
        }
        "scope_check" => {
            let subject: ScopeSubject = field(case, "subject");
            let check: AuthorizationCheck = field(case, "check");
            let scopes: Vec<&str> = subject.token_scopes().collect();
            let compiled = loaded.engine.authorize_scopes(
                subject.organization_id.as_deref(),
                scopes.iter().copied(),
                &check,
            );
            let reference = reference::authorize_scopes(
                &loaded.policy,
                subject.organization_id.as_deref(),
                &scopes,
                &check,
            );
            if compiled != reference {
                return Err(format!(
                    "evaluation paths disagree: compiled {compiled:?}, reference {reference:?}"
                ));
            }
            deny_json(compiled, check.organization_id.as_deref())
        }
        "m2m" => {
            let has: Vec<String> = field(case, "has");
            let required: Vec<String> = field(case, "required");
            match m2m::authorize(&has, &required) {
                Ok(()) => json!({"allowed": true, "deny": null}),
                Err(deny) => json!({"allowed": false, "deny": deny}),
            }
        }
        "all_permissions" => {
            let subject: Subject = field(case, "subject");
            let organization_id: Option<String> = optional(case, "organization_id");
            json!({"permissions": loaded.engine.all_permissions(&subject, organization_id.as_deref())})
        }
        "validate_policy" => {
            let report = match case.get("input") {
                Some(input) => {
                    let doc = policy_from_deserializer(input.clone()).map_err(|e| e.to_string())?;
                    validate_policy(&doc.policy).rebased(&doc.base)
                }
                None => validate_policy(&loaded.policy),
            };
            let mut actual = serde_json::to_value(&report).map_err(|e| e.to_string())?;
            actual["valid"] = json!(report.is_valid());
            actual
        }
        "validate_organization_policy" => {
            let input = case.get("input").cloned().unwrap_or(Value::Null);
            let doc = organization_policy_from_deserializer(input).map_err(|e| e.to_string())?;
            let report =
                validate_organization_policy(&loaded.policy, &doc.policy).rebased(&doc.base);
            let mut actual = serde_json::to_value(&report).map_err(|e| e.to_string())?;
            actual["valid"] = json!(report.is_valid());
            actual
        }
        "parse_policy" => {
            let text = case["text"]
                .as_str()
                .ok_or("parse_policy case without text")?;
            match parse_policy(text) {
                Ok(_) => json!({"ok": true}),
                Err(error) => json!({"ok": false, "error": error.problem}),
            }
        }
        "effective_roles" => {
            let member: MemberRoles = field(case, "member");
            let implicit: Vec<EmailImplicitRoleAssignment> = optional(case, "implicit");
            json!({"roles": effective_roles(&member, &implicit)})
        }
        "diff_policies" => {
            let old = policy_from_deserializer(case["old"].clone())
                .map_err(|e| e.to_string())?
                .policy;
            let new = policy_from_deserializer(case["new"].clone())
                .map_err(|e| e.to_string())?
                .policy;
            let members: Vec<MemberRoles> = optional(case, "members");
            serde_json::to_value(diff_policies(&old, &new, &members)).map_err(|e| e.to_string())?
        }
        "diff_organization_policies" => {
            let old = organization_policy_from_deserializer(case["old"].clone())
                .map_err(|e| e.to_string())?
                .policy;
            let new = organization_policy_from_deserializer(case["new"].clone())
                .map_err(|e| e.to_string())?
                .policy;
            let members: Vec<MemberRoles> = optional(case, "members");
            let implicit: Vec<EmailImplicitRoleAssignment> = optional(case, "implicit");
            serde_json::to_value(diff_organization_policies(
                &loaded.policy,
                &old,
                &new,
                &members,
                &implicit,
            ))
            .map_err(|e| e.to_string())?
        }
        other => return Err(format!("unknown case kind `{other}`")),
    })
}

#[test]
fn scenario_corpus() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/scenarios exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut ran = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable scenario");
        let scenario: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut loaded = load(&scenario);
        for case in scenario["cases"].as_array().expect("cases") {
            let name = format!(
                "{} / {}",
                file.file_name().unwrap().to_string_lossy(),
                case["name"].as_str().unwrap_or("?")
            );
            *kinds
                .entry(case["kind"].as_str().unwrap_or("?").to_owned())
                .or_default() += 1;
            ran += 1;
            match run_case(&mut loaded, case) {
                Ok(actual) => {
                    let mut found = Vec::new();
                    subset_match(&case["expect"], &actual, "", &mut found);
                    failures.extend(found.into_iter().map(|f| format!("{name}: {f}")));
                }
                Err(error) => failures.push(format!("{name}: {error}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} scenario cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The corpus must really have been found and cover every kind.
    assert!(
        files.len() >= 8,
        "only {} scenario files found",
        files.len()
    );
    for kind in [
        "check",
        "scope_check",
        "m2m",
        "all_permissions",
        "validate_policy",
        "validate_organization_policy",
        "parse_policy",
        "effective_roles",
        "diff_policies",
        "diff_organization_policies",
    ] {
        assert!(
            kinds.get(kind).copied().unwrap_or(0) > 0,
            "no `{kind}` case in the corpus"
        );
    }
    eprintln!(
        "scenario corpus: {ran} cases in {} files, all passed",
        files.len()
    );
}

#[test]
fn subset_match_reports_differences() {
    let mut found = Vec::new();
    subset_match(
        &json!({"a": [1, {"b": 2}]}),
        &json!({"a": [1, {"b": 3, "c": 4}], "d": 5}),
        "",
        &mut found,
    );
    assert_eq!(found, vec!["/a/1/b: expected 2, got 3".to_owned()]);
    found.clear();
    subset_match(&json!({"a": [1]}), &json!({"a": [1, 2]}), "", &mut found);
    assert_eq!(found.len(), 1);
    found.clear();
    subset_match(&json!({"x": null}), &json!({}), "", &mut found);
    assert_eq!(found.len(), 1);
}
