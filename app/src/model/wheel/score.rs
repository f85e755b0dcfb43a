//! The measuring side of the wheel: a [`Score`] from 1 to 10 on three [`Scale`]s (as in
//! COPM/PSFS), what counts as a meaningful change, and the collaboration checklist's score.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::date::Date;

/// A change of this many points or more since the first rating is clinically meaningful
/// (*en tydelig endring*).
pub const MEANINGFUL_CHANGE: u8 = 2;

/// A rating on one scale: a whole number from 1 to 10, and nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Score(u8);

/// A number that is not a score; shown to the user as it is ("11 is not between 1 and 10").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScoreError {
    pub value: i64,
}

impl fmt::Display for ScoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a score is a whole number from 1 to 10, not {}", self.value)
    }
}

impl std::error::Error for ScoreError {}

impl Score {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 10;

    pub fn new(value: i64) -> Result<Score, ScoreError> {
        match u8::try_from(value) {
            Ok(v) if (Score::MIN..=Score::MAX).contains(&v) => Ok(Score(v)),
            _ => Err(ScoreError { value }),
        }
    }

    /// Every score, 1 to 10: the choices the rating form offers.
    pub fn all() -> impl Iterator<Item = Score> {
        (Score::MIN..=Score::MAX).map(Score)
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Score {
    type Error = ScoreError;

    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Score::new(value)
    }
}

impl From<Score> for u8 {
    fn from(score: Score) -> u8 {
        score.0
    }
}

/// The three things a chosen area can be rated on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scale {
    /// How important the area is to me.
    Importance,
    /// How well it goes (*hvordan det går*).
    Performance,
    /// How satisfied I am with how it goes.
    Satisfaction,
}

impl Scale {
    pub const ALL: [Scale; 3] = [Scale::Importance, Scale::Performance, Scale::Satisfaction];

    pub const fn key(self) -> &'static str {
        match self {
            Scale::Importance => "importance",
            Scale::Performance => "performance",
            Scale::Satisfaction => "satisfaction",
        }
    }
}

/// How one scale moved from the first rating to the latest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub first: Score,
    pub latest: Score,
}

impl Change {
    /// Latest minus first: positive is higher.
    pub fn delta(self) -> i8 {
        // Both are 1..=10, so the difference fits easily.
        self.latest.0 as i8 - self.first.0 as i8
    }

    /// Two points or more, either way.
    pub fn is_meaningful(self) -> bool {
        self.delta().unsigned_abs() >= MEANINGFUL_CHANGE
    }
}

/// The change over a dated series (sorted by date), or `None` with fewer than two ratings:
/// one rating is a starting point, not a change.
pub fn change(series: &[(Date, Score)]) -> Option<Change> {
    match (series.first(), series.last()) {
        (Some(first), Some(latest)) if series.len() >= 2 => Some(Change {
            first: first.1,
            latest: latest.1,
        }),
        _ => None,
    }
}

/// One answer to a checklist question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    Partly,
    No,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Yes, Answer::Partly, Answer::No];

    pub const fn key(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::Partly => "partly",
            Answer::No => "no",
        }
    }
}

