//! Check-ins sent and fetched at the same moment, as under load: on SQLite their small writes
//! share one transaction (`Db::write`'s group commit), each in its own savepoint. The
//! promises hold write by write: an answer means stored, one refused is rolled back alone,
//! a retry stores nothing twice, the daily limit is exact; and a fetch with nothing new
//! changes nothing.

use crate::both_databases;
use crate::checkins::{kari_and_ola, mid, people};
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Sends every `(cookie, body)` at once; their statuses and answers, in order.
async fn all_at_once(app: &TestApp, rel: &str, sends: Vec<(String, Value)>) -> Vec<(StatusCode, Value)> {
    let mut running = tokio::task::JoinSet::new();
    let path = app.url(&format!("/api/v1/checkins/{rel}/messages"));
    for (n, (cookie, body)) in sends.into_iter().enumerate() {
        let request = app.client.post(&path).header("cookie", cookie).json(&body);
        running.spawn(async move {
            let response = request.send().await.unwrap();
            let status = response.status();
            (n, status, response.json::<Value>().await.unwrap_or(Value::Null))
        });
    }
    let mut answers = Vec::new();
    while let Some(done) = running.join_next().await {
        answers.push(done.unwrap());
    }
    answers.sort_by_key(|(n, _, _)| *n);
    answers.into_iter().map(|(_, s, v)| (s, v)).collect()
}

/// How many rows message `n` has (0 or 1).
async fn rows(app: &TestApp, n: u32) -> i64 {
    app.count("checkin_messages", &format!("id = '{}'", mid(n))).await
}

fn text(n: u32) -> Value {
    json!({"id": mid(n), "kind": "text", "text": "hei"})
}

both_databases!(concurrent_sends_keep_every_promise, |app: TestApp| async move {
    let (kari, ola, rel) = kari_and_ola(&app).await;
    // Ola: 30 new messages (only 20 fit in a day) and 4 copies of one more; Kari: 3.
    let mut sends: Vec<(String, Value)> = (1..=30).map(|n| (ola.clone(), text(n))).collect();
    sends.extend((0..4).map(|_| (ola.clone(), text(50))));
    sends.extend((40..43).map(|n| (kari.clone(), text(n))));
    let answers = all_at_once(&app, &rel, sends).await;
    let with = |range: std::ops::Range<usize>, status: StatusCode| {
        answers[range].iter().filter(|(s, _)| *s == status).count()
    };

    // Of Ola's: 20 stored, each 201 stored and each 429 not.
    let ola_rows = "sender_id = (SELECT id FROM users WHERE username = 'ola')";
    assert_eq!(app.count("checkin_messages", ola_rows).await, 20);
    assert_eq!(with(0..34, StatusCode::CREATED), 20, "{answers:?}");
    for (n, (status, body)) in answers[..30].iter().enumerate() {
        let stored = rows(&app, n as u32 + 1).await;
        match *status {
            StatusCode::CREATED => {
                assert_eq!(stored, 1, "answered 201 but not stored: {body}");
                assert_eq!(body["id"], mid(n as u32 + 1).as_str());
                assert_eq!(body["mine"], true);
                assert!(body["delivered_ms"].is_null());
            }
            StatusCode::TOO_MANY_REQUESTS => {
                assert_eq!(stored, 0, "refused but stored");
                assert_eq!(body["error"], "daily_limit");
            }
            other => panic!("{other}: {body}"),
        }
    }
    // The copies of one message: stored at most once, by the one answered 201; the
    // others are the retry's 200 (or, over the limit before it was stored, 429).
    let copies = rows(&app, 50).await;
    assert!(copies <= 1);
    assert_eq!(with(30..34, StatusCode::CREATED) as i64, copies, "{answers:?}");
    let settled = with(30..34, StatusCode::CREATED)
        + with(30..34, StatusCode::OK)
        + with(30..34, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(settled, 4, "{answers:?}");
    if copies == 0 {
        assert_eq!(with(30..34, StatusCode::OK), 0, "a retry of nothing stored");
    }
    // Kari's three went through beside Ola's refused ones.
    assert_eq!(with(34..37, StatusCode::CREATED), 3, "{answers:?}");
    app.stop().await;
});

both_databases!(
    a_fetch_with_nothing_new_changes_nothing,
    |app: TestApp| async move {
        let (kari, ola, rel) = kari_and_ola(&app).await;
        let (status, _) = crate::checkins::send(&app, &ola, &rel, text(1)).await;
        assert_eq!(status, StatusCode::CREATED);
        let delivered = "SELECT delivered_ms FROM checkin_messages";
        let first = people(&app, &kari).await;
        let at = first[0]["messages"][0]["delivered_ms"].as_i64().unwrap();
        assert_eq!(app.scalar(delivered).await, at);
        // Later fetches find nothing new: the mark stays the first fetch's.
        app.execute(&format!(
            "UPDATE checkin_messages SET delivered_ms = {}",
            at - 60_000
        ))
        .await;
        for _ in 0..3 {
            let again = people(&app, &kari).await;
            assert_eq!(again[0]["messages"][0]["delivered_ms"], at - 60_000);
        }
        assert_eq!(app.scalar(delivered).await, at - 60_000);
        // The sender's own fetches never mark their own messages.
        people(&app, &ola).await;
        let (status, _) = crate::checkins::send(&app, &ola, &rel, text(2)).await;
        assert_eq!(status, StatusCode::CREATED);
        people(&app, &ola).await;
        let unmarked = app.count("checkin_messages", "delivered_ms IS NULL").await;
        assert_eq!(unmarked, 1);
        app.stop().await;
    }
);
