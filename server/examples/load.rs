//! Load generator for the sync API: many phones, each with its own account, each doing sync
//! round trips as the app does (push a few new or edited plan records, then pull from its
//! cursor) for a fixed time. Prints one block: throughput, latency per request, errors, and
//! the server's peak memory.
//!
//! ```text
//! cargo run --release -p server --example load -- --url http://127.0.0.1:3000 \
//!     --clients 200 --seconds 20 [--think-ms 0] [--server-pid PID] [--mode checkins|heavy]
//! ```
//!
//! `--mode heavy`: one account pushes `--rounds` (default 100) × 500 versions of one record
//! while another syncs every `--think-ms`; prints the push time as the history grows and the
//! other account's p99 (`load/heavy.rs`).
//!
//! `--mode checkins`: `--clients` pairs (a user and their trusted person, each an account;
//! the user invites, the other accepts the code), each pair exchanging a check-in about
//! every `--think-ms` (one side sends, the other fetches its conversations), the two sides
//! taking turns. A pair stays under the 20-a-day limit for runs of up to 40 round trips.
//!
//! Accounts are made first (Argon2id: slow on purpose, so a few at a time) and are not timed.
//! With `--think-ms 0` (the default) every client sends its next request as soon as the last
//! is answered: the server is never idle, so this measures capacity, and latency is about
//! clients ÷ throughput. A positive `--think-ms` is a pause of about that long (±50 %)
//! between one client's round trips, as a phone that syncs now and then; the clients' first
//! round trips are then spread over one think time rather than all at once.

use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const PASSPHRASE: &str = "en lang og god passfrase for last";
/// Accounts created at once (each is an Argon2id hash on the server).
const CREATE_AT_ONCE: usize = 4;
/// Error causes kept to print.
const CAUSES_SHOWN: usize = 5;

struct Args {
    url: String,
    clients: usize,
    seconds: f64,
    think_ms: u64,
    server_pid: Option<u32>,
    mode: Mode,
    /// `--mode heavy`: the heavy account's pushes.
    rounds: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Sync,
    Checkins,
    Heavy,
}

fn usage() -> ! {
    eprintln!(
        "usage: load --url http://HOST:PORT [--clients N] [--seconds S] [--think-ms MS] [--server-pid PID] [--mode sync|checkins|heavy] [--rounds N]"
    );
    std::process::exit(2)
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> T {
    value.parse().unwrap_or_else(|_| {
        eprintln!("{flag}: not a number: {value}");
        usage()
    })
}

fn parse_args() -> Args {
    let mut args = Args {
        url: String::new(),
        clients: 50,
        seconds: 20.0,
        think_ms: 0,
        server_pid: None,
        mode: Mode::Sync,
        rounds: 100,
    };
    let mut think_given = false;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--url" => args.url = value.trim_end_matches('/').to_owned(),
            "--clients" => args.clients = number(&flag, &value),
            "--seconds" => args.seconds = number(&flag, &value),
            "--think-ms" => {
                args.think_ms = number(&flag, &value);
                think_given = true;
            }
            "--rounds" => args.rounds = number(&flag, &value),
            "--server-pid" => args.server_pid = Some(number(&flag, &value)),
            "--mode" => {
                args.mode = match value.as_str() {
                    "sync" => Mode::Sync,
                    "checkins" => Mode::Checkins,
                    "heavy" => Mode::Heavy,
                    _ => usage(),
                }
            }
            _ => usage(),
        }
    }
    if args.url.is_empty() || args.clients == 0 || args.seconds <= 0.0 || args.rounds == 0 {
        usage()
    }
    if args.mode == Mode::Heavy && !think_given {
        // The other account syncs often, to see any stall the heavy pushes cause.
        args.think_ms = 20;
    }
    args
}

/// A small, seeded generator (xorshift64*): enough to vary pushes, no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A random (version 4) UUID, hyphenated, as record ids are.
    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        let b = (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xFFFF,
            a & 0x0FFF,
            b >> 48,
            b & 0xFFFF_FFFF_FFFF
        )
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// What every client adds to: latencies and errors.
#[derive(Default)]
struct Tally {
    latencies_us: Mutex<Vec<u64>>,
    round_trips: AtomicU64,
    errors: AtomicU64,
    causes: Mutex<Vec<String>>,
}

impl Tally {
    fn error(&self, cause: String) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        let mut causes = self.causes.lock().unwrap();
        if causes.len() < CAUSES_SHOWN {
            causes.push(cause);
        }
    }
}

