//! The two append-only logs. The **consent log** is the owner's: every share created,
//! accepted, revoked and left. The **access log** lists every read of the owner's data by
//! someone else, naming the records read (written by `sharing::read`, and nowhere else),
//! and every refused attempt by a former recipient (`sharing::authorize_read`). Rows keep
//! user ids; names are looked up when a log is read, so a deleted account shows as
//! [`DELETED_ACCOUNT`]. The database refuses UPDATE and DELETE on both (triggers in the
//! migrations), except for the account deletion. The access log is read in pages, newest
//! first, back to the very first entry.
//!
//! A read by a clinician (`crate::clinician`) also keeps the clinician's organisation as it
//! was at the time of the read (`reader_organisation`): the user sees who and from where.

use crate::db::Db;
use crate::http::error::ApiError;
use serde::Serialize;
use sqlx::Row;

/// The most entries one log answer holds (one page of the access log; the newest of the
/// consent log).
pub const MAX_LOG_ENTRIES: i64 = 1000;
/// The name shown in a log for an account that no longer exists.
pub const DELETED_ACCOUNT: &str = "(slettet konto)";

/// One consent-log event, as written.
pub(crate) struct Consent<'a> {
    pub owner_id: &'a str,
    pub at_ms: i64,
    pub event: &'static str,
    pub share_id: &'a str,
    pub scope: String,
    pub recipient_id: Option<&'a str>,
    pub until: Option<&'a str>,
}

/// Appends a consent-log row, in the transaction of the change it records.
pub(crate) async fn log_consent(
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

/// What became of an attempt to read a share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    Read,
    Denied,
}

/// One access-log row, as written.
pub(super) struct Access<'a> {
    pub owner_id: &'a str,
    pub reader_id: &'a str,
    pub share_id: &'a str,
    pub scope: String,
    /// The ids of the records read (none for a denied attempt).
    pub record_ids: Vec<&'a str>,
    pub outcome: Outcome,
}

/// Appends an access-log row.
pub(super) async fn log_access(db: &Db, entry: Access<'_>) -> Result<(), ApiError> {
    let outcome = match entry.outcome {
        Outcome::Read => "read",
        Outcome::Denied => "denied",
    };
    let ids = serde_json::to_string(&entry.record_ids).unwrap_or_else(|_| "[]".to_owned());
    sqlx::query(
        "INSERT INTO access_log (owner_id, reader_id, share_id, scope, records, at_ms, record_ids, outcome, \
         reader_organisation) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
         (SELECT organisation FROM clinicians WHERE user_id = $9))",
    )
    .bind(entry.owner_id)
    .bind(entry.reader_id)
    .bind(entry.share_id)
    .bind(entry.scope)
    .bind(entry.record_ids.len() as i64)
    .bind(crate::accounts::now_ms())
    .bind(ids)
    .bind(outcome)
    .bind(entry.reader_id)
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
    /// The entry's place in the log; pass it as `before` to read older entries.
    pub seq: i64,
    pub at_ms: i64,
    pub reader: String,
    /// The reader's organisation at the time, when the reader is a clinician.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reader_organisation: Option<String>,
    pub share_id: String,
    pub scope: String,
    /// `read`, or `denied`: a former recipient tried to read after the share ended.
    pub outcome: String,
    /// How many records were read, and which.
    pub records: i64,
    pub record_ids: Vec<String>,
}

/// One page of the access log, newest first; `next_before` reads the page before it
/// (`None`: this page reaches the first entry).
#[derive(Serialize)]
pub struct AccessPage {
    pub entries: Vec<AccessEntry>,
    pub next_before: Option<i64>,
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

/// Reads of the owner's data by others (and refused attempts), newest first: at most
/// `limit` entries older than `before` (`None`: from the newest).
pub async fn access_log(
    db: &Db,
    owner_id: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<AccessPage, ApiError> {
    let limit = limit.clamp(1, MAX_LOG_ENTRIES);
    let rows = sqlx::query(
        "SELECT a.seq, a.at_ms, a.reader_id, u.username, a.share_id, a.scope, a.records, \
         a.record_ids, a.outcome, a.reader_organisation FROM access_log a LEFT JOIN users u ON u.id = a.reader_id \
         WHERE a.owner_id = $1 AND a.seq < $2 ORDER BY a.seq DESC LIMIT $3",
    )
    .bind(owner_id)
    .bind(before.unwrap_or(i64::MAX))
    .bind(limit + 1)
    .fetch_all(db.pool())
    .await?;
    let more = rows.len() as i64 > limit;
    let entries = rows
        .iter()
        .take(limit as usize)
        .map(|row| {
            let ids: String = row.try_get("record_ids")?;
            Ok(AccessEntry {
                seq: row.try_get("seq")?,
                at_ms: row.try_get("at_ms")?,
                reader: name_of(row.try_get("reader_id")?, row.try_get("username")?).unwrap_or_default(),
                reader_organisation: row.try_get("reader_organisation")?,
                share_id: row.try_get("share_id")?,
                scope: row.try_get("scope")?,
                outcome: row.try_get("outcome")?,
                records: row.try_get("records")?,
                record_ids: serde_json::from_str(&ids).unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let next_before = if more { entries.last().map(|e| e.seq) } else { None };
    Ok(AccessPage { entries, next_before })
}
