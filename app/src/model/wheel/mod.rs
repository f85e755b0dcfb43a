//! The conversation wheel (*samtalehjulet*) and *Hva er viktig for meg*: life areas, the
//! user's own words about them, dated ratings, measures (*tiltak*) and the collaboration
//! checklist (*sjekkliste for samhandling*). BRIEF.md §2.
//!
//! Like the plan, the wheel is records (see [`super::record`]), one per:
//! - **area** (`wheel.area`): name, position, hidden, chosen ("viktig for meg nå"), and what
//!   matters and what help is wanted, in the user's words;
//! - **rating** (`wheel.rating`): one area on one day, 1–10 on up to three scales. A new day
//!   is a new record, so the history of an area is its ratings, not a record's versions;
//!   rating again on the same day edits that day's record;
//! - **measure** (`wheel.measure`): what will be done, who has the main responsibility, by
//!   when, and its status;
//! - **checklist item** (`wheel.check_item`) and **checklist round** (`wheel.check_round`):
//!   the questions, and the answers given on one day (one record per day, like ratings).
//!
//! The eleven default areas and six default checklist questions have fixed ids on every
//! device (as the plan's default sections do) and are filled in by [`Wheel::from_records`]
//! until the user changes them.
//!
//! This file holds the bodies and their parsing ([`parse_body`]); `score.rs` the scores and
//! what counts as change; `view.rs` the [`Wheel`] the UI shows; `edit.rs` the edits.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::body::{check_schema, typed, BodyError, TypedBody};
use super::date::Date;
use super::plan::POSITION_GAP;
use super::record::{Kind, RecordId, Version};
use super::text::{AreaName, ContactName, ItemText};
use super::wire::{required, unknown_kind};

mod edit;
mod score;
mod view;

pub use score::{change, checklist_score, Answer, Change, Scale, Score, ScoreError, MEANINGFUL_CHANGE};
pub use view::{AreaView, CheckItemView, MeasureView, RatingView, RoundView, Wheel};

/// The most areas one wheel holds (the eleven defaults included, hidden ones too).
pub const MAX_AREAS: usize = 30;
/// The most measures one area holds.
pub const MAX_MEASURES_PER_AREA: usize = 50;
/// The most questions the checklist holds (the six defaults included).
pub const MAX_CHECK_ITEMS: usize = 40;

/// Declares a set of default entries: stable keys, fixed record ids, default positions.
macro_rules! defaults {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, [$($variant:ident => $key:literal),* $(,)?]) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($variant),*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The stable key: stored in bodies and used to find the translated text.
            pub const fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key),*
                }
            }

            /// The id every device gives this entry's record. Never change it.
            pub fn record_id(self) -> RecordId {
                RecordId::from_static_name(&format!(concat!($prefix, ".{}"), self.key()))
            }

            /// Where it sits before the user moves anything.
            fn default_position(self) -> i64 {
                let index = $name::ALL.iter().position(|d| *d == self).unwrap_or(0);
                (index as i64 + 1) * POSITION_GAP
            }
        }
    };
}

defaults!(
    /// The eleven life areas of the toolbox's wheel, in its order.
    DefaultArea, "wheel.area", [
        Housing => "housing",
        Money => "money",
        WorkSchoolActivity => "work_school_activity",
        PhysicalHealth => "physical_health",
        MentalHealth => "mental_health",
        SubstanceUse => "substance_use",
        FamilyRelations => "family_relations",
        FriendsNetwork => "friends_network",
        LeisureInterests => "leisure_interests",
        DailyLiving => "daily_living",
        MeaningFaithValues => "meaning_faith_values",
    ]
);

defaults!(
    /// The checklist's default questions: what research and experience say makes services
    /// coordinated (seed 001, §3.4). The user can remove them and add their own.
    DefaultCheck, "wheel.check", [
        Coordinator => "coordinator",
        PlanKnown => "plan_known",
        WhoToCall => "who_to_call",
        RelativesInvolved => "relatives_involved",
        PartOfDeciding => "part_of_deciding",
        ServicesTalk => "services_talk",
    ]
);

impl DefaultArea {
    pub fn initial_body(self) -> AreaBody {
        AreaBody {
            name: None,
            position: self.default_position(),
            hidden: false,
            default_key: Some(self),
            chosen: false,
            what_matters: None,
            help_wanted: None,
        }
    }
}

impl DefaultCheck {
    pub fn initial_body(self) -> CheckItemBody {
        CheckItemBody {
            text: None,
            position: self.default_position(),
            default_key: Some(self),
        }
    }
}

