//! The terms of a share, parsed at the edge: its [`Scope`] (what it covers) and its
//! [`Until`] (the last day it is live, through midnight Norwegian time).

use crate::http::error::ApiError;
use app::model::date::Date;
use app::model::record::RecordId;
use std::fmt;

const HOUR_MS: i64 = 3600 * 1000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// What a share lets the recipient read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Wheel,
    Section(RecordId),
    /// A check-in relationship (`crate::checkins`): no records, made only through the
    /// check-in API, so [`Scope::parse`] (what a client may ask for) refuses it.
    Checkins,
}

impl Scope {
    pub fn parse(input: &str) -> Result<Scope, ApiError> {
        let invalid = |reason: &str| ApiError::Invalid {
            field: "scope",
            reason: reason.to_owned(),
        };
        match input.split_once(':') {
            None if input == "wheel" => Ok(Scope::Wheel),
            Some(("section", id)) => RecordId::parse(id)
                .map(Scope::Section)
                .map_err(|_| invalid("A section is named by its id, a hyphenated UUID.")),
            _ => Err(invalid("A scope is \"wheel\" or \"section:<section id>\".")),
        }
    }

    /// A scope as stored: also `checkins`.
    pub fn from_stored(input: &str) -> Result<Scope, ApiError> {
        match input {
            "checkins" => Ok(Scope::Checkins),
            other => Scope::parse(other),
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Wheel => write!(f, "wheel"),
            Scope::Section(id) => write!(f, "section:{id}"),
            Scope::Checkins => write!(f, "checkins"),
        }
    }
}

/// The last day of a share; it is live through the end of that day in Norway (Europe/Oslo):
/// the user means their own midnight, not London's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Until(Date);

impl Until {
    /// A date from today on; an earlier one is refused.
    pub fn parse(input: &str, now_ms: i64) -> Result<Until, ApiError> {
        let date = Date::parse(input).map_err(|e| ApiError::Invalid {
            field: "until",
            reason: format!("{e}."),
        })?;
        let until = Until(date);
        if until.end_ms() <= now_ms {
            return Err(ApiError::Invalid {
                field: "until",
                reason: "That day is past; a share can end today or later.".to_owned(),
            });
        }
        Ok(until)
    }

    /// The moment the day ends in Norway (the share's first moment of not being live).
    pub fn end_ms(self) -> i64 {
        let next_day = self.0.days_since_epoch() + 1;
        next_day * DAY_MS - oslo_offset_at_midnight(next_day, self.0.year()) * HOUR_MS
    }
}

/// Hours Europe/Oslo is ahead of UTC at the midnight that begins `day` (days since
/// 1970-01-01), the day after a day of `year` (1 January of the next year is winter time
/// either way).
///
/// Norway keeps the EU rule: summer time (UTC+2) from 01:00 UTC on the last Sunday of March
/// to 01:00 UTC on the last Sunday of October, UTC+1 otherwise. A midnight is never inside a
/// change (those are at 02:00 and 03:00 local), so: at the midnight beginning the last Sunday
/// of March it is still winter time, at the one beginning the last Sunday of October still
/// summer time. A small rule instead of a time-zone database: Norway has kept it since 1996,
/// and the tests pin it against the real zone's answers.
fn oslo_offset_at_midnight(day: i64, year: u16) -> i64 {
    let summer = day > last_sunday(year, 3) && day <= last_sunday(year, 10);
    if summer {
        2
    } else {
        1
    }
}

/// 0 for Sunday … 6 for Saturday (1970-01-01 was a Thursday).
fn weekday(day: i64) -> i64 {
    (day + 4).rem_euclid(7)
}

/// The last Sunday of `month` (March or October: both have 31 days) in `year`, in days
/// since epoch.
fn last_sunday(year: u16, month: u8) -> i64 {
    let last = Date::new(year, month, 31).map_or(0, Date::days_since_epoch);
    last - weekday(last)
}

impl fmt::Display for Until {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_the_wheel_or_one_section() {
        assert_eq!(Scope::parse("wheel").unwrap(), Scope::Wheel);
        let id = "0190a000-0000-7000-8000-0000000000ff";
        let scope = Scope::parse(&format!("section:{id}")).unwrap();
        assert_eq!(scope.to_string(), format!("section:{id}"));
        for bad in [
            "",
            "Wheel",
            "wheel:",
            "section:",
            "section:42",
            "checkins",
            "section:0190a000000070008000000000000ff",
        ] {
            assert!(Scope::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_share_lives_through_its_last_day_in_norway() {
        let day = Date::parse("2026-11-23").unwrap().days_since_epoch() * DAY_MS;
        let until = Until::parse("2026-11-23", day + 1000).unwrap();
        // Winter: midnight in Oslo is 23:00 UTC.
        assert_eq!(until.end_ms(), day + DAY_MS - HOUR_MS);
        assert!(Until::parse("2026-11-23", day + DAY_MS - HOUR_MS).is_err());
        assert!(Until::parse("2026-11-23", day + DAY_MS - HOUR_MS - 1).is_ok());
        assert!(Until::parse("2026-11-22", day).is_err());
        assert!(Until::parse("23.11.2026", day).is_err());
    }

    #[test]
    fn midnight_in_oslo_follows_summer_time_at_both_changes() {
        // From Python's zoneinfo (the IANA database): midnight after each day in Oslo, in
        // Unix milliseconds. Around both changes of 2026 and 2027, a leap day, summer, winter.
        for (day, expected) in [
            ("2026-11-23", 1_795_474_800_000),
            ("2026-07-01", 1_782_943_200_000),
            ("2026-03-28", 1_774_738_800_000),
            ("2026-03-29", 1_774_821_600_000),
            ("2026-10-24", 1_792_879_200_000),
            ("2026-10-25", 1_792_969_200_000),
            ("2024-02-29", 1_709_247_600_000),
            ("2027-03-27", 1_806_188_400_000),
            ("2027-03-28", 1_806_271_200_000),
        ] {
            let until = Until(Date::parse(day).unwrap());
            assert_eq!(until.end_ms(), expected, "{day}");
        }
        let new_year = Until(Date::parse("2026-12-31").unwrap());
        let jan_1 = Date::parse("2027-01-01").unwrap().days_since_epoch() * DAY_MS;
        assert_eq!(new_year.end_ms(), jan_1 - HOUR_MS);
    }
}
