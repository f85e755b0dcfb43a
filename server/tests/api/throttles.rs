//! Throttles and limits under pressure, through the real server on both databases: many
//! attempts at once are judged at most `max` times (reserve, then judge), a full hashing
//! queue answers 503 at once, sign-ups are counted per address, bodies are capped before
//! anything is stored, and behind a trusted proxy each client is counted on its own.

use crate::both_databases;
use crate::helpers::{behind_proxy, create_account, session_cookie, Database, TestApp, PASS};
use crate::openapi::assert_documented;
use crate::sharing::{accept, share};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use server::config::Limits;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Sends `count` copies of one request at once; returns how many got each status.
async fn at_once(
    app: &TestApp,
    count: usize,
    method: Method,
    path: &str,
    body: Value,
    cookie: Option<&str>,
) -> BTreeMap<u16, usize> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..count {
        let mut request = app.client.request(method.clone(), app.url(path)).json(&body);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        tasks.spawn(async move { request.send().await.unwrap().status().as_u16() });
    }
    let mut statuses = BTreeMap::new();
    while let Some(status) = tasks.join_next().await {
        *statuses.entry(status.unwrap()).or_insert(0) += 1;
    }
    statuses
}

fn wrong_login(name: &str) -> Value {
    json!({"username": name, "passphrase": "feil passfrase her"})
}

/// Ends every throttle window now (as if its time had passed).
async fn end_windows(app: &TestApp) {
    app.execute("UPDATE login_failures SET window_start_ms = window_start_ms - 3600001")
        .await;
}

both_databases!(
    parallel_wrong_logins_are_judged_at_most_five_times,
    |app: TestApp| async move {
        create_account(&app, "kari").await;
        let statuses = at_once(
            &app,
            50,
            Method::POST,
            "/api/v1/session",
            wrong_login("kari"),
            None,
        )
        .await;
        eprintln!("50 parallel wrong logins ({:?}): {statuses:?}", app.database);
        assert_eq!(statuses.get(&401), Some(&5), "{statuses:?}");
        assert_eq!(statuses.get(&429), Some(&45), "{statuses:?}");
        // Locked: the right passphrase too, until the window ends.
        let right = json!({"username": "kari", "passphrase": PASS});
        let locked = app
            .send(Method::POST, "/api/v1/session", Some(right.clone()), None)
            .await;
        assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(locked.headers().contains_key("retry-after"));
        assert_documented("post", "/api/v1/session", 429);
        end_windows(&app).await;
        let after = app.send(Method::POST, "/api/v1/session", Some(right), None).await;
        assert_eq!(after.status(), StatusCode::OK);
        app.stop().await;
    }
);

