//! Two server processes (the real binary) on one PostgreSQL database: an account made
//! through one logs in through the other, two devices syncing through different processes
//! lose and duplicate nothing, the login throttle is one count across both, and an
//! invitation code made on one is accepted on the other (the shared `server.secret`).

use crate::crash::ServerProcess;
use crate::helpers::{built_site, database_name, drop_postgres, fresh_postgres};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashSet;
use tempfile::TempDir;

const PASS: &str = "en lang og god passfrase";

async fn post(url: &str, path: &str, body: Value, cookie: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().post(format!("{url}{path}")).json(&body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

fn cookie_of(response: &reqwest::Response) -> String {
    let header = response.headers()["set-cookie"].to_str().unwrap();
    header.split(';').next().unwrap().to_owned()
}

fn change(device: &str, n: u32) -> Value {
    json!({"id": format!("0190d000-0000-7000-8000-{n:012}"), "kind": "wheel.area", "version": {
        "hlc": {"wall_ms": 1000 + n, "counter": 0, "device": device},
        "deleted": false, "schema": 1, "body": {"name": format!("Område {n}"), "position": 1024}}})
}

#[tokio::test]
async fn two_server_processes_share_one_postgres() {
    if std::env::var("TEST_DATABASE_URL").is_err() {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    }
    let (url, admin) = fresh_postgres().await;
    let site = built_site();
    let (first_data, second_data) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let first = ServerProcess::start(site.path(), first_data.path(), Some(&url)).await;
    // The second instance gets the first one's secret, as the README says to do.
    std::fs::copy(
        first_data.path().join("server.secret"),
        second_data.path().join("server.secret"),
    )
    .unwrap();
    let second = ServerProcess::start(site.path(), second_data.path(), Some(&url)).await;
    let (a, b) = (first.url.as_str(), second.url.as_str());

    let credentials = json!({"username": "kari", "passphrase": PASS});
    let made = post(a, "/api/v1/accounts", credentials.clone(), None).await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let phone = cookie_of(&made);
    let logged_in = post(b, "/api/v1/session", credentials.clone(), None).await;
    assert_eq!(logged_in.status(), StatusCode::OK);
    let laptop = cookie_of(&logged_in);

    // Two devices push at the same time, each through its own process.
    let pushes = |url: String, cookie: String, device: &'static str, base: u32| async move {
        for round in 0..10 {
            let changes: Vec<Value> = (0..5).map(|k| change(device, base + round * 5 + k)).collect();
            let body = json!({"device": device, "since": 0, "changes": changes});
            let response = post(&url, "/api/v1/sync", body, Some(&cookie)).await;
            assert_eq!(response.status(), StatusCode::OK);
        }
    };
    tokio::join!(
        pushes(a.to_owned(), phone.clone(), "phone", 0),
        pushes(b.to_owned(), laptop.clone(), "laptop", 1000)
    );
    for (url, cookie) in [(a, &phone), (b, &laptop)] {
        let body = json!({"device": "check", "since": 0});
        let pulled: Value = post(url, "/api/v1/sync", body, Some(cookie))
            .await
            .json()
            .await
            .unwrap();
        let changes = pulled["changes"].as_array().unwrap();
        let seqs: Vec<i64> = changes.iter().map(|c| c["seq"].as_i64().unwrap()).collect();
        assert_eq!(seqs, (1..=100).collect::<Vec<i64>>(), "no holes, no repeats");
        let ids: HashSet<&str> = changes.iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 100);
    }

    // One throttle: three wrong logins through one process, two through the other, and the
    // next (right or wrong) is refused by either.
    let wrong = json!({"username": "kari", "passphrase": "feil passfrase her"});
    for url in [a, a, a, b, b] {
        let response = post(url, "/api/v1/session", wrong.clone(), None).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    for url in [a, b] {
        let response = post(url, "/api/v1/session", credentials.clone(), None).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    }

    // A code made through one process is accepted through the other.
    let ola = post(
        b,
        "/api/v1/accounts",
        json!({"username": "ola", "passphrase": PASS}),
        None,
    )
    .await;
    let ola = cookie_of(&ola);
    let created: Value = post(a, "/api/v1/shares", json!({"scope": "wheel"}), Some(&phone))
        .await
        .json()
        .await
        .unwrap();
    let accepted = post(
        b,
        "/api/v1/shares/accept",
        json!({"code": created["code"]}),
        Some(&ola),
    )
    .await;
    assert_eq!(accepted.status(), StatusCode::OK);

    drop((first, second));
    drop_postgres(&database_name(&url), &admin).await;
}
