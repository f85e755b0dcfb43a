//! Check-ins with a trusted person, through the front door: invite with a sharing code,
//! messages both ways (idempotent by the phone's id), states, pause / resume / remove /
//! leave, Kontakt meg and "Jeg tar kontakt", the limits (422, 413, 429), retention, and a
//! real Web Push round trip to a stand-in push service.

use crate::both_databases;
use crate::helpers::{test_limits, TestApp};
use crate::sharing::{accept, account, call};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub fn mid(n: u32) -> String {
    format!("0190b000-0000-7000-8000-{n:012x}")
}

/// Kari invites someone she calls `name`; `who` accepts. Returns the relationship's id.
pub async fn relationship(app: &TestApp, kari: &str, who: &str, name: &str) -> String {
    let (status, invitation) = call(
        app,
        Method::POST,
        "/api/v1/checkins/invitations",
        Some(json!({"name": name})),
        Some(kari),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{invitation}");
    let (status, accepted) = accept(app, who, invitation["code"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(accepted["scope"], "checkins");
    invitation["id"].as_str().unwrap().to_owned()
}

/// The usual start: Kari, and Ola as her trusted person (she calls him "Ola"), live.
/// Returns their session cookies and the relationship's id.
pub async fn kari_and_ola(app: &TestApp) -> (String, String, String) {
    let kari = account(app, "kari").await;
    let ola = account(app, "ola").await;
    let rel = relationship(app, &kari, &ola, "Ola").await;
    (kari, ola, rel)
}

pub async fn send(app: &TestApp, cookie: &str, rel: &str, body: Value) -> (StatusCode, Value) {
    let path = format!("/api/v1/checkins/{rel}/messages");
    call(app, Method::POST, &path, Some(body), Some(cookie)).await
}

/// Keeps a browser's push subscription for `cookie`'s account.
pub async fn subscribe(app: &TestApp, cookie: &str, subscription: Value) -> (StatusCode, Value) {
    call(
        app,
        Method::POST,
        "/api/v1/push/subscriptions",
        Some(subscription),
        Some(cookie),
    )
    .await
}

/// A short text message `n` from `cookie`.
async fn say(app: &TestApp, cookie: &str, rel: &str, n: u32) -> (StatusCode, Value) {
    send(
        app,
        cookie,
        rel,
        json!({"id": mid(n), "kind": "text", "text": "hei"}),
    )
    .await
}

/// A request without a body; its status and answer.
async fn act(app: &TestApp, cookie: &str, method: Method, path: &str) -> (StatusCode, Value) {
    call(app, method, path, None, Some(cookie)).await
}

pub async fn people(app: &TestApp, cookie: &str) -> Vec<Value> {
    let (status, body) = call(app, Method::GET, "/api/v1/checkins", None, Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["people"].as_array().unwrap().clone()
}

async fn consent_events(app: &TestApp, cookie: &str) -> Vec<String> {
    let (_, log) = call(app, Method::GET, "/api/v1/consent-log", None, Some(cookie)).await;
    log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["scope"] == "checkins")
        .map(|e| e["event"].as_str().unwrap().to_owned())
        .collect()
}

both_databases!(
    invite_talk_and_the_states_reach_the_sender,
    |app: TestApp| async move {
        let kari = account(&app, "kari").await;
        let ola = account(&app, "ola").await;
        let rel = relationship(&app, &kari, &ola, "Pappa").await;
        // Not a plan share: the sharing lists do not show it.
        let (_, shares) = call(&app, Method::GET, "/api/v1/shares", None, Some(&kari)).await;
        assert_eq!(shares["given"], json!([]));
        let mine = people(&app, &kari).await;
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0]["name"], "Pappa");
        assert_eq!(mine[0]["role"], "owner");
        assert_eq!(mine[0]["status"], "live");
        let theirs = people(&app, &ola).await;
        assert_eq!(theirs[0]["name"], "kari");
        assert_eq!(theirs[0]["role"], "trusted");

        // The trusted person sends; a retry stores nothing twice.
        let phrase = json!({"id": mid(1), "kind": "phrase", "phrase": "how_are_you"});
        let (status, first) = send(&app, &ola, &rel, phrase.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{first}");
        assert_eq!(first["mine"], true);
        assert!(first["delivered_ms"].is_null());
        let (status, again) = send(&app, &ola, &rel, phrase).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["sent_ms"], first["sent_ms"]);
        assert_eq!(app.count("checkin_messages", "1 = 1").await, 1);
        // The same id from the other side is not theirs to reuse.
        let (status, _) = send(
            &app,
            &kari,
            &rel,
            json!({"id": mid(1), "kind": "text", "text": "x"}),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);

        // Kari's phone fetches: delivered. She opens it: read.
        let seen = people(&app, &kari).await;
        let message = &seen[0]["messages"][0];
        assert_eq!(message["mine"], false);
        assert_eq!(message["phrase"], "how_are_you");
        assert!(message["delivered_ms"].is_i64());
        let theirs = people(&app, &ola).await;
        assert!(theirs[0]["messages"][0]["delivered_ms"].is_i64());
        assert!(theirs[0]["messages"][0]["read_ms"].is_null());
        let path = format!("/api/v1/checkins/{rel}/read");
        let (status, _) = call(
            &app,
            Method::POST,
            &path,
            Some(json!({"ids": [mid(1)]})),
            Some(&kari),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let theirs = people(&app, &ola).await;
        assert!(theirs[0]["messages"][0]["read_ms"].is_i64());

        // One tap, with words; only the user answers on the scale.
        let answer = json!({"id": mid(2), "kind": "answer", "scale": 4, "text": "Bedre i dag"});
        let (status, answered) = send(&app, &kari, &rel, answer).await;
        assert_eq!(status, StatusCode::CREATED, "{answered}");
        assert_eq!(answered["scale"], 4);
        let (status, refused) = send(
            &app,
            &ola,
            &rel,
            json!({"id": mid(3), "kind": "answer", "scale": 2}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["field"], "kind");

        // Read receipts off (the user's setting) hides them both ways.
        let settings = format!("/api/v1/checkins/{rel}");
        let (status, person) = call(
            &app,
            Method::PATCH,
            &settings,
            Some(json!({"read_receipts": false})),
            Some(&kari),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{person}");
        assert_eq!(person["read_receipts"], false);
        let theirs = people(&app, &ola).await;
        assert!(theirs[0]["messages"][0]["read_ms"].is_null());
        // Each side has its own settings.
        let (status, refused) = call(
            &app,
            Method::PATCH,
            &settings,
            Some(json!({"name": "Kari"})),
            Some(&ola),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["field"], "name");
        let (status, person) = call(
            &app,
            Method::PATCH,
            &settings,
            Some(json!({"phone": "912 34 567", "reminder": 7})),
            Some(&ola),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{person}");
        assert_eq!(person["reminder"], 7);
        let mine = people(&app, &kari).await;
        assert_eq!(mine[0]["phone"], "+4791234567");
        assert!(
            mine[0]["reminder"].is_null(),
            "the reminder is the trusted person's own"
        );
        // The user's own number, for this trusted person: hers to give, a real number, and
        // "" takes it back.
        let (status, refused) = call(
            &app,
            Method::PATCH,
            &settings,
            Some(json!({"user_phone": "412 34 567"})),
            Some(&ola),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["field"], "user_phone");
        let (status, refused) = call(
            &app,
            Method::PATCH,
            &settings,
            Some(json!({"user_phone": "ring meg"})),
            Some(&kari),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["field"], "user_phone");
        assert!(
            people(&app, &ola).await[0]["user_phone"].is_null(),
            "nothing stored"
        );
        let (status, person) = call(
            &app,
            Method::PATCH,
            &settings,
            Some(json!({"user_phone": "412 34 567"})),
            Some(&kari),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{person}");
        assert_eq!(person["user_phone"], "+4741234567");
        assert_eq!(people(&app, &ola).await[0]["user_phone"], "+4741234567");
        let (status, _) = call(
            &app,
            Method::PATCH,
            &settings,
            Some(json!({"user_phone": ""})),
            Some(&kari),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(people(&app, &ola).await[0]["user_phone"].is_null(), "taken back");
        // Giving the number and taking it back are in the consent log, newest first.
        assert_eq!(
            consent_events(&app, &kari).await,
            [
                "user_phone_removed",
                "user_phone_given",
                "share_accepted",
                "share_created"
            ]
        );
        app.stop().await;
    }
);

both_databases!(
    limits_are_clear_and_store_nothing_twice,
    |app: TestApp| async move {
        let (kari, ola, rel) = kari_and_ola(&app).await;
        let (status, refused) = send(
            &app,
            &ola,
            &rel,
            json!({"id": mid(1), "kind": "text", "text": "ø".repeat(281)}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["field"], "text");
        assert!(refused["message"].as_str().unwrap().contains("280"), "{refused}");
        let (status, _) = send(
            &app,
            &ola,
            &rel,
            json!({"id": mid(1), "kind": "text", "text": "ø".repeat(280)}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, refused) = send(
            &app,
            &ola,
            &rel,
            json!({"id": mid(2), "kind": "text", "text": "a".repeat(20_000)}),
        )
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(refused["error"], "too_large");
        let (status, refused) = send(
            &app,
            &ola,
            &rel,
            json!({"id": "1", "kind": "text", "text": "hei"}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["field"], "id");

        for n in 2..=20 {
            let (status, body) = say(&app, &ola, &rel, n).await;
            assert_eq!(status, StatusCode::CREATED, "{n}: {body}");
        }
        let (status, refused) = say(&app, &ola, &rel, 21).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(refused["error"], "daily_limit");
        assert_eq!(refused["max"], 20);
        assert!(refused["message"].as_str().unwrap().contains("20 check-ins"));
        crate::openapi::assert_documented("post", "/api/v1/checkins/{id}/messages", 429);
        // A retry of one already stored is still answered, and nothing is stored twice.
        let (status, _) = say(&app, &ola, &rel, 5).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(app.count("checkin_messages", "1 = 1").await, 20);
        // The limit is per direction: Kari can still write, and Kontakt meg is never refused.
        let (status, _) = send(
            &app,
            &kari,
            &rel,
            json!({"id": mid(30), "kind": "phrase", "phrase": "good_day"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
        let (status, sent) = call(
            &app,
            Method::POST,
            "/api/v1/checkins/help",
            Some(json!({"id": mid(31)})),
            Some(&kari),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(sent["sent_to"], 1);

        // At most five trusted persons.
        for n in 0..4 {
            let (status, _) = call(
                &app,
                Method::POST,
                "/api/v1/checkins/invitations",
                Some(json!({"name": format!("Venn {n}")})),
                Some(&kari),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED);
        }
        let (status, refused) = call(
            &app,
            Method::POST,
            "/api/v1/checkins/invitations",
            Some(json!({"name": "Nummer seks"})),
            Some(&kari),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert_eq!(refused["field"], "people");
        app.stop().await;
    }
);

both_databases!(pause_resume_remove_and_leave, |app: TestApp| async move {
    let kari = account(&app, "kari").await;
    let ola = account(&app, "ola").await;
    let per = account(&app, "per").await;
    let rel = relationship(&app, &kari, &ola, "Ola").await;
    let other = relationship(&app, &kari, &per, "Per").await;
    say(&app, &ola, &rel, 1).await;

    let (status, _) = act(&app, &ola, Method::POST, &format!("/api/v1/checkins/{rel}/pause")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "only the user pauses");
    let (status, _) = act(
        &app,
        &kari,
        Method::POST,
        &format!("/api/v1/checkins/{rel}/pause"),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, refused) = say(&app, &ola, &rel, 2).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(refused["field"], "paused");
    let (status, _) = say(&app, &kari, &rel, 3).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let theirs = people(&app, &ola).await;
    assert_eq!(theirs[0]["status"], "paused");
    assert_eq!(theirs[0]["messages"], json!([]));
    let (status, _) = act(
        &app,
        &kari,
        Method::POST,
        &format!("/api/v1/checkins/{rel}/resume"),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = say(&app, &ola, &rel, 2).await;
    assert_eq!(status, StatusCode::CREATED);

    // The user deletes the conversation: the messages are gone, the relationship stays.
    let path = format!("/api/v1/checkins/{rel}/messages");
    let (status, _) = call(&app, Method::DELETE, &path, None, Some(&ola)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&app, Method::DELETE, &path, None, Some(&kari)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.count("checkin_messages", &format!("share_id = '{rel}'"))
            .await,
        0
    );

    // Removing ends it at once; leaving too.
    say(&app, &ola, &rel, 4).await;
    let (status, _) = act(&app, &kari, Method::DELETE, &format!("/api/v1/checkins/{rel}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(people(&app, &ola).await.is_empty());
    let (status, _) = say(&app, &ola, &rel, 5).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.count("checkin_messages", &format!("share_id = '{rel}'"))
            .await,
        0
    );
    let (status, _) = act(&app, &per, Method::DELETE, &format!("/api/v1/checkins/{other}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(people(&app, &kari).await.is_empty());
    let events = consent_events(&app, &kari).await;
    for event in ["checkin_paused", "checkin_resumed", "share_revoked", "share_left"] {
        assert!(events.iter().any(|e| e == event), "{event} in {events:?}");
    }
    app.stop().await;
});

both_databases!(
    kontakt_meg_reaches_everyone_live_once,
    |app: TestApp| async move {
        let kari = account(&app, "kari").await;
        let ola = account(&app, "ola").await;
        let per = account(&app, "per").await;
        let rel = relationship(&app, &kari, &ola, "Ola").await;
        let paused = relationship(&app, &kari, &per, "Per").await;
        act(
            &app,
            &kari,
            Method::POST,
            &format!("/api/v1/checkins/{paused}/pause"),
        )
        .await;
        let help = json!({"id": mid(9)});
        for _ in 0..2 {
            let (status, sent) = call(
                &app,
                Method::POST,
                "/api/v1/checkins/help",
                Some(help.clone()),
                Some(&kari),
            )
            .await;
            assert_eq!(status, StatusCode::OK, "{sent}");
            assert_eq!(sent["sent_to"], 1, "not to the paused one");
        }
        assert_eq!(app.count("checkin_messages", "kind = 'help'").await, 1);
        // Only the user asks for contact.
        let (status, _) = send(&app, &ola, &rel, json!({"id": mid(10), "kind": "help"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

        let theirs = people(&app, &ola).await;
        assert_eq!(theirs[0]["messages"][0]["kind"], "help");
        assert!(theirs[0]["messages"][0]["ack_ms"].is_null());
        let ack = format!("/api/v1/checkins/{rel}/messages/{}/ack", mid(9));
        let (status, _) = call(&app, Method::POST, &ack, None, Some(&kari)).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "the user does not acknowledge her own"
        );
        let (status, acked) = call(&app, Method::POST, &ack, None, Some(&ola)).await;
        assert_eq!(status, StatusCode::OK, "{acked}");
        assert!(acked["ack_ms"].is_i64());
        let (status, again) = call(&app, Method::POST, &ack, None, Some(&ola)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["ack_ms"], acked["ack_ms"]);
        let mine = people(&app, &kari).await;
        let ola_row = mine.iter().find(|p| p["name"] == "Ola").unwrap();
        assert_eq!(ola_row["messages"][0]["ack_ms"], acked["ack_ms"]);
        let (status, _) = call(
            &app,
            Method::POST,
            &format!("/api/v1/checkins/{rel}/messages/{}/ack", mid(77)),
            None,
            Some(&ola),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        app.stop().await;
    }
);

both_databases!(old_messages_are_deleted, |app: TestApp| async move {
    let (kari, ola, rel) = kari_and_ola(&app).await;
    for n in 1..=2 {
        say(&app, &ola, &rel, n).await;
    }
    let now = server::accounts::now_ms();
    let day = server::checkins::DAY_MS;
    app.execute(&format!(
        "UPDATE checkin_messages SET sent_ms = {} WHERE id = '{}'",
        now - 181 * day,
        mid(1)
    ))
    .await;
    let db = app.db().await;
    let purged = server::checkins::purge(&db, now, server::checkins::DEFAULT_RETENTION_MS)
        .await
        .unwrap();
    assert_eq!(purged, 1);
    let left = people(&app, &kari).await;
    assert_eq!(left[0]["messages"].as_array().unwrap().len(), 1);
    assert_eq!(left[0]["messages"][0]["id"], mid(2));
    // A shorter setting keeps less.
    assert_eq!(server::checkins::purge(&db, now + 2 * day, day).await.unwrap(), 1);
    db.close().await;
    app.stop().await;
});

/// A browser's side of Web Push: its P-256 key pair and auth secret.
pub struct Browser {
    secret: web_push_native::p256::SecretKey,
    auth: [u8; 16],
}

impl Browser {
    pub fn new() -> Browser {
        let secret = web_push_native::p256::SecretKey::random(
            &mut web_push_native::p256::elliptic_curve::rand_core::OsRng,
        );
        Browser {
            secret,
            auth: [7u8; 16],
        }
    }

    /// Its subscription to `endpoint`, as `PushSubscription.toJSON()` gives it.
    pub fn subscription(&self, endpoint: &str) -> Value {
        use base64ct::{Base64UrlUnpadded, Encoding};
        use web_push_native::p256::elliptic_curve::sec1::ToEncodedPoint;
        let public = self.secret.public_key().to_encoded_point(false);
        json!({
            "endpoint": endpoint,
            "expirationTime": null,
            "keys": {
                "p256dh": Base64UrlUnpadded::encode_string(public.as_bytes()),
                "auth": Base64UrlUnpadded::encode_string(&self.auth),
            }
        })
    }

    /// What a push for it says.
    pub fn decrypt(&self, body: &[u8]) -> String {
        let plain = web_push_native::decrypt(
            body.to_vec(),
            &self.secret,
            web_push_native::Auth::from_slice(&self.auth),
        )
        .expect("the push decrypts with the browser's key");
        String::from_utf8(plain).unwrap()
    }
}

/// What the stand-in push service received.
pub struct Received {
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
}

/// A push service on 127.0.0.1: hands every request to the test, answers `status`.
pub async fn push_service(status: u16) -> (String, tokio::sync::mpsc::UnboundedReceiver<Received>) {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let handler = move |headers: http::HeaderMap, body: axum::body::Bytes| {
        let tx = tx.clone();
        async move {
            let _ = tx.send(Received {
                headers,
                body: body.to_vec(),
            });
            http::StatusCode::from_u16(status).unwrap()
        }
    };
    let router = axum::Router::new().route("/push/{id}", axum::routing::post(handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (format!("http://{addr}"), rx)
}

pub async fn next(rx: &mut tokio::sync::mpsc::UnboundedReceiver<Received>) -> Received {
    tokio::time::timeout(std::time::Duration::from_secs(20), rx.recv())
        .await
        .expect("the push arrives")
        .unwrap()
}

both_databases!(
    push_is_encrypted_signed_and_says_nothing,
    limits = server::config::Limits {
        push_allow_loopback: true,
        ..test_limits()
    },
    |app: TestApp| async move {
        use base64ct::{Base64UrlUnpadded, Encoding};
        use web_push_native::jwt_simple::prelude::*;

        let (kari, ola, rel) = kari_and_ola(&app).await;
        let (origin, mut received) = push_service(201).await;
        // Ola's browser: its own key pair and auth secret.
        let browser = Browser::new();
        let subscription = browser.subscription(&format!("{origin}/push/ola"));
        let (status, body) = subscribe(&app, &ola, subscription.clone()).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
        let (_, key) = call(&app, Method::GET, "/api/v1/push/key", None, None).await;
        let server_key = key["key"].as_str().unwrap().to_owned();

        // Kontakt meg: urgent.
        call(
            &app,
            Method::POST,
            "/api/v1/checkins/help",
            Some(json!({"id": mid(1)})),
            Some(&kari),
        )
        .await;
        let push = next(&mut received).await;
        assert_eq!(browser.decrypt(&push.body), server::push::PAYLOAD);
        let text = String::from_utf8_lossy(&push.body).to_lowercase();
        assert!(!text.contains("kari") && !text.contains("ola"));
        assert_eq!(push.headers["content-encoding"], "aes128gcm");
        assert_eq!(push.headers["urgency"], "high");
        assert!(push.headers["ttl"].to_str().unwrap().parse::<u64>().unwrap() > 0);
        let authorization = push.headers["authorization"].to_str().unwrap();
        let (token, k) = authorization
            .strip_prefix("vapid t=")
            .and_then(|rest| rest.split_once(", k="))
            .expect("vapid t=…, k=…");
        assert_eq!(k, server_key);
        let verifier = ES256PublicKey::from_bytes(&Base64UrlUnpadded::decode_vec(k).unwrap()).unwrap();
        let options = VerificationOptions {
            allowed_audiences: Some(HashSet::from_strings(&[origin.as_str()])),
            ..VerificationOptions::default()
        };
        let claims = verifier
            .verify_token::<NoCustomClaims>(token, Some(options))
            .expect("a valid VAPID JWT for the push service's origin");
        assert!(claims.subject.unwrap().starts_with("mailto:"));
        assert!(claims.expires_at.is_some());

        // An ordinary check-in: normal urgency, the same generic payload.
        send(
            &app,
            &kari,
            &rel,
            json!({"id": mid(2), "kind": "phrase", "phrase": "good_day"}),
        )
        .await;
        let push = next(&mut received).await;
        assert_eq!(push.headers["urgency"], "normal");

        // A push service that says the subscription is gone: it is forgotten.
        let (gone, mut gone_rx) = push_service(410).await;
        let mut subscription = subscription;
        subscription["endpoint"] = json!(format!("{gone}/push/ola"));
        subscribe(&app, &ola, subscription).await;
        assert_eq!(app.count("push_subscriptions", "1 = 1").await, 2);
        send(
            &app,
            &kari,
            &rel,
            json!({"id": mid(3), "kind": "phrase", "phrase": "good_day"}),
        )
        .await;
        next(&mut gone_rx).await;
        let mut left = 2;
        for _ in 0..100 {
            left = app.count("push_subscriptions", "1 = 1").await;
            if left == 1 {
                break;
            }
            tokio::task::yield_now().await;
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(left, 1);
        // Only https (or the test's loopback) is a push endpoint.
        let bad = json!({"endpoint": "http://10.0.0.1/x", "keys": {"p256dh": "AA", "auth": "AA"}});
        let (status, refused) = subscribe(&app, &ola, bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["field"], "endpoint");
        app.stop().await;
    }
);
