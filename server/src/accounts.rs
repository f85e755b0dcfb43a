//! Accounts, passphrases, sessions and login throttling: the rules and the queries. The HTTP
//! handlers are in `http::accounts`.
//!
//! - **Passphrases** are at least [`PASSPHRASE_MIN_CHARS`] characters and are stored only as
//!   Argon2id hashes (PHC strings with their own salt and parameters). Hashing runs on the
//!   blocking pool: it is meant to be slow.
//! - **Sessions** are 32 random bytes, sent once in an `HttpOnly` cookie and stored only as
//!   their SHA-256, so a copy of the database logs nobody in. A session ends after
//!   [`SESSION_IDLE_MS`] without use or [`SESSION_ABSOLUTE_MS`] after login, whichever is first.
//! - **Throttling** counts failed logins per account name and per address in the database
//!   (so it holds across server processes) within [`THROTTLE_WINDOW_MS`].

use crate::db::Db;
use crate::http::error::ApiError;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::sync::OnceLock;

pub const USERNAME_MIN_CHARS: usize = 3;
pub const USERNAME_MAX_CHARS: usize = 64;
pub const PASSPHRASE_MIN_CHARS: usize = 12;
/// Long enough for any passphrase a person types; short enough that hashing stays cheap.
pub const PASSPHRASE_MAX_CHARS: usize = 1024;
pub const SESSION_IDLE_MS: i64 = 30 * 24 * 3600 * 1000;
pub const SESSION_ABSOLUTE_MS: i64 = 90 * 24 * 3600 * 1000;
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// How often a session's last use is written: not on every request.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

/// The one answer to a failed login, whatever failed.
pub const WRONG_LOGIN: &str = "Wrong username or passphrase.";

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// A username or e-mail address: trimmed and lowercased, 3–64 characters of letters, digits
/// and `. _ - @ +`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(input: &str) -> Result<Username, ApiError> {
        let name = input.trim().to_lowercase();
        let count = name.chars().count();
        let invalid = |reason: String| ApiError::Invalid {
            field: "username",
            reason,
        };
        if !(USERNAME_MIN_CHARS..=USERNAME_MAX_CHARS).contains(&count) {
            return Err(invalid(format!(
                "A username has {USERNAME_MIN_CHARS} to {USERNAME_MAX_CHARS} characters."
            )));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+'))
        {
            return Err(invalid(
                "A username may hold letters a–z, digits and . _ - @ + only.".to_owned(),
            ));
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks a new passphrase against the rules; `field` names it in the error.
pub fn check_new_passphrase(passphrase: &str, field: &'static str) -> Result<(), ApiError> {
    let count = passphrase.chars().count();
    if count < PASSPHRASE_MIN_CHARS {
        return Err(ApiError::Invalid {
            field,
            reason: format!("A passphrase has at least {PASSPHRASE_MIN_CHARS} characters."),
        });
    }
    if count > PASSPHRASE_MAX_CHARS {
        return Err(ApiError::Invalid {
            field,
            reason: format!("A passphrase has at most {PASSPHRASE_MAX_CHARS} characters."),
        });
    }
    Ok(())
}

/// Runs `job` on one of the hashing threads and waits for its answer (`None` only if the
/// threads are gone).
///
/// Argon2id takes 19 MiB and a core's worth of work per hash. On tokio's blocking pool a
/// burst of sign-ups or logins ran one hash per thread (up to hundreds), and the allocator
/// kept each thread's 19 MiB after it was freed: the load bench saw the server at 850 MiB
/// after 200 sign-ups even with the hashes limited to one per core. A fixed pool of one
/// thread per core bounds both the work and that memory; hashes queue for their turn.
async fn on_hashing_thread<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    type Job = Box<dyn FnOnce() + Send>;
    static POOL: OnceLock<std::sync::mpsc::Sender<Job>> = OnceLock::new();
    let sender = POOL.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel::<Job>();
        let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        for n in 0..cores {
            let receiver = receiver.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || loop {
                    let job = match receiver.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a hashing thread");
            }
        }
        sender
    });
    let (done, answer) = tokio::sync::oneshot::channel();
    sender
        .send(Box::new(move || {
            let _ = done.send(job());
        }))
        .ok()?;
    answer.await.ok()
}

