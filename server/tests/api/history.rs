//! History compaction through the real server: versions older than the keeping period are
//! thinned to the last one of each day; the newest version of a record, every conflict loser
//! and every version that arrived recently stay; the quota use shrinks by exactly what went;
//! a new phone's pull gets the current state, and the account's sequence goes on.

use crate::both_databases;
use crate::helpers::{create_account, Database, TestApp};
use crate::sharing::{area, call, id, push};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use server::checkins::DAY_MS;
use server::history::{compact, DEFAULT_KEEP_MS};
use std::collections::HashMap;

/// Record 1 (wheel area) with wall times in ms; `device` made it.
fn version(record: u32, wall_ms: i64, device: &str) -> Value {
    let mut change = area(record, wall_ms as u64, &format!("Jobb {wall_ms}"));
    change["version"]["hlc"]["device"] = json!(device);
    change
}

/// The stored bytes of the account's versions, counted by the database.
async fn stored(app: &TestApp) -> (i64, i64) {
    let bytes = match app.database {
        Database::Sqlite => "LENGTH(CAST(version AS BLOB))",
        Database::Postgres => "OCTET_LENGTH(version)",
    };
    let counted = app
        .scalar(&format!(
            "SELECT CAST(COALESCE(SUM({bytes}), 0) AS BIGINT) FROM record_versions"
        ))
        .await;
    let quota_use = app
        .scalar("SELECT stored_bytes FROM users WHERE username = 'kari'")
        .await;
    (counted, quota_use)
}

/// What a new phone pulls from the start: the newest version's wall time per record, and
/// the cursor it ends at.
async fn fresh_pull(app: &TestApp, cookie: &str) -> (HashMap<String, i64>, i64) {
    let (status, body) = call(
        app,
        Method::POST,
        "/api/v1/sync",
        Some(json!({"device": "new-phone", "since": 0})),
        Some(cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["more"], false);
    let mut newest: HashMap<String, i64> = HashMap::new();
    for change in body["changes"].as_array().unwrap() {
        let wall = change["version"]["hlc"]["wall_ms"].as_i64().unwrap();
        let entry = newest
            .entry(change["id"].as_str().unwrap().to_owned())
            .or_default();
        *entry = (*entry).max(wall);
    }
    (newest, body["cursor"].as_i64().unwrap())
}

both_databases!(
    old_history_is_thinned_to_one_version_a_day,
    |app: TestApp| async move {
        let kari = create_account(&app, "kari").await;
        let now = server::accounts::now_ms();
        let day0 = (now / DAY_MS - 200) * DAY_MS;
        let day1 = day0 + DAY_MS;
        let recent = now - 10 * DAY_MS;
        let minute = 60_000;
        // Record 1: four versions on an old day, three on the next, three recent ones.
        let mut changes: Vec<Value> = (0..4).map(|k| version(1, day0 + k * minute, "phone")).collect();
        changes.extend((0..3).map(|k| version(1, day1 + k * minute, "phone")));
        changes.extend((0..3).map(|k| version(1, recent + k * minute, "phone")));
        // Record 2: five versions on the old day only; its newest is old.
        changes.extend((0..5).map(|k| version(2, day0 + k * minute, "phone")));
        push(&app, &kari, changes).await;
        // The laptop had been offline since day 0: its version loses to the phone's newer one.
        let (status, answer) = call(
            &app,
            Method::POST,
            "/api/v1/sync",
            Some(json!({"device": "laptop", "changes": [version(1, day0 + minute / 2, "laptop")]})),
            Some(&kari),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["conflicts"], json!([id(1)]));
        // All of that arrived long ago…
        app.execute(&format!(
            "UPDATE record_versions SET received_ms = received_ms - {}",
            100 * DAY_MS
        ))
        .await;
        // …but this one, written on day 1 by a phone that was away, arrives now.
        push(&app, &kari, vec![version(1, day1 + minute / 2, "phone")]).await;
        let (before_pull, before_cursor) = fresh_pull(&app, &kari).await;
        let (bytes_before, quota_before) = stored(&app).await;
        assert_eq!(bytes_before, quota_before);
        assert_eq!(app.count("record_versions", "1 = 1").await, 17);

        let db = app.db().await;
        let thinned = compact(&db, now, DEFAULT_KEEP_MS).await.unwrap();
        assert_eq!(thinned.versions, 9, "{thinned:?}");
        let kept_walls = |record: u32| {
            let app = &app;
            async move {
                let mut walls = Vec::new();
                for wall in [0, 1, 2, 3, 4].map(|k| day0 + k * minute).into_iter().chain(
                    [0, 1, 2]
                        .map(|k| day1 + k * minute)
                        .into_iter()
                        .chain([day0 + minute / 2, day1 + minute / 2]),
                ) {
                    let condition = format!("record_id = '{}' AND wall_ms = {wall}", id(record));
                    if app.count("record_versions", &condition).await > 0 {
                        walls.push(wall);
                    }
                }
                walls
            }
        };
        // Record 1: the last of day 0 and of day 1, the conflict loser, the late arrival.
        assert_eq!(
            kept_walls(1).await,
            vec![
                day0 + 3 * minute,
                day1 + 2 * minute,
                day0 + minute / 2,
                day1 + minute / 2
            ]
        );
        assert_eq!(
            app.count(
                "record_versions",
                &format!("record_id = '{}' AND wall_ms >= {recent}", id(1))
            )
            .await,
            3,
            "every recent version stays"
        );
        // Record 2: its newest only.
        assert_eq!(kept_walls(2).await, vec![day0 + 4 * minute]);
        assert_eq!(app.count("record_versions", "conflict_loser = 1").await, 1);

        // The quota use shrank by exactly what went, and still matches what is stored.
        let (bytes_after, quota_after) = stored(&app).await;
        assert_eq!(bytes_after, quota_after);
        assert_eq!(quota_before - quota_after, thinned.bytes);
        assert!(thinned.bytes > 0);

        // A new phone gets the same state; the sequence goes on after the gaps.
        let (after_pull, after_cursor) = fresh_pull(&app, &kari).await;
        assert_eq!(after_pull, before_pull);
        assert_eq!(after_cursor, before_cursor);
        push(&app, &kari, vec![version(2, now, "phone")]).await;
        let (status, body) = call(
            &app,
            Method::POST,
            "/api/v1/sync",
            Some(json!({"device": "new-phone", "since": after_cursor})),
            Some(&kari),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["changes"].as_array().unwrap().len(), 1);
        assert_eq!(body["changes"][0]["seq"], after_cursor + 1);

        // Again: nothing more to thin.
        assert_eq!(compact(&db, now, DEFAULT_KEEP_MS).await.unwrap().versions, 0);
        db.close().await;
        app.stop().await;
    }
);
