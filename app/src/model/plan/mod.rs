//! The self-help / crisis plan: the bodies its records carry, the plan as the UI shows it,
//! and the edits the UI makes.
//!
//! A plan is made of records (see [`super::record`]): one per section, one per item, one per
//! contact. Bodies are JSON inside a [`Version`]; here they get their types, built from the
//! parsing newtypes of [`super::text`] and [`super::phone`], so a body that deserialises is a
//! valid body.
//!
//! This file holds the bodies, their parsing ([`parse_body`]) and the ten default sections;
//! `view.rs` builds the [`Plan`] the UI shows from the records, and `edit.rs` computes the
//! bodies each edit writes. Everything is re-exported here, so callers only ever name
//! `crate::model::plan::…`.
//!
//! **Positions.** Order is an `i64` per record, sorted ascending, ties broken by record id so
//! every device shows the same order. New entries go [`POSITION_GAP`] after the last one.
//! Moving swaps the positions of two neighbours, which writes just two records. When two
//! devices added entries at the same time their positions can tie; a move in a list with
//! ties renumbers the whole list instead (every entry gets `(n + 1) * POSITION_GAP`).
//!
//! **Default sections.** The ten sections of the brief have fixed ids
//! ([`DefaultSection::record_id`]), the same on every device, so two phones that both rename
//! "Mine varselsignaler" edit the same record. A brand-new plan has no records, yet shows all
//! ten: [`Plan::from_records`] fills in the missing ones; the first edit writes the record.

use serde::{Deserialize, Serialize};

use super::body::{check_schema, typed, TypedBody};
use super::phone::PhoneNumber;
use super::record::{Kind, RecordId, Version};
use super::text::{ContactName, ItemText, Relation, SectionName};

pub use super::body::{BodyError, EditError, Problem};

mod edit;
mod view;

pub use edit::Direction;
pub use view::{ContactView, ItemView, Plan, SectionView};

/// The step between positions of entries added one after another.
pub const POSITION_GAP: i64 = 1024;
/// The most numbers one contact may hold.
pub const MAX_PHONES_PER_CONTACT: usize = 5;

/// The ten sections of a plan, in the order the brief gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultSection {
    WarningSigns,
    Triggers,
    SelfHelp,
    HowToMeetMe,
    DoNotWant,
    OthersCanDo,
    Practical,
    Contacts,
    ReasonsToLive,
    SafeSurroundings,
}

impl DefaultSection {
    pub const ALL: [DefaultSection; 10] = [
        DefaultSection::WarningSigns,
        DefaultSection::Triggers,
        DefaultSection::SelfHelp,
        DefaultSection::HowToMeetMe,
        DefaultSection::DoNotWant,
        DefaultSection::OthersCanDo,
        DefaultSection::Practical,
        DefaultSection::Contacts,
        DefaultSection::ReasonsToLive,
        DefaultSection::SafeSurroundings,
    ];

    /// The stable key: stored in bodies and used to find the section's translated name.
    pub const fn key(self) -> &'static str {
        match self {
            DefaultSection::WarningSigns => "warning_signs",
            DefaultSection::Triggers => "triggers",
            DefaultSection::SelfHelp => "self_help",
            DefaultSection::HowToMeetMe => "how_to_meet_me",
            DefaultSection::DoNotWant => "do_not_want",
            DefaultSection::OthersCanDo => "others_can_do",
            DefaultSection::Practical => "practical",
            DefaultSection::Contacts => "contacts",
            DefaultSection::ReasonsToLive => "reasons_to_live",
            DefaultSection::SafeSurroundings => "safe_surroundings",
        }
    }

    pub fn parse(key: &str) -> Option<DefaultSection> {
        DefaultSection::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The id every device gives this section's record.
    pub fn record_id(self) -> RecordId {
        RecordId::from_static_name(&format!("plan.section.{}", self.key()))
    }

    /// The body of the section before the user has changed anything.
    pub fn initial_body(self) -> SectionBody {
        let index = DefaultSection::ALL.iter().position(|s| *s == self).unwrap_or(0);
        SectionBody {
            name: None,
            position: (index as i64 + 1) * POSITION_GAP,
            hidden: false,
            default_key: Some(self),
        }
    }
}

/// A section. `name: None` means "the translated default name" and is only valid for one of
/// the ten default sections; the user's own sections always have a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionBody {
    #[serde(default)]
    pub name: Option<SectionName>,
    pub position: i64,
    #[serde(default)]
    pub hidden: bool,
    #[serde(default)]
    pub default_key: Option<DefaultSection>,
}

