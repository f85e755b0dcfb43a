//! Crash safety of sync: the real server binary, killed with SIGKILL while sixteen clients
//! push, then started again on the same database. Whatever the server acknowledged (an HTTP
//! 200) must be there, exactly once; every push is all or nothing; the user's sequence has
//! no duplicates and no holes; and a push whose answer was lost in the crash can be sent
//! again without storing anything twice. On SQLite, and on PostgreSQL when
//! `TEST_DATABASE_URL` is set (a fresh database, dropped after).

use crate::helpers::{built_site, database_name, drop_postgres, fresh_postgres};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;
use tempfile::TempDir;

const TASKS: u32 = 16;
const PER_PUSH: u32 = 20;
/// Kill once this many pushes were acknowledged: far enough in that many are in flight.
const KILL_AFTER_ACKS: usize = 40;
const SECTION: &str = "0190a000-0000-7000-8000-0000000000ff";
const USERNAME: &str = "kari";
const PASSPHRASE: &str = "en lang og god passfrase";
/// Generous: a debug build hashes Argon2id slowly, and CI machines are busy.
const PATIENCE: Duration = Duration::from_secs(60);

/// The server binary as a child process; killed (SIGKILL) when dropped, so a failing test
/// leaves nothing running.
pub(crate) struct ServerProcess {
    child: Child,
    pub(crate) url: String,
}

impl ServerProcess {
    /// Starts the binary on a free port and waits until it listens and `/healthz` is 200.
    pub(crate) async fn start(site: &Path, data: &Path, database_url: Option<&str>) -> ServerProcess {
        let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
        command
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("LEPTOS_SITE_ROOT", site)
            .env("TILLIT_DATA_DIR", data)
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        match database_url {
            Some(url) => command.env("DATABASE_URL", url),
            None => command.env_remove("DATABASE_URL"),
        };
        let mut child = command.spawn().expect("the server binary starts");
        // The log says where it listens (port 0: the system chose); keep reading after that
        // so request logs never fill the pipe and block the server.
        let stdout = child.stdout.take().unwrap();
        let (found, listening) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(addr) = line.split("listening addr=").nth(1) {
                    let _ = found.send(addr.trim().to_owned());
                }
            }
        });
        let addr = tokio::task::spawn_blocking(move || listening.recv_timeout(PATIENCE))
            .await
            .unwrap()
            .expect("the server says where it listens");
        let server = ServerProcess {
            child,
            url: format!("http://{addr}"),
        };
        let health = reqwest::Client::new()
            .get(format!("{}/healthz", server.url))
            .timeout(PATIENCE)
            .send()
            .await
            .expect("/healthz answers");
        assert_eq!(health.status(), reqwest::StatusCode::OK);
        server
    }

    fn kill(&mut self) {
        // SIGKILL on Unix: no graceful shutdown, no flush, like a power cut to the process.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(PATIENCE).build().unwrap()
}

/// Record ids say which task and push they belong to: `0190c000-TTTT-7000-8000-PPPPPPPPKKKK`.
fn record_id(task: u32, push: u32, k: u32) -> String {
    format!("0190c000-{task:04x}-7000-8000-{push:08x}{k:04x}")
}

fn origin(id: &str) -> (u32, u32) {
    let parts: Vec<&str> = id.split('-').collect();
    let task = u32::from_str_radix(parts[1], 16).unwrap();
    let push = u32::from_str_radix(&parts[4][..8], 16).unwrap();
    (task, push)
}

fn push_body(task: u32, push: u32, since: i64) -> Value {
    let device = format!("crash-{task}");
    let changes: Vec<Value> = (0..PER_PUSH)
        .map(|k| {
            json!({"id": record_id(task, push, k), "kind": "plan.item", "version": {
                "hlc": {"wall_ms": 1_000 + u64::from(push), "counter": k, "device": device},
                "deleted": false, "schema": 1,
                "body": {"section": SECTION, "text": format!("punkt {push}.{k}"), "position": 1024}}})
        })
        .collect();
    json!({"device": device, "since": since, "changes": changes})
}

/// The `name=value` of the session cookie a response sets.
fn cookie_of(response: &reqwest::Response) -> String {
    let header = response.headers().get("set-cookie").expect("a session cookie");
    header.to_str().unwrap().split(';').next().unwrap().to_owned()
}

async fn sign(url: &str, path: &str) -> String {
    let response = client()
        .post(format!("{url}{path}"))
        .json(&json!({"username": USERNAME, "passphrase": PASSPHRASE}))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success(), "{path}: {}", response.status());
    cookie_of(&response)
}

