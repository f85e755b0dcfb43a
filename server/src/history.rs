//! History compaction: a record's old versions thinned to one a day, so an account's stored
//! history (and its quota use) stops growing with every edit.
//!
//! What is kept, always:
//! - every version made or received within the keeping period (`TILLIT_HISTORY_DAYS`,
//!   default 90): a phone that was away that long still pulls each one;
//! - every version marked as a **conflict loser** (`record_versions.conflict_loser`: it was
//!   pushed older than another device's version of the same record, and the app showed both);
//! - of older versions, the **last of each day** (UTC, by the version's own clock) per
//!   record, and so always the record's newest version, which is the last of its day.
//!
//! A device whose cursor points into a thinned range pulls the kept versions after it; the
//! merge rule (last writer by HLC) makes the same state of them, since the newest is kept.
//! Sequence numbers are not reused: the gaps are harmless to `seq > cursor`.
//!
//! Each account is compacted in its own transaction, which first takes the account's row
//! (as a push does), so a push and a compaction of the same account never interleave and
//! `users.stored_bytes` stays the exact sum of what is stored.

use crate::checkins::DAY_MS;
use crate::db::{Backend, Db};

/// Versions are kept whole this long by default (90 days).
pub const DEFAULT_KEEP_MS: i64 = 90 * DAY_MS;

/// What one compaction removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Compacted {
    pub versions: u64,
    pub bytes: i64,
}

/// The versions of `user_id` ($1) that may go, with cutoff $2: older than it by their own
/// clock and by when they arrived, no conflict loser, and not the last of their day.
/// `{bytes}` is the stored size of a version as the quota counts it (UTF-8 bytes).
const REMOVABLE: &str = "SELECT seq, bytes FROM (SELECT seq, received_ms, conflict_loser, \
     {bytes} AS bytes, ROW_NUMBER() OVER (PARTITION BY record_id, wall_ms / 86400000 \
     ORDER BY wall_ms DESC, counter DESC, hlc DESC) AS later_that_day \
     FROM record_versions WHERE user_id = $1 AND wall_ms < $2) AS old \
     WHERE later_that_day > 1 AND received_ms < $2 AND conflict_loser = 0";

fn removable(backend: Backend) -> String {
    let bytes = match backend {
        Backend::Sqlite => "LENGTH(CAST(version AS BLOB))",
        Backend::Postgres => "OCTET_LENGTH(version)",
    };
    REMOVABLE.replace("{bytes}", bytes)
}

/// Thins every account's history as of `now_ms`, keeping `keep_ms` of it whole.
pub async fn compact(db: &Db, now_ms: i64, keep_ms: i64) -> Result<Compacted, sqlx::Error> {
    let cutoff = now_ms.saturating_sub(keep_ms);
    // Accounts with anything old enough at all; most hours, the thinned ones again.
    let users: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT user_id FROM record_versions WHERE received_ms < $1")
            .bind(cutoff)
            .fetch_all(db.pool())
            .await?;
    let mut total = Compacted::default();
    for user_id in users {
        let done = compact_user(db, &user_id, cutoff).await?;
        total.versions += done.versions;
        total.bytes += done.bytes;
    }
    Ok(total)
}

/// Thins one account's versions older than `cutoff`, in one transaction.
async fn compact_user(db: &Db, user_id: &str, cutoff: i64) -> Result<Compacted, sqlx::Error> {
    let removable = removable(db.backend());
    let _turn = db.write_turn().await;
    let mut tx = db.pool().begin().await?;
    // The account's row first, as `sync::push` takes it: pushes wait until this commits.
    sqlx::query("UPDATE users SET last_seq = last_seq WHERE id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let (versions, bytes): (i64, i64) = sqlx::query_as(&format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(bytes), 0) AS BIGINT) FROM ({removable}) AS going"
    ))
    .bind(user_id)
    .bind(cutoff)
    .fetch_one(&mut *tx)
    .await?;
    if versions == 0 {
        return Ok(Compacted::default());
    }
    sqlx::query(&format!(
        "DELETE FROM record_versions WHERE user_id = $1 AND seq IN (SELECT seq FROM ({removable}) AS going)"
    ))
    .bind(user_id)
    .bind(cutoff)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE users SET stored_bytes = stored_bytes - $1 WHERE id = $2")
        .bind(bytes)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Compacted {
        versions: u64::try_from(versions).unwrap_or_default(),
        bytes,
    })
}
