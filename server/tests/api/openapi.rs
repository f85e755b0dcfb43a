//! The OpenAPI document is served and tells the truth: every documented operation exists
//! and, asked without a session and with an empty body, answers with a status the document
//! lists for it; every operation with a body answers a non-JSON body with a documented 415
//! and an oversized one with a documented 413; the throttled and limited paths' 429 and 503
//! are documented ([`assert_documented`], called where the tests provoke them); and the
//! documented limits and kinds are the server's own.

use crate::helpers::TestApp;
use app::model::record::Kind;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Fails unless the document lists `status` for `method` (lower case) on `path`.
pub fn assert_documented(method: &str, path: &str, status: u16) {
    let doc: Value = serde_json::from_str(server::http::openapi::DOCUMENT).unwrap();
    let responses = &doc["paths"][path][method]["responses"];
    assert!(
        responses.get(status.to_string()).is_some(),
        "{method} {path} answered {status}, which the document does not list"
    );
}

#[tokio::test]
async fn the_document_is_served_and_every_operation_exists() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 8);
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = (method != Method::GET).then(|| json!({}));
            let response = app.send(method.clone(), path, body, None).await;
            let status = response.status().as_u16().to_string();
            let documented = operation["responses"].as_object().unwrap();
            assert!(
                documented.contains_key(&status),
                "{method} {path} answered {status}, which the document does not list ({:?})",
                documented.keys().collect::<Vec<_>>()
            );
            if response.status().is_client_error() {
                let error: Value = response.json().await.unwrap();
                assert!(
                    error["error"].is_string(),
                    "{method} {path}: errors are JSON with a code"
                );
            }
        }
    }
    // Signed in, the sharing operations (which need a real share id) answer with documented
    // statuses too.
    let cookie = crate::sharing::account(&app, "kari").await;
    let (status, share) = crate::sharing::share(&app, &cookie, json!({"scope": "wheel"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let share_id = share["id"].as_str().unwrap();
    for (path, operations) in paths {
        let sharing = ["/api/v1/share", "/api/v1/consent-log", "/api/v1/access-log"];
        if !sharing.iter().any(|prefix| path.starts_with(prefix)) {
            continue;
        }
        for (method, operation) in operations.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let body = (method != Method::GET).then(|| json!({}));
            let concrete = path.replace("{id}", share_id);
            let response = app.send(method.clone(), &concrete, body, Some(&cookie)).await;
            let status = response.status().as_u16().to_string();
            assert!(
                operation["responses"].as_object().unwrap().contains_key(&status),
                "{method} {path} (signed in) answered {status}, which the document does not list"
            );
        }
    }
    // Every operation that takes a body: a non-JSON body is 415, an oversized one 413, both
    // documented (signed in, so the session is not what refuses them).
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            if operation.get("requestBody").is_none() {
                continue;
            }
            let verb = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let concrete = path.replace("{id}", share_id);
            let form = app
                .client
                .request(verb.clone(), app.url(&concrete))
                .header("cookie", &cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("username=a&passphrase=b")
                .send()
                .await
                .unwrap();
            assert_eq!(
                form.status(),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{method} {path}"
            );
            assert_documented(method, path, 415);
            let huge = json!({"padding": "x".repeat(server::sync::MAX_REQUEST_BYTES + 1)});
            let large = app.send(verb, &concrete, Some(huge), Some(&cookie)).await;
            assert_eq!(large.status(), StatusCode::PAYLOAD_TOO_LARGE, "{method} {path}");
            let error: Value = large.json().await.unwrap();
            assert_eq!(error["error"], "too_large", "{method} {path}");
            assert_documented(method, path, 413);
        }
    }
    // Still signed in: none of that did anything.
    let me = app
        .send(Method::GET, "/api/v1/account", None, Some(&cookie))
        .await;
    assert_eq!(me.status(), StatusCode::OK);

    // And an undocumented API path is a JSON 404, not a page.
    let unknown = app.get("/api/v1/nothing-here").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    app.stop().await;
}

#[test]
fn documented_limits_and_kinds_are_the_servers_own() {
    let doc: Value = serde_json::from_str(server::http::openapi::DOCUMENT).unwrap();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["SyncRequest"]["properties"]["changes"]["maxItems"],
        server::sync::MAX_CHANGES
    );
    assert_eq!(
        schemas["SyncRequest"]["properties"]["device"]["maxLength"],
        server::sync::MAX_DEVICE_CHARS
    );
    assert_eq!(
        schemas["Credentials"]["properties"]["passphrase"]["minLength"],
        server::accounts::PASSPHRASE_MIN_CHARS
    );
    assert_eq!(
        schemas["Credentials"]["properties"]["passphrase"]["maxLength"],
        server::accounts::PASSPHRASE_MAX_CHARS
    );
    assert_eq!(
        schemas["Credentials"]["properties"]["username"]["maxLength"],
        server::accounts::USERNAME_MAX_CHARS
    );
    let kinds: Vec<&str> = schemas["Change"]["properties"]["kind"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(kinds, Kind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>());
}
