//! SQLite storage: organizations (as JSON documents, with id and slug
//! columns the database keeps unique) and organization policies. WAL mode;
//! every write is one transaction. A store call blocks: handlers run it on
//! tokio's blocking pool.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde_json::Value;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// What a write can run into besides a database failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the slug `{0}` is already used by another organization")]
    SlugTaken(String),
    #[error("a member with email `{0}` already exists in this organization")]
    EmailTaken(String),
    #[error("the store is unavailable: a previous operation panicked")]
    Poisoned,
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
    #[error("a stored document is not valid JSON: {0}")]
    Corrupt(#[from] serde_json::Error),
}

#[derive(Debug)]
pub struct Store {
    connection: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS organizations (
    organization_id TEXT PRIMARY KEY,
    organization_slug TEXT NOT NULL UNIQUE COLLATE NOCASE,
    document TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
    member_id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations(organization_id) ON DELETE CASCADE,
    email_address TEXT NOT NULL COLLATE NOCASE,
    document TEXT NOT NULL,
    UNIQUE (organization_id, email_address)
);
CREATE INDEX IF NOT EXISTS members_by_organization ON members(organization_id);
CREATE TABLE IF NOT EXISTS organization_policies (
    organization_id TEXT PRIMARY KEY REFERENCES organizations(organization_id) ON DELETE CASCADE,
    document TEXT NOT NULL
);
";

/// Whether a write broke the uniqueness of `column`.
fn is_unique_conflict(error: &rusqlite::Error, column: &str) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(failure, Some(message))
            if failure.code == rusqlite::ErrorCode::ConstraintViolation && message.contains(column)
    )
}

