//! `--mode checkins`: pairs exchanging check-ins (see the crate doc).

use super::{create_accounts, report, Args, Rng, Tally};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// One pair: the user's and the trusted person's sessions, and their relationship.
struct Pair {
    user: String,
    trusted: String,
    rel: String,
    rng: Rng,
    latencies_us: Vec<u64>,
}

/// One request, timed when it succeeds.
async fn request(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    cookie: &str,
    body: Option<Value>,
    latencies_us: &mut Vec<u64>,
) -> Result<Value, String> {
    let started = Instant::now();
    let mut request = http.request(method, url).header("cookie", cookie);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.map_err(|e| format!("transport: {e}"))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| format!("reading the answer: {e}"))?;
    latencies_us.push(started.elapsed().as_micros() as u64);
    if !status.is_success() {
        return Err(format!(
            "{status}: {}",
            text.chars().take(200).collect::<String>()
        ));
    }
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// One side sends a check-in, the other fetches its conversations.
async fn exchange(http: &reqwest::Client, url: &str, pair: &mut Pair, turn: u64) -> Result<(), String> {
    let id = pair.rng.uuid();
    let (from, to, body) = if turn.is_multiple_of(2) {
        (
            &pair.trusted,
            &pair.user,
            json!({"id": id, "kind": "phrase", "phrase": "how_are_you"}),
        )
    } else {
        let scale = 1 + pair.rng.below(5);
        (
            &pair.user,
            &pair.trusted,
            json!({"id": id, "kind": "answer", "scale": scale}),
        )
    };
    let path = format!("{url}/api/v1/checkins/{}/messages", pair.rel);
    request(
        http,
        reqwest::Method::POST,
        path,
        from,
        Some(body),
        &mut pair.latencies_us,
    )
    .await?;
    let list = format!("{url}/api/v1/checkins");
    let people = request(http, reqwest::Method::GET, list, to, None, &mut pair.latencies_us).await?;
    if people["people"].as_array().is_none_or(|p| p.is_empty()) {
        return Err("the other side does not see the relationship".to_owned());
    }
    Ok(())
}

pub async fn run(args: &Args, http: &reqwest::Client, run: u64) {
    let made = Instant::now();
    let cookies = create_accounts(http, &args.url, run, args.clients * 2).await;
    let mut pairs = Vec::with_capacity(args.clients);
    for (i, two) in cookies.chunks(2).enumerate() {
        let mut ignored = Vec::new();
        let invite = format!("{}/api/v1/checkins/invitations", args.url);
        let made = request(
            http,
            reqwest::Method::POST,
            invite,
            &two[0],
            Some(json!({"name": "Last"})),
            &mut ignored,
        )
        .await;
        let accepted = match made {
            Ok(invitation) => {
                let accept = format!("{}/api/v1/shares/accept", args.url);
                let body = json!({"code": invitation["code"]});
                request(
                    http,
                    reqwest::Method::POST,
                    accept,
                    &two[1],
                    Some(body),
                    &mut ignored,
                )
                .await
                .map(|_| invitation["id"].as_str().unwrap_or_default().to_owned())
            }
            Err(e) => Err(e),
        };
        match accepted {
            Ok(rel) => pairs.push(Pair {
                user: two[0].clone(),
                trusted: two[1].clone(),
                rel,
                rng: Rng::new(run ^ (i as u64 + 7)),
                latencies_us: Vec::new(),
            }),
            Err(cause) => {
                eprintln!("error: could not pair the accounts: {cause}");
                std::process::exit(1);
            }
        }
    }
    let setup = made.elapsed();
    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.seconds);
    let think_ms = if args.think_ms == 0 { 1000 } else { args.think_ms };
    let mut running = Vec::with_capacity(pairs.len());
    for mut pair in pairs {
        let (http, url, tally) = (http.clone(), args.url.clone(), tally.clone());
        running.push(tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(pair.rng.below(think_ms))).await;
            let mut turn = 0;
            while Instant::now() < deadline {
                match exchange(&http, &url, &mut pair, turn).await {
                    Ok(()) => {
                        tally.round_trips.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(cause) => tally.error(cause),
                }
                turn += 1;
                let pause = think_ms / 2 + pair.rng.below(think_ms + 1);
                let next = (Instant::now() + Duration::from_millis(pause)).min(deadline);
                tokio::time::sleep_until(next.into()).await;
            }
            tally.latencies_us.lock().unwrap().append(&mut pair.latencies_us);
        }));
    }
    for task in running {
        task.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    report(
        args,
        setup,
        elapsed,
        &tally,
        "one side sends a check-in, the other fetches",
    );
}
