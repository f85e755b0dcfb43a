//! Sync protocol v1 against the real server, on SQLite and on PostgreSQL: push and pull,
//! idempotency, ordering, conflicts, limits (413) and malformed changes (422), and that a
//! refused request applies nothing.

use crate::both_databases;
use crate::helpers::{create_account as account, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const SECTION: &str = "0190a000-0000-7000-8000-0000000000ff";

fn id(n: u32) -> String {
    format!("0190a000-0000-7000-8000-{n:012}")
}

fn item(n: u32, wall_ms: u64, device: &str, text: &str) -> Value {
    json!({"id": id(n), "kind": "plan.item", "version": {
        "hlc": {"wall_ms": wall_ms, "counter": 0, "device": device}, "deleted": false, "schema": 1,
        "body": {"section": SECTION, "text": text, "position": 1024}}})
}

async fn sync(app: &TestApp, cookie: &str, body: Value) -> (StatusCode, Value) {
    let response = app
        .send(Method::POST, "/api/v1/sync", Some(body), Some(cookie))
        .await;
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

both_databases!(push_pull_and_the_same_push_twice, |app: TestApp| async move {
    let kari = account(&app, "kari").await;
    let changes = json!([
        item(1, 10, "phone", "Gå en tur"),
        item(2, 11, "phone", "Ring Ola")
    ]);
    let (status, body) = sync(
        &app,
        &kari,
        json!({"device": "phone", "since": 0, "changes": changes}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["cursor"], 2);
    assert_eq!(body["changes"].as_array().unwrap().len(), 2);
    assert_eq!(body["changes"][0]["version"]["body"]["text"], "Gå en tur");
    assert_eq!(body["conflicts"], json!([]));

    // The same push again (a retry after a lost answer): nothing new is stored.
    let (status, again) = sync(
        &app,
        &kari,
        json!({"device": "phone", "since": 2, "changes": changes}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["changes"], json!([]));
    assert_eq!(again["cursor"], 2);
    assert_eq!(app.count("record_versions", "1 = 1").await, 2);

    // Another user sees none of it.
    let ola = account(&app, "ola").await;
    let (_, theirs) = sync(&app, &ola, json!({"device": "laptop", "since": 0})).await;
    assert_eq!(theirs["changes"], json!([]));

    // Without a session: 401.
    let anonymous = app
        .send(Method::POST, "/api/v1/sync", Some(json!({"device": "x"})), None)
        .await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
});

both_databases!(
    two_devices_pull_in_order_and_see_conflicts,
    |app: TestApp| async move {
        let kari = account(&app, "kari").await;
        sync(
            &app,
            &kari,
            json!({"device": "phone", "changes": [item(1, 100, "phone", "fra telefonen")]}),
        )
        .await;
        // The laptop, offline for a while, pushes an older edit of the same item: it loses, and
        // is told so; both versions are kept for the app to show.
        let (status, body) = sync(
            &app,
            &kari,
            json!({"device": "laptop", "since": 0,
        "changes": [item(1, 50, "laptop", "fra pc-en"), item(3, 60, "laptop", "nytt")]}),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["conflicts"], json!([id(1)]));
        let seqs: Vec<i64> = body["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["seq"].as_i64().unwrap())
            .collect();
        assert_eq!(seqs, [1, 2, 3]);
        let (_, from_two) = sync(&app, &kari, json!({"device": "phone", "since": 2})).await;
        assert_eq!(from_two["changes"].as_array().unwrap().len(), 1);
        assert_eq!(from_two["changes"][0]["id"], id(3));
        app.stop().await;
    }
);

both_databases!(limits_and_bad_changes_apply_nothing, |app: TestApp| async move {
    let kari = account(&app, "kari").await;
    let good = item(1, 10, "phone", "ok");

    let many: Vec<Value> = (0..501).map(|n| item(n + 10, 10, "phone", "x")).collect();
    let (status, body) = sync(&app, &kari, json!({"device": "phone", "changes": many})).await;
    assert_eq!(
        (status, body["limit"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("changes"))
    );

    let big: Vec<Value> = (0..40)
        .map(|n| item(n + 10, 10, "phone", &"x".repeat(1000)).clone())
        .collect();
    let mut huge = json!({"device": "phone", "changes": big});
    huge["padding"] = json!("y".repeat(1024 * 1024));
    let (status, body) = sync(&app, &kari, huge).await;
    assert_eq!(
        (status, body["limit"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("request_bytes"))
    );

    let mut fat = item(2, 10, "phone", "x");
    fat["version"]["body"]["extra"] = json!("z".repeat(70 * 1024));
    let (status, body) = sync(&app, &kari, json!({"device": "phone", "changes": [good, fat]})).await;
    assert_eq!(
        (status, body["limit"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("record_bytes"))
    );

    let mut unknown = item(3, 10, "phone", "x");
    unknown["kind"] = json!("checkin.note");
    let (status, body) = sync(
        &app,
        &kari,
        json!({"device": "phone", "changes": [good, unknown]}),
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("changes[1].kind"))
    );

    let rating = json!({"id": id(4), "kind": "wheel.rating", "version": {
        "hlc": {"wall_ms": 5, "counter": 0, "device": "phone"}, "deleted": false, "schema": 1,
        "body": {"area": id(5), "date": "2026-11-23", "performance": 11}}});
    let (status, body) = sync(&app, &kari, json!({"device": "phone", "changes": [good, rating]})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("changes[1].version.body"))
    );
    assert!(
        body["message"].as_str().unwrap().contains("from 1 to 10, not 11"),
        "{body}"
    );

    let (status, body) = sync(&app, &kari, json!({"device": "", "changes": [good]})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("device"))
    );
    assert_eq!(
        app.count("record_versions", "1 = 1").await,
        0,
        "nothing of a refused request is applied"
    );

    // The same timestamp with other content is damage or forgery: refused, the first kept.
    let (status, _) = sync(&app, &kari, json!({"device": "phone", "changes": [good]})).await;
    assert_eq!(status, StatusCode::OK);
    let forged = item(1, 10, "phone", "endret i smug");
    let (status, body) = sync(&app, &kari, json!({"device": "phone", "changes": [forged]})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("changes[0].version.hlc"))
    );
    assert_eq!(app.count("record_versions", "1 = 1").await, 1);
    app.stop().await;
});
