//! Messages of a conversation: sending (idempotent by the phone's id, at most
//! [`MAX_MESSAGES_PER_DAY`] a day each way), "Kontakt meg" to every trusted person at once,
//! delivered / read / acknowledged, deleting a conversation, and the retention purge. Every
//! function that touches one conversation takes a [`Conversation`] from `authorize`.

use super::{authorize, current, Conversation, Need, DAY_MS, MAX_LISTED_MESSAGES, MAX_MESSAGES_PER_DAY};
use crate::accounts::now_ms;
use crate::db::{Backend, Db};
use crate::http::error::ApiError;
use app::model::checkin::{Content, Message, RawMessage, Role};
use sqlx::any::AnyRow;
use sqlx::Row;

const SELECT_MESSAGE: &str = "SELECT id, sender_id, kind, body, scale, phrase, sent_ms, delivered_ms, \
     read_ms, ack_ms FROM checkin_messages";

fn message_from_row(row: &AnyRow, conversation: &Conversation) -> Result<Message, ApiError> {
    let kind: String = row.try_get("kind")?;
    let body: Option<String> = row.try_get("body")?;
    let phrase: Option<String> = row.try_get("phrase")?;
    let content = Content::from_columns(&kind, body.as_deref(), row.try_get("scale")?, phrase.as_deref())
        .ok_or_else(|| ApiError::Internal("a stored message that does not parse".into()))?;
    let sender: String = row.try_get("sender_id")?;
    let receipts = conversation.relation.read_receipts;
    Ok(Message {
        id: row.try_get("id")?,
        mine: sender == conversation.user_id,
        content,
        sent_ms: row.try_get("sent_ms")?,
        delivered_ms: row.try_get("delivered_ms")?,
        read_ms: if receipts { row.try_get("read_ms")? } else { None },
        ack_ms: row.try_get("ack_ms")?,
    })
}

/// The newest messages of the conversation, oldest first. With `deliver`, the ones to the
/// caller not yet marked delivered are marked now (this is the other phone fetching them).
pub async fn messages_of(
    db: &Db,
    conversation: &Conversation,
    deliver: bool,
) -> Result<Vec<Message>, ApiError> {
    let rows = sqlx::query(&format!(
        "{SELECT_MESSAGE} WHERE share_id = $1 ORDER BY sent_ms DESC, id DESC LIMIT {MAX_LISTED_MESSAGES}"
    ))
    .bind(conversation.id())
    .fetch_all(db.pool())
    .await?;
    let mut messages = rows
        .iter()
        .map(|row| message_from_row(row, conversation))
        .collect::<Result<Vec<_>, _>>()?;
    messages.reverse();
    if deliver && messages.iter().any(|m| !m.mine && m.delivered_ms.is_none()) {
        let now = now_ms();
        let (share_id, user_id) = (conversation.id().to_owned(), conversation.user_id().to_owned());
        db.write(move |conn| {
            Box::pin(async move {
                sqlx::query(
                    "UPDATE checkin_messages SET delivered_ms = $1 WHERE share_id = $2 AND sender_id <> $3 \
                     AND delivered_ms IS NULL",
                )
                .bind(now)
                .bind(share_id)
                .bind(user_id)
                .execute(conn)
                .await
                .map(|_| ())
            })
        })
        .await?;
        for m in messages
            .iter_mut()
            .filter(|m| !m.mine && m.delivered_ms.is_none())
        {
            m.delivered_ms = Some(now);
        }
    }
    Ok(messages)
}

async fn message_by_id(
    db: &Db,
    conversation: &Conversation,
    id: &str,
) -> Result<Option<(Message, String)>, ApiError> {
    let row = sqlx::query(&format!("{SELECT_MESSAGE} WHERE share_id = $1 AND id = $2"))
        .bind(conversation.id())
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    match row {
        Some(row) => Ok(Some((
            message_from_row(&row, conversation)?,
            row.try_get("sender_id")?,
        ))),
        None => Ok(None),
    }
}

/// What became of a send.
pub struct Sent {
    pub message: Message,
    /// `false` when the message was there already (a retry): nothing new was stored.
    pub created: bool,
}

