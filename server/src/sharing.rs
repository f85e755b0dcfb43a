//! Sharing: shares, invitation codes, the consent log and the access log. The rules and the
//! queries; the handlers are in `http::sharing`.
//!
//! A **share** lets one person (the recipient) read part of the owner's records: the wheel
//! (every `wheel.*` record) or one plan section (the `plan.section` record and every
//! `plan.item` whose latest body names it). It is made with an invitation code (pending until
//! someone uses it, see [`code`]) or straight to a *known contact*: someone who has accepted
//! a share from this owner before. It may end on a given day (`until`, through the end of
//! that day UTC) and is revoked by the owner at any time.
//!
//! **The one door to someone else's data.** [`authorize_read`] is the only function that
//! decides whether a user may read a share, and it checks at the moment of the request
//! (revoked, expired, not accepted, not theirs: all one 404), so a revocation or an end date
//! takes effect on the very next request with no background job. It returns a [`Grant`],
//! which nothing else can make, and [`read`] — the only function that reads another user's
//! records — takes one. `read` also appends the access-log row `(reader, owner, share,
//! scope, records, when)` in the same place, for every read that is not the owner's own.
//! Sync (`crate::sync`) only ever reads the caller's own records.
//!
//! **The logs are append-only.** The consent log (`share_created`, `share_accepted`,
//! `share_revoked`) belongs to the owner; the access log lists reads of the owner's data by
//! others. Both keep user *ids*, and names are looked up when the log is read: when a reader
//! deletes their account, their rows stay in the owner's log (it is the owner's record of
//! who saw their data, not the reader's data), and the name shows as [`DELETED_ACCOUNT`],
//! leaving no copy of it behind. When the owner deletes their account, their shares and both
//! of their logs go with it (`accounts::delete_user`).

pub mod code;
mod records;

use crate::accounts::{self, now_ms, Username};
use crate::db::Db;
use crate::http::error::ApiError;
use app::model::date::Date;
use app::model::record::RecordId;
pub use records::{in_scope, SharedRecord};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::fmt;

/// The most shares one owner may have live or pending at once.
pub const MAX_ACTIVE_SHARES: i64 = 50;
/// How long an invitation code can be used.
pub const CODE_VALID_MS: i64 = 7 * 24 * 3600 * 1000;
/// Failed code attempts per account within `accounts::THROTTLE_WINDOW_MS`.
pub const MAX_CODE_FAILURES: i64 = 10;
/// The most entries one log answer holds (the newest).
pub const MAX_LOG_ENTRIES: i64 = 1000;
/// The name shown in a log for an account that no longer exists.
pub const DELETED_ACCOUNT: &str = "(slettet konto)";
const DAY_MS: i64 = 24 * 3600 * 1000;

/// What a share lets the recipient read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Wheel,
    Section(RecordId),
}

impl Scope {
    pub fn parse(input: &str) -> Result<Scope, ApiError> {
        let invalid = |reason: &str| ApiError::Invalid {
            field: "scope",
            reason: reason.to_owned(),
        };
        match input.split_once(':') {
            None if input == "wheel" => Ok(Scope::Wheel),
            Some(("section", id)) => RecordId::parse(id)
                .map(Scope::Section)
                .map_err(|_| invalid("A section is named by its id, a hyphenated UUID.")),
            _ => Err(invalid("A scope is \"wheel\" or \"section:<section id>\".")),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Wheel => write!(f, "wheel"),
            Scope::Section(id) => write!(f, "section:{id}"),
        }
    }
}

/// The last day of a share; it is live through the end of that day, UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Until(Date);

impl Until {
    /// A date from today on; an earlier one is refused.
    pub fn parse(input: &str, now_ms: i64) -> Result<Until, ApiError> {
        let date = Date::parse(input).map_err(|e| ApiError::Invalid {
            field: "until",
            reason: format!("{e}."),
        })?;
        let until = Until(date);
        if until.end_ms() <= now_ms {
            return Err(ApiError::Invalid {
                field: "until",
                reason: "That day is past; a share can end today or later.".to_owned(),
            });
        }
        Ok(until)
    }

    /// The moment the day ends (the share's first moment of not being live).
    pub fn end_ms(self) -> i64 {
        (self.0.days_since_epoch() + 1) * DAY_MS
    }
}