pub async fn hash_passphrase(passphrase: String) -> Result<String, ApiError> {
    on_hashing_thread(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(passphrase.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| ApiError::Internal(format!("hashing failed: {e}")))
    })
    .await
    .unwrap_or_else(|| Err(ApiError::Internal("no hashing thread".to_owned())))
}

/// A hash of nothing anyone knows, checked against when the account does not exist, so that
/// a login for an unknown name takes as long as one with a wrong passphrase.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"no account has this passphrase", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Whether `passphrase` matches `hash` (or the decoy, when `hash` is `None`: always false).
pub async fn verify_passphrase(passphrase: String, hash: Option<String>) -> bool {
    on_hashing_thread(move || {
        let real = hash.is_some();
        let hash = hash.unwrap_or_else(|| decoy_hash().to_owned());
        let matches = PasswordHash::new(&hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(passphrase.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        real && matches
    })
    .await
    .unwrap_or(false)
}

/// A new session token: 32 bytes from the operating system, hex-encoded.
pub fn new_token() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
    Ok(hex::encode(bytes))
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random id for an account or a share (UUID v4 form).
pub fn random_id() -> Result<String, ApiError> {
    let mut b = [0u8; 16];
    getrandom::getrandom(&mut b).map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: String,
}

/// Creates an account; a name already taken is a 409 naming the field.
pub async fn create_user(db: &Db, username: &Username, passphrase_hash: &str) -> Result<User, ApiError> {
    let id = random_id()?;
    let inserted =
        sqlx::query("INSERT INTO users (id, username, passphrase_hash, created_ms) VALUES ($1, $2, $3, $4)")
            .bind(&id)
            .bind(username.as_str())
            .bind(passphrase_hash)
            .bind(now_ms())
            .execute(db.pool())
            .await;
    match inserted {
        Ok(_) => Ok(User {
            id,
            username: username.as_str().to_owned(),
        }),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(ApiError::Conflict {
            field: "username",
            reason: "That username is taken.".to_owned(),
        }),
        Err(e) => Err(e.into()),
    }
}

/// The account and its passphrase hash, by name.
pub async fn find_user(db: &Db, username: &Username) -> Result<Option<(User, String)>, ApiError> {
    let row = sqlx::query("SELECT id, username, passphrase_hash FROM users WHERE username = $1")
        .bind(username.as_str())
        .fetch_optional(db.pool())
        .await?;
    Ok(match row {
        Some(row) => Some((
            User {
                id: row.try_get("id")?,
                username: row.try_get("username")?,
            },
            row.try_get("passphrase_hash")?,
        )),
        None => None,
    })
}

pub async fn passphrase_hash_of(db: &Db, user_id: &str) -> Result<Option<String>, ApiError> {
    Ok(
        sqlx::query_scalar("SELECT passphrase_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn set_passphrase_hash(db: &Db, user_id: &str, hash: &str) -> Result<(), ApiError> {
    sqlx::query("UPDATE users SET passphrase_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(user_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Deletes the account and everything that belongs to it, in one transaction.
pub async fn delete_user(db: &Db, user: &User) -> Result<(), ApiError> {
    let mut tx = db.pool().begin().await?;
    // Explicit rather than trusting cascades alone: this list is what "all its data" means.
    // Sharing: their shares either way, the logs of reads of *their* data and their consent
    // log. Rows where they read someone else's data stay in that person's access log (it is
    // the owner's record of who saw their data); the reader's name is looked up at read time
    // and shows as deleted, since this account row is gone. See `crate::sharing`.
    sqlx::query("DELETE FROM access_log WHERE owner_id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM consent_log WHERE owner_id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM shares WHERE owner_id = $1 OR recipient_id = $2")
        .bind(&user.id)
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(crate::sharing::code_throttle_key(&user.id))
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM record_versions WHERE user_id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM login_failures WHERE key = $1")
        .bind(account_key(&user.username))
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Starts a session and returns its token (for the cookie; only its hash is stored).
pub async fn create_session(db: &Db, user_id: &str) -> Result<String, ApiError> {
    let token = new_token()?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_ms, last_seen_ms) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(now)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(token)
}

/// The user of a live session; an expired one is deleted on the way.
pub async fn session_user(db: &Db, token: &str) -> Result<Option<User>, ApiError> {
    let hash = token_hash(token);
    let row = sqlx::query(
        "SELECT u.id, u.username, s.created_ms, s.last_seen_ms FROM sessions s \
         JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let now = now_ms();
    let created: i64 = row.try_get("created_ms")?;
    let last_seen: i64 = row.try_get("last_seen_ms")?;
    if now - last_seen > SESSION_IDLE_MS || now - created > SESSION_ABSOLUTE_MS {
        delete_session(db, token).await?;
        return Ok(None);
    }
    if now - last_seen > TOUCH_EVERY_MS {
        sqlx::query("UPDATE sessions SET last_seen_ms = $1 WHERE token_hash = $2")
            .bind(now)
            .bind(&hash)
            .execute(db.pool())
            .await?;
    }
    Ok(Some(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
    }))
}

pub async fn delete_session(db: &Db, token: &str) -> Result<(), ApiError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Ends every session of the user except `keep` (the one asking), or all with `None`.
pub async fn delete_sessions(db: &Db, user_id: &str, keep: Option<&str>) -> Result<(), ApiError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep.map(token_hash).unwrap_or_default())
        .execute(db.pool())
        .await?;
    Ok(())
}

pub fn account_key(username: &str) -> String {
    format!("account:{username}")
}

pub fn address_key(address: &std::net::IpAddr) -> String {
    format!("address:{address}")
}

/// Refuses with 429 (and how long to wait) when any key has too many recent failures.
pub async fn check_throttle(db: &Db, keys: &[(String, i64)]) -> Result<(), ApiError> {
    let now = now_ms();
    for (key, max) in keys {
        let row = sqlx::query("SELECT window_start_ms, failures FROM login_failures WHERE key = $1")
            .bind(key)
            .fetch_optional(db.pool())
            .await?;
        if let Some(row) = row {
            let start: i64 = row.try_get("window_start_ms")?;
            let failures: i64 = row.try_get("failures")?;
            if now - start < THROTTLE_WINDOW_MS && failures >= *max {
                let wait_ms = start + THROTTLE_WINDOW_MS - now;
                return Err(ApiError::TooManyRequests {
                    retry_after_s: (wait_ms / 1000 + 1) as u64,
                });
            }
        }
    }
    Ok(())
}

/// Counts one failure against each key; a window older than [`THROTTLE_WINDOW_MS`] restarts.
pub async fn record_failure(db: &Db, keys: &[(String, i64)]) -> Result<(), ApiError> {
    let now = now_ms();
    for (key, _) in keys {
        sqlx::query(
            "INSERT INTO login_failures (key, window_start_ms, failures) VALUES ($1, $2, 1) \
             ON CONFLICT (key) DO UPDATE SET \
             failures = CASE WHEN login_failures.window_start_ms < $3 THEN 1 ELSE login_failures.failures + 1 END, \
             window_start_ms = CASE WHEN login_failures.window_start_ms < $4 THEN $5 ELSE login_failures.window_start_ms END",
        )
        .bind(key)
        .bind(now)
        .bind(now - THROTTLE_WINDOW_MS)
        .bind(now - THROTTLE_WINDOW_MS)
        .bind(now)
        .execute(db.pool())
        .await?;
    }
    Ok(())
}

pub async fn clear_failures(db: &Db, key: &str) -> Result<(), ApiError> {
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
    fn usernames_are_normalised_and_checked() {
        assert_eq!(
            Username::parse("  Kari@Example.no ").unwrap().as_str(),
            "kari@example.no"
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse(&"a".repeat(65)).is_err());
        assert!(Username::parse("kari nordmann").is_err());
        assert!(Username::parse("kåre").is_err());
        assert!(Username::parse("<script>").is_err());
    }

    #[test]
    fn passphrases_have_twelve_characters_or_more() {
        assert!(check_new_passphrase("elleve tegn", "passphrase").is_err());
        assert!(check_new_passphrase("tolv tegn ok", "passphrase").is_ok());
        assert!(check_new_passphrase("æøå æøå æøåæ", "passphrase").is_ok());
        assert!(check_new_passphrase(&"x".repeat(1025), "passphrase").is_err());
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_eq!(random_id().unwrap().len(), 36);
    }

    #[tokio::test]
    async fn hashing_round_trips_and_the_decoy_never_matches() {
        let hash = hash_passphrase("en lang nok passfrase".into()).await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_passphrase("en lang nok passfrase".into(), Some(hash.clone())).await);
        assert!(!verify_passphrase("feil passfrase!!".into(), Some(hash)).await);
        assert!(!verify_passphrase("no account has this passphrase".into(), None).await);
    }
}
