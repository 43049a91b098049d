//! Every error type the API description, the sandbox and the policy core
//! report is one of Stytch's, or listed as this project's own with why.

use orgpolicy_api::codes;
use orgpolicy_core::ProblemCode;
use std::collections::BTreeSet;

fn stytch_error_types() -> BTreeSet<&'static str> {
    include_str!("../data/stytch_error_types.txt")
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
}

#[test]
fn every_code_is_stytchs_or_listed_as_our_own() {
    let stytch = stytch_error_types();
    let own: BTreeSet<&str> = codes::OWN.iter().map(|(code, _)| code.as_str()).collect();
    assert_eq!(own.len(), codes::OWN.len(), "no code is listed twice");
    let ours: BTreeSet<&str> = codes::ALL
        .iter()
        .chain(ProblemCode::ALL)
        .map(|code| code.as_str())
        .collect();
    for code in &ours {
        assert!(
            stytch.contains(code) != own.contains(code),
            "`{code}` must be either one of Stytch's error types or in codes::OWN, not both"
        );
    }
    for code in &own {
        assert!(
            ours.contains(code),
            "`{code}` is listed as our own but never reported"
        );
    }
    for (code, why) in codes::OWN {
        assert!(!why.is_empty(), "{code} says why it is ours");
    }
}
