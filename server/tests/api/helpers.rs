//! `TestApp`: starts the real server through `startup::build` on port 0, with a fresh data
//! directory and a site directory laid out as `scripts/build` leaves it (the browser bundle
//! itself is not needed to test the server, so its files are small stand-ins).
//!
//! [`TestApp::spawn_on`] picks the database: a fresh SQLite file, or a fresh PostgreSQL
//! database made on the server `TEST_DATABASE_URL` names (and dropped by `stop`). The
//! [`both_databases!`] macro turns one test body into a test per database; the PostgreSQL
//! one is skipped, saying so, when `TEST_DATABASE_URL` is unset, and fails when it is set but
//! the server cannot be reached (`.ci/run` sets it).

use server::config::{Config, Limits};
use server::startup;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use tokio::sync::oneshot;

pub const JS_HASH: &str = "0123456789abcdef";
pub const WASM_HASH: &str = "fedcba9876543210";
pub const CSS_HASH: &str = "00aa11bb22cc33dd";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Database {
    Sqlite,
    Postgres,
}

/// One test body, run once per database: `both_databases!(name, |app| async move { … });`,
/// or with other limits: `both_databases!(name, limits = Limits { … }, |app| …);`.
#[macro_export]
macro_rules! both_databases {
    ($name:ident, $body:expr) => {
        $crate::both_databases!($name, limits = $crate::helpers::test_limits(), $body);
    };
    ($name:ident, limits = $limits:expr, $body:expr) => {
        mod $name {
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let app =
                    $crate::helpers::TestApp::spawn_with($crate::helpers::Database::Sqlite, $limits).await;
                ($body)(app).await;
            }

            #[tokio::test]
            async fn postgres() {
                if std::env::var("TEST_DATABASE_URL").is_err() {
                    eprintln!("skipped: TEST_DATABASE_URL is not set");
                    return;
                }
                let app =
                    $crate::helpers::TestApp::spawn_with($crate::helpers::Database::Postgres, $limits).await;
                ($body)(app).await;
            }
        }
    };
}

/// A new, empty PostgreSQL database for one test; returns its URL and the admin URL.
pub async fn fresh_postgres() -> (String, String) {
    use sqlx::Connection;
    let admin = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL is set");
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let name = format!(
        "tillit_test_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but PostgreSQL cannot be reached: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create a test database");
    conn.close().await.ok();
    let (base, query) = match admin.split_once('?') {
        Some((base, query)) => (base.to_owned(), format!("?{query}")),
        None => (admin.clone(), String::new()),
    };
    let server = base.rsplit_once('/').map_or(base.as_str(), |(server, _)| server);
    (format!("{server}/{name}{query}"), admin)
}

/// The database name in a `postgres://…/name?…` URL.
pub fn database_name(url: &str) -> String {
    let name = url.rsplit('/').next().unwrap_or_default();
    name.split('?').next().unwrap_or_default().to_owned()
}

/// Drops a database [`fresh_postgres`] made (by name), ending its connections.
pub async fn drop_postgres(name: &str, admin: &str) {
    use sqlx::Connection;
    if let Ok(mut conn) = sqlx::PgConnection::connect(admin).await {
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .await;
    }
}