/// A life area. `name: None` means "the translated default name", valid only for a default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaBody {
    #[serde(default)]
    pub name: Option<AreaName>,
    pub position: i64,
    #[serde(default)]
    pub hidden: bool,
    #[serde(default)]
    pub default_key: Option<DefaultArea>,
    /// Marked as mattering now (*viktig for meg nå*).
    #[serde(default)]
    pub chosen: bool,
    /// What matters to me here, in my words.
    #[serde(default)]
    pub what_matters: Option<ItemText>,
    /// What I want help with here.
    #[serde(default)]
    pub help_wanted: Option<ItemText>,
}

/// One area rated on one day. At least one scale has a score; rating is never required, and
/// neither is every scale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingBody {
    pub area: RecordId,
    pub date: Date,
    #[serde(default)]
    pub importance: Option<Score>,
    #[serde(default)]
    pub performance: Option<Score>,
    #[serde(default)]
    pub satisfaction: Option<Score>,
}

impl RatingBody {
    pub fn score(&self, scale: Scale) -> Option<Score> {
        match scale {
            Scale::Importance => self.importance,
            Scale::Performance => self.performance,
            Scale::Satisfaction => self.satisfaction,
        }
    }
}

/// The three scores of one rating, as the form gives them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scores {
    pub importance: Option<Score>,
    pub performance: Option<Score>,
    pub satisfaction: Option<Score>,
}

impl Scores {
    pub fn set(&mut self, scale: Scale, score: Option<Score>) {
        match scale {
            Scale::Importance => self.importance = score,
            Scale::Performance => self.performance = score,
            Scale::Satisfaction => self.satisfaction = score,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.importance.is_none() && self.performance.is_none() && self.satisfaction.is_none()
    }
}

/// Who has the main responsibility (*hovedansvar*) for a measure. Written as
/// `{"kind": "person", "name": "…"}`; read through [`ResponsibleWire`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "ResponsibleWire")]
pub enum Responsible {
    /// The user themself.
    Me,
    /// A named person (a relative, a coordinator).
    Person { name: ContactName },
    /// A service (NAV, the GP, the municipality's mental health service).
    Service { name: ContactName },
}

/// How [`Responsible`] is read: the kind and the name side by side, then checked. The same
/// JSON as serde's internally tagged enum reads, without the code of serde's buffering of
/// the input for such an enum (see `model::checkin::ContentWire`).
#[derive(Deserialize)]
pub struct ResponsibleWire {
    kind: String,
    #[serde(default)]
    name: Option<ContactName>,
}

impl TryFrom<ResponsibleWire> for Responsible {
    type Error = String;

    fn try_from(wire: ResponsibleWire) -> Result<Responsible, String> {
        match wire.kind.as_str() {
            "me" => Ok(Responsible::Me),
            "person" => Ok(Responsible::Person {
                name: required(wire.name, "name")?,
            }),
            "service" => Ok(Responsible::Service {
                name: required(wire.name, "name")?,
            }),
            other => Err(unknown_kind(other, &["me", "person", "service"])),
        }
    }
}

/// Where a measure stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureStatus {
    Planned,
    InProgress,
    Done,
    Dropped,
}

impl MeasureStatus {
    pub const ALL: [MeasureStatus; 4] = [
        MeasureStatus::Planned,
        MeasureStatus::InProgress,
        MeasureStatus::Done,
        MeasureStatus::Dropped,
    ];

    pub const fn key(self) -> &'static str {
        match self {
            MeasureStatus::Planned => "planned",
            MeasureStatus::InProgress => "in_progress",
            MeasureStatus::Done => "done",
            MeasureStatus::Dropped => "dropped",
        }
    }

    pub fn parse(key: &str) -> Option<MeasureStatus> {
        MeasureStatus::ALL.into_iter().find(|s| s.key() == key)
    }

    /// Still to be done: planned or in progress.
    pub fn is_open(self) -> bool {
        matches!(self, MeasureStatus::Planned | MeasureStatus::InProgress)
    }
}

/// A measure (*tiltak*) for one area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeasureBody {
    pub area: RecordId,
    pub what: ItemText,
    pub responsible: Responsible,
    #[serde(default)]
    pub due: Option<Date>,
    pub status: MeasureStatus,
    pub position: i64,
}

/// A checklist question. `text: None` means "the translated default", valid only for one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckItemBody {
    #[serde(default)]
    pub text: Option<ItemText>,
    pub position: i64,
    #[serde(default)]
    pub default_key: Option<DefaultCheck>,
}

/// The checklist answered on one day: question id → answer. Questions left unanswered are
/// simply absent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckRoundBody {
    pub date: Date,
    pub answers: BTreeMap<RecordId, Answer>,
}

impl CheckRoundBody {
    pub fn score(&self) -> Option<u8> {
        checklist_score(self.answers.values().copied())
    }
}

