//! The plan as the UI shows it: [`Plan`] and its section, item and contact views, built by
//! [`Plan::from_records`] from whatever records the store holds.
//!
//! Building never fails. Unreadable records are listed as [`Problem`]s and left in storage,
//! items whose section is gone are kept as orphans, and default sections without a record
//! are filled in (see "Default sections" in the [parent module](super)).

use std::collections::{BTreeMap, BTreeSet};

use super::{parse_body, Body, ContactBody, DefaultSection, ItemBody, Problem, SectionBody};
use crate::model::order;
use crate::model::record::{Family, Record, RecordId};

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
        for record in records.iter().filter(|r| r.kind().family() == Family::Plan) {
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
        order::sort_by_key(&mut plan.sections, |s| (s.body.position, s.id));
        for section in &mut plan.sections {
            order::sort_by_key(&mut section.items, |i| (i.body.position, i.id));
        }
        order::sort_by_key(&mut plan.contacts, |c| (c.body.position, c.id));
        plan
    }

    pub fn section(&self, id: RecordId) -> Option<&SectionView> {
        self.sections.iter().find(|s| s.id == id)
    }

    pub fn visible_sections(&self) -> impl Iterator<Item = &SectionView> {
        self.sections.iter().filter(|s| !s.body.hidden)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::test_support::{hlc, id, item, record};
    use super::*;
    use crate::model::plan::BodyError;
    use crate::model::record::{Kind, Version, RECORD_SCHEMA};
    use crate::model::text::SectionName;

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
}