/// A share as stored, with the names of the people in it.
#[derive(Clone, Debug)]
pub struct Share {
    pub id: String,
    pub owner_id: String,
    pub owner: String,
    pub recipient_id: Option<String>,
    pub recipient: Option<String>,
    pub scope: Scope,
    pub until: Option<String>,
    pub until_ms: Option<i64>,
    pub created_ms: i64,
    pub accepted_ms: Option<i64>,
    pub revoked_ms: Option<i64>,
    pub code_expires_ms: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Live,
    Revoked,
    Expired,
}

/// A share as the API shows it. `code` is only ever set in the answer to its creation.
#[derive(Clone, Debug, Serialize)]
pub struct ShareView {
    pub id: String,
    pub owner: String,
    pub recipient: Option<String>,
    pub scope: String,
    pub until: Option<String>,
    pub created_ms: i64,
    pub accepted_ms: Option<i64>,
    pub revoked_ms: Option<i64>,
    pub status: Status,
    pub code: Option<String>,
}

impl Share {
    pub fn status(&self, now: i64) -> Status {
        if self.revoked_ms.is_some() {
            Status::Revoked
        } else if self.until_ms.is_some_and(|end| now >= end) {
            Status::Expired
        } else if self.accepted_ms.is_some() {
            Status::Live
        } else if self.code_expires_ms.is_some_and(|end| now >= end) {
            Status::Expired
        } else {
            Status::Pending
        }
    }

    pub fn view(&self, now: i64) -> ShareView {
        ShareView {
            id: self.id.clone(),
            owner: self.owner.clone(),
            recipient: self.recipient.clone(),
            scope: self.scope.to_string(),
            until: self.until.clone(),
            created_ms: self.created_ms,
            accepted_ms: self.accepted_ms,
            revoked_ms: self.revoked_ms,
            status: self.status(now),
            code: None,
        }
    }

    fn from_row(row: &AnyRow) -> Result<Share, ApiError> {
        let scope: String = row.try_get("scope")?;
        Ok(Share {
            id: row.try_get("id")?,
            owner_id: row.try_get("owner_id")?,
            owner: row.try_get("owner")?,
            recipient_id: row.try_get("recipient_id")?,
            recipient: row.try_get("recipient")?,
            scope: Scope::parse(&scope).map_err(|_| ApiError::Internal("stored scope".into()))?,
            until: row.try_get("until_date")?,
            until_ms: row.try_get("until_ms")?,
            created_ms: row.try_get("created_ms")?,
            accepted_ms: row.try_get("accepted_ms")?,
            revoked_ms: row.try_get("revoked_ms")?,
            code_expires_ms: row.try_get("code_expires_ms")?,
        })
    }
}

const SELECT_SHARE: &str = "SELECT s.id, s.owner_id, o.username AS owner, s.recipient_id, \
     r.username AS recipient, s.scope, s.until_date, s.until_ms, s.created_ms, s.accepted_ms, \
     s.revoked_ms, s.code_expires_ms FROM shares s JOIN users o ON o.id = s.owner_id \
     LEFT JOIN users r ON r.id = s.recipient_id";

