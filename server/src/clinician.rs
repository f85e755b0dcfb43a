//! Clinicians (*behandlere*): the rules and queries; the pages are `http::clinician`.
//!
//! - **An ordinary account, marked** by the server's administrator
//!   (`server admin clinician add NAME --organisation ORG`, see `crate::admin`), with the
//!   organisation the user sees wherever the clinician appears (share lists, access log).
//!   Marking ends every app session the account had.
//! - **A second factor**: TOTP ([`totp`]: RFC 6238, 6 digits, 30 s, ±1 step), enrolled at the
//!   first login, plus ten recovery codes shown once. A code is accepted once, and never one
//!   older than the last accepted (the step is stored). Wrong codes are throttled like
//!   logins (`crate::throttle`).
//! - **Their own sessions** (another cookie and table than the app's): a session is made
//!   when the passphrase is right, and is good for nothing but the second factor until
//!   `verified_ms` is set; then it ends after [`Limits::clinician_idle_ms`] without use or
//!   [`Limits::clinician_max_ms`] after login (30 minutes, 12 hours). The app's login
//!   refuses a clinician account (403 pointing to `/behandler/logg-inn`): a session from it
//!   would skip the second factor.
//! - **Reading** goes through `sharing::read`, the one access check, which also writes the
//!   owner's access log (with the clinician's organisation).
//! - **Siden sist** ([`seen`]): per clinician and share, the records as last marked seen.

pub mod seen;
pub mod totp;

use crate::accounts::{self, now_ms, Username};
use crate::config::Limits;
use crate::db::Db;
use crate::http::error::ApiError;
use sqlx::Row;

/// A clinician session ends after this long without use…
pub const SESSION_IDLE_MS: i64 = 30 * 60 * 1000;
/// …or this long after login, whichever is first.
pub const SESSION_MAX_MS: i64 = 12 * 3600 * 1000;
/// How long the step between a right passphrase and the second factor may take.
pub const PENDING_MS: i64 = 5 * 60 * 1000;
/// The app's login refuses a clinician account with this (403).
pub const USE_CLINICIAN_LOGIN: &str =
    "This is a clinician account: log in at /behandler/logg-inn, with a one-time code (Logg inn som behandler).";
/// The most characters of an organisation's name.
pub const ORGANISATION_MAX_CHARS: usize = 100;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clinician {
    pub user_id: String,
    pub username: String,
    pub organisation: String,
    /// The second factor is set up.
    pub enrolled: bool,
}

fn organisation(input: &str) -> Result<String, ApiError> {
    let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
    let count = name.chars().count();
    if count == 0 || count > ORGANISATION_MAX_CHARS || name.chars().any(char::is_control) {
        return Err(ApiError::Invalid {
            field: "organisation",
            reason: format!("An organisation has 1 to {ORGANISATION_MAX_CHARS} characters."),
        });
    }
    Ok(name)
}

