//! Clinicians against the real server, on SQLite and on PostgreSQL: the administrator's
//! command (the real binary), the second factor (enrolment, wrong, right, old, reused and
//! recovery codes, throttling), the session limits, the pages (no-store, only what is
//! shared, *Siden sist*, the summary) and the access log with the organisation.

use crate::both_databases;
use crate::helpers::{create_account, TestApp, PASS};
use crate::sharing::{area, call, deleted, item, push, rating, section, share, OTHER_SECTION, SECTION};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub const ORG: &str = "Hamar DPS";

pub async fn form(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = app.client.post(app.url(path)).form(fields);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

/// Status, body and the response of a GET with the cookie.
pub async fn page(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
) -> (StatusCode, String, reqwest::header::HeaderMap) {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, response.text().await.unwrap(), headers)
}

pub fn location(headers: &reqwest::header::HeaderMap) -> String {
    headers
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

fn set_cookie(response: &reqwest::Response) -> String {
    crate::helpers::session_cookie(response)
}

/// Marks an existing account as a clinician through the library (the binary is tested on
/// its own below).
pub async fn mark(app: &TestApp, name: &str, org: &str) {
    let db = app.db().await;
    server::clinician::add(&db, name, org).await.unwrap();
    db.close().await;
}

/// The TOTP secret shown on the enrolment page.
fn secret_of(html: &str) -> Vec<u8> {
    let start = html
        .find("id=\"totp-secret\">")
        .expect("the enrolment page shows the key")
        + 17;
    let end = start + html[start..].find('<').unwrap();
    totp_rs::Secret::Encoded(html[start..end].to_owned())
        .to_bytes()
        .unwrap()
}

fn now_s() -> u64 {
    (server::accounts::now_ms() / 1000) as u64
}

/// The code for the step `steps` away from now.
fn code(raw: &[u8], steps: i64) -> String {
    server::clinician::totp::code_at(raw, (now_s() as i64 + steps * 30) as u64)
}

/// Name and passphrase at `/behandler/logg-inn`: a session good only for the code.
pub async fn log_in(app: &TestApp, name: &str) -> String {
    let response = form(
        app,
        "/behandler/logg-inn",
        None,
        &[("username", name), ("passphrase", PASS)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(response.headers()), "/behandler/totp");
    set_cookie(&response)
}

/// A new account, marked as a clinician, logged in and enrolled: its verified session
/// cookie and the TOTP secret.
pub async fn clinician_with_secret(app: &TestApp, name: &str, org: &str) -> (String, Vec<u8>) {
    create_account(app, name).await;
    mark(app, name, org).await;
    let cookie = log_in(app, name).await;
    let (status, html, _) = page(app, "/behandler/totp", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    let raw = secret_of(&html);
    let response = form(
        app,
        "/behandler/totp/oppsett",
        Some(&cookie),
        &[("code", &code(&raw, 0))],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    (cookie, raw)
}

pub async fn clinician(app: &TestApp, name: &str, org: &str) -> String {
    clinician_with_secret(app, name, org).await.0
}

/// A share from `owner` (an app session) to the clinician, accepted on the clinician page;
/// returns the share's id.
pub async fn share_with(app: &TestApp, owner: &str, clinician: &str, scope: &str) -> String {
    let (status, created) = share(app, owner, json!({"scope": scope})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let response = form(
        app,
        "/behandler/koder",
        Some(clinician),
        &[("code", created["code"].as_str().unwrap())],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(response.headers()).starts_with("/behandler/brukere/"));
    created["id"].as_str().unwrap().to_owned()
}

pub async fn user_id(app: &TestApp, cookie: &str) -> String {
    let (_, me) = call(app, Method::GET, "/api/v1/account", None, Some(cookie)).await;
    me["id"].as_str().unwrap().to_owned()
}

fn recovery_codes(html: &str) -> Vec<String> {
    html.split("<li><code>")
        .skip(1)
        .map(|part| part.split('<').next().unwrap().to_owned())
        .collect()
}

both_databases!(the_second_factor, |app: TestApp| async move {
    let app_session = create_account(&app, "dr.lege").await;
    let kari = create_account(&app, "kari").await;
    mark(&app, "dr.lege", ORG).await;
    // Marking ended the app session; the app's login refuses the account, pointing here.
    let (status, _) = call(&app, Method::GET, "/api/v1/account", None, Some(&app_session)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, answer) = call(
        &app,
        Method::POST,
        "/api/v1/session",
        Some(json!({"username": "dr.lege", "passphrase": PASS})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    assert!(answer["message"]
        .as_str()
        .unwrap()
        .contains("/behandler/logg-inn"));
    // Not a clinician: refused here; a wrong passphrase: 401.
    let response = form(
        &app,
        "/behandler/logg-inn",
        None,
        &[("username", "kari"), ("passphrase", PASS)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get("set-cookie").is_none());
    let response = form(
        &app,
        "/behandler/logg-inn",
        None,
        &[("username", "dr.lege"), ("passphrase", "feil feil feil")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // Kari's app session is no clinician session.
    let (status, _, headers) = page(&app, "/behandler", Some(&kari)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/behandler/logg-inn");

    // First login: the passphrase gives a session good for the code only.
    let cookie = log_in(&app, "dr.lege").await;
    let (status, _, headers) = page(&app, "/behandler", Some(&cookie)).await;
    assert_eq!(
        (status, location(&headers).as_str()),
        (StatusCode::SEE_OTHER, "/behandler/totp")
    );
    let (status, html, headers) = page(&app, "/behandler/totp", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("<svg role=\"img\""),
        "the QR code is drawn on the page"
    );
    assert_eq!(headers["cache-control"], "no-store");
    let raw = secret_of(&html);
    // A reload shows the same secret.
    let (_, again, _) = page(&app, "/behandler/totp", Some(&cookie)).await;
    assert_eq!(secret_of(&again), raw);
    let wrong = form(
        &app,
        "/behandler/totp/oppsett",
        Some(&cookie),
        &[("code", "000000")],
    )
    .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let enrolled_code = code(&raw, 0);
    let response = form(
        &app,
        "/behandler/totp/oppsett",
        Some(&cookie),
        &[("code", &enrolled_code)],
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let codes = recovery_codes(&response.text().await.unwrap());
    assert_eq!(codes.len(), 10);
    let (status, html, _) = page(&app, "/behandler", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(ORG));
    assert_eq!(
        app.count("clinicians", "totp_secret IS NOT NULL AND totp_pending IS NULL")
            .await,
        1
    );
    // The secret is not stored as it is shown.
    let shown = totp_rs::Secret::Raw(raw.clone()).to_encoded().to_string();
    assert_eq!(
        app.count("clinicians", &format!("totp_secret LIKE '%{}%'", hex_of(&raw)))
            .await,
        0
    );
    assert_eq!(
        app.count("clinicians", &format!("totp_secret LIKE '%{shown}%'"))
            .await,
        0
    );

    // Log out; log in again: now the code, not the enrolment.
    let response = form(&app, "/behandler/logg-ut", Some(&cookie), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, _, _) = page(&app, "/behandler", Some(&cookie)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = log_in(&app, "dr.lege").await;
    let (_, html, _) = page(&app, "/behandler/totp", Some(&cookie)).await;
    assert!(
        !html.contains("totp-secret"),
        "the key is shown only at enrolment"
    );
    for (what, bad) in [
        ("wrong", "123456".to_owned()),
        ("old (two steps back)", code(&raw, -2)),
        ("reused (the enrolment's)", enrolled_code.clone()),
    ] {
        let response = form(&app, "/behandler/totp", Some(&cookie), &[("code", &bad)]).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{what}");
    }
    let next = code(&raw, 1);
    let response = form(&app, "/behandler/totp", Some(&cookie), &[("code", &next)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(response.headers()), "/behandler");
    let (status, _, _) = page(&app, "/behandler", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);

    // The same code again, on a new login: refused. A recovery code works once.
    let cookie = log_in(&app, "dr.lege").await;
    let response = form(&app, "/behandler/totp", Some(&cookie), &[("code", &next)]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let typed = codes[3].to_uppercase();
    let response = form(&app, "/behandler/totp", Some(&cookie), &[("code", &typed)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = log_in(&app, "dr.lege").await;
    let response = form(&app, "/behandler/totp", Some(&cookie), &[("code", &codes[3])]).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("clinician_recovery_codes", "used_ms IS NULL").await, 9);

    // Throttled like logins: five wrong codes in the window, then 429 (even for a right one).
    for _ in 0..4 {
        let response = form(&app, "/behandler/totp", Some(&cookie), &[("code", "000000")]).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = form(
        &app,
        "/behandler/totp",
        Some(&cookie),
        &[("code", &code(&raw, 0))],
    )
    .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(response.headers().get("retry-after").is_some());

    // A form from another site is refused.
    let response = app
        .client
        .post(app.url("/behandler/logg-inn"))
        .header("origin", "https://evil.example")
        .form(&[("username", "dr.lege"), ("passphrase", PASS)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    app.stop().await;
});

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

both_databases!(session_limits, |app: TestApp| async move {
    let (cookie, raw) = clinician_with_secret(&app, "dr.lege", ORG).await;
    let ok = |cookie: String| {
        let app = &app;
        async move { page(app, "/behandler", Some(&cookie)).await.0 == StatusCode::OK }
    };
    assert!(ok(cookie.clone()).await);
    // 29 minutes idle: still in; 31: out.
    let shift = |column: &str, minutes: i64| {
        format!(
            "UPDATE clinician_sessions SET {column} = {column} - {}",
            minutes * 60_000
        )
    };
    app.execute(&shift("last_seen_ms", 29)).await;
    assert!(ok(cookie.clone()).await);
    app.execute(&shift("last_seen_ms", 31)).await;
    assert!(!ok(cookie.clone()).await);
    assert_eq!(
        app.count("clinician_sessions", "1 = 1").await,
        0,
        "an ended session is deleted"
    );

    // Used all the time, a session still ends 12 hours after login.
    let cookie = log_in(&app, "dr.lege").await;
    let response = form(
        &app,
        "/behandler/totp",
        Some(&cookie),
        &[("code", &code(&raw, 1))],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    app.execute(&shift("created_ms", 11 * 60 + 59)).await;
    assert!(ok(cookie.clone()).await);
    app.execute(&shift("created_ms", 2)).await;
    assert!(!ok(cookie.clone()).await);

    // The step between passphrase and code lasts five minutes.
    let cookie = log_in(&app, "dr.lege").await;
    app.execute(&shift("created_ms", 6)).await;
    let (status, _, headers) = page(&app, "/behandler/totp", Some(&cookie)).await;
    assert_eq!(
        (status, location(&headers).as_str()),
        (StatusCode::SEE_OTHER, "/behandler/logg-inn")
    );
    app.stop().await;
});

both_databases!(
    session_limits_come_from_the_settings,
    limits = server::config::Limits {
        clinician_idle_ms: 1_000,
        clinician_max_ms: 2_500,
        ..crate::helpers::test_limits()
    },
    |app: TestApp| async move {
        let cookie = clinician(&app, "dr.lege", ORG).await;
        let status = |cookie: String| {
            let app = &app;
            async move { page(app, "/behandler", Some(&cookie)).await.0 }
        };
        assert_eq!(status(cookie.clone()).await, StatusCode::OK);
        tokio::time::sleep(std::time::Duration::from_millis(1_300)).await;
        assert_eq!(status(cookie.clone()).await, StatusCode::SEE_OTHER, "idle");
        app.stop().await;
    }
);

both_databases!(the_administrators_command, |app: TestApp| async move {
    let session = create_account(&app, "dr.lege").await;
    let run = |args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
        command.arg("admin").args(args).env_remove("DATABASE_URL");
        for (name, value) in app.database_env() {
            command.env(name, value);
        }
        let output = command.output().unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, out, _) = run(&["clinician", "list"]);
    assert_eq!((code, out.trim()), (Some(0), "No clinicians."));
    let (code, out, err) = run(&["clinician", "add", "Dr.Lege", "--organisation", "Hamar  DPS"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("dr.lege is a clinician at Hamar DPS"), "{out}");
    let (code, out, _) = run(&["clinician", "list"]);
    assert_eq!(code, Some(0));
    assert_eq!(out.trim(), "dr.lege\tHamar DPS\tone-time codes not set up yet");
    // The account's app session ended with the mark.
    let (status, _) = call(&app, Method::GET, "/api/v1/account", None, Some(&session)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // Changing the organisation is another `add`.
    let (code, _, _) = run(&[
        "clinician",
        "add",
        "dr.lege",
        "--organisation",
        "Sykehuset Innlandet",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(
        app.count("clinicians", "organisation = 'Sykehuset Innlandet'")
            .await,
        1
    );
    let (code, _, err) = run(&["clinician", "add", "nobody", "--organisation", "X"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("no such account"), "{err}");
    let (code, _, err) = run(&["clinician", "add", "dr.lege"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("usage"), "{err}");
    let (code, out, _) = run(&["clinician", "remove", "dr.lege"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("no longer a clinician"));
    let (code, _, _) = run(&["clinician", "remove", "dr.lege"]);
    assert_eq!(code, Some(1));
    assert_eq!(app.count("clinicians", "1 = 1").await, 0);
    // An ordinary account again: the app's login works.
    let (status, _) = call(
        &app,
        Method::POST,
        "/api/v1/session",
        Some(json!({"username": "dr.lege", "passphrase": PASS})),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    app.stop().await;
});

fn measure(n: u32, wall_ms: u64, area: u32, what: &str) -> Value {
    json!({"id": crate::sharing::id(n), "kind": "wheel.measure", "version": {
        "hlc": {"wall_ms": wall_ms, "counter": 0, "device": "phone"},
        "deleted": false, "schema": 1, "body": {"area": crate::sharing::id(area), "what": what,
        "responsible": {"kind": "person", "name": "Ola"}, "due": "2026-12-24",
        "status": "planned", "position": 1024}}})
}

/// The changes the page's *Siden sist* list holds, as `(kind, text)`.
fn since(html: &str) -> Vec<(String, String)> {
    let Some(start) = html.find("<ul class=\"since\">") else {
        return Vec::new();
    };
    let end = start + html[start..].find("</ul>").unwrap();
    html[start..end]
        .split("<li data-change=\"")
        .skip(1)
        .map(|li| {
            let (kind, rest) = li.split_once('"').unwrap();
            (
                kind.to_owned(),
                rest.trim_start_matches('>')
                    .split("</li>")
                    .next()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect()
}

fn digest_of(html: &str) -> String {
    let start = html.find("name=\"digest\" value=\"").unwrap() + 21;
    html[start..start + 32].to_owned()
}

both_databases!(the_clinician_pages, |app: TestApp| async move {
    let kari = create_account(&app, "kari").await;
    push(
        &app,
        &kari,
        vec![
            section(SECTION, 10, "Varselsignaler"),
            section(OTHER_SECTION, 10, "Ikke delt"),
            item(1, 10, SECTION, "Sover dårlig"),
            item(2, 10, SECTION, "Trekker meg unna"),
            item(3, 10, OTHER_SECTION, "Hemmelig"),
            area(4, 10, "Jobb"),
            rating(5, 10, 4),
            measure(6, 10, 4, "Søke jobb"),
        ],
    )
    .await;
    let dr = clinician(&app, "dr.lege", ORG).await;
    let kari_id = user_id(&app, &kari).await;
    let person = format!("/behandler/brukere/{kari_id}");
    let section_share = share_with(&app, &kari, &dr, &format!("section:{SECTION}")).await;
    share_with(&app, &kari, &dr, "wheel").await;

    let (status, html, headers) = page(&app, "/behandler", Some(&dr)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["cache-control"], "no-store");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("style-src 'self'") && !csp.contains("unsafe-inline") && !csp.contains("script-src")
    );
    assert!(html.contains("kari") && html.contains("Varselsignaler") && html.contains("Samtalehjulet"));
    assert!(html.contains("Ikke sett ennå"));
    assert!(!html.contains("Ikke delt"));

    let (status, html, headers) = page(&app, &person, Some(&dr)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["cache-control"], "no-store");
    assert!(html.contains("Sover dårlig") && html.contains("Trekker meg unna"));
    assert!(html.contains("Jobb") && html.contains("Søke jobb") && html.contains("Ola (person)"));
    assert!(!html.contains("Hemmelig"), "only what is shared");
    assert!(html.contains("Første gang du ser dette"));
    assert!(since(&html).is_empty());

    // Kari edits one item, adds one, removes one; the clinician sees exactly those three.
    push(
        &app,
        &kari,
        vec![
            item(1, 20, SECTION, "Sover nesten ikke"),
            item(7, 20, SECTION, "Slutter å svare på meldinger"),
            deleted(2, "plan.item", 20),
            item(3, 20, OTHER_SECTION, "Hemmelig endret"),
        ],
    )
    .await;
    let (_, html, _) = page(&app, "/behandler", Some(&dr)).await;
    assert!(html.contains("Endringer: 3"), "{html}");
    let (_, html, _) = page(&app, &person, Some(&dr)).await;
    let mut changes = since(&html);
    changes.sort();
    assert_eq!(changes.len(), 3, "{changes:?}");
    assert_eq!(changes[0].0, "added");
    assert!(changes[0].1.contains("Slutter å svare på meldinger"));
    assert_eq!(changes[1].0, "changed");
    assert!(
        changes[1].1.contains("«Sover dårlig» → «Sover nesten ikke»"),
        "{}",
        changes[1].1
    );
    assert_eq!(changes[2].0, "removed");
    assert!(changes[2].1.contains("Trekker meg unna"));
    // …and marked in the text, in words.
    assert!(html
        .contains("<strong class=\"mark\" data-change=\"added\">Ny:</strong> Slutter å svare på meldinger"));
    assert!(html.contains("Sover nesten ikke <span class=\"before\">(før: «Sover dårlig»)</span>"));
    assert!(html.contains("<del>Trekker meg unna</del>"));

    // "Merk som sett" with what the page showed: the marks go. A stale page marks nothing.
    let stale = digest_of(&html);
    push(&app, &kari, vec![item(8, 30, SECTION, "Ny etter visningen")]).await;
    let response = form(&app, &format!("{person}/sett"), Some(&dr), &[("digest", &stale)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(response.headers()), format!("{person}?endret=1"));
    let (_, html, _) = page(&app, &format!("{person}?endret=1"), Some(&dr)).await;
    assert_eq!(since(&html).len(), 4);
    let response = form(
        &app,
        &format!("{person}/sett"),
        Some(&dr),
        &[("digest", &digest_of(&html))],
    )
    .await;
    assert_eq!(location(response.headers()), person);
    let (_, html, _) = page(&app, &person, Some(&dr)).await;
    assert!(since(&html).is_empty());
    assert!(html.contains("Ingen endringer siden du merket som sett"));
    assert!(!html.contains("data-change"));

    // The summary: who shared, the footer, the essentials.
    let (status, html, headers) = page(&app, &format!("{person}/oppsummering"), Some(&dr)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["cache-control"], "no-store");
    assert!(
        html.contains("class=\"print-footer\"")
            && html.contains("kan være utdatert")
            && html.contains("Skrevet ut")
    );
    assert!(html.contains("Sover nesten ikke") && html.contains("Søke jobb"));
    assert!(!html.contains("Hemmelig"));
    // English on request.
    let (_, html, _) = page(
        &app,
        "/behandler",
        Some(&format!("{dr}; tillit_behandler_lang=en")),
    )
    .await;
    assert!(html.contains("My people") && html.contains("lang=\"en\""));

    // Kari sees the views with the organisation in her access log, and the clinician with
    // it in her list of shares.
    let (_, log) = call(&app, Method::GET, "/api/v1/access-log", None, Some(&kari)).await;
    let entries = log["entries"].as_array().unwrap();
    assert!(!entries.is_empty());
    assert!(entries
        .iter()
        .all(|e| e["reader"] == "dr.lege" && e["reader_organisation"] == ORG));
    let (_, shares) = call(&app, Method::GET, "/api/v1/shares", None, Some(&kari)).await;
    assert!(shares["given"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["recipient_organisation"] == ORG));

    // The service worker never precaches a clinician page.
    let worker = app.get("/sw.js").await.text().await.unwrap();
    let precache = worker.lines().find(|l| l.starts_with("const PRECACHE")).unwrap();
    assert!(!precache.contains("/behandler"), "{precache}");
    assert!(worker.contains("onlineOnly"));

    // Kari revokes the section: it is gone from the next load; all revoked: nothing at all.
    let (status, _) = call(
        &app,
        Method::DELETE,
        &format!("/api/v1/shares/{section_share}"),
        None,
        Some(&kari),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let seen_of = format!("share_id = '{section_share}'");
    assert_eq!(app.count("clinician_seen", &seen_of).await, 1);
    let purged = server::maintenance::purge(&app.db().await, server::accounts::now_ms())
        .await
        .unwrap();
    assert_eq!(purged.seen_marks, 1);
    assert_eq!(app.count("clinician_seen", &seen_of).await, 0);
    let (_, html, _) = page(&app, &person, Some(&dr)).await;
    assert!(!html.contains("Sover nesten ikke") && html.contains("Jobb"));
    let (_, shares) = call(&app, Method::GET, "/api/v1/shares", None, Some(&kari)).await;
    for s in shares["given"].as_array().unwrap() {
        call(
            &app,
            Method::DELETE,
            &format!("/api/v1/shares/{}", s["id"].as_str().unwrap()),
            None,
            Some(&kari),
        )
        .await;
    }
    let (status, html, _) = page(&app, &person, Some(&dr)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("Jobb"));
    let (_, html, _) = page(&app, "/behandler", Some(&dr)).await;
    assert!(!html.contains("kari"));
    assert_eq!(
        app.count("clinician_seen", "1 = 1").await,
        0,
        "marks of ended shares are dropped"
    );
    app.stop().await;
});
