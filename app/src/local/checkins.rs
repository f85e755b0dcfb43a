//! Check-ins on the phone: the last copy of the conversations the server sent, and the
//! outbox of what the user did while the network was away (messages, Kontakt meg, read
//! receipts, "Jeg tar kontakt"). A database of its own (`tillit-checkins`), apart from the
//! plan's records: check-ins are messages between two people, not the user's records, and
//! they never go through the record sync.
//!
//! **Every row belongs to one account** (`account`, the server's user id): on a shared
//! phone one account never sees, sends or deletes another's. An entry leaves the outbox only
//! when the server has answered it (stored, or refused for a reason a retry will not mend),
//! and each message keeps the id made here, so a retry after a lost answer stores nothing
//! twice on the server.

use super::rows::{from_js, to_js, unavailable, write_failed};
use super::store::StoreError;
use crate::model::checkin::{People, RawMessage, Role, Status};
use crate::model::json;
use crate::model::wire::{required, unknown_kind};
use rexie::{ObjectStore, Rexie, TransactionMode};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

const DB_NAME: &str = "tillit-checkins";
const DB_VERSION: u32 = 1;
const PEOPLE: &str = "people";
const OUTBOX: &str = "outbox";

/// Something to tell the server, queued on the phone. Written as `{"what": "read", …}`;
/// read through [`OutboundWire`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case", try_from = "OutboundWire")]
pub enum Outbound {
    /// A message in one conversation.
    Message { rel: String, message: RawMessage },
    /// Kontakt meg, to every trusted person.
    Help { id: String },
    /// These messages were opened.
    Read { rel: String, ids: Vec<String> },
    /// "Jeg tar kontakt".
    Ack { rel: String, message: String },
}

/// How [`Outbound`] is read: its fields side by side, then checked, without the code of
/// serde's buffering for an internally tagged enum (see `model::checkin::ContentWire`).
/// `message` is a message to send for one kind and a message's id for another.
#[derive(Deserialize)]
pub struct OutboundWire {
    what: String,
    #[serde(default)]
    rel: Option<String>,
    #[serde(default)]
    message: Option<serde_json::Value>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    ids: Option<Vec<String>>,
}

impl TryFrom<OutboundWire> for Outbound {
    type Error = String;

    fn try_from(wire: OutboundWire) -> Result<Outbound, String> {
        let OutboundWire {
            what,
            rel,
            message,
            id,
            ids,
        } = wire;
        match what.as_str() {
            "message" => Ok(Outbound::Message {
                rel: required(rel, "rel")?,
                message: json::from_value(&required(message, "message")?).map_err(|e| e.to_string())?,
            }),
            "help" => Ok(Outbound::Help {
                id: required(id, "id")?,
            }),
            "read" => Ok(Outbound::Read {
                rel: required(rel, "rel")?,
                ids: required(ids, "ids")?,
            }),
            "ack" => Ok(Outbound::Ack {
                rel: required(rel, "rel")?,
                message: required(message, "message")?
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| "`message` is a message's id here".to_owned())?,
            }),
            other => Err(unknown_kind(other, &["message", "help", "read", "ack"])),
        }
    }
}

/// One outbox entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queued {
    /// The row's key: the message's id, or one made for the entry.
    pub key: String,
    pub account: String,
    pub queued_ms: i64,
    pub entry: Outbound,
    /// The server refused it, and why (kept so the user sees it was not sent).
    #[serde(default)]
    pub refused: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct PeopleRow {
    key: String,
    fetched_ms: i64,
    /// `People` as JSON text (IndexedDB keeps it as it is).
    json: String,
}

/// What the phone holds for one account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Held {
    pub people: People,
    /// When the server last answered (0: never).
    pub fetched_ms: i64,
    /// Oldest first.
    pub outbox: Vec<Queued>,
}

async fn open() -> Result<Rexie, StoreError> {
    Rexie::builder(DB_NAME)
        .version(DB_VERSION)
        .add_object_store(ObjectStore::new(PEOPLE).key_path("key"))
        .add_object_store(ObjectStore::new(OUTBOX).key_path("key"))
        .build()
        .await
        .map_err(unavailable)
}

