//! The terms of a share, parsed at the edge: its [`Scope`] (what it covers) and its
//! [`Until`] (the last day it is live).

use crate::http::error::ApiError;
use app::model::date::Date;
use app::model::record::RecordId;
use std::fmt;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// What a share lets the recipient read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Wheel,
    Section(RecordId),
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
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::Wheel => write!(f, "wheel"),
            Scope::Section(id) => write!(f, "section:{id}"),
        }
    }
}

/// The last day of a share; it is live through the end of that day, UTC.
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

    /// The moment the day ends (the share's first moment of not being live).
    pub fn end_ms(self) -> i64 {
        (self.0.days_since_epoch() + 1) * DAY_MS
    }
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
    fn a_share_lives_through_its_last_day_utc() {
        let day = Date::parse("2026-11-23").unwrap().days_since_epoch() * DAY_MS;
        let until = Until::parse("2026-11-23", day + 1000).unwrap();
        assert_eq!(until.end_ms(), day + DAY_MS);
        assert!(Until::parse("2026-11-23", day + DAY_MS).is_err());
        assert!(Until::parse("2026-11-22", day).is_err());
        assert!(Until::parse("23.11.2026", day).is_err());
    }
}