/// Sends a message in the conversation (see the module doc). A retry of a stored message
/// returns it, even over the daily limit; an id the other person used: 409.
pub async fn send(db: &Db, conversation: &Conversation, raw: &RawMessage) -> Result<Sent, ApiError> {
    let (id, content) = raw.parse().map_err(|refused| ApiError::Invalid {
        field: refused.field,
        reason: refused.reason,
    })?;
    let own = conversation.role() == Role::Owner;
    if !own && matches!(content, Content::Help | Content::Answer { .. }) {
        return Err(ApiError::Invalid {
            field: "kind",
            reason: "Only the person checked in on answers on the scale or asks for contact.".to_owned(),
        });
    }
    let id = id.to_string();
    store(db, conversation, &id, &content, now_ms()).await
}

/// What the write of a new message found.
enum Stored {
    New,
    /// The id was there already: a retry (or the other person's id).
    Taken,
}

async fn store(
    db: &Db,
    conversation: &Conversation,
    id: &str,
    content: &Content,
    now: i64,
) -> Result<Sent, ApiError> {
    // No look first: the insert finds a retry (its id is taken) in the same statement, and
    // the message it stores is the one answered with (no read back).
    let (kind, body, scale, phrase) = content.columns();
    let (share_id, message_id, sender_id) = (
        conversation.id().to_owned(),
        id.to_owned(),
        conversation.user_id().to_owned(),
    );
    let body = body.map(str::to_owned);
    let counted = *content != Content::Help;
    let postgres = db.backend() == Backend::Postgres;
    // One small write, committed with whatever other requests write at the same moment
    // (`Db::write`); over the limit it is rolled back alone.
    let stored = db
        .write(move |conn| {
            Box::pin(async move {
                if postgres {
                    // Sends in one conversation one after the other, so each counts the ones
                    // committed before it (SQLite's one writer does this by itself).
                    sqlx::query("SELECT share_id FROM checkin_relations WHERE share_id = $1 FOR UPDATE")
                        .bind(&share_id)
                        .execute(&mut *conn)
                        .await?;
                }
                let inserted = sqlx::query(
                    "INSERT INTO checkin_messages (share_id, id, sender_id, kind, body, scale, phrase, sent_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (share_id, id) DO NOTHING",
                )
                .bind(&share_id)
                .bind(message_id)
                .bind(&sender_id)
                .bind(kind)
                .bind(body)
                .bind(scale)
                .bind(phrase)
                .bind(now)
                .execute(&mut *conn)
                .await?;
                if inserted.rows_affected() == 0 {
                    return Ok(Stored::Taken);
                }
                if counted {
                    over_daily_limit(conn, &share_id, &sender_id, now).await?;
                }
                Ok::<_, ApiError>(Stored::New)
            })
        })
        .await?;
    match stored {
        Stored::New => Ok(Sent {
            message: Message {
                id: id.to_owned(),
                mine: true,
                content: content.clone(),
                sent_ms: now,
                delivered_ms: None,
                read_ms: None,
                ack_ms: None,
            },
            created: true,
        }),
        // A retry of a stored message (even over the daily limit), or two copies of one
        // retry racing: the stored one; someone else's id: 409.
        Stored::Taken => existing(db, conversation, id)
            .await?
            .ok_or_else(|| ApiError::Internal("a message neither stored nor there".into())),
    }
}

/// After storing one (counted) message: `Err(DailyLimit)` when it made more than
/// [`MAX_MESSAGES_PER_DAY`] from this sender in 24 hours, so the write is rolled back.
async fn over_daily_limit(
    conn: &mut sqlx::AnyConnection,
    share_id: &str,
    sender_id: &str,
    now: i64,
) -> Result<(), ApiError> {
    let counted: Vec<i64> = sqlx::query_scalar(
        "SELECT sent_ms FROM checkin_messages WHERE share_id = $1 AND sender_id = $2 \
         AND kind <> 'help' AND sent_ms > $3 ORDER BY sent_ms",
    )
    .bind(share_id)
    .bind(sender_id)
    .bind(now - DAY_MS)
    .fetch_all(conn)
    .await?;
    // `counted` holds this one too.
    if counted.len() as i64 > MAX_MESSAGES_PER_DAY {
        let free_at = counted[0] + DAY_MS;
        return Err(ApiError::DailyLimit {
            max: MAX_MESSAGES_PER_DAY,
            retry_after_s: u64::try_from((free_at - now).max(1000) / 1000).unwrap_or(1),
        });
    }
    Ok(())
}

/// The stored message with this id, if the caller sent it; someone else's: 409.
async fn existing(db: &Db, conversation: &Conversation, id: &str) -> Result<Option<Sent>, ApiError> {
    match message_by_id(db, conversation, id).await? {
        Some((message, sender)) if sender == conversation.user_id() => Ok(Some(Sent {
            message,
            created: false,
        })),
        Some(_) => Err(ApiError::Conflict {
            field: "id",
            reason: "That message id is taken; make a new one.".to_owned(),
        }),
        None => Ok(None),
    }
}

