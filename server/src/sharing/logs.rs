//! The two append-only logs. The **consent log** is the owner's: every share created,
//! accepted and revoked. The **access log** lists every read of the owner's data by someone
//! else (written by `sharing::read`, and nowhere else). Rows keep user ids; names are looked
//! up when a log is read, so a deleted account shows as [`DELETED_ACCOUNT`].

use crate::db::Db;
use crate::http::error::ApiError;
use serde::Serialize;
use sqlx::Row;

/// The most entries one log answer holds (the newest).
pub const MAX_LOG_ENTRIES: i64 = 1000;
/// The name shown in a log for an account that no longer exists.
pub const DELETED_ACCOUNT: &str = "(slettet konto)";

/// One consent-log event, as written.
pub(super) struct Consent<'a> {
    pub owner_id: &'a str,
    pub at_ms: i64,
    pub event: &'static str,
    pub share_id: &'a str,
    pub scope: String,
    pub recipient_id: Option<&'a str>,
    pub until: Option<&'a str>,
}

/// Appends a consent-log row, in the transaction of the change it records.
pub(super) async fn log_consent(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    entry: Consent<'_>,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO consent_log (owner_id, at_ms, event, share_id, scope, recipient_id, until_date) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.owner_id)
    .bind(entry.at_ms)
    .bind(entry.event)
    .bind(entry.share_id)
    .bind(entry.scope)
    .bind(entry.recipient_id.map(str::to_owned))
    .bind(entry.until.map(str::to_owned))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Appends an access-log row: `reader` read `records` records of `owner`'s share.
pub(super) async fn log_access(
    db: &Db,
    owner_id: &str,
    reader_id: &str,
    share_id: &str,
    scope: String,
    records: usize,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO access_log (owner_id, reader_id, share_id, scope, records, at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(owner_id)
    .bind(reader_id)
    .bind(share_id)
    .bind(scope)
    .bind(records as i64)
    .bind(crate::accounts::now_ms())
    .execute(db.pool())
    .await?;
    Ok(())
}

#[derive(Serialize)]
pub struct ConsentEntry {
    pub at_ms: i64,
    pub event: String,
    pub share_id: String,
    pub scope: String,
    pub recipient: Option<String>,
    pub until: Option<String>,
}

#[derive(Serialize)]
pub struct AccessEntry {
    pub at_ms: i64,
    pub reader: String,
    pub share_id: String,
    pub scope: String,
    pub records: i64,
}

/// A name for a logged user id: theirs, or [`DELETED_ACCOUNT`] once the account is gone.
fn name_of(id: Option<String>, name: Option<String>) -> Option<String> {
    id.map(|_| name.unwrap_or_else(|| DELETED_ACCOUNT.to_owned()))
}

/// The owner's consent log, newest first.
pub async fn consent_log(db: &Db, owner_id: &str) -> Result<Vec<ConsentEntry>, ApiError> {
    let rows = sqlx::query(
        "SELECT c.at_ms, c.event, c.share_id, c.scope, c.recipient_id, u.username, c.until_date \
         FROM consent_log c LEFT JOIN users u ON u.id = c.recipient_id \
         WHERE c.owner_id = $1 ORDER BY c.seq DESC LIMIT $2",
    )
    .bind(owner_id)
    .bind(MAX_LOG_ENTRIES)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ConsentEntry {
                at_ms: row.try_get("at_ms")?,
                event: row.try_get("event")?,
                share_id: row.try_get("share_id")?,
                scope: row.try_get("scope")?,
                recipient: name_of(row.try_get("recipient_id")?, row.try_get("username")?),
                until: row.try_get("until_date")?,
            })
        })
        .collect()
}

/// Reads of the owner's data by others, newest first.
pub async fn access_log(db: &Db, owner_id: &str) -> Result<Vec<AccessEntry>, ApiError> {
    let rows = sqlx::query(
        "SELECT a.at_ms, a.reader_id, u.username, a.share_id, a.scope, a.records \
         FROM access_log a LEFT JOIN users u ON u.id = a.reader_id \
         WHERE a.owner_id = $1 ORDER BY a.seq DESC LIMIT $2",
    )
    .bind(owner_id)
    .bind(MAX_LOG_ENTRIES)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AccessEntry {
                at_ms: row.try_get("at_ms")?,
                reader: name_of(row.try_get("reader_id")?, row.try_get("username")?).unwrap_or_default(),
                share_id: row.try_get("share_id")?,
                scope: row.try_get("scope")?,
                records: row.try_get("records")?,
            })
        })
        .collect()
}