/// One phone: its session, device id, clock, cursor, and the records it has made.
struct Phone {
    cookie: String,
    device: String,
    section: String,
    items: Vec<(String, u32)>,
    cursor: i64,
    last_hlc: (u64, u32),
    rng: Rng,
    latencies_us: Vec<u64>,
}

impl Phone {
    /// The next stamp of this device's hybrid logical clock.
    fn hlc(&mut self) -> Value {
        let wall = now_ms();
        self.last_hlc = if wall > self.last_hlc.0 {
            (wall, 0)
        } else {
            (self.last_hlc.0, self.last_hlc.1 + 1)
        };
        json!({"wall_ms": self.last_hlc.0, "counter": self.last_hlc.1, "device": self.device})
    }

    /// 1 to 5 changes: the section first, then new items or edits of earlier ones.
    fn changes(&mut self) -> Vec<Value> {
        let count = 1 + self.rng.below(5) as usize;
        let mut changes = Vec::with_capacity(count);
        if self.items.is_empty() {
            let hlc = self.hlc();
            changes.push(json!({"id": self.section, "kind": "plan.section", "version": {
                "hlc": hlc, "deleted": false, "schema": 1,
                "body": {"name": "Det som hjelper meg", "position": 1024}}}));
        }
        while changes.len() < count {
            let edit = !self.items.is_empty() && self.rng.below(3) == 0;
            let (id, edits) = if edit {
                let index = self.rng.below(self.items.len() as u64) as usize;
                self.items[index].1 += 1;
                self.items[index].clone()
            } else {
                self.items.push((self.rng.uuid(), 0));
                self.items.last().unwrap().clone()
            };
            let hlc = self.hlc();
            let position = 1024 * self.items.len() as i64;
            changes.push(json!({"id": id, "kind": "plan.item", "version": {
                "hlc": hlc, "deleted": false, "schema": 1,
                "body": {"section": self.section,
                         "text": format!("Gå en tur rundt vannet, ring en venn (versjon {edits})"),
                         "position": position}}}));
        }
        changes
    }
}

/// One request; its latency is kept when it succeeds, its cause when it fails.
async fn sync(http: &reqwest::Client, url: &str, phone: &mut Phone, body: Value) -> Result<Value, String> {
    let started = Instant::now();
    let response = http
        .post(format!("{url}/api/v1/sync"))
        .header("cookie", &phone.cookie)
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("transport: {e}"))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| format!("reading the answer: {e}"))?;
    phone.latencies_us.push(started.elapsed().as_micros() as u64);
    if !status.is_success() {
        return Err(format!(
            "{status}: {}",
            text.chars().take(200).collect::<String>()
        ));
    }
    serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))
}

/// Push, then pull until there is no more: one round trip.
async fn round_trip(http: &reqwest::Client, url: &str, phone: &mut Phone) -> Result<(), String> {
    let changes = phone.changes();
    let body = json!({"device": phone.device, "since": phone.cursor, "changes": changes});
    let answer = sync(http, url, phone, body).await?;
    phone.cursor = answer["cursor"].as_i64().ok_or("no cursor in the answer")?;
    loop {
        let body = json!({"device": phone.device, "since": phone.cursor});
        let answer = sync(http, url, phone, body).await?;
        phone.cursor = answer["cursor"].as_i64().ok_or("no cursor in the answer")?;
        if answer["more"] != json!(true) {
            return Ok(());
        }
    }
}

/// Makes account `i` as its own phone would: each from its own address, which it names in
/// `X-Forwarded-For` (believed only when the server runs with
/// `TILLIT_TRUSTED_PROXIES=127.0.0.1`; otherwise every sign-up counts against one address,
/// and the eleventh in an hour is refused).
async fn create_account(
    http: &reqwest::Client,
    url: &str,
    username: &str,
    i: usize,
) -> Result<String, String> {
    let address = format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255);
    let response = http
        .post(format!("{url}/api/v1/accounts"))
        .header("x-forwarded-for", address)
        .json(&json!({"username": username, "passphrase": PASSPHRASE}))
        .send()
        .await
        .map_err(|e| format!("transport: {e}"))?;
    if response.status() == reqwest::StatusCode::TOO_MANY_REQUESTS {
        return Err(format!(
            "creating {username}: 429, the sign-up throttle (10 per address per hour): start the \
             server under test with TILLIT_TRUSTED_PROXIES=127.0.0.1"
        ));
    }
    if !response.status().is_success() {
        return Err(format!("creating {username}: {}", response.status()));
    }
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .ok_or("no session cookie")?;
    Ok(cookie.to_owned())
}

