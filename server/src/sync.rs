//! Sync protocol v1 (`POST /api/v1/sync`): the rules and the queries. The handler is
//! `http::sync`.
//!
//! A push is a list of versions of the user's records. Each is checked completely (id, kind,
//! timestamp, schema, body: the app's own model, so server and phone agree on what is
//! valid) before anything is written; then all are written in **one transaction**, each
//! with the next number of the user's own sequence (`users.last_seq`, updated in the same
//! transaction, so pushes of one user are serialised and their numbers grow in commit
//! order). A version already stored (same record, same HLC, same content) is skipped, so a
//! retried push is harmless; the same HLC with other content is refused (a clock never
//! stamps twice: that is damage or forgery).
//!
//! A pull returns every stored version with a number above the device's cursor, in order,
//! at most [`MAX_PULL`] at a time (the response says whether there is more).

use crate::db::Db;
use crate::http::error::ApiError;
use app::model::body::check_body;
use app::model::hlc::MAX_WALL_MS;
use app::model::record::{Kind, RecordId, Version, RECORD_SCHEMA};
use serde::{Deserialize, Serialize};
use sqlx::Row;

/// The most changes one push may carry.
pub const MAX_CHANGES: usize = 500;
/// The largest request body, in bytes.
pub const MAX_REQUEST_BYTES: usize = 1024 * 1024;
/// The largest one version may be, as JSON.
pub const MAX_RECORD_BYTES: usize = 64 * 1024;
/// The most versions one pull returns.
pub const MAX_PULL: i64 = 1000;
pub const MAX_DEVICE_CHARS: usize = 64;

/// One pushed change, before it is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    pub id: serde_json::Value,
    pub kind: serde_json::Value,
    pub version: serde_json::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncRequest {
    pub device: String,
    #[serde(default)]
    pub since: i64,
    #[serde(default)]
    pub changes: Vec<RawChange>,
}

/// A checked change, ready to store.
pub struct Change {
    pub id: RecordId,
    pub kind: Kind,
    pub version: Version,
    /// The version as stored (canonical JSON).
    pub json: String,
}

#[derive(Serialize)]
pub struct PulledChange {
    pub seq: i64,
    pub id: String,
    pub kind: String,
    pub version: serde_json::Value,
}

#[derive(Serialize)]
pub struct SyncResponse {
    /// Pull again from here.
    pub cursor: i64,
    pub changes: Vec<PulledChange>,
    /// Records of this push that another device had already changed to a newer version:
    /// the app shows both ("endret på to enheter").
    pub conflicts: Vec<String>,
    /// More versions wait beyond `cursor`.
    pub more: bool,
}

fn invalid(index: usize, field: &str, reason: impl Into<String>) -> ApiError {
    ApiError::InvalidAt {
        field: format!("changes[{index}].{field}"),
        reason: reason.into(),
    }
}

/// Checks one change completely; the error names the change and the field.
pub fn check_change(index: usize, raw: RawChange) -> Result<Change, ApiError> {
    let id = raw
        .id
        .as_str()
        .and_then(|s| RecordId::parse(s).ok())
        .ok_or_else(|| invalid(index, "id", "not a record id (a hyphenated UUID)"))?;
    let kind = raw
        .kind
        .as_str()
        .and_then(|s| Kind::parse(s).ok())
        .ok_or_else(|| invalid(index, "kind", "not a record kind this server knows"))?;
    let json = serde_json::to_string(&raw.version).unwrap_or_default();
    if json.len() > MAX_RECORD_BYTES {
        return Err(ApiError::TooLarge {
            limit: "record_bytes",
            max: MAX_RECORD_BYTES,
            detail: format!("change {index} ({id}) is {} bytes", json.len()),
        });
    }
    let version: Version =
        serde_json::from_value(raw.version).map_err(|e| invalid(index, "version", format!("{e}")))?;
    if version.hlc.wall_ms > MAX_WALL_MS {
        return Err(invalid(index, "version.hlc.wall_ms", "an impossible time"));
    }
    if version.schema == 0 || version.schema > RECORD_SCHEMA {
        return Err(invalid(
            index,
            "version.schema",
            format!("schema {} is not known", version.schema),
        ));
    }
    check_body(id, kind, &version).map_err(|e| invalid(index, "version.body", e.to_string()))?;
    // Stored canonical: the same version always has the same text.
    let json = serde_json::to_string(&version).unwrap_or_default();
    Ok(Change {
        id,
        kind,
        version,
        json,
    })
}

