//! Data protection through the real server, on both databases: cookies and headers, a
//! recipient leaving a share, the access log (paged back to its first entry, what was read,
//! denied attempts, append-only in the database), deleted text gone from the SQLite file,
//! and the purge of what is no longer needed.

use crate::both_databases;
use crate::helpers::{create_account, Database, TestApp, PASS};
use crate::sharing::{accept, area, call, live_share, push, share};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

both_databases!(cookies_and_headers_off_localhost, |app: TestApp| async move {
    // Reached by a public name (through a TLS proxy): a __Host- cookie and HSTS.
    let response = app
        .client
        .post(app.url("/api/v1/accounts"))
        .header("host", "tillit.example.no")
        .json(&json!({"username": "kari", "passphrase": PASS}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-tillit_session="), "{cookie}");
    assert!(
        cookie.contains("; Path=/;") && cookie.contains("; Secure"),
        "{cookie}"
    );
    assert!(!cookie.to_lowercase().contains("domain"), "{cookie}");
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    assert_eq!(response.headers()["cross-origin-resource-policy"], "same-origin");
    let secure = cookie.split(';').next().unwrap().to_owned();
    let me = app
        .client
        .get(app.url("/api/v1/account"))
        .header("host", "tillit.example.no")
        .header("cookie", &secure)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);

    // On plain localhost: the plain name and no HSTS; the resource policy everywhere.
    let local = app.get("/").await;
    assert!(local.headers().get("strict-transport-security").is_none());
    assert_eq!(local.headers()["cross-origin-resource-policy"], "same-origin");

    // Two session cookies, even both valid: no session.
    let other = create_account(&app, "ola").await;
    let token = secure.split_once('=').unwrap().1;
    let both = format!("{other}; __Host-tillit_session={token}");
    let two = app.send(Method::GET, "/api/v1/account", None, Some(&both)).await;
    assert_eq!(two.status(), StatusCode::UNAUTHORIZED);

    // A sync body that is not JSON: 415, whatever it holds.
    let form = app
        .client
        .post(app.url("/api/v1/sync"))
        .header("cookie", &other)
        .header("content-type", "text/plain")
        .body(r#"{"device":"d"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let error: Value = form.json().await.unwrap();
    assert_eq!(error["error"], "unsupported_media_type");
    app.stop().await;
});

both_databases!(a_recipient_can_leave_a_share, |app: TestApp| async move {
    let kari = create_account(&app, "kari").await;
    let ola = create_account(&app, "ola").await;
    push(&app, &kari, vec![area(1, 1, "Jobb")]).await;
    let id = live_share(&app, &kari, &ola, "wheel").await;
    // A known contact: Kari can share straight to Ola.
    let (status, _) = share(&app, &kari, json!({"scope": "wheel", "recipient": "ola"})).await;
    assert_eq!(status, StatusCode::CREATED);

    // Only the recipient can leave; the owner revokes instead.
    let path = format!("/api/v1/shares/{id}/leave");
    assert_eq!(
        call(&app, Method::POST, &path, None, Some(&kari)).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(&app, Method::POST, &path, None, Some(&ola)).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(&app, Method::POST, &path, None, Some(&ola)).await.0,
        StatusCode::NO_CONTENT
    );
    let records = format!("/api/v1/shares/{id}/records");
    assert_eq!(
        call(&app, Method::GET, &records, None, Some(&ola)).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, lists) = call(&app, Method::GET, "/api/v1/shares", None, Some(&kari)).await;
    let given = lists["given"].as_array().unwrap();
    let left = given.iter().find(|s| s["id"] == id.as_str()).unwrap();
    assert_eq!(left["status"], "left");
    assert!(left["left_ms"].is_i64());

    // After leaving, the earlier acceptance no longer makes Ola a known contact.
    let (status, _) = share(&app, &kari, json!({"scope": "wheel", "recipient": "ola"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, log) = call(&app, Method::GET, "/api/v1/consent-log", None, Some(&kari)).await;
    assert_eq!(log["entries"][0]["event"], "share_left");
    assert_eq!(log["entries"][0]["recipient"], "ola");
    // Only a new invitation, accepted, makes them one again.
    let (_, created) = share(&app, &kari, json!({"scope": "wheel"})).await;
    assert_eq!(
        accept(&app, &ola, created["code"].as_str().unwrap()).await.0,
        StatusCode::OK
    );
    let (status, _) = share(&app, &kari, json!({"scope": "wheel", "recipient": "ola"})).await;
    assert_eq!(status, StatusCode::CREATED);
    app.stop().await;
});

both_databases!(
    the_access_log_is_complete_and_append_only,
    |app: TestApp| async move {
        let kari = create_account(&app, "kari").await;
        let ola = create_account(&app, "ola").await;
        push(&app, &kari, vec![area(1, 1, "Jobb"), area(2, 1, "Familie")]).await;
        let id = live_share(&app, &kari, &ola, "wheel").await;
        // 1,100 reads, ten at a time.
        let records = format!("/api/v1/shares/{id}/records");
        for _ in 0..110 {
            let mut reads = tokio::task::JoinSet::new();
            for _ in 0..10 {
                let request = app.client.get(app.url(&records)).header("cookie", &ola);
                reads.spawn(async move { request.send().await.unwrap().status() });
            }
            while let Some(status) = reads.join_next().await {
                assert_eq!(status.unwrap(), StatusCode::OK);
            }
        }
        // The owner pages back to the very first read.
        let mut seen = Vec::new();
        let mut path = "/api/v1/access-log".to_owned();
        loop {
            let (status, page) = call(&app, Method::GET, &path, None, Some(&kari)).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            seen.extend(page["entries"].as_array().unwrap().iter().cloned());
            match page["next_before"].as_i64() {
                Some(before) => path = format!("/api/v1/access-log?before={before}"),
                None => break,
            }
        }
        assert_eq!(seen.len(), 1100);
        let seqs: Vec<i64> = seen.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
        assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first, no repeats");
        // Each names what was read.
        let first = seen.last().unwrap();
        assert_eq!(first["outcome"], "read");
        assert_eq!(first["records"], 2);
        let mut ids: Vec<&str> = first["record_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        ids.sort();
        assert_eq!(ids, [crate::sharing::id(1), crate::sharing::id(2)]);
        let small = "/api/v1/access-log?limit=0";
        assert_eq!(
            call(&app, Method::GET, small, None, Some(&kari)).await.0,
            StatusCode::UNPROCESSABLE_ENTITY
        );

        // Revoked: Ola's next attempt is refused and logged as denied.
        let revoke = format!("/api/v1/shares/{id}");
        assert_eq!(
            call(&app, Method::DELETE, &revoke, None, Some(&kari)).await.0,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            call(&app, Method::GET, &records, None, Some(&ola)).await.0,
            StatusCode::NOT_FOUND
        );
        let (_, page) = call(&app, Method::GET, "/api/v1/access-log?limit=1", None, Some(&kari)).await;
        let newest = &page["entries"][0];
        assert_eq!(
            (
                newest["outcome"].as_str(),
                newest["reader"].as_str(),
                newest["records"].as_i64()
            ),
            (Some("denied"), Some("ola"), Some(0))
        );

        // The database itself refuses to change or remove log rows.
        for sql in [
            "UPDATE access_log SET reader_id = 'someone else'",
            "DELETE FROM access_log",
            "UPDATE consent_log SET event = 'share_created'",
            "DELETE FROM consent_log",
        ] {
            let refused = app.try_execute(sql).await;
            assert!(
                refused.as_ref().is_err_and(|e| e.contains("append-only")),
                "{sql}: {refused:?}"
            );
        }
        if app.database == Database::Postgres {
            let refused = app.try_execute("TRUNCATE access_log").await;
            assert!(refused.is_err_and(|e| e.contains("append-only")));
        }
        assert_eq!(app.count("access_log", "1 = 1").await, 1101);
        app.stop().await;
    }
);

both_databases!(
    a_deleted_accounts_text_is_gone_from_the_disk,
    |app: TestApp| async move {
        let kari = create_account(&app, "kari").await;
        let marker = "MARKØR-9f3c1e-uniq";
        push(&app, &kari, vec![area(1, 1, marker)]).await;
        if app.database == Database::Sqlite {
            assert!(
                sqlite_files_contain(&app, marker),
                "the marker is stored at first"
            );
        }
        let deleted = app
            .send(
                Method::DELETE,
                "/api/v1/account",
                Some(json!({"passphrase": PASS})),
                Some(&kari),
            )
            .await;
        assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
        assert_eq!(app.count("record_versions", "1 = 1").await, 0);
        if app.database == Database::Sqlite {
            assert!(!sqlite_files_contain(&app, marker), "secure_delete zeroed it");
        }
        app.stop().await;
    }
);

/// Whether the SQLite database file or its write-ahead log holds `text`.
fn sqlite_files_contain(app: &TestApp, text: &str) -> bool {
    let dir = app.data.path().join("data");
    ["tillit.sqlite3", "tillit.sqlite3-wal"].iter().any(|name| {
        std::fs::read(dir.join(name))
            .is_ok_and(|bytes| bytes.windows(text.len()).any(|window| window == text.as_bytes()))
    })
}

both_databases!(
    expired_sessions_and_old_throttle_rows_are_purged,
    |app: TestApp| async move {
        let kari = create_account(&app, "kari").await;
        create_account(&app, "ola").await;
        let wrong = json!({"username": "kari", "passphrase": "feil passfrase her"});
        app.send(Method::POST, "/api/v1/session", Some(wrong), None).await;
        let day = 24 * 3600 * 1000_i64;
        // Ola's session idle for 31 days; the throttle rows from two hours ago.
        app.execute(&format!(
            "UPDATE sessions SET last_seen_ms = last_seen_ms - {} WHERE user_id = \
         (SELECT id FROM users WHERE username = 'ola')",
            31 * day
        ))
        .await;
        let (sessions, throttles) = (
            app.count("sessions", "1 = 1").await,
            app.count("login_failures", "1 = 1").await,
        );
        assert_eq!(sessions, 2);
        assert!(throttles >= 2, "kari's failure and the sign-ups' address");
        app.execute("UPDATE login_failures SET window_start_ms = window_start_ms - 7200000")
            .await;
        let purged = server::maintenance::purge(&app.db().await, server::accounts::now_ms())
            .await
            .unwrap();
        assert_eq!(purged.sessions, 1);
        assert_eq!(purged.throttle_rows, throttles as u64);
        assert_eq!(app.count("login_failures", "1 = 1").await, 0);
        // Kari's live session is kept.
        let me = app.send(Method::GET, "/api/v1/account", None, Some(&kari)).await;
        assert_eq!(me.status(), StatusCode::OK);
        app.stop().await;
    }
);
