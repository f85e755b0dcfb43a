//! Check-ins with a trusted person: relationships, messages both ways, "Kontakt meg" and its
//! acknowledgement, read and delivered states. The handlers are in `http::checkins`.
//!
//! **A relationship is a share** of scope `checkins` (`crate::sharing`): the user invites
//! with the same one-time codes, the trusted person accepts with the same
//! `POST /api/v1/shares/accept`, and the consent log records the invitation, the acceptance,
//! every pause and resume (`checkin_paused`, `checkin_resumed`) and the end (`share_revoked`
//! by the user, `share_left` by the trusted person). `checkin_relations` adds the user's own
//! name for the person, the pause, the read-receipt setting, the trusted person's phone
//! number and reminder, and the user's own number if they gave it to that person. At most [`MAX_PEOPLE`] at once.
//!
//! **The one door.** [`authorize`] is the only function that decides whether someone may
//! read or write a conversation, checked at the moment of the request: a member of a live
//! relationship (the user or their trusted person); for talking ([`Need::Talk`]), also not
//! paused. Not a member, ended, never existed: one 404. Paused: 409 `paused`. Pending (the
//! code not used yet): 409 `status`. It returns a [`Conversation`], which nothing else
//! makes, and every function here that touches messages takes one.
//!
//! **Messages** have ids made on the sender's phone: sending one again (a lost answer, a
//! retry after the network came back) returns the stored one and stores nothing. At most
//! [`MAX_MESSAGES_PER_DAY`] from one person to the other in 24 hours ("Kontakt meg" is not
//! counted). They are deleted after the retention period (`Limits::checkin_retention_ms`,
//! 180 days by default), when the relationship ends, and when the user deletes the
//! conversation.
//!
//! The trusted person's reminder goes by push on its weekday (`reminders`).
//!
//! Nothing here logs names, texts or numbers.

mod messages;
mod relations;
pub mod reminders;

use crate::accounts::now_ms;
use crate::db::Db;
use crate::http::error::ApiError;
use crate::secret::Secret;
use crate::sharing::{self, NewShare, Scope, Share, Status as ShareStatus};
use app::model::checkin::{Person, Role, Status};
pub use app::model::checkin::{MAX_MESSAGES_PER_DAY, MAX_PEOPLE};
use app::model::text::PersonLabel;
pub use messages::{ack, ask_for_contact, delete_conversation, mark_read, messages_of, purge, send};
pub use relations::{pause, remove, resume, update, Changes};
use serde::Serialize;
use sqlx::Row;

/// The default time messages are kept.
pub const DEFAULT_RETENTION_MS: i64 = 180 * DAY_MS;
pub const DAY_MS: i64 = 24 * 3600 * 1000;
/// The most messages of one conversation an answer holds (the newest).
pub const MAX_LISTED_MESSAGES: i64 = 100;

/// What a relationship adds to its share.
#[derive(Clone, Debug)]
pub struct Relation {
    pub label: String,
    pub paused_ms: Option<i64>,
    pub read_receipts: bool,
    pub phone: Option<String>,
    pub reminder: Option<u8>,
    /// The user's own number, given to this trusted person.
    pub user_phone: Option<String>,
}

/// What the caller needs to do with a conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Read or send messages: live and not paused.
    Talk,
    /// Settings, pause, resume, end, delete: a member of a live (or paused) relationship;
    /// the user also of one still pending.
    Manage,
}

/// Permission to use one conversation, checked just now. Only [`authorize`] makes one.
pub struct Conversation {
    share: Share,
    relation: Relation,
    user_id: String,
    role: Role,
}