async fn sync(url: &str, cookie: &str, body: &Value) -> Result<Value, String> {
    let response = client()
        .post(format!("{url}/api/v1/sync"))
        .header("cookie", cookie)
        .json(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status() != reqwest::StatusCode::OK {
        return Err(format!("status {}", response.status()));
    }
    // The push counts as acknowledged only once the whole answer has arrived.
    response.json().await.map_err(|e| e.to_string())
}

/// Every stored version after the crash, following `more`: (seq, record id).
async fn pull_all(url: &str, cookie: &str) -> Vec<(i64, String)> {
    let mut since = 0;
    let mut all = Vec::new();
    loop {
        let body = sync(url, cookie, &json!({"device": "checker", "since": since}))
            .await
            .expect("a pull after the restart");
        for change in body["changes"].as_array().unwrap() {
            all.push((
                change["seq"].as_i64().unwrap(),
                change["id"].as_str().unwrap().to_owned(),
            ));
        }
        since = body["cursor"].as_i64().unwrap();
        if body["more"] != json!(true) {
            return all;
        }
    }
}

/// Which pushes the server acknowledged, and which were sent without an answer.
#[derive(Default)]
struct Outcome {
    acknowledged: HashSet<(u32, u32)>,
    in_doubt: HashSet<(u32, u32)>,
}

async fn crash_and_recover(database_url: Option<&str>) {
    let site = built_site();
    let data = TempDir::new().unwrap();
    let mut server = ServerProcess::start(site.path(), data.path(), database_url).await;
    let cookie = sign(&server.url, "/api/v1/accounts").await;

    let outcome = Arc::new(Mutex::new(Outcome::default()));
    let acks = Arc::new(AtomicUsize::new(0));
    let enough = Arc::new(tokio::sync::Notify::new());
    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let (outcome, acks, enough) = (outcome.clone(), acks.clone(), enough.clone());
        let (url, cookie) = (server.url.clone(), cookie.clone());
        tasks.push(tokio::spawn(async move {
            let mut since = 0;
            for push in 0.. {
                outcome.lock().unwrap().in_doubt.insert((task, push));
                match sync(&url, &cookie, &push_body(task, push, since)).await {
                    Ok(answer) => since = answer["cursor"].as_i64().unwrap(),
                    // The server is gone (or refused): this push stays in doubt.
                    Err(_) => return,
                }
                let mut outcome = outcome.lock().unwrap();
                outcome.in_doubt.remove(&(task, push));
                outcome.acknowledged.insert((task, push));
                if acks.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER_ACKS {
                    enough.notify_one();
                }
            }
        }));
    }
    tokio::time::timeout(PATIENCE, enough.notified())
        .await
        .expect("the pushes are acknowledged");
    server.kill();
    for task in tasks {
        tokio::time::timeout(PATIENCE, task)
            .await
            .expect("every pushing task ends once the server is gone")
            .unwrap();
    }
    let outcome = std::mem::take(&mut *outcome.lock().unwrap());
    assert!(outcome.acknowledged.len() >= KILL_AFTER_ACKS);

    let server = ServerProcess::start(site.path(), data.path(), database_url).await;
    let cookie = sign(&server.url, "/api/v1/session").await;
    let stored = pull_all(&server.url, &cookie).await;

    let seqs: Vec<i64> = stored.iter().map(|(seq, _)| *seq).collect();
    let expected: Vec<i64> = (1..=stored.len() as i64).collect();
    assert_eq!(
        seqs, expected,
        "sequence numbers grow by one, without duplicates or holes"
    );
    let mut per_push: BTreeMap<(u32, u32), u32> = BTreeMap::new();
    let mut seen = HashSet::new();
    for (_, id) in &stored {
        assert!(seen.insert(id.clone()), "{id} is stored twice");
        *per_push.entry(origin(id)).or_default() += 1;
    }
    for (push, count) in &per_push {
        assert_eq!(
            *count, PER_PUSH,
            "push {push:?} is stored in part ({count} of {PER_PUSH})"
        );
        assert!(
            outcome.acknowledged.contains(push) || outcome.in_doubt.contains(push),
            "push {push:?} was never sent"
        );
    }
    for push in &outcome.acknowledged {
        assert!(per_push.contains_key(push), "acknowledged push {push:?} is lost");
    }
    eprintln!(
        "crash test on {}: {} pushes acknowledged, {} in flight at the kill ({} of those stored)",
        if database_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        },
        outcome.acknowledged.len(),
        outcome.in_doubt.len(),
        outcome
            .in_doubt
            .iter()
            .filter(|p| per_push.contains_key(p))
            .count()
    );

    // The clients retry what they never heard back about: nothing is stored twice.
    for &(task, push) in &outcome.in_doubt {
        sync(&server.url, &cookie, &push_body(task, push, 0))
            .await
            .expect("a retried push is accepted");
    }
    let after = pull_all(&server.url, &cookie).await;
    let ids: HashSet<&str> = after.iter().map(|(_, id)| id.as_str()).collect();
    let total = (outcome.acknowledged.len() + outcome.in_doubt.len()) * PER_PUSH as usize;
    assert_eq!(
        (after.len(), ids.len()),
        (total, total),
        "every push is there once after the retries"
    );
}

#[tokio::test]
async fn sqlite_keeps_every_acknowledged_push_through_a_kill() {
    crash_and_recover(None).await;
}

#[tokio::test]
async fn postgres_keeps_every_acknowledged_push_through_a_kill() {
    if std::env::var("TEST_DATABASE_URL").is_err() {
        eprintln!("skipped: TEST_DATABASE_URL is not set");
        return;
    }
    let (url, admin) = fresh_postgres().await;
    crash_and_recover(Some(&url)).await;
    drop_postgres(&database_name(&url), &admin).await;
}
