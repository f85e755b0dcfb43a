//! The edits the UI makes to a [`Plan`]. Each returns the bodies to write; the caller stamps
//! and stores them, so nothing here needs a clock or a store.
//!
//! Moves use the positioning rule described under "Positions" in the
//! [parent module](super): swap two neighbours, or renumber a list with tied positions.

use super::{
    ContactBody, EditError, ItemBody, Plan, SectionBody, SectionView, MAX_PHONES_PER_CONTACT, POSITION_GAP,
};
use crate::model::phone::PhoneNumber;
use crate::model::record::RecordId;
use crate::model::text::{ContactName, ItemText, Relation, SectionName, MAX_ITEMS_PER_SECTION};

/// Which way an entry moves in its list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

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
/// every entry whose position changes when the list is renumbered (see "Positions" in the
/// parent module's doc).
fn swap<B: Positioned>(list: &[(RecordId, &B)], a: usize, b: usize) -> Vec<(RecordId, B)> {
    let with = |i: usize, position: i64| {
        let mut body = list[i].1.clone();
        body.set_position(position);
        (list[i].0, body)
    };
    // Compared pairwise, not collected into a set: a section's list is short, and a
    // `BTreeSet` built from it compiled the standard library's sort once more (`model::order`).
    let positions: Vec<i64> = list.iter().map(|(_, body)| body.position()).collect();
    let tied = positions
        .iter()
        .enumerate()
        .any(|(i, p)| positions[..i].contains(p));
    if !tied {
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
    use super::super::test_support::{id, item, record};
    use super::super::{Body, DefaultSection};
    use super::*;
    use crate::model::record::Record;

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