/// "Kontakt meg": the user's request (id made on their phone) to every trusted person in a
/// live, un-paused relationship, each through [`authorize`]. Returns the conversations it
/// went to (an empty list: nobody to send it to). Sending it again stores nothing new.
pub async fn ask_for_contact(db: &Db, user_id: &str, id: &str) -> Result<Vec<Conversation>, ApiError> {
    let raw = RawMessage {
        id: id.to_owned(),
        kind: "help".to_owned(),
        ..RawMessage::default()
    };
    let (id, _) = raw.parse().map_err(|refused| ApiError::Invalid {
        field: refused.field,
        reason: refused.reason,
    })?;
    let id = id.to_string();
    let now = now_ms();
    let mut reached = Vec::new();
    for share_id in current(db, user_id).await? {
        let conversation = match authorize(db, user_id, &share_id, Need::Talk).await {
            Ok(c) if c.role() == Role::Owner => c,
            Ok(_) | Err(ApiError::NotFound | ApiError::Conflict { .. }) => continue,
            Err(e) => return Err(e),
        };
        store(db, &conversation, &id, &Content::Help, now).await?;
        reached.push(conversation);
    }
    Ok(reached)
}

/// Marks messages to the caller delivered and (while read receipts are on) read.
pub async fn mark_read(db: &Db, conversation: &Conversation, ids: &[String]) -> Result<(), ApiError> {
    let now = now_ms();
    let receipts = i64::from(conversation.relation.read_receipts);
    let (share_id, user_id) = (conversation.id().to_owned(), conversation.user_id().to_owned());
    let ids = ids.to_vec();
    db.write(move |conn| {
        Box::pin(async move {
            for id in ids {
                sqlx::query(
                    "UPDATE checkin_messages SET delivered_ms = COALESCE(delivered_ms, $1), \
                     read_ms = CASE WHEN $2 = 1 THEN COALESCE(read_ms, $3) ELSE read_ms END \
                     WHERE share_id = $4 AND id = $5 AND sender_id <> $6",
                )
                .bind(now)
                .bind(receipts)
                .bind(now)
                .bind(&share_id)
                .bind(id)
                .bind(&user_id)
                .execute(&mut *conn)
                .await?;
            }
            Ok::<_, ApiError>(())
        })
    })
    .await
}

/// The trusted person's "Jeg tar kontakt" on a Kontakt meg request. Again: unchanged.
pub async fn ack(db: &Db, conversation: &Conversation, id: &str) -> Result<Message, ApiError> {
    let (message, _) = message_by_id(db, conversation, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    if conversation.role() != Role::Trusted || message.mine || message.content != Content::Help {
        return Err(ApiError::Invalid {
            field: "id",
            reason: "Only a trusted person answers a request for contact.".to_owned(),
        });
    }
    let now = now_ms();
    {
        let _turn = db.write_turn().await;
        sqlx::query(
            "UPDATE checkin_messages SET ack_ms = COALESCE(ack_ms, $1), delivered_ms = COALESCE(delivered_ms, $2) \
             WHERE share_id = $3 AND id = $4",
        )
        .bind(now)
        .bind(now)
        .bind(conversation.id())
        .bind(id)
        .execute(db.pool())
        .await?;
    }
    let (message, _) = message_by_id(db, conversation, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(message)
}

/// Deletes every message of the conversation (the user's choice, or the end of it).
pub async fn delete_conversation(db: &Db, conversation: &Conversation) -> Result<(), ApiError> {
    delete_messages(db, conversation.id()).await
}

pub(super) async fn delete_messages(db: &Db, share_id: &str) -> Result<(), ApiError> {
    {
        let _turn = db.write_turn().await;
        sqlx::query("DELETE FROM checkin_messages WHERE share_id = $1")
            .bind(share_id)
            .execute(db.pool())
            .await?;
    }
    db.forget_deleted().await;
    Ok(())
}

/// Deletes messages older than `retention_ms` at `now_ms`; returns how many.
pub async fn purge(db: &Db, now_ms: i64, retention_ms: i64) -> Result<u64, sqlx::Error> {
    let _turn = db.write_turn().await;
    Ok(sqlx::query("DELETE FROM checkin_messages WHERE sent_ms < $1")
        .bind(now_ms - retention_ms)
        .execute(db.pool())
        .await?
        .rows_affected())
}