impl TypedBody for AreaBody {
    const KIND: Kind = Kind::WheelArea;
}
impl TypedBody for RatingBody {
    const KIND: Kind = Kind::WheelRating;
}
impl TypedBody for MeasureBody {
    const KIND: Kind = Kind::WheelMeasure;
}
impl TypedBody for CheckItemBody {
    const KIND: Kind = Kind::WheelCheckItem;
}
impl TypedBody for CheckRoundBody {
    const KIND: Kind = Kind::WheelCheckRound;
}

/// A typed body of any wheel kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    Area(AreaBody),
    Rating(RatingBody),
    Measure(MeasureBody),
    CheckItem(CheckItemBody),
    CheckRound(CheckRoundBody),
}

/// Reads a version's body as the record's (wheel) kind. A tombstone has no body: `Ok(None)`.
pub fn parse_body(id: RecordId, kind: Kind, version: &Version) -> Result<Option<Body>, BodyError> {
    if version.deleted {
        return Ok(None);
    }
    check_schema(version)?;
    let json = &version.body;
    let body = match kind {
        Kind::WheelArea => {
            let body: AreaBody = typed(json)?;
            match body.default_key {
                Some(key) if key.record_id() != id => return Err(BodyError::DefaultKeyMismatch),
                None if body.name.is_none() => return Err(BodyError::NameRequired),
                _ => Body::Area(body),
            }
        }
        Kind::WheelRating => {
            let body: RatingBody = typed(json)?;
            if Scale::ALL.iter().all(|s| body.score(*s).is_none()) {
                return Err(BodyError::EmptyRating);
            }
            Body::Rating(body)
        }
        Kind::WheelMeasure => Body::Measure(typed(json)?),
        Kind::WheelCheckItem => {
            let body: CheckItemBody = typed(json)?;
            match body.default_key {
                Some(key) if key.record_id() != id => return Err(BodyError::DefaultKeyMismatch),
                None if body.text.is_none() => return Err(BodyError::NameRequired),
                _ => Body::CheckItem(body),
            }
        }
        Kind::WheelCheckRound => {
            let body: CheckRoundBody = typed(json)?;
            if body.answers.len() > MAX_CHECK_ITEMS {
                return Err(BodyError::TooManyAnswers {
                    max: MAX_CHECK_ITEMS,
                    actual: body.answers.len(),
                });
            }
            Body::CheckRound(body)
        }
        other => {
            return Err(BodyError::Invalid {
                detail: format!("{other} is not a wheel record"),
            })
        }
    };
    Ok(Some(body))
}

#[cfg(test)]
pub(super) mod test_support {
    use super::*;
    use crate::model::hlc::{DeviceId, Hlc};
    use crate::model::record::Record;

    pub fn hlc(wall_ms: u64) -> Hlc {
        Hlc {
            wall_ms,
            counter: 0,
            device: DeviceId::parse("d").unwrap(),
        }
    }

    pub fn record<B: TypedBody>(id: RecordId, body: &B) -> Record {
        Record::new(id, B::KIND, Version::new(hlc(1), body.to_json()))
    }

    pub fn id(n: u8) -> RecordId {
        RecordId::new_v7(n.into(), [n; 10])
    }

    pub fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    pub fn score(n: i64) -> Score {
        Score::new(n).unwrap()
    }

