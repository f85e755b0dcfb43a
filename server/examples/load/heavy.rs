//! `--mode heavy`: one account writes heavily while another syncs as a phone does.
//!
//! The heavy writer pushes `--rounds` (default 100) × 500 versions of one record, back to
//! back; meanwhile the other account pushes one change and pulls, pausing `--think-ms`
//! (default 20) between round trips. Printed: the heavy push's time as the record's history
//! grows (median of each tenth of the rounds), the other account's sync latency (p50, p99,
//! max) and errors, and the server's peak memory. What it shows: a push's cost does not
//! grow with the history (issue 14), and one account's writing does not slow another's.

use super::{create_accounts, now_ms, peak_memory_kib, percentile, Args};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Versions in one heavy push (the server's most per push).
const PER_PUSH: u64 = 500;
const RECORD: &str = "0190a000-0000-7000-8000-0000000000aa";
const OTHER_RECORD: &str = "0190a000-0000-7000-8000-0000000000bb";

/// Version `wall` of a wheel area (a small record, as most are).
fn version(id: &str, wall: u64, device: &str) -> Value {
    json!({"id": id, "kind": "wheel.area", "version": {
        "hlc": {"wall_ms": wall, "counter": 0, "device": device},
        "deleted": false, "schema": 1,
        "body": {"name": format!("Jobb og skole {wall}"), "position": 1024}}})
}

/// Posts one sync; its time, or why it failed.
async fn sync(
    http: &reqwest::Client,
    url: &str,
    cookie: &str,
    body: &Value,
) -> Result<(Duration, Value), String> {
    let started = Instant::now();
    let response = http
        .post(format!("{url}/api/v1/sync"))
        .header("cookie", cookie)
        .json(body)
        .send()
        .await
        .map_err(|e| format!("transport: {e}"))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| format!("reading: {e}"))?;
    if !status.is_success() {
        return Err(format!(
            "{status}: {}",
            text.chars().take(200).collect::<String>()
        ));
    }
    let took = started.elapsed();
    Ok((took, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

pub async fn run(args: &Args, http: &reqwest::Client, run: u64) {
    let cookies = create_accounts(http, &args.url, run, 2).await;
    let (heavy, other) = (cookies[0].clone(), cookies[1].clone());
    let base = now_ms() - args.rounds * PER_PUSH;
    let stop = Arc::new(AtomicBool::new(false));
    let syncing = {
        let (http, url, stop, think) = (http.clone(), args.url.clone(), stop.clone(), args.think_ms);
        tokio::spawn(async move {
            let (mut times, mut errors, mut cursor) = (Vec::new(), Vec::new(), 0_i64);
            let mut wall = now_ms();
            while !stop.load(Ordering::SeqCst) {
                wall += 1;
                let body = json!({"device": "phone", "since": cursor,
                                  "changes": [version(OTHER_RECORD, wall, "phone")]});
                match sync(&http, &url, &other, &body).await {
                    Ok((took, answer)) => {
                        times.push(took);
                        cursor = answer["cursor"].as_i64().unwrap_or(cursor);
                    }
                    Err(cause) => errors.push(cause),
                }
                tokio::time::sleep(Duration::from_millis(think)).await;
            }
            (times, errors)
        })
    };
    let mut push_times = Vec::with_capacity(args.rounds as usize);
    let mut errors = Vec::new();
    let started = Instant::now();
    for round in 0..args.rounds {
        let from = base + round * PER_PUSH;
        let changes: Vec<Value> = (from..from + PER_PUSH)
            .map(|w| version(RECORD, w, "laptop"))
            .collect();
        // A cursor past the end: nothing is pulled back, the push alone is timed.
        let body = json!({"device": "laptop", "since": 1_i64 << 53, "changes": changes});
        match sync(http, &args.url, &heavy, &body).await {
            Ok((took, _)) => push_times.push(took),
            Err(cause) => errors.push(format!("heavy push {round}: {cause}")),
        }
    }
    let elapsed = started.elapsed();
    stop.store(true, Ordering::SeqCst);
    let (other_times, other_errors) = syncing.await.unwrap();
    errors.extend(other_errors);

    println!("== heavy writer: {} ==", args.url);
    println!(
        "heavy account  {} pushes × {PER_PUSH} versions of one record in {:.1} s",
        args.rounds,
        elapsed.as_secs_f64()
    );
    let tenth = (push_times.len() / 10).max(1);
    let medians: Vec<String> = push_times
        .chunks(tenth)
        .map(|chunk| format!("{:.0}", median(chunk).as_secs_f64() * 1000.0))
        .collect();
    println!(
        "push (ms)      median of each tenth, as the history grows to {} versions: {}",
        args.rounds * PER_PUSH,
        medians.join(" → ")
    );
    let mut other_us: Vec<u64> = other_times.iter().map(|d| d.as_micros() as u64).collect();
    other_us.sort_unstable();
    println!(
        "other account  {} syncs (push one, pull), {} ms apart: p50 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
        other_us.len(),
        args.think_ms,
        percentile(&other_us, 50.0),
        percentile(&other_us, 99.0),
        percentile(&other_us, 100.0)
    );
    println!("errors         {}", errors.len());
    for cause in errors.iter().take(5) {
        println!("  - {cause}");
    }
    if let Some(pid) = args.server_pid {
        if let Some(kib) = peak_memory_kib(pid) {
            println!(
                "server peak    {:.1} MiB (VmHWM of pid {pid})",
                kib as f64 / 1024.0
            );
        }
    }
    if !errors.is_empty() {
        std::process::exit(1);
    }
}
