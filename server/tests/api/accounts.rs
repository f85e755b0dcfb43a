//! Accounts and sessions against the real server, on SQLite and on PostgreSQL.

use crate::both_databases;
use crate::helpers::{create_account as create, session_cookie, TestApp, PASS};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn log_in(app: &TestApp, name: &str, passphrase: &str) -> reqwest::Response {
    app.send(
        Method::POST,
        "/api/v1/session",
        Some(json!({"username": name, "passphrase": passphrase})),
        None,
    )
    .await
}

async fn error_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.unwrap())
}

both_databases!(create_log_in_and_out, |app: TestApp| async move {
    let response = app
        .send(
            Method::POST,
            "/api/v1/accounts",
            Some(json!({"username": " Kari ", "passphrase": PASS})),
            None,
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );
    let cookie = session_cookie(&response);
    let me: Value = app
        .send(Method::GET, "/api/v1/account", None, Some(&cookie))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "kari");
    // The token is stored hashed: the cookie's value is nowhere in the database.
    let token = cookie.split_once('=').unwrap().1;
    assert_eq!(app.count("sessions", &format!("token_hash = '{token}'")).await, 0);
    assert_eq!(app.count("sessions", "1 = 1").await, 1);

    // Taken, too short, malformed.
    let (status, body) = error_of(
        app.send(
            Method::POST,
            "/api/v1/accounts",
            Some(json!({"username": "KARI", "passphrase": PASS})),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::CONFLICT, Some("username"))
    );
    let (status, body) = error_of(
        app.send(
            Method::POST,
            "/api/v1/accounts",
            Some(json!({"username": "ola", "passphrase": "kort"})),
            None,
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("passphrase"))
    );
    let response = app
        .send(
            Method::POST,
            "/api/v1/accounts",
            Some(json!({"username": "ola"})),
            None,
        )
        .await;
    assert!(response.status().is_client_error());

    // Log out: the session no longer works.
    let out = app
        .send(Method::DELETE, "/api/v1/session", None, Some(&cookie))
        .await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert!(out.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let after = app
        .send(Method::GET, "/api/v1/account", None, Some(&cookie))
        .await;
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
    app.stop().await;
});

both_databases!(
    wrong_logins_look_alike_and_are_throttled,
    |app: TestApp| async move {
        create(&app, "kari").await;
        let (status, unknown) = error_of(log_in(&app, "nobody", PASS).await).await;
        let (status2, wrong) = error_of(log_in(&app, "kari", "feil passfrase her").await).await;
        assert_eq!(
            (status, status2),
            (StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED)
        );
        assert_eq!(
            unknown, wrong,
            "the same answer whether or not the account exists"
        );
        let ok = log_in(&app, "KARI", PASS).await;
        assert_eq!(ok.status(), StatusCode::OK);
        // A success clears the account's count; five failures in a row then lock it for a while.
        for _ in 0..5 {
            assert_eq!(
                log_in(&app, "kari", "feil passfrase her").await.status(),
                StatusCode::UNAUTHORIZED
            );
        }
        let locked = log_in(&app, "kari", PASS).await;
        assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
        let wait: u64 = locked.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!(wait > 0 && wait <= 15 * 60, "{wait}");
        // Another account from the same address is not locked by kari's count (the per-address
        // limit is higher).
        create(&app, "ola").await;
        assert_eq!(log_in(&app, "ola", PASS).await.status(), StatusCode::OK);
        app.stop().await;
    }
);

