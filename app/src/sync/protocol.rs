//! What the client and the server say to each other, as types: `POST /api/v1/sync` and the
//! sharing API (`/api/v1/shares`, `/api/v1/shared`, the consent and access logs). The
//! server's side is in `server/src/sync.rs` and `server/src/sharing.rs`; the contract is
//! `server/api/openapi.json`.

use crate::model::record::{Kind, RecordId, Version};
use serde::{Deserialize, Serialize};

/// The server's limits for one push (`server/src/sync.rs`), kept a little below them so a
/// request never meets them by a byte or two of JSON framing.
pub const MAX_CHANGES: usize = 500;
pub const MAX_REQUEST_BYTES: usize = 900 * 1024;

/// A request that did not give what was asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum NetError {
    /// No network, the server is down, or it took too long: try again later.
    Offline,
    /// The server answered with an error status; `error` (its code, e.g. `quota_exceeded`),
    /// `message` and `field` are its JSON error.
    Status {
        code: u16,
        error: Option<String>,
        message: String,
        field: Option<String>,
    },
    /// An answer this version of the app cannot read.
    Malformed(String),
}

impl NetError {
    pub fn code(&self) -> Option<u16> {
        match self {
            NetError::Status { code, .. } => Some(*code),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Push<'a> {
    pub device: &'a str,
    pub since: i64,
    pub changes: Vec<ChangeOut<'a>>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ChangeOut<'a> {
    pub id: RecordId,
    pub kind: Kind,
    pub version: &'a Version,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SyncReply {
    pub cursor: i64,
    pub changes: Vec<Pulled>,
    #[serde(default)]
    pub conflicts: Vec<String>,
    #[serde(default)]
    pub more: bool,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Pulled {
    pub id: RecordId,
    pub kind: Kind,
    pub version: Version,
}

/// Cuts `sizes` (each change's JSON size in bytes) into consecutive ranges that each fit
/// one request: at most [`MAX_CHANGES`] changes and [`MAX_REQUEST_BYTES`] bytes. A change
/// larger than a whole request still gets a range of its own (the server says why it is
/// refused; the others are not held back by it).
pub fn batches(sizes: &[usize]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, &size) in sizes.iter().enumerate() {
        let full = i - start == MAX_CHANGES || (i > start && bytes + size > MAX_REQUEST_BYTES);
        if full {
            out.push(start..i);
            start = i;
            bytes = 0;
        }
        bytes += size + 1;
    }
    if start < sizes.len() {
        out.push(start..sizes.len());
    }
    out
}

/// The signed-in account, as `GET /api/v1/account` gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub username: String,
}

/// What a share covers: one section of the plan, or the whole wheel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Section(RecordId),
    Wheel,
}

impl Scope {
    pub fn parse(text: &str) -> Option<Scope> {
        match text {
            "wheel" => Some(Scope::Wheel),
            _ => text
                .strip_prefix("section:")
                .and_then(|id| RecordId::parse(id).ok())
                .map(Scope::Section),
        }
    }

    pub fn code(&self) -> String {
        match self {
            Scope::Section(id) => format!("section:{id}"),
            Scope::Wheel => "wheel".to_owned(),
        }
    }
}

/// One share, as the owner or the recipient sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub id: String,
    pub owner: String,
    pub recipient: Option<String>,
    /// The recipient's organisation, when they are a clinician.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_organisation: Option<String>,
    pub scope: String,
    pub until: Option<String>,
    pub created_ms: i64,
    pub accepted_ms: Option<i64>,
    pub revoked_ms: Option<i64>,
    pub status: String,
    /// The invitation code: only in the answer to creating the share.
    #[serde(default)]
    pub code: Option<String>,
}

impl Share {
    pub fn is_live(&self) -> bool {
        self.status == "live"
    }
    pub fn is_pending(&self) -> bool {
        self.status == "pending"
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shares {
    pub given: Vec<Share>,
    pub received: Vec<Share>,
}

/// A shared record: its latest version only.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedRecord {
    pub id: RecordId,
    pub kind: Kind,
    pub version: Version,
}

/// One share someone gave this user, with the records it covers. Kept on the phone (the
/// recipient's cached copy) and deleted at the first sync after the share ends.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedBundle {
    pub share: Share,
    pub records: Vec<SharedRecord>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SharedReply {
    pub shares: Vec<SharedBundle>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ConsentEntry {
    pub at_ms: i64,
    pub event: String,
    pub share_id: String,
    pub scope: String,
    pub recipient: Option<String>,
    pub until: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AccessEntry {
    pub at_ms: i64,
    pub reader: String,
    /// The reader's organisation at the time, when they are a clinician.
    #[serde(default)]
    pub reader_organisation: Option<String>,
    pub share_id: String,
    pub scope: String,
    pub records: i64,
    /// `read`, or `denied`: a former recipient tried after the share had ended.
    #[serde(default)]
    pub outcome: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Entries<T> {
    pub entries: Vec<T>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_respect_count_and_bytes() {
        assert!(batches(&[]).is_empty());
        assert_eq!(batches(&[10; 3]), vec![0..3]);
        let many = vec![100; 1201];
        assert_eq!(batches(&many), vec![0..500, 500..1000, 1000..1201]);
        let big = vec![300 * 1024; 7];
        let cut = batches(&big);
        assert_eq!(cut, vec![0..2, 2..4, 4..6, 6..7]);
        // One change bigger than a request gets its own range; nothing is dropped.
        let cut = batches(&[10, 2_000_000, 10]);
        assert_eq!(cut, vec![0..1, 1..2, 2..3]);
    }

    #[test]
    fn every_change_is_in_exactly_one_batch() {
        let sizes: Vec<usize> = (0..2000).map(|i| (i * 7919) % 70_000).collect();
        let cut = batches(&sizes);
        let mut next = 0;
        for range in &cut {
            assert_eq!(range.start, next);
            assert!(range.len() <= MAX_CHANGES);
            let bytes: usize = sizes[range.clone()].iter().map(|s| s + 1).sum();
            assert!(bytes <= MAX_REQUEST_BYTES || range.len() == 1);
            next = range.end;
        }
        assert_eq!(next, sizes.len());
    }

    #[test]
    fn scopes_round_trip() {
        let id = RecordId::from_static_name("plan.section.warning_signs");
        for scope in [Scope::Wheel, Scope::Section(id)] {
            assert_eq!(Scope::parse(&scope.code()), Some(scope));
        }
        assert_eq!(Scope::parse("section:nope"), None);
        assert_eq!(Scope::parse("checkins"), None);
    }
}
