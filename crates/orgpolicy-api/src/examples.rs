//! An example request for every endpoint, written against the sandbox's
//! demo project (organizations `acme-corp`, `globex`, `initech`; members
//! named by their external ids, `emp-ada`, `emp-bob`, ...), so an example
//! filled into the console answers there as it stands. Ids the demo cannot
//! know in advance (a member's own id, a Connected App's, a password's)
//! are placeholders of the right shape.

use serde_json::Value;

/// One example: path and query parameters, and the body (an empty object
/// for endpoints without one).
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub params: Vec<(&'static str, &'static str)>,
    pub body: Value,
}

/// A member id of the right shape, for endpoints that take no external id.
pub const PLACEHOLDER_MEMBER_ID: &str = "member-test-00000000-0000-4000-8000-000000000000";
const PLACEHOLDER_CONNECTED_APP_ID: &str =
    "connected-app-test-00000000-0000-4000-8000-000000000000";
const PLACEHOLDER_PASSWORD_ID: &str = "member-password-test-00000000-0000-4000-8000-000000000000";

/// A body written as JSON text (smaller in the console's module than the
/// code `json!` expands to).
fn body(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_default()
}

/// The example for the endpoint with this id.
pub fn example(id: &str) -> Option<Example> {
    let acme = ("organization_id", "acme-corp");
    let bob = [acme, ("member_id", "emp-bob")];
    let ada = [acme, ("member_id", "emp-ada")];
    let empty = || Value::Object(serde_json::Map::new());
    let (params, body): (Vec<(&'static str, &'static str)>, Value) = match id {
        "organizations.create" => (
            vec![],
            body(
                r#"{"organization_name": "Umbrella Corp", "organization_slug": "umbrella", "organization_external_id": "crm-2001", "email_allowed_domains": ["umbrella.test"], "trusted_metadata": {"plan": "trial"}}"#,
            ),
        ),
        "organizations.get" | "organizations.metrics" | "organizations.connected_apps" => {
            (vec![acme], empty())
        }
        "organizations.update" => (
            vec![acme],
            body(r#"{"organization_name": "Acme Corporation", "mfa_policy": "REQUIRED_FOR_ALL"}"#),
        ),
        "organizations.delete" => (vec![("organization_id", "umbrella")], empty()),
        "organizations.search" => (
            vec![],
            body(
                r#"{"limit": 10, "query": {"operator": "AND", "operands": [{"filter_name": "organization_name_fuzzy", "filter_value": "acme"}]}}"#,
            ),
        ),
        "organizations.connected_apps.get" => (
            vec![acme, ("connected_app_id", PLACEHOLDER_CONNECTED_APP_ID)],
            empty(),
        ),
        "organizations.delete_external_id" => (vec![("organization_id", "crm-1003")], empty()),
        "members.create" => (
            vec![acme],
            body(
                r#"{"email_address": "erin@acme.test", "name": "Erin Hannon", "external_id": "emp-erin", "roles": ["editor"]}"#,
            ),
        ),
        "members.get" => (vec![acme, ("email_address", "bob@acme.test")], empty()),
        "members.update" => (
            bob.to_vec(),
            body(r#"{"roles": ["editor", "approver"], "untrusted_metadata": {"theme": "dark"}}"#),
        ),
        "members.delete" => (vec![acme, ("member_id", "emp-erin")], empty()),
        "members.delete_external_id" => (vec![acme, ("member_id", "emp-dave")], empty()),
        "members.reactivate" => (vec![acme, ("member_id", PLACEHOLDER_MEMBER_ID)], empty()),
        "members.dangerously_get" => (
            vec![
                ("member_id", PLACEHOLDER_MEMBER_ID),
                ("include_deleted", "true"),
            ],
            empty(),
        ),
        "members.delete_mfa_phone_number" | "members.delete_totp" => (bob.to_vec(), empty()),
        "members.delete_password" => (
            vec![acme, ("member_password_id", PLACEHOLDER_PASSWORD_ID)],
            empty(),
        ),
        "members.unlink_retired_email" => (
            vec![acme, ("member_id", "emp-carol")],
            body(r#"{"email_address": "carol.chen@acme.test"}"#),
        ),
        "members.start_email_update" => (
            bob.to_vec(),
            body(r#"{"email_address": "bob.new@acme.test", "delivery_method": "EMAIL_OTP"}"#),
        ),
        "members.oauth_providers.google" => (
            vec![
                acme,
                ("member_id", "emp-ada"),
                ("include_refresh_token", "true"),
            ],
            empty(),
        ),
        "members.oauth_providers.microsoft"
        | "members.oauth_providers.slack"
        | "members.oauth_providers.hubspot"
        | "members.oauth_providers.github"
        | "members.oidc_providers"
        | "members.connected_apps" => (ada.to_vec(), empty()),
        "members.connected_apps.revoke" => (
            vec![
                acme,
                ("member_id", "emp-ada"),
                ("connected_app_id", PLACEHOLDER_CONNECTED_APP_ID),
            ],
            empty(),
        ),
        "members.search" => (
            vec![],
            body(
                r#"{"organization_ids": ["acme-corp", "globex"], "limit": 50, "query": {"operator": "AND", "operands": [{"filter_name": "member_roles", "filter_value": ["stytch_admin"]}]}}"#,
            ),
        ),
        "rbac.policy" => (vec![], empty()),
        "rbac.organization_policy.get" => (vec![acme], empty()),
        "rbac.organization_policy.set" => (
            vec![acme],
            body(
                r#"{"org_policy": {"roles": [{"role_id": "approver", "description": "Approves and voids invoices", "permissions": [{"resource_id": "invoices", "actions": ["read", "approve", "void"]}]}, {"role_id": "billing-admin", "description": "Everything about invoices", "permissions": [{"resource_id": "invoices", "actions": ["*"]}, {"resource_id": "reports", "actions": ["read", "export"]}]}]}}"#,
            ),
        ),
        _ => return None,
    };
    Some(Example { params, body })
}