/// Marks an existing account as a clinician (or changes its organisation) and ends every
/// session it has, app and clinician alike.
pub async fn add(db: &Db, name: &str, org: &str) -> Result<Clinician, ApiError> {
    let name = Username::parse(name)?;
    let org = organisation(org)?;
    let (user, _) = accounts::find_user(db, &name).await?.ok_or(ApiError::NotFound)?;
    let _turn = db.write_turn().await;
    let mut tx = db.pool().begin().await?;
    let updated = sqlx::query("UPDATE clinicians SET organisation = $1 WHERE user_id = $2")
        .bind(&org)
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    if updated.rows_affected() == 0 {
        sqlx::query("INSERT INTO clinicians (user_id, organisation, added_ms) VALUES ($1, $2, $3)")
            .bind(&user.id)
            .bind(&org)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
    }
    for table in ["sessions", "clinician_sessions"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE user_id = $1"))
            .bind(&user.id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    drop(_turn);
    by_user(db, &user.id).await?.ok_or(ApiError::NotFound)
}

/// Unmarks a clinician: their second factor, recovery codes, sessions and "seen" marks go;
/// the account stays an ordinary one. `false` when it was not a clinician.
pub async fn remove(db: &Db, name: &str) -> Result<bool, ApiError> {
    let name = Username::parse(name)?;
    let Some((user, _)) = accounts::find_user(db, &name).await? else {
        return Ok(false);
    };
    let _turn = db.write_turn().await;
    let mut tx = db.pool().begin().await?;
    for (table, column) in [
        ("clinician_sessions", "user_id"),
        ("clinician_recovery_codes", "user_id"),
        ("clinician_seen", "clinician_id"),
    ] {
        sqlx::query(&format!("DELETE FROM {table} WHERE {column} = $1"))
            .bind(&user.id)
            .execute(&mut *tx)
            .await?;
    }
    let done = sqlx::query("DELETE FROM clinicians WHERE user_id = $1")
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(done.rows_affected() == 1)
}

const SELECT: &str = "SELECT c.user_id, u.username, c.organisation, c.totp_secret FROM clinicians c \
     JOIN users u ON u.id = c.user_id";

fn from_row(row: &sqlx::any::AnyRow) -> Result<Clinician, ApiError> {
    let secret: Option<String> = row.try_get("totp_secret")?;
    Ok(Clinician {
        user_id: row.try_get("user_id")?,
        username: row.try_get("username")?,
        organisation: row.try_get("organisation")?,
        enrolled: secret.is_some(),
    })
}

/// Every clinician, by name.
pub async fn list(db: &Db) -> Result<Vec<Clinician>, ApiError> {
    let rows = sqlx::query(&format!("{SELECT} ORDER BY u.username"))
        .fetch_all(db.pool())
        .await?;
    rows.iter().map(from_row).collect()
}

pub async fn by_user(db: &Db, user_id: &str) -> Result<Option<Clinician>, ApiError> {
    let row = sqlx::query(&format!("{SELECT} WHERE c.user_id = $1"))
        .bind(user_id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn is_clinician(db: &Db, user_id: &str) -> Result<bool, ApiError> {
    Ok(by_user(db, user_id).await?.is_some())
}

/// A clinician session as found by its cookie.
#[derive(Clone, Debug)]
pub struct ClinicianSession {
    pub clinician: Clinician,
    pub token_hash: String,
    /// The second factor was given: the session may read.
    pub verified: bool,
}

/// Starts a session after a right passphrase: good only for the second factor, for
/// [`PENDING_MS`]. Returns the token for the cookie.
pub async fn start_session(db: &Db, user_id: &str) -> Result<String, ApiError> {
    let token = accounts::new_token()?;
    let now = now_ms();
    sqlx::query(
        "INSERT INTO clinician_sessions (token_hash, user_id, created_ms, last_seen_ms) VALUES ($1, $2, $3, $4)",
    )
    .bind(accounts::token_hash(&token))
    .bind(user_id)
    .bind(now)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(token)
}

/// The second factor was given: the session may read from now, for the session limits.
pub async fn verify_session(db: &Db, token_hash: &str) -> Result<(), ApiError> {
    let now = now_ms();
    sqlx::query(
        "UPDATE clinician_sessions SET verified_ms = $1, created_ms = $2, last_seen_ms = $3 WHERE token_hash = $4",
    )
    .bind(now)
    .bind(now)
    .bind(now)
    .bind(token_hash)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The session behind a token, if it is still good (a pending one for [`PENDING_MS`], a
/// verified one within the limits, and only while the account is a clinician); touched on
/// every use. An ended one is deleted on the way.
pub async fn session(db: &Db, limits: &Limits, token: &str) -> Result<Option<ClinicianSession>, ApiError> {
    let hash = accounts::token_hash(token);
    let row = sqlx::query(
        "SELECT s.user_id, s.created_ms, s.last_seen_ms, s.verified_ms FROM clinician_sessions s \
         WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let user_id: String = row.try_get("user_id")?;
    let created: i64 = row.try_get("created_ms")?;
    let last_seen: i64 = row.try_get("last_seen_ms")?;
    let verified: Option<i64> = row.try_get("verified_ms")?;
    let now = now_ms();
    let over = match verified {
        None => now - created > PENDING_MS,
        Some(_) => now - last_seen > limits.clinician_idle_ms || now - created > limits.clinician_max_ms,
    };
    let clinician = by_user(db, &user_id).await?;
    let Some(clinician) = clinician.filter(|_| !over) else {
        end_session(db, &hash).await?;
        return Ok(None);
    };
    sqlx::query("UPDATE clinician_sessions SET last_seen_ms = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(&hash)
        .execute(db.pool())
        .await?;
    Ok(Some(ClinicianSession {
        clinician,
        token_hash: hash,
        verified: verified.is_some(),
    }))
}

pub async fn end_session(db: &Db, token_hash: &str) -> Result<(), ApiError> {
    sqlx::query("DELETE FROM clinician_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Sessions past their end (the standard limits), for the hourly purge.
pub async fn purge_sessions(db: &Db, now: i64) -> Result<u64, sqlx::Error> {
    let limits = Limits::default();
    Ok(sqlx::query(
        "DELETE FROM clinician_sessions WHERE (verified_ms IS NULL AND created_ms < $1) \
         OR last_seen_ms < $2 OR created_ms < $3",
    )
    .bind(now - PENDING_MS)
    .bind(now - limits.clinician_idle_ms)
    .bind(now - limits.clinician_max_ms)
    .execute(db.pool())
    .await?
    .rows_affected())
}
