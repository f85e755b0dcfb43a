//! What each object store holds, and how it crosses into JavaScript: the row types, the
//! store's error type, and the (de)serialisation that IndexedDB accepts.

use crate::model::hlc::Hlc;
use crate::model::record::{Kind, RecordId, Version};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// What can go wrong on the phone's storage. The UI shows a plain message per variant and
/// keeps whatever the user typed.
#[derive(Debug, Clone, PartialEq)]
pub enum StoreError {
    /// IndexedDB is missing or refused (private mode, storage disabled, quota).
    Unavailable(String),
    /// A write was refused; nothing of it was kept.
    WriteFailed(String),
    /// Something stored could not be read back; it is left untouched.
    Unreadable(String),
    /// The data on this phone is not the account's (another account's, or tied to none
    /// yet): a sync for that account may neither send it nor mix the account's into it.
    NotOwner,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Unavailable(e) => write!(f, "storage unavailable: {e}"),
            StoreError::WriteFailed(e) => write!(f, "write failed: {e}"),
            StoreError::Unreadable(e) => write!(f, "unreadable data: {e}"),
            StoreError::NotOwner => write!(f, "the data on this phone belongs to another account"),
        }
    }
}

pub(super) fn unavailable(e: rexie::Error) -> StoreError {
    StoreError::Unavailable(format!("{e:?}"))
}
pub(super) fn write_failed(e: impl std::fmt::Debug) -> StoreError {
    StoreError::WriteFailed(format!("{e:?}"))
}

#[derive(Serialize, Deserialize)]
pub(super) struct CurrentRow {
    pub(super) id: RecordId,
    pub(super) kind: Kind,
    pub(super) current: Version,
}

#[derive(Serialize, Deserialize)]
pub(super) struct HistoryRow {
    pub(super) key: String,
    pub(super) id: RecordId,
    pub(super) version: Version,
}

#[derive(Serialize, Deserialize)]
pub struct OutboxRow {
    pub key: String,
    pub id: RecordId,
    pub kind: Kind,
    pub version: Version,
}

#[derive(Serialize, Deserialize)]
pub(super) struct MetaRow<T> {
    pub(super) key: String,
    pub(super) value: T,
}

/// Sorts like the HLC itself: zero-padded hex wall time and counter, then the device.
pub(super) fn hlc_key(hlc: &Hlc) -> String {
    format!("{:016x}.{:08x}.{}", hlc.wall_ms, hlc.counter, hlc.device)
}

/// Writes a row through `serde_json` and the browser's own `JSON.parse`, the way [`from_js`]
/// reads one: plain objects (not `Map`s, which IndexedDB key paths cannot read), numbers as
/// numbers. Going through text keeps a second serialiser (`serde_wasm_bindgen`, about 20 KiB
/// of code before compression) out of the bundle; a row is small, so the text costs nothing
/// to notice.
pub(super) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, StoreError> {
    let text = serde_json::to_string(value).map_err(write_failed)?;
    js_sys::JSON::parse(&text).map_err(write_failed)
}

/// Reads a row through the browser's own `JSON.stringify` and `serde_json`: several times
/// faster than walking the JS object field by field (`serde_wasm_bindgen`), which made
/// reading a few hundred records the slowest step of opening the app.
///
/// The text becomes a `serde_json::Value` first ([`parse_js`], compiled once), and the row
/// type is read from that ([`crate::model::json`]): reading each row type straight from text
/// compiled serde_json's text parser once per type.
pub(super) fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, StoreError> {
    crate::model::json::from_value(&parse_js(value)?).map_err(|e| StoreError::Unreadable(e.to_string()))
}

fn parse_js(value: JsValue) -> Result<serde_json::Value, StoreError> {
    let text = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| StoreError::Unreadable("the row is not JSON".to_owned()))?;
    serde_json::from_str(&text).map_err(|e| StoreError::Unreadable(e.to_string()))
}
