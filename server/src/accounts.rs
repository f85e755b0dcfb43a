//! Accounts, passphrases, sessions and login throttling: the rules and the queries. The HTTP
//! handlers are in `http::accounts`.
//!
//! - **Passphrases** are at least [`PASSPHRASE_MIN_CHARS`] characters and are stored only as
//!   Argon2id hashes (PHC strings with their own salt and parameters), made on the bounded
//!   hashing threads of `crate::hashing`.
//! - **Sessions** are 32 random bytes, sent once in an `HttpOnly` cookie and stored only as
//!   their SHA-256, so a copy of the database logs nobody in. A session ends after
//!   [`SESSION_IDLE_MS`] without use or [`SESSION_ABSOLUTE_MS`] after login, whichever is first.
//! - **Throttling** (failed logins per account name and per address, sign-ups per address)
//!   is `crate::throttle`'s, counted in the database so it holds across server processes.

use crate::db::Db;
use crate::http::error::ApiError;
use crate::throttle;
use sha2::{Digest, Sha256};
use sqlx::Row;

pub const USERNAME_MIN_CHARS: usize = 3;
pub const USERNAME_MAX_CHARS: usize = 64;
pub const PASSPHRASE_MIN_CHARS: usize = 12;
/// Long enough for any passphrase a person types; short enough that hashing stays cheap.
pub const PASSPHRASE_MAX_CHARS: usize = 1024;
pub const SESSION_IDLE_MS: i64 = 30 * 24 * 3600 * 1000;
pub const SESSION_ABSOLUTE_MS: i64 = 90 * 24 * 3600 * 1000;
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
    let turn = db.write_turn().await;
    let mut tx = db.pool().begin().await?;
    // Explicit rather than trusting cascades alone: this list is what "all its data" means.
    // Sharing: their shares either way, the logs of reads of *their* data and their consent
    // log. Rows where they read someone else's data stay in that person's access log (it is
    // the owner's record of who saw their data); the reader's name is looked up at read time
    // and shows as deleted, since this account row is gone. See `crate::sharing`.
    // A clinician's marks of what they saw (of their own shares, and of shares to them).
    sqlx::query(
        "DELETE FROM clinician_seen WHERE clinician_id = $1 OR share_id IN \
         (SELECT id FROM shares WHERE owner_id = $2 OR recipient_id = $3)",
    )
    .bind(&user.id)
    .bind(&user.id)
    .bind(&user.id)
    .execute(&mut *tx)
    .await?;
    for table in ["clinician_sessions", "clinician_recovery_codes", "clinicians"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(&user.id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM shares WHERE owner_id = $1 OR recipient_id = $2")
        .bind(&user.id)
        .bind(&user.id)
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
    for key in [
        throttle::account_key(&user.username),
        throttle::code_account_key(&user.id),
    ] {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    // The logs refuse every UPDATE and DELETE (triggers, see the migrations) except the
    // deletion of an owner's rows once the owner's account row is gone: this, here.
    sqlx::query("DELETE FROM access_log WHERE owner_id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM consent_log WHERE owner_id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    drop(turn);
    db.forget_deleted().await;
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
        // With the other small writes of the moment (`Db::write`): not a writer of its own
        // outside the write turn, which on SQLite made the others wait in SQLite's busy loop.
        db.write(move |conn| {
            Box::pin(async move {
                sqlx::query("UPDATE sessions SET last_seen_ms = $1 WHERE token_hash = $2")
                    .bind(now)
                    .bind(hash)
                    .execute(conn)
                    .await
                    .map(|_| ())
            })
        })
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
}
