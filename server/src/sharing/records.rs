//! Which of the owner's records a scope covers, each at its latest version. Selecting is a
//! pure function ([`in_scope`]) over the stored versions; [`load`] only fetches them. Only
//! `sharing::read` calls `load`, after the access check.

use super::Scope;
use crate::db::Db;
use crate::http::error::ApiError;
use app::model::record::{Family, Kind, RecordId, Version};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

/// A record as a recipient sees it: its latest version.
#[derive(Clone, Debug, Serialize)]
pub struct SharedRecord {
    pub id: String,
    pub kind: String,
    pub version: Version,
}

/// The records `scope` covers among `stored` (every version of the candidates): each
/// record's latest version by HLC; records whose latest version is a deletion are left out.
/// For a section: the section itself and the items whose latest body names it (an item moved
/// to another section leaves the share with its move).
pub fn in_scope(scope: Scope, stored: Vec<(String, String, Version)>) -> Vec<SharedRecord> {
    let mut latest: BTreeMap<String, (String, Version)> = BTreeMap::new();
    for (id, kind, version) in stored {
        match latest.get(&id) {
            Some((_, seen)) if seen.hlc >= version.hlc => {}
            _ => {
                latest.insert(id, (kind, version));
            }
        }
    }
    latest
        .into_iter()
        .filter(|(_, (_, version))| !version.deleted)
        .filter(|(id, (kind, version))| match scope {
            Scope::Wheel => Kind::parse(kind).is_ok_and(|k| k.family() == Family::Wheel),
            Scope::Section(section) => match Kind::parse(kind) {
                Ok(Kind::PlanSection) => RecordId::parse(id).is_ok_and(|id| id == section),
                Ok(Kind::PlanItem) => version
                    .body
                    .get("section")
                    .and_then(|s| s.as_str())
                    .and_then(|s| RecordId::parse(s).ok())
                    .is_some_and(|s| s == section),
                _ => false,
            },
            // A check-in relationship shares no records.
            Scope::Checkins => false,
        })
        .map(|(id, (kind, version))| SharedRecord { id, kind, version })
        .collect()
}

/// Every version of the owner's records of the kinds `scope` can cover, then [`in_scope`].
pub(super) async fn load(db: &Db, owner_id: &str, scope: Scope) -> Result<Vec<SharedRecord>, ApiError> {
    let kinds = match scope {
        Scope::Wheel => "kind LIKE 'wheel.%'",
        Scope::Section(_) => "kind IN ('plan.section', 'plan.item')",
        Scope::Checkins => return Ok(Vec::new()),
    };
    let rows = sqlx::query(&format!(
        "SELECT record_id, kind, version FROM record_versions WHERE user_id = $1 AND {kinds}"
    ))
    .bind(owner_id)
    .fetch_all(db.pool())
    .await?;
    let mut stored = Vec::with_capacity(rows.len());
    for row in rows {
        let version: String = row.try_get("version")?;
        let version: Version =
            serde_json::from_str(&version).map_err(|e| ApiError::Internal(format!("stored version: {e}")))?;
        stored.push((row.try_get("record_id")?, row.try_get("kind")?, version));
    }
    Ok(in_scope(scope, stored))
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::model::hlc::{DeviceId, Hlc};
    use serde_json::json;

    const SECTION: &str = "0190a000-0000-7000-8000-0000000000aa";
    const OTHER: &str = "0190a000-0000-7000-8000-0000000000bb";

    fn id(n: u32) -> String {
        format!("0190a000-0000-7000-8000-{n:012}")
    }

    fn version(wall_ms: u64, body: serde_json::Value) -> Version {
        let hlc = Hlc {
            wall_ms,
            counter: 0,
            device: DeviceId::parse("phone").unwrap(),
        };
        if body.is_null() {
            Version::tombstone(hlc)
        } else {
            Version::new(hlc, body)
        }
    }

    fn item(n: u32, wall_ms: u64, section: &str) -> (String, String, Version) {
        (
            id(n),
            "plan.item".into(),
            version(wall_ms, json!({"section": section, "text": "x", "position": 1})),
        )
    }

    #[test]
    fn a_section_share_holds_the_section_and_its_items_at_their_latest() {
        let section = Scope::Section(RecordId::parse(SECTION).unwrap());
        let stored = vec![
            (
                SECTION.into(),
                "plan.section".into(),
                version(1, json!({"name": "A", "position": 1})),
            ),
            (
                OTHER.into(),
                "plan.section".into(),
                version(1, json!({"name": "B", "position": 2})),
            ),
            item(1, 5, SECTION),
            // Moved away later: out.
            item(2, 5, SECTION),
            item(2, 9, OTHER),
            // Moved in later (versions in any order): in, at the newer version.
            item(3, 9, SECTION),
            item(3, 5, OTHER),
            // Deleted: out.
            item(4, 5, SECTION),
            (id(4), "plan.item".into(), version(7, json!(null))),
        ];
        let records = in_scope(section, stored);
        let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, [id(1).as_str(), id(3).as_str(), SECTION]);
        assert_eq!(records[1].version.hlc.wall_ms, 9);
    }

    #[test]
    fn a_wheel_share_holds_wheel_records_only() {
        let stored = vec![
            (
                id(1),
                "wheel.area".into(),
                version(1, json!({"name": "Jobb", "position": 1})),
            ),
            item(2, 1, SECTION),
        ];
        let records = in_scope(Scope::Wheel, stored);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].kind, "wheel.area");
    }
}
