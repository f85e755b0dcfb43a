//! The installable app: manifest, icons, the worker rendered for the build, hashed files.

use crate::helpers::{TestApp, CSS_HASH, JS_HASH, WASM_HASH};
use reqwest::StatusCode;

#[tokio::test]
async fn the_manifest_is_norwegian_standalone_with_all_icons() {
    let app = TestApp::spawn().await;
    let response = app.get("/manifest.webmanifest").await;
    assert_eq!(response.status(), StatusCode::OK);
    let manifest: serde_json::Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(manifest["lang"], "nb");
    assert_eq!(manifest["short_name"], "Tillit");
    assert_eq!(manifest["display"], "standalone");
    assert!(manifest["theme_color"].is_string() && manifest["background_color"].is_string());
    let icons = manifest["icons"].as_array().unwrap();
    for (size, purpose) in [("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")] {
        let icon = icons
            .iter()
            .find(|i| i["sizes"] == size && i["purpose"] == purpose)
            .unwrap_or_else(|| panic!("no {purpose} icon of {size}"));
        let src = icon["src"].as_str().unwrap();
        let png = app.get(src).await;
        assert_eq!(png.status(), StatusCode::OK, "{src}");
        let bytes = png.bytes().await.unwrap();
        assert_eq!(&bytes[1..4], b"PNG", "{src} is a PNG");
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        assert_eq!(format!("{width}x{width}"), size, "{src} has its stated size");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_service_worker_precaches_every_route_and_file_of_this_build() {
    let app = TestApp::spawn().await;
    let response = app.get("/sw.js").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let script = response.text().await.unwrap();
    assert!(!script.contains("__TILLIT_"), "every placeholder is filled");
    let list = script
        .split("const PRECACHE = ")
        .nth(1)
        .unwrap()
        .split(";\n")
        .next()
        .unwrap();
    let precache: Vec<String> = serde_json::from_str(list).unwrap();
    for url in [
        "/",
        "/hjulet",
        "/innsjekk",
        "/deling",
        "/krise",
        "/innstillinger",
        "/manifest.webmanifest",
        "/icons/icon-192.png",
    ] {
        assert!(
            precache.contains(&url.to_owned()),
            "{url} is precached: {precache:?}"
        );
    }
    for file in [
        format!("tillit.{JS_HASH}.js"),
        format!("tillit.{WASM_HASH}.wasm"),
        format!("tillit.{CSS_HASH}.css"),
    ] {
        assert!(precache.contains(&format!("/pkg/{file}")), "{file} is precached");
    }
    assert!(
        !precache
            .iter()
            .any(|u| u.ends_with(".br") || u == "/sw.js" || u == "/hash.txt"),
        "{precache:?}"
    );

    let health: serde_json::Value = app.get("/healthz").await.json().await.unwrap();
    let version = health["version"].as_str().unwrap();
    assert!(
        script.contains(&format!("const VERSION = \"{version}\"")),
        "the worker carries the build version"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_changed_build_is_a_new_worker_version() {
    let first = TestApp::spawn().await;
    let first_script = first.get("/sw.js").await.text().await.unwrap();
    std::fs::write(
        first.site.path().join("icons/icon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )
    .unwrap();
    let config = server::config::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        site_root: first.site.path().to_owned(),
        data_dir: first.data.path().join("data"),
        database_url: None,
    };
    let second = server::startup::build(config).await.unwrap();
    let addr = second.addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(second.run_until(async {
        let _ = stopped.await;
    }));
    let second_script = reqwest::get(format!("http://{addr}/sw.js"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_ne!(first_script, second_script);
    let _ = stop.send(());
    running.await.unwrap().unwrap();
    first.stop().await;
}

#[tokio::test]
async fn hashed_files_are_immutable_and_served_precompressed() {
    let app = TestApp::spawn().await;
    let path = format!("/pkg/tillit.{CSS_HASH}.css");
    let response = app.get_with(&path, ("accept-encoding", "br")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(
        response.text().await.unwrap(),
        "not really brotli",
        "the precompressed twin, not compressed again"
    );

    let plain = app.get_with(&path, ("accept-encoding", "identity")).await;
    assert!(plain.text().await.unwrap().starts_with("body"));

    let missing = app.get("/pkg/tillit.0000000000000000.wasm").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        missing.headers()["cache-control"],
        "no-cache",
        "a miss is never cached as immutable"
    );
    app.stop().await;
}
