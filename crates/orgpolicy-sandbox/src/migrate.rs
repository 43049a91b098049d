//! Upgrades a database written by earlier versions, which kept each
//! organization and member as one JSON document (body merged over
//! defaults), to typed rows. Only the fields a client may set are carried
//! into settings; ids come from the old rows' key columns, never from the
//! documents. Runs inside the transaction that opens the store.

use crate::email::email_key;
use crate::store::StoreError;
use orgpolicy_api::objects::{MemberSettings, OrganizationSettings};
use rusqlite::{Transaction, params};
use serde_json::Value;

fn table_exists(transaction: &Transaction<'_>, name: &str) -> Result<bool, StoreError> {
    Ok(transaction.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
        params![name],
        |row| row.get::<_, i64>(0),
    )? > 0)
}

/// Rows of `(key columns..., document)` from an old table.
fn rows(
    transaction: &Transaction<'_>,
    sql: &str,
    keys: usize,
) -> Result<Vec<(Vec<String>, Value)>, StoreError> {
    let mut statement = transaction.prepare(sql)?;
    let rows = statement
        .query_map([], |row| {
            let mut columns = Vec::with_capacity(keys);
            for index in 0..keys {
                columns.push(row.get::<_, String>(index)?);
            }
            Ok((columns, row.get::<_, String>(keys)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .map(|(columns, text)| (columns, serde_json::from_str(&text).unwrap_or(Value::Null)))
        .collect())
}

fn text(document: &Value, name: &str, otherwise: &str) -> String {
    document
        .get(name)
        .and_then(Value::as_str)
        .unwrap_or(otherwise)
        .to_owned()
}

/// Settings from an old document: its known fields, each kept only if it
/// still reads as its type.
fn settings<T: serde::Serialize + serde::de::DeserializeOwned + Default>(document: &Value) -> T {
    let mut settings = T::default();
    let Some(fields) = document.as_object() else {
        return settings;
    };
    for (key, value) in fields {
        let Ok(Value::Object(mut current)) = serde_json::to_value(&settings) else {
            break;
        };
        if current.contains_key(key) {
            current.insert(key.clone(), value.clone());
            if let Ok(updated) = serde_json::from_value(Value::Object(current)) {
                settings = updated;
            }
        }
    }
    settings
}

pub(crate) fn from_documents(transaction: &Transaction<'_>) -> Result<(), StoreError> {
    let now = crate::now();
    if table_exists(transaction, "organizations")? {
        for (keys, document) in rows(
            transaction,
            "SELECT organization_id, organization_slug, document FROM organizations",
            2,
        )? {
            let [id, slug] = keys.as_slice() else {
                continue;
            };
            let created = text(&document, "created_at", &now);
            transaction.execute(
                "INSERT OR IGNORE INTO organization (organization_id, organization_slug, created_at, updated_at, settings)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    id,
                    slug,
                    created,
                    text(&document, "updated_at", &created),
                    serde_json::to_string(&settings::<OrganizationSettings>(&document))?
                ],
            )?;
        }
    }
    if table_exists(transaction, "members")? {
        for (keys, document) in rows(
            transaction,
            "SELECT member_id, organization_id, email_address, document FROM members",
            3,
        )? {
            let [id, organization_id, email] = keys.as_slice() else {
                continue;
            };
            let key = email_key(email).unwrap_or_else(|| email.to_lowercase());
            let inserted = transaction.execute(
                "INSERT OR IGNORE INTO member (member_id, organization_id, email_address, email_key, status, created_at, updated_at, settings)
                 VALUES (?1, ?2, ?3, ?4, 'active', ?5, ?5, ?6)",
                params![id, organization_id, email, key, now, serde_json::to_string(&settings::<MemberSettings>(&document))?],
            )?;
            if inserted == 0 {
                tracing::warn!(member_id = %id, "not carried over: its email address now equals another member's");
            }
        }
    }
    if table_exists(transaction, "organization_policies")? {
        transaction.execute(
            "INSERT OR IGNORE INTO organization_policy (organization_id, document)
             SELECT organization_id, document FROM organization_policies",
            [],
        )?;
    }
    transaction.execute_batch(
        "DROP TABLE IF EXISTS organization_policies; DROP TABLE IF EXISTS members; DROP TABLE IF EXISTS organizations;",
    )?;
    Ok(())
}
