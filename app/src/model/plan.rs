//! The self-help / crisis plan: the bodies its records carry, the plan as the UI shows it,
//! and the edits the UI makes.
//!
//! A plan is made of records (see [`super::record`]): one per section, one per item, one per
//! contact. Bodies are JSON inside a [`Version`]; here they get their types, built from the
//! parsing newtypes of [`super::text`] and [`super::phone`], so a body that deserialises is a
//! valid body.
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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::phone::PhoneNumber;
use super::record::{Kind, Record, RecordId, Version, RECORD_SCHEMA};
use super::text::{ContactName, ItemText, Relation, SectionName, MAX_ITEMS_PER_SECTION};

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
        let json = match self {
            Body::Section(b) => serde_json::to_value(b),
            Body::Item(b) => serde_json::to_value(b),
            Body::Contact(b) => serde_json::to_value(b),
        };
        // Plain structs of strings, numbers and bools: serialising them cannot fail.
        json.expect("plan bodies always serialise")
    }

    /// The version to write for this body.
    pub fn into_version(self, hlc: super::hlc::Hlc) -> Version {
        Version::new(hlc, self.to_json())
    }
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

/// Why a version's body cannot be read. `Invalid` carries serde's message, which may quote
/// the user's own text: show it to them, never log it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Written with a schema this build does not read (newer app, or damaged data).
    UnsupportedSchema {
        schema: u32,
    },
    /// The JSON does not have the shape of the kind's body, or a field failed to parse.
    Invalid {
        detail: String,
    },
    /// One of the user's own sections without a name.
    NameRequired,
    /// `default_key` names a default section whose id is not this record's.
    DefaultKeyMismatch,
    TooManyPhones {
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
            BodyError::NameRequired => write!(f, "a section of one's own needs a name"),
            BodyError::DefaultKeyMismatch => write!(f, "the default section key does not match the id"),
            BodyError::TooManyPhones { max, actual } => {
                write!(
                    f,
                    "the contact has {actual} phone numbers, at most {max} are allowed"
                )
            }
        }
    }
}

impl std::error::Error for BodyError {}

/// Reads a version's body as the record's kind. A tombstone has no body: `Ok(None)`.
pub fn parse_body(id: RecordId, kind: Kind, version: &Version) -> Result<Option<Body>, BodyError> {
    if version.deleted {
        return Ok(None);
    }
    if version.schema != RECORD_SCHEMA {
        return Err(BodyError::UnsupportedSchema {
            schema: version.schema,
        });
    }
    fn typed<T: serde::de::DeserializeOwned>(json: &serde_json::Value) -> Result<T, BodyError> {
        T::deserialize(json).map_err(|e| BodyError::Invalid {
            detail: e.to_string(),
        })
    }
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
    };
    Ok(Some(body))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemView {
    pub id: RecordId,
    pub body: ItemBody,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionView {
    pub id: RecordId,
    pub body: SectionBody,
    /// In display order.
    pub items: Vec<ItemView>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactView {
    pub id: RecordId,
    pub body: ContactBody,
}

/// A record whose current body could not be read; it stays in storage untouched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub id: RecordId,
    pub kind: Kind,
    pub error: BodyError,
}

/// The plan as the UI shows it, built from whatever records the store holds.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Plan {
    /// Every section that is not deleted, hidden ones included (flagged), in display order.
    pub sections: Vec<SectionView>,
    /// In display order.
    pub contacts: Vec<ContactView>,
    /// Items whose section is deleted or unknown (say, deleted on one device while an item
    /// was added on another). Kept so the UI can offer to move them rather than lose them.
    pub orphan_items: Vec<ItemView>,
    pub problems: Vec<Problem>,
}