async fn share_by_id(db: &Db, id: &str) -> Result<Option<Share>, ApiError> {
    let row = sqlx::query(&format!("{SELECT_SHARE} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    row.as_ref().map(Share::from_row).transpose()
}

/// What a new share asks for, parsed.
pub struct NewShare {
    pub scope: Scope,
    pub until: Option<Until>,
    /// A known contact's name; `None` makes an invitation code.
    pub recipient: Option<String>,
}

/// Makes a share: with a code to hand over, or live at once for a known contact. Returns
/// the share and, for an invitation, its code (shown this once; only its hash is stored).
pub async fn create(db: &Db, owner_id: &str, new: NewShare) -> Result<(Share, Option<String>), ApiError> {
    let now = now_ms();
    let recipient_id = match &new.recipient {
        Some(name) => Some(known_contact(db, owner_id, name).await?),
        None => None,
    };
    let (code, code_hash, code_expires_ms) = match recipient_id {
        Some(_) => (None, None, None),
        None => {
            let code = code::generate()?;
            let hash = code::hash(&code::normalize(&code).unwrap_or_default());
            (Some(code), Some(hash), Some(now + CODE_VALID_MS))
        }
    };
    let id = accounts::random_id()?;
    let scope = new.scope.to_string();
    let until_date = new.until.map(|u| u.0.to_string());
    let mut tx = db.pool().begin().await?;
    // Counted inside the transaction: a burst of requests cannot slip past the limit by much,
    // and the limit is a guard against mistakes and abuse, not an exact quota.
    let active: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM shares WHERE owner_id = $1 AND revoked_ms IS NULL \
         AND (until_ms IS NULL OR until_ms > $2) \
         AND (accepted_ms IS NOT NULL OR code_expires_ms > $3)",
    )
    .bind(owner_id)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    if active >= MAX_ACTIVE_SHARES {
        return Err(ApiError::Conflict {
            field: "shares",
            reason: format!(
                "You have {MAX_ACTIVE_SHARES} live or pending shares, the most there can be. \
                 Revoke one first."
            ),
        });
    }
    sqlx::query(
        "INSERT INTO shares (id, owner_id, recipient_id, scope, until_date, until_ms, created_ms, \
         accepted_ms, code_hash, code_expires_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(owner_id)
    .bind(recipient_id.clone())
    .bind(&scope)
    .bind(until_date.clone())
    .bind(new.until.map(Until::end_ms))
    .bind(now)
    // A known contact accepted this owner's shares before: the share is live at once.
    .bind(recipient_id.as_ref().map(|_| now))
    .bind(code_hash)
    .bind(code_expires_ms)
    .execute(&mut *tx)
    .await?;
    log_consent(
        &mut tx,
        owner_id,
        now,
        "share_created",
        &id,
        &scope,
        recipient_id.as_deref(),
        until_date.as_deref(),
    )
    .await?;
    tx.commit().await?;
    let share = share_by_id(db, &id).await?.ok_or(ApiError::NotFound)?;
    Ok((share, code))
}

/// The id of `name` if they have accepted a share from this owner before; otherwise 404,
/// the same whether the account exists or not.
async fn known_contact(db: &Db, owner_id: &str, name: &str) -> Result<String, ApiError> {
    let name = Username::parse(name).map_err(|_| ApiError::NotFound)?;
    let id: Option<String> = sqlx::query_scalar(
        "SELECT u.id FROM users u WHERE u.username = $1 AND EXISTS (SELECT 1 FROM shares s \
         WHERE s.owner_id = $2 AND s.recipient_id = u.id AND s.accepted_ms IS NOT NULL)",
    )
    .bind(name.as_str())
    .bind(owner_id)
    .fetch_optional(db.pool())
    .await?;
    id.ok_or(ApiError::NotFound)
}

pub fn code_throttle_key(user_id: &str) -> String {
    format!("share_code:{user_id}")
}

/// Accepts an invitation code for `recipient_id`. Unknown, used, expired: one 404, counted
/// as a failed guess ([`MAX_CODE_FAILURES`] per window, then 429). One's own code: 422.
pub async fn accept(db: &Db, recipient_id: &str, input: &str) -> Result<Share, ApiError> {
    let keys = [(code_throttle_key(recipient_id), MAX_CODE_FAILURES)];
    accounts::check_throttle(db, &keys).await?;
    let now = now_ms();
    let found = match code::normalize(input) {
        Some(code) => {
            sqlx::query(&format!(
                "{SELECT_SHARE} WHERE s.code_hash = $1 AND s.accepted_ms IS NULL AND s.revoked_ms IS NULL"
            ))
            .bind(code::hash(&code))
            .fetch_optional(db.pool())
            .await?
        }
        None => None,
    };
    let share = match found.as_ref().map(Share::from_row).transpose()? {
        Some(share) if share.status(now) == Status::Pending => share,
        _ => {
            accounts::record_failure(db, &keys).await?;
            return Err(ApiError::NotFound);
        }
    };
    if share.owner_id == recipient_id {
        return Err(ApiError::Invalid {
            field: "code",
            reason: "This is your own invitation; give it to the person you share with.".to_owned(),
        });
    }
    let mut tx = db.pool().begin().await?;
    // One use: only the first of two racing accepts changes the row.
    let done = sqlx::query(
        "UPDATE shares SET recipient_id = $1, accepted_ms = $2, code_hash = NULL \
         WHERE id = $3 AND accepted_ms IS NULL AND revoked_ms IS NULL",
    )
    .bind(recipient_id)
    .bind(now)
    .bind(&share.id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(ApiError::NotFound);
    }
    let scope = share.scope.to_string();
    log_consent(
        &mut tx,
        &share.owner_id,
        now,
        "share_accepted",
        &share.id,
        &scope,
        Some(recipient_id),
        share.until.as_deref(),
    )
    .await?;
    tx.commit().await?;
    share_by_id(db, &share.id).await?.ok_or(ApiError::NotFound)
}

/// Revokes the owner's share; revoking again changes nothing. Anyone else: 404.
pub async fn revoke(db: &Db, owner_id: &str, share_id: &str) -> Result<(), ApiError> {
    let share = share_by_id(db, share_id)
        .await?
        .filter(|s| s.owner_id == owner_id)
        .ok_or(ApiError::NotFound)?;
    let now = now_ms();
    let mut tx = db.pool().begin().await?;
    let done = sqlx::query(
        "UPDATE shares SET revoked_ms = $1, code_hash = NULL WHERE id = $2 AND owner_id = $3 AND revoked_ms IS NULL",
    )
    .bind(now)
    .bind(share_id)
    .bind(owner_id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 1 {
        let scope = share.scope.to_string();
        log_consent(
            &mut tx,
            owner_id,
            now,
            "share_revoked",
            share_id,
            &scope,
            share.recipient_id.as_deref(),
            share.until.as_deref(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The shares the user gave (all of them) and received (accepted ones), newest first.
pub async fn list(db: &Db, user_id: &str) -> Result<(Vec<Share>, Vec<Share>), ApiError> {
    let given = sqlx::query(&format!(
        "{SELECT_SHARE} WHERE s.owner_id = $1 ORDER BY s.created_ms DESC, s.id"
    ))
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let received = sqlx::query(&format!(
        "{SELECT_SHARE} WHERE s.recipient_id = $1 AND s.accepted_ms IS NOT NULL ORDER BY s.created_ms DESC, s.id"
    ))
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let all = |rows: Vec<AnyRow>| rows.iter().map(Share::from_row).collect::<Result<Vec<_>, _>>();
    Ok((all(given)?, all(received)?))
}

/// The ids of the shares the user may read now (accepted, not revoked, not ended).
pub async fn live_received(db: &Db, user_id: &str) -> Result<Vec<String>, ApiError> {
    let (_, received) = list(db, user_id).await?;
    let now = now_ms();
    Ok(received
        .into_iter()
        .filter(|s| s.status(now) == Status::Live)
        .map(|s| s.id)
        .collect())
}

/// Permission to read one share's records, checked just now. Only [`authorize_read`] makes
/// one, and only [`read`] uses one.
pub struct Grant {
    share: Share,
    reader_id: String,
}

impl Grant {
    fn by_owner(&self) -> bool {
        self.reader_id == self.share.owner_id
    }
}

/// **The** access check for reading a share: the owner may read their own share in any
/// state; the recipient only while it is live. Everyone else, and every share that is not
/// live, gets the same 404, so a reply never tells whether a share exists.
pub async fn authorize_read(db: &Db, reader_id: &str, share_id: &str) -> Result<Grant, ApiError> {
    let share = share_by_id(db, share_id).await?.ok_or(ApiError::NotFound)?;
    let owner = share.owner_id == reader_id;
    let recipient =
        share.recipient_id.as_deref() == Some(reader_id) && share.status(now_ms()) == Status::Live;
    if owner || recipient {
        Ok(Grant {
            share,
            reader_id: reader_id.to_owned(),
        })
    } else {
        Err(ApiError::NotFound)
    }
}

/// Authorizes, reads the share's records (each at its latest version, tombstones left out)
/// and, when the reader is not the owner, appends the access-log row.
pub async fn read(db: &Db, reader_id: &str, share_id: &str) -> Result<(Share, Vec<SharedRecord>), ApiError> {
    let grant = authorize_read(db, reader_id, share_id).await?;
    let records = records::load(db, &grant.share.owner_id, grant.share.scope).await?;
    if !grant.by_owner() {
        sqlx::query(
            "INSERT INTO access_log (owner_id, reader_id, share_id, scope, records, at_ms) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&grant.share.owner_id)
        .bind(&grant.reader_id)
        .bind(&grant.share.id)
        .bind(grant.share.scope.to_string())
        .bind(records.len() as i64)
        .bind(now_ms())
        .execute(db.pool())
        .await?;
    }
    Ok((grant.share, records))
}

#[allow(clippy::too_many_arguments)]
async fn log_consent(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    owner_id: &str,
    at_ms: i64,
    event: &str,
    share_id: &str,
    scope: &str,
    recipient_id: Option<&str>,
    until: Option<&str>,
) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO consent_log (owner_id, at_ms, event, share_id, scope, recipient_id, until_date) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(owner_id)
    .bind(at_ms)
    .bind(event)
    .bind(share_id)
    .bind(scope)
    .bind(recipient_id.map(str::to_owned))
    .bind(until.map(str::to_owned))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[derive(Serialize)]
pub struct ConsentEntry {
    pub at_ms: i64,
    pub event: String,
    pub share_id: String,
    pub scope: String,
    pub recipient: Option<String>,
    pub until: Option<String>,
}

#[derive(Serialize)]
pub struct AccessEntry {
    pub at_ms: i64,
    pub reader: String,
    pub share_id: String,
    pub scope: String,
    pub records: i64,
}

/// A name for a logged user id: theirs, or [`DELETED_ACCOUNT`] once the account is gone.
fn name_of(id: Option<String>, name: Option<String>) -> Option<String> {
    id.map(|_| name.unwrap_or_else(|| DELETED_ACCOUNT.to_owned()))
}

/// The owner's consent log, newest first.
pub async fn consent_log(db: &Db, owner_id: &str) -> Result<Vec<ConsentEntry>, ApiError> {
    let rows = sqlx::query(
        "SELECT c.at_ms, c.event, c.share_id, c.scope, c.recipient_id, u.username, c.until_date \
         FROM consent_log c LEFT JOIN users u ON u.id = c.recipient_id \
         WHERE c.owner_id = $1 ORDER BY c.seq DESC LIMIT $2",
    )
    .bind(owner_id)
    .bind(MAX_LOG_ENTRIES)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ConsentEntry {
                at_ms: row.try_get("at_ms")?,
                event: row.try_get("event")?,
                share_id: row.try_get("share_id")?,
                scope: row.try_get("scope")?,
                recipient: name_of(row.try_get("recipient_id")?, row.try_get("username")?),
                until: row.try_get("until_date")?,
            })
        })
        .collect()
}

/// Reads of the owner's data by others, newest first.
pub async fn access_log(db: &Db, owner_id: &str) -> Result<Vec<AccessEntry>, ApiError> {
    let rows = sqlx::query(
        "SELECT a.at_ms, a.reader_id, u.username, a.share_id, a.scope, a.records \
         FROM access_log a LEFT JOIN users u ON u.id = a.reader_id \
         WHERE a.owner_id = $1 ORDER BY a.seq DESC LIMIT $2",
    )
    .bind(owner_id)
    .bind(MAX_LOG_ENTRIES)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AccessEntry {
                at_ms: row.try_get("at_ms")?,
                reader: name_of(row.try_get("reader_id")?, row.try_get("username")?).unwrap_or_default(),
                share_id: row.try_get("share_id")?,
                scope: row.try_get("scope")?,
                records: row.try_get("records")?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_the_wheel_or_one_section() {
        assert_eq!(Scope::parse("wheel").unwrap(), Scope::Wheel);
        let id = "0190a000-0000-7000-8000-0000000000ff";
        let scope = Scope::parse(&format!("section:{id}")).unwrap();
        assert_eq!(scope.to_string(), format!("section:{id}"));
        for bad in [
            "",
            "Wheel",
            "wheel:",
            "section:",
            "section:42",
            "checkins",
            "section:0190a000000070008000000000000ff",
        ] {
            assert!(Scope::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_share_lives_through_its_last_day_utc() {
        let day = Date::parse("2026-11-23").unwrap().days_since_epoch() * DAY_MS;
        let until = Until::parse("2026-11-23", day + 1000).unwrap();
        assert_eq!(until.end_ms(), day + DAY_MS);
        assert!(Until::parse("2026-11-23", day + DAY_MS).is_err());
        assert!(Until::parse("2026-11-22", day).is_err());
        assert!(Until::parse("23.11.2026", day).is_err());
    }

    #[test]
    fn status_follows_revocation_then_end_then_acceptance() {
        let mut share = Share {
            id: "s".into(),
            owner_id: "o".into(),
            owner: "kari".into(),
            recipient_id: None,
            recipient: None,
            scope: Scope::Wheel,
            until: None,
            until_ms: Some(100),
            created_ms: 0,
            accepted_ms: None,
            revoked_ms: None,
            code_expires_ms: Some(50),
        };
        assert_eq!(share.status(10), Status::Pending);
        assert_eq!(share.status(60), Status::Expired);
        share.accepted_ms = Some(20);
        assert_eq!(share.status(60), Status::Live);
        assert_eq!(share.status(100), Status::Expired);
        share.revoked_ms = Some(30);
        assert_eq!(share.status(60), Status::Revoked);
    }
}