/// The JSON document a single-row query selects, if any.
fn read_document(
    connection: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Option<Value>, StoreError> {
    let text: Option<String> = connection
        .query_row(sql, params, |row| row.get(0))
        .optional()?;
    Ok(text.map(|text| serde_json::from_str(&text)).transpose()?)
}

impl Store {
    /// Opens (creating if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Self::prepare(Connection::open(path)?)
    }

    /// A store that lives in memory (tests).
    pub fn in_memory() -> Result<Store, StoreError> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(connection: Connection) -> Result<Store, StoreError> {
        // WAL with synchronous=NORMAL: a committed write survives the process
        // being killed; only an OS crash can lose the last transactions.
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        connection.execute_batch(SCHEMA)?;
        Ok(Store {
            connection: Mutex::new(connection),
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.connection.lock().map_err(|_| StoreError::Poisoned)
    }

    pub fn insert_organization(
        &self,
        id: &str,
        slug: &str,
        document: &Value,
    ) -> Result<(), StoreError> {
        let connection = self.lock()?;
        connection
            .execute(
                "INSERT INTO organizations (organization_id, organization_slug, document) VALUES (?1, ?2, ?3)",
                params![id, slug, document.to_string()],
            )
            .map_err(|error| if is_unique_conflict(&error, "organization_slug") { StoreError::SlugTaken(slug.to_owned()) } else { error.into() })?;
        Ok(())
    }

    /// An organization by id, or else by slug.
    pub fn organization(&self, id_or_slug: &str) -> Result<Option<Value>, StoreError> {
        let connection = self.lock()?;
        read_document(
            &connection,
            "SELECT document FROM organizations WHERE organization_id = ?1
                 UNION ALL SELECT document FROM organizations WHERE organization_slug = ?1 LIMIT 1",
            params![id_or_slug],
        )
    }

    /// Reads, changes and writes an organization in one transaction.
    /// `change` returns the new document, or an error that aborts.
    pub fn update_organization<E: From<StoreError>>(
        &self,
        id_or_slug: &str,
        change: impl FnOnce(Value) -> Result<Value, E>,
    ) -> Result<Option<Value>, E> {
        let mut connection = self.lock()?;
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let found: Option<(String, String)> = transaction
            .query_row(
                "SELECT organization_id, document FROM organizations WHERE organization_id = ?1 OR organization_slug = ?1
                 ORDER BY organization_id = ?1 DESC LIMIT 1",
                params![id_or_slug],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(StoreError::from)?;
        let Some((id, text)) = found else {
            return Ok(None);
        };
        let document = change(serde_json::from_str(&text).map_err(StoreError::from)?)?;
        let slug = document
            .get("organization_slug")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        transaction
            .execute(
                "UPDATE organizations SET organization_slug = ?2, document = ?3 WHERE organization_id = ?1",
                params![id, slug, document.to_string()],
            )
            .map_err(|error| if is_unique_conflict(&error, "organization_slug") { StoreError::SlugTaken(slug.clone()) } else { error.into() })?;
        transaction.commit().map_err(StoreError::from)?;
        Ok(Some(document))
    }

    /// Deletes an organization and its policy; the id if it existed.
    pub fn delete_organization(&self, id_or_slug: &str) -> Result<Option<String>, StoreError> {
        let mut connection = self.lock()?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id: Option<String> = transaction
            .query_row(
                "SELECT organization_id FROM organizations WHERE organization_id = ?1 OR organization_slug = ?1
                 ORDER BY organization_id = ?1 DESC LIMIT 1",
                params![id_or_slug],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(id) = &id {
            transaction.execute(
                "DELETE FROM organization_policies WHERE organization_id = ?1",
                params![id],
            )?;
            transaction.execute(
                "DELETE FROM organizations WHERE organization_id = ?1",
                params![id],
            )?;
        }
        transaction.commit()?;
        Ok(id)
    }

    /// Every organization, ordered by id.
    pub fn organizations(&self) -> Result<Vec<Value>, StoreError> {
        let connection = self.lock()?;
        let mut statement =
            connection.prepare("SELECT document FROM organizations ORDER BY organization_id")?;
        let texts = statement
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        texts
            .iter()
            .map(|text| serde_json::from_str(text).map_err(StoreError::from))
            .collect()
    }

    pub fn organization_policy(&self, organization_id: &str) -> Result<Option<Value>, StoreError> {
        let connection = self.lock()?;
        read_document(
            &connection,
            "SELECT document FROM organization_policies WHERE organization_id = ?1",
            params![organization_id],
        )
    }

    pub fn set_organization_policy(
        &self,
        organization_id: &str,
        policy: &Value,
    ) -> Result<(), StoreError> {
        let connection = self.lock()?;
        connection.execute(
            "INSERT INTO organization_policies (organization_id, document) VALUES (?1, ?2)
             ON CONFLICT(organization_id) DO UPDATE SET document = excluded.document",
            params![organization_id, policy.to_string()],
        )?;
        Ok(())
    }
}

impl Store {
    pub fn insert_member(
        &self,
        organization_id: &str,
        member_id: &str,
        email: &str,
        document: &Value,
    ) -> Result<(), StoreError> {
        let connection = self.lock()?;
        connection
            .execute(
                "INSERT INTO members (member_id, organization_id, email_address, document) VALUES (?1, ?2, ?3, ?4)",
                params![member_id, organization_id, email, document.to_string()],
            )
            .map_err(|error| if is_unique_conflict(&error, "email_address") { StoreError::EmailTaken(email.to_owned()) } else { error.into() })?;
        Ok(())
    }

    pub fn member(
        &self,
        organization_id: &str,
        member_id: &str,
    ) -> Result<Option<Value>, StoreError> {
        let connection = self.lock()?;
        read_document(
            &connection,
            "SELECT document FROM members WHERE organization_id = ?1 AND member_id = ?2",
            params![organization_id, member_id],
        )
    }

    /// Reads, changes and writes a member in one transaction.
    pub fn update_member<E: From<StoreError>>(
        &self,
        organization_id: &str,
        member_id: &str,
        change: impl FnOnce(Value) -> Result<Value, E>,
    ) -> Result<Option<Value>, E> {
        let mut connection = self.lock()?;
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let Some(stored) = read_document(
            &transaction,
            "SELECT document FROM members WHERE organization_id = ?1 AND member_id = ?2",
            params![organization_id, member_id],
        )?
        else {
            return Ok(None);
        };
        let document = change(stored)?;
        let email = document
            .get("email_address")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        transaction
            .execute(
                "UPDATE members SET email_address = ?3, document = ?4 WHERE organization_id = ?1 AND member_id = ?2",
                params![organization_id, member_id, email, document.to_string()],
            )
            .map_err(|error| if is_unique_conflict(&error, "email_address") { StoreError::EmailTaken(email.clone()) } else { error.into() })?;
        transaction.commit().map_err(StoreError::from)?;
        Ok(Some(document))
    }

    pub fn delete_member(
        &self,
        organization_id: &str,
        member_id: &str,
    ) -> Result<bool, StoreError> {
        let connection = self.lock()?;
        let deleted = connection.execute(
            "DELETE FROM members WHERE organization_id = ?1 AND member_id = ?2",
            params![organization_id, member_id],
        )?;
        Ok(deleted > 0)
    }

    /// The members of some organizations, ordered by member id.
    pub fn members_of(&self, organization_ids: &[String]) -> Result<Vec<Value>, StoreError> {
        let connection = self.lock()?;
        let mut statement = connection.prepare(
            "SELECT document FROM members WHERE organization_id = ?1 ORDER BY member_id",
        )?;
        let mut members = Vec::new();
        for organization_id in organization_ids {
            let texts = statement
                .query_map(params![organization_id], |row| row.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            for text in texts {
                members.push(serde_json::from_str(&text)?);
            }
        }
        members.sort_by(|a: &Value, b: &Value| {
            a.get("member_id")
                .and_then(Value::as_str)
                .cmp(&b.get("member_id").and_then(Value::as_str))
        });
        Ok(members)
    }
}