/// Everything the phone holds for `account`.
pub async fn load(account: &str) -> Result<Held, StoreError> {
    let db = open().await?;
    let tx = db
        .transaction(&[PEOPLE, OUTBOX], TransactionMode::ReadOnly)
        .map_err(unavailable)?;
    let people = tx.store(PEOPLE).map_err(unavailable)?;
    let row = people
        .get(JsValue::from_str(account))
        .await
        .map_err(unavailable)?;
    let (people, fetched_ms) = match row {
        Some(value) => {
            let row: PeopleRow = from_js(value)?;
            (json::from_str(&row.json).unwrap_or_default(), row.fetched_ms)
        }
        None => (People::default(), 0),
    };
    let outbox = tx.store(OUTBOX).map_err(unavailable)?;
    let mut queued = Vec::new();
    for value in outbox.get_all(None, None).await.map_err(unavailable)? {
        if let Ok(entry) = from_js::<Queued>(value) {
            if entry.account == account {
                queued.push(entry);
            }
        }
    }
    let _ = tx.done().await;
    db.close();
    crate::model::order::sort_by(&mut queued, |a, b| {
        (a.queued_ms, &a.key).cmp(&(b.queued_ms, &b.key))
    });
    Ok(Held {
        people,
        fetched_ms,
        outbox: queued,
    })
}

/// Keeps the server's answer as the account's copy (conversations no longer listed are
/// gone with it: ended relationships leave nothing behind).
pub async fn save_people(account: &str, people: &People, now_ms: i64) -> Result<(), StoreError> {
    let row = PeopleRow {
        key: account.to_owned(),
        fetched_ms: now_ms,
        json: serde_json::to_string(people).map_err(|e| StoreError::WriteFailed(e.to_string()))?,
    };
    write(PEOPLE, &to_js(&row)?).await?;
    let can_ask = people
        .people
        .iter()
        .any(|p| p.role == Role::Owner && p.status == Status::Live);
    super::prefs::mark_helpers(can_ask.then_some(account));
    Ok(())
}

/// Puts an entry in the outbox (again with the same key: replaced, not doubled).
pub async fn queue(entry: &Queued) -> Result<(), StoreError> {
    write(OUTBOX, &to_js(entry)?).await
}

/// Takes an answered entry out of the outbox.
pub async fn done(key: &str) -> Result<(), StoreError> {
    let db = open().await?;
    let tx = db
        .transaction(&[OUTBOX], TransactionMode::ReadWrite)
        .map_err(write_failed)?;
    let store = tx.store(OUTBOX).map_err(write_failed)?;
    store.delete(JsValue::from_str(key)).await.map_err(write_failed)?;
    tx.done().await.map_err(write_failed)?;
    db.close();
    Ok(())
}

async fn write(store_name: &str, row: &JsValue) -> Result<(), StoreError> {
    let db = open().await?;
    let tx = db
        .transaction(&[store_name], TransactionMode::ReadWrite)
        .map_err(write_failed)?;
    let store = tx.store(store_name).map_err(write_failed)?;
    store.put(row, None).await.map_err(write_failed)?;
    tx.done().await.map_err(write_failed)?;
    db.close();
    Ok(())
}

/// A new message id, made on this phone (UUID v7).
pub fn new_message_id() -> String {
    super::plan_store::new_id().to_string()
}

/// Removes every check-in row of every account from this phone ("log out and remove
/// everything").
pub async fn forget_all() -> Result<(), String> {
    let db = open().await.map_err(|e| e.to_string())?;
    let tx = db
        .transaction(&[PEOPLE, OUTBOX], TransactionMode::ReadWrite)
        .map_err(|e| format!("{e:?}"))?;
    for name in [PEOPLE, OUTBOX] {
        let store = tx.store(name).map_err(|e| format!("{e:?}"))?;
        store.clear().await.map_err(|e| format!("{e:?}"))?;
    }
    tx.done().await.map_err(|e| format!("{e:?}"))?;
    db.close();
    super::prefs::mark_helpers(None);
    Ok(())
}
