//! The edits the UI makes to a [`Wheel`]. Each returns the body to write (and, where an
//! edit may update an existing record, its id); the caller stamps and stores it.

use std::collections::BTreeMap;

use super::{
    Answer, AreaBody, CheckItemBody, CheckRoundBody, MeasureBody, MeasureStatus, RatingBody, Responsible,
    Scores, Wheel, MAX_AREAS, MAX_CHECK_ITEMS, MAX_MEASURES_PER_AREA,
};
use crate::model::body::EditError;
use crate::model::date::Date;
use crate::model::plan::POSITION_GAP;
use crate::model::record::RecordId;
use crate::model::text::{AreaName, ItemText};

fn after(last: Option<i64>) -> i64 {
    last.map_or(POSITION_GAP, |p| p.saturating_add(POSITION_GAP))
}

impl Wheel {
    fn area_body(&self, id: RecordId) -> Result<AreaBody, EditError> {
        self.area(id).map(|a| a.body.clone()).ok_or(EditError::NotFound)
    }

    /// An area of the user's own, at the end of the wheel.
    pub fn add_area(&self, name: AreaName) -> Result<AreaBody, EditError> {
        if self.areas.len() >= MAX_AREAS {
            return Err(EditError::TooManyAreas { max: MAX_AREAS });
        }
        Ok(AreaBody {
            name: Some(name),
            position: after(self.areas.iter().map(|a| a.body.position).max()),
            hidden: false,
            default_key: None,
            // Added because it matters: chosen from the start.
            chosen: true,
            what_matters: None,
            help_wanted: None,
        })
    }

    /// Renames an area; `None` goes back to the default name (defaults only).
    pub fn rename_area(&self, id: RecordId, name: Option<AreaName>) -> Result<AreaBody, EditError> {
        let mut body = self.area_body(id)?;
        if name.is_none() && body.default_key.is_none() {
            return Err(EditError::NameRequired);
        }
        body.name = name;
        Ok(body)
    }

    pub fn set_area_hidden(&self, id: RecordId, hidden: bool) -> Result<AreaBody, EditError> {
        let mut body = self.area_body(id)?;
        body.hidden = hidden;
        Ok(body)
    }

    /// Marks an area as mattering now, or not. Its words, ratings and measures stay either way.
    pub fn set_chosen(&self, id: RecordId, chosen: bool) -> Result<AreaBody, EditError> {
        let mut body = self.area_body(id)?;
        body.chosen = chosen;
        Ok(body)
    }

    /// What matters and what help is wanted, in the user's words (`None` clears a field).
    pub fn set_area_texts(
        &self,
        id: RecordId,
        what_matters: Option<ItemText>,
        help_wanted: Option<ItemText>,
    ) -> Result<AreaBody, EditError> {
        let mut body = self.area_body(id)?;
        body.what_matters = what_matters;
        body.help_wanted = help_wanted;
        Ok(body)
    }

    /// Rates an area on a day. Returns the id of that day's rating if there is one (rating
    /// again the same day corrects it), else `None` for a new record.
    pub fn rate(
        &self,
        area: RecordId,
        date: Date,
        scores: Scores,
    ) -> Result<(Option<RecordId>, RatingBody), EditError> {
        let view = self.area(area).ok_or(EditError::NotFound)?;
        if scores.is_empty() {
            return Err(EditError::NoScore);
        }
        let existing = view.rating_on(date).map(|r| r.id);
        Ok((
            existing,
            RatingBody {
                area,
                date,
                importance: scores.importance,
                performance: scores.performance,
                satisfaction: scores.satisfaction,
            },
        ))
    }

    pub fn add_measure(
        &self,
        area: RecordId,
        what: ItemText,
        responsible: Responsible,
        due: Option<Date>,
    ) -> Result<MeasureBody, EditError> {
        let view = self.area(area).ok_or(EditError::NotFound)?;
        if view.measures.len() >= MAX_MEASURES_PER_AREA {
            return Err(EditError::TooManyMeasures {
                max: MAX_MEASURES_PER_AREA,
            });
        }
        Ok(MeasureBody {
            area,
            what,
            responsible,
            due,
            status: MeasureStatus::Planned,
            position: after(view.measures.last().map(|m| m.body.position)),
        })
    }

    pub fn set_measure_status(
        &self,
        measure: RecordId,
        status: MeasureStatus,
    ) -> Result<MeasureBody, EditError> {
        let (_, view) = self.measure(measure).ok_or(EditError::NotFound)?;
        let mut body = view.body.clone();
        body.status = status;
        Ok(body)
    }

    /// A question of the user's own, at the end of the checklist.
    pub fn add_check_item(&self, text: ItemText) -> Result<CheckItemBody, EditError> {
        if self.checklist.len() >= MAX_CHECK_ITEMS {
            return Err(EditError::ChecklistFull { max: MAX_CHECK_ITEMS });
        }
        Ok(CheckItemBody {
            text: Some(text),
            position: after(self.checklist.iter().map(|c| c.body.position).max()),
            default_key: None,
        })
    }