impl Plan {
    /// Never fails: unreadable records go to `problems`; a default section whose record is
    /// unreadable is shown as new, so its items stay in sight.
    pub fn from_records(records: &[Record]) -> Plan {
        let mut plan = Plan::default();
        let mut sections: BTreeMap<RecordId, SectionView> = BTreeMap::new();
        let mut deleted: BTreeSet<RecordId> = BTreeSet::new();
        let mut items = Vec::new();
        for record in records {
            let id = record.id();
            match parse_body(id, record.kind(), record.current()) {
                Ok(None) => {
                    deleted.insert(id);
                }
                Ok(Some(Body::Section(body))) => {
                    sections.insert(
                        id,
                        SectionView {
                            id,
                            body,
                            items: Vec::new(),
                        },
                    );
                }
                Ok(Some(Body::Item(body))) => items.push(ItemView { id, body }),
                Ok(Some(Body::Contact(body))) => plan.contacts.push(ContactView { id, body }),
                Err(error) => plan.problems.push(Problem {
                    id,
                    kind: record.kind(),
                    error,
                }),
            }
        }
        for default in DefaultSection::ALL {
            let id = default.record_id();
            if !deleted.contains(&id) {
                sections.entry(id).or_insert_with(|| SectionView {
                    id,
                    body: default.initial_body(),
                    items: Vec::new(),
                });
            }
        }
        for item in items {
            match sections.get_mut(&item.body.section) {
                Some(section) => section.items.push(item),
                None => plan.orphan_items.push(item),
            }
        }
        plan.sections = sections.into_values().collect();
        plan.sections.sort_by_key(|s| (s.body.position, s.id));
        for section in &mut plan.sections {
            section.items.sort_by_key(|i| (i.body.position, i.id));
        }
        plan.contacts.sort_by_key(|c| (c.body.position, c.id));
        plan
    }

    pub fn section(&self, id: RecordId) -> Option<&SectionView> {
        self.sections.iter().find(|s| s.id == id)
    }

    pub fn visible_sections(&self) -> impl Iterator<Item = &SectionView> {
        self.sections.iter().filter(|s| !s.body.hidden)
    }
}

// ---- Edits. Each returns the bodies to write; the caller stamps and stores them. ----

/// Which way an entry moves in its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// Why an edit cannot be made. The UI translates by variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditError {
    /// No such live section, item or contact in this plan.
    NotFound,
    SectionFull {
        max: usize,
    },
    TooManyPhones {
        max: usize,
    },
    /// Already first (moving up) or last (moving down).
    AtEdge,
    /// Only a default section can go back to its default name.
    NameRequired,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NotFound => write!(f, "it is not in the plan (any more)"),
            EditError::SectionFull { max } => write!(f, "a section holds at most {max} items"),
            EditError::TooManyPhones { max } => write!(f, "a contact holds at most {max} phone numbers"),
            EditError::AtEdge => write!(f, "it cannot move further that way"),
            EditError::NameRequired => write!(f, "a section of one's own needs a name"),
        }
    }
}

impl std::error::Error for EditError {}

trait Positioned: Clone {
    fn position(&self) -> i64;
    fn set_position(&mut self, position: i64);
}

macro_rules! positioned {
    ($($body:ty),*) => {$(
        impl Positioned for $body {
            fn position(&self) -> i64 {
                self.position
            }
            fn set_position(&mut self, position: i64) {
                self.position = position;
            }
        }
    )*};
}
positioned!(SectionBody, ItemBody, ContactBody);

/// The position for an entry added after `last`.
fn after<B: Positioned>(last: Option<&B>) -> i64 {
    last.map_or(POSITION_GAP, |b| b.position().saturating_add(POSITION_GAP))
}

fn step(index: usize, direction: Direction, len: usize) -> Result<usize, EditError> {
    match direction {
        Direction::Up => index.checked_sub(1),
        Direction::Down => Some(index + 1).filter(|i| *i < len),
    }
    .ok_or(EditError::AtEdge)
}

/// Swaps entries `a` and `b` of `list` (in display order) and returns the changed bodies:
/// normally the two, with their positions swapped; with tied positions anywhere in the list,
/// every entry whose position changes when the list is renumbered (see the module doc).
fn swap<B: Positioned>(list: &[(RecordId, &B)], a: usize, b: usize) -> Vec<(RecordId, B)> {
    let with = |i: usize, position: i64| {
        let mut body = list[i].1.clone();
        body.set_position(position);
        (list[i].0, body)
    };
    let distinct: BTreeSet<i64> = list.iter().map(|(_, body)| body.position()).collect();
    if distinct.len() == list.len() {
        return vec![with(a, list[b].1.position()), with(b, list[a].1.position())];
    }
    let mut order: Vec<usize> = (0..list.len()).collect();
    order.swap(a, b);
    order
        .into_iter()
        .enumerate()
        .filter_map(|(slot, i)| {
            let position = (slot as i64 + 1).saturating_mul(POSITION_GAP);
            (list[i].1.position() != position).then(|| with(i, position))
        })
        .collect()
}

impl Plan {
    fn find_section(&self, id: RecordId) -> Result<&SectionView, EditError> {
        self.section(id).ok_or(EditError::NotFound)
    }

    fn item(&self, id: RecordId) -> Result<(&SectionView, usize), EditError> {
        self.sections
            .iter()
            .find_map(|s| s.items.iter().position(|i| i.id == id).map(|index| (s, index)))
            .ok_or(EditError::NotFound)
    }