pub struct TestApp {
    pub database: Database,
    /// The PostgreSQL database to drop at `stop` (its name, and the admin URL).
    postgres: Option<(String, String)>,
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub site: TempDir,
    pub data: TempDir,
    stop: Option<oneshot::Sender<()>>,
    running: Option<tokio::task::JoinHandle<()>>,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_on(Database::Sqlite).await
    }

    pub async fn spawn_on(database: Database) -> TestApp {
        TestApp::spawn_with(database, test_limits()).await
    }

    pub async fn spawn_with(database: Database, limits: Limits) -> TestApp {
        let site = built_site();
        let data = tempfile::tempdir().unwrap();
        let postgres = match database {
            Database::Sqlite => None,
            Database::Postgres => Some(fresh_postgres().await),
        };
        let config = Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            site_root: site.path().to_owned(),
            data_dir: data.path().join("data"),
            database_url: postgres.as_ref().map(|(url, _)| url.clone()),
        };
        let server = startup::build_with(config, limits)
            .await
            .expect("the server starts");
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
            .pool_max_idle_per_host(64)
            .build()
            .unwrap();
        let postgres = postgres.map(|(url, admin)| (database_name(&url), admin));
        TestApp {
            database,
            postgres,
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

    /// Stops the server gracefully and waits until it has; drops a PostgreSQL test database.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.running.take().unwrap().await.unwrap();
        if let Some((name, admin)) = self.postgres.take() {
            drop_postgres(&name, &admin).await;
        }
    }

    /// A request with a JSON body and, if given, the session cookie.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
        cookie: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.unwrap()
    }

    /// Rows in `table` (tests check what a deletion really removed).
    pub async fn count(&self, table: &str, condition: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE {condition}");
        self.scalar(&sql).await
    }

    /// Changes the database behind the server's back (to move a time into the past, say).
    pub async fn execute(&self, sql: &str) {
        self.try_execute(sql).await.unwrap();
    }

    /// Like [`TestApp::execute`], with the database's refusal as an error.
    pub async fn try_execute(&self, sql: &str) -> Result<(), String> {
        use sqlx::Connection;
        let done = match self.database {
            Database::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.sqlite_url()).await.unwrap();
                sqlx::query(sql).execute(&mut conn).await.map(|_| ())
            }
            Database::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.postgres_url()).await.unwrap();
                sqlx::query(sql).execute(&mut conn).await.map(|_| ())
            }
        };
        done.map_err(|e| e.to_string())
    }

    /// The server's database, opened again (for calling the library directly).
    pub async fn db(&self) -> server::db::Db {
        let url = match self.database {
            Database::Sqlite => None,
            Database::Postgres => Some(self.postgres_url()),
        };
        server::db::Db::open(&self.data.path().join("data"), url.as_deref())
            .await
            .unwrap()
    }

    /// What the server binary needs to open this test's database: its data directory and,
    /// on PostgreSQL, `DATABASE_URL`.
    pub fn database_env(&self) -> Vec<(&'static str, String)> {
        let mut env = vec![(
            "TILLIT_DATA_DIR",
            self.data.path().join("data").display().to_string(),
        )];
        if self.database == Database::Postgres {
            env.push(("DATABASE_URL", self.postgres_url()));
        }
        env
    }

    fn sqlite_url(&self) -> String {
        let path = self.data.path().join("data").join(server::db::DATABASE_FILE);
        format!("sqlite://{}", path.display())
    }

    fn postgres_url(&self) -> String {
        let (name, admin) = self.postgres.as_ref().unwrap();
        let base = admin.split('?').next().unwrap();
        let server = base.rsplit_once('/').unwrap().0;
        format!("{server}/{name}")
    }

    /// One number the database answers (`SELECT …`), behind the server's back.
    pub async fn scalar(&self, sql: &str) -> i64 {
        use sqlx::Connection;
        match self.database {
            Database::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.sqlite_url()).await.unwrap();
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&mut conn)
                    .await
                    .unwrap()
            }
            Database::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.postgres_url()).await.unwrap();
                sqlx::query_scalar::<_, i64>(sql)
                    .fetch_one(&mut conn)
                    .await
                    .unwrap()
            }
        }
    }
}

/// The `name=value` part of a response's `Set-Cookie` header, to send back as `Cookie`.
pub fn session_cookie(response: &reqwest::Response) -> String {
    let header = response
        .headers()
        .get("set-cookie")
        .expect("a Set-Cookie header")
        .to_str()
        .unwrap();
    header.split(';').next().unwrap().to_owned()
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

/// The default limits, with cheap new passphrase hashes: the unoptimised test build takes
/// about a second per standard Argon2id hash, and the suite makes hundreds. The standard
/// cost is tested in `server::hashing` and in the sign-up burst test.
///
/// The hashing queue is larger than the default (16 on two cores), so tests that send 50
/// attempts at once see the throttles' answers, not the queue's 503 (tested on its own).
pub fn test_limits() -> Limits {
    Limits {
        hash_cost: server::hashing::HashCost::Minimal,
        hashing_queue: Some(100),
        ..Limits::default()
    }
}

/// Limits for tests that come through a reverse proxy on 127.0.0.1 (the test client), so
/// each request can name its own client in `X-Forwarded-For`.
pub fn behind_proxy() -> Limits {
    Limits {
        trusted_proxies: server::http::client_addr::TrustedProxies::parse("127.0.0.1").unwrap(),
        ..test_limits()
    }
}

/// The passphrase every test account has.
pub const PASS: &str = "en lang og god passfrase";

/// Creates an account through the API and returns its session cookie.
pub async fn create_account(app: &TestApp, name: &str) -> String {
    let response = app
        .send(
            reqwest::Method::POST,
            "/api/v1/accounts",
            Some(serde_json::json!({"username": name, "passphrase": PASS})),
            None,
        )
        .await;
    assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    session_cookie(&response)
}