impl Conversation {
    pub fn id(&self) -> &str {
        &self.share.id
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    pub fn relation(&self) -> &Relation {
        &self.relation
    }

    /// The other person's account id (`None` while the invitation is pending).
    pub fn other_id(&self) -> Option<&str> {
        match self.role {
            Role::Owner => self.share.recipient_id.as_deref(),
            Role::Trusted => Some(&self.share.owner_id),
        }
    }

    fn status(&self) -> Status {
        if self.share.accepted_ms.is_none() {
            Status::Pending
        } else if self.relation.paused_ms.is_some() {
            Status::Paused
        } else {
            Status::Live
        }
    }

    /// The relationship as the caller sees it, without messages.
    pub fn person(&self) -> Person {
        let owner = self.role == Role::Owner;
        Person {
            id: self.share.id.clone(),
            role: self.role,
            name: if owner {
                self.relation.label.clone()
            } else {
                self.share.owner.clone()
            },
            status: self.status(),
            read_receipts: self.relation.read_receipts,
            phone: self.relation.phone.clone(),
            user_phone: self.relation.user_phone.clone(),
            // The reminder is the trusted person's own: the user never sees it.
            reminder: if owner { None } else { self.relation.reminder },
            messages: Vec::new(),
        }
    }
}

/// **The** access check for a check-in conversation (see the module doc).
pub async fn authorize(db: &Db, user_id: &str, share_id: &str, need: Need) -> Result<Conversation, ApiError> {
    let share = sharing::share_by_id(db, share_id)
        .await?
        .filter(|s| s.scope == Scope::Checkins)
        .ok_or(ApiError::NotFound)?;
    let role = if share.owner_id == user_id {
        Role::Owner
    } else if share.recipient_id.as_deref() == Some(user_id) {
        Role::Trusted
    } else {
        return Err(ApiError::NotFound);
    };
    match (share.status(now_ms()), role) {
        (ShareStatus::Live, _) | (ShareStatus::Pending, Role::Owner) => {}
        _ => return Err(ApiError::NotFound),
    }
    let relation = relation_of(db, share_id).await?.ok_or(ApiError::NotFound)?;
    let conversation = Conversation {
        share,
        relation,
        user_id: user_id.to_owned(),
        role,
    };
    conversation.allows(need)?;
    Ok(conversation)
}

impl Conversation {
    /// What [`authorize`] checks beyond membership, for a conversation it gave: whether
    /// `need` is allowed as things stand.
    fn allows(&self, need: Need) -> Result<(), ApiError> {
        match (need, self.status()) {
            (Need::Manage, _) | (Need::Talk, Status::Live) => Ok(()),
            (Need::Talk, Status::Paused) => Err(ApiError::Conflict {
                field: "paused",
                reason: "Check-ins with this person are paused.".to_owned(),
            }),
            (Need::Talk, Status::Pending) => Err(ApiError::Conflict {
                field: "status",
                reason: "The invitation has not been accepted yet.".to_owned(),
            }),
        }
    }
}

async fn relation_of(db: &Db, share_id: &str) -> Result<Option<Relation>, ApiError> {
    let row = sqlx::query(
        "SELECT label, paused_ms, read_receipts, phone, reminder, user_phone FROM checkin_relations \
         WHERE share_id = $1",
    )
    .bind(share_id)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let receipts: i64 = row.try_get("read_receipts")?;
    let reminder: Option<i64> = row.try_get("reminder")?;
    Ok(Some(Relation {
        label: row.try_get("label")?,
        paused_ms: row.try_get("paused_ms")?,
        read_receipts: receipts != 0,
        phone: row.try_get("phone")?,
        reminder: reminder.and_then(|r| u8::try_from(r).ok()),
        user_phone: row.try_get("user_phone")?,
    }))
}

/// The ids of the caller's relationships that are not over (pending ones only for the user,
/// and only while their code can be used), oldest first.
async fn current(db: &Db, user_id: &str) -> Result<Vec<String>, ApiError> {
    let rows = sqlx::query(
        "SELECT s.id FROM shares s WHERE s.scope = 'checkins' AND s.revoked_ms IS NULL \
         AND s.left_ms IS NULL AND (s.recipient_id = $1 OR (s.owner_id = $2 AND \
         (s.accepted_ms IS NOT NULL OR s.code_expires_ms > $3))) ORDER BY s.created_ms, s.id",
    )
    .bind(user_id)
    .bind(user_id)
    .bind(now_ms())
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| r.try_get("id").map_err(ApiError::from))
        .collect()
}

/// Every current relationship of the caller, each with its newest messages when it is live
/// (each read through [`authorize`]); fetching marks the messages to the caller delivered.
pub async fn list(db: &Db, user_id: &str) -> Result<Vec<Person>, ApiError> {
    let mut people = Vec::new();
    for id in current(db, user_id).await? {
        let conversation = match authorize(db, user_id, &id, Need::Manage).await {
            Ok(c) => c,
            // Ended between the listing and the check: simply not there.
            Err(ApiError::NotFound) => continue,
            Err(e) => return Err(e),
        };
        let mut person = conversation.person();
        // The same check as `authorize(…, Need::Talk)`, on what it just read.
        if conversation.allows(Need::Talk).is_ok() {
            person.messages = messages_of(db, &conversation, true).await?;
        }
        people.push(person);
    }
    Ok(people)
}

/// A new invitation, as its answer shows it (the code this once).
#[derive(Serialize)]
pub struct Invitation {
    pub id: String,
    pub name: String,
    pub code: String,
    pub code_expires_ms: Option<i64>,
}

/// Invites a trusted person the user calls `name`: a share of scope `checkins` with a
/// one-time code (`crate::sharing::create`: the consent log's `share_created`).
pub async fn invite(db: &Db, secret: &Secret, owner_id: &str, name: &str) -> Result<Invitation, ApiError> {
    let label = PersonLabel::parse(name).map_err(|e| ApiError::Invalid {
        field: "name",
        reason: format!("The name is 1 to {} characters ({e}).", PersonLabel::MAX_CHARS),
    })?;
    let now = now_ms();
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM shares WHERE owner_id = $1 AND scope = 'checkins' AND revoked_ms IS NULL \
         AND left_ms IS NULL AND (accepted_ms IS NOT NULL OR code_expires_ms > $2)",
    )
    .bind(owner_id)
    .bind(now)
    .fetch_one(db.pool())
    .await?;
    if count >= MAX_PEOPLE as i64 {
        return Err(ApiError::Conflict {
            field: "people",
            reason: format!(
                "You have {MAX_PEOPLE} trusted persons (or invitations), the most there can be. \
                 Remove one first."
            ),
        });
    }
    let new = NewShare {
        scope: Scope::Checkins,
        until: None,
        recipient: None,
    };
    let (share, code) = sharing::create(db, secret, owner_id, new).await?;
    let code = code.ok_or_else(|| ApiError::Internal("an invitation without a code".into()))?;
    sqlx::query("INSERT INTO checkin_relations (share_id, label) VALUES ($1, $2)")
        .bind(&share.id)
        .bind(label.as_str())
        .execute(db.pool())
        .await?;
    Ok(Invitation {
        id: share.id,
        name: label.as_str().to_owned(),
        code,
        code_expires_ms: share.code_expires_ms,
    })
}