    /// A new item at the end of `section`.
    pub fn add_item(&self, section: RecordId, text: ItemText) -> Result<ItemBody, EditError> {
        let view = self.find_section(section)?;
        if view.items.len() >= MAX_ITEMS_PER_SECTION {
            return Err(EditError::SectionFull {
                max: MAX_ITEMS_PER_SECTION,
            });
        }
        let position = after(view.items.last().map(|i| &i.body));
        Ok(ItemBody {
            section,
            text,
            position,
        })
    }

    pub fn edit_item(&self, item: RecordId, text: ItemText) -> Result<ItemBody, EditError> {
        let (section, index) = self.item(item)?;
        Ok(ItemBody {
            text,
            ..section.items[index].body.clone()
        })
    }

    pub fn move_item(
        &self,
        item: RecordId,
        direction: Direction,
    ) -> Result<Vec<(RecordId, ItemBody)>, EditError> {
        let (section, index) = self.item(item)?;
        let list: Vec<_> = section.items.iter().map(|i| (i.id, &i.body)).collect();
        let to = step(index, direction, list.len())?;
        Ok(swap(&list, index, to))
    }

    /// A section of the user's own, after all others.
    pub fn add_section(&self, name: SectionName) -> SectionBody {
        SectionBody {
            name: Some(name),
            position: after(self.sections.last().map(|s| &s.body)),
            hidden: false,
            default_key: None,
        }
    }

    /// A visible section moves past the next visible one (hidden sections in between keep
    /// their place); a hidden section moves among all sections.
    pub fn move_section(
        &self,
        section: RecordId,
        direction: Direction,
    ) -> Result<Vec<(RecordId, SectionBody)>, EditError> {
        let index = self
            .sections
            .iter()
            .position(|s| s.id == section)
            .ok_or(EditError::NotFound)?;
        let hidden = self.sections[index].body.hidden;
        let candidates: Vec<usize> = (0..self.sections.len())
            .filter(|&i| hidden || !self.sections[i].body.hidden)
            .collect();
        let at = candidates
            .iter()
            .position(|&i| i == index)
            .ok_or(EditError::NotFound)?;
        let to = candidates[step(at, direction, candidates.len())?];
        let list: Vec<_> = self.sections.iter().map(|s| (s.id, &s.body)).collect();
        Ok(swap(&list, index, to))
    }

    /// `None` gives a default section back its translated default name.
    pub fn rename_section(
        &self,
        section: RecordId,
        name: Option<SectionName>,
    ) -> Result<SectionBody, EditError> {
        let view = self.find_section(section)?;
        if name.is_none() && view.body.default_key.is_none() {
            return Err(EditError::NameRequired);
        }
        Ok(SectionBody {
            name,
            ..view.body.clone()
        })
    }

    pub fn set_section_hidden(&self, section: RecordId, hidden: bool) -> Result<SectionBody, EditError> {
        let view = self.find_section(section)?;
        Ok(SectionBody {
            hidden,
            ..view.body.clone()
        })
    }

    /// A new contact after all others.
    pub fn add_contact(
        &self,
        name: ContactName,
        relation: Relation,
        phones: Vec<PhoneNumber>,
    ) -> Result<ContactBody, EditError> {
        if phones.len() > MAX_PHONES_PER_CONTACT {
            return Err(EditError::TooManyPhones {
                max: MAX_PHONES_PER_CONTACT,
            });
        }
        let position = after(self.contacts.last().map(|c| &c.body));
        Ok(ContactBody {
            name,
            relation,
            phones,
            position,
        })
    }

