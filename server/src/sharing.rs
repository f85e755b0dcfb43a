//! Sharing: shares, invitation codes, the consent log and the access log. The rules and the
//! queries; the handlers are in `http::sharing`.
//!
//! A **share** lets one person (the recipient) read part of the owner's records: the wheel
//! (every `wheel.*` record) or one plan section (the `plan.section` record and every
//! `plan.item` whose latest body names it). It is made with an invitation code (pending until
//! someone uses it, see [`code`]) or straight to a *known contact*: someone who has accepted
//! a share from this owner before. A share to a known contact is live at once: the contact
//! agreed to receive from this owner when they used a code, and the owner's consent log
//! records it as created with the recipient named (no separate `share_accepted`). A share
//! may end on a given day (`until`, through midnight after it, Norwegian time) and is revoked by the
//! owner at any time. The recipient of a revoked share sees it as `revoked` in their list,
//! so the app can drop its cached copy at the next sync.
//!
//! **The one door to someone else's data.** [`authorize_read`] is the only function that
//! decides whether a user may read a share, and it checks at the moment of the request
//! (revoked, expired, not accepted, not theirs: all one 404), so a revocation or an end date
//! takes effect on the very next request with no background job. It returns a [`Grant`],
//! which nothing else can make, and [`read`] — the only function that reads another user's
//! records — takes one. `read` also appends the access-log row `(reader, owner, share,
//! scope, records, when)` in the same place, for every read that is not the owner's own.
//! Sync (`crate::sync`) only ever reads the caller's own records. The clinician pages
//! (`http::clinician`) read through `read` too, like any recipient.
//!
//! **The logs are append-only.** The consent log (`share_created`, `share_accepted`,
//! `share_revoked`) belongs to the owner; the access log lists reads of the owner's data by
//! others. Both keep user *ids*, and names are looked up when the log is read: when a reader
//! deletes their account, their rows stay in the owner's log (it is the owner's record of
//! who saw their data, not the reader's data), and the name shows as [`DELETED_ACCOUNT`],
//! leaving no copy of it behind. When the owner deletes their account, their shares and both
//! of their logs go with it (`accounts::delete_user`); so do shares they received.
//!
//! Submodules: [`code`] (invitation codes), `terms` ([`Scope`], [`Until`]), `records` (which
//! records a scope covers: a pure function), `logs` (both logs).
//!
//! Nothing here logs names, codes or record contents.

pub mod code;
mod logs;
mod records;
mod terms;

use crate::accounts::{self, now_ms, Username};
use crate::db::Db;
use crate::http::error::ApiError;
use crate::secret::Secret;
use crate::throttle::{self, Limit};
pub use logs::{
    access_log, consent_log, AccessEntry, AccessPage, ConsentEntry, DELETED_ACCOUNT, MAX_LOG_ENTRIES,
};
use logs::{log_access, Access, Outcome};
pub(crate) use logs::{log_consent, Consent};
pub use records::{in_scope, SharedRecord};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::net::IpAddr;
pub use terms::{Scope, Until};

/// The most shares one owner may have live or pending at once.
pub const MAX_ACTIVE_SHARES: i64 = 50;
/// How long an invitation code can be used.
pub const CODE_VALID_MS: i64 = 7 * 24 * 3600 * 1000;

/// A share as stored, with the names of the people in it.
#[derive(Clone, Debug)]
pub struct Share {
    pub id: String,
    pub owner_id: String,
    pub owner: String,
    pub recipient_id: Option<String>,
    pub recipient: Option<String>,
    /// The recipient's organisation when they are a clinician (`crate::clinician`).
    pub recipient_organisation: Option<String>,
    pub scope: Scope,
    pub until: Option<String>,
    pub until_ms: Option<i64>,
    pub created_ms: i64,
    pub accepted_ms: Option<i64>,
    pub revoked_ms: Option<i64>,
    pub code_expires_ms: Option<i64>,
    /// When the recipient left it.
    pub left_ms: Option<i64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Live,
    Revoked,
    /// The recipient left it.
    Left,
    Expired,
}

/// A share as the API shows it. `code` is only ever set in the answer to its creation.
#[derive(Clone, Debug, Serialize)]
pub struct ShareView {
    pub id: String,
    pub owner: String,
    pub recipient: Option<String>,
    /// Set when the recipient is a clinician: shown with their name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient_organisation: Option<String>,
    pub scope: String,
    pub until: Option<String>,
    pub created_ms: i64,
    pub accepted_ms: Option<i64>,
    pub revoked_ms: Option<i64>,
    pub left_ms: Option<i64>,
    pub status: Status,
    pub code: Option<String>,
}

