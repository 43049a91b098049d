//! SQLite storage of typed rows: organizations, members and organization
//! policies. The server's fields (ids, slug, email key, status, timestamps)
//! are columns; what a client may set is one JSON column of settings, read
//! back into [`OrganizationSettings`] / [`MemberSettings`], which hold no id.
//! Every lookup resolves an organization to its row id inside the same
//! transaction as the write it serves, so a concurrent delete is a clean
//! "not found", never a foreign-key failure.
//!
//! WAL mode; every write is one transaction. A store call blocks: handlers
//! run it on tokio's blocking pool.

use crate::email::email_key;
use orgpolicy_api::objects::{
    Member, MemberSettings, Organization, OrganizationSettings, RetiredEmail,
};
use orgpolicy_core::OrganizationPolicy;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};
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
    #[error(
        "`{0}` is a retired email address of another member of this organization; unlink it first"
    )]
    EmailRetired(String),
    #[error("`{0}` is not an email address")]
    InvalidEmail(String),
    #[error("the external id `{0}` is already used by another organization")]
    OrganizationExternalIdTaken(String),
    #[error("the external id `{0}` is already used by another member of this organization")]
    MemberExternalIdTaken(String),
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

/// The schema's version, kept in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 2;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS organization (
    organization_id TEXT PRIMARY KEY,
    organization_slug TEXT NOT NULL UNIQUE COLLATE NOCASE,
    organization_external_id TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    settings TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS member (
    member_id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organization(organization_id) ON DELETE CASCADE,
    external_id TEXT,
    email_address TEXT NOT NULL,
    email_key TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    settings TEXT NOT NULL,
    retired_emails TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS member_by_organization ON member(organization_id, member_id);
-- An email address names one member of an organization, deleted ones aside
-- (a deleted member keeps its address; reactivating it checks again).
CREATE UNIQUE INDEX IF NOT EXISTS member_email_key ON member(organization_id, email_key)
    WHERE status != 'deleted';
CREATE UNIQUE INDEX IF NOT EXISTS member_external_id ON member(organization_id, external_id)
    WHERE external_id IS NOT NULL AND status != 'deleted';
-- A member's retired addresses, by key: the member row holds them as the
-- API shows them; this table finds who holds one.
CREATE TABLE IF NOT EXISTS retired_email (
    email_id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES member(member_id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL,
    email_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS retired_email_by_key ON retired_email(organization_id, email_key);
-- Each member write replaces its rows, and a member's removal cascades:
-- both look rows up by member.
CREATE INDEX IF NOT EXISTS retired_email_by_member ON retired_email(member_id);
CREATE TABLE IF NOT EXISTS organization_policy (
    organization_id TEXT PRIMARY KEY REFERENCES organization(organization_id) ON DELETE CASCADE,
    document TEXT NOT NULL
);
";

const ORGANIZATION_COLUMNS: &str = "organization_id, organization_slug, created_at, updated_at, settings, organization_external_id";
/// An organization's columns and its policy's document (custom roles).
const ORGANIZATION_SELECT: &str = "SELECT o.organization_id, o.organization_slug, o.created_at, o.updated_at, o.settings, p.document, o.organization_external_id
     FROM organization o LEFT JOIN organization_policy p ON p.organization_id = o.organization_id";
const MEMBER_COLUMNS: &str = "member_id, organization_id, email_address, status, created_at, updated_at, settings, external_id, retired_emails";

/// Finds an organization's row by id, else by slug, else by external id.
fn find_organization_sql() -> String {
    format!(
        "{ORGANIZATION_SELECT} WHERE o.organization_id = ?1 OR o.organization_slug = ?1
         OR o.organization_external_id = ?1
         ORDER BY o.organization_id = ?1 DESC, o.organization_slug = ?1 DESC LIMIT 1"
    )
}

/// Whether a write broke the uniqueness of `column`.
fn is_unique_conflict(error: &rusqlite::Error, column: &str) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(failure, Some(message))
            if failure.code == rusqlite::ErrorCode::ConstraintViolation && message.contains(column)
    )
}

/// An organization row's columns, settings and policy still text: listing
/// reads rows under the lock and parses them after releasing it.
type OrganizationRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn organization_row(row: &Row<'_>) -> rusqlite::Result<OrganizationRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
    ))
}

