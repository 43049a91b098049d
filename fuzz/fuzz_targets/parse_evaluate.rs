//! Untrusted JSON through every entry point: parse, validate, compile,
//! evaluate, explain, diff. Nothing may panic; the engine must agree with the
//! reference on whatever policy parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orgpolicy_core::{
    diff_organization_policies, diff_policies, explain, parse_organization_policy, parse_policy, reference,
    validate_organization_policy, validate_policy, AuthorizationCheck, Engine, Subject,
};
use std::collections::BTreeMap;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The input is `policy \u{1} org policy \u{1} subject roles,resource,action`.
    let mut parts = text.splitn(3, '\u{1}');
    let policy_text = parts.next().unwrap_or_default();
    let org_text = parts.next().unwrap_or_default();
    let check_text = parts.next().unwrap_or_default();

    let Ok(policy) = parse_policy(policy_text) else {
        let _ = parse_organization_policy(policy_text);
        return;
    };
    let policy = policy.policy;
    let _ = validate_policy(&policy).rebased("/policy");
    let org = parse_organization_policy(org_text).map(|d| d.policy).unwrap_or_default();
    let _ = validate_organization_policy(&policy, &org);
    let _ = diff_policies(&policy, &Default::default(), &[]);
    let _ = diff_organization_policies(&policy, &Default::default(), &org, &[], &[]);

    let mut fields = check_text.split(',');
    let roles: Vec<String> = fields.next().unwrap_or_default().split(' ').map(str::to_owned).collect();
    let resource_id = fields.next().unwrap_or_default().to_owned();
    let action = fields.next().unwrap_or_default().to_owned();
    let subject = Subject { organization_id: Some("org".into()), roles };
    let check = AuthorizationCheck { organization_id: Some("org".into()), resource_id, action };

    let mut orgs = BTreeMap::new();
    orgs.insert("org".to_owned(), org.clone());
    let engine = Engine::with_organization_policies(policy.clone(), orgs.clone());
    let expected = reference::authorize(&policy, &orgs, &subject, &check);
    assert_eq!(engine.authorize(&subject, &check), expected);
    assert_eq!(explain(&policy, Some(&org), &subject, &check).decision.deny_code(), expected.err());
    let _ = engine.all_permissions(&subject, Some("org"));
});
