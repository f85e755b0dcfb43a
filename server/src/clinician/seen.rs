//! *Siden sist*: what changed in a share since the clinician last marked it as seen.
//!
//! Per clinician and share, the records as they were when last marked seen are kept (kind
//! and body of each). The first view of a share is the starting point (nothing is marked
//! then); "Merk som sett" moves it to what the page showed — the form carries a
//! [`digest`] of it, so a change that arrived after the page was drawn stays marked.
//! [`diff`] is pure: added, changed (the old body kept to show old → new) and removed
//! records; a record whose body differs only in its position (a move) has not changed.
//! The rows go with the share, the clinician, or the clinician mark (`clinician::remove`);
//! a clinician's rows of shares no longer live are dropped when their list is drawn, and
//! everyone's by the hourly purge ([`purge_ended`]).

use crate::db::Db;
use crate::http::error::ApiError;
use crate::sharing::SharedRecord;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub kind: String,
    pub body: serde_json::Value,
}

/// Record id → what it was.
pub type Snapshot = BTreeMap<String, Seen>;

pub fn snapshot(records: &[SharedRecord]) -> Snapshot {
    records
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                Seen {
                    kind: r.kind.clone(),
                    body: r.version.body.clone(),
                },
            )
        })
        .collect()
}

/// A short hash of what a page showed (every share's snapshot, in order).
pub fn digest<'a>(snapshots: impl IntoIterator<Item = (&'a str, &'a Snapshot)>) -> String {
    let mut hash = Sha256::new();
    for (share, snapshot) in snapshots {
        hash.update(share.as_bytes());
        hash.update(serde_json::to_vec(snapshot).unwrap_or_default());
    }
    hex::encode(&hash.finalize()[..16])
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Added,
    Changed { before: Seen },
    Removed { before: Seen },
}

fn without_position(body: &serde_json::Value) -> serde_json::Value {
    let mut body = body.clone();
    if let Some(map) = body.as_object_mut() {
        map.remove("position");
    }
    body
}

/// Record id → how it changed from `seen` to `now`; unchanged records are left out.
pub fn diff(seen: &Snapshot, now: &Snapshot) -> BTreeMap<String, Change> {
    let mut changes = BTreeMap::new();
    for (id, record) in now {
        match seen.get(id) {
            None => {
                changes.insert(id.clone(), Change::Added);
            }
            Some(before) if without_position(&before.body) != without_position(&record.body) => {
                changes.insert(
                    id.clone(),
                    Change::Changed {
                        before: before.clone(),
                    },
                );
            }
            Some(_) => {}
        }
    }
    for (id, before) in seen {
        if !now.contains_key(id) {
            changes.insert(
                id.clone(),
                Change::Removed {
                    before: before.clone(),
                },
            );
        }
    }
    changes
}

/// What the clinician last marked seen of the share, and when.
pub async fn load(db: &Db, clinician_id: &str, share_id: &str) -> Result<Option<(i64, Snapshot)>, ApiError> {
    let row =
        sqlx::query("SELECT seen_ms, snapshot FROM clinician_seen WHERE clinician_id = $1 AND share_id = $2")
            .bind(clinician_id)
            .bind(share_id)
            .fetch_optional(db.pool())
            .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let text: String = row.try_get("snapshot")?;
    let snapshot =
        serde_json::from_str(&text).map_err(|e| ApiError::Internal(format!("stored snapshot: {e}")))?;
    Ok(Some((row.try_get("seen_ms")?, snapshot)))
}

pub async fn store(db: &Db, clinician_id: &str, share_id: &str, snapshot: &Snapshot) -> Result<(), ApiError> {
    let text = serde_json::to_string(snapshot).map_err(|e| ApiError::Internal(format!("snapshot: {e}")))?;
    let _turn = db.write_turn().await;
    sqlx::query(
        "INSERT INTO clinician_seen (clinician_id, share_id, seen_ms, snapshot) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (clinician_id, share_id) DO UPDATE SET seen_ms = excluded.seen_ms, snapshot = excluded.snapshot",
    )
    .bind(clinician_id)
    .bind(share_id)
    .bind(crate::accounts::now_ms())
    .bind(text)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Drops every clinician's rows of shares that ended (revoked, left, past their last day):
/// for the hourly purge, so a copy of what was seen does not outlive the share.
pub async fn purge_ended(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "DELETE FROM clinician_seen WHERE share_id IN (SELECT id FROM shares WHERE \
         revoked_ms IS NOT NULL OR left_ms IS NOT NULL OR until_ms <= $1)",
    )
    .bind(now)
    .execute(db.pool())
    .await?
    .rows_affected())
}

/// Drops the clinician's rows of every share not in `live`.
pub async fn forget_ended(db: &Db, clinician_id: &str, live: &[String]) -> Result<(), ApiError> {
    let rows = sqlx::query("SELECT share_id FROM clinician_seen WHERE clinician_id = $1")
        .bind(clinician_id)
        .fetch_all(db.pool())
        .await?;
    for row in rows {
        let share: String = row.try_get("share_id")?;
        if !live.contains(&share) {
            let _turn = db.write_turn().await;
            sqlx::query("DELETE FROM clinician_seen WHERE clinician_id = $1 AND share_id = $2")
                .bind(clinician_id)
                .bind(&share)
                .execute(db.pool())
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn snap(entries: &[(&str, serde_json::Value)]) -> Snapshot {
        entries
            .iter()
            .map(|(id, body)| {
                (
                    id.to_string(),
                    Seen {
                        kind: "plan.item".into(),
                        body: body.clone(),
                    },
                )
            })
            .collect()
    }

    #[test]
    fn added_changed_removed_and_moves_are_not_changes() {
        let before = snap(&[
            ("a", json!({"text": "sove", "position": 1})),
            ("b", json!({"text": "gå tur", "position": 2})),
            ("c", json!({"text": "ringe", "position": 3})),
            ("d", json!({"text": "lese", "position": 4})),
        ]);
        let now = snap(&[
            ("a", json!({"text": "sove lite", "position": 1})),
            ("b", json!({"text": "gå tur", "position": 9})),
            ("d", json!({"text": "lese", "position": 4})),
            ("e", json!({"text": "musikk", "position": 5})),
        ]);
        let changes = diff(&before, &now);
        assert_eq!(changes.len(), 3);
        assert!(matches!(&changes["a"], Change::Changed { before } if before.body["text"] == "sove"));
        assert!(matches!(&changes["c"], Change::Removed { before } if before.body["text"] == "ringe"));
        assert_eq!(changes["e"], Change::Added);
        assert!(diff(&now, &now).is_empty());
        assert_ne!(digest([("s", &before)]), digest([("s", &now)]));
    }
}
