//! The wheel as the UI shows it: [`Wheel`] with its areas (each with its ratings and
//! measures), the checklist and its rounds, built by [`Wheel::from_records`].
//!
//! Building never fails: unreadable records become [`Problem`]s and stay in storage; ratings
//! and measures of a deleted area are not shown but kept (undoing the delete brings them
//! back); default areas and questions without a record are filled in.

use std::collections::{BTreeMap, BTreeSet};

use super::{
    change, parse_body, AreaBody, Body, Change, CheckItemBody, CheckRoundBody, DefaultArea, DefaultCheck,
    MeasureBody, RatingBody, Scale, Score,
};
use crate::model::body::Problem;
use crate::model::date::Date;
use crate::model::hlc::Hlc;
use crate::model::order;
use crate::model::record::{Family, Record, RecordId};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RatingView {
    pub id: RecordId,
    pub body: RatingBody,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeasureView {
    pub id: RecordId,
    pub body: MeasureBody,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaView {
    pub id: RecordId,
    pub body: AreaBody,
    /// One per day, oldest first.
    pub ratings: Vec<RatingView>,
    /// In display order.
    pub measures: Vec<MeasureView>,
}

impl AreaView {
    /// The dated scores on one scale, oldest first: what the trend chart draws.
    pub fn series(&self, scale: Scale) -> Vec<(Date, Score)> {
        self.ratings
            .iter()
            .filter_map(|r| r.body.score(scale).map(|s| (r.body.date, s)))
            .collect()
    }

    /// The change since the first rating on one scale.
    pub fn change(&self, scale: Scale) -> Option<Change> {
        change(&self.series(scale))
    }

    /// The latest score on one scale (the wheel drawing shows performance).
    pub fn latest(&self, scale: Scale) -> Option<Score> {
        self.ratings.iter().rev().find_map(|r| r.body.score(scale))
    }

    /// This day's rating, if there is one (rating again that day edits it).
    pub fn rating_on(&self, date: Date) -> Option<&RatingView> {
        self.ratings.iter().find(|r| r.body.date == date)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckItemView {
    pub id: RecordId,
    pub body: CheckItemBody,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundView {
    pub id: RecordId,
    pub body: CheckRoundBody,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Wheel {
    /// Every area that is not deleted, hidden ones included (flagged), in display order.
    pub areas: Vec<AreaView>,
    /// The checklist's questions that are not deleted, in display order.
    pub checklist: Vec<CheckItemView>,
    /// One per day, oldest first.
    pub rounds: Vec<RoundView>,
    pub problems: Vec<Problem>,
}

/// Keeps one entry per day: the one written last (by HLC), as two devices rating the same
/// day is one rating edited twice.
fn one_per_day<T>(entries: Vec<(Hlc, T)>, date: impl Fn(&T) -> Date) -> Vec<T> {
    let mut by_day: BTreeMap<Date, (Hlc, T)> = BTreeMap::new();
    for (hlc, entry) in entries {
        let day = date(&entry);
        match by_day.get(&day) {
            Some((kept, _)) if *kept > hlc => {}
            _ => {
                by_day.insert(day, (hlc, entry));
            }
        }
    }
    by_day.into_values().map(|(_, entry)| entry).collect()
}

impl Wheel {
    /// Never fails; see the module doc.
    pub fn from_records(records: &[Record]) -> Wheel {
        let mut wheel = Wheel::default();
        let mut areas: BTreeMap<RecordId, AreaView> = BTreeMap::new();
        let mut checklist: BTreeMap<RecordId, CheckItemView> = BTreeMap::new();
        let mut deleted: BTreeSet<RecordId> = BTreeSet::new();
        let mut ratings: Vec<(Hlc, RatingView)> = Vec::new();
        let mut measures = Vec::new();
        let mut rounds = Vec::new();
        for record in records.iter().filter(|r| r.kind().family() == Family::Wheel) {
            let id = record.id();
            let hlc = record.current().hlc.clone();
            match parse_body(id, record.kind(), record.current()) {
                Ok(None) => {
                    deleted.insert(id);
                }
                Ok(Some(Body::Area(body))) => {
                    areas.insert(
                        id,
                        AreaView {
                            id,
                            body,
                            ratings: Vec::new(),
                            measures: Vec::new(),
                        },
                    );
                }
                Ok(Some(Body::Rating(body))) => ratings.push((hlc, RatingView { id, body })),
                Ok(Some(Body::Measure(body))) => measures.push(MeasureView { id, body }),
                Ok(Some(Body::CheckItem(body))) => {
                    checklist.insert(id, CheckItemView { id, body });
                }
                Ok(Some(Body::CheckRound(body))) => rounds.push((hlc, RoundView { id, body })),
                Err(error) => wheel.problems.push(Problem {
                    id,
                    kind: record.kind(),
                    error,
                }),
            }
        }
        for default in DefaultArea::ALL {
            let id = default.record_id();
            if !deleted.contains(&id) {
                areas.entry(id).or_insert_with(|| AreaView {
                    id,
                    body: default.initial_body(),
                    ratings: Vec::new(),
                    measures: Vec::new(),
                });
            }
        }
        for default in DefaultCheck::ALL {
            let id = default.record_id();
            if !deleted.contains(&id) {
                checklist.entry(id).or_insert_with(|| CheckItemView {
                    id,
                    body: default.initial_body(),
                });
            }
        }
        let mut ratings_by_area: BTreeMap<RecordId, Vec<(Hlc, RatingView)>> = BTreeMap::new();
        for (hlc, rating) in ratings {
            ratings_by_area
                .entry(rating.body.area)
                .or_default()
                .push((hlc, rating));
        }
        for (area, ratings) in ratings_by_area {
            if let Some(view) = areas.get_mut(&area) {
                view.ratings = one_per_day(ratings, |r| r.body.date);
            }
        }
        for measure in measures {
            if let Some(view) = areas.get_mut(&measure.body.area) {
                view.measures.push(measure);
            }
        }
        wheel.areas = areas.into_values().collect();
        order::sort_by_key(&mut wheel.areas, |a| (a.body.position, a.id));
        for area in &mut wheel.areas {
            order::sort_by_key(&mut area.measures, |m| (m.body.position, m.id));
        }
        wheel.checklist = checklist.into_values().collect();
        order::sort_by_key(&mut wheel.checklist, |c| (c.body.position, c.id));
        wheel.rounds = one_per_day(rounds, |r| r.body.date);
        wheel
    }

    pub fn area(&self, id: RecordId) -> Option<&AreaView> {
        self.areas.iter().find(|a| a.id == id)
    }

    pub fn visible_areas(&self) -> impl Iterator<Item = &AreaView> {
        self.areas.iter().filter(|a| !a.body.hidden)
    }

    /// The area a measure belongs to, and the measure.
    pub fn measure(&self, id: RecordId) -> Option<(&AreaView, &MeasureView)> {
        self.areas
            .iter()
            .find_map(|a| a.measures.iter().find(|m| m.id == id).map(|m| (a, m)))
    }

    /// Every open measure (planned or in progress) of every area, the earliest deadline
    /// first and those without one last.
    pub fn open_measures(&self) -> Vec<(&AreaView, &MeasureView)> {
        let mut open: Vec<_> = self
            .areas
            .iter()
            .flat_map(|a| a.measures.iter().map(move |m| (a, m)))
            .filter(|(_, m)| m.body.status.is_open())
            .collect();
        order::sort_by_key(&mut open, |(a, m)| {
            (m.body.due.is_none(), m.body.due, a.body.position, m.body.position)
        });
        open
    }

    /// The checklist's score per day, oldest first (days with no answers left out).
    pub fn checklist_scores(&self) -> Vec<(Date, u8)> {
        self.rounds
            .iter()
            .filter_map(|r| r.body.score().map(|s| (r.body.date, s)))
            .collect()
    }

    /// The latest answers: what the checklist form starts from.
    pub fn latest_round(&self) -> Option<&RoundView> {
        self.rounds.last()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::test_support::*;
    use super::super::{Answer, MeasureStatus, Responsible};
    use super::*;
    use crate::model::body::BodyError;
    use crate::model::record::{Kind, Version};
    use crate::model::text::ItemText;

    fn measure(area: RecordId, due: Option<&str>, status: MeasureStatus, position: i64) -> MeasureBody {
        MeasureBody {
            area,
            what: ItemText::parse("gjøre noe").unwrap(),
            responsible: Responsible::Me,
            due: due.map(date),
            status,
            position,
        }
    }

    #[test]
    fn a_new_wheel_shows_eleven_areas_and_six_questions() {
        let wheel = Wheel::from_records(&[]);
        assert_eq!(wheel.areas.len(), 11);
        assert_eq!(wheel.areas[0].body.default_key, Some(DefaultArea::Housing));
        assert_eq!(
            wheel.areas[10].body.default_key,
            Some(DefaultArea::MeaningFaithValues)
        );
        assert_eq!(wheel.checklist.len(), 6);
        assert!(wheel.rounds.is_empty());
    }

    #[test]
    fn ratings_are_one_per_day_in_date_order_and_show_change() {
        let housing = DefaultArea::Housing.record_id();
        let mut later_same_day = record(id(3), &rating(housing, "2026-09-01", 4));
        // Same day, written later on another device: it is the day's rating.
        later_same_day = Record::new(
            later_same_day.id(),
            Kind::WheelRating,
            Version::new(hlc(5), later_same_day.current().body.clone()),
        );
        let records = [
            record(id(1), &rating(housing, "2026-11-20", 7)),
            record(id(2), &rating(housing, "2026-09-01", 3)),
            later_same_day,
        ];
        let wheel = Wheel::from_records(&records);
        let area = wheel.area(housing).unwrap();
        let series = area.series(Scale::Performance);
        assert_eq!(
            series,
            vec![(date("2026-09-01"), score(4)), (date("2026-11-20"), score(7))]
        );
        let change = area.change(Scale::Performance).unwrap();
        assert_eq!(change.delta(), 3);
        assert!(change.is_meaningful());
        assert_eq!(area.latest(Scale::Performance), Some(score(7)));
        assert_eq!(area.latest(Scale::Importance), None);
        assert_eq!(area.change(Scale::Importance), None);
        assert_eq!(area.rating_on(date("2026-11-20")).unwrap().id, id(1));
    }

    #[test]
    fn measures_of_deleted_areas_are_kept_out_and_open_ones_sorted_by_date() {
        let own = id(9);
        let own_area = AreaBody {
            name: Some(crate::model::text::AreaName::parse("Katten").unwrap()),
            ..DefaultArea::Housing.initial_body()
        };
        let mut own_area = own_area;
        own_area.default_key = None;
        let money = DefaultArea::Money.record_id();
        let records = [
            record(own, &own_area),
            record(id(1), &measure(money, None, MeasureStatus::Planned, 1)),
            record(
                id(2),
                &measure(money, Some("2026-12-24"), MeasureStatus::InProgress, 2),
            ),
            record(
                id(3),
                &measure(own, Some("2026-12-01"), MeasureStatus::Planned, 1),
            ),
            record(id(4), &measure(money, Some("2026-11-30"), MeasureStatus::Done, 3)),
            record(
                id(5),
                &measure(id(77), Some("2026-01-01"), MeasureStatus::Planned, 1),
            ),
        ];
        let wheel = Wheel::from_records(&records);
        assert_eq!(wheel.areas.len(), 12);
        let open: Vec<RecordId> = wheel.open_measures().iter().map(|(_, m)| m.id).collect();
        assert_eq!(open, [id(3), id(2), id(1)]);
        assert_eq!(wheel.measure(id(4)).unwrap().0.id, money);
        assert!(wheel.measure(id(5)).is_none());

        let deleted = Record::new(own, Kind::WheelArea, Version::tombstone(hlc(2)));
        let wheel = Wheel::from_records(&[deleted, records[3].clone()]);
        assert!(wheel.open_measures().is_empty());
        assert_eq!(wheel.areas.len(), 11);
    }

    #[test]
    fn checklist_rounds_score_per_day_and_bad_records_are_problems() {
        let coordinator = DefaultCheck::Coordinator.record_id();
        let plan_known = DefaultCheck::PlanKnown.record_id();
        let round = |day: &str, a: Answer, b: Answer| CheckRoundBody {
            date: date(day),
            answers: BTreeMap::from([(coordinator, a), (plan_known, b)]),
        };
        let broken = Record::new(
            id(7),
            Kind::WheelRating,
            Version::new(hlc(1), json!({"date": "x"})),
        );
        let removed = Record::new(
            DefaultCheck::ServicesTalk.record_id(),
            Kind::WheelCheckItem,
            Version::tombstone(hlc(3)),
        );
        let wheel = Wheel::from_records(&[
            record(id(2), &round("2026-11-20", Answer::Yes, Answer::Partly)),
            record(id(1), &round("2026-09-01", Answer::No, Answer::Partly)),
            broken,
            removed,
        ]);
        assert_eq!(
            wheel.checklist_scores(),
            vec![(date("2026-09-01"), 25), (date("2026-11-20"), 75)]
        );
        assert_eq!(wheel.latest_round().unwrap().id, id(2));
        assert_eq!(wheel.checklist.len(), 5);
        assert!(matches!(wheel.problems[0].error, BodyError::Invalid { .. }));
    }
}