impl Share {
    pub fn status(&self, now: i64) -> Status {
        if self.revoked_ms.is_some() {
            Status::Revoked
        } else if self.left_ms.is_some() {
            Status::Left
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
            recipient_organisation: self.recipient_organisation.clone(),
            scope: self.scope.to_string(),
            until: self.until.clone(),
            created_ms: self.created_ms,
            accepted_ms: self.accepted_ms,
            revoked_ms: self.revoked_ms,
            left_ms: self.left_ms,
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
            recipient_organisation: row.try_get("recipient_organisation")?,
            scope: Scope::from_stored(&scope).map_err(|_| ApiError::Internal("stored scope".into()))?,
            until: row.try_get("until_date")?,
            until_ms: row.try_get("until_ms")?,
            created_ms: row.try_get("created_ms")?,
            accepted_ms: row.try_get("accepted_ms")?,
            revoked_ms: row.try_get("revoked_ms")?,
            code_expires_ms: row.try_get("code_expires_ms")?,
            left_ms: row.try_get("left_ms")?,
        })
    }
}

const SELECT_SHARE: &str = "SELECT s.id, s.owner_id, o.username AS owner, s.recipient_id, \
     r.username AS recipient, rc.organisation AS recipient_organisation, s.scope, s.until_date, s.until_ms, s.created_ms, s.accepted_ms, \
     s.revoked_ms, s.code_expires_ms, s.left_ms FROM shares s JOIN users o ON o.id = s.owner_id \
     LEFT JOIN users r ON r.id = s.recipient_id LEFT JOIN clinicians rc ON rc.user_id = s.recipient_id";