/// Writes a checked push in one transaction; returns the ids of records where another
/// device's newer version was already here. Each change is compared with one stored
/// version at most twice (the same HLC, for a repeated push; the record's newest, for its
/// kind and a conflict), through indexes, so a push costs the same however long the
/// record's history is. Over the account's storage quota (`quota_bytes` of stored version
/// JSON), nothing of the push is kept: 413 `quota_exceeded`.
pub async fn push(
    db: &Db,
    user_id: &str,
    device: &str,
    changes: &[Change],
    quota_bytes: i64,
) -> Result<Vec<String>, ApiError> {
    let _turn = db.write_turn().await;
    let mut tx = db.pool().begin().await?;
    // Reserve numbers first: this row lock serialises the user's pushes until commit.
    let last: i64 =
        sqlx::query_scalar("UPDATE users SET last_seq = last_seq + $1 WHERE id = $2 RETURNING last_seq")
            .bind(changes.len() as i64)
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
    let mut seq = last - changes.len() as i64;
    let mut conflicts = Vec::new();
    let mut added_bytes = 0_i64;
    for (index, change) in changes.iter().enumerate() {
        seq += 1;
        let id = change.id.to_string();
        let hlc = change.version.hlc.to_string();
        let wall_ms = i64::try_from(change.version.hlc.wall_ms).unwrap_or(i64::MAX);
        let counter = i64::from(change.version.hlc.counter);
        // Every column of `record_versions_newest`: PostgreSQL's generic plan otherwise
        // took that index for (user, record) and filtered every version by `hlc`.
        let same = sqlx::query(
            "SELECT kind, version FROM record_versions WHERE user_id = $1 AND record_id = $2 \
             AND wall_ms = $3 AND counter = $4 AND hlc = $5",
        )
        .bind(user_id)
        .bind(&id)
        .bind(wall_ms)
        .bind(counter)
        .bind(&hlc)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = same {
            let kind: String = row.try_get("kind")?;
            if kind != change.kind.name() {
                return Err(invalid(index, "kind", format!("record {id} is a {kind}")));
            }
            let stored: String = row.try_get("version")?;
            if stored != change.json {
                return Err(invalid(
                    index,
                    "version.hlc",
                    "this timestamp already has other content",
                ));
            }
            continue;
        }
        let newest = sqlx::query(
            // The whole index order, so both planners walk `record_versions_newest`
            // backwards and stop at the first row.
            "SELECT kind, version FROM record_versions WHERE user_id = $1 AND record_id = $2 \
             ORDER BY user_id DESC, record_id DESC, wall_ms DESC, counter DESC, hlc DESC LIMIT 1",
        )
        .bind(user_id)
        .bind(&id)
        .fetch_optional(&mut *tx)
        .await?;
        // A version older than another device's newest lost the merge: the history
        // compaction keeps it (`crate::history`).
        let loser = if let Some(row) = newest {
            let kind: String = row.try_get("kind")?;
            if kind != change.kind.name() {
                return Err(invalid(index, "kind", format!("record {id} is a {kind}")));
            }
            let newer_elsewhere = row
                .try_get::<String, _>("version")
                .ok()
                .and_then(|v| serde_json::from_str::<Version>(&v).ok())
                .is_some_and(|v| v.hlc > change.version.hlc && v.hlc.device != change.version.hlc.device);
            if newer_elsewhere {
                conflicts.push(id.clone());
            }
            newer_elsewhere
        } else {
            false
        };
        sqlx::query(
            "INSERT INTO record_versions (user_id, seq, record_id, kind, hlc, version, device, \
             received_ms, wall_ms, counter, conflict_loser) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(user_id)
        .bind(seq)
        .bind(&id)
        .bind(change.kind.name())
        .bind(&hlc)
        .bind(&change.json)
        .bind(device)
        .bind(crate::accounts::now_ms())
        .bind(wall_ms)
        .bind(counter)
        .bind(i64::from(loser))
        .execute(&mut *tx)
        .await?;
        added_bytes += change.json.len() as i64;
    }
    if added_bytes > 0 {
        let used: i64 = sqlx::query_scalar(
            "UPDATE users SET stored_bytes = stored_bytes + $1 WHERE id = $2 RETURNING stored_bytes",
        )
        .bind(added_bytes)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        if used > quota_bytes {
            // Dropping the transaction rolls the whole push back.
            return Err(ApiError::QuotaExceeded {
                used: used - added_bytes,
                adding: added_bytes,
                quota: quota_bytes,
            });
        }
    }
    tx.commit().await?;
    Ok(conflicts)
}

/// The user's versions after `since`, in order, at most [`MAX_PULL`].
pub async fn pull(db: &Db, user_id: &str, since: i64) -> Result<(Vec<PulledChange>, bool), ApiError> {
    let rows = sqlx::query(
        "SELECT seq, record_id, kind, version FROM record_versions WHERE user_id = $1 AND seq > $2 \
         ORDER BY seq LIMIT $3",
    )
    .bind(user_id)
    .bind(since)
    .bind(MAX_PULL + 1)
    .fetch_all(db.pool())
    .await?;
    let more = rows.len() as i64 > MAX_PULL;
    let mut changes = Vec::with_capacity(rows.len());
    for row in rows.into_iter().take(MAX_PULL as usize) {
        let version: String = row.try_get("version")?;
        changes.push(PulledChange {
            seq: row.try_get("seq")?,
            id: row.try_get("record_id")?,
            kind: row.try_get("kind")?,
            version: serde_json::from_str(&version)
                .map_err(|e| ApiError::Internal(format!("stored version: {e}")))?,
        });
    }
    Ok((changes, more))
}