    pub fn rating(area: RecordId, day: &str, performance: i64) -> RatingBody {
        RatingBody {
            area,
            date: date(day),
            importance: None,
            performance: Some(score(performance)),
            satisfaction: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::test_support::*;
    use super::*;

    fn parse(id: RecordId, kind: Kind, body: serde_json::Value) -> Result<Option<Body>, BodyError> {
        parse_body(id, kind, &Version::new(hlc(1), body))
    }

    #[test]
    fn default_ids_are_fixed_and_distinct() {
        let areas: std::collections::BTreeSet<_> = DefaultArea::ALL.iter().map(|a| a.record_id()).collect();
        assert_eq!(areas.len(), 11);
        assert_eq!(DefaultCheck::ALL.len(), 6);
        assert_eq!(
            DefaultArea::Housing.record_id(),
            RecordId::from_static_name("wheel.area.housing")
        );
        assert_eq!(DefaultArea::Money.initial_body().position, 2 * POSITION_GAP);
    }

    #[test]
    fn bodies_have_a_stable_json_shape() {
        let area = id(1);
        let measure = MeasureBody {
            area,
            what: ItemText::parse("Søke bostøtte").unwrap(),
            responsible: Responsible::Person {
                name: ContactName::parse("Kari").unwrap(),
            },
            due: Some(date("2026-12-01")),
            status: MeasureStatus::InProgress,
            position: 1024,
        };
        assert_eq!(
            measure.to_json(),
            json!({"area": area.to_string(), "what": "Søke bostøtte",
                   "responsible": {"kind": "person", "name": "Kari"},
                   "due": "2026-12-01", "status": "in_progress", "position": 1024})
        );
        let round = CheckRoundBody {
            date: date("2026-11-23"),
            answers: BTreeMap::from([(DefaultCheck::Coordinator.record_id(), Answer::Partly)]),
        };
        let json = round.to_json();
        assert_eq!(
            json["answers"][DefaultCheck::Coordinator.record_id().to_string()],
            json!("partly")
        );
        assert_eq!(serde_json::from_value::<CheckRoundBody>(json).unwrap(), round);
    }

    #[test]
    fn who_is_responsible_is_read_back_and_checked() {
        let read =
            |json: serde_json::Value| serde_json::from_value::<Responsible>(json).map_err(|e| e.to_string());
        for responsible in [
            Responsible::Me,
            Responsible::Person {
                name: ContactName::parse("Kari").unwrap(),
            },
            Responsible::Service {
                name: ContactName::parse("NAV").unwrap(),
            },
        ] {
            assert_eq!(read(serde_json::to_value(&responsible).unwrap()), Ok(responsible));
        }
        assert_eq!(
            read(json!({"kind": "me", "name": "ignored"})),
            Ok(Responsible::Me)
        );
        let missing = read(json!({"kind": "person"})).unwrap_err();
        assert!(missing.contains("missing field `name`"), "{missing}");
        let unknown = read(json!({"kind": "team"})).unwrap_err();
        assert!(unknown.contains("unknown variant `team`"), "{unknown}");
        assert!(read(json!({"kind": "service", "name": "   "})).is_err());
        assert!(read(json!({"name": "Kari"})).is_err());
    }

    #[test]
    fn bad_bodies_are_refused_with_a_reason_never_a_panic() {
        let area = id(1);
        let rating = |extra: serde_json::Value| {
            let mut body = json!({"area": area.to_string(), "date": "2026-11-23"});
            body.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            parse(id(2), Kind::WheelRating, body)
        };
        assert!(matches!(
            rating(json!({"performance": 7})),
            Ok(Some(Body::Rating(_)))
        ));
        assert_eq!(rating(json!({})), Err(BodyError::EmptyRating));
        let Err(BodyError::Invalid { detail }) = rating(json!({"importance": 11})) else {
            panic!("a score of 11 must be refused");
        };
        assert!(detail.contains("from 1 to 10, not 11"), "{detail}");
        assert!(matches!(
            rating(json!({"importance": 0})),
            Err(BodyError::Invalid { .. })
        ));
        assert!(matches!(
            rating(json!({"importance": "7"})),
            Err(BodyError::Invalid { .. })
        ));
        let bad_day = parse(
            id(2),
            Kind::WheelRating,
            json!({"area": area.to_string(), "date": "2026-02-30", "performance": 3}),
        );
        assert!(matches!(bad_day, Err(BodyError::Invalid { .. })));

        let nameless = json!({"position": 1});
        assert_eq!(
            parse(id(3), Kind::WheelArea, nameless),
            Err(BodyError::NameRequired)
        );
        let stolen = json!({"position": 1, "default_key": "housing"});
        assert_eq!(
            parse(id(3), Kind::WheelArea, stolen),
            Err(BodyError::DefaultKeyMismatch)
        );
        let own = json!({"position": 1, "name": "Katten min", "chosen": true});
        assert!(matches!(parse(id(3), Kind::WheelArea, own), Ok(Some(Body::Area(a))) if a.chosen));
        let too_long = json!({"position": 1, "name": "x", "what_matters": "y".repeat(1001)});
        assert!(matches!(
            parse(id(3), Kind::WheelArea, too_long),
            Err(BodyError::Invalid { .. })
        ));

        let answers: BTreeMap<String, &str> = (0..41).map(|n| (id(n).to_string(), "yes")).collect();
        let round = json!({"date": "2026-11-23", "answers": answers});
        assert_eq!(
            parse(id(4), Kind::WheelCheckRound, round),
            Err(BodyError::TooManyAnswers { max: 40, actual: 41 })
        );
        let odd = json!({"date": "2026-11-23", "answers": {"not-an-id": "yes"}});
        assert!(matches!(
            parse(id(4), Kind::WheelCheckRound, odd),
            Err(BodyError::Invalid { .. })
        ));
        let plan = parse(id(5), Kind::PlanItem, json!({}));
        assert!(matches!(plan, Err(BodyError::Invalid { .. })));
    }
}