pub(crate) async fn share_by_id(db: &Db, id: &str) -> Result<Option<Share>, ApiError> {
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
pub async fn create(
    db: &Db,
    secret: &Secret,
    owner_id: &str,
    new: NewShare,
) -> Result<(Share, Option<String>), ApiError> {
    let now = now_ms();
    let recipient_id = match &new.recipient {
        Some(name) => Some(known_contact(db, owner_id, name).await?),
        None => None,
    };
    let (code, code_hash, code_expires_ms) = match recipient_id {
        Some(_) => (None, None, None),
        None => {
            let code = code::generate()?;
            let hash = code::hash(secret, &code::normalize(&code).unwrap_or_default());
            (Some(code), Some(hash), Some(now + CODE_VALID_MS))
        }
    };
    let id = accounts::random_id()?;
    let scope = new.scope.to_string();
    let until_date = new.until.map(|u| u.to_string());
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
    let created = Consent {
        owner_id,
        at_ms: now,
        event: "share_created",
        share_id: &id,
        scope,
        recipient_id: recipient_id.as_deref(),
        until: until_date.as_deref(),
    };
    log_consent(&mut tx, created).await?;
    tx.commit().await?;
    let share = share_by_id(db, &id).await?.ok_or(ApiError::NotFound)?;
    Ok((share, code))
}

/// The id of `name` if they have accepted a share from this owner and not left one since;
/// otherwise 404, the same whether the account exists or not. Leaving a share withdraws
/// the agreement to receive from this owner: only a new invitation, accepted, restores it.
async fn known_contact(db: &Db, owner_id: &str, name: &str) -> Result<String, ApiError> {
    let name = Username::parse(name).map_err(|_| ApiError::NotFound)?;
    let id: Option<String> = sqlx::query_scalar(
        "SELECT u.id FROM users u WHERE u.username = $1 AND \
         (SELECT MAX(s.accepted_ms) FROM shares s WHERE s.owner_id = $2 AND s.recipient_id = u.id) > \
         COALESCE((SELECT MAX(s.left_ms) FROM shares s WHERE s.owner_id = $3 AND s.recipient_id = u.id), -1)",
    )
    .bind(name.as_str())
    .bind(owner_id)
    .bind(owner_id)
    .fetch_optional(db.pool())
    .await?;
    id.ok_or(ApiError::NotFound)
}

/// Accepts an invitation code for `recipient_id`, from `client`. Unknown, used, expired: one
/// 404, counted as a wrong guess against the account, the address and everyone (reserved
/// before the look-up, see `crate::throttle`; over a limit, 429). One's own code: 422.
pub async fn accept(
    db: &Db,
    secret: &Secret,
    recipient_id: &str,
    client: IpAddr,
    input: &str,
) -> Result<Share, ApiError> {
    let limits = [
        Limit::code_account(recipient_id),
        Limit::code_address(client),
        Limit::code_global(),
    ];
    let reservation = throttle::reserve(db, &limits).await?;
    let now = now_ms();
    let found = match code::normalize(input) {
        Some(code) => {
            sqlx::query(&format!(
                "{SELECT_SHARE} WHERE s.code_hash = $1 AND s.accepted_ms IS NULL AND s.revoked_ms IS NULL"
            ))
            .bind(code::hash(secret, &code))
            .fetch_optional(db.pool())
            .await?
        }
        None => None,
    };
    let share = match found.as_ref().map(Share::from_row).transpose()? {
        Some(share) if share.status(now) == Status::Pending => share,
        _ => {
            reservation.keep();
            return Err(ApiError::NotFound);
        }
    };
    reservation.release(db).await?;
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
    let accepted = Consent {
        owner_id: &share.owner_id,
        at_ms: now,
        event: "share_accepted",
        share_id: &share.id,
        scope: share.scope.to_string(),
        recipient_id: Some(recipient_id),
        until: share.until.as_deref(),
    };
    log_consent(&mut tx, accepted).await?;
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
        let revoked = Consent {
            owner_id,
            at_ms: now,
            event: "share_revoked",
            share_id,
            scope: share.scope.to_string(),
            recipient_id: share.recipient_id.as_deref(),
            until: share.until.as_deref(),
        };
        log_consent(&mut tx, revoked).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The recipient leaves a live share: it ends at once, as a revocation would, and the
/// owner's consent log says so (`share_left`). Leaving again changes nothing; a share that
/// is not theirs: 404.
pub async fn leave(db: &Db, recipient_id: &str, share_id: &str) -> Result<(), ApiError> {
    let share = share_by_id(db, share_id)
        .await?
        .filter(|s| s.recipient_id.as_deref() == Some(recipient_id))
        .ok_or(ApiError::NotFound)?;
    let now = now_ms();
    let mut tx = db.pool().begin().await?;
    let done =
        sqlx::query("UPDATE shares SET left_ms = $1 WHERE id = $2 AND recipient_id = $3 AND left_ms IS NULL")
            .bind(now)
            .bind(share_id)
            .bind(recipient_id)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() == 1 {
        let left = Consent {
            owner_id: &share.owner_id,
            at_ms: now,
            event: "share_left",
            share_id,
            scope: share.scope.to_string(),
            recipient_id: Some(recipient_id),
            until: share.until.as_deref(),
        };
        log_consent(&mut tx, left).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The shares the user gave (all of them) and received (accepted ones), newest first.
/// Check-in relationships are listed by `crate::checkins`, not here.
pub async fn list(db: &Db, user_id: &str) -> Result<(Vec<Share>, Vec<Share>), ApiError> {
    let given = sqlx::query(&format!(
        "{SELECT_SHARE} WHERE s.owner_id = $1 AND s.scope <> 'checkins' ORDER BY s.created_ms DESC, s.id"
    ))
    .bind(user_id)
    .fetch_all(db.pool())
    .await?;
    let received = sqlx::query(&format!(
        "{SELECT_SHARE} WHERE s.recipient_id = $1 AND s.accepted_ms IS NOT NULL AND s.scope <> 'checkins' \
         ORDER BY s.created_ms DESC, s.id"
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
        // A former recipient trying after the end is the owner's business: logged. Anyone
        // else never had the share; their guess does not go into a stranger's log.
        if share.recipient_id.as_deref() == Some(reader_id) {
            let denied = Access {
                owner_id: &share.owner_id,
                reader_id,
                share_id: &share.id,
                scope: share.scope.to_string(),
                record_ids: Vec::new(),
                outcome: Outcome::Denied,
            };
            log_access(db, denied).await?;
        }
        Err(ApiError::NotFound)
    }
}

/// Authorizes, reads the share's records (each at its latest version, tombstones left out)
/// and, when the reader is not the owner, appends the access-log row.
pub async fn read(db: &Db, reader_id: &str, share_id: &str) -> Result<(Share, Vec<SharedRecord>), ApiError> {
    let grant = authorize_read(db, reader_id, share_id).await?;
    let records = records::load(db, &grant.share.owner_id, grant.share.scope).await?;
    if !grant.by_owner() {
        let share = &grant.share;
        let read = Access {
            owner_id: &share.owner_id,
            reader_id: &grant.reader_id,
            share_id: &share.id,
            scope: share.scope.to_string(),
            record_ids: records.iter().map(|r| r.id.as_str()).collect(),
            outcome: Outcome::Read,
        };
        log_access(db, read).await?;
    }
    Ok((grant.share, records))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_revocation_then_end_then_acceptance() {
        let mut share = Share {
            id: "s".into(),
            owner_id: "o".into(),
            owner: "kari".into(),
            recipient_id: None,
            recipient: None,
            recipient_organisation: None,
            scope: Scope::Wheel,
            until: None,
            until_ms: Some(100),
            created_ms: 0,
            accepted_ms: None,
            revoked_ms: None,
            code_expires_ms: Some(50),
            left_ms: None,
        };
        assert_eq!(share.status(10), Status::Pending);
        assert_eq!(share.status(60), Status::Expired);
        share.accepted_ms = Some(20);
        assert_eq!(share.status(60), Status::Live);
        assert_eq!(share.status(100), Status::Expired);
        share.left_ms = Some(25);
        assert_eq!(share.status(60), Status::Left);
        share.revoked_ms = Some(30);
        assert_eq!(share.status(60), Status::Revoked);
    }
}
