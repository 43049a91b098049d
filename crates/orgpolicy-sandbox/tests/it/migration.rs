//! A database written by the document-store versions opens as typed rows,
//! keeping what clients set and taking ids only from the old key columns.

use super::*;
use orgpolicy_sandbox::store::Store;

const OLD_SCHEMA: &str = "
CREATE TABLE organizations (
    organization_id TEXT PRIMARY KEY,
    organization_slug TEXT NOT NULL UNIQUE COLLATE NOCASE,
    document TEXT NOT NULL
);
CREATE TABLE members (
    member_id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(organization_id) ON DELETE CASCADE,
    email_address TEXT NOT NULL COLLATE NOCASE,
    document TEXT NOT NULL,
    UNIQUE (organization_id, email_address)
);
CREATE TABLE organization_policies (
    organization_id TEXT PRIMARY KEY REFERENCES organizations(organization_id) ON DELETE CASCADE,
    document TEXT NOT NULL
);
";

#[test]
fn old_document_rows_become_typed_rows() {
    let path = std::env::temp_dir().join(format!("orgpolicy-migrate-{}.sqlite3", uuid_like()));
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection.execute_batch(OLD_SCHEMA).unwrap();
        // A document forged through the old update: its id names another row.
        let document = json!({
            "organization_id": "organization-test-victim",
            "organization_name": "Acme",
            "organization_slug": "acme",
            "created_at": "2026-01-02T03:04:05Z",
            "trusted_metadata": {"tier": "gold"},
            "email_invites": "RESTRICTED",
            "junk": "x".repeat(1000),
        });
        connection
            .execute(
                "INSERT INTO organizations VALUES ('organization-test-acme', 'acme', ?1)",
                [document.to_string()],
            )
            .unwrap();
        let member = json!({"member_id": "member-test-other", "name": "Ada", "roles": ["editor"], "status": "forged"});
        connection
            .execute(
                "INSERT INTO members VALUES ('member-test-ada', 'organization-test-acme', 'ada@acme.test', ?1)",
                [member.to_string()],
            )
            .unwrap();
        connection
            .execute(
                "INSERT INTO organization_policies VALUES ('organization-test-acme', ?1)",
                [json!({"roles": []}).to_string()],
            )
            .unwrap();
    }
    for _ in 0..2 {
        // Opening twice: the second open finds nothing left to upgrade.
        let store = Store::open(&path).unwrap();
        let organization = store.organization("acme").unwrap().unwrap();
        assert_eq!(organization.organization_id, "organization-test-acme");
        assert_eq!(organization.created_at, "2026-01-02T03:04:05Z");
        assert_eq!(organization.settings.organization_name, "Acme");
        assert_eq!(organization.settings.email_invites, "RESTRICTED");
        assert_eq!(
            organization.settings.trusted_metadata["tier"],
            json!("gold")
        );
        assert!(!organization.to_json().to_string().contains("junk"));
        let (_, member) = store.member("acme", "member-test-ada").unwrap().unwrap();
        let member = member.unwrap();
        assert_eq!(member.settings.roles, vec!["editor".to_owned()]);
        assert_eq!(member.status, "active");
        assert_eq!(
            store.organization_policy("acme").unwrap().unwrap().1,
            Some(json!({"roles": []}))
        );
    }
    std::fs::remove_file(&path).ok();
}

/// Version 1's tables: members without retired addresses.
const V1_SCHEMA: &str = "
CREATE TABLE organization (
    organization_id TEXT PRIMARY KEY,
    organization_slug TEXT NOT NULL UNIQUE COLLATE NOCASE,
    organization_external_id TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    settings TEXT NOT NULL
);
CREATE TABLE member (
    member_id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organization(organization_id) ON DELETE CASCADE,
    external_id TEXT,
    email_address TEXT NOT NULL,
    email_key TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    settings TEXT NOT NULL
);
CREATE TABLE organization_policy (
    organization_id TEXT PRIMARY KEY REFERENCES organization(organization_id) ON DELETE CASCADE,
    document TEXT NOT NULL
);
INSERT INTO organization VALUES ('organization-test-acme', 'acme', NULL, 't', 't', '{}');
INSERT INTO member VALUES ('member-test-ada', 'organization-test-acme', NULL, 'ada@acme.test',
    'ada@acme.test', 'active', 't', 't', '{\"name\": \"Ada\"}');
PRAGMA user_version = 1;
";

#[test]
fn version_1_members_gain_retired_addresses() {
    let path = std::env::temp_dir().join(format!("orgpolicy-v1-{}.sqlite3", uuid_like()));
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(V1_SCHEMA)
        .unwrap();
    for round in 0..2 {
        let store = Store::open(&path).unwrap();
        let (_, member) = store.member("acme", "member-test-ada").unwrap().unwrap();
        let member = member.unwrap();
        assert_eq!(member.settings.name, "Ada");
        if round == 0 {
            assert!(member.retired_email_addresses.is_empty());
            store
                .change_member("acme", "member-test-ada", false, |mut member, _| {
                    member.email_address = "ada.l@acme.test".to_owned();
                    member
                        .retired_email_addresses
                        .push(orgpolicy_api::objects::RetiredEmail {
                            email_id: "email-test-1".to_owned(),
                            email_address: "ada@acme.test".to_owned(),
                        });
                    Ok::<_, orgpolicy_sandbox::store::StoreError>(member)
                })
                .unwrap();
        } else {
            // Kept across a reopen, which finds nothing left to upgrade.
            assert_eq!(member.retired_email_addresses[0].email_id, "email-test-1");
        }
    }
    std::fs::remove_file(&path).ok();
}

fn uuid_like() -> String {
    format!("{}-{:?}", std::process::id(), std::thread::current().id()).replace(['(', ')'], "")
}
