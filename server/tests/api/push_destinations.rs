//! A push goes to a push service on the internet, never into the server's own network: a
//! subscription to a local or private address is refused, and a stored endpoint whose name
//! now resolves to the loopback (DNS rebinding) is never connected to. With the production
//! settings (no test allowance), on both databases.

use crate::both_databases;
use crate::checkins::{kari_and_ola, mid, send, subscribe, Browser};
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A TCP listener on the loopback that counts the connections it is offered.
async fn counting_listener() -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let counted = connections.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counted.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    (port, connections)
}

both_databases!(
    push_to_local_or_private_addresses_is_refused,
    |app: TestApp| async move {
        let (kari, ola, rel) = kari_and_ola(&app).await;
        // Keys that parse (a real P-256 point, a 16-byte secret), so a send gets as far as
        // connecting.
        let subscription = Browser::new().subscription("https://push.example/");
        let (p256dh, auth) = (&subscription["keys"]["p256dh"], &subscription["keys"]["auth"]);
        let (p256dh, auth) = (p256dh.as_str().unwrap(), auth.as_str().unwrap());
        let (port, connections) = counting_listener().await;
        for endpoint in [
            format!("http://127.0.0.1:{port}/push/ola"),
            format!("https://127.0.0.1:{port}/push/ola"),
            format!("https://localhost:{port}/push/ola"),
            "https://10.0.0.1/push".to_owned(),
            "https://172.16.5.4/push".to_owned(),
            "https://192.168.1.1/push".to_owned(),
            "https://169.254.169.254/latest/meta-data".to_owned(),
            "https://100.64.0.1/push".to_owned(),
            "https://[::1]/push".to_owned(),
            "https://[fd00::1]/push".to_owned(),
            "https://[fe80::1]/push".to_owned(),
            "https://[::ffff:127.0.0.1]/push".to_owned(),
            "https://0.0.0.0/push".to_owned(),
        ] {
            let subscription = json!({"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}});
            let (status, refused) = subscribe(&app, &ola, subscription).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{endpoint}: {refused}");
            assert_eq!(refused["field"], "endpoint", "{endpoint}");
        }
        assert_eq!(app.count("push_subscriptions", "1 = 1").await, 0);

        // Endpoints that passed when they were stored (a name that resolved to a public address
        // then, say) and point at the loopback now: sending checks again and connects to nothing.
        for endpoint in [
            format!("https://localhost:{port}/push/rebound"),
            format!("https://127.0.0.1:{port}/push/literal"),
        ] {
            app.execute(&format!(
                "INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_ms) \
             SELECT '{endpoint}', id, '{p256dh}', '{auth}', 0 FROM users WHERE username = 'ola'"
            ))
            .await;
        }
        let (status, body) = send(
            &app,
            &kari,
            &rel,
            json!({"id": mid(1), "kind": "phrase", "phrase": "good_day"}),
        )
        .await;
        assert!(status.is_success(), "{body}");
        // The send runs in the background; a connection would come within milliseconds.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert_eq!(
            connections.load(Ordering::SeqCst),
            0,
            "a push reached the loopback"
        );
        app.stop().await;
    }
);
