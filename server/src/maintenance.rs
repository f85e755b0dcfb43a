//! Keeping less, for shorter: a purge that runs at start and every hour in each server
//! process (harmless when several do it at once).
//!
//! - **Sessions** (the app's and clinicians') past their idle or absolute end: they are refused anyway
//!   (`accounts::session_user`), and their rows say when someone last used the service.
//! - **Throttle rows** whose window is over: they hold client addresses.
//! - **What a clinician saw** of a share that ended (`clinician::seen`).
//! - **Invitation codes** past their week: the keyed hash is dropped, the share row (and
//!   the consent log) stay.
//! - **Check-in messages** older than the retention period (`crate::checkins::purge`).
//! - **Record history** past its keeping period, thinned to one version a day
//!   (`crate::history::compact`): at start and then daily, not hourly, since it reads every
//!   account's old versions and an hour changes little in a 90-day window.

use crate::accounts::{SESSION_ABSOLUTE_MS, SESSION_IDLE_MS};
use crate::db::Db;
use crate::throttle::LONGEST_WINDOW_MS;
use std::time::Duration;

pub const EVERY: Duration = Duration::from_secs(3600);
/// The history is compacted every this many purges (daily).
const COMPACT_EVERY: u64 = 24;

/// How long what users wrote is kept (`Limits`): check-in messages, and whole record history.
#[derive(Clone, Copy, Debug)]
pub struct Retention {
    pub checkins_ms: i64,
    pub history_ms: i64,
}

/// How many rows one purge removed or cleared.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub throttle_rows: u64,
    pub codes: u64,
    /// Clinicians' "seen" copies of shares that ended.
    pub seen_marks: u64,
}

/// Removes what is no longer needed at `now_ms`.
pub async fn purge(db: &Db, now_ms: i64) -> Result<Purged, sqlx::Error> {
    let _turn = db.write_turn().await;
    let sessions = sqlx::query("DELETE FROM sessions WHERE last_seen_ms < $1 OR created_ms < $2")
        .bind(now_ms - SESSION_IDLE_MS)
        .bind(now_ms - SESSION_ABSOLUTE_MS)
        .execute(db.pool())
        .await?
        .rows_affected();
    let sessions = sessions + crate::clinician::purge_sessions(db, now_ms).await?;
    let throttle_rows = sqlx::query("DELETE FROM login_failures WHERE window_start_ms < $1")
        .bind(now_ms - LONGEST_WINDOW_MS)
        .execute(db.pool())
        .await?
        .rows_affected();
    let codes = sqlx::query(
        "UPDATE shares SET code_hash = NULL WHERE code_hash IS NOT NULL AND code_expires_ms < $1",
    )
    .bind(now_ms)
    .execute(db.pool())
    .await?
    .rows_affected();
    let seen_marks = crate::clinician::seen::purge_ended(db, now_ms).await?;
    Ok(Purged {
        sessions,
        throttle_rows,
        codes,
        seen_marks,
    })
}

/// Purges now and then every [`EVERY`] until the task is aborted. Failures are logged (no
/// personal data: counts and the database's message) and retried at the next turn.
pub fn spawn(db: Db, retention: Retention) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(EVERY);
        for turn in 0_u64.. {
            every.tick().await;
            match purge(&db, crate::accounts::now_ms()).await {
                Ok(purged) => tracing::info!(
                    sessions = purged.sessions,
                    throttle_rows = purged.throttle_rows,
                    codes = purged.codes,
                    "purged"
                ),
                Err(e) => tracing::warn!(error = %e, "purge failed"),
            }
            match crate::checkins::purge(&db, crate::accounts::now_ms(), retention.checkins_ms).await {
                Ok(messages) => tracing::info!(messages, "purged old check-ins"),
                Err(e) => tracing::warn!(error = %e, "check-in purge failed"),
            }
            if !turn.is_multiple_of(COMPACT_EVERY) {
                continue;
            }
            match crate::history::compact(&db, crate::accounts::now_ms(), retention.history_ms).await {
                Ok(thinned) => tracing::info!(
                    versions = thinned.versions,
                    bytes = thinned.bytes,
                    "thinned old history"
                ),
                Err(e) => tracing::warn!(error = %e, "history compaction failed"),
            }
        }
    })
}
