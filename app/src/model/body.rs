//! What every record body shares, whatever feature it belongs to: how a typed body names its
//! kind ([`TypedBody`]), why a stored body cannot be read ([`BodyError`], [`Problem`]), why
//! an edit is refused ([`EditError`]), and [`check_body`], which reads any kind's body.
//!
//! The bodies themselves live with their feature: [`super::plan`] and [`super::wheel`].

use std::fmt;

use serde::Serialize;

use super::record::{Family, Kind, RecordId, Version, RECORD_SCHEMA};

/// A body struct of one kind. Writing goes through this, so a body is always stored under
/// the kind that reads it back.
pub trait TypedBody: Serialize {
    const KIND: Kind;

    fn to_json(&self) -> serde_json::Value {
        // Bodies are plain structs of strings, numbers, bools and maps with string keys:
        // serialising them cannot fail.
        serde_json::to_value(self).expect("record bodies always serialise")
    }
}

/// Why a version's body cannot be read. `Invalid` carries serde's message, which may quote
/// the user's own text: show it to them, never log it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Written with a schema this build does not read (newer app, or damaged data).
    UnsupportedSchema {
        schema: u32,
    },
    /// The JSON does not have the shape of the kind's body, or a field failed to parse (a
    /// score of 11, a date that does not exist, a text over its limit).
    Invalid {
        detail: String,
    },
    /// One of the user's own sections or areas without a name.
    NameRequired,
    /// `default_key` names a default section or area whose id is not this record's.
    DefaultKeyMismatch,
    TooManyPhones {
        max: usize,
        actual: usize,
    },
    /// A rating with none of its three scores.
    EmptyRating,
    TooManyAnswers {
        max: usize,
        actual: usize,
    },
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BodyError::UnsupportedSchema { schema } => {
                write!(
                    f,
                    "schema {schema} is not supported (this app reads {RECORD_SCHEMA})"
                )
            }
            BodyError::Invalid { detail } => write!(f, "invalid body: {detail}"),
            BodyError::NameRequired => write!(f, "a section or area of one's own needs a name"),
            BodyError::DefaultKeyMismatch => write!(f, "the default key does not match the id"),
            BodyError::TooManyPhones { max, actual } => {
                write!(
                    f,
                    "the contact has {actual} phone numbers, at most {max} are allowed"
                )
            }
            BodyError::EmptyRating => write!(f, "a rating needs at least one score"),
            BodyError::TooManyAnswers { max, actual } => {
                write!(
                    f,
                    "the checklist answer has {actual} answers, at most {max} are allowed"
                )
            }
        }
    }
}

impl std::error::Error for BodyError {}

/// A record whose current body could not be read; it stays in storage untouched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub id: RecordId,
    pub kind: Kind,
    pub error: BodyError,
}

/// Why an edit cannot be made (plan or wheel). The UI translates by variant; nothing was
/// written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditError {
    /// No such live section, item, contact, area or measure.
    NotFound,
    SectionFull {
        max: usize,
    },
    TooManyPhones {
        max: usize,
    },
    /// Already first (moving up) or last (moving down).
    AtEdge,
    /// Only a default section or area can go back to its default name.
    NameRequired,
    TooManyAreas {
        max: usize,
    },
    TooManyMeasures {
        max: usize,
    },
    ChecklistFull {
        max: usize,
    },
    /// A rating with no score chosen on any scale.
    NoScore,
    /// A checklist saved without one answer.
    NoAnswers,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NotFound => write!(f, "it is not there (any more)"),
            EditError::SectionFull { max } => write!(f, "a section holds at most {max} items"),
            EditError::TooManyPhones { max } => write!(f, "a contact holds at most {max} phone numbers"),
            EditError::AtEdge => write!(f, "it cannot move further that way"),
            EditError::NameRequired => write!(f, "one's own section or area needs a name"),
            EditError::TooManyAreas { max } => write!(f, "the wheel holds at most {max} areas"),
            EditError::TooManyMeasures { max } => write!(f, "an area holds at most {max} measures"),
            EditError::ChecklistFull { max } => write!(f, "the checklist holds at most {max} items"),
            EditError::NoScore => write!(f, "choose a score on at least one scale"),
            EditError::NoAnswers => write!(f, "answer at least one question"),
        }
    }
}

impl std::error::Error for EditError {}

/// Deserialises a body as `T`, keeping serde's message.
pub(super) fn typed<T: serde::de::DeserializeOwned>(json: &serde_json::Value) -> Result<T, BodyError> {
    super::json::from_value(json).map_err(|e| BodyError::Invalid {
        detail: e.to_string(),
    })
}

/// The schema check every kind's reader starts with.
pub(super) fn check_schema(version: &Version) -> Result<(), BodyError> {
    if version.schema == RECORD_SCHEMA {
        Ok(())
    } else {
        Err(BodyError::UnsupportedSchema {
            schema: version.schema,
        })
    }
}

/// Whether a version's body is a valid body of the record's kind (a tombstone always is).
pub fn check_body(id: RecordId, kind: Kind, version: &Version) -> Result<(), BodyError> {
    match kind.family() {
        Family::Plan => super::plan::parse_body(id, kind, version).map(drop),
        Family::Wheel => super::wheel::parse_body(id, kind, version).map(drop),
    }
}