/// The peak resident memory of a process (`VmHWM`), in KiB.
fn peak_memory_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("an HTTP client");
    let run = now_ms();

    match args.mode {
        Mode::Checkins => return checkins::run(&args, &http, run).await,
        Mode::Heavy => return heavy::run(&args, &http, run).await,
        Mode::Sync => {}
    }
    let made = Instant::now();
    let cookies = create_accounts(&http, &args.url, run, args.clients).await;
    let mut phones = Vec::with_capacity(args.clients);
    for (i, cookie) in cookies.into_iter().enumerate() {
        let mut rng = Rng::new(run ^ (i as u64 + 1));
        phones.push(Phone {
            cookie,
            device: format!("load-{i}"),
            section: rng.uuid(),
            items: Vec::new(),
            cursor: 0,
            last_hlc: (0, 0),
            rng,
            latencies_us: Vec::new(),
        });
    }
    let setup = made.elapsed();

    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.seconds);
    let mut running = Vec::with_capacity(phones.len());
    for mut phone in phones {
        let (http, url, tally, think_ms) = (http.clone(), args.url.clone(), tally.clone(), args.think_ms);
        running.push(tokio::spawn(async move {
            // Phones do not all sync in the same millisecond: with a think time, each starts
            // somewhere within one.
            if think_ms > 0 {
                tokio::time::sleep(Duration::from_millis(phone.rng.below(think_ms))).await;
            }
            while Instant::now() < deadline {
                match round_trip(&http, &url, &mut phone).await {
                    Ok(()) => {
                        tally.round_trips.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(cause) => tally.error(cause),
                }
                if think_ms > 0 {
                    let pause = think_ms / 2 + phone.rng.below(think_ms + 1);
                    tokio::time::sleep_until(
                        (Instant::now() + Duration::from_millis(pause))
                            .min(deadline)
                            .into(),
                    )
                    .await;
                }
            }
            tally.latencies_us.lock().unwrap().append(&mut phone.latencies_us);
        }));
    }
    for task in running {
        task.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();

    report(&args, setup, elapsed, &tally, "push 1-5 plan records + pull");
}

/// Makes `count` accounts, a few at a time; their session cookies in order. Exits on failure.
async fn create_accounts(http: &reqwest::Client, url: &str, run: u64, count: usize) -> Vec<String> {
    let gate = Arc::new(tokio::sync::Semaphore::new(CREATE_AT_ONCE));
    let mut creating = Vec::with_capacity(count);
    for i in 0..count {
        let (http, url, gate) = (http.clone(), url.to_owned(), gate.clone());
        creating.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            create_account(&http, &url, &format!("load{run}x{i}"), i).await
        }));
    }
    let mut cookies = Vec::with_capacity(count);
    for task in creating {
        match task.await.unwrap() {
            Ok(cookie) => cookies.push(cookie),
            Err(cause) => {
                eprintln!("error: could not create the accounts: {cause}");
                std::process::exit(1);
            }
        }
    }
    cookies
}

/// Prints the block and exits non-zero on any error.
fn report(args: &Args, setup: Duration, elapsed: f64, tally: &Tally, one: &str) {
    let mut latencies = std::mem::take(&mut *tally.latencies_us.lock().unwrap());
    latencies.sort_unstable();
    let round_trips = tally.round_trips.load(Ordering::Relaxed);
    let errors = tally.errors.load(Ordering::Relaxed);
    println!("== load: {} ==", args.url);
    println!(
        "clients        {} (accounts made in {:.1} s, not timed); think time {} ms",
        args.clients,
        setup.as_secs_f64(),
        args.think_ms
    );
    println!("duration       {elapsed:.1} s");
    println!(
        "round trips    {round_trips} ({:.0}/s; one = {one})",
        round_trips as f64 / elapsed
    );
    println!(
        "requests       {} ({:.0}/s)",
        latencies.len(),
        latencies.len() as f64 / elapsed
    );
    println!(
        "latency (ms)   p50 {:.1}  p95 {:.1}  p99 {:.1}  max {:.1}",
        percentile(&latencies, 50.0),
        percentile(&latencies, 95.0),
        percentile(&latencies, 99.0),
        percentile(&latencies, 100.0)
    );
    println!("errors         {errors}");
    for cause in tally.causes.lock().unwrap().iter() {
        println!("  - {cause}");
    }
    if let Some(pid) = args.server_pid {
        match peak_memory_kib(pid) {
            Some(kib) => println!(
                "server peak    {:.1} MiB (VmHWM of pid {pid})",
                kib as f64 / 1024.0
            ),
            None => println!("server peak    unknown (no /proc/{pid}/status)"),
        }
    }
    if errors > 0 {
        std::process::exit(1);
    }
}

#[path = "load/checkins.rs"]
mod checkins;
#[path = "load/heavy.rs"]
mod heavy;