fn organization_from(row: OrganizationRow) -> Result<Organization, StoreError> {
    let (
        organization_id,
        organization_slug,
        created_at,
        updated_at,
        settings,
        policy,
        organization_external_id,
    ) = row;
    let custom_roles = match policy {
        Some(text) => serde_json::from_str::<OrganizationPolicy>(&text)?.roles,
        None => Vec::new(),
    };
    Ok(Organization {
        organization_id,
        organization_slug,
        organization_external_id,
        created_at,
        updated_at,
        custom_roles,
        settings: serde_json::from_str::<OrganizationSettings>(&settings)?,
    })
}

/// A member row's columns, settings still text (parsed off the lock, as above).
type MemberRow = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
);

fn member_row(row: &Row<'_>) -> rusqlite::Result<MemberRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
    ))
}

fn member_from(row: MemberRow) -> Result<Member, StoreError> {
    let (
        member_id,
        organization_id,
        email_address,
        status,
        created_at,
        updated_at,
        settings,
        external_id,
        retired_emails,
    ) = row;
    Ok(Member {
        member_id,
        organization_id,
        external_id,
        email_address,
        status,
        created_at,
        updated_at,
        retired_email_addresses: serde_json::from_str::<Vec<RetiredEmail>>(&retired_emails)?,
        settings: serde_json::from_str::<MemberSettings>(&settings)?,
    })
}

fn find_organization(
    connection: &Connection,
    id_or_slug: &str,
) -> Result<Option<Organization>, StoreError> {
    connection
        .query_row(
            &find_organization_sql(),
            params![id_or_slug],
            organization_row,
        )
        .optional()?
        .map(organization_from)
        .transpose()
}

/// A member of an organization (by row id); a deleted one only if asked.
fn find_member(
    connection: &Connection,
    organization_id: &str,
    member_id: &str,
    include_deleted: bool,
) -> Result<Option<Member>, StoreError> {
    connection
        .query_row(
            &format!(
                "SELECT {MEMBER_COLUMNS} FROM member WHERE organization_id = ?1
                 AND (member_id = ?2 OR external_id = ?2) AND (?3 OR status != 'deleted')
                 ORDER BY member_id = ?2 DESC LIMIT 1"
            ),
            params![organization_id, member_id, include_deleted],
            member_row,
        )
        .optional()?
        .map(member_from)
        .transpose()
}

fn settings_text(settings: &impl serde::Serialize) -> Result<String, StoreError> {
    Ok(serde_json::to_string(settings)?)
}

/// The uniqueness an organization write broke, if any.
fn organization_conflict(error: rusqlite::Error, organization: &Organization) -> StoreError {
    if is_unique_conflict(&error, "organization_slug") {
        StoreError::SlugTaken(organization.organization_slug.clone())
    } else if is_unique_conflict(&error, "organization_external_id") {
        StoreError::OrganizationExternalIdTaken(
            organization
                .organization_external_id
                .clone()
                .unwrap_or_default(),
        )
    } else {
        error.into()
    }
}

fn key_of(email: &str) -> Result<String, StoreError> {
    email_key(email).ok_or_else(|| StoreError::InvalidEmail(email.to_owned()))
}

fn write_member(
    transaction: &Transaction<'_>,
    sql: &str,
    member: &Member,
) -> Result<(), StoreError> {
    let key = key_of(&member.email_address)?;
    transaction
        .execute(
            sql,
            params![
                member.member_id,
                member.organization_id,
                member.email_address,
                key,
                member.status,
                member.created_at,
                member.updated_at,
                settings_text(&member.settings)?,
                member.external_id,
                serde_json::to_string(&member.retired_email_addresses)?
            ],
        )
        .map_err(|error| {
            if is_unique_conflict(&error, "email_key") {
                StoreError::EmailTaken(member.email_address.clone())
            } else if is_unique_conflict(&error, "external_id") {
                StoreError::MemberExternalIdTaken(member.external_id.clone().unwrap_or_default())
            } else {
                error.into()
            }
        })?;
    if member.status != "deleted" {
        let retired_elsewhere = transaction
            .query_row(
                "SELECT 1 FROM retired_email r JOIN member m ON m.member_id = r.member_id
                 WHERE r.organization_id = ?1 AND r.email_key = ?2 AND r.member_id != ?3
                 AND m.status != 'deleted' LIMIT 1",
                params![member.organization_id, key, member.member_id],
                |_| Ok(()),
            )
            .optional()?;
        if retired_elsewhere.is_some() {
            return Err(StoreError::EmailRetired(member.email_address.clone()));
        }
    }
    transaction.execute(
        "DELETE FROM retired_email WHERE member_id = ?1",
        params![member.member_id],
    )?;
    for retired in &member.retired_email_addresses {
        transaction.execute(
            "INSERT INTO retired_email (email_id, member_id, organization_id, email_key)
             VALUES (?1, ?2, ?3, ?4)",
            params![
                retired.email_id,
                member.member_id,
                member.organization_id,
                key_of(&retired.email_address)?
            ],
        )?;
    }
    Ok(())
}

