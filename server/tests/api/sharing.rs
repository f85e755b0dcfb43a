//! Sharing against the real server, on SQLite and on PostgreSQL: invitation codes, known
//! contacts, revocation, what a recipient sees (the shared section's records at their latest
//! version, deletions left out), the consent log and the access log, and that deleting the
//! owner's account removes it all.

use crate::both_databases;
pub use crate::helpers::create_account as account;
use crate::helpers::{TestApp, PASS};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub const SECTION: &str = "0190a000-0000-7000-8000-0000000000aa";
pub const OTHER_SECTION: &str = "0190a000-0000-7000-8000-0000000000bb";

pub fn id(n: u32) -> String {
    format!("0190a000-0000-7000-8000-{n:012}")
}

fn change(id: &str, kind: &str, wall_ms: u64, body: Value) -> Value {
    let deleted = body.is_null();
    json!({"id": id, "kind": kind, "version": {
        "hlc": {"wall_ms": wall_ms, "counter": 0, "device": "phone"},
        "deleted": deleted, "schema": 1, "body": body}})
}

pub fn section(id: &str, wall_ms: u64, name: &str) -> Value {
    change(
        id,
        "plan.section",
        wall_ms,
        json!({"name": name, "position": 1024}),
    )
}

pub fn item(n: u32, wall_ms: u64, section: &str, text: &str) -> Value {
    change(
        &id(n),
        "plan.item",
        wall_ms,
        json!({"section": section, "text": text, "position": 1024}),
    )
}

pub fn deleted(n: u32, kind: &str, wall_ms: u64) -> Value {
    change(&id(n), kind, wall_ms, Value::Null)
}

pub fn area(n: u32, wall_ms: u64, name: &str) -> Value {
    change(
        &id(n),
        "wheel.area",
        wall_ms,
        json!({"name": name, "position": 1024}),
    )
}

pub fn rating(n: u32, wall_ms: u64, area: u32) -> Value {
    change(
        &id(n),
        "wheel.rating",
        wall_ms,
        json!({"area": id(area), "date": "2026-11-23", "performance": 6}),
    )
}

pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
    cookie: Option<&str>,
) -> (StatusCode, Value) {
    let response = app.send(method, path, body, cookie).await;
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub async fn push(app: &TestApp, cookie: &str, changes: Vec<Value>) {
    let (status, body) = call(
        app,
        Method::POST,
        "/api/v1/sync",
        Some(json!({"device": "phone", "changes": changes})),
        Some(cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

pub async fn share(app: &TestApp, cookie: &str, body: Value) -> (StatusCode, Value) {
    call(app, Method::POST, "/api/v1/shares", Some(body), Some(cookie)).await
}

pub async fn accept(app: &TestApp, cookie: &str, code: &str) -> (StatusCode, Value) {
    call(
        app,
        Method::POST,
        "/api/v1/shares/accept",
        Some(json!({"code": code})),
        Some(cookie),
    )
    .await
}

/// A live share of `scope` from `owner` to `recipient` (by code); returns its id.
pub async fn live_share(app: &TestApp, owner: &str, recipient: &str, scope: &str) -> String {
    let (status, created) = share(app, owner, json!({"scope": scope})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, accepted) = accept(app, recipient, created["code"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    accepted["id"].as_str().unwrap().to_owned()
}

/// A date `days` from today in Norway (whose midnight ends a share), as `YYYY-MM-DD`.
fn day(days: i64) -> String {
    let now_ms = server::accounts::now_ms();
    // Today in Norway is the first of yesterday, today and tomorrow (UTC) not yet ended.
    let today = (-1..=1)
        .find(|k| server::sharing::Until::parse(&utc_day(now_ms / 1000, *k), now_ms).is_ok())
        .unwrap();
    utc_day(now_ms / 1000, today + days)
}

/// A date `days` from the UTC day of `now` (Unix seconds), as `YYYY-MM-DD`.
fn utc_day(now: i64, days: i64) -> String {
    // Howard Hinnant's civil_from_days.
    let z = now / 86_400 + days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

both_databases!(invitation_codes, |app: TestApp| async move {
    let kari = account(&app, "kari").await;
    let ola = account(&app, "ola").await;
    let scope = format!("section:{SECTION}");

    let (status, created) = share(&app, &kari, json!({"scope": scope, "until": day(30)})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "pending");
    assert_eq!(created["owner"], "kari");
    assert_eq!(created["recipient"], Value::Null);
    assert_eq!(created["until"], day(30));
    let code = created["code"].as_str().unwrap().to_owned();
    assert!(code.len() == 11 && &code[5..6] == "-", "{code}");
    // Only its hash is stored.
    assert_eq!(app.count("shares", &format!("code_hash = '{code}'")).await, 0);
    let without_hyphen = code.replace('-', "");
    assert_eq!(
        app.count("shares", &format!("code_hash = '{without_hyphen}'"))
            .await,
        0
    );

    // Your own code: 422. Then the recipient, typing it lower-case without the hyphen.
    let (status, body) = accept(&app, &kari, &code).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("code"))
    );
    let (status, accepted) = accept(&app, &ola, &without_hyphen.to_lowercase()).await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(accepted["status"], "live");
    assert_eq!(accepted["recipient"], "ola");
    assert_eq!(accepted["code"], Value::Null);
    // One use.
    let per = account(&app, "per").await;
    assert_eq!(accept(&app, &per, &code).await.0, StatusCode::NOT_FOUND);
    assert_eq!(accept(&app, &ola, &code).await.0, StatusCode::NOT_FOUND);
    // Unknown and malformed codes: the same 404.
    assert_eq!(accept(&app, &per, "AAAA-AAAA").await.0, StatusCode::NOT_FOUND);
    assert_eq!(accept(&app, &per, "not a code").await.0, StatusCode::NOT_FOUND);

    // Expired code: 404.
    let (_, old) = share(&app, &kari, json!({"scope": "wheel", "until": null})).await;
    assert_eq!(old["until"], Value::Null);
    app.execute(&format!(
        "UPDATE shares SET code_expires_ms = 1 WHERE id = '{}'",
        old["id"].as_str().unwrap()
    ))
    .await;
    assert_eq!(
        accept(&app, &per, old["code"].as_str().unwrap()).await.0,
        StatusCode::NOT_FOUND
    );

    // Bad scope, past or malformed until: 422 naming the field.
    for (body, field) in [
        (json!({"scope": "checkins"}), "scope"),
        (json!({"scope": "section:42"}), "scope"),
        (json!({"scope": "wheel", "until": day(-1)}), "until"),
        (json!({"scope": "wheel", "until": "31.12.2099"}), "until"),
    ] {
        let (status, error) = share(&app, &kari, body.clone()).await;
        assert_eq!(
            (status, error["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(field)),
            "{body}"
        );
    }
    // Today is allowed: live through the end of the day.
    assert_eq!(
        share(&app, &kari, json!({"scope": "wheel", "until": day(0)}))
            .await
            .0,
        StatusCode::CREATED
    );

    // Too many failed guesses: 429 with Retry-After (per account).
    let guesser = account(&app, "gjetter").await;
    for _ in 0..10 {
        assert_eq!(accept(&app, &guesser, "BBBB-BBBB").await.0, StatusCode::NOT_FOUND);
    }
    let response = app
        .send(
            Method::POST,
            "/api/v1/shares/accept",
            Some(json!({"code": "CCCC-CCCC"})),
            Some(&guesser),
        )
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().contains_key("retry-after"));
    app.stop().await;
});

both_databases!(
    known_contacts_revocation_and_the_consent_log,
    |app: TestApp| async move {
        let kari = account(&app, "kari").await;
        let ola = account(&app, "ola").await;
        account(&app, "per").await;
        let wheel = live_share(&app, &kari, &ola, "wheel").await;

        // Ola accepted before: a known contact, shared with straight away.
        let scope = format!("section:{SECTION}");
        let (status, direct) = share(&app, &kari, json!({"scope": scope, "recipient": "Ola"})).await;
        assert_eq!(status, StatusCode::CREATED, "{direct}");
        assert_eq!(
            (direct["status"].as_str(), direct["code"].as_str()),
            (Some("live"), None)
        );
        assert_eq!(direct["recipient"], "ola");
        // A stranger, or nobody: the same 404.
        for name in ["per", "nobody-here", "x"] {
            let (status, _) = share(&app, &kari, json!({"scope": "wheel", "recipient": name})).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{name}");
        }
        // And it is not symmetric: Kari has not accepted anything from Ola.
        assert_eq!(
            share(&app, &ola, json!({"scope": "wheel", "recipient": "kari"}))
                .await
                .0,
            StatusCode::NOT_FOUND
        );

        // Lists.
        let (_, lists) = call(&app, Method::GET, "/api/v1/shares", None, Some(&kari)).await;
        assert_eq!(lists["given"].as_array().unwrap().len(), 2);
        assert_eq!(lists["received"], json!([]));
        let (_, theirs) = call(&app, Method::GET, "/api/v1/shares", None, Some(&ola)).await;
        assert_eq!(theirs["received"].as_array().unwrap().len(), 2);
        assert!(theirs["received"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["code"].is_null()));

        // Revoke: owner only; twice is harmless.
        let path = format!("/api/v1/shares/{wheel}");
        assert_eq!(
            call(&app, Method::DELETE, &path, None, Some(&ola)).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            call(&app, Method::DELETE, &path, None, Some(&kari)).await.0,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            call(&app, Method::DELETE, &path, None, Some(&kari)).await.0,
            StatusCode::NO_CONTENT
        );
        assert_eq!(
            call(&app, Method::DELETE, "/api/v1/shares/nope", None, Some(&kari))
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        let (_, theirs) = call(&app, Method::GET, "/api/v1/shares", None, Some(&ola)).await;
        let revoked = theirs["received"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == wheel.as_str())
            .unwrap();
        assert_eq!(revoked["status"], "revoked");

        // The consent log, newest first: created, accepted, created (direct), revoked (once).
        let (status, log) = call(&app, Method::GET, "/api/v1/consent-log", None, Some(&kari)).await;
        assert_eq!(status, StatusCode::OK);
        let events: Vec<(&str, &str, Option<&str>)> = log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["event"].as_str().unwrap(),
                    e["scope"].as_str().unwrap(),
                    e["recipient"].as_str(),
                )
            })
            .collect();
        assert_eq!(
            events,
            [
                ("share_revoked", "wheel", Some("ola")),
                ("share_created", scope.as_str(), Some("ola")),
                ("share_accepted", "wheel", Some("ola")),
                ("share_created", "wheel", None),
            ]
        );
        assert_eq!(log["entries"][0]["share_id"], wheel.as_str());
        // Ola's own consent log holds none of Kari's.
        let (_, theirs) = call(&app, Method::GET, "/api/v1/consent-log", None, Some(&ola)).await;
        assert_eq!(theirs["entries"], json!([]));
        app.stop().await;
    }
);

both_databases!(
    what_a_recipient_reads_and_the_access_log,
    |app: TestApp| async move {
        let kari = account(&app, "kari").await;
        let ola = account(&app, "ola").await;
        push(
            &app,
            &kari,
            vec![
                section(SECTION, 10, "Hva jeg kan gjøre selv"),
                section(OTHER_SECTION, 10, "Andre ting"),
                item(1, 10, SECTION, "Gå en tur"),
                item(2, 10, SECTION, "Gammel tekst"),
                item(3, 10, SECTION, "Slettes"),
                item(4, 10, OTHER_SECTION, "Ikke delt"),
                item(5, 10, SECTION, "Flyttes bort"),
                area(6, 10, "Jobb"),
                rating(7, 10, 6),
            ],
        )
        .await;
        push(
            &app,
            &kari,
            vec![
                item(2, 20, SECTION, "Ny tekst"),
                deleted(3, "plan.item", 20),
                item(5, 20, OTHER_SECTION, "Flyttes bort"),
            ],
        )
        .await;
        let plan = live_share(&app, &kari, &ola, &format!("section:{SECTION}")).await;

        let (status, shared) = call(&app, Method::GET, "/api/v1/shared", None, Some(&ola)).await;
        assert_eq!(status, StatusCode::OK, "{shared}");
        assert_eq!(shared["shares"].as_array().unwrap().len(), 1);
        let records = shared["shares"][0]["records"].as_array().unwrap();
        let mut ids: Vec<&str> = records.iter().map(|r| r["id"].as_str().unwrap()).collect();
        ids.sort();
        let (one, two) = (id(1), id(2));
        assert_eq!(ids, [one.as_str(), two.as_str(), SECTION]);
        let edited = records.iter().find(|r| r["id"] == two.as_str()).unwrap();
        assert_eq!(edited["version"]["body"]["text"], "Ny tekst");
        assert_eq!(edited["kind"], "plan.item");
        assert_eq!(shared["shares"][0]["share"]["id"], plan.as_str());

        // One share on its own; and the wheel, shared too.
        let (status, one_share) = call(
            &app,
            Method::GET,
            &format!("/api/v1/shares/{plan}/records"),
            None,
            Some(&ola),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(one_share["records"].as_array().unwrap().len(), 3);
        let wheel = live_share(&app, &kari, &ola, "wheel").await;
        let (_, both) = call(&app, Method::GET, "/api/v1/shared", None, Some(&ola)).await;
        let counts: Vec<usize> = both["shares"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["records"].as_array().unwrap().len())
            .collect();
        assert_eq!(counts.iter().sum::<usize>(), 5, "{both}");
        // The owner reading their own share is not logged.
        let (status, _) = call(
            &app,
            Method::GET,
            &format!("/api/v1/shares/{wheel}/records"),
            None,
            Some(&kari),
        )
        .await;
        assert_eq!(status, StatusCode::OK);

        // Access log: one entry per read by Ola, newest first, with the counts.
        let (_, log) = call(&app, Method::GET, "/api/v1/access-log", None, Some(&kari)).await;
        let entries: Vec<(&str, &str, i64)> = log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["reader"].as_str().unwrap(),
                    e["share_id"].as_str().unwrap(),
                    e["records"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(entries.len(), 4, "{log}");
        assert!(entries.iter().all(|(reader, _, _)| *reader == "ola"));
        assert_eq!(entries[2], ("ola", plan.as_str(), 3));
        assert_eq!(entries[3], ("ola", plan.as_str(), 3));
        let mut last_two = vec![entries[0], entries[1]];
        last_two.sort_by_key(|e| e.2);
        assert_eq!(last_two, [("ola", wheel.as_str(), 2), ("ola", plan.as_str(), 3)]);
        // Ola's own access log is empty: nobody read Ola's data.
        let (_, theirs) = call(&app, Method::GET, "/api/v1/access-log", None, Some(&ola)).await;
        assert_eq!(theirs["entries"], json!([]));

        // When a reader deletes their account, the owner's log keeps the rows without the name.
        let response = app
            .send(
                Method::DELETE,
                "/api/v1/account",
                Some(json!({"passphrase": PASS})),
                Some(&ola),
            )
            .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        let (_, log) = call(&app, Method::GET, "/api/v1/access-log", None, Some(&kari)).await;
        assert_eq!(log["entries"].as_array().unwrap().len(), 4);
        assert!(log["entries"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["reader"] == "(slettet konto)"));
        assert_eq!(app.count("access_log", "1 = 1").await, 4);
        assert_eq!(
            app.count("shares", "1 = 1").await,
            0,
            "the recipient's shares went with the account"
        );
        app.stop().await;
    }
);

both_databases!(
    deleting_the_owner_removes_shares_and_logs,
    |app: TestApp| async move {
        let kari = account(&app, "kari").await;
        let ola = account(&app, "ola").await;
        push(&app, &kari, vec![area(6, 10, "Jobb")]).await;
        let wheel = live_share(&app, &kari, &ola, "wheel").await;
        share(&app, &kari, json!({"scope": "wheel"})).await;
        // Ola shares back, and Kari reads it: a row in Ola's access log with Kari as reader.
        let back = live_share(&app, &ola, &kari, "wheel").await;
        assert_eq!(
            call(&app, Method::GET, "/api/v1/shared", None, Some(&kari))
                .await
                .0,
            StatusCode::OK
        );
        assert_eq!(
            call(
                &app,
                Method::GET,
                &format!("/api/v1/shares/{wheel}/records"),
                None,
                Some(&ola)
            )
            .await
            .0,
            StatusCode::OK
        );
        assert_eq!(app.count("access_log", "1 = 1").await, 2);
        assert!(!back.is_empty());

        let response = app
            .send(
                Method::DELETE,
                "/api/v1/account",
                Some(json!({"passphrase": PASS})),
                Some(&kari),
            )
            .await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
        assert_eq!(app.count("shares", "1 = 1").await, 0);
        // Kari's consent log is gone; Ola's (the share to Kari) stays.
        let (_, ola_log) = call(&app, Method::GET, "/api/v1/consent-log", None, Some(&ola)).await;
        assert_eq!(
            app.count("consent_log", "1 = 1").await,
            ola_log["entries"].as_array().unwrap().len() as i64
        );
        assert_eq!(ola_log["entries"][0]["recipient"], "(slettet konto)");
        // Reads of Kari's data are gone; Kari's read of Ola's data stays in Ola's log, nameless.
        assert_eq!(app.count("access_log", "1 = 1").await, 1);
        let (_, access) = call(&app, Method::GET, "/api/v1/access-log", None, Some(&ola)).await;
        assert_eq!(access["entries"][0]["reader"], "(slettet konto)");
        // Kari's throttle rows went with the account (address rows are not hers).
        let hers = "key LIKE 'account:%' OR key LIKE 'share_code:%'";
        assert_eq!(app.count("login_failures", hers).await, 0);
        app.stop().await;
    }
);

both_databases!(at_most_fifty_live_or_pending_shares, |app: TestApp| async move {
    let kari = account(&app, "kari").await;
    let mut first = String::new();
    for n in 0..50 {
        let (status, created) = share(&app, &kari, json!({"scope": "wheel"})).await;
        assert_eq!(status, StatusCode::CREATED, "share {n}: {created}");
        if n == 0 {
            first = created["id"].as_str().unwrap().to_owned();
        }
    }
    let (status, error) = share(&app, &kari, json!({"scope": "wheel"})).await;
    assert_eq!(
        (status, error["field"].as_str()),
        (StatusCode::CONFLICT, Some("shares"))
    );
    // A revoked one no longer counts.
    let path = format!("/api/v1/shares/{first}");
    assert_eq!(
        call(&app, Method::DELETE, &path, None, Some(&kari)).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        share(&app, &kari, json!({"scope": "wheel"})).await.0,
        StatusCode::CREATED
    );
    app.stop().await;
});