    /// The checklist answered on a day: answers to questions no longer on the list are
    /// dropped. Returns that day's round's id if there is one (answering again corrects it).
    pub fn answer_checklist(
        &self,
        date: Date,
        answers: BTreeMap<RecordId, Answer>,
    ) -> Result<(Option<RecordId>, CheckRoundBody), EditError> {
        // Inserted one by one, not collected: `BTreeMap::from_iter` sorts (the standard
        // library's sort compiled once more, see `model::order`) and `retain` brings the
        // map's rebalancing code; inserting is compiled for this map anyway.
        let mut kept = BTreeMap::new();
        for (id, answer) in answers {
            if self.checklist.iter().any(|c| c.id == id) {
                kept.insert(id, answer);
            }
        }
        let answers = kept;
        if answers.is_empty() {
            return Err(EditError::NoAnswers);
        }
        let existing = self.rounds.iter().find(|r| r.body.date == date).map(|r| r.id);
        Ok((existing, CheckRoundBody { date, answers }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{DefaultArea, DefaultCheck, Scale};
    use super::*;
    use crate::model::record::Record;

    fn name(text: &str) -> AreaName {
        AreaName::parse(text).unwrap()
    }

    #[test]
    fn own_areas_are_added_chosen_up_to_thirty() {
        let mut records: Vec<Record> = Vec::new();
        for n in 0..19u8 {
            let wheel = Wheel::from_records(&records);
            let body = wheel.add_area(name(&format!("Område {n}"))).unwrap();
            assert!(body.chosen);
            records.push(record(id(n + 1), &body));
        }
        let wheel = Wheel::from_records(&records);
        assert_eq!(wheel.areas.len(), 30);
        assert_eq!(
            wheel.areas.last().unwrap().body.name.as_ref().unwrap().as_str(),
            "Område 18"
        );
        assert_eq!(
            wheel.add_area(name("En til")),
            Err(EditError::TooManyAreas { max: 30 })
        );
    }

    #[test]
    fn rename_hide_choose_and_texts() {
        let wheel = Wheel::from_records(&[]);
        let housing = DefaultArea::Housing.record_id();
        assert_eq!(
            wheel.rename_area(housing, Some(name("Hjem"))).unwrap().name,
            Some(name("Hjem"))
        );
        assert_eq!(wheel.rename_area(housing, None).unwrap().name, None);
        assert!(wheel.set_area_hidden(housing, true).unwrap().hidden);
        assert!(wheel.set_chosen(housing, true).unwrap().chosen);
        let texts = wheel
            .set_area_texts(housing, Some(ItemText::parse("Trygt sted").unwrap()), None)
            .unwrap();
        assert_eq!(texts.what_matters.unwrap().as_str(), "Trygt sted");
        assert_eq!(wheel.set_chosen(id(99), true), Err(EditError::NotFound));
        let own = wheel.add_area(name("Katten")).unwrap();
        let wheel = Wheel::from_records(&[record(id(1), &own)]);
        assert_eq!(wheel.rename_area(id(1), None), Err(EditError::NameRequired));
    }

    #[test]
    fn rating_needs_a_score_and_the_same_day_updates() {
        let housing = DefaultArea::Housing.record_id();
        let wheel = Wheel::from_records(&[record(id(1), &rating(housing, "2026-11-23", 5))]);
        assert_eq!(
            wheel.rate(housing, date("2026-11-24"), Scores::default()),
            Err(EditError::NoScore)
        );
        let mut scores = Scores::default();
        scores.set(Scale::Satisfaction, Some(score(8)));
        let (existing, body) = wheel.rate(housing, date("2026-11-23"), scores).unwrap();
        assert_eq!(existing, Some(id(1)));
        assert_eq!(body.satisfaction, Some(score(8)));
        assert_eq!(body.performance, None);
        let (existing, _) = wheel.rate(housing, date("2026-11-24"), scores).unwrap();
        assert_eq!(existing, None);
        assert_eq!(
            wheel.rate(id(42), date("2026-11-24"), scores),
            Err(EditError::NotFound)
        );
    }

    #[test]
    fn measures_start_planned_and_change_status() {
        let money = DefaultArea::Money.record_id();
        let wheel = Wheel::from_records(&[]);
        let body = wheel
            .add_measure(
                money,
                ItemText::parse("Budsjett").unwrap(),
                Responsible::Me,
                Some(date("2026-12-01")),
            )
            .unwrap();
        assert_eq!(body.status, MeasureStatus::Planned);
        let wheel = Wheel::from_records(&[record(id(1), &body)]);
        let done = wheel.set_measure_status(id(1), MeasureStatus::Done).unwrap();
        assert_eq!(done.status, MeasureStatus::Done);
        assert!(wheel.open_measures().len() == 1);
        assert_eq!(
            wheel.set_measure_status(id(2), MeasureStatus::Done),
            Err(EditError::NotFound)
        );
    }

    #[test]
    fn checklist_answers_drop_unknown_questions_and_need_one() {
        let wheel = Wheel::from_records(&[]);
        let coordinator = DefaultCheck::Coordinator.record_id();
        let answers = BTreeMap::from([(coordinator, Answer::Yes), (id(50), Answer::No)]);
        let (existing, round) = wheel.answer_checklist(date("2026-11-23"), answers).unwrap();
        assert_eq!(existing, None);
        assert_eq!(round.answers.len(), 1);
        assert_eq!(round.score(), Some(100));
        let wheel = Wheel::from_records(&[record(id(3), &round)]);
        let again = BTreeMap::from([(coordinator, Answer::No)]);
        assert_eq!(
            wheel.answer_checklist(date("2026-11-23"), again).unwrap().0,
            Some(id(3))
        );
        let unknown_only = BTreeMap::from([(id(50), Answer::No)]);
        assert_eq!(
            wheel.answer_checklist(date("2026-11-23"), unknown_only),
            Err(EditError::NoAnswers)
        );
        let own = wheel
            .add_check_item(ItemText::parse("Jeg får svar innen en uke").unwrap())
            .unwrap();
        assert!(own.position > DefaultCheck::ServicesTalk.initial_body().position);
    }
}