impl Store {
    /// Opens (creating or upgrading if needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Self::prepare(Connection::open(path)?)
    }

    /// A store that lives in memory (tests).
    pub fn in_memory() -> Result<Store, StoreError> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut connection: Connection) -> Result<Store, StoreError> {
        // WAL with synchronous=NORMAL: a committed write survives the process
        // being killed; only an OS crash can lose the last transactions.
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = transaction.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        transaction.execute_batch(SCHEMA)?;
        if version == 1 {
            // Version 2 added retired email addresses.
            transaction.execute_batch(
                "ALTER TABLE member ADD COLUMN retired_emails TEXT NOT NULL DEFAULT '[]'",
            )?;
        }
        if version < SCHEMA_VERSION {
            if version < 1 {
                crate::migrate::from_documents(&transaction)?;
            }
            transaction.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        }
        transaction.commit()?;
        Ok(Store {
            connection: Mutex::new(connection),
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.connection.lock().map_err(|_| StoreError::Poisoned)
    }

    fn write<T, E: From<StoreError>>(
        &self,
        work: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut connection = self.lock()?;
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let value = work(&transaction)?;
        transaction.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    pub fn insert_organization(&self, organization: &Organization) -> Result<(), StoreError> {
        let connection = self.lock()?;
        connection
            .execute(
                &format!(
                    "INSERT INTO organization ({ORGANIZATION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                ),
                params![
                    organization.organization_id,
                    organization.organization_slug,
                    organization.created_at,
                    organization.updated_at,
                    settings_text(&organization.settings)?,
                    organization.organization_external_id
                ],
            )
            .map_err(|error| organization_conflict(error, organization))?;
        Ok(())
    }

    /// An organization by id, or else by slug.
    pub fn organization(&self, id_or_slug: &str) -> Result<Option<Organization>, StoreError> {
        let connection = self.lock()?;
        find_organization(&connection, id_or_slug)
    }

    /// Reads, changes and writes an organization in one transaction.
    /// `change` returns the new row, or an error that aborts. The row is
    /// written back under the id it was read with, whatever `change` did.
    pub fn update_organization<E: From<StoreError>>(
        &self,
        id_or_slug: &str,
        change: impl FnOnce(Organization) -> Result<Organization, E>,
    ) -> Result<Option<Organization>, E> {
        self.write(|transaction| {
            let Some(found) = find_organization(transaction, id_or_slug)? else {
                return Ok(None);
            };
            let id = found.organization_id.clone();
            let mut changed = change(found)?;
            changed.organization_id = id;
            transaction
                .execute(
                    "UPDATE organization SET organization_slug = ?2, updated_at = ?3, settings = ?4,
                     organization_external_id = ?5 WHERE organization_id = ?1",
                    params![
                        changed.organization_id,
                        changed.organization_slug,
                        changed.updated_at,
                        settings_text(&changed.settings)?,
                        changed.organization_external_id
                    ],
                )
                .map_err(|error| organization_conflict(error, &changed))?;
            Ok(Some(changed))
        })
    }

    /// Deletes an organization, its members and its policy; the id if it
    /// existed.
    pub fn delete_organization(&self, id_or_slug: &str) -> Result<Option<String>, StoreError> {
        self.write(|transaction| {
            let Some(found) = find_organization(transaction, id_or_slug)? else {
                return Ok(None);
            };
            transaction.execute(
                "DELETE FROM organization WHERE organization_id = ?1",
                params![found.organization_id],
            )?;
            Ok(Some(found.organization_id))
        })
    }

    /// Every organization, ordered by id.
    pub fn organizations(&self) -> Result<Vec<Organization>, StoreError> {
        let connection = self.lock()?;
        let mut statement =
            connection.prepare(&format!("{ORGANIZATION_SELECT} ORDER BY o.organization_id"))?;
        let rows = statement
            .query_map([], organization_row)?
            .collect::<Result<Vec<_>, _>>()?;
        drop(statement);
        drop(connection);
        rows.into_iter().map(organization_from).collect()
    }

    /// Every member's organization id and email address (organization search).
    pub fn member_emails(&self) -> Result<Vec<(String, String)>, StoreError> {
        let connection = self.lock()?;
        let mut statement =
            connection.prepare("SELECT organization_id, email_address FROM member")?;
        let rows = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// An organization's custom roles: `None` if the organization does not
    /// exist, `Some((id, None))` if it has none stored.
    pub fn organization_policy(
        &self,
        id_or_slug: &str,
    ) -> Result<Option<(String, Option<Value>)>, StoreError> {
        let connection = self.lock()?;
        let Some(organization) = find_organization(&connection, id_or_slug)? else {
            return Ok(None);
        };
        let text: Option<String> = connection
            .query_row(
                "SELECT document FROM organization_policy WHERE organization_id = ?1",
                params![organization.organization_id],
                |row| row.get(0),
            )
            .optional()?;
        let policy = text.map(|text| serde_json::from_str(&text)).transpose()?;
        Ok(Some((organization.organization_id, policy)))
    }

    /// Replaces an organization's custom roles; the organization's id, or
    /// `None` if it does not exist.
    pub fn set_organization_policy(
        &self,
        id_or_slug: &str,
        policy: &Value,
    ) -> Result<Option<String>, StoreError> {
        self.write(|transaction| {
            let Some(organization) = find_organization(transaction, id_or_slug)? else {
                return Ok(None);
            };
            transaction.execute(
                "INSERT INTO organization_policy (organization_id, document) VALUES (?1, ?2)
                 ON CONFLICT(organization_id) DO UPDATE SET document = excluded.document",
                params![organization.organization_id, policy.to_string()],
            )?;
            Ok(Some(organization.organization_id))
        })
    }

    /// Creates a member in an organization (by id or slug), in one
    /// transaction with the lookup. `build` makes the member for the
    /// organization found; its `organization_id` is set to the row's.
    pub fn insert_member<E: From<StoreError>>(
        &self,
        organization_id_or_slug: &str,
        build: impl FnOnce(&Organization) -> Result<Member, E>,
    ) -> Result<Option<(Organization, Member)>, E> {
        self.write(|transaction| {
            let Some(organization) = find_organization(transaction, organization_id_or_slug)?
            else {
                return Ok(None);
            };
            let mut member = build(&organization)?;
            member.organization_id = organization.organization_id.clone();
            write_member(
                transaction,
                &format!(
                    "INSERT INTO member ({MEMBER_COLUMNS}, email_key)
                     VALUES (?1, ?2, ?3, ?5, ?6, ?7, ?8, ?9, ?10, ?4)"
                ),
                &member,
            )?;
            Ok(Some((organization, member)))
        })
    }

    /// A member of an organization (by id or slug) by email address, compared
    /// by its key: `None` if the organization does not exist.
    pub fn member_by_email(
        &self,
        organization_id_or_slug: &str,
        email: &str,
    ) -> Result<Option<(Organization, Option<Member>)>, StoreError> {
        let connection = self.lock()?;
        let Some(organization) = find_organization(&connection, organization_id_or_slug)? else {
            return Ok(None);
        };
        let Some(key) = email_key(email) else {
            return Ok(Some((organization, None)));
        };
        let member = connection
            .query_row(
                &format!(
                    "SELECT {MEMBER_COLUMNS} FROM member WHERE organization_id = ?1 AND email_key = ?2
                     AND status != 'deleted'"
                ),
                params![organization.organization_id, key],
                member_row,
            )
            .optional()?
            .map(member_from)
            .transpose()?;
        Ok(Some((organization, member)))
    }

    /// A member of an organization (by id or slug): `None` if the
    /// organization does not exist.
    pub fn member(
        &self,
        organization_id_or_slug: &str,
        member_id: &str,
    ) -> Result<Option<(Organization, Option<Member>)>, StoreError> {
        let connection = self.lock()?;
        let Some(organization) = find_organization(&connection, organization_id_or_slug)? else {
            return Ok(None);
        };
        let member = find_member(&connection, &organization.organization_id, member_id, false)?;
        Ok(Some((organization, member)))
    }

    /// Reads, changes and writes a member (by id or external id; a deleted
    /// one only if `include_deleted`, as reactivate needs) in one
    /// transaction: `None` if the organization does not exist,
    /// `Some((organization, None))` if the member does not. Ids and the
    /// organization are kept whatever `change` did.
    pub fn change_member<E: From<StoreError>>(
        &self,
        organization_id_or_slug: &str,
        member_id: &str,
        include_deleted: bool,
        change: impl FnOnce(Member, &Organization) -> Result<Member, E>,
    ) -> Result<Option<(Organization, Option<Member>)>, E> {
        self.write(|transaction| {
            let Some(organization) = find_organization(transaction, organization_id_or_slug)?
            else {
                return Ok(None);
            };
            let Some(found) = find_member(
                transaction,
                &organization.organization_id,
                member_id,
                include_deleted,
            )?
            else {
                return Ok(Some((organization, None)));
            };
            let (id, organization_id) = (found.member_id.clone(), found.organization_id.clone());
            let mut changed = change(found, &organization)?;
            changed.member_id = id;
            changed.organization_id = organization_id;
            write_member(
                transaction,
                "UPDATE member SET email_address = ?3, email_key = ?4, status = ?5, created_at = ?6,
                 updated_at = ?7, settings = ?8, external_id = ?9, retired_emails = ?10
                 WHERE member_id = ?1 AND organization_id = ?2",
                &changed,
            )?;
            Ok(Some((organization, Some(changed))))
        })
    }

    /// Deletes a member (by id or external id), as the API does: its status
    /// becomes `deleted` and it stays (found by `dangerously_get` with
    /// `include_deleted`, reactivated by `reactivate`). `None` if the
    /// organization does not exist, else the deleted member's id, if a
    /// member that was not deleted was found.
    pub fn delete_member(
        &self,
        organization_id_or_slug: &str,
        member_id: &str,
    ) -> Result<Option<Option<String>>, StoreError> {
        self.write(|transaction| {
            let Some(organization) = find_organization(transaction, organization_id_or_slug)?
            else {
                return Ok(None);
            };
            let Some(member) =
                find_member(transaction, &organization.organization_id, member_id, false)?
            else {
                return Ok(Some(None));
            };
            transaction.execute(
                "UPDATE member SET status = 'deleted', updated_at = ?3
                 WHERE organization_id = ?1 AND member_id = ?2",
                params![organization.organization_id, member.member_id, crate::now()],
            )?;
            Ok(Some(Some(member.member_id)))
        })
    }

    /// How many members an organization (by id or slug) has: `None` if it
    /// does not exist.
    pub fn member_count(&self, organization_id_or_slug: &str) -> Result<Option<u64>, StoreError> {
        let connection = self.lock()?;
        let Some(organization) = find_organization(&connection, organization_id_or_slug)? else {
            return Ok(None);
        };
        let count: i64 = connection.query_row(
            "SELECT count(*) FROM member WHERE organization_id = ?1 AND status != 'deleted'",
            params![organization.organization_id],
            |row| row.get(0),
        )?;
        Ok(Some(u64::try_from(count).unwrap_or_default()))
    }

    /// A member by id alone, with its organization, in any organization.
    pub fn member_anywhere(
        &self,
        member_id: &str,
        include_deleted: bool,
    ) -> Result<Option<(Organization, Member)>, StoreError> {
        let connection = self.lock()?;
        let Some(member) = connection
            .query_row(
                &format!(
                    "SELECT {MEMBER_COLUMNS} FROM member WHERE member_id = ?1
                     AND (?2 OR status != 'deleted')"
                ),
                params![member_id, include_deleted],
                member_row,
            )
            .optional()?
            .map(member_from)
            .transpose()?
        else {
            return Ok(None);
        };
        let organization = find_organization(&connection, &member.organization_id)?;
        Ok(organization.map(|organization| (organization, member)))
    }

    /// Organizations by id or slug, each once, in the order given; the ids
    /// and slugs that name none are skipped.
    pub fn resolve_organizations(
        &self,
        ids_or_slugs: &[String],
    ) -> Result<Vec<Organization>, StoreError> {
        let connection = self.lock()?;
        let mut found: Vec<Organization> = Vec::new();
        for lookup in ids_or_slugs {
            if let Some(organization) = find_organization(&connection, lookup)?
                && !found
                    .iter()
                    .any(|o| o.organization_id == organization.organization_id)
            {
                found.push(organization);
            }
        }
        Ok(found)
    }

    /// The members of some organizations (by row id), ordered by member id.
    pub fn members_of(&self, organization_ids: &[String]) -> Result<Vec<Member>, StoreError> {
        let connection = self.lock()?;
        let mut statement = connection.prepare(&format!(
            "SELECT {MEMBER_COLUMNS} FROM member WHERE organization_id = ?1"
        ))?;
        let mut rows = Vec::new();
        for organization_id in organization_ids {
            rows.extend(
                statement
                    .query_map(params![organization_id], member_row)?
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        drop(statement);
        drop(connection);
        let mut members = rows
            .into_iter()
            .map(member_from)
            .collect::<Result<Vec<_>, _>>()?;
        members.sort_by(|a, b| a.member_id.cmp(&b.member_id));
        Ok(members)
    }
}