    pub fn move_contact(
        &self,
        contact: RecordId,
        direction: Direction,
    ) -> Result<Vec<(RecordId, ContactBody)>, EditError> {
        let index = self
            .contacts
            .iter()
            .position(|c| c.id == contact)
            .ok_or(EditError::NotFound)?;
        let list: Vec<_> = self.contacts.iter().map(|c| (c.id, &c.body)).collect();
        let to = step(index, direction, list.len())?;
        Ok(swap(&list, index, to))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::hlc::{DeviceId, Hlc};

    fn hlc(wall_ms: u64) -> Hlc {
        Hlc {
            wall_ms,
            counter: 0,
            device: DeviceId::parse("d").unwrap(),
        }
    }

    fn record(id: RecordId, body: impl Into<Body>) -> Record {
        let body = body.into();
        Record::new(id, body.kind(), body.into_version(hlc(1)))
    }

    fn id(n: u8) -> RecordId {
        RecordId::new_v7(n.into(), [n; 10])
    }

    fn item(section: RecordId, text: &str, position: i64) -> ItemBody {
        ItemBody {
            section,
            text: ItemText::parse(text).unwrap(),
            position,
        }
    }

    fn texts(section: &SectionView) -> Vec<&str> {
        section.items.iter().map(|i| i.body.text.as_str()).collect()
    }

    /// Applies written bodies the way the store would, and rebuilds the plan.
    fn apply(records: &mut Vec<Record>, writes: Vec<(RecordId, Body)>) -> Plan {
        for (id, body) in writes {
            records.retain(|r| r.id() != id);
            records.push(record(id, body));
        }
        Plan::from_records(records)
    }

    #[test]
    fn a_new_plan_shows_the_ten_default_sections_in_order() {
        let plan = Plan::from_records(&[]);
        let keys: Vec<_> = plan
            .sections
            .iter()
            .map(|s| s.body.default_key.unwrap())
            .collect();
        assert_eq!(keys, DefaultSection::ALL);
        assert_eq!(plan.sections[0].id, DefaultSection::WarningSigns.record_id());
        let ids: BTreeSet<_> = DefaultSection::ALL.iter().map(|s| s.record_id()).collect();
        assert_eq!(ids.len(), 10);
        assert_eq!(
            DefaultSection::parse("how_to_meet_me"),
            Some(DefaultSection::HowToMeetMe)
        );
    }

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

    #[test]
    fn records_override_defaults_and_tombstones_remove_them() {
        let warning = DefaultSection::WarningSigns.record_id();
        let renamed = SectionBody {
            name: Some(SectionName::parse("Når det butter").unwrap()),
            ..DefaultSection::WarningSigns.initial_body()
        };
        let deleted = Record::new(
            DefaultSection::Practical.record_id(),
            Kind::PlanSection,
            Version::tombstone(hlc(2)),
        );
        let plan = Plan::from_records(&[record(warning, renamed), deleted]);
        assert_eq!(plan.sections.len(), 9);
        assert_eq!(
            plan.sections[0].body.name.as_ref().unwrap().as_str(),
            "Når det butter"
        );
        assert!(plan.section(DefaultSection::Practical.record_id()).is_none());
    }

    #[test]
    fn invalid_bodies_are_reported_and_orphans_kept() {
        let broken = Record::new(id(1), Kind::PlanItem, Version::new(hlc(1), json!({"text": ""})));
        let mut future = Version::new(hlc(1), json!({}));
        future.schema = RECORD_SCHEMA + 1;
        let future = Record::new(id(2), Kind::PlanContact, future);
        let nameless = SectionBody {
            name: None,
            position: 1,
            hidden: false,
            default_key: None,
        };
        let stolen_key = SectionBody {
            default_key: Some(DefaultSection::Triggers),
            ..nameless.clone()
        };
        let orphan = record(id(5), item(id(99), "alene", 1));
        let plan = Plan::from_records(&[
            broken,
            future,
            record(id(3), nameless),
            record(id(4), stolen_key),
            orphan,
        ]);
        let errors: Vec<_> = plan.problems.iter().map(|p| (p.id, p.error.clone())).collect();
        assert!(matches!(errors[0], (i, BodyError::Invalid { .. }) if i == id(1)));
        assert_eq!(errors[1], (id(2), BodyError::UnsupportedSchema { schema: 2 }));
        assert_eq!(errors[2], (id(3), BodyError::NameRequired));
        assert_eq!(errors[3], (id(4), BodyError::DefaultKeyMismatch));
        assert_eq!(plan.orphan_items.len(), 1);
        assert_eq!(plan.sections.len(), 10);
    }

    #[test]
    fn items_are_added_at_the_end_and_refused_when_the_section_is_full() {
        let section = DefaultSection::SelfHelp.record_id();
        let mut records = Vec::new();
        let plan = Plan::from_records(&records);
        let first = plan
            .add_item(section, ItemText::parse("Gå tur").unwrap())
            .unwrap();
        assert_eq!(first.position, POSITION_GAP);
        let plan = apply(&mut records, vec![(id(1), first.into())]);
        let second = plan
            .add_item(section, ItemText::parse("Ring Kari").unwrap())
            .unwrap();
        assert_eq!(second.position, 2 * POSITION_GAP);
        assert_eq!(
            plan.add_item(id(50), ItemText::parse("x").unwrap()),
            Err(EditError::NotFound)
        );

        let full: Vec<Record> = (0..MAX_ITEMS_PER_SECTION as i64)
            .map(|n| record(RecordId::new_v7(n as u64, [3; 10]), item(section, "x", n)))
            .collect();
        let plan = Plan::from_records(&full);
        assert_eq!(
            plan.add_item(section, ItemText::parse("one more").unwrap()),
            Err(EditError::SectionFull {
                max: MAX_ITEMS_PER_SECTION
            })
        );
    }

    #[test]
    fn moving_an_item_swaps_two_positions() {
        let s = DefaultSection::SelfHelp.record_id();
        let mut records = vec![
            record(id(1), item(s, "a", 10)),
            record(id(2), item(s, "b", 20)),
            record(id(3), item(s, "c", 30)),
        ];
        let plan = Plan::from_records(&records);
        let writes = plan.move_item(id(3), Direction::Up).unwrap();
        assert_eq!(writes.len(), 2);
        let plan = apply(
            &mut records,
            writes.into_iter().map(|(i, b)| (i, b.into())).collect(),
        );
        assert_eq!(texts(plan.section(s).unwrap()), ["a", "c", "b"]);
        assert_eq!(plan.move_item(id(1), Direction::Up), Err(EditError::AtEdge));
        assert_eq!(plan.move_item(id(2), Direction::Down), Err(EditError::AtEdge));
    }

    #[test]
    fn moving_in_a_list_with_tied_positions_renumbers_it() {
        let s = DefaultSection::Triggers.record_id();
        // Two devices both added at position 1024.
        let mut records = vec![
            record(id(1), item(s, "a", 1024)),
            record(id(2), item(s, "b", 1024)),
            record(id(3), item(s, "c", 2048)),
        ];
        let plan = Plan::from_records(&records);
        assert_eq!(texts(plan.section(s).unwrap()), ["a", "b", "c"]);
        let writes = plan.move_item(id(2), Direction::Up).unwrap();
        let plan = apply(
            &mut records,
            writes.into_iter().map(|(i, b)| (i, b.into())).collect(),
        );
        assert_eq!(texts(plan.section(s).unwrap()), ["b", "a", "c"]);
        let positions: Vec<i64> = plan
            .section(s)
            .unwrap()
            .items
            .iter()
            .map(|i| i.body.position)
            .collect();
        assert_eq!(positions, [1024, 2048, 3072]);
    }

    #[test]
    fn a_visible_section_moves_past_hidden_ones() {
        let mut records = Vec::new();
        let plan = Plan::from_records(&records);
        let triggers = DefaultSection::Triggers.record_id();
        let hide = plan.set_section_hidden(triggers, true).unwrap();
        let plan = apply(&mut records, vec![(triggers, hide.into())]);
        assert_eq!(plan.visible_sections().count(), 9);
        let self_help = DefaultSection::SelfHelp.record_id();
        let writes = plan.move_section(self_help, Direction::Up).unwrap();
        let plan = apply(
            &mut records,
            writes.into_iter().map(|(i, b)| (i, b.into())).collect(),
        );
        let order: Vec<_> = plan
            .sections
            .iter()
            .take(3)
            .map(|s| s.body.default_key.unwrap())
            .collect();
        assert_eq!(
            order,
            [
                DefaultSection::SelfHelp,
                DefaultSection::Triggers,
                DefaultSection::WarningSigns
            ]
        );
        let first = plan.visible_sections().next().unwrap().id;
        assert_eq!(plan.move_section(first, Direction::Up), Err(EditError::AtEdge));
    }

    #[test]
    fn sections_of_ones_own_are_added_last_and_keep_a_name() {
        let plan = Plan::from_records(&[]);
        let own = plan.add_section(SectionName::parse("Musikk").unwrap());
        assert_eq!(own.position, 11 * POSITION_GAP);
        let plan = Plan::from_records(&[record(id(7), own)]);
        assert_eq!(plan.rename_section(id(7), None), Err(EditError::NameRequired));
        let reset = plan
            .rename_section(DefaultSection::Contacts.record_id(), None)
            .unwrap();
        assert_eq!(reset.name, None);
    }

    #[test]
    fn contacts_are_added_in_order_and_limited() {
        let plan = Plan::from_records(&[]);
        let name = ContactName::parse("Legevakt").unwrap();
        let phone = PhoneNumber::parse("116 117").unwrap();
        let contact = plan
            .add_contact(name.clone(), Relation::default(), vec![phone.clone()])
            .unwrap();
        assert_eq!(contact.position, POSITION_GAP);
        let too_many = vec![phone; MAX_PHONES_PER_CONTACT + 1];
        assert_eq!(
            plan.add_contact(name, Relation::default(), too_many),
            Err(EditError::TooManyPhones {
                max: MAX_PHONES_PER_CONTACT
            })
        );
    }
}