/// The checklist's score in whole percent: the share of *yes* among the questions answered,
/// *partly* counting as half. `None` when nothing is answered (no answer is not a zero).
pub fn checklist_score(answers: impl IntoIterator<Item = Answer>) -> Option<u8> {
    let (mut halves, mut answered) = (0u64, 0u64);
    for answer in answers {
        answered += 1;
        halves += match answer {
            Answer::Yes => 2,
            Answer::Partly => 1,
            Answer::No => 0,
        };
    }
    // halves / (2 * answered) as a percent, rounded half up: (100 * halves + answered) / (2 * answered).
    (answered > 0).then(|| ((100 * halves + answered) / (2 * answered)) as u8)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn day(n: u8) -> Date {
        Date::new(2026, 1, n).unwrap()
    }

    fn score(n: i64) -> Score {
        Score::new(n).unwrap()
    }

    #[test]
    fn scores_are_one_to_ten_and_nothing_else() {
        assert_eq!(
            Score::all().map(Score::get).collect::<Vec<_>>(),
            (1..=10).collect::<Vec<u8>>()
        );
        for bad in [0, 11, -1, 255, 256, i64::MAX, i64::MIN] {
            assert_eq!(Score::new(bad), Err(ScoreError { value: bad }));
        }
        assert_eq!(serde_json::to_string(&score(7)).unwrap(), "7");
        assert_eq!(serde_json::from_str::<Score>("10").unwrap(), score(10));
        let err = serde_json::from_str::<Score>("11").unwrap_err().to_string();
        assert!(
            err.contains("a score is a whole number from 1 to 10, not 11"),
            "{err}"
        );
        assert!(serde_json::from_str::<Score>("5.5").is_err());
        assert!(serde_json::from_str::<Score>("\"5\"").is_err());
        assert!(serde_json::from_str::<Score>("null").is_err());
    }

    #[test]
    fn a_change_of_two_points_is_meaningful_and_one_is_not() {
        assert_eq!(change(&[]), None);
        assert_eq!(change(&[(day(1), score(3))]), None);
        let up = change(&[(day(1), score(3)), (day(2), score(9)), (day(3), score(5))]).unwrap();
        assert_eq!((up.first, up.latest, up.delta()), (score(3), score(5), 2));
        assert!(up.is_meaningful());
        let small = change(&[(day(1), score(5)), (day(2), score(4))]).unwrap();
        assert_eq!(small.delta(), -1);
        assert!(!small.is_meaningful());
        assert!(change(&[(day(1), score(10)), (day(2), score(8))])
            .unwrap()
            .is_meaningful());
    }

    #[test]
    fn checklist_score_counts_partly_as_half() {
        assert_eq!(checklist_score([]), None);
        assert_eq!(checklist_score([Answer::Yes]), Some(100));
        assert_eq!(checklist_score([Answer::No]), Some(0));
        assert_eq!(checklist_score([Answer::Partly]), Some(50));
        assert_eq!(
            checklist_score([Answer::Yes, Answer::Partly, Answer::No, Answer::No]),
            Some(38)
        );
        assert_eq!(checklist_score([Answer::Yes, Answer::No, Answer::No]), Some(33));
        assert_eq!(checklist_score([Answer::Yes, Answer::Yes, Answer::No]), Some(67));
    }

    fn any_score() -> impl Strategy<Value = Score> {
        (1i64..=10).prop_map(score)
    }

    fn any_answer() -> impl Strategy<Value = Answer> {
        prop_oneof![Just(Answer::Yes), Just(Answer::Partly), Just(Answer::No)]
    }

    proptest! {
        #[test]
        fn only_one_to_ten_parse(value in any::<i64>()) {
            prop_assert_eq!(Score::new(value).is_ok(), (1..=10).contains(&value));
            let json = value.to_string();
            prop_assert_eq!(serde_json::from_str::<Score>(&json).is_ok(), (1..=10).contains(&value));
        }

        #[test]
        fn meaningful_exactly_when_first_and_latest_differ_by_two(
            series in proptest::collection::vec(any_score(), 0..12)
        ) {
            let dated: Vec<(Date, Score)> = series.iter().enumerate().map(|(i, s)| (day(i as u8 + 1), *s)).collect();
            match change(&dated) {
                None => prop_assert!(series.len() < 2),
                Some(c) => {
                    let (first, latest) = (series[0].get() as i32, series[series.len() - 1].get() as i32);
                    prop_assert_eq!(c.delta() as i32, latest - first);
                    prop_assert_eq!(c.is_meaningful(), (latest - first).abs() >= 2);
                    // Symmetric: the same two scores the other way round are as meaningful.
                    let back = Change { first: c.latest, latest: c.first };
                    prop_assert_eq!(back.is_meaningful(), c.is_meaningful());
                }
            }
        }

        #[test]
        fn checklist_score_is_a_percent_that_rises_with_each_yes(
            answers in proptest::collection::vec(any_answer(), 0..40),
            index in any::<prop::sample::Index>(),
        ) {
            let score = checklist_score(answers.iter().copied());
            prop_assert_eq!(score.is_none(), answers.is_empty());
            if let Some(s) = score {
                prop_assert!(s <= 100);
                let mut better = answers.clone();
                let i = index.index(answers.len());
                better[i] = Answer::Yes;
                prop_assert!(checklist_score(better.iter().copied()).unwrap() >= s);
                let all_yes = answers.iter().all(|a| *a == Answer::Yes);
                prop_assert_eq!(s == 100, all_yes);
            }
        }
    }
}