both_databases!(
    log_out_everywhere_and_change_passphrase,
    |app: TestApp| async move {
        let first = create(&app, "kari").await;
        let second = session_cookie(&log_in(&app, "kari", PASS).await);
        let third = session_cookie(&log_in(&app, "kari", PASS).await);

        // Changing the passphrase ends the other sessions, not this one.
        let wrong = app
            .send(
                Method::PUT,
                "/api/v1/account/passphrase",
                Some(json!({"current": "feil passfrase!", "new": "en ny og lang passfrase"})),
                Some(&first),
            )
            .await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        let short = app
            .send(
                Method::PUT,
                "/api/v1/account/passphrase",
                Some(json!({"current": PASS, "new": "kort"})),
                Some(&first),
            )
            .await;
        assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let changed = app
            .send(
                Method::PUT,
                "/api/v1/account/passphrase",
                Some(json!({"current": PASS, "new": "en ny og lang passfrase"})),
                Some(&first),
            )
            .await;
        assert_eq!(changed.status(), StatusCode::NO_CONTENT);
        assert_eq!(
            app.send(Method::GET, "/api/v1/account", None, Some(&first))
                .await
                .status(),
            StatusCode::OK
        );
        assert_eq!(
            app.send(Method::GET, "/api/v1/account", None, Some(&second))
                .await
                .status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            log_in(&app, "kari", PASS).await.status(),
            StatusCode::UNAUTHORIZED
        );
        let fourth = session_cookie(&log_in(&app, "kari", "en ny og lang passfrase").await);
        drop(third);

        // Log out everywhere.
        let all = app
            .send(Method::DELETE, "/api/v1/sessions", None, Some(&fourth))
            .await;
        assert_eq!(all.status(), StatusCode::NO_CONTENT);
        for cookie in [&first, &fourth] {
            assert_eq!(
                app.send(Method::GET, "/api/v1/account", None, Some(cookie))
                    .await
                    .status(),
                StatusCode::UNAUTHORIZED
            );
        }
        assert_eq!(app.count("sessions", "1 = 1").await, 0);
        app.stop().await;
    }
);

both_databases!(deleting_an_account_removes_all_of_it, |app: TestApp| async move {
    let cookie = create(&app, "kari").await;
    log_in(&app, "kari", "feil passfrase her").await;
    let item = json!({"id": "0190a000-0000-7000-8000-000000000001", "kind": "plan.item", "version": {
        "hlc": {"wall_ms": 1, "counter": 0, "device": "a"}, "deleted": false, "schema": 1,
        "body": {"section": "0190a000-0000-7000-8000-000000000002", "text": "Gå en tur", "position": 1024}}});
    let pushed = app
        .send(
            Method::POST,
            "/api/v1/sync",
            Some(json!({"device": "a", "since": 0, "changes": [item]})),
            Some(&cookie),
        )
        .await;
    assert_eq!(pushed.status(), StatusCode::OK);
    let other = create(&app, "ola").await;
    let id: Value = app
        .send(Method::GET, "/api/v1/account", None, Some(&cookie))
        .await
        .json()
        .await
        .unwrap();
    let id = id["id"].as_str().unwrap().to_owned();

    let refused = app
        .send(
            Method::DELETE,
            "/api/v1/account",
            Some(json!({"passphrase": "feil passfrase her"})),
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    let deleted = app
        .send(
            Method::DELETE,
            "/api/v1/account",
            Some(json!({"passphrase": PASS})),
            Some(&cookie),
        )
        .await;
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.count("users", &format!("id = '{id}'")).await, 0);
    assert_eq!(app.count("sessions", &format!("user_id = '{id}'")).await, 0);
    assert_eq!(
        app.count("record_versions", &format!("user_id = '{id}'")).await,
        0
    );
    assert_eq!(app.count("login_failures", "key = 'account:kari'").await, 0);
    assert_eq!(
        log_in(&app, "kari", PASS).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Nobody else is touched.
    assert_eq!(
        app.send(Method::GET, "/api/v1/account", None, Some(&other))
            .await
            .status(),
        StatusCode::OK
    );
    app.stop().await;
});

both_databases!(cross_site_requests_are_refused, |app: TestApp| async move {
    let response = app
        .client
        .post(app.url("/api/v1/accounts"))
        .header("origin", "https://evil.example")
        .json(&json!({"username": "kari", "passphrase": PASS}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let same = app
        .client
        .post(app.url("/api/v1/accounts"))
        .header("origin", format!("http://{}", app.addr))
        .header("sec-fetch-site", "same-origin")
        .json(&json!({"username": "kari", "passphrase": PASS}))
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::CREATED);
    assert_eq!(app.count("users", "1 = 1").await, 1);
    app.stop().await;
});

both_databases!(health_answers_on_either_database, |app: TestApp| async move {
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    app.stop().await;
});
