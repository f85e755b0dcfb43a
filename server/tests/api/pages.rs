//! Pages, health, API errors and the headers every answer carries.

use crate::helpers::{TestApp, CSS_HASH};
use reqwest::StatusCode;

const ROUTES: [(&str, &str); 6] = [
    ("/", "Min plan"),
    ("/hjulet", "Samtalehjulet"),
    ("/innsjekk", "Innsjekk"),
    ("/deling", "Deling"),
    ("/krise", "Trenger du hjelp nå?"),
    ("/innstillinger", "Innstillinger og lagring"),
];

#[tokio::test]
async fn healthz_checks_the_database() {
    let app = TestApp::spawn().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert!(
        app.data.path().join("data/tillit.sqlite3").is_file(),
        "the database file was created"
    );
    app.stop().await;
}

#[tokio::test]
async fn every_route_renders_in_norwegian_with_its_heading() {
    let app = TestApp::spawn().await;
    for (path, heading) in ROUTES {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!("<h1>{heading}</h1>")),
            "{path} lacks its heading"
        );
        assert!(html.contains(r#"<html lang="nb""#), "{path}");
        assert!(
            html.contains(r#"href="/manifest.webmanifest""#),
            "{path} links the manifest"
        );
        assert!(
            html.contains(&format!("/pkg/tillit.{CSS_HASH}.css")),
            "{path} links the hashed CSS"
        );
        // The crisis button is on every page but the crisis screen itself (nothing goes
        // above the help there).
        if path == "/krise" {
            assert!(
                !html.contains("crisis-button"),
                "{path} has no crisis button of its own"
            );
        } else {
            assert!(html.contains(r#"href="/krise""#), "{path} has the crisis button");
        }
    }
    app.stop().await;
}

#[tokio::test]
async fn the_crisis_screen_has_the_emergency_numbers_as_tel_links() {
    let app = TestApp::spawn().await;
    let html = app.get("/krise").await.text().await.unwrap();
    for tel in ["tel:113", "tel:116117", "tel:116123", "tel:22400040"] {
        assert!(html.contains(&format!(r#"href="{tel}""#)), "missing {tel}");
    }
    for label in [
        "Medisinsk nødhjelp",
        "Legevakt",
        "Mental Helse hjelpetelefonen",
        "Kirkens SOS",
    ] {
        assert!(html.contains(label), "missing {label}");
    }
    app.stop().await;
}

#[tokio::test]
async fn security_headers_and_a_nonce_that_matches_the_hydration_script() {
    let app = TestApp::spawn().await;
    let response = app.get("/").await;
    let headers = response.headers().clone();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let csp = headers["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(!csp.contains("'unsafe-inline'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the CSP");
    assert!(nonce.len() >= 16, "a nonce of at least 128 bits: {nonce}");
    let html = response.text().await.unwrap();
    assert!(
        html.contains(&format!(r#"<script type="module" nonce="{nonce}">"#)),
        "the hydration script carries the nonce"
    );

    let again = app.get("/").await;
    assert_ne!(
        again.headers()["content-security-policy"],
        headers["content-security-policy"],
        "a fresh nonce per page"
    );
    app.stop().await;
}

#[tokio::test]
async fn unknown_pages_get_the_norwegian_404_page() {
    let app = TestApp::spawn().await;
    for path in ["/finnes-ikke", "/404", "/hjulet/noe/annet", "/%3Cscript%3E"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("<h1>Fant ikke siden</h1>"), "{path}");
        assert!(
            !html.contains("<script>"),
            "{path}: nothing of the path is echoed as markup"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn unknown_api_paths_answer_in_json() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/nothing-here").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "not_found");
    app.stop().await;
}

#[tokio::test]
async fn pages_are_compressed_when_the_browser_accepts_it() {
    let app = TestApp::spawn().await;
    let response = app.get_with("/krise", ("accept-encoding", "br")).await;
    assert_eq!(response.headers()["content-encoding"], "br");
    let response = app.get_with("/krise", ("accept-encoding", "gzip")).await;
    assert_eq!(response.headers()["content-encoding"], "gzip");
    app.stop().await;
}
