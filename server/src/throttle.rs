//! Throttles: how many attempts of one kind a key (an account, an address, everyone) may make
//! in a window, counted in the database so that every server process shares the count.
//!
//! Every throttled path uses the same **reserve, then judge** shape:
//!
//! 1. [`reserve`] counts the attempt *first*, atomically (one upsert that returns the new
//!    count), against each of its [`Limit`]s. Over any of them, the attempt is refused with
//!    429 and nothing of it is kept.
//! 2. Only then comes the slow part (an Argon2 hash, looking a code up).
//! 3. The caller judges: a failure keeps the reservation ([`Reservation::keep`]); a success
//!    gives it back ([`Reservation::release`]) or clears a key ([`clear`]).
//!
//! Counting after the slow step (as before) let every request that arrived during a hash
//! pass the check: 50 parallel wrong logins were 50 guesses. With the reservation, at most
//! `max` attempts per window are ever judged, however many arrive at once.
//!
//! Rows hold addresses, so old ones are purged (`crate::maintenance`).

use crate::db::Db;
use crate::http::error::ApiError;
use sqlx::Row;
use std::net::IpAddr;

pub const MINUTE_MS: i64 = 60 * 1000;
/// The login and confirmation window.
pub const LOGIN_WINDOW_MS: i64 = 15 * MINUTE_MS;
/// Wrong passphrases per account name in [`LOGIN_WINDOW_MS`] (login and confirmation).
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
/// Wrong logins per client address in [`LOGIN_WINDOW_MS`].
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// Sign-ups per client address per hour (successful or not).
pub const MAX_SIGNUPS_PER_ADDRESS: i64 = 10;
pub const SIGNUP_WINDOW_MS: i64 = 60 * MINUTE_MS;
/// Wrong invitation codes per account, per address and from everyone, in [`LOGIN_WINDOW_MS`].
pub const MAX_CODE_FAILURES: i64 = 10;
pub const MAX_CODE_FAILURES_PER_ADDRESS: i64 = 30;
pub const MAX_CODE_FAILURES_GLOBAL: i64 = 1000;
/// The longest window of any limit: rows older than this are purged.
pub const LONGEST_WINDOW_MS: i64 = SIGNUP_WINDOW_MS;

/// At most `max` attempts for `key` per `window_ms`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limit {
    pub key: String,
    pub max: i64,
    pub window_ms: i64,
}

impl Limit {
    pub fn login_account(username: &str) -> Limit {
        Limit {
            key: account_key(username),
            max: MAX_FAILURES_PER_ACCOUNT,
            window_ms: LOGIN_WINDOW_MS,
        }
    }

    pub fn login_address(address: IpAddr) -> Limit {
        Limit {
            key: format!("address:{}", address_key(address)),
            max: MAX_FAILURES_PER_ADDRESS,
            window_ms: LOGIN_WINDOW_MS,
        }
    }

    pub fn signup_address(address: IpAddr) -> Limit {
        Limit {
            key: format!("signup:{}", address_key(address)),
            max: MAX_SIGNUPS_PER_ADDRESS,
            window_ms: SIGNUP_WINDOW_MS,
        }
    }

    pub fn code_account(user_id: &str) -> Limit {
        Limit {
            key: code_account_key(user_id),
            max: MAX_CODE_FAILURES,
            window_ms: LOGIN_WINDOW_MS,
        }
    }

    pub fn code_address(address: IpAddr) -> Limit {
        Limit {
            key: format!("share_code_address:{}", address_key(address)),
            max: MAX_CODE_FAILURES_PER_ADDRESS,
            window_ms: LOGIN_WINDOW_MS,
        }
    }

    pub fn code_global() -> Limit {
        Limit {
            key: "share_code_all".to_owned(),
            max: MAX_CODE_FAILURES_GLOBAL,
            window_ms: LOGIN_WINDOW_MS,
        }
    }
}

pub fn account_key(username: &str) -> String {
    format!("account:{username}")
}

pub fn code_account_key(user_id: &str) -> String {
    format!("share_code:{user_id}")
}

/// The part of an address that names one client: an IPv4 address, or the /64 prefix of an
/// IPv6 address (one home or phone gets a whole /64, so counting single IPv6 addresses would
/// give each client 2⁶⁴ budgets). IPv4-mapped IPv6 addresses count as IPv4.
pub fn address_key(address: IpAddr) -> String {
    match address.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let prefix = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{prefix}/64")
        }
    }
}

/// Attempts counted by [`reserve`]: each key with the window it was counted in.
#[must_use = "judge the attempt: keep() on failure, release() on success"]
pub struct Reservation {
    taken: Vec<(String, i64)>,
}

/// Counts one attempt against every limit, in order; refuses with 429 (and how long to
/// wait) when any is over, giving back what it counted.
pub async fn reserve(db: &Db, limits: &[Limit]) -> Result<Reservation, ApiError> {
    let now = crate::accounts::now_ms();
    let mut reservation = Reservation { taken: Vec::new() };
    for limit in limits {
        let (count, window_start) = count_one(db, limit, now).await?;
        reservation.taken.push((limit.key.clone(), window_start));
        if count > limit.max {
            reservation.release(db).await?;
            let wait_ms = (window_start + limit.window_ms - now).max(0);
            return Err(ApiError::TooManyRequests {
                retry_after_s: (wait_ms / 1000 + 1) as u64,
            });
        }
    }
    Ok(reservation)
}

/// One atomic upsert: a new window starts when the stored one is over. Returns the count
/// including this attempt and the window's start.
async fn count_one(db: &Db, limit: &Limit, now: i64) -> Result<(i64, i64), ApiError> {
    let _turn = db.write_turn().await;
    let row = sqlx::query(
        "INSERT INTO login_failures (key, window_start_ms, failures) VALUES ($1, $2, 1) \
         ON CONFLICT (key) DO UPDATE SET \
         failures = CASE WHEN login_failures.window_start_ms <= $3 THEN 1 ELSE login_failures.failures + 1 END, \
         window_start_ms = CASE WHEN login_failures.window_start_ms <= $4 THEN $5 ELSE login_failures.window_start_ms END \
         RETURNING failures, window_start_ms",
    )
    .bind(&limit.key)
    .bind(now)
    .bind(now - limit.window_ms)
    .bind(now - limit.window_ms)
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    Ok((row.try_get("failures")?, row.try_get("window_start_ms")?))
}

impl Reservation {
    /// The attempt failed: it stays counted.
    pub fn keep(self) {}

    /// The attempt succeeded (or never reached the judged step): it no longer counts.
    pub async fn release(self, db: &Db) -> Result<(), ApiError> {
        let _turn = db.write_turn().await;
        for (key, window_start) in &self.taken {
            sqlx::query(
                "UPDATE login_failures SET failures = failures - 1 \
                 WHERE key = $1 AND window_start_ms = $2 AND failures > 0",
            )
            .bind(key)
            .bind(*window_start)
            .execute(db.pool())
            .await?;
            // A count back at zero says nothing, and it may name an address: gone.
            sqlx::query("DELETE FROM login_failures WHERE key = $1 AND failures <= 0")
                .bind(key)
                .execute(db.pool())
                .await?;
        }
        Ok(())
    }
}

/// Forgets every attempt counted for `key` (a right passphrase clears the account's count).
pub async fn clear(db: &Db, key: &str) -> Result<(), ApiError> {
    let _turn = db.write_turn().await;
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(key)
        .execute(db.pool())
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_counts_per_64_and_mapped_ipv4_as_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        assert_eq!(address_key(a), "2001:db8:1:2::/64");
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.7");
    }
}