both_databases!(
    parallel_wrong_confirmations_are_judged_at_most_five_times,
    |app: TestApp| async move {
        let cookie = create_account(&app, "kari").await;
        let wrong = json!({"passphrase": "feil passfrase her"});
        let statuses = at_once(&app, 50, Method::DELETE, "/api/v1/account", wrong, Some(&cookie)).await;
        eprintln!(
            "50 parallel wrong confirmations ({:?}): {statuses:?}",
            app.database
        );
        assert_eq!(statuses.get(&401), Some(&5), "{statuses:?}");
        assert_eq!(statuses.get(&429), Some(&45), "{statuses:?}");
        assert_documented("delete", "/api/v1/account", 429);
        // The right passphrase is refused too while locked: the account is still there.
        let right = json!({"passphrase": PASS});
        let refused = app
            .send(
                Method::DELETE,
                "/api/v1/account",
                Some(right.clone()),
                Some(&cookie),
            )
            .await;
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        let changed = app
            .send(
                Method::PUT,
                "/api/v1/account/passphrase",
                Some(json!({"current": PASS, "new": "en helt ny passfrase"})),
                Some(&cookie),
            )
            .await;
        assert_eq!(changed.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_documented("put", "/api/v1/account/passphrase", 429);
        assert_eq!(app.count("users", "1 = 1").await, 1);
        app.stop().await;
    }
);

both_databases!(
    parallel_wrong_codes_are_judged_at_most_ten_times,
    |app: TestApp| async move {
        let kari = create_account(&app, "kari").await;
        let ola = create_account(&app, "ola").await;
        let (_, created) = share(&app, &kari, json!({"scope": "wheel"})).await;
        let code = created["code"].as_str().unwrap().to_owned();
        let statuses = at_once(
            &app,
            50,
            Method::POST,
            "/api/v1/shares/accept",
            json!({"code": "BBBBB-BBBBB"}),
            Some(&ola),
        )
        .await;
        eprintln!("50 parallel wrong codes ({:?}): {statuses:?}", app.database);
        assert_eq!(statuses.get(&404), Some(&10), "{statuses:?}");
        assert_eq!(statuses.get(&429), Some(&40), "{statuses:?}");
        // The right code waits for the window too.
        assert_eq!(accept(&app, &ola, &code).await.0, StatusCode::TOO_MANY_REQUESTS);
        assert_documented("post", "/api/v1/shares/accept", 429);
        end_windows(&app).await;
        assert_eq!(accept(&app, &ola, &code).await.0, StatusCode::OK);
        app.stop().await;
    }
);

both_databases!(
    eleven_sign_ups_from_one_address_in_an_hour,
    |app: TestApp| async move {
        for n in 0..10 {
            create_account(&app, &format!("person{n}")).await;
        }
        let eleventh = app
            .send(
                Method::POST,
                "/api/v1/accounts",
                Some(json!({"username": "person10", "passphrase": PASS})),
                None,
            )
            .await;
        assert_eq!(eleventh.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(eleventh.headers().contains_key("retry-after"));
        assert_documented("post", "/api/v1/accounts", 429);
        assert_eq!(app.count("users", "1 = 1").await, 10);
        app.stop().await;
    }
);

both_databases!(
    oversized_and_overlong_input_is_never_stored,
    |app: TestApp| async move {
        // A 1 MB name: refused by the body cap before it is read.
        let huge = "a".repeat(1024 * 1024);
        for path in ["/api/v1/accounts", "/api/v1/session"] {
            let response = app
                .send(
                    Method::POST,
                    path,
                    Some(json!({"username": huge, "passphrase": PASS})),
                    None,
                )
                .await;
            assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE, "{path}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"], "too_large");
            assert_documented("post", path, 413);
        }
        // A long name under the cap: 422 at sign-up; a wrong login that stores no key for it.
        let long = "b".repeat(10_000);
        let response = app
            .send(
                Method::POST,
                "/api/v1/accounts",
                Some(json!({"username": long, "passphrase": PASS})),
                None,
            )
            .await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let response = app
            .send(Method::POST, "/api/v1/session", Some(wrong_login(&long)), None)
            .await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.count("users", "1 = 1").await, 0);
        assert_eq!(app.count("login_failures", "LENGTH(key) > 100").await, 0);
        app.stop().await;
    }
);

/// A burst of 1,000 sign-ups from 1,000 addresses (behind the proxy) with standard-cost
/// hashes and a queue of 4: what the queue holds is hashed, the rest get 503 with
/// Retry-After without waiting for a hash, and memory stays bounded. On a multi-threaded
/// runtime, as the server runs.
///
/// Where the time of a 503 went, and what made it fast: the kernel's accept queue (1,024
/// with `TcpListener::bind`) overflowed, and each dropped connection was tried again by the
/// client only after TCP's one-second retransmission (the server now listens with a deep
/// queue, `startup::listen`); the unoptimised reqwest client spent more time than the
/// server on 1,000 connections at once (here, one request written by hand per
/// connection); and the two standard Argon2 hashes took both cores from the threads that
/// answer (the hashing threads now run at a lower priority). The refusal itself does no
/// database work: the queue is checked first.
///
/// Seen in the unoptimised build on two cores: median 0.34–0.48 s, slowest 0.45–0.7 s; on
/// the same two cores while a release build and other test suites ran (load average 10+),
/// median 1.2 s, slowest 1.6 s. Asserted, so as not to fail on a busy machine: median within
/// 2 s, slowest within 3 s (a client retrying a dropped connection waits 1 s, then 3 s more);
/// the figures are printed.
async fn a_thousand_sign_ups_at_once(database: Database) {
    let limits = Limits {
        hashing_queue: Some(4),
        hash_cost: server::hashing::HashCost::Standard,
        ..behind_proxy()
    };
    let app = TestApp::spawn_with(database, limits).await;
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..1000u32 {
        let body = json!({"username": format!("burst{n}"), "passphrase": PASS}).to_string();
        let request = format!(
            "POST /api/v1/accounts HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\n\
             x-forwarded-for: 10.{}.{}.1\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            app.addr,
            n / 250,
            n % 250,
            body.len()
        );
        let addr = app.addr;
        tasks.spawn(async move { raw_request(addr, request).await });
    }
    let mut statuses = BTreeMap::new();
    let mut times_503 = Vec::new();
    while let Some(answer) = tasks.join_next().await {
        let (status, took, retry) = answer.unwrap();
        *statuses.entry(status).or_insert(0) += 1;
        if status == 503 {
            assert!(retry, "a 503 says when to retry");
            times_503.push(took);
        }
    }
    times_503.sort();
    let slowest_503 = times_503.last().copied().unwrap_or_default();
    let at = |q: usize| {
        times_503
            .get(times_503.len() * q / 100)
            .copied()
            .unwrap_or_default()
    };
    let peak_mib = peak_rss_mib();
    eprintln!(
        "1000 sign-ups at once ({database:?}): {statuses:?}; the 503s' answer times: median \
         {:?}, p90 {:?}, p99 {:?}, slowest {slowest_503:?}; peak RSS of the whole test \
         process (server and client) {peak_mib} MiB",
        at(50),
        at(90),
        at(99)
    );
    assert_eq!(
        statuses.keys().copied().collect::<Vec<_>>(),
        [201, 503],
        "{statuses:?}"
    );
    assert!(statuses[&503] >= 900, "{statuses:?}");
    assert!(at(50) < Duration::from_secs(2), "median 503 {:?}", at(50));
    assert!(
        slowest_503 < Duration::from_secs(3),
        "slowest 503 {slowest_503:?}"
    );
    assert_documented("post", "/api/v1/accounts", 503);
    assert_eq!(app.count("users", "1 = 1").await, statuses[&201] as i64);
    app.stop().await;
}

