//! Managing a relationship: pause and resume (the user; each in the consent log), the end
//! (either side, at once, through `crate::sharing`'s revoke or leave, and the conversation
//! deleted), and the settings each side has: the user's name for the person and read
//! receipts and the user's own number for this person; the trusted person's phone number
//! and reminder.

use super::messages::delete_messages;
use super::Conversation;
use crate::accounts::now_ms;
use crate::db::Db;
use crate::http::error::ApiError;
use crate::sharing::{self, log_consent, Consent};
use app::model::checkin::{Person, Role};
use app::model::phone::PhoneNumber;
use app::model::text::PersonLabel;

fn only_the_user(conversation: &Conversation) -> Result<(), ApiError> {
    // Not theirs to do: the same 404 as a relationship that is not theirs at all.
    if conversation.role() == Role::Owner {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// The consent-log entry of a change to this relationship, made by the user.
fn consent<'a>(conversation: &'a Conversation, event: &'static str, at_ms: i64) -> Consent<'a> {
    Consent {
        owner_id: &conversation.share.owner_id,
        at_ms,
        event,
        share_id: conversation.id(),
        scope: "checkins".to_owned(),
        recipient_id: conversation.share.recipient_id.as_deref(),
        until: None,
    }
}

/// Pauses check-ins (the user only); pausing again changes nothing.
pub async fn pause(db: &Db, conversation: &Conversation) -> Result<(), ApiError> {
    set_paused(db, conversation, true).await
}

/// Resumes them (the user only); resuming again changes nothing.
pub async fn resume(db: &Db, conversation: &Conversation) -> Result<(), ApiError> {
    set_paused(db, conversation, false).await
}

async fn set_paused(db: &Db, conversation: &Conversation, paused: bool) -> Result<(), ApiError> {
    only_the_user(conversation)?;
    let now = now_ms();
    let _turn = db.write_turn().await;
    let mut tx = db.pool().begin().await?;
    let query = if paused {
        sqlx::query("UPDATE checkin_relations SET paused_ms = $1 WHERE share_id = $2 AND paused_ms IS NULL")
            .bind(now)
    } else {
        sqlx::query(
            "UPDATE checkin_relations SET paused_ms = NULL WHERE share_id = $1 AND paused_ms IS NOT NULL",
        )
    };
    let done = query.bind(conversation.id()).execute(&mut *tx).await?;
    if done.rows_affected() == 1 {
        let event = if paused {
            "checkin_paused"
        } else {
            "checkin_resumed"
        };
        log_consent(&mut tx, consent(conversation, event, now)).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Ends the relationship at once: the user removes the person (`share_revoked`), the trusted
/// person leaves (`share_left`); the conversation is deleted on the server, and each phone
/// deletes its copy when the relationship is no longer in its list.
pub async fn remove(db: &Db, conversation: &Conversation) -> Result<(), ApiError> {
    match conversation.role() {
        Role::Owner => sharing::revoke(db, conversation.user_id(), conversation.id()).await?,
        Role::Trusted => sharing::leave(db, conversation.user_id(), conversation.id()).await?,
    }
    delete_messages(db, conversation.id()).await
}

/// Settings to change; `None` leaves one as it is.
#[derive(Default)]
pub struct Changes {
    /// The user's name for the person.
    pub name: Option<String>,
    /// Read receipts, both ways (the user).
    pub read_receipts: Option<bool>,
    /// The trusted person's number; `""` removes it.
    pub phone: Option<String>,
    /// The user's own number, for this trusted person only; `""` removes it.
    pub user_phone: Option<String>,
    /// The trusted person's reminder weekday (1–7); `0` removes it.
    pub reminder: Option<u8>,
}

/// Changes the settings the caller's side may change; a field of the other side's: 422.
pub async fn update(db: &Db, conversation: &Conversation, changes: Changes) -> Result<Person, ApiError> {
    let not_yours = |field: &'static str| ApiError::Invalid {
        field,
        reason: "This setting belongs to the other person.".to_owned(),
    };
    let owner = conversation.role() == Role::Owner;
    let mut sets: Vec<(&'static str, Value)> = Vec::new();
    if let Some(name) = changes.name {
        if !owner {
            return Err(not_yours("name"));
        }
        let label = PersonLabel::parse(&name).map_err(|e| ApiError::Invalid {
            field: "name",
            reason: format!("The name is 1 to {} characters ({e}).", PersonLabel::MAX_CHARS),
        })?;
        sets.push(("label", Value::Text(Some(label.as_str().to_owned()))));
    }
    if let Some(on) = changes.read_receipts {
        if !owner {
            return Err(not_yours("read_receipts"));
        }
        sets.push(("read_receipts", Value::Number(Some(i64::from(on)))));
    }
    if let Some(phone) = changes.phone {
        if owner {
            return Err(not_yours("phone"));
        }
        sets.push(("phone", Value::Text(dialable("phone", &phone)?)));
    }
    if let Some(phone) = changes.user_phone {
        if !owner {
            return Err(not_yours("user_phone"));
        }
        sets.push(("user_phone", Value::Text(dialable("user_phone", &phone)?)));
    }
    if let Some(day) = changes.reminder {
        if owner {
            return Err(not_yours("reminder"));
        }
        if day > 7 {
            return Err(ApiError::Invalid {
                field: "reminder",
                reason: "A reminder is a weekday, 1 (Monday) to 7 (Sunday), or 0 for none.".to_owned(),
            });
        }
        sets.push(("reminder", Value::Number((day > 0).then_some(i64::from(day)))));
    }
    // Giving the user's number to someone, or taking it back, is consent like a share:
    // it is logged with the change, in one transaction.
    let number_event = sets.iter().find_map(|(column, value)| match value {
        Value::Text(new) if *column == "user_phone" && *new != conversation.relation.user_phone => {
            Some(if new.is_some() {
                "user_phone_given"
            } else {
                "user_phone_removed"
            })
        }
        _ => None,
    });
    {
        let _turn = db.write_turn().await;
        let mut tx = db.pool().begin().await?;
        for (column, value) in sets {
            let sql = format!("UPDATE checkin_relations SET {column} = $1 WHERE share_id = $2");
            let query = match value {
                Value::Text(t) => sqlx::query(&sql).bind(t),
                Value::Number(n) => sqlx::query(&sql).bind(n),
            };
            query.bind(conversation.id()).execute(&mut *tx).await?;
        }
        if let Some(event) = number_event {
            log_consent(&mut tx, consent(conversation, event, now_ms())).await?;
        }
        tx.commit().await?;
    }
    let fresh = super::authorize(db, conversation.user_id(), conversation.id(), super::Need::Manage).await?;
    Ok(fresh.person())
}

/// A number as stored (`+47…`), or `None` for `""` (the number removed).
fn dialable(field: &'static str, raw: &str) -> Result<Option<String>, ApiError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let number = PhoneNumber::parse(raw).map_err(|e| ApiError::Invalid {
        field,
        reason: format!("Not a phone number that can be dialled ({e})."),
    })?;
    Ok(Some(number.as_str().to_owned()))
}

enum Value {
    Text(Option<String>),
    Number(Option<i64>),
}