/// One item in a section, in the user's words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemBody {
    pub section: RecordId,
    pub text: ItemText,
    pub position: i64,
}

/// A person or service to call or text. Numbers are stored in E.164 (or as Norwegian short
/// numbers, see [`PhoneNumber`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactBody {
    pub name: ContactName,
    #[serde(default)]
    pub relation: Relation,
    #[serde(default)]
    pub phones: Vec<PhoneNumber>,
    pub position: i64,
}

/// A typed body of any plan kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Section(SectionBody),
    Item(ItemBody),
    Contact(ContactBody),
}

impl Body {
    pub fn kind(&self) -> Kind {
        match self {
            Body::Section(_) => Kind::PlanSection,
            Body::Item(_) => Kind::PlanItem,
            Body::Contact(_) => Kind::PlanContact,
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Body::Section(b) => b.to_json(),
            Body::Item(b) => b.to_json(),
            Body::Contact(b) => b.to_json(),
        }
    }

    /// The version to write for this body.
    pub fn into_version(self, hlc: super::hlc::Hlc) -> Version {
        Version::new(hlc, self.to_json())
    }
}

impl TypedBody for SectionBody {
    const KIND: Kind = Kind::PlanSection;
}

impl TypedBody for ItemBody {
    const KIND: Kind = Kind::PlanItem;
}

impl TypedBody for ContactBody {
    const KIND: Kind = Kind::PlanContact;
}

impl From<SectionBody> for Body {
    fn from(body: SectionBody) -> Body {
        Body::Section(body)
    }
}

impl From<ItemBody> for Body {
    fn from(body: ItemBody) -> Body {
        Body::Item(body)
    }
}

impl From<ContactBody> for Body {
    fn from(body: ContactBody) -> Body {
        Body::Contact(body)
    }
}

/// Reads a version's body as the record's kind. A tombstone has no body: `Ok(None)`.
pub fn parse_body(id: RecordId, kind: Kind, version: &Version) -> Result<Option<Body>, BodyError> {
    if version.deleted {
        return Ok(None);
    }
    check_schema(version)?;
    let body = match kind {
        Kind::PlanSection => {
            let body: SectionBody = typed(&version.body)?;
            match body.default_key {
                Some(key) if key.record_id() != id => return Err(BodyError::DefaultKeyMismatch),
                None if body.name.is_none() => return Err(BodyError::NameRequired),
                _ => Body::Section(body),
            }
        }
        Kind::PlanItem => Body::Item(typed(&version.body)?),
        Kind::PlanContact => {
            let body: ContactBody = typed(&version.body)?;
            if body.phones.len() > MAX_PHONES_PER_CONTACT {
                return Err(BodyError::TooManyPhones {
                    max: MAX_PHONES_PER_CONTACT,
                    actual: body.phones.len(),
                });
            }
            Body::Contact(body)
        }
        other => {
            return Err(BodyError::Invalid {
                detail: format!("{other} is not a plan record"),
            })
        }
    };
    Ok(Some(body))
}

/// Builders the tests of this module and its children share.
#[cfg(test)]
mod test_support {
    use super::{Body, ItemBody};
    use crate::model::hlc::{DeviceId, Hlc};
    use crate::model::record::{Record, RecordId};
    use crate::model::text::ItemText;

    pub(super) fn hlc(wall_ms: u64) -> Hlc {
        Hlc {
            wall_ms,
            counter: 0,
            device: DeviceId::parse("d").unwrap(),
        }
    }

    pub(super) fn record(id: RecordId, body: impl Into<Body>) -> Record {
        let body = body.into();
        Record::new(id, body.kind(), body.into_version(hlc(1)))
    }

    pub(super) fn id(n: u8) -> RecordId {
        RecordId::new_v7(n.into(), [n; 10])
    }

    pub(super) fn item(section: RecordId, text: &str, position: i64) -> ItemBody {
        ItemBody {
            section,
            text: ItemText::parse(text).unwrap(),
            position,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn bodies_have_a_stable_json_shape() {
        let section = DefaultSection::Triggers;
        let body = Body::from(section.initial_body()).to_json();
        assert_eq!(
            body,
            json!({"name": null, "position": 2048, "hidden": false, "default_key": "triggers"})
        );
        let contact = ContactBody {
            name: ContactName::parse("Kari").unwrap(),
            relation: Relation::default(),
            phones: vec![PhoneNumber::parse("912 34 567").unwrap()],
            position: 1,
        };
        let json = Body::from(contact).to_json();
        assert_eq!(
            json,
            json!({"name": "Kari", "relation": "", "phones": ["+4791234567"], "position": 1})
        );
    }
}