mod a_thousand_sign_ups_at_once_get_a_quick_503_beyond_the_queue {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        a_thousand_sign_ups_at_once(Database::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        if std::env::var("TEST_DATABASE_URL").is_err() {
            eprintln!("skipped: TEST_DATABASE_URL is not set");
            return;
        }
        a_thousand_sign_ups_at_once(Database::Postgres).await;
    }
}

/// One HTTP/1.1 request over a new connection, written and read by hand: 1,000 of them at
/// once through reqwest spent most of their time in the unoptimised client itself (its
/// connection pool and body handling), which hid what the server does. Returns the status,
/// the time to the answer's first line, and whether it has `Retry-After`.
async fn raw_request(addr: std::net::SocketAddr, request: String) -> (u16, Duration, bool) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let started = Instant::now();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let took = started.elapsed();
    let text = String::from_utf8_lossy(&answer).to_lowercase();
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, took, text.contains("\r\nretry-after:"))
}

/// The peak resident memory of this process (the server runs in it), from /proc.
fn peak_rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb / 1024)
}

both_databases!(
    behind_a_trusted_proxy_each_client_is_counted_on_its_own,
    limits = behind_proxy(),
    |app: TestApp| async move {
        create_account(&app, "kari").await;
        // Twenty wrong logins for twenty names, from twenty clients behind the proxy.
        for n in 0..20 {
            let response = app
                .client
                .post(app.url("/api/v1/session"))
                .header("x-forwarded-for", format!("198.51.100.{n}"))
                .json(&wrong_login(&format!("someone{n}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        }
        // Another client's right login is not locked out by the proxy's address.
        let response = app
            .client
            .post(app.url("/api/v1/session"))
            .header("x-forwarded-for", "198.51.100.200")
            .json(&json!({"username": "kari", "passphrase": PASS}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        session_cookie(&response);
        // IPv6 clients are counted per /64: twenty failures from one /64, any addresses in
        // it, lock that /64.
        for n in 0..20 {
            let response = app
                .client
                .post(app.url("/api/v1/session"))
                .header("x-forwarded-for", format!("2001:db8:1:2::{n:x}"))
                .json(&wrong_login(&format!("v6name{n}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        }
        let response = app
            .client
            .post(app.url("/api/v1/session"))
            .header("x-forwarded-for", "2001:db8:1:2:ffff::1")
            .json(&json!({"username": "kari", "passphrase": PASS}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        app.stop().await;
    }
);

both_databases!(
    a_forged_forwarded_header_from_an_untrusted_peer_is_ignored,
    |app: TestApp| async move {
        create_account(&app, "kari").await;
        // No trusted proxies: the header changes nothing; all twenty count against 127.0.0.1.
        for n in 0..20 {
            let response = app
                .client
                .post(app.url("/api/v1/session"))
                .header("x-forwarded-for", format!("198.51.100.{n}"))
                .json(&wrong_login(&format!("someone{n}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        }
        let response = app
            .client
            .post(app.url("/api/v1/session"))
            .header("x-forwarded-for", "198.51.100.200")
            .json(&json!({"username": "kari", "passphrase": PASS}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        app.stop().await;
    }
);
