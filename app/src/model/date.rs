//! A calendar day ("2026-11-23"), for what the user dates: a rating, a checklist answer, a
//! measure's deadline.
//!
//! A day, not a point in time: a rating made on the 23rd belongs to the 23rd wherever the
//! phone is, so the browser passes its own local date in and nothing here reads a clock.
//! Stored and sent as ISO 8601 `YYYY-MM-DD`, which also sorts correctly as text.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The earliest and latest years accepted: wide enough for any real date, narrow enough that
/// a typo such as year 20260 is refused rather than stored.
pub const MIN_YEAR: u16 = 1900;
pub const MAX_YEAR: u16 = 2200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    // Field order is the sort order.
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not `YYYY-MM-DD`.
    Format,
    /// The right shape, but no such day (2026-02-30) or outside [`MIN_YEAR`]..=[`MAX_YEAR`].
    NoSuchDay,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Format => write!(f, "a date is written YYYY-MM-DD"),
            DateError::NoSuchDay => write!(f, "there is no such day"),
        }
    }
}

impl std::error::Error for DateError {}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, DateError> {
        let valid = (MIN_YEAR..=MAX_YEAR).contains(&year)
            && (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day);
        if valid {
            Ok(Date { year, month, day })
        } else {
            Err(DateError::NoSuchDay)
        }
    }

    /// Only `YYYY-MM-DD` (what `<input type="date">` gives), so one day has one spelling.
    pub fn parse(input: &str) -> Result<Date, DateError> {
        let bytes = input.as_bytes();
        let shape = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shape {
            return Err(DateError::Format);
        }
        let number = |range: std::ops::Range<usize>| -> u16 {
            input[range].bytes().fold(0, |n, b| n * 10 + u16::from(b - b'0'))
        };
        // Two digits are at most 99, so the narrowing cannot lose anything.
        Date::new(number(0..4), number(5..7) as u8, number(8..10) as u8)
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before it): the distance between two dates, for a
    /// chart's time axis. Howard Hinnant's `days_from_civil`.
    pub fn days_since_epoch(self) -> i64 {
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year - era * 400;
        let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// "23.11.2026", the way dates are written in Norway (and readable in English too).
    pub fn display_nb(self) -> String {
        format!("{:02}.{:02}.{}", self.day, self.month, self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Date::parse(&value)
    }
}

impl From<Date> for String {
    fn from(date: Date) -> String {
        date.to_string()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn parses_iso_days_and_refuses_the_rest() {
        let date = Date::parse("2026-11-23").unwrap();
        assert_eq!((date.year(), date.month(), date.day()), (2026, 11, 23));
        assert_eq!(date.to_string(), "2026-11-23");
        assert_eq!(date.display_nb(), "23.11.2026");
        assert_eq!(Date::parse("2024-02-29").map(|d| d.day()), Ok(29));
        assert_eq!(Date::parse("2026-02-29"), Err(DateError::NoSuchDay));
        assert_eq!(Date::parse("2100-02-29"), Err(DateError::NoSuchDay));
        assert_eq!(Date::parse("2000-02-29").map(|d| d.day()), Ok(29));
        assert_eq!(Date::parse("2026-13-01"), Err(DateError::NoSuchDay));
        assert_eq!(Date::parse("2026-00-10"), Err(DateError::NoSuchDay));
        assert_eq!(Date::parse("1899-12-31"), Err(DateError::NoSuchDay));
        for bad in [
            "",
            "23.11.2026",
            "2026-1-23",
            "2026-11-23T10:00",
            "２026-11-23",
            "+026-11-23",
        ] {
            assert_eq!(Date::parse(bad), Err(DateError::Format), "{bad}");
        }
        assert!(serde_json::from_str::<Date>("\"2026-04-31\"").is_err());
    }

    #[test]
    fn days_since_epoch_matches_known_days() {
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        assert_eq!(Date::parse("2000-03-01").unwrap().days_since_epoch(), 11_017);
        assert_eq!(Date::parse("2026-11-23").unwrap().days_since_epoch(), 20_780);
        assert_eq!(Date::parse("1969-12-31").unwrap().days_since_epoch(), -1);
    }

    proptest! {
        #[test]
        fn valid_days_round_trip_and_sort_like_their_day_numbers(
            a in (1900u16..=2200, 1u8..=12, 1u8..=31),
            b in (1900u16..=2200, 1u8..=12, 1u8..=31),
        ) {
            if let (Ok(x), Ok(y)) = (Date::new(a.0, a.1, a.2), Date::new(b.0, b.1, b.2)) {
                prop_assert_eq!(Date::parse(&x.to_string()), Ok(x));
                prop_assert_eq!(x.cmp(&y), x.days_since_epoch().cmp(&y.days_since_epoch()));
                prop_assert_eq!(x.cmp(&y), x.to_string().cmp(&y.to_string()));
            }
        }
    }
}
