//! `TestApp`: starts the real server through `startup::build` on port 0, with a fresh data
//! directory and a site directory laid out as `scripts/build` leaves it (the browser bundle
//! itself is not needed to test the server, so its files are small stand-ins).

use server::config::Config;
use server::startup;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use tokio::sync::oneshot;

pub const JS_HASH: &str = "0123456789abcdef";
pub const WASM_HASH: &str = "fedcba9876543210";
pub const CSS_HASH: &str = "00aa11bb22cc33dd";

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub site: TempDir,
    pub data: TempDir,
    stop: Option<oneshot::Sender<()>>,
    running: Option<tokio::task::JoinHandle<()>>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        let site = built_site();
        let data = tempfile::tempdir().unwrap();
        let config = Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            site_root: site.path().to_owned(),
            data_dir: data.path().join("data"),
        };
        let server = startup::build(config).await.expect("the server starts");
        let addr = server.addr();
        let (stop, stopped) = oneshot::channel::<()>();
        let running = tokio::spawn(async move {
            server
                .run_until(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp {
            addr,
            client,
            site,
            data,
            stop: Some(stop),
            running: Some(running),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_with(&self, path: &str, header: (&str, &str)) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header(header.0, header.1)
            .send()
            .await
            .unwrap()
    }

    /// Stops the server gracefully and waits until it has.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.running.take().unwrap().await.unwrap();
    }
}

/// A site directory as `scripts/build` leaves it: hashed bundle files, `hash.txt`, and
/// everything from `public/` (the real worker template, manifest and icons).
pub fn built_site() -> TempDir {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(
        pkg.join(format!("tillit.{JS_HASH}.js")),
        "export default function(){}",
    )
    .unwrap();
    std::fs::write(pkg.join(format!("tillit.{WASM_HASH}.wasm")), b"\0asm\x01\0\0\0").unwrap();
    let css = "body { color: black; }\n".repeat(40);
    std::fs::write(pkg.join(format!("tillit.{CSS_HASH}.css")), &css).unwrap();
    std::fs::write(
        pkg.join(format!("tillit.{CSS_HASH}.css.br")),
        b"not really brotli",
    )
    .unwrap();
    std::fs::write(
        site.path().join("hash.txt"),
        format!("js: {JS_HASH}\nwasm: {WASM_HASH}\ncss: {CSS_HASH}\n"),
    )
    .unwrap();
    copy_dir(&public_dir(), site.path());
    site
}

pub fn public_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../public")
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
